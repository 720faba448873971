"""Gettext PO: one entry per paragraph, for Poedit and any PO-aware CAT tool.

`msgctxt` is `DOCUMENT:PARAGRAPH`, so repeated paragraphs never collide;
`#:` points at the source line; machine output is `fuzzy` (Poedit: "needs
work"); `#.` comments carry what the reviewer needs (engine, metadata, term
decisions, flags). Translator comments (`# `) are the translator's own and
are only ever read, never generated.
"""

from __future__ import annotations

import os
import re
import time

import polib

from toolkit.document import Document, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.formats.base import Provenance

METADATA_HEADER = "X-Document-Metadata"
CONTEXT = re.compile(r"^(?P<name>.+):(?P<index>\d+)$")


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
        po = polib.POFile(wrapwidth=79)
        now = _timestamp()
        po.metadata = {
            "Project-Id-Version": document.name,
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
            "X-Generator": provenance.generator,
        }
        if provenance.glossary:
            po.metadata["X-Glossary"] = provenance.glossary
        if document.metadata:
            po.metadata[METADATA_HEADER] = "; ".join(
                f"{key}={value}" for key, value in sorted(document.metadata.items())
            )
        for paragraph in document.paragraphs:
            po.append(
                polib.POEntry(
                    msgctxt=document.unit_id(paragraph),
                    msgid=paragraph.source,
                    msgstr=paragraph.target,
                    occurrences=[(document.path, str(paragraph.line))],
                    comment="\n".join(reviewer_notes(document, paragraph)),
                    tcomment=paragraph.translator_comment,
                    previous_msgctxt=document.unit_id(paragraph)
                    if paragraph.previous_source
                    else None,
                    previous_msgid=paragraph.previous_source or None,
                    flags=["fuzzy"] if paragraph.state is ReviewState.MACHINE else [],
                )
            )
        return str(po)

    def loads(self, text: str, path: str) -> Document:
        try:
            po = polib.pofile(text, wrapwidth=79)
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
            source_line = int(entry.occurrences[0][1]) if entry.occurrences else 0
            if not entry.msgstr:
                state = ReviewState.UNTRANSLATED
            elif entry.fuzzy:
                state = ReviewState.MACHINE
            else:
                state = ReviewState.REVIEWED
            document.paragraphs.append(
                Paragraph(
                    index=int(match["index"]),
                    source=entry.msgid,
                    line=source_line,
                    start=-1,  # unknown: a PO file does not carry source offsets
                    target=entry.msgstr,
                    state=state,
                    notes=[n for n in entry.comment.splitlines() if n],
                    translator_comment=entry.tcomment,
                    previous_source=entry.previous_msgid or "",
                )
            )
        return document
