"""Formatted documents the project did not write, translated and opened in LibreOffice (issue 26).

Takes Dutch HTML pages (the aptitude manual from Debian's `aptitude-doc-nl`), turns each into
DOCX and ODT with LibreOffice (`soffice --headless --convert-to`) and into Markdown with
pandoc, translates each format's folder with the engine given (no cache, no memory, so every
format costs the same decoding), and reports:

- the share of the run's time spent reading and writing the documents (`read_any` and
  `write_english`, timed inside the run);
- the structure LibreOffice sees in the Dutch and in the English: every file converted by
  `soffice` to ODT and its headings, list items, tables and images counted, and to PDF with
  the page count (`pdfinfo`); `--png DIR` also renders each English PDF's first page with
  `pdftoppm` to look at.

Run: `python benchmarks/bench_documents.py --pages /tmp/aptitude/usr/share/doc/aptitude/html/nl
--models-dir /tmp/models --work /tmp/bench-documents` (needs soffice, pandoc, pdfinfo).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

PAGES = ("ch01s01.html", "pr01s04s01.html", "ch02s02.html", "ch01s02.html")
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DRAW = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"


def soffice(args: list[str], cwd: Path) -> None:
    subprocess.run(
        ["soffice", "--headless", *args], cwd=cwd, check=True, capture_output=True, timeout=600
    )


def prepare(pages: Path, work: Path) -> dict[str, Path]:
    """One folder per format holding the same Dutch pages."""
    folders = {kind: work / "nl" / kind for kind in ("html", "docx", "odt", "md")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for name in PAGES:
        shutil.copy(pages / name, folders["html"] / name)
        subprocess.run(
            [
                "pandoc",
                "-f",
                "html",
                "-t",
                "gfm",
                "-o",
                str(folders["md"] / f"{Path(name).stem}.md"),
                str(pages / name),
            ],
            check=True,
        )
    html = [str(folders["html"] / name) for name in PAGES]
    soffice(
        ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folders["docx"]), *html], work
    )
    soffice(["--convert-to", "odt:writer8", "--outdir", str(folders["odt"]), *html], work)
    return folders


def timed_run(folder: Path, out: Path, engine: object) -> dict[str, float]:
    """Translate `folder`, timing the document readers and writers inside the run."""
    import toolkit.documents.base as base
    import toolkit.run.local as run_module
    import toolkit.run.outputs as outputs
    from toolkit.run.local import RunOptions, run_translate

    spent = {"read": 0.0, "write": 0.0, "split": 0.0}
    read_any, write_english = run_module.read_any, outputs.write_english
    split_sentences = base.split_sentences

    def timed_split(text: str):  # type: ignore[no-untyped-def]
        # sentence splitting: what a .txt input pays too, not the format's reading
        started = time.perf_counter()
        try:
            return split_sentences(text)
        finally:
            spent["split"] += time.perf_counter() - started

    base.split_sentences = timed_split  # type: ignore[assignment]

    def timed_read(path: Path):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return read_any(path)
        finally:
            spent["read"] += time.perf_counter() - started

    def timed_write(document):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return write_english(document)
        finally:
            spent["write"] += time.perf_counter() - started

    run_module.read_any, outputs.write_english = timed_read, timed_write  # type: ignore[assignment]
    try:
        started = time.perf_counter()
        report = run_translate([folder], out, engine, RunOptions(formats=("po", "xliff")))  # type: ignore[arg-type]
        total = time.perf_counter() - started
    finally:
        run_module.read_any, outputs.write_english = read_any, write_english  # type: ignore[assignment]
        base.split_sentences = split_sentences  # type: ignore[assignment]
    if report.failed:
        raise SystemExit(f"failed: {[d.reason for d in report.failed]}")
    paragraphs = sum(d.paragraphs for d in report.documents)
    return {
        "seconds": total,
        **spent,
        "paragraphs": paragraphs,
        "share": (spent["read"] - spent["split"] + spent["write"]) / total,
    }


def structures(paths: list[Path], scratch: Path, work: Path) -> dict[Path, dict[str, int]]:
    """Headings, list items, tables, images and PDF pages of each file as LibreOffice reads it.

    One `soffice` call per output type for all the files (each call starts LibreOffice).
    """
    scratch.mkdir(parents=True, exist_ok=True)
    soffice(["--convert-to", "odt:writer8", "--outdir", str(scratch), *map(str, paths)], work)
    soffice(["--convert-to", "pdf", "--outdir", str(scratch), *map(str, paths)], work)
    found = {}
    for path in paths:
        odt = scratch / f"{path.stem}.odt"
        content = etree.fromstring(
            zipfile.ZipFile(io.BytesIO(odt.read_bytes())).read("content.xml")
        )
        pdf = scratch / f"{path.stem}.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        pages = next(
            line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages:")
        )
        found[path] = {
            "headings": len(content.findall(f".//{{{TEXT}}}h")),
            "list items": len(content.findall(f".//{{{TEXT}}}list-item")),
            "paragraphs": len(content.findall(f".//{{{TEXT}}}p")),
            "tables": len(content.findall(f".//{{{TABLE}}}table")),
            "images": len(content.findall(f".//{{{DRAW}}}image")),
            "pages": int(pages),
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True, help="folder of the Dutch HTML pages")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--models-dir", required=True)
    parser.add_argument("--png", type=Path, help="render each English PDF's first page here")
    parser.add_argument("--formats", default="html,docx,odt,md", help="which formats to run")
    args = parser.parse_args()
    from toolkit.engines import load_engine
    from toolkit.engines.base import EngineSettings

    engine = load_engine("argos", EngineSettings(models_dir=args.models_dir))
    folders = prepare(args.pages, args.work)
    from toolkit.documents import read_any

    for folder in folders.values():  # one-time imports (parsers, the splitter) out of the timing
        read_any(next(p for p in sorted(folder.iterdir()) if p.is_file()))
    results = {}
    for kind, folder in folders.items():
        if kind not in args.formats.split(","):
            continue
        out = args.work / "en" / kind
        timing = timed_run(folder, out, engine)
        files = sorted(p for p in folder.iterdir() if p.is_file())
        englishes = [out / f"{dutch.stem}.en{dutch.suffix}" for dutch in files]
        scratch = args.work / "lo" / kind
        seen = structures(files + englishes, scratch, args.work)
        compared = []
        for dutch, english in zip(files, englishes, strict=True):
            before, after = seen[dutch], seen[english]
            compared.append(
                {
                    "file": dutch.name,
                    "dutch": before,
                    "english": after,
                    "same": {k: before[k] == after[k] for k in before},
                }
            )
            if args.png:
                args.png.mkdir(parents=True, exist_ok=True)
                pdf = scratch / f"{english.stem}.pdf"
                subprocess.run(
                    [
                        "pdftoppm",
                        "-png",
                        "-r",
                        "60",
                        "-f",
                        "1",
                        "-l",
                        "1",
                        str(pdf),
                        str(args.png / f"{kind}-{english.stem}"),
                    ],
                    check=True,
                )
        results[kind] = {"timing": timing, "documents": compared}
        print(
            f"{kind}: {timing['paragraphs']} paragraphs, run {timing['seconds']:.1f} s, "
            f"read {timing['read']:.2f} s (of which sentence splitting {timing['split']:.2f} s) + "
            f"write {timing['write']:.2f} s; parsing + writing = "
            f"{100 * timing['share']:.1f}% of the run",
            flush=True,
        )
        for entry in compared:
            print(f"  {entry['file']}: nl {entry['dutch']} en {entry['english']}", flush=True)
    (args.work / "results.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
