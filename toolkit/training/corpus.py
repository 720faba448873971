"""Parallel data for training: read the user's files into Dutch–English pairs, clean, split.

Readers take TMX 1.4 (any tool's, `xml:lang` nl*/en*), this toolkit's PO/XLIFF/TMX/TSV
outputs (reviewed entries only: machine output must never train the machine), plain
two-column TSV and Moses pairs (`FILE.nl` + `FILE.en`), and an output folder (its reviewed
PO/XLIFF files and translation memory). A file that cannot be read as pairs is a `UserError`
naming the file (and line) and what is wrong. Pairs carry a document label, so that
held-out splits take whole documents, as `refmodel/` always did.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from toolkit.document import ReviewState
from toolkit.errors import UserError

# Consecutive pairs of one file form a pseudo-document: held-out sets take whole blocks, so
# a sentence's neighbours (same topic, often near-duplicates) never straddle train and test.
BLOCK_PAIRS = 50
OUTPUT_PATTERNS = ("*.nl-en.po", "*.nl-en.xlf", "*.nl-en.xliff", "memory.nl-en.tmx")


@dataclass(frozen=True)
class Pair:
    """One Dutch sentence or paragraph and its English, with the document it came from."""

    nl: str
    en: str
    doc: str

    def as_json(self) -> str:
        return json.dumps({"doc": self.doc, "nl": self.nl, "en": self.en}, ensure_ascii=False)


@dataclass(frozen=True)
class SourceSummary:
    """What one input gave: for the package README and `model list`."""

    file: str
    pairs: int
    skipped: int = 0  # units not used: unreviewed, untranslated or dropped by cleaning

    def as_dict(self) -> dict[str, object]:
        return {"file": self.file, "pairs": self.pairs, "skipped": self.skipped}


def clean(text: str) -> str:
    """NFC, no-break spaces as spaces, runs of white space as one."""
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def keep(dutch: str, english: str) -> bool:
    """Drop empty, untranslated, mis-aligned and overlong pairs."""
    if not dutch or not english or dutch == english and len(dutch) > 25:
        return False
    if not re.search(r"[A-Za-z]", english):
        return False
    if len(dutch.split()) > 120 or len(english.split()) > 120:
        return False
    if len(dutch) > 12 or len(english) > 12:
        ratio = len(dutch) / len(english)
        if not 0.5 <= ratio <= 2.2:
            return False
    return True


def dedupe(pairs: Iterable[Pair]) -> list[Pair]:
    """The first of each identical (Dutch, English) pair."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for pair in pairs:
        if (pair.nl, pair.en) not in seen:
            seen.add((pair.nl, pair.en))
            unique.append(pair)
    return unique


def split_by_document(
    pairs: Sequence[Pair],
    seed: int,
    dev_size: int,
    test_size: int,
    eligible: str = "",
) -> tuple[list[Pair], list[Pair], list[Pair]]:
    """Whole documents (those starting with `eligible`) go to test, then dev; never to train.

    A training pair whose Dutch also appears held out is dropped too, so a repeated
    sentence cannot leak into the scores.
    """
    documents = sorted({p.doc for p in pairs if p.doc.startswith(eligible)})
    random.Random(seed).shuffle(documents)
    by_document: dict[str, list[Pair]] = {}
    for pair in pairs:
        by_document.setdefault(pair.doc, []).append(pair)
    test: list[Pair] = []
    dev: list[Pair] = []
    chosen = set()
    for document in documents:
        if len(test) < test_size:
            test += by_document[document]
        elif len(dev) < dev_size:
            dev += by_document[document]
        else:
            break
        chosen.add(document)
    held_out = {p.nl for p in test + dev}
    train = [p for p in pairs if p.doc not in chosen and p.nl not in held_out]
    return dedupe(train), dedupe(dev), dedupe(test)


def write_jsonl(path: Path, pairs: Iterable[Pair]) -> None:
    """One JSON object per line (`doc`, `nl`, `en`), as `refmodel/` writes its splits."""
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(pair.as_json() + "\n")
    partial.replace(path)


def read_jsonl(path: Path) -> list[Pair]:
    """Pairs written by `write_jsonl` (or `refmodel/build_corpus.py`)."""
    if not path.is_file():
        raise UserError("missing; build the corpus first", path=path)
    pairs = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                row = json.loads(line)
                pairs.append(Pair(str(row["nl"]), str(row["en"]), str(row.get("doc", ""))))
            except (ValueError, KeyError, TypeError):
                raise UserError(
                    "not a JSON line with nl and en; rebuild the file", path=path, line=number
                ) from None
    return pairs


