"""Score the reference model on the held-out test split, against two baselines, and time it.

BLEU and chrF (sacrebleu) of: copying the Dutch; word-by-word FreeDict lookup; the reference
package decoded through the toolkit's own Argos engine (beam 4). Then decoding speed in
sentences/s against a seeded Argos-size model (6+6 layers, d512, int8) on the same sentences
and settings. Prints a Markdown table for BENCHMARKS.md.

    python refmodel/evaluate.py --package toolkit/data/translate-nl_en-reference.argosmodel \
        --data refmodel/data --freedict /tmp/corpus/x/dict-freedict-nld-eng
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from sacrebleu.metrics import BLEU, CHRF

from toolkit.engines.argos import ArgosEngine
from toolkit.engines.base import EngineSettings

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_corpus import dictionary_pairs

TOKEN = re.compile(r"\w+|[^\w\s]+")


def read_split(path: Path) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [r["nl"] for r in rows], [r["en"] for r in rows]


def word_by_word(sentences: list[str], lexicon: dict[str, str]) -> list[str]:
    out = []
    for sentence in sentences:
        words = [lexicon.get(t.lower(), t) for t in TOKEN.findall(sentence)]
        out.append(re.sub(r" ([^\w\s])", r"\1", " ".join(words)))
    return out


def unpack(package: Path, into: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    return into


def decode_timed(engine: ArgosEngine, sentences: list[str]) -> tuple[list[str], float]:
    engine.translate(sentences[:4])  # load the model outside the timing
    started = time.perf_counter()
    output = [t.text for t in engine.translate(sentences)]
    return output, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path("refmodel/data"))
    parser.add_argument(
        "--freedict", type=Path, required=True, help="extracted dict-freedict-nld-eng"
    )
    parser.add_argument("--speed-sentences", type=int, default=300)
    parser.add_argument("--hypotheses", type=Path, help="write the model's test output here")
    args = parser.parse_args(argv)
    sources, references = read_split(args.data / "test.jsonl")
    lexicon = {nl.lower(): en for _, nl, en in dictionary_pairs(args.freedict) if " " not in nl}
    settings = dict(beam_size=4, inter_threads=2, intra_threads=1)
    rows = []
    with tempfile.TemporaryDirectory(prefix="refeval-") as scratch:
        models = unpack(args.package, Path(scratch) / "reference")
        engine = ArgosEngine(EngineSettings(models_dir=str(models), **settings))
        model_output, seconds = decode_timed(engine, sources)
        systems = {
            "copy the Dutch": sources,
            "word-by-word FreeDict": word_by_word(sources, lexicon),
            "reference model (beam 4)": model_output,
        }
        for name, hypotheses in systems.items():
            bleu = BLEU().corpus_score(hypotheses, [references]).score
            chrf = CHRF().corpus_score(hypotheses, [references]).score
            rows.append(f"| {name} | {bleu:.1f} | {chrf:.1f} |")
        if args.hypotheses:
            args.hypotheses.write_text("\n".join(model_output) + "\n", encoding="utf-8")
        words = sum(len(h.split()) for h in model_output)
        speed = [
            f"| reference (d256, 4+2 layers, int8) | {len(sources) / seconds:.1f} | "
            f"{words / seconds:.0f} |"
        ]
        sample = sources[: args.speed_sentences]
        support = Path(__file__).resolve().parent.parent / "tests" / "support"
        sys.path.insert(0, str(support))  # test support: not in the package
        from seeded_model import ModelShape, build_argos_package

        seeded_file = Path(scratch) / "seeded.argosmodel"
        build_argos_package(seeded_file, sources + references, shape=ModelShape.ARGOS_SIZE)
        seeded_models = unpack(seeded_file, Path(scratch) / "seeded")
        seeded = ArgosEngine(EngineSettings(models_dir=str(seeded_models), **settings))
        for name, eng in (("reference", engine), ("seeded Argos-size (6+6, d512, int8)", seeded)):
            out, secs = decode_timed(eng, sample)
            speed.append(
                f"| {name}, first {len(sample)} test segments | "
                f"{len(sample) / secs:.1f} | {sum(len(o.split()) for o in out) / secs:.0f} |"
            )
    print(
        f"Test split: {len(sources)} segments, {sum(len(r.split()) for r in references)} "
        "English words\n"
    )
    print("| system | BLEU | chrF |\n| --- | --- | --- |")
    print("\n".join(rows))
    print("\n| decoding (beam 4, 2 workers × 1 thread) | segments/s | English words/s |")
    print("| --- | --- | --- |")
    print("\n".join(speed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
