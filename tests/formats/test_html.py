"""The HTML review page: its DOM as lxml parses it, and what headless Chromium renders.

The page is write-only, so it does not inherit FormatContract (every contract test
reads the file back); these tests check what a reviewer sees instead.
"""

from __future__ import annotations

import os
import struct
import subprocess
import zlib
from pathlib import Path

import lxml.html
import pytest

from toolkit.document import Document, Flag, Paragraph, ReviewState, TermMatch, TermOutcome
from toolkit.errors import UserError
from toolkit.formats.base import Provenance
from toolkit.formats.html import HtmlFormat
from toolkit.segment import segment_text

CHROMIUM = Path("/usr/bin/chromium")
PROVENANCE = Provenance(engine="argos nl→en 1.9", glossary="glossary/nl-en.tsv")
TEXT = (
    "date 2023-04-02 Poetin en Belarus\n\n"
    "“Misschien ga ik eens kijken”, antwoordde de Belarussische dictator Aleksandr "
    "Loekasjenko op de vraag of er al Russische kernwapens op zijn grondgebied zijn "
    "gestationeerd. Daags ervoor werd een overeenkomst getekend die dat mogelijk maakt.\n\n"
    "Kernwapens\n\n"
    "De stationering is significant omdat Poetin Belarus uiteindelijk wil annexeren. "
    "Hij sprak daarover in Kiev.\n\n"
    "Nog niet vertaald: <b>vet</b> & zo.\n"
)
TARGETS = {
    1: "Putin and Belarus",
    2: "“Maybe I'll go and have a look,” answered the Belarusian dictator Alexander "
    "Lukashenko when asked whether Russian nuclear weapons are already stationed on his "
    "territory. The day before, an agreement was signed that makes this possible.",
    3: "Nuclear weapons",
    4: "The stationing is significant because Putin ultimately wants to annex Belarus. "
    "He spoke about it in Kiev.",
}
# (paragraph, Dutch surface, English term, outcome, step, what the engine wrote)
TERMS = [
    (1, "Poetin", "Putin", TermOutcome.KEPT, "", ""),
    (2, "kernwapens", "nuclear weapons", TermOutcome.REPAIRED, "inject", "nuclear arms"),
    (3, "Kernwapens", "nuclear weapons", TermOutcome.KEPT, "", ""),
    (4, "Poetin", "Putin", TermOutcome.KEPT, "", ""),
    (4, "Kiev", "Kyiv", TermOutcome.MISSING, "retry", "Kiev"),
]


def _add_term(paragraph: Paragraph, surface: str, *decision: object) -> None:
    """Attach a term to the sentence holding `surface`, offsets relative to that sentence."""
    for sentence in paragraph.sentences:
        if surface in sentence.source:
            start = sentence.source.index(surface)
            sentence.terms.append(
                TermMatch(surface, decision[0], surface, start, start + len(surface), *decision[1:])
            )
            return
    raise AssertionError(f"{surface!r} not in paragraph {paragraph.index}")


def review_document() -> Document:
    """A small article with every state and term outcome a reviewer meets."""
    document = segment_text(TEXT, "poetin-belarus", "in/poetin-belarus.txt")
    for paragraph in document.paragraphs:
        paragraph.target = TARGETS.get(paragraph.index, "")
        if paragraph.index == 3:
            paragraph.state = ReviewState.REVIEWED
            paragraph.translator_comment = "heading: keep it short"
        elif paragraph.target:
            paragraph.state = ReviewState.MACHINE
            paragraph.notes.append("machine translation (argos nl→en 1.9)")
    for index, surface, target, outcome, step, produced in TERMS:
        _add_term(document.paragraphs[index - 1], surface, target, outcome, step, produced)
    document.paragraphs[3].flags.append(Flag.read("term 'Kiev' needs 'Kyiv' 1×, found 0"))
    return document


def _page(tmp_path: Path, document: Document | None = None) -> Path:
    path = tmp_path / f"poetin-belarus{HtmlFormat.suffix}"
    path.write_text(HtmlFormat().dumps(document or review_document(), PROVENANCE), "utf-8")
    return path


