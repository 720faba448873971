"""Options shared by several commands, defined once so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

models_dir_option = click.option(
    "--models-dir",
    envvar="TOOLKIT_MODELS_DIR",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of installed Argos packages [env TOOLKIT_MODELS_DIR; "
    "default: Argos's own, so models installed with argospm are found].",
)


def _read_glossary(ctx: click.Context, param: click.Parameter, value: Path | None):
    if value is None:
        return None
    from toolkit.glossary.tsv import read_glossary

    return read_glossary(value)


def glossary_option(purpose: str) -> Callable[[Callable], Callable]:
    """`--glossary PATH` (or TOOLKIT_GLOSSARY), passed to the command as a loaded `Glossary`."""
    return click.option(
        "--glossary",
        envvar="TOOLKIT_GLOSSARY",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=_read_glossary,
        help=f"Glossary TSV {purpose} [env TOOLKIT_GLOSSARY].",
    )
