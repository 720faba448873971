"""Terms, chrF cost, time and risk on text and models the project never tuned on, beside
the same figures on its own test split.

    python benchmarks/bench_unseen.py [--package PATH ...] [--sets unseen,own] [--limit N]

Sets (which data is used for what is stated in BENCHMARKS.md):
- **unseen**: the Debian Edu 12 manual (`benchmarks/unseen/debian-edu.jsonl`, built by
  `benchmarks/unseen/build.py` from packages held out of every training corpus) with its
  hand-curated glossary `benchmarks/unseen/glossary.tsv`. Reporting only: nothing is fitted
  or tuned on it.
- **own**: the reference corpus' held-out test split (`refmodel/data/test.jsonl`) with
  `glossary/software-nl-en.tsv`, as `bench_reference_terms.py` uses them. Reporting only
  (the risk weights are fitted on the dev split, `benchmarks/fit_risk.py`).

Packages (default: the bundled reference model and `benchmarks/models/reference-r4.argosmodel`,
the model bundled before it): each is installed into its own temporary models folder and
run through `toolkit.stages.process.process`, the function `toolkit translate` calls, as
three whole runs per set: plain (no glossary), the default enforcement budget, and budget
`none` (no cap). Each row of a set is one document.

Term accuracy is the toolkit's own checker (`glossary.check.check_occurrences`, exact match,
each occurrence its own English span) per sentence, over the paragraphs whose reference
English uses the glossary's rendering for every occurrence (WMT 2021 style), for all three
runs alike. chrF is sacrebleu's corpus chrF over every row. Time is the `process` call's wall
time over the plain run's. Risk is the paragraph risk the run wrote (the QA stage's), judged
against sentence chrF: Spearman's rho (negative is good), how much of the worst 10% by chrF
the riskiest 10% holds, and the mean risk of rows below chrF 30 and at or above 55.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_risk import catch_rate, spearman  # noqa: E402

from toolkit.document import Document  # noqa: E402
from toolkit.engines.argos import ArgosEngine  # noqa: E402
from toolkit.engines.base import EngineSettings  # noqa: E402
from toolkit.glossary.check import check_occurrences  # noqa: E402
from toolkit.glossary.match import Occurrence, TermMatcher  # noqa: E402
from toolkit.glossary.model import Glossary  # noqa: E402
from toolkit.glossary.tsv import read_glossary  # noqa: E402
from toolkit.segment import segment_text  # noqa: E402
from toolkit.stages.enforce import DEFAULT_BUDGET  # noqa: E402
from toolkit.stages.process import match_terms, process  # noqa: E402
from toolkit.stages.settings import StageSettings  # noqa: E402

SETS = {
    "unseen": (
        REPO / "benchmarks/unseen/debian-edu.jsonl",
        REPO / "benchmarks/unseen/glossary.tsv",
    ),
    "own": (REPO / "refmodel/data/test.jsonl", REPO / "glossary/software-nl-en.tsv"),
}
DEFAULT_PACKAGES = [
    REPO / "toolkit/data/translate-nl_en-reference.argosmodel",
    REPO / "benchmarks/models/reference-r4.argosmodel",
]
# (name, use the glossary, enforcement budget)
RUNS = [("plain", False, None), ("default", True, DEFAULT_BUDGET), ("none", True, None)]
WORST_SHARE = 0.1
GARBAGE_CHRF, USABLE_CHRF = 30.0, 55.0


@dataclass
class Outcome:
    """One whole run of one package over one set."""

    correct: int
    total: int
    chrf: float
    seconds: float
    sentence_chrf: list[float]
    risks: list[int]


def load_rows(path: Path, limit: int) -> list[dict[str, str]]:
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    rows = [r for r in rows if r["nl"].strip() and r["en"].strip()]
    if limit and limit < len(rows):  # every k-th row: the whole text's mix, not its opening
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    return rows


def term_rows(rows: Sequence[dict[str, str]], matcher: TermMatcher) -> list[int]:
    """Rows whose reference English meets every glossary occurrence of its Dutch."""
    chosen = []
    for index, row in enumerate(rows):
        found = matcher.find(row["nl"])
        if found and all(c.met for c in check_occurrences(row["en"], found)):
            chosen.append(index)
    return chosen


def accuracy(documents: Sequence[Document], glossary: Glossary) -> tuple[int, int]:
    """Occurrences met in the final English, sentence by sentence, by the toolkit's checker."""
    by_source = {e.source: e for e in glossary.entries}
    correct = total = 0
    for sentence in (s for d in documents for s in d.sentences):
        occurrences = [
            Occurrence(by_source[t.source_term], t.surface, t.start, t.end, t.exempt)
            for t in sentence.terms
        ]
        for check in check_occurrences(sentence.target, occurrences, glossary.entries):
            if check.status != "exempt":
                total += 1
                correct += check.met
    return correct, total


