"""Build the unseen-text benchmark: the Debian Edu 12 (bookworm) manual, Dutch and English.

`debian-edu-doc-nl` and `debian-edu-doc-en` are held out of every training corpus
(`refmodel/build_corpus.py` refuses them), so neither the bundled model nor any model the
project trains has seen this text. The manual's HTML has the same 194 section `<div>`s in
both languages in the same order: sections are aligned by order, then the blocks of a
section (paragraphs, headings, list items and table cells that hold no paragraph) by
position, in sections whose block counts agree. Pairs that are not Dutch-to-English prose
(commands, URLs, identical text) or whose lengths disagree are dropped. Output: one JSON
object per line, `{"doc": "debian-edu:SECTION-ID", "nl": ..., "en": ...}`, committed as
`benchmarks/unseen/debian-edu.jsonl` so the benchmark runs offline.

    apt-get download debian-edu-doc-nl debian-edu-doc-en
    dpkg-deb -x debian-edu-doc-nl_*.deb x/debian-edu-doc-nl
    dpkg-deb -x debian-edu-doc-en_*.deb x/debian-edu-doc-en
    python benchmarks/unseen/build.py --packages x [--out benchmarks/unseen/debian-edu.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

HERE = Path(__file__).resolve().parent
MANUAL = "usr/share/doc/debian-edu-doc-{lang}/debian-edu-bookworm-manual.html"
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
UTF8_HTML = lxml_html.HTMLParser(encoding="utf-8")
MIN_LETTERS = 12  # shorter blocks are labels ("Xfce", "LTSP"), not text to translate


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def sections(path: Path) -> list[tuple[str, list[str]]]:
    """Each section `<div>` in document order: its id and its own blocks' text (blocks of
    sections nested in it belong to those)."""
    if not path.is_file():
        raise SystemExit(f"{path}: not found; extract debian-edu-doc-nl/-en with dpkg-deb -x")
    try:
        tree = lxml_html.parse(str(path), parser=UTF8_HTML)
    except (OSError, etree.ParserError) as error:
        raise SystemExit(f"{path}: cannot parse the manual's HTML ({error})") from None
    found = []
    for section in tree.xpath('//div[@class="section"]'):
        anchor = section.xpath("string(.//*[self::h2 or self::h3 or self::h4][1]//a/@id)")
        blocks = [clean(e.text_content()) for e in section.iter() if _is_block(e, section)]
        found.append((anchor or f"s{len(found)}", blocks))
    return found


def _is_block(element, section) -> bool:
    if not isinstance(element.tag, str):
        return False
    owner = next(element.iterancestors("div"), None)
    while owner is not None and owner.get("class") != "section":
        owner = next(owner.iterancestors("div"), None)
    if owner is not section:
        return False  # a nested section's, or outside
    if element.tag == "p" or element.tag in HEADINGS:
        return not any(a.tag == "p" for a in element.iterancestors())
    if element.tag in ("li", "td", "th"):
        return not any(d.tag == "p" for d in element.iterdescendants())
    return False


def prose(dutch: str, english: str) -> bool:
    """Text a translator would translate, plausibly aligned."""
    if dutch == english:
        return False  # commands, names, untranslated leftovers
    letters = sum(c.isalpha() for c in dutch), sum(c.isalpha() for c in english)
    if min(letters) < MIN_LETTERS:
        return False
    if re.fullmatch(r"\S+", dutch) or "://" in dutch and len(dutch.split()) < 4:
        return False
    ratio = len(dutch) / len(english)
    return 0.7 <= ratio <= 1.8 and len(dutch.split()) <= 150


def pairs(nl_manual: Path, en_manual: Path) -> tuple[list[dict[str, str]], dict[str, int]]:
    nl_sections, en_sections = sections(nl_manual), sections(en_manual)
    if len(nl_sections) != len(en_sections):
        raise SystemExit(
            f"{nl_manual}: {len(nl_sections)} sections against {len(en_sections)} in "
            f"{en_manual}; this script expects the bookworm manual of the same release"
        )
    rows, seen = [], set()
    counts = {"sections": len(nl_sections), "sections aligned": 0, "blocks": 0, "kept": 0}
    for (anchor, nl_blocks), (_, en_blocks) in zip(nl_sections, en_sections, strict=True):
        if len(nl_blocks) != len(en_blocks):
            continue
        counts["sections aligned"] += 1
        counts["blocks"] += len(nl_blocks)
        for dutch, english in zip(nl_blocks, en_blocks, strict=True):
            if not prose(dutch, english) or dutch in seen:
                continue
            seen.add(dutch)
            rows.append({"doc": f"debian-edu:{anchor}", "nl": dutch, "en": english})
    counts["kept"] = len(rows)
    return rows, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=Path, required=True,
                        help="folder holding debian-edu-doc-nl/ and debian-edu-doc-en/ "
                             "as dpkg-deb -x extracted them")  # fmt: skip
    parser.add_argument("--out", type=Path, default=HERE / "debian-edu.jsonl")
    args = parser.parse_args(argv)
    rows, counts = pairs(
        args.packages / "debian-edu-doc-nl" / MANUAL.format(lang="nl"),
        args.packages / "debian-edu-doc-en" / MANUAL.format(lang="en"),
    )
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=args.out.parent,
                                     delete=False, suffix=".tmp") as out:  # fmt: skip
        out.write(text)
    os.chmod(out.name, 0o644)  # a data file of the repository, not a private one
    os.replace(out.name, args.out)
    print(", ".join(f"{k} {v}" for k, v in counts.items()) + f" → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
