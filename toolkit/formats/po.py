"""Gettext PO: one entry per paragraph, for Poedit and any PO-aware CAT tool.

`msgctxt` is `DOCUMENT:PARAGRAPH`, with ` ⚑ flagged, risk N` after it on a paragraph
that needs attention (Poedit shows the context in its list); `#:` points at the
source line; machine output is `fuzzy` (Poedit: "needs work"); `#.` comments carry
what the reviewer needs, one line each (risk, flags, metadata, term decisions, the
engine's own sentence). Translator comments (`# `) are the translator's own and are
only ever read, never generated. Strings are wrapped exactly as gettext wraps them
(`po_wrap`), so `msgcat` and Poedit leave a file we wrote unchanged; the file is read
back split at `\n` only, so text with U+2028, U+0085 and the like comes back exactly.
"""

from __future__ import annotations

import os
import re
import time

import polib

from toolkit.document import Document, Paragraph, ReviewState, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.formats.base import (
    Provenance,
    check_paragraph,
    comment_text,
    note_lines,
    one_line,
)
from toolkit.formats.po_wrap import po_string
from toolkit.qa.risk import HIGH_RISK  # from here up a paragraph is labelled in the list

METADATA_HEADER = "X-Document-Metadata"
ENGINE_HEADER = "X-Toolkit-Engine"
GLOSSARY_HEADER = "X-Toolkit-Glossary"
VERSION_HEADER = "X-Toolkit-Version"
# Appended to a flagged or high-risk entry's msgctxt, so Poedit's list shows it.
LABEL = " ⚑ "
# DOTALL: a document name may hold any character, a newline included.
CONTEXT = re.compile(rf"\A(?P<name>.+):(?P<index>\d+)(?:{LABEL}[^:]*)?\Z", re.DOTALL)
WRAP_WIDTH = 79
RISK_NOTE = "risk "
ENGINE_NOTE = "engine's own translation (before term enforcement): "
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
    """The lines a reviewer sees beside a paragraph; shared by every format that has notes.

    What needs attention comes first (risk, flags), then one line per term decision;
    a missing term is said once, by its flag, and no line is repeated.
    """
    notes = []
    if paragraph.risk is not None:
        notes.append(f"{RISK_NOTE}{paragraph.risk}/100")
    notes.extend(f"FLAGGED: {flag}" for flag in paragraph.flags)
    if paragraph.index == 1 and document.metadata:
        pairs = ", ".join(f"{key} {value}" for key, value in sorted(document.metadata.items()))
        notes.append(f"document metadata (not translated): {pairs}")
    if paragraph.heading:
        notes.append("heading")
    notes.extend(paragraph.notes)
    for term in paragraph.terms:
        if term.outcome is TermOutcome.MISSING and any(
            flag.startswith(f"term {term.surface!r} ") for flag in paragraph.flags
        ):
            continue  # its flag already says so
        notes.append(term_note(term))
    engine = engine_sentence(paragraph)
    if engine:
        notes.append(f"{ENGINE_NOTE}{engine}")
    return list(dict.fromkeys(line for line in note_lines(notes)))


def term_note(term: TermMatch) -> str:
    """One glossary decision as a note: the occurrence, the English, the outcome and why."""
    step = f" by {term.step}" if term.step else ""
    why = f" ({term.exempt})" if term.exempt else f" ({term.produced})" if term.produced else ""
    return f"term {term.surface!r} → {term.target_term!r}: {term.outcome.value}{step}{why}"


def engine_sentence(paragraph: Paragraph) -> str:
    """The engine's own English for the paragraph where enforcement changed it, else ""."""
    if not any(s.engine_target and s.engine_target != s.target for s in paragraph.sentences):
        return ""
    return " ".join(s.engine_target or s.target for s in paragraph.sentences)


def attention_label(paragraph: Paragraph) -> str:
    """What makes a paragraph stand out in a list (Poedit shows msgctxt beside the source)."""
    reasons = ["flagged"] if paragraph.flags else []
    if paragraph.risk is not None and paragraph.risk >= HIGH_RISK:
        reasons.append(f"risk {paragraph.risk}")
    return f"{LABEL}{', '.join(reasons)}" if reasons else ""


class PoFormat:
    name = "po"
    suffix = ".nl-en.po"

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
        }
        if provenance.glossary:
            header[GLOSSARY_HEADER] = one_line(provenance.glossary)
        if document.metadata:
            header[METADATA_HEADER] = one_line(
                "; ".join(f"{key}={value}" for key, value in sorted(document.metadata.items()))
            )
        fields = "".join(f"{key}: {value}\n" for key, value in header.items())
        blocks = [po_string("msgid", "") + po_string("msgstr", fields)]
        for paragraph in document.paragraphs:
            blocks.append(self._entry(document, paragraph))
        return "\n".join("".join(line + "\n" for line in block) for block in blocks)

    def _entry(self, document: Document, paragraph: Paragraph) -> list[str]:
        """One entry as gettext writes it: comments, `#:`, `#,`, `#|`, then the strings.

        Comments are never wrapped (gettext does not wrap them either), so a note or a
        translator's comment keeps its lines.
        """
        comment = comment_text(paragraph.translator_comment)
        lines = [f"# {line}".rstrip() for line in comment.split("\n")] if comment else []
        lines += [f"#. {line}" for line in reviewer_notes(document, paragraph)]
        lines.append(f"#: {_reference(document.path)}:{paragraph.line}")
        if paragraph.state is ReviewState.MACHINE:
            lines.append("#, fuzzy")
        if paragraph.previous_source:
            # msgid only: the context never changes, and Poedit shows `#| msgctxt` and
            # `#| msgid` run together as one "previous source text"
            lines += po_string("msgid", paragraph.previous_source, "#| ")
        context = document.unit_id(paragraph) + attention_label(paragraph)
        lines += po_string("msgctxt", context)
        lines += po_string("msgid", paragraph.source)
        lines += po_string("msgstr", paragraph.target)
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
            unit = f"{match['name']}:{match['index']}"  # the label is no part of the identity
            if unit in seen:
                raise UserError(
                    f"duplicate msgctxt {unit!r}; each paragraph must appear once",
                    path=path,
                    line=entry.linenum or 1,
                )
            seen.add(unit)
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