def run_once(
    engine: ArgosEngine,
    rows: Sequence[dict[str, str]],
    glossary: Glossary,
    terms: Sequence[int],
    use_glossary: bool,
    budget: float | None,
) -> Outcome:
    from sacrebleu.metrics import CHRF

    documents = [segment_text(r["nl"], name=f"row{i}") for i, r in enumerate(rows)]
    started = time.perf_counter()
    process(documents, engine, StageSettings(glossary if use_glossary else None, budget))
    seconds = time.perf_counter() - started
    matcher = TermMatcher(glossary.entries)
    judged = [documents[i] for i in terms]
    if not use_glossary:
        match_terms(judged, matcher)  # the plain English, checked for the same occurrences
    correct, total = accuracy(judged, glossary)
    english = [" ".join(p.target for p in d.paragraphs if p.target) for d in documents]
    references = [r["en"] for r in rows]
    metric = CHRF()
    return Outcome(
        correct=correct,
        total=total,
        chrf=metric.corpus_score(english, [references]).score,
        seconds=seconds,
        sentence_chrf=[
            metric.sentence_score(e, [ref]).score
            for e, ref in zip(english, references, strict=True)
        ],
        risks=[max((p.risk or 0) for p in d.paragraphs) for d in documents],
    )


def risk_figures(outcome: Outcome) -> dict[str, float]:
    chrf, risks = outcome.sentence_chrf, outcome.risks
    garbage = [r for r, c in zip(risks, chrf, strict=True) if c < GARBAGE_CHRF]
    usable = [r for r, c in zip(risks, chrf, strict=True) if c >= USABLE_CHRF]
    return {
        "spearman": spearman(risks, chrf),
        "catch": catch_rate(risks, chrf, WORST_SHARE),
        "garbage_n": len(garbage),
        "garbage_risk": statistics.mean(garbage) if garbage else float("nan"),
        "usable_n": len(usable),
        "usable_risk": statistics.mean(usable) if usable else float("nan"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--package", type=Path, action="append",
                        help="an nl→en .argosmodel (repeatable; default: the bundled model "
                             "and benchmarks/models/reference-r4.argosmodel)")  # fmt: skip
    parser.add_argument("--sets", default="unseen,own", help="comma-separated: unseen, own")
    parser.add_argument(
        "--limit", type=int, default=0, help="N rows per set, evenly spread (0: all)"
    )
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args(argv)
    packages = args.package or DEFAULT_PACKAGES
    sets = [s.strip() for s in args.sets.split(",") if s.strip()]
    for name in sets:
        if name not in SETS:
            print(f"--sets: unknown set {name!r}; choose from {', '.join(SETS)}", file=sys.stderr)
            return 2
    for package in packages:
        if not zipfile.is_zipfile(package):
            print(f"{package}: not an .argosmodel (zip) file; give a package path", file=sys.stderr)
            return 2

    term_lines, risk_lines, record = [], [], []
    for set_name in sets:
        data, glossary_path = SETS[set_name]
        rows = load_rows(data, args.limit)
        glossary = read_glossary(glossary_path)
        terms = term_rows(rows, TermMatcher(glossary.entries))
        print(f"{set_name}: {len(rows)} rows of {data.relative_to(REPO)}, {len(terms)} with terms "
              f"the reference renders as {glossary_path.relative_to(REPO)} "
              f"({len(glossary.entries)} entries) requires", file=sys.stderr)  # fmt: skip
        for package in packages:
            with tempfile.TemporaryDirectory(prefix="bench-unseen-") as scratch:
                with zipfile.ZipFile(package) as archive:
                    archive.extractall(scratch)
                engine = ArgosEngine(EngineSettings(models_dir=scratch, beam_size=4))
                engine.translate(["Opslaan"])  # load the model outside the timings
                outcomes = {
                    name: run_once(engine, rows, glossary, terms, use, budget)
                    for name, use, budget in RUNS
                }
            plain, default, none = outcomes["plain"], outcomes["default"], outcomes["none"]
            cells = [f"{100 * o.correct / max(o.total, 1):.1f}%" for o in (plain, default, none)]
            term_lines.append(
                f"| {set_name} | {package.name} | {plain.total} | {' | '.join(cells)} "
                f"| {plain.chrf:.1f} | {default.chrf - plain.chrf:+.1f} "
                f"| {none.chrf - plain.chrf:+.1f} "
                f"| {plain.seconds:.1f} s | {default.seconds / plain.seconds:.2f}× "
                f"| {none.seconds / plain.seconds:.2f}× |"
            )  # fmt: skip
            for run_name in ("plain", "default"):
                figures = risk_figures(outcomes[run_name])
                risk_lines.append(
                    f"| {set_name} | {package.name} | {run_name} | {len(rows)} "
                    f"| {figures['spearman']:+.3f} | {figures['catch']:.0%} "
                    f"| {figures['garbage_risk']:.0f} ({figures['garbage_n']}) "
                    f"| {figures['usable_risk']:.0f} ({figures['usable_n']}) |"
                )
                record.append({"set": set_name, "package": str(package), "run": run_name,
                               **figures})  # fmt: skip
            for name, outcome in outcomes.items():
                record.append({"set": set_name, "package": str(package), "run": name,
                               "correct": outcome.correct, "total": outcome.total,
                               "chrf": outcome.chrf, "seconds": outcome.seconds})  # fmt: skip
            print(term_lines[-1], file=sys.stderr)

    print("| set | model | term occurrences | terms, plain | terms, default enforcement "
          "| terms, budget none | chrF plain | chrF Δ default | chrF Δ none | plain time "
          "| time default / plain | time none / plain |")  # fmt: skip
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(term_lines))
    print()
    print(
        f"| set | model | run | paragraphs | Spearman(risk, chrF) | worst 10% in riskiest 10% "
        f"| mean risk, chrF < {GARBAGE_CHRF:.0f} (n) | mean risk, chrF ≥ {USABLE_CHRF:.0f} (n) |"
    )
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(risk_lines))
    if args.json:
        args.json.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