def read_sources(paths: Sequence[Path]) -> tuple[list[Pair], list[SourceSummary]]:
    """Every input's cleaned pairs (deduplicated across inputs) and what each one gave."""
    pairs: list[Pair] = []
    summaries = []
    for path in paths:
        found, skipped = read_source(Path(path))
        kept = dedupe(p for p in found if keep(p.nl, p.en))
        if not kept:
            raise UserError(
                f"no usable Dutch–English pairs ({len(found)} read, {skipped} skipped as "
                "unreviewed or untranslated, none left after cleaning); check the file",
                path=path,
            )
        summaries.append(SourceSummary(str(path), len(kept), skipped + len(found) - len(kept)))
        pairs += kept
    return dedupe(pairs), summaries


def read_source(path: Path) -> tuple[list[Pair], int]:
    """One input's pairs (cleaned text, not yet filtered) and the count of units skipped."""
    if path.is_dir():
        return _read_output_folder(path)
    moses = _moses_files(path)
    if moses:
        return _read_moses(*moses), 0
    if not path.is_file():
        raise UserError(
            "no such file or folder; give a TMX, PO, XLIFF, TSV file, an output folder or "
            "a Moses pair FILE.nl + FILE.en",
            path=path,
        )
    suffix = path.suffix.lower()
    if suffix == ".tmx":
        return _read_tmx(path)
    if suffix == ".tsv":
        return _read_tsv(path)
    if suffix in (".po", ".xlf", ".xliff"):
        return _read_reviewed(path)
    raise UserError(
        "unknown kind of parallel data; give .tmx, .po, .xlf/.xliff, .tsv, an output folder "
        "or a Moses pair FILE.nl + FILE.en",
        path=path,
    )


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise UserError(f"not UTF-8 (byte {err.start}); convert it to UTF-8", path=path) from None
    except OSError as err:
        raise UserError(f"cannot read it: {err.strerror}", path=path) from None


def _language(tuv: object) -> str:
    from toolkit.formats.xml import XML_LANG

    lang = tuv.get(XML_LANG) or tuv.get("lang") or ""  # type: ignore[attr-defined]
    return str(lang).lower()


def _read_tmx(path: Path) -> tuple[list[Pair], int]:  # noqa: C901  (to split: issue 25)
    """Units with a Dutch and an English segment; the toolkit's machine output is skipped."""
    from toolkit.formats.xml import inline_text, parse_xml

    root = parse_xml(_text(path), str(path))
    if root.tag != "tmx" or root.find("body") is None:
        raise UserError("not a TMX file (no <tmx> with a <body>)", path=path)
    pairs, skipped, languages, bilingual = [], 0, set(), False
    for number, unit in enumerate(root.iter("tu")):
        segments: dict[str, str] = {}
        for tuv in unit.iter("tuv"):
            lang = _language(tuv)
            languages.add(lang or "(none)")
            seg = tuv.find("seg")
            if seg is None:
                continue
            for code in ("nl", "en"):
                if (lang == code or lang.startswith(code + "-")) and code not in segments:
                    segments[code] = clean(inline_text(seg)[0])
        bilingual = bilingual or len(segments) == 2
        state = next((p.text for p in unit.iterfind("prop") if p.get("type") == "x-state"), None)
        if state is not None and state != ReviewState.REVIEWED.value:
            skipped += 1  # this toolkit's own TMX: machine output or untranslated
            continue
        if "nl" not in segments or "en" not in segments:
            skipped += 1
            continue
        dutch, english = segments["nl"], segments["en"]
        if bool(dutch) != bool(english):
            side = "English" if dutch else "Dutch"
            raise UserError(
                f"a unit has an empty {side} segment; remove the unit or fill it in",
                path=path,
                line=unit.sourceline,
            )
        if dutch:
            pairs.append(Pair(dutch, english, f"{path.name}:{number // BLOCK_PAIRS}"))
    if not bilingual:
        found = ", ".join(sorted(languages)) or "none"
        raise UserError(
            f"no unit has both a Dutch (nl*) and an English (en*) segment (languages found: "
            f"{found}); export the memory as Dutch–English",
            path=path,
        )
    if not pairs:
        raise UserError(
            f"no reviewed Dutch–English unit ({skipped} skipped: machine output, "
            "untranslated or one language only); review the translations first",
            path=path,
        )
    return pairs, skipped


