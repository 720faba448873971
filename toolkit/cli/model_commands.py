"""`toolkit model`: install, list and remove Argos translation packages."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from toolkit.cli.options import from_config, models_dir_option
from toolkit.errors import UserError


@click.group("model")
def model() -> None:
    """Install, list and remove translation models (Argos packages)."""


@contextmanager
def _progress_bar() -> Iterator[Callable[[int, int | None], None]]:
    """A download progress callback; the bar appears once bytes arrive, not before a failure."""
    bars: list[Any] = []

    def progress(done: int, total: int | None) -> None:
        if not bars:
            bar = click.progressbar(length=total or 1, label="downloading", file=sys.stderr)
            bars.append(bar.__enter__())
        bars[0].update(done - bars[0].pos)

    try:
        yield progress
    finally:
        if bars:
            bars[0].__exit__(None, None, None)


# What a package is called in the Argos index and on disk: translate-nl_en (or nl_en, nl-en)
PACKAGE_NAME = re.compile(
    r"\A(?:translate-)?(?P<from_code>[a-z]{2,3})[_-](?P<to_code>[a-z]{2,3})\Z"
)


def _package_target(target: str) -> tuple[Path | None, tuple[str, str] | None]:
    """A file to install, or the language pair a package name stands for (pip/apt style)."""
    path = Path(target)
    if path.is_file() or target.endswith(".argosmodel") or "/" in target:
        return path, None
    named = PACKAGE_NAME.match(target)
    if not named:
        raise click.UsageError(
            f"{target!r} is neither a file nor a package name like translate-nl_en; "
            "give a .argosmodel file or a name from the Argos index"
        )
    return None, (named["from_code"], named["to_code"])


@model.command("install")
@click.argument("target", required=False, metavar="[FILE|NAME]")
@click.option(
    "--file",
    "package_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Install from a local .argosmodel file (the offline route).",
)
@click.option(
    "--bundled",
    is_flag=True,
    help="Install the nl→en reference model shipped with the toolkit (offline; never "
    "replaces a full nl→en model).",
)
@click.option(
    "--or-bundled",
    "or_bundled",
    is_flag=True,
    help="nl→en from the index; if that fails (offline or otherwise), the bundled model.",
)
@click.option(
    "--index-url",
    metavar="URL",
    default=from_config("index_url"),
    help="Argos package index (its folder or index.json; http, https or file) "
    "[default: toolkit.toml's index-url, else ARGOS_PACKAGE_INDEX if set, else Argos's own "
    "index].",
)
@click.option("--from", "from_code", default="nl", show_default=True)
@click.option("--to", "to_code", default="en", show_default=True)
@models_dir_option
def install(
    target: str | None,
    package_file: Path | None,
    bundled: bool,
    or_bundled: bool,
    index_url: str | None,
    from_code: str,
    to_code: str,
    models_dir: str | None,
) -> None:
    """Install a model: FILE (a .argosmodel), NAME from the Argos index (translate-nl_en),
    by default nl→en from the index, or --bundled."""
    from toolkit import models

    if target is not None:
        if package_file is not None or bundled or or_bundled:
            raise click.UsageError("give FILE|NAME or one of --file, --bundled, --or-bundled")
        package_file, pair = _package_target(target)
        if pair is not None:
            from_code, to_code = pair
        if package_file is not None and not package_file.is_file():
            raise UserError(
                "no such file; check the path (or give a package name such as translate-nl_en)",
                path=package_file,
            )
    if sum((package_file is not None, bundled, or_bundled)) > 1:
        raise click.UsageError("give at most one of --file, --bundled and --or-bundled")
    if (bundled or or_bundled) and (from_code, to_code) != ("nl", "en"):
        raise click.UsageError("the bundled reference model is nl→en only")
    if package_file is not None:
        info = models.install_from_file(package_file, models_dir, from_code, to_code)
    elif bundled:
        outcome = models.install_bundled(models_dir)
        click.echo(outcome.note)
        if not outcome.installed:
            return
        info = outcome.model
    elif or_bundled:
        with _progress_bar() as progress:
            outcome = models.install_from_index_or_bundled(models_dir, progress, index_url)
        if outcome.note:
            click.echo(outcome.note)
        info = outcome.model
    else:
        with _progress_bar() as progress:
            info = models.install_from_index(models_dir, from_code, to_code, progress, index_url)
    click.echo(
        f"installed {info.name} {info.version} ({info.from_code}→{info.to_code}) in {info.path}"
    )


@model.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@models_dir_option
def list_command(as_json: bool, models_dir: str | None) -> None:
    """Show installed packages: languages, version, size, description, path."""
    from toolkit import models

    found = models.list_models(models_dir)
    for broken in (m for m in found if m.problem):
        click.echo(
            f"Warning: {broken.problem}; skipped (reinstall it, or "
            f"`toolkit model remove {broken.name}`)",
            err=True,
        )
    defaults = _defaults(found)
    if as_json:
        rows = [{**m.as_dict(), "default": m.path in defaults} for m in found]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    usable = [m for m in found if not m.problem]
    if not usable:
        click.echo(f"no models installed in {models.models_folder(models_dir)}")
        return
    for m in usable:
        size = f"{m.size_bytes / 1e6:.1f} MB"
        kind = "  [bundled reference model]" if m.reference else ""
        default = "  [default]" if m.path in defaults else ""
        click.echo(
            f"{m.from_code}→{m.to_code}  {m.name}  version {m.version}  {size}{kind}{default}  "
            f"{m.path}"
        )
        click.echo(f"    origin: {_origin_line(m)}")
        if m.description:
            click.echo(f"    {_one_line(m.description)}")


def _defaults(found: list[Any]) -> set[Path]:
    """The path of the model each language pair translates with when no --model is given."""
    from toolkit.models import default_model

    pairs: dict[tuple[str, str], list[Any]] = {}
    for m in found:
        if not m.problem:
            pairs.setdefault((m.from_code, m.to_code), []).append(m)
    return {default_model(candidates).path for candidates in pairs.values()}


def _origin_line(m: object) -> str:
    """`trained here on a.tmx (1,200 pairs), b.tsv (800 pairs); held-out chrF 41.2` and such."""
    origin = getattr(m, "origin", "index")
    training = getattr(m, "training", {})
    words = {
        "index": "Argos package (index or file)",
        "bundled": "bundled with the toolkit",
        "trained": "trained here",
        "adapted": f"adapted here from {_one_line(str(training.get('base') or '?'), 60)}",
    }
    line = words.get(origin, origin)
    data = training.get("data") or []
    if data:
        files = ", ".join(
            f"{_one_line(Path(str(d.get('file', '?'))).name, 60)} ({d.get('pairs', '?')} pairs)"
            for d in data[:4]
        )
        line += f" on {files}" + (f" and {len(data) - 4} more" if len(data) > 4 else "")
    scores = training.get("scores") or {}
    if scores:
        line += "; held-out chrF " + ", ".join(
            f"{_one_line(str(k), 60)} {v:.1f}" for k, v in list(scores.items())[:4]
        )
    if getattr(m, "adaptable", False):
        line += "; adaptable"
    return line


def _one_line(text: str, limit: int = 200) -> str:
    """A package's own text on one short line, without control characters (it is untrusted)."""
    line = " ".join("".join(ch for ch in text if ch.isprintable() or ch.isspace()).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@model.command("remove")
@click.argument("name")
@models_dir_option
def remove(name: str, models_dir: str | None) -> None:
    """Remove the installed package NAME (the folder name `toolkit model list` shows)."""
    from toolkit import models

    info = models.remove_model(name, models_dir)
    click.echo(f"removed {info.name} from {info.path.parent}")
