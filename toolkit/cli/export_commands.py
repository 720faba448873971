"""`toolkit export`: hand translations over to a translator's tool as a ready project."""

from __future__ import annotations

from pathlib import Path

import click

from toolkit.cli.options import glossary_options
from toolkit.glossary.model import Glossary


@click.group("export")
def export() -> None:
    """Export translations as a project for a translator's CAT tool."""


@export.command("omegat")
@click.argument("project_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--translations",
    "translations_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The output folder of toolkit translate: NAME.nl-en.po (or .xlf/.tmx/.tsv) per input.",
)
@glossary_options("to put in the project as OmegaT TSV (glossary/glossary.txt)")
@click.option("--force", is_flag=True, help="Write into PROJECT_DIR even if it is not empty.")
def omegat(
    project_dir: Path,
    inputs: tuple[Path, ...],
    translations_dir: Path,
    glossary: Glossary | None,
    force: bool,
) -> None:
    """Write an OmegaT 3.6 project for the Dutch INPUT files (or folders) into PROJECT_DIR.

    Reviewed paragraphs go in as paragraph-level TMX under tm/auto/, which OmegaT inserts
    as translated when it opens the project. Machine output goes under tm/mt/penalty-30/:
    offered in the Matches pane as a 70% match, never inserted, still to translate. Each
    machine-output segment's risk and flags are a note in the Notes pane (in a new
    project's omegat/project_save.tmx). The glossary is OmegaT TSV.
    """
    from toolkit.omegat_project import export_omegat_project

    result = export_omegat_project(project_dir, list(inputs), translations_dir, glossary, force)
    for path in result.translations:
        click.echo(f"  translation: {path}")
    click.echo(result.summary())
