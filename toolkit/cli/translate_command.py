"""`toolkit translate`: Dutch text files in, bilingual files and English documents out."""

from __future__ import annotations

import json
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import (
    decoding_options,
    describe_glossary_choice,
    engine_settings,
    from_config,
    glossary_options,
    model_option,
    models_dir_option,
)
from toolkit.cli.progress import ProgressDisplay
from toolkit.documents import DEFAULT_INCLUDE
from toolkit.engines import ENGINES
from toolkit.formats import FORMATS
from toolkit.glossary.model import Glossary
from toolkit.run.inputs import MAX_DOCUMENT_BYTES
from toolkit.run.runners import RUNNERS
from toolkit.stages.settings import DEFAULT_BUDGET

STDIN = Path("-")


def _format_list(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:  # noqa: ARG001  (a click callback)
    names = tuple(name.strip() for name in value.split(","))
    for name in names:
        if name not in FORMATS:
            what = f"unknown format {name!r}" if name else f"an empty item in {value!r}"
            raise click.BadParameter(
                f"{what}; choose from {', '.join(FORMATS)} (comma-separated, e.g. po,xliff)"
            )
    return names


def _budget(ctx: click.Context, param: click.Parameter, value: object) -> float | None:  # noqa: ARG001  (a click callback)
    if value is None or str(value).strip().lower() == "none":
        return None
    try:
        share = float(str(value))
    except ValueError:
        share = -1.0
    if not share >= 0:
        raise click.BadParameter(f"{value!r} is not a share; give a number ≥ 0 (e.g. 0.5) or none")
    return share


@click.command("translate")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path))  # "-": standard input
@click.option(
    "--files-from",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A file listing inputs, one per line.",
)
@click.option(
    "--include",
    default=from_config("include", DEFAULT_INCLUDE),
    show_default="every supported type",
    help="Which files of a folder input are documents: comma-separated globs on the file "
    f"name, any case [default: {DEFAULT_INCLUDE}]. The summary counts and names the files "
    "it left out.",
)
@click.option(
    "-o",
    "--output",
    "outdir",
    type=click.Path(path_type=Path),
    help="Folder for the outputs (created if missing); optional only with INPUT `-`.",
)
@click.option(
    "--engine",
    default=from_config("engine", "argos"),
    show_default="argos",
    help=f"{' | '.join(ENGINES)} | package.module:ClassName",
)
@click.option(
    "--format",
    "formats",
    default=from_config("formats", "po"),
    show_default="po",
    callback=_format_list,
    help=f"Bilingual formats to write, comma-separated: {', '.join(FORMATS)}.",
)
@decoding_options
@glossary_options("to match and enforce")
@click.option("--strict", is_flag=True, help="Exit 1 when any glossary term is still unmet.")
@click.option(
    "--enforcement-budget",
    default=from_config("enforcement_budget", DEFAULT_BUDGET),
    show_default=str(DEFAULT_BUDGET),
    metavar="SHARE",
    callback=_budget,
    help="Extra decoding the glossary's enforcement may spend, as a share of the first "
    "decoding (0.5: a run costs at most about 1.5x a plain one; 0: n-best and post-edit "
    "only; none: no cap). A term the budget left unrepaired is flagged as missing.",
)
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
@click.option(
    "--quiet",
    is_flag=True,
    help="No progress: neither the bar on a terminal nor the line every 30 s in a log.",
)
@click.option(
    "--runner",
    type=click.Choice(list(RUNNERS)),
    default="local",
    show_default=True,
    help="local: this process. ray: Ray Data actors, one per --inter-threads x "
    "--intra-threads CPUs (needs the extra: pip install -e '.[ray]').",
)
@click.option(
    "--ray-address",
    metavar="ADDRESS",
    help="The Ray cluster for --runner ray (host:port, ray://host:10001, auto) "
    "[default: one started on this machine for the run].",
)
@models_dir_option
@model_option
def translate(  # noqa: C901  (to split: issue 25)
    inputs: tuple[Path, ...],
    files_from: Path | None,
    include: str,
    outdir: Path | None,
    engine: str,
    formats: tuple[str, ...],
    decoding: dict[str, Any],
    glossary: Glossary | None,
    strict: bool,
    enforcement_budget: float | None,
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
    runner: str,
    ray_address: str | None,
    models_dir: str | None,
    model_name: str | None,
) -> None:
    """Translate Dutch documents (or folders of them) into OUTDIR.

    Reads UTF-8 text (.txt), Word (.docx), OpenDocument (.odt), HTML and Markdown.
    For each NAME.EXT writes NAME.nl-en.po (one entry per paragraph, machine
    output marked fuzzy, formatting as placeholders such as <b1>…</b1>) and the
    English document in the same format: NAME.en.txt, NAME.en.docx, NAME.en.md…
    INPUT `-` reads the Dutch from standard input and writes the English to standard
    output (with -o, also OUTDIR/stdin.nl-en.po and the other formats).

    Defaults come from toolkit.toml (found from the current folder upwards): its
    glossary is enforced unless --no-glossary. The summary on stderr counts term
    outcomes: repaired, kept, missing, and not-checked (a term in a paragraph with no
    English to check it in, e.g. with --engine none).
    """
    from toolkit.engines import load_engine
    from toolkit.files import write_atomic, write_error
    from toolkit.run.inputs import read_file_list
    from toolkit.run.local import RunOptions
    from toolkit.run.outputs import STATE_FOLDER
    from toolkit.run.runners import Cluster, load_runner
    from toolkit.stages.settings import StageSettings

    all_inputs = list(inputs) + (read_file_list(files_from) if files_from else [])
    if not all_inputs:
        raise click.UsageError("give INPUT files or folders, or --files-from")
    from_stdin = STDIN in all_inputs
    if from_stdin and len(all_inputs) > 1:
        raise click.UsageError("`-` (standard input) must be the only INPUT")
    if outdir is None and not from_stdin:
        raise click.UsageError("Missing option '-o' / '--output': the folder for the outputs")
    if ray_address and runner != "ray":
        raise click.UsageError("--ray-address is for --runner ray; add it or drop the address")

    loaded_engine = load_engine(engine, engine_settings(decoding, models_dir, model_name))
    progress = ProgressDisplay(quiet)
    with ExitStack() as stack:
        if from_stdin:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="toolkit-")))
            all_inputs = [_stdin_to_file(scratch, max_document_bytes)]
            if outdir is None:  # only the English is wanted: the bilingual files are scratch
                outdir, no_cache, no_memory = scratch / "out", not cache_path, not memory_path
        assert outdir is not None
        options = RunOptions(
            formats=formats,
            stages=StageSettings(glossary, enforcement_budget, hold_above),
            cache_path=None if no_cache else cache_path or outdir / STATE_FOLDER / "cache.sqlite",
            memory_path=None if no_memory else memory_path or outdir / "memory.nl-en.tmx",
            force=force,
            include=include,
            documents_per_batch=batch_documents,
            max_document_bytes=max_document_bytes,
        )
        threads = engine_settings(decoding, models_dir, model_name)
        cluster = Cluster(ray_address, threads.inter_threads * threads.intra_threads)
        try:
            report = load_runner(runner)(
                all_inputs, outdir, loaded_engine, options, progress, cluster
            )
        finally:
            progress.close()
        english = outdir / "stdin.en.txt"
        if from_stdin and not report.failed:
            click.echo(english.read_text("utf-8"), nl=False)
    if report.nothing_to_do:
        click.echo(f"Error: {report.nothing_to_do}", err=True)
        sys.exit(1)
    for failed in report.failed:
        click.echo(f"Error: {failed.reason}", err=True)
    if glossary is None and not quiet:
        click.echo(describe_glossary_choice(None, "no terms enforced"), err=True)
    if report.caveat:
        click.echo(report.caveat.replace("WARNING: ", "Warning: ", 1), err=True)
    click.echo(report.summary(), err=True)
    if report_path is not None:
        try:
            write_atomic(report_path, json.dumps(report.as_dict(), indent=2) + "\n")
        except OSError as err:
            raise write_error(err, report_path) from None
    if report.failed or (strict and report.terms.get("missing")):
        sys.exit(1)


def _stdin_to_file(folder: Path, max_bytes: int) -> Path:
    """Standard input, checked as a file would be (size too), saved as `stdin.txt`."""
    from toolkit.errors import UserError
    from toolkit.files import decode_text, read_stream, write_atomic

    text = decode_text(read_stream(sys.stdin.buffer, max_bytes), "-")
    if not text.strip():
        raise UserError("is empty (no text to translate); pipe Dutch text in", path="-")
    path = folder / "stdin.txt"
    write_atomic(path, text)
    return path
