"""The `toolkit` command line: thin commands over the library.

Commands parse options, call one library function and print its result.
A `UserError` becomes one line on stderr and exit 1; usage errors exit 2.
Subcommand modules import heavy libraries only inside their functions.
"""

from __future__ import annotations

from typing import Any

import click

from toolkit import __version__
from toolkit.errors import UserError


class ToolkitGroup(click.Group):
    """Turns a user error anywhere below into one line and a non-zero exit."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as err:
            raise click.ClickException(str(err)) from None
        except KeyboardInterrupt:
            # 128 + SIGINT, as a shell reports a program Ctrl-C stopped; click would say 1
            click.echo("interrupted", err=True)
            raise click.exceptions.Exit(130) from None


@click.group(cls=ToolkitGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="toolkit")
def main() -> None:
    """Dutch→English translation against a curated glossary, with bilingual review files."""


def _register() -> None:
    from toolkit.cli.config_command import config_command
    from toolkit.cli.export_commands import export
    from toolkit.cli.glossary_commands import glossary
    from toolkit.cli.model_commands import model
    from toolkit.cli.review_commands import review
    from toolkit.cli.training_commands import adapt, train
    from toolkit.cli.translate_command import translate

    for command in (translate, review, model, glossary, export, config_command):
        main.add_command(command)
    model.add_command(train)
    model.add_command(adapt)


_register()
