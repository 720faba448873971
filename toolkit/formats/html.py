"""A side-by-side review page: one self-contained HTML file a reviewer opens in any browser.

Dutch left, English right, one table row per paragraph, under a summary of the
document and its counts. Glossary terms are marked on both sides by what
enforcement did with them; missing terms and flags show on their row. Styles
are inline and nothing is fetched. The page is write-only: review happens in PO,
XLIFF or TMX.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from toolkit.document import Document, Paragraph, ReviewState, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.formats.base import Provenance
from toolkit.formats.notes import engine_sentence
from toolkit.formats.tagged import html_fragment
from toolkit.glossary.check import english_plural, find_forms
from toolkit.qa.risk import HIGH_RISK

# When one English form answers several occurrences, the mark shows the outcome that
# most needs a look: an injected rendering before one the engine found itself.
ENGLISH_MARK_PRIORITY = (
    TermOutcome.REPAIRED,
    TermOutcome.KEPT,
    TermOutcome.NOT_CHECKED,
    TermOutcome.EXEMPT,
    TermOutcome.MISSING,
)
# The legend: every outcome a mark can show, in the words the notes use.
LEGEND = (
    (TermOutcome.KEPT, "kept", "the engine's own rendering was allowed"),
    (TermOutcome.REPAIRED, "repaired", "enforcement made the rendering allowed"),
    (TermOutcome.MISSING, "missing", "no allowed rendering: the paragraph is flagged"),
    (TermOutcome.EXEMPT, "exempt", "a mention (a former name, a quote): no rendering needed"),
    (TermOutcome.NOT_CHECKED, "not checked", "no English to check it against"),
)
WORST_FIRST = 12  # paragraphs listed by risk in the summary

STYLE = """
:root {
  --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --page: #f6f8fa; --card: #fff;
  --kept: #dafbe1; --kept-line: #1a7f37; --repaired: #fff1c2; --repaired-line: #9a6700;
  --missing: #ffebe9; --missing-line: #cf222e; --unchecked: #eff2f5; --unchecked-line: #818b98;
  --flagged: #fff8f7;
}
* { box-sizing: border-box; }
body {
  margin: 0; background: var(--page); color: var(--ink);
  font: 15px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans",
    "Liberation Sans", sans-serif;
}
main { max-width: 1480px; margin: 0 auto; padding: 20px 24px 48px; }
.summary {
  background: var(--card); border: 1px solid var(--line); border-radius: 8px;
  padding: 16px 20px; margin-bottom: 16px;
}
h1 { font-size: 1.45rem; line-height: 1.25; margin: 0; }
.lead { color: var(--muted); margin: 2px 0 12px; }
.facts { display: flex; flex-wrap: wrap; gap: 2px 28px; margin: 0 0 14px; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; }
.counts { display: flex; flex-wrap: wrap; gap: 8px 18px; align-items: stretch; }
.group { display: flex; gap: 6px; }
.stat {
  border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px;
  padding: 3px 12px 4px; min-width: 92px; background: var(--card);
}
.stat b { display: block; font-size: 1.3rem; line-height: 1.3; }
.stat span { font-size: .78rem; color: var(--muted); }
.stat.machine { border-left-color: var(--repaired-line); }
.stat.reviewed, .stat.kept { border-left-color: var(--kept-line); }
.stat.repaired { border-left-color: var(--repaired-line); }
.stat.missing, .stat.flagged { border-left-color: var(--missing-line); }
.stat.untranslated, .stat.not-checked { border-left-color: var(--unchecked-line); }
.jump { margin: 12px 0 0; color: var(--muted); font-size: .88rem; }
.jump a { margin-right: 6px; }
.legend { margin: 8px 0 0; color: var(--muted); font-size: .88rem; }
.legend mark { margin-right: 10px; }
table.review {
  width: 100%; table-layout: fixed; border-collapse: separate; border-spacing: 0;
  background: var(--card); border: 1px solid var(--line); border-radius: 8px;
}
col.number { width: 108px; }
thead th {
  position: sticky; top: 0; z-index: 1; background: #eef1f4; text-align: left;
  font-size: .75rem; letter-spacing: .06em; text-transform: uppercase; color: var(--muted);
  padding: 8px 14px; border-bottom: 1px solid var(--line);
}
thead th:first-child { border-top-left-radius: 8px; }
thead th:last-child { border-top-right-radius: 8px; }
tbody th, tbody td {
  vertical-align: top; text-align: left; padding: 10px 14px;
  border-bottom: 1px solid var(--line); overflow-wrap: anywhere;
}
tbody tr:last-child > * { border-bottom: 0; }
td.source { border-right: 1px solid var(--line); }
tbody th { font-weight: 400; font-size: .8rem; color: var(--muted); }
tbody th a { color: inherit; text-decoration: none; font-weight: 600; font-size: .9rem; }
tbody th a:hover { text-decoration: underline; }
.state {
  display: inline-block; margin-top: 2px; padding: 0 7px; border-radius: 9px;
  font-size: .72rem; white-space: nowrap; background: var(--unchecked); color: var(--muted);
}
.state-machine .state { background: var(--repaired); color: #7d4e00; }
.state-reviewed .state { background: var(--kept); color: #116329; }
tr.heading td { font-weight: 700; font-size: 1.06rem; }
tr.flagged > * { background: var(--flagged); }
tr.flagged > th { box-shadow: inset 4px 0 var(--missing-line); }
tr:target > * { background: #fff8c5; }
/* a jump to #pN puts the row's first line below the sticky column header, not under it */
tbody tr { scroll-margin-top: 48px; }
.risk {
  display: inline-block; margin-top: 4px; padding: 0 7px; border-radius: 9px;
  font-size: .72rem; white-space: nowrap; background: var(--unchecked); color: var(--muted);
}
tr.risky .risk { background: var(--missing); color: var(--missing-line); font-weight: 600; }
.filter { margin-left: 8px; white-space: nowrap; }
body:has(#only-attention:checked) tbody tr:not(.attention-row) { display: none; }
p.caveat { margin: 8px 0; padding: 8px 12px; border: 2px solid #b00020; background: #fde7ea;
  color: #5c0010; font-weight: 600; }
details.engine { margin: 6px 0 0; font-size: .85rem; color: var(--muted); }
details.engine summary { cursor: pointer; }
.empty { color: var(--muted); font-style: italic; }
mark.term {
  color: inherit; padding: 0 2px; border-radius: 3px; border-bottom: 2px solid;
  cursor: help;
}
.term-kept { background: var(--kept); border-color: var(--kept-line); }
.term-repaired { background: var(--repaired); border-color: var(--repaired-line); }
.term-missing { background: var(--missing); border-color: var(--missing-line); }
.term-not-checked { background: var(--unchecked); border-color: var(--unchecked-line); }
.term-exempt { background: var(--page); border-color: var(--muted); border-bottom-style: dotted; }
.attention { margin: 8px 0 0; padding: 0; list-style: none; font-size: .85rem;
  font-weight: 400; }
.attention li { margin-top: 4px; }
.badge {
  display: inline-block; padding: 0 8px; border-radius: 9px; font-size: .75rem;
  font-weight: 600; margin-right: 6px; color: #fff; background: var(--missing-line);
}
.badge.flag { background: var(--card); color: var(--missing-line);
  border: 1px solid var(--missing-line); }
.notes { margin: 6px 0 0; color: var(--muted); font-size: .8rem; font-weight: 400; }
@media print {
  body { background: #fff; }
  thead th { position: static; }
  tr { break-inside: avoid; }
}
"""


def _term_title(term: TermMatch) -> str:
    step = f" by {term.step}" if term.step else ""
    why = term.exempt or term.produced
    return f"{term.target_term}: {term.outcome.value}{step}" + (f" ({why})" if why else "")


def _mark(text: str, term: TermMatch, title: str) -> str:
    return (
        f'<mark class="term term-{term.outcome.value}" data-target="{escape(term.target_term)}" '
        f'title="{escape(title)}">{escape(text)}</mark>'
    )


def _marked(text: str, spans: list[tuple[int, int, TermMatch, str]]) -> str:
    """`text` escaped, with each (start, end, term, title) span wrapped in a mark."""
    pieces, at = [], 0
    for start, end, term, title in sorted(spans, key=lambda span: span[:2]):
        if start < at or end > len(text) or start >= end:
            continue  # overlapping or stale offsets: show the text plain rather than garbled
        pieces.append(escape(text[at:start]))
        pieces.append(_mark(text[start:end], term, title))
        at = end
    pieces.append(escape(text[at:]))
    return "".join(pieces)


def _source_cell(paragraph: Paragraph) -> str:
    spans = [
        (sentence.start + term.start, sentence.start + term.end, term, _term_title(term))
        for sentence in paragraph.sentences
        for term in sentence.terms
    ]
    return _marked(paragraph.source, spans) + _formatted(paragraph.source, paragraph, False)


# only on pages of formatted documents: a plain text's page stays as it was
FORMATTED_STYLE = """
.formatted { margin: 6px 0 0; padding: 4px 6px; border-left: 3px solid var(--muted); }
.formatted .tag { outline: 1px dotted var(--muted); }
.formatted code.tag { font-size: .75rem; padding: 0 2px; }
"""


def _has_tags(document: Document) -> bool:
    return any(paragraph.tags for paragraph in document.paragraphs)


def _formatted(text: str, paragraph: Paragraph, target: bool) -> str:
    """The text again as its document shows it (bold, links, code), where it has formatting."""
    if not paragraph.tags or not text:
        return ""
    shown = html_fragment(text, paragraph.tags, target)
    return f'<div class="formatted" title="as formatted">{shown}</div>'


def _form_key(form: str) -> str:
    """An English form as find_forms matches it: any case, any run of whitespace."""
    return " ".join(form.casefold().split())


def _target_cell(paragraph: Paragraph) -> str:
    if not paragraph.target:
        return '<span class="empty">not translated yet</span>'
    rank = ENGLISH_MARK_PRIORITY.index
    by_form: dict[str, TermMatch] = {}
    for term in paragraph.terms:
        # the plural counts too: kernwapens needs "nuclear weapons"
        for form in (term.target_term, english_plural(term.target_term)):
            known = by_form.get(_form_key(form))
            if known is None or rank(term.outcome) < rank(known.outcome):
                by_form[_form_key(form)] = term
    spans: list[tuple[int, int, TermMatch, str]] = []
    forms = list(by_form)
    for start, end in find_forms(paragraph.target, forms, case_sensitive=False):
        found = by_form.get(_form_key(paragraph.target[start:end]))
        if found is None:
            continue  # matched by the regex's case folding but not by ours: leave it plain
        title = f"glossary: {found.source_term} → {_term_title(found)}"
        spans.append((start, end, found, title))
    return _marked(paragraph.target, spans) + _formatted(paragraph.target, paragraph, True)


def _attention(paragraph: Paragraph) -> str:
    """Missing terms and flags, shown under the English they concern."""
    items = [
        f'<li><span class="badge">missing</span> {escape(term.target_term)} '
        f"(for {escape(term.surface)})</li>"
        for term in paragraph.terms
        if term.outcome is TermOutcome.MISSING
    ]
    items += [
        f'<li><span class="badge flag">flagged</span> {escape(flag)}</li>'
        for flag in paragraph.flags
    ]
    return f'<ul class="attention">{"".join(items)}</ul>' if items else ""


def _notes(paragraph: Paragraph) -> str:
    notes = list(paragraph.notes)
    if paragraph.translator_comment:
        notes.append(f"translator: {paragraph.translator_comment}")
    return f'<p class="notes">{escape(" · ".join(notes))}</p>' if notes else ""


def _risky(paragraph: Paragraph) -> bool:
    return paragraph.risk is not None and paragraph.risk >= HIGH_RISK


def _engine(paragraph: Paragraph) -> str:
    """The engine's own English beside the enforced one, where enforcement changed it."""
    engine = engine_sentence(paragraph)
    if not engine:
        return ""
    return (
        '<details class="engine"><summary>engine\'s own translation (before term '
        f"enforcement)</summary>{escape(engine)}</details>"
    )


def _row(document: Document, paragraph: Paragraph) -> str:
    classes = ["paragraph", f"state-{paragraph.state.value}"]
    if paragraph.heading:
        classes.append("heading")
    if paragraph.flags:
        classes.append("flagged")
    if _risky(paragraph):
        classes.append("risky")
    if paragraph.flags or _risky(paragraph):
        classes.append("attention-row")
    anchor = f"p{paragraph.index}"
    risk = "" if paragraph.risk is None else str(paragraph.risk)
    badge = f'<br><span class="risk">risk {risk}</span>' if risk else ""
    return (
        f'<tr id="{anchor}" class="{" ".join(classes)}" data-risk="{risk}">'
        f'<th scope="row"><a href="#{anchor}">¶ {paragraph.index}</a><br>'
        f'<span class="state">{paragraph.state.value}</span>{badge}</th>'
        f'<td class="source" lang="{escape(document.source_language)}">'
        f"{_source_cell(paragraph)}</td>"
        f'<td class="target" lang="{escape(document.target_language)}">'
        f"{_target_cell(paragraph)}{_attention(paragraph)}{_engine(paragraph)}"
        f"{_notes(paragraph)}</td>"
        "</tr>"
    )


def _navigation(paragraphs: list[Paragraph]) -> str:
    """Links to the flagged paragraphs, the riskiest first, and a filter to show only them."""
    flagged = [p for p in paragraphs if p.flags]
    scored = sorted(
        (p for p in paragraphs if p.risk is not None), key=lambda p: (-(p.risk or 0), p.index)
    )
    parts = []
    if flagged:
        links = "".join(
            f'<a href="#p{p.index}" title="{escape("; ".join(p.flags))}">¶ {p.index}</a>'
            for p in flagged
        )
        parts.append(f'<p class="jump">Flagged paragraphs: {links}</p>')
    if scored:
        links = "".join(
            f'<a href="#p{p.index}">¶ {p.index} ({p.risk})</a>' for p in scored[:WORST_FIRST]
        )
        parts.append(f'<p class="jump worst">Worst first (risk 0-100): {links}</p>')
    return "".join(parts)


def _filter(paragraphs: list[Paragraph]) -> str:
    """A checkbox that hides every row but the flagged and risky ones (CSS only, no script)."""
    if not any(p.flags or _risky(p) for p in paragraphs):
        return ""
    return (
        '<label class="filter"><input type="checkbox" id="only-attention"> '
        f"only flagged or risk ≥ {HIGH_RISK}</label>"
    )


def _stat(number: int, label: str, kind: str) -> str:
    return f'<div class="stat {kind}"><b>{number}</b><span>{escape(label)}</span></div>'


def _caveat(provenance: Provenance) -> str:
    """The run's warning, first thing under the title, where the English is not fit to use."""
    if not provenance.caveat:
        return ""
    return f'<p class="caveat" role="alert">{escape(provenance.caveat)}</p>'


def _summary(document: Document, provenance: Provenance) -> str:
    facts = sorted(document.metadata.items())
    facts.append(("engine", provenance.engine))
    if provenance.glossary:
        facts.append(("glossary", provenance.glossary))
    facts.append(("toolkit", provenance.toolkit_version))
    facts_html = "".join(
        f"<div><dt>{escape(key)}</dt><dd>{escape(value)}</dd></div>" for key, value in facts
    )
    paragraphs = document.paragraphs
    states = Counter(p.state for p in paragraphs)
    outcomes = Counter(term.outcome for p in paragraphs for term in p.terms)
    flagged = [p for p in paragraphs if p.flags]
    state_stats = "".join(
        _stat(states[state], state.value, state.value)
        for state in (ReviewState.MACHINE, ReviewState.REVIEWED, ReviewState.UNTRANSLATED)
    )
    term_outcomes = [TermOutcome.KEPT, TermOutcome.REPAIRED, TermOutcome.MISSING]
    term_outcomes += [o for o in (TermOutcome.EXEMPT, TermOutcome.NOT_CHECKED) if outcomes[o]]
    term_stats = "".join(
        _stat(outcomes[outcome], f"terms {outcome.value}", outcome.value)
        for outcome in term_outcomes
    )
    jump = _navigation(paragraphs)
    legend = "".join(
        f'<mark class="term term-{outcome.value}" title="{escape(meaning)}">{label}</mark>'
        for outcome, label, meaning in LEGEND
    )
    return (
        '<header class="summary">'
        f"<h1>{escape(document.name)}</h1>"
        f'<p class="lead">Dutch → English review page · source {escape(document.path)}</p>'
        f"{_caveat(provenance)}"
        f'<dl class="facts">{facts_html}</dl>'
        '<div class="counts">'
        f'<div class="group">{_stat(len(paragraphs), "paragraphs", "total")}</div>'
        f'<div class="group">{state_stats}</div>'
        f'<div class="group">{term_stats}</div>'
        f'<div class="group">{_stat(len(flagged), "flagged", "flagged")}</div>'
        "</div>"
        f"{jump}"
        f'<p class="legend">Hover a term for what enforcement did. {legend}'
        f"{_filter(paragraphs)}</p>"
        "</header>"
    )


class HtmlFormat:
    name = "html"
    suffix = ".nl-en.html"
    extensions: tuple[str, ...] = (".html",)  # any file so named is in this format
    readable = False  # a review page: nothing to read back

    def dumps(self, document: Document, provenance: Provenance) -> str:
        rows = "\n".join(_row(document, paragraph) for paragraph in document.paragraphs)
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta name="generator" content="{escape(provenance.generator)}">\n'
            f"<title>{escape(document.name)} · Dutch → English review</title>\n"
            f"<style>{STYLE}{FORMATTED_STYLE if _has_tags(document) else ''}</style>\n"
            "</head>\n<body>\n<main>\n"
            f"{_summary(document, provenance)}\n"
            '<table class="review">\n'
            '<colgroup><col class="number"><col class="source"><col class="target"></colgroup>\n'
            '<thead><tr><th scope="col">#</th>'
            f'<th scope="col">Dutch ({escape(document.source_language)})</th>'
            f'<th scope="col">English ({escape(document.target_language)})</th></tr></thead>\n'
            f"<tbody>\n{rows}\n</tbody>\n</table>\n</main>\n</body>\n</html>\n"
        )

    def loads(self, text: str, path: str) -> Document:  # noqa: ARG002  (the Format protocol)
        raise UserError("the HTML review page is write-only; review in PO, XLIFF or TMX", path=path)
