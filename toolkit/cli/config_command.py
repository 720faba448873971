"""`toolkit config`: which configuration files are in force, and what each setting is.

Settings come from the command line, then environment variables, then the project's
`toolkit.toml`, then the user's; this prints the files in the order they count and,
per setting, its value and where it came from, so a missing glossary is never a mystery.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from toolkit.cli.options import project_config, user_config_path
from toolkit.config import DECODING, decoding_default

# Config field → (what `toolkit translate` uses without one, its environment variable)
SETTINGS: dict[str, tuple[str, str | None]] = {
    "glossary": ("none", "TOOLKIT_GLOSSARY"),
    "engine": ("argos", None),
    "formats": ("po", None),
    "include": ("*.txt", None),
    "models_dir": ("Argos's own package folder", "TOOLKIT_MODELS_DIR"),
    "index_url": ("Argos's own index", "ARGOS_PACKAGE_INDEX"),
    "enforcement_budget": ("0.5", None),
}


@click.command("config")
def config_command() -> None:
    """Show the configuration files in force, in the order they count, and each setting."""
    config = project_config()
    named = os.environ.get("TOOLKIT_CONFIG")
    if named is not None:
        click.echo(f"TOOLKIT_CONFIG: {named}" if named else "TOOLKIT_CONFIG is empty: no file")
        click.echo("(project and user toolkit.toml are not read while TOOLKIT_CONFIG is set)")
    else:
        roles = dict(config.files)
        project = roles.get("project")
        click.echo(
            f"project: {project}"
            if project
            else f"project: none found (toolkit.toml or pyproject.toml [tool.toolkit] "
            f"from {Path.cwd()} upwards)"
        )
        user = roles.get("user")
        click.echo(f"user: {user}" if user else f"user: none ({user_config_path()} not found)")
    for name, (fallback, variable) in SETTINGS.items():
        key = name.replace("_", "-")
        if variable and os.environ.get(variable):
            click.echo(f"{key}: {os.environ[variable]} (from {variable})")
            continue
        value = getattr(config, name)
        if value is None:
            click.echo(f"{key}: {fallback}" + ("" if fallback == "none" else " (default)"))
            continue
        shown = ",".join(value) if isinstance(value, tuple) else value
        click.echo(f"{key}: {shown} (from {config.origin(name)})")
    for name in DECODING:
        key = f"decoding.{name.replace('_', '-')}"
        if name in config.decoding:
            click.echo(f"{key}: {config.decoding[name]} (from {config.origin('decoding.' + name)})")
        else:
            click.echo(f"{key}: {decoding_default(name)} (default)")
