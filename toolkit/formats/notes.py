"""The reviewer's notes every format with notes writes, and the unit context they share.

One rendering for PO `#.`, XLIFF `<note>`, TMX `<note>`, the TSV notes column and the review
page, so a paragraph reads the same in each: what needs attention first (risk, flags), then
metadata, the stages' notes, one line per term decision and the engine's own sentence.
`CONTEXT` parses a unit's `DOCUMENT:PARAGRAPH` id, with the attention label PO adds.
"""

from __future__ import annotations

import re

from toolkit.document import Document, Paragraph, TermMatch, TermOutcome
from toolkit.formats.base import note_lines
from toolkit.qa.risk import HIGH_RISK  # from here up a paragraph is labelled in the list

# Opens the first `#.` line of a flagged or high-risk entry (older files: in msgctxt).
LABEL = " ⚑ "
ATTENTION = LABEL.lstrip()
# The context of files written before issue 22: DOCUMENT:N, perhaps a label after it.
# DOTALL: a document name may hold any character, a newline included.
CONTEXT = re.compile(rf"\A(?P<name>.+):(?P<index>[0-9]{{1,9}})(?:{LABEL}[^:]*)?\Z", re.DOTALL)
RISK_NOTE = "risk "
ENGINE_NOTE = "engine's own translation (before term enforcement): "


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
            flag.term == term.surface for flag in paragraph.flags
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


def attention_note(paragraph: Paragraph) -> str:
    """What makes a paragraph stand out ("⚑ flagged, risk 72"), or "" if nothing does.

    A comment, never part of the entry's identity: Poedit and Lokalize show extracted
    comments beside the entry, and a risk that moves changes no gettext key.
    """
    reasons = ["flagged"] if paragraph.flags else []
    if paragraph.risk is not None and paragraph.risk >= HIGH_RISK:
        reasons.append(f"risk {paragraph.risk}")
    return f"{ATTENTION}{', '.join(reasons)}" if reasons else ""
