"""`toolkit glossary`: lint, export, import and scan against the curated glossary.

Thin commands over `toolkit.glossary`; none of them loads a translation engine. A user error
is one line and exit 1; a lint finding is a line per problem and exit 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from click.core import ParameterSource

from toolkit.cli.options import from_config, project_config
from toolkit.errors import UserError
from toolkit.files import read_text, write_error
from toolkit.glossary.exchange import EXCHANGE_FORMATS
from toolkit.glossary.lint import lint_glossary
from toolkit.glossary.tsv import read_glossary, write_glossary

DEFAULT_GLOSSARY = Path("glossary") / "nl-en.tsv"  # in the current folder, without a config


def _default_glossary() -> str | None:
    """toolkit.toml's glossary, else glossary/nl-en.tsv here, else None."""
    configured = from_config("glossary")()
    if configured:
        return str(configured)
    return str(DEFAULT_GLOSSARY) if DEFAULT_GLOSSARY.is_file() else None


def _chosen_glossary(param: str, path: Path | None, quiet: bool = False) -> Path:
    """The glossary to use; when it was not given, say on stderr which one and from where."""
    if path is None:
        config = project_config()
        where = f"set in {config.path}" if config.path else "no toolkit.toml found"
        raise click.UsageError(
            f"no glossary given and none configured ({where}); pass the glossary TSV, "
            'or set glossary = "PATH" in a toolkit.toml here or above (or name one in '
            "TOOLKIT_CONFIG)"
        )
    source = click.get_current_context().get_parameter_source(param)
    if source is ParameterSource.DEFAULT and not quiet:
        config = project_config()
        found = config.origin("glossary")
        origin = f"from {found}" if found else "the default in this folder"
        click.echo(f"glossary: {path} ({origin})", err=True)
    return path


_glossary_argument = click.argument(
    "path",
    required=False,
    default=_default_glossary,
    envvar="TOOLKIT_GLOSSARY",
    type=click.Path(dir_okay=False, path_type=Path),
)
_format_option = click.option(
    "--format",
    "format_name",
    required=True,
    type=click.Choice(sorted(EXCHANGE_FORMATS)),
    help="Exchange format.",
)


@contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except UserError as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:  # an -o in a folder that cannot be written
        raise click.ClickException(str(write_error(err, err.filename))) from None


@click.group("glossary")
def glossary() -> None:
    """Check, convert and apply the curated glossary (default: toolkit.toml's glossary)."""


@glossary.command("lint")
@_glossary_argument
def lint_command(path: Path | None) -> None:
    """Report every problem in a glossary TSV as FILE:LINE: message; exit 1 if any."""
    path = _chosen_glossary("path", path)
    with _user_errors():
        problems = lint_glossary(path)
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(f"{len(problems)} problem(s) in {path}", err=True)
        raise click.exceptions.Exit(1)
    with _user_errors():
        count = len(read_glossary(path).entries)
    click.echo(f"{path}: {count} entries, no problems")


@glossary.command("export")
@_format_option
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write.",
)
@_glossary_argument
def export_command(format_name: str, output: Path, path: Path | None) -> None:
    """Write the glossary TSV at PATH in another format; only TBX keeps everything."""
    path = _chosen_glossary("path", path)
    exchange = EXCHANGE_FORMATS[format_name]
    with _user_errors():
        terms = read_glossary(path)
        exchange.write(terms, output)
    click.echo(f"wrote {len(terms.entries)} entries to {output} ({format_name})")
    if exchange.loses:
        click.echo(f"note: {format_name} cannot hold {exchange.loses}; they were left out")


@glossary.command("import")
@_format_option
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Glossary TSV to write.",
)
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def import_command(format_name: str, source: Path, output: Path, force: bool) -> None:
    """Read SOURCE in another format and write it as a sorted glossary TSV."""
    if output.exists() and not force:
        raise click.ClickException(f"{output}: exists; pass --force to overwrite it")
    with _user_errors():
        terms = EXCHANGE_FORMATS[format_name].read(source)
        write_glossary(terms, output)
        problems = lint_glossary(output)
    click.echo(f"wrote {len(terms.entries)} entries to {output}")
    if problems:
        click.echo(f"{len(problems)} lint problem(s); run: toolkit glossary lint {output}")


@glossary.command("scan")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--glossary",
    "glossary_path",
    default=_default_glossary,
    envvar="TOOLKIT_GLOSSARY",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Glossary TSV [env TOOLKIT_GLOSSARY; default: toolkit.toml's glossary, else "
    "glossary/nl-en.tsv].",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of occurrences.")
def scan_command(files: tuple[Path, ...], glossary_path: Path | None, as_json: bool) -> None:
    """List every glossary term in Dutch UTF-8 text FILES, with its required English.

    Offsets count characters after line endings are normalised to \\n.
    """
    glossary_path = _chosen_glossary("glossary_path", glossary_path, quiet=as_json)
    from toolkit.glossary.match import TermMatcher

    with _user_errors():
        matcher = TermMatcher(read_glossary(glossary_path).entries)
        found = []
        for path in files:
            text = read_text(path)
            for occurrence in matcher.find(text):
                found.append(
                    {
                        "file": str(path),
                        "source_term": occurrence.entry.source,
                        "target_term": occurrence.entry.target,
                        "surface": occurrence.surface,
                        "start": occurrence.start,
                        "end": occurrence.end,
                        "line": text.count("\n", 0, occurrence.start) + 1,
                    }
                )
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for item in found:
        click.echo(f"{item['file']}:{item['line']}: {item['surface']} → {item['target_term']}")
    terms = len({item["source_term"] for item in found})
    click.echo(f"{len(found)} occurrence(s) of {terms} term(s) in {len(files)} file(s)")
