"""An OmegaT 3.6 project built from our translations, for translators who review in OmegaT.

`export_omegat_project` writes `omegat.project` (nl→en, paragraph segmentation), the Dutch
sources byte for byte under `source/`, a text-filter setting that makes OmegaT's segments our
paragraphs, and the translations as paragraph-level TMX: reviewed work under `tm/auto/`
(OmegaT inserts it as the translation on load), unreviewed machine output under
`tm/mt/penalty-30/` (OmegaT 3.6 offers it as a 70% match, never inserted, so neither its
statistics nor its target files count machine output as done; OmegaT 4 and later also read
`tm/mt/` as machine translation). OmegaT displays no TMX note, so each machine-output
segment's risk and flags (one note, what needs attention first) also go into a new
project's `omegat/project_save.tmx` as a note without a translation: the Notes pane shows
it, the segment stays untranslated. The glossary is OmegaT TSV under `glossary/`: allowed
English only, the note and the forbidden renderings in the comment, once. It refuses a
non-empty folder unless forced, so a translator's project is never overwritten silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from toolkit.document import Document, Paragraph, ReviewState
from toolkit.errors import UserError
from toolkit.files import read_text, write_atomic
from toolkit.formats import FORMATS, WRITE_ONLY, Provenance
from toolkit.formats.tmx import TmxFormat
from toolkit.glossary.model import Glossary
from toolkit.glossary.omegat import write_omegat
from toolkit.review import check_against_source, load_reviewed
from toolkit.run.inputs import collect_inputs
from toolkit.segment import segment_text
from toolkit.stages.settings import describe_glossary

PROJECT_FILE = "omegat.project"
# OmegaT 3.6 reads tm/auto/ at load and fills every untranslated segment with an exact
# match from it, counted as translated: only a translator's reviewed work goes there.
AUTO_TM = Path("tm") / "auto"
# Any other folder under tm/ is an ordinary memory to OmegaT 3.6: matches in the Matches
# pane, never inserted; but an identical source is a 100% match, which says "exact" about
# machine output. A folder named penalty-N lowers its matches by N% (OmegaT 3.6's
# FindMatches reads `penalty-(\d+)` in the path), and OmegaT 4 and later read tm/mt/ as
# machine translation: the path serves both.
MACHINE_PENALTY = 30
MACHINE_TM = Path("tm") / "mt" / f"penalty-{MACHINE_PENALTY}"
PROJECT_SAVE = Path("omegat") / "project_save.tmx"  # the translator's work and notes
GLOSSARY_TSV = "glossary.txt"  # also the project's writable glossary: new terms land here
FOLDERS = {
    "source_dir": "source/",
    "target_dir": "target/",
    "tm_dir": "tm/",
    "glossary_dir": "glossary/",
    "dictionary_dir": "dictionary/",
}
TOKENIZERS = {
    "source_tok": "org.omegat.tokenizer.LuceneDutchTokenizer",
    "target_tok": "org.omegat.tokenizer.LuceneEnglishTokenizer",
}
# OmegaT's text filter makes each line a segment by default; ours are blank-line blocks.
TEXT_FILTER = "org.omegat.filters2.text.TextFilter"
# What that filter calls a paragraph: lines up to an empty one (a line of spaces is not).
OMEGAT_BLOCK = re.compile(r"[^\n]+(?:\n[^\n]+)*")
# A unit made of several paragraphs is as far along as the least reviewed of them.
STATE_ORDER = (ReviewState.UNTRANSLATED, ReviewState.MACHINE, ReviewState.REVIEWED)


@dataclass
class ProjectExport:
    """What went into the project, for the summary line."""

    path: Path
    documents: int = 0
    paragraphs: int = 0
    reviewed: int = 0  # inserted by OmegaT as translated
    machine: int = 0  # offered as matches, still to translate in OmegaT
    glossary_entries: int = 0
    notes: int = 0  # risk notes written into project_save.tmx
    notes_kept_out: bool = False  # a translator's project_save.tmx was there: not touched
    translations: list[Path] = field(default_factory=list)  # the files the targets came from

    def summary(self) -> str:
        untranslated = self.paragraphs - self.reviewed - self.machine
        glossary = (
            f"; glossary/{GLOSSARY_TSV} with {self.glossary_entries} entries"
            if self.glossary_entries
            else ""
        )
        if self.notes_kept_out:
            notes = (
                f"; risk notes not written: {PROJECT_SAVE} is the translator's (export into "
                "a new folder to get them)"
            )
        else:
            notes = f"; risk and flags as notes on {self.notes} segments" if self.notes else ""
        return (
            f"OmegaT project {self.path}: {self.documents} documents, {self.paragraphs} "
            f"paragraphs: {self.reviewed} reviewed (inserted as translated), {self.machine} "
            f"machine output (in {MACHINE_TM.as_posix()}/, offered as "
            f"{100 - MACHINE_PENALTY}% matches, still to translate), {untranslated} "
            f"untranslated{glossary}{notes}"
        )


@dataclass
class _Source:
    path: Path
    relative: Path  # under source/, mirroring the input folders
    document: Document  # the translation, checked against the source


def export_omegat_project(
    project_dir: Path,
    inputs: list[Path],
    translations_dir: Path,
    glossary: Glossary | None = None,
    force: bool = False,
) -> ProjectExport:
    """Write an OmegaT project for `inputs` with the translations found in `translations_dir`.

    Everything is read and checked before the first file is written, so a missing or
    stale translation leaves no half-written project behind.
    """
    _check_project_dir(project_dir, force)
    sources = _load_sources(inputs, translations_dir)
    export = ProjectExport(path=project_dir)
    write_atomic(project_dir / PROJECT_FILE, project_properties())
    write_atomic(project_dir / "omegat" / "filters.xml", filters_config())
    for folder in FOLDERS.values():
        (project_dir / folder).mkdir(parents=True, exist_ok=True)
    (project_dir / AUTO_TM).mkdir(parents=True, exist_ok=True)
    provenance = Provenance(engine="omegat export", glossary=describe_glossary(glossary))
    _remove_stale_machine_memory(project_dir)
    noted: list[Paragraph] = []
    for source in sources:
        text = source.path.read_bytes()
        write_atomic(project_dir / "source" / source.relative, text)
        memory = omegat_segments(source.document, read_text(source.path))
        name = source.relative.with_name(source.path.stem + TmxFormat.suffix)
        for memory_folder, units in split_by_review(memory).items():
            path = project_dir / memory_folder / name
            if units.paragraphs:
                write_atomic(path, paragraph_tmx(units, provenance))
            elif path.exists():  # exported again after review: no stale machine output
                path.unlink()
        noted += [u for u in memory.paragraphs if u.state is not ReviewState.REVIEWED and u.notes]
        paragraphs = source.document.paragraphs
        export.documents += 1
        export.paragraphs += len(paragraphs)
        states = [p.state for p in paragraphs if p.target]
        export.reviewed += states.count(ReviewState.REVIEWED)
        export.machine += states.count(ReviewState.MACHINE)
        export.translations.append(Path(source.document.path))
    if (project_dir / PROJECT_SAVE).exists():
        export.notes_kept_out = bool(noted)
    elif noted:
        write_atomic(project_dir / PROJECT_SAVE, segment_notes(noted, provenance))
        export.notes = len(noted)
    if glossary is not None:
        # TSV only: OmegaT shows every term of a TBX entry as a translation, forbidden
        # renderings and status lines included
        write_omegat(glossary, project_dir / "glossary" / GLOSSARY_TSV, for_review=True)
        export.glossary_entries = len(glossary.entries)
    return export


def _remove_stale_machine_memory(project_dir: Path) -> None:
    """Machine output an earlier export put straight under tm/mt/ (a 100% match to OmegaT
    3.6) is replaced by the penalty folder's; only our own NAME.nl-en.tmx files go."""
    old = project_dir / MACHINE_TM.parent
    if old.is_dir():
        for path in old.glob(f"*{TmxFormat.suffix}"):
            path.unlink()


