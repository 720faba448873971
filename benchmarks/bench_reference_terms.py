"""Terminology benchmark on the reference model (WMT 2021 style): each enforcement step's worth.

    python benchmarks/bench_reference_terms.py \
        [--package toolkit/data/translate-nl_en-reference.argosmodel] \
        [--glossary glossary/software-nl-en.tsv] [--data refmodel/data] [--limit N]

Test paragraphs are the held-out test split's pairs whose Dutch holds a glossary term and
whose professional English uses the required rendering for every occurrence. For the raw
model, each enforcement step added in turn, and the full cascade, it reports exact-match
term accuracy (each occurrence needs its own allowed English span), chrF against the
reference, and the decoding time the configuration costs. The engine is the toolkit's own
Argos adapter on the installed package, so this measures what users get.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sacrebleu.metrics import CHRF  # noqa: E402

from toolkit.document import Document  # noqa: E402
from toolkit.engines.argos import ArgosEngine  # noqa: E402
from toolkit.engines.base import EngineSettings  # noqa: E402
from toolkit.glossary.check import check_occurrences  # noqa: E402
from toolkit.glossary.match import Occurrence, TermMatcher  # noqa: E402
from toolkit.glossary.tsv import read_glossary  # noqa: E402
from toolkit.segment import segment_text  # noqa: E402
from toolkit.stages.enforce import DEFAULT_BUDGET, STEPS, Enforcer  # noqa: E402
from toolkit.stages.process import length_sorted_chunks, match_terms, translate  # noqa: E402

# (name, steps, enforcement budget, first pass annotated): each step's worth is measured with
# no budget; then the full cascade at the default budget, as `toolkit translate` runs it. The
# first pass is annotated (`penseel ⟦ brush ⟧`) only for a model trained with annotations, as
# `toolkit translate` does; for any other model those rows are the plain ones.
CONFIGURATIONS = (
    [
        ("raw model (plain source)", (), None, False),
        ("annotated first pass only (the model on its own)", (), None, True),
    ]
    + [
        (" + ".join(STEPS[: i + 1]) + ", no budget", STEPS[: i + 1], None, True)
        for i in range(len(STEPS))
    ]
    + [
        ("plain first pass, then annotate only", ("annotate",), None, False),
        (
            "cascade without annotate/align (last round's), no budget",
            ("n-best", "place", "inject", "suppress", "post-edit"),
            None,
            False,
        ),
        (
            "injection + post-edit only (old cascade without place), no budget",
            ("n-best", "inject", "suppress", "post-edit"),
            None,
            False,
        ),
        (f"full cascade, default budget {DEFAULT_BUDGET}", STEPS, DEFAULT_BUDGET, True),
        ("full cascade, budget 0 (n-best and post-edit only)", STEPS, 0.0, True),
    ]
)


def test_pairs(data: Path, matcher: TermMatcher, limit: int | None) -> list[tuple[str, str]]:
    """Pairs whose reference renders every glossary occurrence as the glossary requires."""
    chosen = []
    for line in (data / "test.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        found = matcher.find(row["nl"])
        if found and all(c.met for c in check_occurrences(row["en"], found)):
            chosen.append((row["nl"], row["en"]))
    return chosen[:limit] if limit else chosen


def run(engine, glossary, pairs, steps, budget, annotated) -> tuple[list[Document], float]:
    """Decode, then enforce in the pipeline's chunks (the budget is per chunk)."""
    documents = [segment_text(nl, f"t{i}") for i, (nl, _) in enumerate(pairs)]
    match_terms(documents, TermMatcher(glossary.entries))
    started = time.perf_counter()
    translate(
        documents,
        engine,
        n_best=Enforcer.n_best if steps else 1,
        glossary=glossary if annotated else None,
    )
    if steps:
        enforcer = Enforcer(glossary, engine, steps, budget=budget)
        sentences = [s for d in documents for s in d.sentences]
        for chunk in length_sorted_chunks(sentences, key=lambda s: len(s.source)):
            enforcer.enforce(chunk)
    return documents, time.perf_counter() - started


def accuracy(documents, glossary) -> tuple[int, int]:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--package", type=Path, default=REPO / "toolkit/data/translate-nl_en-reference.argosmodel"
    )
    parser.add_argument("--glossary", type=Path, default=REPO / "glossary/software-nl-en.tsv")
    parser.add_argument("--data", type=Path, default=REPO / "refmodel/data")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args(argv)
    glossary = read_glossary(args.glossary)
    pairs = test_pairs(args.data, TermMatcher(glossary.entries), args.limit)
    references = [[en for _, en in pairs]]
    with tempfile.TemporaryDirectory(prefix="refterms-") as scratch:
        with zipfile.ZipFile(args.package) as archive:
            archive.extractall(scratch)
        engine = ArgosEngine(EngineSettings(models_dir=scratch, beam_size=4))
        engine.translate(["Opslaan"])  # load the model outside the timings
        rows, raw_seconds = [], None
        for name, steps, budget, annotated in CONFIGURATIONS:
            documents, seconds = run(engine, glossary, pairs, steps, budget, annotated)
            raw_seconds = raw_seconds or seconds
            correct, total = accuracy(documents, glossary)
            hypotheses = [" ".join(s.target for s in d.sentences) for d in documents]
            chrf = CHRF().corpus_score(hypotheses, references).score
            flagged = sum(
                1
                for d in documents
                for s in d.sentences
                for t in s.terms
                if t.outcome.value == "missing"
            )
            rows.append(
                f"| {name} | {100 * correct / max(total, 1):.1f}% ({correct}/{total}) "
                f"| {chrf:.1f} | {seconds:.1f} | {seconds / raw_seconds:.2f}× "
                f"| {flagged if steps else '—'} |"
            )
    print(
        f"{len(pairs)} test paragraphs, glossary {args.glossary.name} "
        f"({len(glossary.entries)} entries), beam 4\n"
    )
    print("| configuration | term accuracy | chrF | seconds | / raw | flagged missing |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