def _read_tsv(path: Path) -> tuple[list[Pair], int]:
    """Two columns, Dutch then English; this toolkit's review TSV gives its reviewed rows."""
    from toolkit.formats.tsv import HEADERS

    text = _text(path)
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if rows and tuple(rows[0]) in HEADERS:
        return _read_reviewed(path)
    pairs = []
    for number, row in enumerate(rows, 1):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise UserError(
                f"{len(row)} columns; expected two (Dutch TAB English)", path=path, line=number
            )
        dutch, english = clean(row[0]), clean(row[1])
        if not dutch or not english:
            side = "English" if dutch else "Dutch"
            raise UserError(
                f"empty {side} column; fill it in or remove the line", path=path, line=number
            )
        pairs.append(Pair(dutch, english, f"{path.name}:{(number - 1) // BLOCK_PAIRS}"))
    if not pairs:
        raise UserError("no rows; expected two columns, Dutch TAB English", path=path)
    return pairs, 0


def _moses_files(path: Path) -> tuple[Path, Path] | None:
    """`corpus.nl`, `corpus.en` or the stem `corpus`: the Dutch and English files, or None."""
    if path.suffix in (".nl", ".en"):
        stem = path.with_suffix("")
    elif path.with_name(path.name + ".nl").exists() or path.with_name(path.name + ".en").exists():
        stem = path
    else:
        return None
    dutch, english = stem.with_name(stem.name + ".nl"), stem.with_name(stem.name + ".en")
    for side in (dutch, english):
        if not side.is_file():
            raise UserError(
                f"the other half of the Moses pair is missing ({side.name}); a Moses corpus is "
                f"{stem.name}.nl and {stem.name}.en side by side",
                path=side,
            )
    return dutch, english


def _read_moses(dutch_file: Path, english_file: Path) -> list[Pair]:
    dutch = _text(dutch_file).splitlines()
    english = _text(english_file).splitlines()
    if len(dutch) != len(english):
        raise UserError(
            f"{len(dutch)} lines, but {english_file.name} has {len(english)}; the two files of "
            "a Moses pair must match line by line",
            path=dutch_file,
        )
    pairs = []
    for number, (nl, en) in enumerate(zip(dutch, english, strict=True), 1):
        nl, en = clean(nl), clean(en)
        if not nl and not en:
            continue
        if not nl or not en:
            empty = dutch_file if not nl else english_file
            raise UserError(
                "empty line where the other file has text; the files are misaligned "
                "or a translation is missing",
                path=empty,
                line=number,
            )
        pairs.append(Pair(nl, en, f"{dutch_file.stem}:{(number - 1) // BLOCK_PAIRS}"))
    if not pairs:
        raise UserError("empty Moses pair", path=dutch_file)
    return pairs


def _read_reviewed(path: Path) -> tuple[list[Pair], int]:
    """A toolkit output file's reviewed paragraphs (their sentence pairs where they add up)."""
    from toolkit.formats import format_for_path

    document = format_for_path(path).loads(_text(path), str(path))
    pairs, skipped = [], 0
    for paragraph in document.paragraphs:
        if paragraph.state is not ReviewState.REVIEWED or not paragraph.target:
            skipped += 1
            continue
        name = f"{path.name}:{document.name}"
        pairs.append(Pair(clean(paragraph.source), clean(paragraph.target), name))
    return pairs, skipped


def _read_output_folder(folder: Path) -> tuple[list[Pair], int]:
    """The reviewed entries of a `toolkit translate` output folder (and its memory)."""
    files = sorted({f for pattern in OUTPUT_PATTERNS for f in folder.rglob(pattern)})
    files = [f for f in files if not any(part.startswith(".") for part in f.parts)]
    if not files:
        raise UserError(
            "no toolkit outputs here (*.nl-en.po, *.nl-en.xlf, memory.nl-en.tmx); give the "
            "folder `toolkit translate -o` wrote",
            path=folder,
        )
    pairs: list[Pair] = []
    skipped = 0
    for file in files:
        reader = _read_tmx if file.suffix == ".tmx" else _read_reviewed
        try:
            found, dropped = reader(file)
        except UserError as err:
            if "no reviewed" in err.message:  # an unreviewed memory adds nothing: not an error
                continue
            raise
        pairs += found
        skipped += dropped
    if not pairs:
        raise UserError(
            f"no reviewed entries in {len(files)} output files ({skipped} unreviewed); "
            "review some translations first",
            path=folder,
        )
    return pairs, skipped
