"""Adaptation gain and forgetting: `toolkit model adapt` on Tatoeba, scored on four test sets.

`prepare` splits the Tatoeba nld-eng test pairs (Helsinki-NLP/OPUS-MT-testsets,
tatoeba-test-v2021-08-07, sorted by Dutch) by line: even lines are the adaptation half, odd
lines the test half; 1,000 adaptation pairs are every 6th even line, 2,000 test pairs every
3rd odd line. FLORES-200 devtest and NTREX-128 are only ever scored, never adapted on.
`score` translates each set with each named installed model through the toolkit's Argos
engine (beam 4, as `toolkit translate --no-glossary` decodes) and prints chrF as Markdown.

    python benchmarks/bench_adapt.py prepare --testsets DIR --out /tmp/adapt-demo
    toolkit model adapt --from /tmp/adapt-demo/tatoeba-adapt.nl --minutes 12 --name demo
    python benchmarks/bench_adapt.py score --data /tmp/adapt-demo --models BASE demo

DIR holds the files as the repository names them, flattened: `tatoeba.nld`, `tatoeba.eng`
(testsets/eng-nld/tatoeba-test-v2021-08-07.*), `flores.nld`, `flores.eng`
(testsets/flores200_dataset/devtest/{nld,eng}.devtest), `ntrex.nld`, `ntrex.eng`
(datasets/microsoft/ntrex/NTREX/NTREX-128/newstest2019-{ref.nld,src.eng}.txt).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from sacrebleu.metrics import CHRF

from toolkit.engines.argos import ArgosEngine
from toolkit.engines.base import EngineSettings

REPO = Path(__file__).resolve().parents[1]
ADAPT_PAIRS, TEST_PAIRS = 1000, 2000


def prepare(testsets: Path, out: Path) -> None:
    dutch = (testsets / "tatoeba.nld").read_text(encoding="utf-8").splitlines()
    english = (testsets / "tatoeba.eng").read_text(encoding="utf-8").splitlines()
    if len(dutch) != len(english):
        raise SystemExit("tatoeba.nld and tatoeba.eng differ in length")
    lines = list(zip(dutch, english, strict=True))
    adapt = [pair for i, pair in enumerate(lines) if i % 12 == 0][:ADAPT_PAIRS]
    test = [pair for i, pair in enumerate(lines) if i % 6 == 1][:TEST_PAIRS]
    out.mkdir(parents=True, exist_ok=True)
    for name, pairs in (("tatoeba-adapt", adapt), ("tatoeba-test", test)):
        for side, column in (("nl", 0), ("en", 1)):
            text = "".join(pair[column] + "\n" for pair in pairs)
            (out / f"{name}.{side}").write_text(text, encoding="utf-8")
    for name in ("flores", "ntrex"):
        for side, suffix in (("nl", "nld"), ("en", "eng")):
            text = (testsets / f"{name}.{suffix}").read_text(encoding="utf-8")
            (out / f"{name}.{side}").write_text(text, encoding="utf-8")
    print(f"{len(adapt)} adaptation pairs, {len(test)} Tatoeba test pairs in {out}")


def test_sets(data: Path) -> dict[str, tuple[list[str], list[str]]]:
    sets = {}
    for label, stem in (
        ("Tatoeba test half (2,000)", "tatoeba-test"),
        ("FLORES-200 devtest", "flores"),
        ("NTREX-128", "ntrex"),
    ):
        sets[label] = (
            (data / f"{stem}.nl").read_text(encoding="utf-8").splitlines(),
            (data / f"{stem}.en").read_text(encoding="utf-8").splitlines(),
        )
    rows = [json.loads(line) for line in (REPO / "refmodel/data/test.jsonl").open(encoding="utf-8")]
    sets["refmodel test split (original domain)"] = (
        [r["nl"] for r in rows],
        [r["en"] for r in rows],
    )
    return sets


def score(data: Path, models: list[str], models_dir: str | None) -> None:
    sets = test_sets(data)
    scores: dict[str, dict[str, float]] = {}
    for model in models:
        engine = ArgosEngine(
            EngineSettings(models_dir=models_dir, model=model, inter_threads=2, intra_threads=1)
        )
        for label, (sources, references) in sets.items():
            started = time.perf_counter()
            hypotheses = [t.text for t in engine.translate(sources)]
            value = CHRF().corpus_score(hypotheses, [references]).score
            scores.setdefault(label, {})[model] = value
            print(
                f"{model} · {label}: chrF {value:.1f} ({time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
    print("| test set | " + " | ".join(models) + " |")
    print("| --- |" + " --- |" * len(models))
    for label, by_model in scores.items():
        print(f"| {label} | " + " | ".join(f"{by_model[m]:.1f}" for m in models) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prepare_command = commands.add_parser("prepare")
    prepare_command.add_argument("--testsets", type=Path, required=True)
    prepare_command.add_argument("--out", type=Path, required=True)
    score_command = commands.add_parser("score")
    score_command.add_argument("--data", type=Path, required=True)
    score_command.add_argument("--models", nargs="+", required=True)
    score_command.add_argument("--models-dir")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        prepare(args.testsets, args.out)
    else:
        score(args.data, args.models, args.models_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
