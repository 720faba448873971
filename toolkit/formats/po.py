"""Gettext PO: one entry per paragraph, for Poedit and any PO-aware CAT tool.

An entry's identity is what every gettext tool keys on, (msgctxt, msgid): the Dutch
alone, with `msgctxt "repeat N"` only on the Nth copy of a Dutch paragraph that
occurs more than once, so msgmerge, msgcat and pomerge find a reviewed entry again
whatever the risk and wherever the paragraph moved. `#:` points at the source line;
machine output is `fuzzy` (Poedit: "needs work"); `#.` comments carry what the
reviewer needs, one line each, the first `⚑ flagged, risk N` where attention is
needed (risk, flags, metadata, term decisions, the engine's own sentence). Files
written before carry `msgctxt "DOCUMENT:N[ ⚑ …]"` and still read back. Translator
comments (`# `) are the translator's own and are only ever read, never generated.
Strings are wrapped exactly as gettext wraps them (`po_wrap`), so `msgcat` and Poedit
leave a file we wrote unchanged; the file is read back split at `\n` only, so text
with U+2028, U+0085 and the like comes back exactly.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from pathlib import PurePath

import polib

from toolkit.document import Document, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.formats.base import (
    Provenance,
    check_paragraph,
    comment_text,
    line_number,
    note_lines,
    one_line,
)
from toolkit.formats.notes import ATTENTION, CONTEXT, attention_note, reviewer_notes
from toolkit.formats.po_wrap import po_string
from toolkit.formats.tagged import placeholder_text, restore_placeholders

METADATA_HEADER = "X-Document-Metadata"
ENGINE_HEADER = "X-Toolkit-Engine"
GLOSSARY_HEADER = "X-Toolkit-Glossary"
VERSION_HEADER = "X-Toolkit-Version"
# The document's name as a JSON string: a header field is one line, a name may hold any.
DOCUMENT_HEADER = "X-Toolkit-Document"
# The context of the Nth copy of a Dutch paragraph that occurs more than once.
REPEAT = "repeat "
REPEAT_CONTEXT = re.compile(rf"\A{REPEAT}(?P<number>[1-9][0-9]{{0,8}})\Z")
WRAP_WIDTH = 79
# `#:` references are space-separated: a path's spaces, controls and `%` are escaped
# as in a URL; `*` too, which polib turns into `-` when it wraps a long reference.
REFERENCE_ESCAPE = re.compile(r"[\s%*\x00-\x1f\x7f-\x9f]")


class _Lines(str):
    """PO text that polib splits at `\n` only.

    polib splits text it is given with `str.splitlines`, which also breaks at
    U+2028, U+0085, U+001C… inside a quoted msgid; gettext itself splits at `\n`.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:
        lines = self.split("\n")
        return [line + "\n" for line in lines] if keepends else lines


def _reference(path: str) -> str:
    return REFERENCE_ESCAPE.sub(
        lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), path
    )