def segment_notes(units: list[Paragraph], provenance: Provenance) -> str:
    """`project_save.tmx` holding one note per segment and no translation.

    OmegaT shows a segment's note in its Notes pane; a unit without a target-language
    variant leaves the segment untranslated. The note is the unit's notes, a line each,
    risk and flags first, as in the TMX memory.
    """
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        {
            "creationtool": "toolkit",
            "creationtoolversion": provenance.toolkit_version,
            "o-tmf": "OmegaT TMX",
            "adminlang": "EN-US",
            "datatype": "plaintext",
            "segtype": "paragraph",
            "srclang": "nl",
        },
    )
    body = etree.SubElement(root, "body")
    for unit in units:
        tu = etree.SubElement(body, "tu")
        etree.SubElement(tu, "note").text = "\n".join(unit.notes)
        tuv = etree.SubElement(tu, "tuv", {"{http://www.w3.org/XML/1998/namespace}lang": "nl"})
        etree.SubElement(tuv, "seg").text = unit.source
    return _xml(root)


def _check_project_dir(project_dir: Path, force: bool) -> None:
    if project_dir.exists() and not project_dir.is_dir():
        raise UserError("is a file, expected a folder for the OmegaT project", path=project_dir)
    if project_dir.is_dir() and any(project_dir.iterdir()) and not force:
        raise UserError(
            "is not empty; choose a new folder for the OmegaT project, or pass --force to "
            "write into it (a translator's omegat/project_save.tmx is kept)",
            path=project_dir,
        )


