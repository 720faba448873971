"""Options shared by several commands, defined once so they cannot drift apart.

Their defaults come from the project configuration (`toolkit.toml` from the current folder
upwards), then the user's (`toolkit.toml` in the platform's config folder, e.g.
~/.config/toolkit), or only from the file TOOLKIT_CONFIG names (an empty TOOLKIT_CONFIG
means none), then from the library's own declarations; a command-line option or
environment variable wins.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from toolkit.config import (
    CONFIG_NAME,
    DECODING,
    Config,
    check_compute_type,
    decoding_default,
    decoding_type,
    discover,
    load_config,
)
from toolkit.engines.base import EngineSettings
from toolkit.errors import UserError

_CONFIG_KEY = "toolkit.config"

Command = Callable[..., Any]  # a click command function, before or after decoration


def project_config() -> Config:
    """The configuration in force for this command (read once per command line)."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx is not None else {}
    if _CONFIG_KEY not in meta:
        named = os.environ.get("TOOLKIT_CONFIG")
        if named is None:
            meta[_CONFIG_KEY] = discover(Path.cwd(), user_config_path())
        elif named:
            files = (("TOOLKIT_CONFIG", Path(named)),)
            meta[_CONFIG_KEY] = dataclasses.replace(load_config(Path(named)), files=files)
        else:
            meta[_CONFIG_KEY] = Config()
    config: Config = meta[_CONFIG_KEY]
    return config


def user_config_path() -> Path:
    """The user's own toolkit.toml: in the platform's config folder ($XDG_CONFIG_HOME/toolkit
    on Linux, ~/Library/Application Support/toolkit on macOS, %APPDATA%\\toolkit on Windows)."""
    return Path(click.get_app_dir("toolkit")) / CONFIG_NAME


def shown_path(path: Path) -> str:
    """A config path as the user would type it here: relative when under the current folder.

    The glossary's path is part of its description (file headers, cache keys), so the
    default from the config describes it exactly as `--glossary glossary/nl-en.tsv` would.
    """
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def from_config(name: str, fallback: Any = None) -> Callable[[], Any]:
    """A click default: the config's value of `name`, else `fallback`."""

    def default() -> Any:
        config = project_config()
        if name in config.refusals:  # only now: a command-line value would have won
            raise UserError(config.refusals[name])
        value = getattr(config, name)
        if value is None:
            return fallback
        if isinstance(value, Path):
            return shown_path(value)
        if isinstance(value, tuple):
            return ",".join(value)
        return value

    return default


def config_origin(param: str, name: str = "glossary") -> str:
    """' (from FILE)' when the current command's `param` came from a config file, else ''."""
    ctx = click.get_current_context()
    origin = project_config().origin(name)
    if origin is not None and ctx.get_parameter_source(param) is ParameterSource.DEFAULT:
        return f" (from {origin})"
    return ""


models_dir_option = click.option(
    "--models-dir",
    envvar="TOOLKIT_MODELS_DIR",
    type=click.Path(file_okay=False),
    default=from_config("models_dir"),
    help="Folder of installed Argos packages [env TOOLKIT_MODELS_DIR; toolkit.toml models-dir; "
    "default: Argos's own, so models installed with argospm are found].",
)


model_option = click.option(
    "--model",
    "model_name",
    metavar="NAME",
    default=from_config("model"),
    help="The installed nl→en model to translate with, by the name `toolkit model list` shows "
    "[toolkit.toml model; default: the model list marks as default].",
)


def glossary_options(purpose: str) -> Callable[[Command], Command]:
    """`--glossary PATH` and `--no-glossary`, passed on as `glossary`: a loaded `Glossary` or None.

    The default is the config's glossary; `--no-glossary` turns it off for one command.
    """

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def wrapper(*args: Any, glossary_path: str | None, no_glossary: bool, **kwargs: Any) -> Any:
            kwargs["glossary"] = None
            if glossary_path and not no_glossary:
                from toolkit.glossary.tsv import read_glossary

                kwargs["glossary"] = read_glossary(Path(glossary_path))
            return command(*args, **kwargs)

        wrapper = click.option(
            "--no-glossary",
            is_flag=True,
            help="Use no glossary, whatever toolkit.toml or TOOLKIT_GLOSSARY say.",
        )(wrapper)
        return click.option(
            "--glossary",
            "glossary_path",
            envvar="TOOLKIT_GLOSSARY",
            default=from_config("glossary"),
            type=click.Path(dir_okay=False),
            help=f"Glossary TSV {purpose} [env TOOLKIT_GLOSSARY; default: toolkit.toml's "
            "glossary].",
        )(wrapper)

    return decorate


def describe_glossary_choice(glossary: Any, purpose: str) -> str:
    """One line saying which glossary is in force, and where that choice came from."""
    if glossary is None:
        return (
            f"no glossary: {purpose} (pass --glossary, or set glossary in toolkit.toml here "
            f"or in {user_config_path()}; `toolkit config` shows what is in force)"
        )
    return f"glossary: {glossary.path}{config_origin('glossary_path')}"


def decoding_options(command: Command) -> Command:
    """`--beam-size`, `--inter-threads`...: one option per `config.DECODING` field of
    `EngineSettings`, its default from the config file or the dataclass, passed on as
    `decoding`: a dict of field → value for `EngineSettings(**decoding)`.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs["decoding"] = {name: kwargs.pop(name) for name in DECODING}
        return command(*args, **kwargs)

    for name in reversed(list(DECODING)):
        spec = DECODING[name]
        kind: Any = click.IntRange(spec.low, spec.high) if decoding_type(name) is int else str
        fallback = decoding_default(name)
        wrapper = click.option(
            f"--{name.replace('_', '-')}",
            name,
            default=_decoding_from_config(name, fallback),
            show_default=str(fallback),
            type=kind,
            help=spec.help,
        )(wrapper)
    return wrapper


def _decoding_from_config(name: str, fallback: Any) -> Callable[[], Any]:
    return lambda: project_config().decoding.get(name, fallback)


def engine_settings(
    decoding: dict[str, Any], models_dir: str | None, model: str | None = None
) -> EngineSettings:
    """The settings, the compute type checked against CTranslate2's own list for the CPU."""
    if "compute_type" in decoding:
        where = (
            config_origin("compute_type", "decoding.compute_type")
            if click.get_current_context(silent=True)
            else ""
        )
        try:
            check_compute_type(decoding["compute_type"])
        except UserError as err:
            raise UserError(f"{err}{where}") from None
    return EngineSettings(models_dir=models_dir, model=model, **decoding)
