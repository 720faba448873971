"""`toolkit translate`: Dutch text files in, bilingual files and English documents out."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from toolkit.cli.options import glossary_option, models_dir_option
from toolkit.engines import ENGINES
from toolkit.engines.base import EngineSettings, default_threads
from toolkit.formats import FORMATS
from toolkit.glossary.model import Glossary
from toolkit.pipeline.inputs import MAX_DOCUMENT_BYTES


def _format_list(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in value.split(",") if name.strip())
    unknown = [name for name in names if name not in FORMATS]
    if unknown or not names:
        raise click.BadParameter(f"choose from {', '.join(FORMATS)} (comma-separated)")
    return names


@click.command("translate")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--files-from",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file listing inputs, one per line.",
)
@click.option(
    "--include",
    default="*.txt",
    show_default=True,
    help="Which files of a folder input are documents (glob on the file name).",
)
@click.option(
    "-o",
    "--output",
    "outdir",
    required=True,
    type=click.Path(path_type=Path),
    help="Folder for the outputs (created if missing).",
)
@click.option(
    "--engine",
    default="argos",
    show_default=True,
    help=f"{' | '.join(ENGINES)} | package.module:ClassName",
)
@click.option(
    "--format",
    "formats",
    default="po",
    show_default=True,
    callback=_format_list,
    help=f"Bilingual formats to write, comma-separated: {', '.join(FORMATS)}.",
)
@click.option("--beam-size", default=4, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--inter-threads",
    default=default_threads(),
    show_default=True,
    type=click.IntRange(1),
    help="CTranslate2 batches decoded in parallel (one worker each).",
)
@click.option(
    "--intra-threads",
    default=1,
    show_default=True,
    type=click.IntRange(1),
    help="CTranslate2 threads inside each worker.",
)
@click.option(
    "--max-batch-size",
    default=16,
    show_default=True,
    type=click.IntRange(1),
    help="Sentences per CTranslate2 batch.",
)
@click.option(
    "--compute-type",
    default="auto",
    show_default=True,
    help="CTranslate2 compute type (auto, int8, float32, ...).",
)
@click.option("--max-decoding-length", default=256, show_default=True, type=click.IntRange(1))
@glossary_option("to match and enforce")
@click.option("--strict", is_flag=True, help="Exit 1 when any glossary term is still unmet.")
@click.option(
    "--batch-documents",
    default=32,
    show_default=True,
    type=click.IntRange(1),
    help="Documents per batch: each finished batch is on disk, so a rerun resumes there.",
)
@click.option("--force", is_flag=True, help="Redo documents whose outputs are up to date.")
@click.option(
    "--hold-above",
    type=click.IntRange(0, 100),
    metavar="RISK",
    help="Leave paragraphs whose risk is above RISK untranslated, for translating by hand "
    "(risk: 0 safe to 100 needs real work, from the QA checks, terms and engine confidence; "
    "40 = one serious finding). The engine's suggestion is kept in a note. [default: off]",
)
@click.option(
    "--max-document-bytes",
    default=MAX_DOCUMENT_BYTES,
    show_default=True,
    type=click.IntRange(1),
    help="A larger input file fails alone (the others are translated).",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation cache file [default: OUTDIR/.toolkit/cache.sqlite].",
)
@click.option("--no-cache", is_flag=True, help="Decode every sentence; read and write no cache.")
@click.option(
    "--memory",
    "memory_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation memory TMX: exact matches reused, reviewed work added "
    "[default: OUTDIR/memory.nl-en.tmx].",
)
@click.option("--no-memory", is_flag=True, help="Use no translation memory.")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the run report as JSON to this file.",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@models_dir_option
def translate(
    inputs: tuple[Path, ...],
    files_from: Path | None,
    include: str,
    outdir: Path,
    engine: str,
    formats: tuple[str, ...],
    beam_size: int,
    inter_threads: int,
    intra_threads: int,
    max_batch_size: int,
    compute_type: str,
    max_decoding_length: int,
    glossary: Glossary | None,
    strict: bool,
    batch_documents: int,
    force: bool,
    hold_above: int | None,
    max_document_bytes: int,
    cache_path: Path | None,
    no_cache: bool,
    memory_path: Path | None,
    no_memory: bool,
    report_path: Path | None,
    quiet: bool,
    models_dir: str | None,
) -> None:
    """Translate Dutch UTF-8 text files (or folders of them) into OUTDIR.

    For each NAME.txt writes NAME.nl-en.po (one entry per paragraph, machine
    output marked fuzzy) and NAME.en.txt (the English, paragraph for paragraph).
    """
    from toolkit.engines import load_engine
    from toolkit.files import write_atomic
    from toolkit.pipeline.inputs import read_file_list
    from toolkit.pipeline.outputs import STATE_FOLDER
    from toolkit.pipeline.run import RunOptions, run_translate

    all_inputs = list(inputs) + (read_file_list(files_from) if files_from else [])
    if not all_inputs:
        raise click.UsageError("give INPUT files or folders, or --files-from")

    settings = EngineSettings(
        models_dir=models_dir,
        beam_size=beam_size,
        inter_threads=inter_threads,
        intra_threads=intra_threads,
        max_batch_size=max_batch_size,
        compute_type=compute_type,
        max_decoding_length=max_decoding_length,
    )
    loaded_engine = load_engine(engine, settings)
    show_bar = not quiet and sys.stderr.isatty()
    bar = click.progressbar(length=1, label="documents", file=sys.stderr) if show_bar else None

    def on_total(total: int) -> None:
        if bar is not None:
            bar.length = max(total, 1)
            bar.__enter__()

    def progress(done: int) -> None:
        if bar is not None:
            bar.update(done)

    try:
        options = RunOptions(
            formats=formats,
            glossary=glossary,
            cache_path=None if no_cache else cache_path or outdir / STATE_FOLDER / "cache.sqlite",
            memory_path=None if no_memory else memory_path or outdir / "memory.nl-en.tmx",
            force=force,
            include=include,
            documents_per_batch=batch_documents,
            max_document_bytes=max_document_bytes,
            hold_above=hold_above,
        )
        report = run_translate(all_inputs, outdir, loaded_engine, options, progress, on_total)
    finally:
        if bar is not None:
            bar.render_finish()
    for failed in report.failed:
        click.echo(f"error: {failed.reason}", err=True)
    click.echo(report.summary(), err=True)
    if report_path is not None:
        write_atomic(report_path, json.dumps(report.as_dict(), indent=2) + "\n")
    if report.failed or (strict and report.terms.get("missing")):
        sys.exit(1)