def _timestamp() -> str:
    """Now, or SOURCE_DATE_EPOCH when set, so reproducible runs give identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        time.gmtime(int(epoch)) if epoch and epoch.isascii() and epoch.isdigit() else time.gmtime()
    )
    return time.strftime("%Y-%m-%d %H:%M+0000", moment)


class PoFormat:
    name = "po"
    suffix = ".nl-en.po"
    extensions: tuple[str, ...] = (".po",)  # any file so named is in this format
    readable = True

    def dumps(self, document: Document, provenance: Provenance) -> str:
        now = _timestamp()
        header = {
            "Project-Id-Version": one_line(document.name),
            "Report-Msgid-Bugs-To": "",
            "POT-Creation-Date": now,
            "PO-Revision-Date": now,
            "Last-Translator": "",
            "Language-Team": "",
            "Language": document.target_language,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "X-Source-Language": document.source_language,
            # Poedit rewrites X-Generator on save; fields of our own it leaves alone
            ENGINE_HEADER: one_line(provenance.engine),
            VERSION_HEADER: provenance.toolkit_version,
            DOCUMENT_HEADER: json.dumps(document.name),
        }
        if provenance.glossary:
            header[GLOSSARY_HEADER] = one_line(provenance.glossary)
        if document.metadata:
            header[METADATA_HEADER] = one_line(
                "; ".join(f"{key}={value}" for key, value in sorted(document.metadata.items()))
            )
        fields = "".join(f"{key}: {value}\n" for key, value in header.items())
        caveat = [f"# {line}" for line in note_lines([provenance.caveat])]
        blocks = [caveat + po_string("msgid", "") + po_string("msgstr", fields)]
        copies: Counter[str] = Counter()
        for paragraph in document.paragraphs:
            copies[paragraph.source] += 1
            copy = copies[paragraph.source]
            context = f"{REPEAT}{copy}" if copy > 1 else None
            blocks.append(self._entry(document, paragraph, context))
        return "\n".join("".join(line + "\n" for line in block) for block in blocks)

    def _entry(self, document: Document, paragraph: Paragraph, context: str | None) -> list[str]:
        """One entry as gettext writes it: comments, `#:`, `#,`, `#|`, then the strings.

        Comments are never wrapped (gettext does not wrap them either), so a note or a
        translator's comment keeps its lines.
        """
        comment = comment_text(paragraph.translator_comment)
        lines = [f"# {line}".rstrip() for line in comment.split("\n")] if comment else []
        attention = attention_note(paragraph)
        notes = ([attention] if attention else []) + reviewer_notes(document, paragraph)
        lines += [f"#. {line}" for line in notes]
        lines.append(f"#: {_reference(document.path)}:{paragraph.line}")
        if paragraph.state is ReviewState.MACHINE:
            lines.append("#, fuzzy")
        if paragraph.previous_source:
            # msgid only: the context never changes, and Poedit shows `#| msgctxt` and
            # `#| msgid` run together as one "previous source text"
            lines += po_string("msgid", paragraph.previous_source, "#| ")
        if context is not None:
            lines += po_string("msgctxt", context)
        # inline formatting as placeholders a reviewer can move (`<b1>…</b1>`, see tagged.py)
        lines += po_string("msgid", placeholder_text(paragraph.source, paragraph.tags))
        lines += po_string("msgstr", placeholder_text(paragraph.target, paragraph.tags, True))
        return lines

    def loads(self, text: str, path: str) -> Document:
        try:
            po = polib.pofile(_Lines(text), wrapwidth=WRAP_WIDTH)
        except (OSError, ValueError) as err:
            raise UserError(f"not a readable PO file: {err}", path=path) from None
        document = Document(name="", path=path, text="")
        metadata = po.metadata.get(METADATA_HEADER, "")
        for pair in filter(None, (p.strip() for p in metadata.split(";"))):
            key, _, value = pair.partition("=")
            document.metadata[key.strip()] = value.strip()
        document.name = _document_name(po, path)
        seen: set[str] = set()
        live = [entry for entry in po if not entry.obsolete]
        for position, entry in enumerate(live, 1):
            old_style = CONTEXT.match(entry.msgctxt or "")
            if old_style:  # written before issue 22: the paragraph number is in msgctxt
                document.name = old_style["name"]
                index = int(old_style["index"])
                key = f"{old_style['name']}:{old_style['index']}"  # the label is no identity
                what = f"msgctxt {key!r}"
            elif entry.msgctxt is None or REPEAT_CONTEXT.match(entry.msgctxt):
                index = position  # every paragraph is written, in order
                key = f"{entry.msgctxt}\x04{entry.msgid}"
                what = "entry for the same Dutch" + (
                    f" and msgctxt {entry.msgctxt!r}" if entry.msgctxt else ""
                )
            else:
                raise UserError(
                    f"entry has msgctxt {entry.msgctxt!r}, which this toolkit never writes "
                    f"(none, {REPEAT}N or DOCUMENT:PARAGRAPH); was it written by this toolkit?",
                    path=path,
                    line=entry.linenum or 1,
                )
            if key in seen:
                raise UserError(
                    f"duplicate {what}; each paragraph must appear once",
                    path=path,
                    line=entry.linenum or 1,
                )
            seen.add(key)
            lines = [n for _, line in entry.occurrences if (n := line_number(line)) is not None]
            source_line = lines[0] if lines else 0
            if not entry.msgstr:
                state = ReviewState.UNTRANSLATED
            elif entry.fuzzy:
                state = ReviewState.MACHINE
            else:
                state = ReviewState.REVIEWED
            paragraph = Paragraph(
                index=index,
                source=entry.msgid,
                line=source_line,
                start=-1,  # unknown: a PO file does not carry source offsets
                target=entry.msgstr,
                state=state,
                notes=[n for n in note_lines([entry.comment]) if not n.startswith(ATTENTION)],
                translator_comment=comment_text(entry.tcomment),
                previous_source=entry.previous_msgid or "",
            )
            restore_placeholders(paragraph)
            check_paragraph(paragraph, path, entry.linenum)
            document.paragraphs.append(paragraph)
        return document


def _document_name(po: polib.POFile, path: str) -> str:
    """The document a PO file is for: as its header says, else its own file name."""
    try:
        written = json.loads(po.metadata.get(DOCUMENT_HEADER, ""))
    except ValueError:
        written = None
    if isinstance(written, str) and written:
        return written
    name = PurePath(path).name
    if name.endswith(PoFormat.suffix):
        return name.removesuffix(PoFormat.suffix)
    return po.metadata.get("Project-Id-Version") or PurePath(path).stem
