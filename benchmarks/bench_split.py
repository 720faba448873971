"""How long `split_sentences` takes on one long paragraph, 10 KB to 1 MB (target: 1 MB < 5 s).

Deterministic: the paragraph is the seed articles' paragraphs in shuffled order, mixed with
sentences full of Dutch abbreviations, initials and numbers, cut to each size at a word. Each
size runs 3 times (min/median/max). `--reference` also times pySBD's own abbreviation pass
(quadratic, so only up to 80 KB) and checks that both give the same spans.
Run as `python benchmarks/bench_split.py [--reference]`.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # runnable from a checkout without installing the package

import pysbd.lang.dutch  # noqa: E402
import pysbd.processor  # noqa: E402

from toolkit.sentences import _Dutch, _split, split_sentences  # noqa: E402

SIZES = [10_000, 30_000, 100_000, 300_000, 1_000_000]
REFERENCE_MAX = 80_000  # pySBD's own pass takes 18.6 s at 80 KB
TARGET_SECONDS = {1_000_000: 5.0}
REPS = 3
SEED = 20240601

EXTRA_SENTENCES = [
    "Volgens dr. De Vries en prof. Bakker gaat het o.a. om de Navo, d.w.z. om Europa.",
    "Het kostte ca. 1.500 euro, bijv. voor nr. 12 aan de Dorpsstraat.",
    "J.P. Balkenende sprak met M. Rutte i.p.v. met mr. Jansen.",
    "Kaas, brood enz. Daarna koffie, thee e.d. en nog 2,5 procent.",
    "„Wat doe je?” vroeg hij. ‘Niets!’ zei zij, m.b.t. de vraag.",
]


class StockDutch(_Dutch):
    """Our rules with pySBD's own abbreviation pass (run with pySBD's own Processor)."""

    AbbreviationReplacer = pysbd.lang.dutch.Dutch.AbbreviationReplacer


def reference_split(text: str) -> list[tuple[int, int]]:
    return _split(text, StockDutch, pysbd.processor.Processor)


def long_paragraph(size: int) -> str:
    rng = random.Random(SEED)
    pieces = []
    for seed in sorted((REPO / "seeds").glob("*.txt")):
        text = re.sub(r"\A\s*date\s+\d{4}-\d{2}(?:-\d{2})?\s+", "", seed.read_text("utf-8"))
        pieces += [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]
    pieces += EXTRA_SENTENCES
    parts: list[str] = []
    length = 0
    while length < size:
        piece = rng.choice(pieces)
        parts.append(piece)
        length += len(piece) + 1
    return " ".join(parts)[:size].rsplit(" ", 1)[0]


def timed(function, text: str) -> tuple[list[float], object]:  # type: ignore[no-untyped-def]
    seconds = []
    result = None
    for _ in range(REPS):
        start = time.perf_counter()
        result = function(text)
        seconds.append(time.perf_counter() - start)
    return seconds, result


def row(label: str, size: int, seconds: list[float], note: str = "") -> str:
    low, median, high = min(seconds), statistics.median(seconds), max(seconds)
    return f"{label:<16}{size:>10,}{low:>9.2f}{median:>9.2f}{high:>9.2f}  {note}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", action="store_true", help="also time pySBD's own pass")
    parser.add_argument("--sizes", type=int, nargs="*", default=SIZES)
    args = parser.parse_args()
    print(f"{'splitter':<16}{'chars':>10}{'min s':>9}{'median s':>9}{'max s':>9}")
    failed = False
    for size in args.sizes:
        text = long_paragraph(size)
        seconds, spans = timed(split_sentences, text)
        note = f"{len(spans):,} sentences"  # type: ignore[arg-type]
        if size in TARGET_SECONDS:
            ok = statistics.median(seconds) < TARGET_SECONDS[size]
            failed |= not ok
            note += f"; target < {TARGET_SECONDS[size]} s: {'met' if ok else 'MISSED'}"
        print(row("toolkit", len(text), seconds, note))
        if args.reference and size <= REFERENCE_MAX:
            seconds, reference = timed(reference_split, text)
            same = reference == spans
            failed |= not same
            print(row("pySBD's own", len(text), seconds, "same spans" if same else "DIFFERENT"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