def _rows(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return tree.xpath("//table[@class='review']/tbody/tr")


def _marks(cell: lxml.html.HtmlElement) -> list[tuple[str, str]]:
    return [(mark.get("class"), mark.text_content()) for mark in cell.iter("mark")]


def _assert_marked(tree: lxml.html.HtmlElement, document: Document) -> None:
    """Every TermMatch is a mark on the Dutch side, one table row per paragraph."""
    rows = _rows(tree)
    assert len(rows) == len(document.paragraphs)
    for row, paragraph in zip(rows, document.paragraphs, strict=True):
        (source,) = row.xpath("td[contains(@class, 'source')]")
        (target,) = row.xpath("td[contains(@class, 'target')]")
        assert (source.get("lang"), target.get("lang")) == ("nl", "en")
        assert source.text_content() == paragraph.source
        assert _marks(source) == [
            (f"term term-{term.outcome.value}", term.surface) for term in paragraph.terms
        ]


def test_every_term_is_marked_on_the_dutch_side(tmp_path: Path) -> None:
    tree = lxml.html.parse(str(_page(tmp_path))).getroot()
    _assert_marked(tree, review_document())


def test_english_side_marks_renderings_and_lists_missing_terms(tmp_path: Path) -> None:
    rows = _rows(lxml.html.parse(str(_page(tmp_path))).getroot())
    english = [row.xpath("td[contains(@class, 'target')]")[0] for row in rows]
    assert _marks(english[1]) == [("term term-repaired", "nuclear weapons")]
    # case-insensitive: a heading capitalises the rendering
    assert _marks(english[2]) == [("term term-kept", "Nuclear weapons")]
    # Kiev is missing: no Kyiv to mark, but a badge says what is missing
    assert _marks(english[3]) == [("term term-kept", "Putin")]
    assert "missing Kyiv (for Kiev)" in english[3].text_content()
    assert "not translated yet" in english[4].text_content()


def test_dutch_mark_says_what_enforcement_did(tmp_path: Path) -> None:
    tree = lxml.html.parse(str(_page(tmp_path))).getroot()
    (mark,) = tree.xpath("//td[contains(@class, 'source')]//mark[@class='term term-repaired']")
    assert mark.get("data-target") == "nuclear weapons"
    assert mark.get("title") == "nuclear weapons: repaired by inject (nuclear arms)"


def test_flagged_rows_show_their_reasons(tmp_path: Path) -> None:
    rows = _rows(lxml.html.parse(str(_page(tmp_path))).getroot())
    flagged = [row for row in rows if "flagged" in row.get("class").split()]
    assert [row.get("id") for row in flagged] == ["p4"]
    assert "term 'Kiev' needs 'Kyiv' 1×, found 0" in flagged[0].text_content()


def test_summary_counts(tmp_path: Path) -> None:
    tree = lxml.html.parse(str(_page(tmp_path))).getroot()
    stats = {
        stat.find("span").text: int(stat.find("b").text)
        for stat in tree.xpath("//header//div[contains(@class, 'stat')]")
    }
    assert stats == {
        "paragraphs": 5,
        "machine": 3,
        "reviewed": 1,
        "untranslated": 1,
        "terms kept": 3,
        "terms repaired": 1,
        "terms missing": 1,
        "flagged": 1,
    }
    facts = tree.xpath("//dl[@class='facts']")[0].text_content()
    for fact in ("date2023-04-02", "engineargos nl→en 1.9", "glossaryglossary/nl-en.tsv"):
        assert fact in facts


def test_page_is_self_contained(tmp_path: Path) -> None:
    text = _page(tmp_path).read_text(encoding="utf-8")
    tree = lxml.html.fromstring(text)
    assert text.startswith("<!DOCTYPE html>")
    assert not tree.xpath("//script | //link | //img | //iframe | //object")
    for reference in tree.xpath("//@src | //@href"):
        assert not reference.startswith(("http://", "https://", "//")), reference
    assert "url(" not in text and "@import" not in text


def test_source_text_is_escaped_not_interpreted(tmp_path: Path) -> None:
    # regression guard: Dutch with markup in it must show as text, never as tags
    tree = lxml.html.parse(str(_page(tmp_path))).getroot()
    assert not tree.xpath("//tbody//b")
    assert _rows(tree)[4].xpath("td")[0].text_content() == "Nog niet vertaald: <b>vet</b> & zo."


def test_stale_offsets_leave_the_text_plain(tmp_path: Path) -> None:
    # a term whose offsets run past its paragraph must not cut or duplicate text
    document = segment_text("Kort.", "doc")
    document.paragraphs[0].sentences[0].terms = [TermMatch("Kort", "Short", "Kort", 3, 40)]
    tree = lxml.html.parse(str(_page(tmp_path, document))).getroot()
    assert _rows(tree)[0].xpath("td")[0].text_content() == "Kort."


def test_empty_document_is_a_page_with_no_rows(tmp_path: Path) -> None:
    tree = lxml.html.parse(str(_page(tmp_path, Document("empty", "in/empty.txt", "")))).getroot()
    assert _rows(tree) == []


def test_page_cannot_be_read_back() -> None:
    with pytest.raises(UserError, match="write-only; review in PO, XLIFF or TMX"):
        HtmlFormat().loads("<!DOCTYPE html>", "x.nl-en.html")


# --- in a real browser ---------------------------------------------------------------


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One headless Chromium run with no network or background services."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI must run the browser tests")
        pytest.skip(f"{CHROMIUM} is not installed")
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def _paeth(left: int, up: int, corner: int) -> int:
    guess = left + up - corner
    near_left, near_up, near_corner = abs(guess - left), abs(guess - up), abs(guess - corner)
    if near_left <= near_up and near_left <= near_corner:
        return left
    return up if near_up <= near_corner else corner


