"""Time and peak memory of `toolkit translate` against input size: one paragraph of 10 KB
to 2 MB, and one document of 1,000 to 100,000 paragraphs (issue 23, case 4).

Every stage and reader must be linear: seconds per KB and per 1,000 paragraphs, and
memory per paragraph, stay flat as the input grows. Each size runs in its own process
(`--engine scripted`, the project glossary enforced, no cache) under `/usr/bin/time`: its CPU
seconds and peak resident memory are that run's alone; the startup row (a one-line document) is the
fixed cost to subtract. The text is the seed articles' paragraphs, shuffled and repeated.
Run as `python benchmarks/bench_linear.py [--paragraph-sizes 10000,...] [--documents 1000,...]`.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PARAGRAPH_SIZES = [10_000, 30_000, 100_000, 300_000, 1_000_000, 2_000_000]
DOCUMENT_PARAGRAPHS = [1_000, 3_000, 10_000, 30_000, 100_000]
SEED = 20240601


def seed_paragraphs() -> list[str]:
    pieces = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        text = re.sub(r"\A\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+", "", seed.read_text("utf-8"))
        pieces += [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]
    return pieces


def one_paragraph(size: int) -> str:
    rng, pieces, out, length = random.Random(SEED), seed_paragraphs(), [], 0
    while length < size:
        out.append(rng.choice(pieces))
        length += len(out[-1]) + 1
    return " ".join(out)[:size].rsplit(" ", 1)[0] + ".\n"


def many_paragraphs(count: int) -> str:
    rng, pieces = random.Random(SEED), seed_paragraphs()
    return "\n\n".join(rng.choice(pieces) for _ in range(count)) + "\n"


def measure(text: str, folder: Path, timeout: int) -> tuple[float, float] | None:
    """(CPU seconds, peak MB) of one translate run over `text`; None past `timeout`.

    CPU time (user + system), not wall time: on a shared, busy machine the wall clock
    mostly measures the wait for a core."""
    source = folder / "doc.txt"
    source.write_text(text, "utf-8")
    command = [
        "/usr/bin/time", "-f", "%U %S %M", sys.executable, "-m", "toolkit", "translate",
        str(source), "-o", str(folder / "out"), "--engine", "scripted", "--glossary",
        str(REPO / "glossary" / "nl-en.tsv"), "--no-cache", "--quiet", "--force",
        "--max-document-bytes", str(4 << 20),
    ]  # fmt: skip
    try:
        run = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, env={"TOOLKIT_CONFIG": "",
            "PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return None
    if run.returncode != 0:
        raise SystemExit(f"translate failed: {run.stderr[-2000:]}")
    user, system, kilobytes = run.stderr.strip().splitlines()[-1].split()
    return float(user) + float(system), int(kilobytes) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--paragraph-sizes", default=",".join(map(str, PARAGRAPH_SIZES)))
    parser.add_argument("--documents", default=",".join(map(str, DOCUMENT_PARAGRAPHS)))
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-linear-") as scratch:
        folder = Path(scratch)
        base = measure("Een zin.\n", folder, args.timeout)
        assert base is not None
        print(f"startup (one sentence): {base[0]:.1f} s, {base[1]:.0f} MB\n")
        print("| one paragraph | CPU s | CPU s per 100 KB | peak MB |")
        print("|---:|---:|---:|---:|")
        for size in (int(s) for s in args.paragraph_sizes.split(",") if s):
            found = measure(one_paragraph(size), folder, args.timeout)
            if found is None:
                print(f"| {size // 1000:,} KB | > {args.timeout} | | |", flush=True)
                break
            per = (found[0] - base[0]) / (size / 100_000)
            print(
                f"| {size // 1000:,} KB | {found[0]:.1f} | {per:.2f} | {found[1]:.0f} |", flush=True
            )
        print("\n| paragraphs in one document | KB | CPU s | CPU s per 1,000 | peak MB |")
        print("|---:|---:|---:|---:|---:|")
        for count in (int(s) for s in args.documents.split(",") if s):
            text = many_paragraphs(count)
            found = measure(text, folder, args.timeout)
            if found is None:
                print(f"| {count:,} | | > {args.timeout} | | |", flush=True)
                break
            per = (found[0] - base[0]) / (count / 1000)
            size = len(text.encode()) // 1000
            print(
                f"| {count:,} | {size:,} | {found[0]:.1f} | {per:.2f} | {found[1]:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
