"""Which CTranslate2 thread layout decodes fastest on this machine.

    python benchmarks/bench_threads.py [--copies 4] [--repeat 3] [--busy]

Builds the Argos-size seeded model once, then decodes the samples' sentences
(repeated `--copies` times, each made distinct) with beam 4 and decoding capped
at 24 tokens, under each (inter_threads, intra_threads, max_batch_size) layout,
each in its own process so peak memory is its own, `--repeat` times round-robin
with the load average beside each figure. `--busy` keeps one other process busy
(`yes > /dev/null` pinned to CPU 0) throughout, as on a shared machine. The
toolkit's defaults (`EngineSettings`) come from this table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAYOUTS = [(1, 2, 64), (1, 2, 16), (2, 1, 64), (2, 1, 32), (2, 1, 16), (2, 1, 8), (1, 1, 16)]


def worker(model_dir: Path, copies: int, inter: int, intra: int, batch: int) -> None:
    import ctranslate2
    import sentencepiece

    from toolkit.segment import read_document

    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(model_dir / "sentencepiece.model")
    )
    sentences = [
        s.source for p in sorted((REPO / "seeds").glob("*.txt")) for s in read_document(p).sentences
    ] * copies
    tokens = [tokenizer.encode(f"{i} {s}", out_type=str) for i, s in enumerate(sentences)]
    translator = ctranslate2.Translator(
        str(model_dir / "model"), device="cpu", inter_threads=inter, intra_threads=intra
    )
    started = time.perf_counter()
    translator.translate_batch(tokens, beam_size=4, max_decoding_length=24, max_batch_size=batch)
    seconds = time.perf_counter() - started
    status = Path("/proc/self/status").read_text().splitlines()
    peak = next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) // 1024
    print(f"{seconds} {peak} {len(tokens)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--busy", action="store_true", help="one other busy process throughout")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.worker:
        model_dir, copies, inter, intra, batch = args.worker
        worker(Path(model_dir), int(copies), int(inter), int(intra), int(batch))
        return
    sys.path.insert(0, str(REPO / "tests" / "support"))  # test support: not in the package
    from seeded_model import ModelShape, build_argos_package

    with tempfile.TemporaryDirectory() as scratch:
        text = "\n".join(p.read_text("utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
        package = build_argos_package(
            Path(scratch) / "m.argosmodel", text, shape=ModelShape.ARGOS_SIZE
        )
        zipfile.ZipFile(package).extractall(scratch)
        model_dir = next(p for p in Path(scratch).iterdir() if p.is_dir())
        busy = None
        if args.busy:  # one other busy process, pinned, for the whole measurement
            busy = subprocess.Popen(["taskset", "-c", "0", "yes"], stdout=subprocess.DEVNULL)
        print(
            f"cores: {os.cpu_count()}; Argos-size seeded model, beam 4, 24 tokens per "
            f"sentence; {args.repeat} runs each; other busy process: {bool(busy)}"
        )
        print()
        print(
            "| inter | intra | max batch | sentences | seconds, median (min–max) | "
            "sentences/s | peak MB | load avg |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        times: dict[tuple[int, int, int], list[tuple[float, int, float]]] = {}
        try:
            for _ in range(args.repeat):
                for inter, intra, batch in LAYOUTS:
                    load = os.getloadavg()[0]
                    command = [
                        sys.executable,
                        __file__,
                        "--worker",
                        str(model_dir),
                        str(args.copies),
                        str(inter),
                        str(intra),
                        str(batch),
                    ]
                    out = subprocess.run(command, check=True, capture_output=True, text=True)
                    seconds, peak, sentences = out.stdout.split()
                    times.setdefault((inter, intra, batch), []).append(
                        (float(seconds), int(peak), load)
                    )
        finally:
            if busy is not None:
                busy.kill()
        for (inter, intra, batch), runs in times.items():
            ordered = sorted(r[0] for r in runs)
            middle = ordered[len(ordered) // 2]
            loads = [r[2] for r in runs]
            print(
                f"| {inter} | {intra} | {batch} | {int(sentences)} | {middle:.2f} "
                f"({ordered[0]:.2f}–{ordered[-1]:.2f}) | {int(sentences) / middle:.1f} "
                f"| {max(r[1] for r in runs)} | {min(loads):.1f}–{max(loads):.1f} |"
            )


if __name__ == "__main__":
    main()