def _png_pixels(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", b""
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        at += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (depth, colour) in {(8, 2), (8, 6)}, (depth, colour)
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw, rows, previous = zlib.decompress(idat), [], bytearray(stride)
    for y in range(height):
        at = y * (stride + 1)
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up, corner = previous[x], previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                line[x] = (line[x] + _paeth(left, up, corner)) & 0xFF
        rgb = line if channels == 3 else b"".join(line[i : i + 3] for i in range(0, stride, 4))
        rows.append(bytes(rgb))
        previous = line
    return width, height, rows


def _dark_pixels(rows: list[bytes], x_range: range, y_range: range) -> int:
    """Pixels dark enough to be text, in a region of the screenshot."""
    return sum(1 for y in y_range for x in x_range if sum(rows[y][3 * x : 3 * x + 3]) < 3 * 110)


def test_chromium_renders_both_columns(tmp_path: Path) -> None:
    screenshot = tmp_path / "page.png"
    page = _page(tmp_path)
    run = _chromium(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,900", page.as_uri())
    assert screenshot.exists(), run.stderr
    assert screenshot.stat().st_size > 20_000
    width, height, rows = _png_pixels(screenshot)
    assert (width, height) == (1200, 900)
    # the page background in both corners: every filtered row decoded right
    assert rows[0][:3] == rows[-1][-3:] == bytes.fromhex("f6f8fa")
    # Below the summary the table fills the window: text on both sides of the middle.
    lower = range(height // 2, height, 2)
    assert _dark_pixels(rows, range(150, width // 2, 2), lower) > 500
    assert _dark_pixels(rows, range(width // 2 + 50, width - 30, 2), lower) > 500


def test_chromium_dom_after_layout_keeps_the_marks(tmp_path: Path) -> None:
    run = _chromium(tmp_path, "--dump-dom", _page(tmp_path).as_uri())
    assert run.returncode == 0, run.stderr
    _assert_marked(lxml.html.fromstring(run.stdout), review_document())


# --- issue 10 and 11: what a reviewer could not see ---------------------------------------


def _long_document() -> Document:
    """Enough paragraphs to scroll, with risks, a flag and one enforced sentence."""
    text = "\n\n".join(
        f"Alinea {n} over Poetin en Kiev, lang genoeg om te lezen." for n in range(40)
    )
    document = segment_text(text, "lang", "in/lang.txt")
    for paragraph in document.paragraphs:
        paragraph.target = f"Paragraph {paragraph.index} about Putin and Kiev."
        paragraph.state = ReviewState.MACHINE
        paragraph.risk = (paragraph.index * 37) % 100
    document.paragraphs[29].flags = [Flag.read("term 'Kiev' needs 'Kyiv'")]
    sentence = document.paragraphs[4].sentences[0]
    sentence.target = document.paragraphs[4].target
    sentence.engine_target = "Paragraph 5 about Poetin and Kiev."
    return document


def _in_browser(tmp_path: Path, document: Document, script: str) -> lxml.html.HtmlElement:
    """The DOM after `script` ran in headless Chromium; it writes its findings as attributes."""
    page = tmp_path / "page.html"
    html = HtmlFormat().dumps(document, PROVENANCE)
    page.write_text(html.replace("</body>", f"<script>{script}</script></body>"), "utf-8")
    run = _chromium(tmp_path, "--window-size=1200,600", "--dump-dom", page.as_uri())
    assert run.returncode == 0, run.stderr
    return lxml.html.fromstring(run.stdout)


def test_jump_to_a_row_keeps_its_first_line_below_the_sticky_header(tmp_path: Path) -> None:
    # #p30 scrolled the row's first line under the sticky column header
    script = (
        "document.getElementById('p30').scrollIntoView();"
        "const row = document.getElementById('p30').getBoundingClientRect().top;"
        "const head = document.querySelector('thead th').getBoundingClientRect().bottom;"
        "document.body.dataset.gap = String(Math.round(row - head));"
    )
    tree = _in_browser(tmp_path, _long_document(), script)
    assert int(tree.body.get("data-gap")) >= 0


def test_filter_shows_only_flagged_and_risky_rows(tmp_path: Path) -> None:
    # issue 10: the page could be neither sorted nor filtered by risk
    script = (
        "document.getElementById('only-attention').checked = true;"
        "const shown = [...document.querySelectorAll('tbody tr')]"
        ".filter(row => getComputedStyle(row).display !== 'none').map(row => row.id);"
        "document.body.dataset.shown = shown.join(' ');"
    )
    document = _long_document()
    tree = _in_browser(tmp_path, document, script)
    expected = [f"p{p.index}" for p in document.paragraphs if p.flags or (p.risk or 0) >= 40]
    assert tree.body.get("data-shown").split() == expected


def test_worst_first_links_and_risk_on_each_row(tmp_path: Path) -> None:
    document = _long_document()
    tree = lxml.html.fromstring(HtmlFormat().dumps(document, PROVENANCE))
    (worst,) = tree.xpath("//p[contains(@class, 'worst')]")
    links = [a.get("href") for a in worst.iter("a")]
    ranked = sorted(document.paragraphs, key=lambda p: (-(p.risk or 0), p.index))
    assert links == [f"#p{p.index}" for p in ranked[:12]]
    row = tree.get_element_by_id("p3")
    assert row.get("data-risk") == "11"
    assert row.xpath("string(.//span[@class='risk'])") == "risk 11"
    (flagged,) = tree.xpath("//p[@class='jump']/a")
    assert (flagged.get("href"), flagged.get("title")) == ("#p30", "term 'Kiev' needs 'Kyiv'")


def test_legend_names_every_outcome_a_mark_can_show(tmp_path: Path) -> None:
    # the grey not-checked style had no legend entry
    tree = lxml.html.parse(str(_page(tmp_path))).getroot()
    legend = [mark.get("class") for mark in tree.xpath("//p[@class='legend']/mark")]
    assert sorted(legend) == sorted(f"term term-{outcome.value}" for outcome in TermOutcome)


def test_english_mark_says_what_the_engine_wrote(tmp_path: Path) -> None:
    # the tooltip on the English side omitted what the engine wrote before repair
    tree = lxml.html.parse(str(_page(tmp_path))).getroot()
    (mark,) = tree.xpath("//tr[@id='p2']/td[contains(@class,'target')]//mark")
    assert (
        mark.get("title")
        == "glossary: kernwapens → nuclear weapons: repaired by inject (nuclear arms)"
    )


def test_engine_sentence_beside_the_enforced_one() -> None:
    # issue 10: plain vs glossary side by side where enforcement changed the sentence
    tree = lxml.html.fromstring(HtmlFormat().dumps(_long_document(), PROVENANCE))
    (details,) = tree.xpath("//details[@class='engine']")
    assert details.getparent().getparent().get("id") == "p5"
    assert details.text_content().endswith("Paragraph 5 about Poetin and Kiev.")
