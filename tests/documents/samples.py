"""Small Dutch documents in each format, built with the formats' own libraries.

python-docx and odfpy write the DOCX and ODT the way Word and LibreOffice
users' files look (styles, numbering, tables, runs); a hyperlink and a field
are added to the DOCX as raw OOXML, as python-docx has no API for them.
"""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from lxml import etree

from toolkit.documents import read_source

# a 1x1 PNG, for an inline image
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

MARKDOWN = """\
---
title: Kernwapens
tags: [nieuws, defensie]
---
# Kernwapens in Belarus

De **Russische** president *Poetin* zei dat [de wapens](https://nos.nl/artikel/123?a=1&b=2 "NOS")
in `Minsk` staan.

- eerste punt
- tweede punt met **vet
  over twee regels**

1. een
2. twee\\
   met harde regel

```sh
echo "niet vertalen"
```

| Land | Hoofdstad |
|------|-----------|
| België | Brussel |

> Citaat van ***iemand*** <https://example.org/pad>.

![kaart van Belarus](kaart.png "Kaart")
"""

HTML = """\
<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Kernwapens in Belarus</title></head>
<body>
<h1>Kernwapens in Belarus</h1>
<p>De <b>Russische</b> president <i>Poetin</i> zei dat
<a href="https://nos.nl/a?x=1&amp;y=2" title="NOS">de wapens</a> in <code>Minsk</code> staan.<br>
Tweede regel.</p>
<ul><li>eerste punt</li><li>tweede punt met <strong>vet</strong></li></ul>
<table><tr><th>Land</th><th>Hoofdstad</th></tr><tr><td>België</td><td>Brussel</td></tr></table>
<p><img src="kaart.png" alt="kaart"> Zie de kaart.</p>
<pre>echo "niet vertalen"</pre>
<script>var tekst = "niet vertalen";</script>
</body>
</html>
"""

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def docx_bytes() -> bytes:
    """A Word document: heading, bold and italic runs, a hyperlink, a field, a list, a
    table, a line break, an image and a footnote-free second section of text."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.add_heading("Kernwapens in Belarus", 1)
    paragraph = document.add_paragraph("De ")
    paragraph.add_run("Russische").bold = True
    paragraph.add_run(" president ")
    paragraph.add_run("Poetin").italic = True
    paragraph.add_run(" zei dat ")
    relation = document.part.relate_to(
        "https://nos.nl/a?x=1&y=2",
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
        is_external=True,
    )
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "de wapens"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    paragraph.add_run(" in Minsk staan (pagina ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    field_run = OxmlElement("w:r")
    field_text = OxmlElement("w:t")
    field_text.text = "1"
    field_run.append(field_text)
    field.append(field_run)
    paragraph._p.append(field)
    paragraph.add_run(").")
    document.add_paragraph("eerste punt", style="List Bullet")
    document.add_paragraph("tweede punt", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate((("Land", "Hoofdstad"), ("België", "Brussel"))):
        for column, value in enumerate(cells):
            table.cell(row, column).text = value
    paragraph = document.add_paragraph("Regel een")
    paragraph.add_run().add_break()
    paragraph.add_run("regel twee.")
    paragraph = document.add_paragraph("Zie de kaart ")
    paragraph.add_run().add_picture(io.BytesIO(PNG))
    paragraph.add_run(" hierboven.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes() -> bytes:
    """An OpenDocument text: heading, bold span, link, list, table, line break."""
    from odf import teletype  # noqa: F401  (odfpy's modules register the elements)
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, LineBreak, List, ListItem, P, Span

    document = OpenDocumentText()
    bold = Style(name="Vet", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    document.automaticstyles.addElement(bold)
    document.text.addElement(H(outlinelevel=1, text="Kernwapens in Belarus"))
    paragraph = P(text="De ")
    paragraph.addElement(Span(stylename=bold, text="Russische"))
    paragraph.addText(" president zei dat ")
    paragraph.addElement(A(href="https://nos.nl/a?x=1", text="de wapens"))
    paragraph.addText(" in Minsk staan.")
    paragraph.addElement(LineBreak())
    paragraph.addText("Tweede regel.")
    document.text.addElement(paragraph)
    items = List()
    for value in ("eerste punt", "tweede punt"):
        item = ListItem()
        item.addElement(P(text=value))
        items.addElement(item)
    document.text.addElement(items)
    table = Table(name="Landen")
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for cells in (("Land", "Hoofdstad"), ("België", "Brussel")):
        row = TableRow()
        for value in cells:
            cell = TableCell()
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    document.text.addElement(table)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def write_samples(folder: Path) -> dict[str, Path]:
    """One sample of each format in `folder`, by format name."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "md": folder / "artikel.md",
        "html": folder / "pagina.html",
        "docx": folder / "brief.docx",
        "odt": folder / "notitie.odt",
    }
    paths["md"].write_text(MARKDOWN, "utf-8")
    paths["html"].write_text(HTML, "utf-8")
    paths["docx"].write_bytes(docx_bytes())
    paths["odt"].write_bytes(odt_bytes())
    return paths


def model(path: Path) -> list[tuple[str, bool, list[tuple[str, int, int, bool, str]]]]:
    """What a comparison of two versions looks at: each block's text, heading, tags."""
    document = read_source(path, path.read_bytes())
    return [
        (p.source, p.heading, [(t.kind, t.start, t.end, t.paired, t.content) for t in p.tags])
        for p in document.paragraphs
    ]


def with_part(data: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    """A copy of a ZIP package with one part's text changed by `change`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == name:
                content = change(content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def xml_part(data: bytes, name: str) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read(name))
