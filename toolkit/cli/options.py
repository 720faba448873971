"""Options shared by several commands, defined once so they cannot drift apart."""

from __future__ import annotations

import click

models_dir_option = click.option(
    "--models-dir",
    envvar="TOOLKIT_MODELS_DIR",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of installed Argos packages [env TOOLKIT_MODELS_DIR; "
    "default: Argos's own, so models installed with argospm are found].",
)