def _load_sources(inputs: list[Path], translations_dir: Path) -> list[_Source]:
    sources: list[_Source] = []
    claimed: dict[Path, Path] = {}
    for path, subfolder in collect_inputs(inputs):
        relative = subfolder / path.name
        if relative in claimed:
            raise UserError(
                f"would be source/{relative} like {claimed[relative]}; rename one or export "
                "them to different projects",
                path=path,
            )
        claimed[relative] = path
        if path.suffix != ".txt":
            raise UserError(
                "the project's text filter reads .txt files only; rename it to .txt", path=path
            )
        document = load_reviewed(find_translation(path, translations_dir / subfolder))
        check_against_source(document, path)
        sources.append(_Source(path, relative, document))
    if not sources:
        raise UserError("no .txt documents among the inputs; give the Dutch source files")
    return sources


def find_translation(source: Path, folder: Path) -> Path:
    """The bilingual file translated from `source`: the newest, as the one last reviewed."""
    readable = [fmt.suffix for fmt in FORMATS.values() if fmt.name not in WRITE_ONLY]
    found = [folder / f"{source.stem}{suffix}" for suffix in readable]
    found = [path for path in found if path.is_file()]
    if not found:
        raise UserError(
            f"no translation in {folder} (looked for {source.stem}"
            f"{{{','.join(readable)}}}); run toolkit translate on it first",
            path=source,
        )
    return max(found, key=lambda path: path.stat().st_mtime_ns)


def omegat_segments(document: Document, source_text: str) -> Document:
    """The translation cut the way OmegaT's text filter cuts the source: one unit per segment.

    OmegaT ends a segment only at an empty line and trims its ends, so its segment can hold
    more than our paragraph: the metadata prefix our segmenter keeps out of the first
    paragraph (`date 2023-04 Geen…`), or two paragraphs parted by a line of spaces. Such a
    unit's English is the segment with each paragraph replaced by its target, the prefix
    kept, the way our English document writes it. A segment with an untranslated paragraph
    gets no unit (the translator starts from the Dutch), nor does one holding only a prefix.
    """
    fresh = segment_text(source_text, name=document.name)
    targets = {
        paragraph.start: translated
        for paragraph, translated in zip(fresh.paragraphs, document.paragraphs, strict=True)
    }
    units: list[Paragraph] = []
    for block in OMEGAT_BLOCK.finditer(source_text):
        begin = block.start() + len(block.group()) - len(block.group().lstrip())
        end = block.start() + len(block.group().rstrip())
        inside = [p for p in fresh.paragraphs if begin <= p.start < end]
        if not inside or not all(targets[p.start].target for p in inside):
            continue
        pieces, cursor = [], begin
        for paragraph in inside:
            pieces += [source_text[cursor : paragraph.start], targets[paragraph.start].target]
            cursor = paragraph.start + len(paragraph.source)
        pieces.append(source_text[cursor:end])
        first = targets[inside[0].start]
        units.append(
            Paragraph(
                index=first.index,
                source=source_text[begin:end],
                line=first.line,
                start=begin,
                target="".join(pieces),
                state=min((targets[p.start].state for p in inside), key=STATE_ORDER.index),
                notes=list(dict.fromkeys(n for p in inside for n in targets[p.start].notes)),
                translator_comment=first.translator_comment,
            )
        )
    return Document(name=document.name, path=document.path, text=source_text, paragraphs=units)


