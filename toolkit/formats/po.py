"""Gettext PO: one entry per paragraph, for Poedit and any PO-aware CAT tool.

`msgctxt` is `DOCUMENT:PARAGRAPH`, so repeated paragraphs never collide;
`#:` points at the source line; machine output is `fuzzy` (Poedit: "needs
work"); `#.` comments carry what the reviewer needs (engine, metadata, term
decisions, flags). Translator comments (`# `) are the translator's own and
are only ever read, never generated. Comments are written one line per line,
never re-wrapped, and the file is read back split at `\n` only, so text with
U+2028, U+0085 and the like comes back exactly.
"""

from __future__ import annotations

import os
import re
import time

import polib

from toolkit.document import Document, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.formats.base import (
    Provenance,
    check_paragraph,
    comment_text,
    note_lines,
    one_line,
)

METADATA_HEADER = "X-Document-Metadata"
# DOTALL: a document name may hold any character, a newline included.
CONTEXT = re.compile(r"\A(?P<name>.+):(?P<index>\d+)\Z", re.DOTALL)
WRAP_WIDTH = 79
# `#:` references are space-separated: a path's spaces, controls and `%` are escaped
# as in a URL; `*` too, which polib turns into `-` when it wraps a long reference.
REFERENCE_ESCAPE = re.compile(r"[\s%*\x00-\x1f\x7f-\x9f]")


class _Lines(str):
    """PO text that polib splits at `\n` only.

    polib splits text it is given with `str.splitlines`, which also breaks at
    U+2028, U+0085, U+001C… inside a quoted msgid; gettext itself splits at `\n`.
    """

    def splitlines(self, keepends: bool = False) -> list[str]:  # type: ignore[override]
        lines = self.split("\n")
        return [line + "\n" for line in lines] if keepends else lines


def _reference(path: str) -> str:
    return REFERENCE_ESCAPE.sub(
        lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode("utf-8")), path
    )


def _timestamp() -> str:
    """Now, or SOURCE_DATE_EPOCH when set, so reproducible runs give identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = time.gmtime(int(epoch)) if epoch and epoch.isdigit() else time.gmtime()
    return time.strftime("%Y-%m-%d %H:%M+0000", moment)


def reviewer_notes(document: Document, paragraph: Paragraph) -> list[str]:
    """The lines a reviewer sees beside a paragraph; shared by every format that has notes."""
    notes = []
    if paragraph.index == 1 and document.metadata:
        pairs = ", ".join(f"{key} {value}" for key, value in sorted(document.metadata.items()))
        notes.append(f"document metadata (not translated): {pairs}")
    if paragraph.heading:
        notes.append("heading")
    notes.extend(paragraph.notes)
    for term in paragraph.terms:
        step = f" by {term.step}" if term.step else ""
        produced = f" ({term.produced})" if term.produced else ""
        notes.append(
            f"term {term.surface!r} → {term.target_term!r}: {term.outcome.value}{step}{produced}"
        )
    notes.extend(f"FLAGGED: {flag}" for flag in paragraph.flags)
    return notes


class PoFormat:
    name = "po"
    suffix = ".nl-en.po"

    def dumps(self, document: Document, provenance: Provenance) -> str:
        po = polib.POFile(wrapwidth=WRAP_WIDTH)
        now = _timestamp()
        po.metadata = {
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
            "X-Generator": one_line(provenance.generator),
        }
        if provenance.glossary:
            po.metadata["X-Glossary"] = one_line(provenance.glossary)
        if document.metadata:
            po.metadata[METADATA_HEADER] = one_line(
                "; ".join(f"{key}={value}" for key, value in sorted(document.metadata.items()))
            )
        blocks = [str(po)]  # the header entry
        for paragraph in document.paragraphs:
            entry = polib.POEntry(
                msgctxt=document.unit_id(paragraph),
                msgid=paragraph.source,
                msgstr=paragraph.target,
                occurrences=[(_reference(document.path), str(paragraph.line))],
                previous_msgctxt=document.unit_id(paragraph) if paragraph.previous_source else None,
                previous_msgid=paragraph.previous_source or None,
                flags=["fuzzy"] if paragraph.state is ReviewState.MACHINE else [],
            )
            # Comments are written here, not by polib, which re-wraps long comment lines
            # (a translator's comment would come back with newlines for spaces).
            comment = comment_text(paragraph.translator_comment)
            lines = [f"# {line}".rstrip() for line in comment.split("\n")] if comment else []
            lines += [f"#. {line}" for line in note_lines(reviewer_notes(document, paragraph))]
            blocks.append("".join(line + "\n" for line in lines) + entry.__unicode__(WRAP_WIDTH))
        return "\n".join(blocks)

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
        seen: set[str] = set()
        for entry in po:
            if entry.obsolete:
                continue
            match = CONTEXT.match(entry.msgctxt or "")
            if not match:
                raise UserError(
                    f"entry has no DOCUMENT:PARAGRAPH msgctxt ({entry.msgctxt!r}); "
                    "was it written by this toolkit?",
                    path=path,
                    line=entry.linenum or 1,
                )
            if entry.msgctxt in seen:
                raise UserError(
                    f"duplicate msgctxt {entry.msgctxt!r}; each paragraph must appear once",
                    path=path,
                    line=entry.linenum or 1,
                )
            seen.add(entry.msgctxt)
            document.name = match["name"]
            lines = [int(line) for _, line in entry.occurrences if line.isdigit()]
            source_line = lines[0] if lines else 0
            if not entry.msgstr:
                state = ReviewState.UNTRANSLATED
            elif entry.fuzzy:
                state = ReviewState.MACHINE
            else:
                state = ReviewState.REVIEWED
            paragraph = Paragraph(
                index=int(match["index"]),
                source=entry.msgid,
                line=source_line,
                start=-1,  # unknown: a PO file does not carry source offsets
                target=entry.msgstr,
                state=state,
                notes=note_lines([entry.comment]),
                translator_comment=comment_text(entry.tcomment),
                previous_source=entry.previous_msgid or "",
            )
            check_paragraph(paragraph, path, entry.linenum)
            document.paragraphs.append(paragraph)
        return document
