"""False alarms of the QA checks on professional translations: flags per 1,000 paragraphs.

Each (Dutch, English) pair of the LibreOffice help corpus (refmodel/data test and
dev, human translations, no MT) becomes a `Paragraph` the way the pipeline builds one
(`segment_text`); where the English has as many sentences as the Dutch, they are paired
as sentence targets, as engine output would be. A good check is nearly silent here.
The same pairs, broken the way NMT breaks text (a sentence dropped, a word doubled...),
measure whether each check still catches its defect.
Run as `python benchmarks/bench_qa.py [--examples N] [--check NAME] [FILE.jsonl ...]`.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # runnable from a checkout without installing the package

from toolkit.document import Paragraph  # noqa: E402
from toolkit.lang.en import GRAMMATICAL_DOUBLES  # noqa: E402
from toolkit.qa import CHECKS, QAFlag, risk_score, run_checks  # noqa: E402
from toolkit.qa.base import english_sentences  # noqa: E402
from toolkit.qa.numbers import dutch_numbers, english_numbers  # noqa: E402
from toolkit.segment import segment_text  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "refmodel" / "data"
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


def _dropped_last_sentence(paragraph: Paragraph) -> str | None:
    english = english_sentences(paragraph.target)
    return " ".join(english[:-1]) if len(paragraph.sentences) > 1 and len(english) > 1 else None


def _cut_off(paragraph: Paragraph) -> str | None:
    words = paragraph.target.split()
    if len(words) < 6 or not paragraph.target.endswith((".", "?", "!")):
        return None
    return " ".join(words[: len(words) * 3 // 5])


def _doubled_word(paragraph: Paragraph) -> str | None:
    words = paragraph.target.split()
    middle = len(words) // 2
    if len(words) < 4 or not words[middle].isalpha() or words[middle] in GRAMMATICAL_DOUBLES:
        return None
    return " ".join(words[:middle] + [words[middle]] + words[middle:])


def _dutch_notation(paragraph: Paragraph) -> str | None:
    target = paragraph.target
    for number in dutch_numbers(paragraph.source):
        english = number.english.split(" or ")[0]
        if number.written != english and english in target:
            return target.replace(english, number.written)
    return None


def _number_dropped(paragraph: Paragraph) -> str | None:
    numbers = english_numbers(paragraph.target)
    return paragraph.target.replace(numbers[0].written, "", 1) if numbers else None


def _end_mark_changed(paragraph: Paragraph) -> str | None:
    if not paragraph.source.endswith(".") or not paragraph.target.endswith("."):
        return None
    return paragraph.target[:-1] + "?"


def _copied(paragraph: Paragraph) -> str | None:
    return paragraph.source


# (defect, the check that should catch it, how to make it from a professional pair)
DEFECTS: list[tuple[str, str, Callable[[Paragraph], str | None]]] = [
    ("English = the Dutch copied", "untranslated", _copied),
    ("last sentence dropped", "dropped", _dropped_last_sentence),
    ("cut off at 60% of the words", "dropped", _cut_off),
    ("a word doubled", "repetition", _doubled_word),
    ("number left in Dutch notation", "numbers", _dutch_notation),
    ("a number dropped", "numbers", _number_dropped),
    ("'.' became '?'", "punctuation", _end_mark_changed),
]


def defect_recall(pairs: list[tuple[str, str]]) -> list[tuple[str, str, int, int]]:
    """(defect, check, cases, caught): each defect made from every pair it applies to."""
    results = []
    for defect, check, make in DEFECTS:
        cases = caught = 0
        for dutch, english in pairs:
            paragraph = paragraph_from_pair(dutch, english)
            bad = make(paragraph)
            if bad is None:
                continue
            cases += 1
            broken = paragraph_from_pair(dutch, bad)
            caught += any(flag.check == check for flag in run_checks(broken, checks=[check]))
        results.append((defect, check, cases, caught))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--examples", type=int, default=0, help="flagged examples per check")
    parser.add_argument("--check", action="append", help="only show examples of this check")
    parser.add_argument("--no-defects", action="store_true", help="skip the synthetic defects")
    args = parser.parse_args(argv)

    flagged: dict[str, list[tuple[QAFlag, Paragraph]]] = {name: [] for name in CHECKS}
    paragraphs_with: Counter[str] = Counter()
    scores = []
    total = 0
    pairs = []
    for path in args.files:
        for line in path.read_text(encoding="utf-8").splitlines():
            pair = json.loads(line)
            if not pair["nl"].strip():
                continue
            pairs.append((pair["nl"], pair["en"]))
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

    if not args.no_defects:
        print("\nsynthetic defects made from the same pairs: share caught by the check")
        print(f"{'defect':<32}{'check':<14}{'cases':>7}{'caught':>9}")
        for defect, check, cases, caught in defect_recall(pairs):
            share = f"{100 * caught / cases:.1f}%" if cases else "-"
            print(f"{defect:<32}{check:<14}{cases:>7}{share:>9}")

    rng = random.Random(SEED)
    for name in args.check or list(CHECKS):
        shown = (
            flagged[name]
            if len(flagged[name]) <= args.examples
            else rng.sample(flagged[name], args.examples)
        )
        for flag, paragraph in shown[: args.examples]:
            print(f"\n[{flag}]\n  nl: {paragraph.source[:300]}\n  en: {paragraph.target[:300]}")


if __name__ == "__main__":
    main()
