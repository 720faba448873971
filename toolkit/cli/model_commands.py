"""`toolkit model`: install and list Argos translation packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from toolkit.cli.options import models_dir_option


@click.group("model")
def model() -> None:
    """Install and list translation models (Argos packages)."""


@model.command("install")
@click.option(
    "--file",
    "package_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Install from a local .argosmodel file (the offline route).",
)
@click.option("--from", "from_code", default="nl", show_default=True)
@click.option("--to", "to_code", default="en", show_default=True)
@models_dir_option
def install(
    package_file: Path | None, from_code: str, to_code: str, models_dir: str | None
) -> None:
    """Install the Dutch→English package from the Argos index, or from --file."""
    from toolkit.engines import argos

    if package_file is not None:
        info = argos.install_from_file(package_file, models_dir, from_code, to_code)
    else:
        bars: list = []  # the bar appears once bytes arrive, not before an offline failure

        def progress(done: int, total: int | None) -> None:
            if not bars:
                bar = click.progressbar(length=total or 1, label="downloading", file=sys.stderr)
                bars.append(bar.__enter__())
            bars[0].update(done - bars[0].pos)

        try:
            info = argos.install_from_index(models_dir, from_code, to_code, progress)
        finally:
            if bars:
                bars[0].__exit__(None, None, None)
    click.echo(
        f"installed {info.name} {info.version} ({info.from_code}→{info.to_code}) in {info.path}"
    )


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@models_dir_option
def list_command(as_json: bool, models_dir: str | None) -> None:
    """Show installed packages: languages, version, size, path."""
    from toolkit.engines import argos

    models = argos.list_models(models_dir)
    if as_json:
        click.echo(json.dumps([m.as_dict() for m in models], indent=2))
        return
    if not models:
        click.echo(f"no models installed in {argos.models_folder(models_dir)}")
        return
    for m in models:
        size = f"{m.size_bytes / 1e6:.1f} MB"
        click.echo(f"{m.from_code}→{m.to_code}  {m.name}  version {m.version}  {size}  {m.path}")
