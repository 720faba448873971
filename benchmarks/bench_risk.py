"""Does the risk score rank the machine output a reviewer should see first? Calibration
against sentence-level chrF on the reference model's test split.

Each Dutch row of the test split (`nl`/`en` fields) becomes a document, is translated
by the Argos engine on the given `.argosmodel` through `toolkit.stages.process.process`
(the QA stage included, no glossary), and gets the risk the pipeline gives it. Reported:
the Spearman correlation of risk with chrF against the human English (negative is good:
riskier output scores lower), the same for the QA flags alone and the engine's confidence
alone, and how much of the worst 20% by chrF the top 20% by risk catches (chance: 20%).
Ties in risk are broken by a fixed random order, so the catch rate is not flattered.

    python benchmarks/bench_risk.py toolkit/data/translate-nl_en-reference.argosmodel \
        [--data refmodel/data/test.jsonl] [--limit N] [--beam-size 4]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # runnable from a checkout without installing the package

from toolkit.document import Document  # noqa: E402
from toolkit.engines.argos import ArgosEngine  # noqa: E402
from toolkit.engines.base import EngineSettings  # noqa: E402
from toolkit.qa import risk_score, run_checks  # noqa: E402
from toolkit.qa.confidence import rescore, sentence_log_probs  # noqa: E402
from toolkit.segment import segment_text  # noqa: E402
from toolkit.stages.process import process  # noqa: E402
from toolkit.stages.settings import StageSettings  # noqa: E402

DEFAULT_DATA = REPO / "refmodel" / "data" / "test.jsonl"
SHARE = 0.2  # the worst fifth by chrF, the top fifth by risk
TIE_SEED = 20241201


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties given their average rank (as Spearman's rho needs)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rho: Pearson's correlation of the ranks; NaN when either side is constant."""
    rx, ry = ranks(x), ranks(y)
    if len(set(rx)) < 2 or len(set(ry)) < 2:
        return float("nan")
    return statistics.correlation(rx, ry)


def catch_rate(risks: Sequence[float], chrf: Sequence[float], share: float = SHARE) -> float:
    """Of the `share` worst rows by chrF, the part that is also in the top `share` by risk."""
    count = max(1, round(share * len(risks)))
    tie_break = list(range(len(risks)))
    random.Random(TIE_SEED).shuffle(tie_break)
    worst = set(sorted(range(len(chrf)), key=lambda i: (chrf[i], tie_break[i]))[:count])
    riskiest = set(sorted(range(len(risks)), key=lambda i: (-risks[i], tie_break[i]))[:count])
    return len(worst & riskiest) / count


def unpack(package: Path, into: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(into)
    return into


def main(argv: list[str] | None = None) -> int:
    from sacrebleu.metrics import CHRF

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package", type=Path, help="an nl→en .argosmodel file")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="first N rows only (0: all)")
    parser.add_argument("--beam-size", type=int, default=4)
    parser.add_argument("--max-decoding-length", type=int, default=256)
    args = parser.parse_args(argv)
    if not args.package.is_file():
        print(f"{args.package}: no such package file; give an .argosmodel", file=sys.stderr)
        return 2
    rows = [json.loads(line) for line in args.data.open(encoding="utf-8")]
    rows = [r for r in rows if r["nl"].strip() and r["en"].strip()]
    if args.limit:
        rows = rows[: args.limit]

    with tempfile.TemporaryDirectory(prefix="bench-risk-") as scratch:
        models = unpack(args.package, Path(scratch) / "models")
        settings = EngineSettings(
            models_dir=str(models),
            beam_size=args.beam_size,
            max_decoding_length=args.max_decoding_length,
        )
        engine = ArgosEngine(settings)
        documents = [segment_text(r["nl"], name=f"row{i}") for i, r in enumerate(rows)]
        started = time.perf_counter()
        process(documents, engine, StageSettings())
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        confidences = _confidences(documents, engine)
        rescoring = time.perf_counter() - started  # what the QA stage's rescoring adds

    metric = CHRF()
    english = [" ".join(p.target for p in d.paragraphs if p.target) for d in documents]
    chrf = [metric.sentence_score(e, [r["en"]]).score for e, r in zip(english, rows, strict=True)]
    risks = [max((p.risk or 0) for p in d.paragraphs) for d in documents]
    flags_only = [_flags_only(d) for d in documents]
    checks = Counter(f.split(":", 1)[0] for d in documents for p in d.paragraphs for f in p.flags)

    print(f"{args.package.name} on {args.data} ({len(rows)} rows, beam {args.beam_size}); "
          f"decoded and checked in {seconds:.0f} s, of which rescoring the English about "
          f"{rescoring:.0f} s")  # fmt: skip
    print(f"corpus chrF {metric.corpus_score(english, [[r['en'] for r in rows]]).score:.1f}; "
          f"mean sentence chrF {statistics.mean(chrf):.1f}")  # fmt: skip
    bands = dict(sorted(Counter(min(r // 20, 4) * 20 for r in risks).items()))
    print(f"risk: median {statistics.median(risks)}, bands (lowest risk of each) {bands}")
    print(f"flags by check: {dict(checks.most_common())}")
    print()
    print("| ranking | Spearman rho with chrF | worst 20% by chrF caught by top 20% |")
    print("| --- | --- | --- |")
    for name, values in (
        ("risk (flags + confidence)", risks),
        ("QA flags only", flags_only),
        ("engine confidence only (-mean log-prob)", [-c for c in confidences]),
    ):
        print(f"| {name} | {spearman(values, chrf):+.3f} | {catch_rate(values, chrf):.0%} |")
    print(f"| chance | 0 | {SHARE:.0%} |")
    return 0


def _confidences(documents: Sequence[Document], engine: ArgosEngine) -> list[float]:
    """Each row's worst sentence mean log-probability per token, as the QA stage reads it."""
    paragraphs = [p for d in documents for p in d.paragraphs if p.target]
    rescored = rescore(paragraphs, engine)
    worst = []
    for document in documents:
        values = [v for p in document.paragraphs for v in sentence_log_probs(p, rescored=rescored)]
        worst.append(min(values) if values else 0.0)
    return worst


def _flags_only(document: Document) -> int:
    return max((risk_score(p, run_checks(p)) for p in document.paragraphs if p.target), default=0)


if __name__ == "__main__":
    sys.exit(main())
