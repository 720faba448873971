"""`toolkit review`: status of reviewed files, and the final English from them."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from toolkit.cli.options import describe_glossary_choice, glossary_options
from toolkit.glossary.model import Glossary


@click.group("review")
def review() -> None:
    """Check reviewed PO/XLIFF/TMX/TSV files and write the final English."""


@review.command("status")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@glossary_options("to check the targets against")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option(
    "--worst",
    type=click.IntRange(1),
    metavar="N",
    help="List the N riskiest paragraphs with English across the files first, riskiest "
    "first, then each file's counts (term violations counted, not listed) "
    "(risk 0-100 checked afresh on the English as it stands; with --json the output is "
    '{"files": [...], "worst": [...]}).',
)
def status(
    files: tuple[Path, ...], glossary: Glossary | None, as_json: bool, worst: int | None
) -> None:
    """Per file: paragraphs reviewed, fuzzy, untranslated, and term violations.

    The glossary is toolkit.toml's unless --glossary or --no-glossary; stderr says which.
    """
    from toolkit.review import review_status, worst_paragraphs

    if not as_json:  # a script reads JSON, perhaps with stderr in the same stream
        click.echo(describe_glossary_choice(glossary, "term violations not checked"), err=True)
    results = [review_status(path, glossary) for path in files]
    ranked = worst_paragraphs(files, worst, glossary) if worst else []
    if as_json:
        statuses = [r.as_dict() for r in results]
        shown = {"files": statuses, "worst": [r.as_dict() for r in ranked]} if worst else statuses
        click.echo(json.dumps(shown, indent=2, ensure_ascii=False))
    else:
        if worst:  # the answer asked for comes first; the per-term lines would bury it
            click.echo(
                f"{len(ranked)} riskiest paragraphs (risk checked now on the files' English"
                f"{' and glossary' if glossary else ''}; 'written' is the translate run's):"
            )
            for risky in ranked:
                click.echo(risky.summary())
        for result in results:
            click.echo(result.summary())
            for problem in [] if worst else result.term_violations + result.tag_problems:
                click.echo(f"  {problem}")
        if worst and any(r.term_violations for r in results):
            click.echo("term violations counted only; run without --worst to list them", err=True)
    if any(r.term_violations or r.tag_problems for r in results):
        sys.exit(1)


@review.command("apply")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "outdir", required=True, type=click.Path(path_type=Path))
@click.option("--only-reviewed", is_flag=True, help="Leave out paragraphs nobody reviewed.")
@click.option(
    "--mark",
    is_flag=True,
    help="With --only-reviewed: keep unreviewed paragraphs, marked [UNREVIEWED].",
)
@click.option(
    "--source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check that the reviewed file still matches this Dutch source; a DOCX, ODT, "
    "HTML or Markdown source is written back translated (NAME.en.docx...).",
)
def apply(
    files: tuple[Path, ...], outdir: Path, only_reviewed: bool, mark: bool, source: Path | None
) -> None:
    """Write NAME.en.txt into OUTDIR from each reviewed NAME.nl-en.po (or .xlf, .tmx, .tsv).

    With --source NAME.docx (or .odt, .html, .md) writes NAME.en.docx: the source
    document with the reviewed English and its formatting put in.
    """
    from toolkit.errors import UserError
    from toolkit.review import apply_review, english_name

    # two inputs for one document (its PO and its XLIFF) would overwrite each other
    claimed: dict[str, Path] = {}
    for path in files:
        name = english_name(path)
        if name in claimed:
            raise UserError(
                f"{claimed[name]} and {path} both write {outdir / name}; apply one of them",
                path=path,
            )
        claimed[name] = path
    results = []
    for path in files:
        results.append(apply_review(path, outdir, only_reviewed, mark, source))
        click.echo(results[-1].summary())
    written = sum(r.written for r in results)
    empty = len(results) - written
    click.echo(
        f"{written} written, {empty} with nothing reviewed" if empty else f"{written} written"
    )
