"""Mine Dutch→English software-term candidates from the training pairs, for curation by hand.

For frequent Dutch words of the help pages, the English word or word pair that co-occurs
with them most consistently (Dice coefficient over pairs) is proposed, with how many test
pairs carry both. The curated result is `glossary/software-nl-en.tsv`; this script only
prints candidates, a person chooses.

    python refmodel/mine_terms.py --data refmodel/data | head -150
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

WORD = re.compile(r"[^\W\d_][\w-]*", re.UNICODE)
DUTCH_STOP = set(
    """de het een en van in op te is dat die met voor zijn aan er niet u als om
bij of ook door dan naar uit kan worden wordt deze dit tot over kunt moet meer geen nog
hun hem haar ze wij we zij hier daar waar wanneer welke alle andere zoals alleen""".split()
)
ENGLISH_STOP = set(
    """the a an and of in on to is that with for be are as or by you can this
from at it not if your which when will all other its into then than has have was only""".split()
)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("refmodel/data"))
    parser.add_argument("--min-count", type=int, default=40)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in (args.data / "train.jsonl").open(encoding="utf-8")]
    test = [json.loads(line) for line in (args.data / "test.jsonl").open(encoding="utf-8")]
    dutch_count: Counter[str] = Counter()
    english_count: Counter[str] = Counter()
    joint: Counter[tuple[str, str]] = Counter()
    for row in rows:
        nl = {w for w in words(row["nl"]) if w not in DUTCH_STOP and len(w) > 4}
        en_words = words(row["en"])
        en = {w for w in en_words if w not in ENGLISH_STOP and len(w) > 2}
        en |= {
            f"{a} {b}"
            for a, b in zip(en_words, en_words[1:], strict=False)
            if a not in ENGLISH_STOP and b not in ENGLISH_STOP
        }
        dutch_count.update(nl)
        english_count.update(en)
        joint.update((n, e) for n in nl for e in en)
    best: dict[str, tuple[float, str]] = {}
    for (n, e), both in joint.items():
        if dutch_count[n] < args.min_count or both < args.min_count // 2:
            continue
        dice = 2 * both / (dutch_count[n] + english_count[e])
        if dice > best.get(n, (0.0, ""))[0]:
            best[n] = (dice, e)
    for n, (dice, e) in sorted(best.items(), key=lambda item: -item[1][0]):
        in_test = sum(n in words(r["nl"]) and e in r["en"].lower() for r in test)
        print(f"{dice:.2f}\t{dutch_count[n]}\t{in_test}\t{n}\t{e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