def split_by_review(document: Document) -> dict[Path, Document]:
    """The units OmegaT may insert as translations (reviewed) and those it may only offer."""
    parts: dict[Path, list[Paragraph]] = {AUTO_TM: [], MACHINE_TM: []}
    for unit in document.paragraphs:
        reviewed = unit.state is ReviewState.REVIEWED
        parts[AUTO_TM if reviewed else MACHINE_TM].append(unit)
    return {
        folder: Document(name=document.name, path=document.path, text=document.text,
                         paragraphs=units)
        for folder, units in parts.items()
    }  # fmt: skip


def paragraph_tmx(document: Document, provenance: Provenance) -> str:
    """TMX whose header says what its units are: OmegaT splits paragraph-level memories
    into sentences should the translator switch sentence segmentation on.

    OmegaT shows one note per segment (the last), so a unit's notes become one note,
    a line each, with what needs attention (risk, flags) first."""
    root = etree.fromstring(TmxFormat().dumps(document, provenance).encode("utf-8"))
    root.find("header").set("segtype", "paragraph")
    for unit in root.iter("tu"):
        notes = unit.findall("note")
        for extra in notes[1:]:
            unit.remove(extra)
        if len(notes) > 1:
            notes[0].text = "\n".join(note.text or "" for note in notes)
    text: str = etree.tostring(
        root.getroottree(), xml_declaration=True, encoding="UTF-8", pretty_print=True
    ).decode("utf-8")
    return text


def project_properties() -> str:
    """`omegat.project` as OmegaT 3.6 writes it (project_properties.xsd, version 1.0)."""
    root = etree.Element("omegat")
    project = etree.SubElement(root, "project", version="1.0")
    settings = {
        **FOLDERS,
        "glossary_file": GLOSSARY_TSV,  # relative to glossary_dir
        "source_lang": "nl",
        "target_lang": "en",
        **TOKENIZERS,
        # paragraph segmentation: our units are paragraphs, and so is the TM
        "sentence_seg": "false",
        "support_default_translations": "true",
        "remove_tags": "false",
    }
    for name, value in settings.items():
        etree.SubElement(project, name).text = value
    excludes = etree.SubElement(project, "source_dir_excludes")
    for mask in ("**/.svn/**", "**/CVS/**", "**/.cvs/**", "**/desktop.ini", "**/Thumbs.db"):
        etree.SubElement(excludes, "mask").text = mask
    return _xml(root, standalone=True)


def filters_config() -> str:
    """`omegat/filters.xml`: .txt files in UTF-8, one segment per blank-line paragraph."""
    root = etree.Element(
        "filters",
        removeTags="false",
        removeSpacesNonseg="true",  # the leading space of a paragraph is not translated
        preserveSpaces="false",
        ignoreFileContext="false",
    )
    text = etree.SubElement(root, "filter", className=TEXT_FILTER, enabled="true")
    etree.SubElement(
        text,
        "files",
        sourceFilenameMask="*.txt",
        targetFilenamePattern="${filename}",
        sourceEncoding="UTF-8",
        targetEncoding="UTF-8",
    )
    for name, value in (("segmentOn", "EMPTYLINES"), ("lineLength", ""), ("maxLineLength", "")):
        etree.SubElement(text, "option", name=name, value=value)
    return _xml(root)


def _xml(root: etree._Element, standalone: bool | None = None) -> str:
    text: str = etree.tostring(
        root, xml_declaration=True, encoding="UTF-8", standalone=standalone, pretty_print=True
    ).decode("utf-8")
    return text
