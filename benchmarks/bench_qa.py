"""False alarms of the QA checks on professional translations: flags per 1,000 paragraphs.

Each (Dutch, English) pair of the LibreOffice help corpus (/work/corpus/data test and
dev, human translations, no MT) becomes a `Paragraph` the way the pipeline builds one
(`segment_text`); where the English has as many sentences as the Dutch, they are paired
as sentence targets, as engine output would be. A good check is nearly silent here.
Run as `python benchmarks/bench_qa.py [--examples N] [--check NAME] [FILE.jsonl ...]`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # runnable from a checkout without installing the package

from toolkit.document import Paragraph  # noqa: E402
from toolkit.qa import CHECKS, QAFlag, risk_score, run_checks  # noqa: E402
from toolkit.qa.base import english_sentences  # noqa: E402
from toolkit.segment import segment_text  # noqa: E402

CORPUS = Path("/work/corpus/data")
DEFAULT_FILES = [CORPUS / "test.jsonl", CORPUS / "dev.jsonl"]
SEED = 20240610  # which flagged examples are shown


def paragraph_from_pair(dutch: str, english: str) -> Paragraph:
    """The pipeline's paragraph for `dutch`, with `english` as its reviewed target."""
    document = segment_text(dutch, name="pair")
    paragraph = document.paragraphs[0]
    if len(document.paragraphs) > 1:  # a pair is one paragraph; keep all the Dutch if not
        paragraph.source = dutch.strip()
        paragraph.sentences = [s for p in document.paragraphs for s in p.sentences]
    paragraph.target = english.strip()
    english_split = english_sentences(paragraph.target)
    if len(english_split) == len(paragraph.sentences) > 1:
        for sentence, target in zip(paragraph.sentences, english_split, strict=True):
            sentence.target = target
        paragraph.target = " ".join(english_split)  # pySBD drops no text, only outer spaces
    return paragraph


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--examples", type=int, default=0, help="flagged examples per check")
    parser.add_argument("--check", action="append", help="only show examples of this check")
    args = parser.parse_args(argv)

    flagged: dict[str, list[tuple[QAFlag, Paragraph]]] = {name: [] for name in CHECKS}
    paragraphs_with: Counter[str] = Counter()
    scores = []
    total = 0
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            if not pair["nl"].strip():
                continue
            paragraph = paragraph_from_pair(pair["nl"], pair["en"])
            flags = run_checks(paragraph)
            total += 1
            for flag in flags:
                flagged[flag.check].append((flag, paragraph))
            paragraphs_with.update({flag.check for flag in flags})
            scores.append(risk_score(paragraph, flags))

    print(f"{total} professional paragraph pairs from {', '.join(p.name for p in args.files)}")
    print(f"{'check':<14}{'flags':>7}{'per 1,000':>11}{'paragraphs':>12}")
    for name in CHECKS:
        count = len(flagged[name])
        print(f"{name:<14}{count:>7}{1000 * count / total:>11.1f}{paragraphs_with[name]:>12}")
    any_flag = sum(1 for s in scores if s > 0)
    print(f"{'any':<14}{'':>7}{1000 * any_flag / total:>11.1f}{any_flag:>12}")
    high = sum(1 for s in scores if s >= 40)
    print(f"risk score: mean {sum(scores) / total:.1f}, {high} paragraphs at 40 or more")

    rng = random.Random(SEED)
    for name in args.check or list(CHECKS):
        shown = flagged[name] if len(flagged[name]) <= args.examples else rng.sample(
            flagged[name], args.examples
        )
        for flag, paragraph in shown[: args.examples]:
            print(f"\n[{flag}]\n  nl: {paragraph.source[:300]}\n  en: {paragraph.target[:300]}")


if __name__ == "__main__":
    main()
