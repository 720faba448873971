"""Project configuration: the defaults a team shares, from `toolkit.toml` or `[tool.toolkit]`.

`find_config` looks from a folder upwards for `toolkit.toml` (or a `pyproject.toml` with a
`[tool.toolkit]` table); `load_config` parses it with `tomllib` and checks every key, so an
unknown key or a bad value is a `UserError` at `FILE:LINE`. Paths in the file are relative to
the file. A user-level `toolkit.toml` (in the platform's config folder, which the CLI
names) fills in what the project's file leaves unset (`Config.over`). Command-line
options override both.

A file found by walking up is whoever made that folder's: it may name a registry engine,
never a plug-in (`engine = "module:Class"` imports and runs that module) unless the user
allowed that plug-in by name in their own `~/.config/toolkit/toolkit.toml`
(`allow-engines = ["module:Class"]`, `$XDG_CONFIG_HOME` honoured). A file the user named
(`TOOLKIT_CONFIG`) is theirs and trusted.
"""

from __future__ import annotations

import dataclasses
import os
import re
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.engines.base import EngineSettings, default_threads
from toolkit.errors import UserError

CONFIG_NAME = "toolkit.toml"
PYPROJECT_NAME = "pyproject.toml"


@dataclass(frozen=True)
class DecodingSetting:
    """One `EngineSettings` field a user may set: its range and what it does.

    The CLI builds its `--beam-size`... options from these, and the `[decoding]` table of
    the config file accepts exactly these keys, so the two cannot drift apart.
    """

    help: str
    low: int | None = 1  # for integer fields
    high: int | None = None


# More threads than this many per core only wait on each other; far more crashed
# CTranslate2 (intra-threads = 100000: a segfault) or hung it (inter-threads = 1000000).
THREADS_PER_CORE = 4
MAX_THREADS = THREADS_PER_CORE * default_threads()

DECODING: dict[str, DecodingSetting] = {
    "beam_size": DecodingSetting("Beam width of the search.", 1, 64),
    "inter_threads": DecodingSetting(
        "CTranslate2 batches decoded in parallel (one worker each).", 1, MAX_THREADS
    ),
    "intra_threads": DecodingSetting("CTranslate2 threads inside each worker.", 1, MAX_THREADS),
    "max_batch_size": DecodingSetting("Sentences per CTranslate2 batch.", 1, 4096),
    "compute_type": DecodingSetting("CTranslate2 compute type (auto, int8, float32, ...)."),
    "max_decoding_length": DecodingSetting("Longest English sentence, in tokens.", 1, 65536),
    "loop_ngram": DecodingSetting(
        "Decode a looping output again with no repeated n-gram of this many tokens (0: never).",
        0,
        8,
    ),
}


def check_compute_type(value: str) -> str:
    """`value` if CTranslate2 on this machine's CPU supports it, else a one-line `UserError`."""
    if value in ("auto", "default"):
        return value
    import ctranslate2

    supported = sorted(ctranslate2.get_supported_compute_types("cpu"))
    if value not in supported:
        raise UserError(
            f"compute type {value!r} is not supported on this machine's CPU; "
            f"choose auto, {', '.join(supported)}"
        )
    return value


def decoding_type(name: str) -> type:
    """`int` or `str`: the type `EngineSettings` declares for a decoding field."""
    hint: type = typing.get_type_hints(EngineSettings)[name]
    return hint


def decoding_default(name: str) -> Any:
    """The `EngineSettings` default of a decoding field (a factory's value where it has one)."""
    found = {f.name: f for f in dataclasses.fields(EngineSettings)}[name]
    if found.default_factory is not dataclasses.MISSING:
        return found.default_factory()
    return found.default


@dataclass(frozen=True)
class Config:
    """What a config file sets; None (or an empty `decoding`) where it says nothing."""

    path: Path | None = None  # the file it came from; None: no config file
    glossary: Path | None = None
    formats: tuple[str, ...] | None = None
    engine: str | None = None
    include: str | None = None
    models_dir: Path | None = None
    model: str | None = None  # an installed model's name
    index_url: str | None = None
    enforcement_budget: float | None = None
    decoding: dict[str, Any] = field(default_factory=dict)  # EngineSettings field → value
    # Config field → the one-line error its value gives, raised only when the value is used
    # (a project's plug-in engine, refused unless the command line names another engine)
    refusals: dict[str, str] = field(default_factory=dict)
    # which file set each field (a decoding setting as "decoding.NAME"), for `toolkit config`
    origins: dict[str, Path] = field(default_factory=dict)
    files: tuple[tuple[str, Path], ...] = ()  # (role, file) in the order they count

    def over(self, base: Config) -> Config:
        """This config with `base` filling every field it leaves unset."""
        values = {}
        for f in dataclasses.fields(self):
            if f.name not in ("decoding", "origins", "files", "refusals"):
                mine = getattr(self, f.name)
                values[f.name] = getattr(base, f.name) if mine is None else mine
        return Config(
            **values,
            decoding={**base.decoding, **self.decoding},
            origins={**base.origins, **self.origins},
            files=self.files + base.files,
            refusals={**base.refusals, **self.refusals},
        )

    def origin(self, name: str) -> Path | None:
        """The file that set field `name`, or None."""
        return self.origins.get(name)


# key in the file → (Config field, what it must be)
_TOP_KEYS = {
    "glossary": "a path to a glossary TSV",
    "formats": 'a list of format names, e.g. ["po", "xliff"]',
    "engine": "an engine name or package.module:Class",
    "include": 'comma-separated file-name globs, e.g. "*.txt,*.docx"',
    "models-dir": "a path to a folder of Argos packages",
    "model": "an installed model's name, as `toolkit model list` shows it",
    "index-url": "an http(s):// or file:// URL, or a path to an index folder",
    "enforcement-budget": "a number ≥ 0: extra decoding for terms, a share of the first decoding",
    "decoding": "a table of decoding settings",
    "allow-engines": 'a list of plug-in engines a project file may name, e.g. ["pkg.mod:Class"]',
}
USER_ONLY_KEYS = ("allow-engines",)  # read from the user's own file only


def user_config_path() -> Path:
    """The user's own configuration: `$XDG_CONFIG_HOME/toolkit/toolkit.toml`."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "toolkit" / CONFIG_NAME


def allowed_engines() -> frozenset[str]:
    """The plug-in engines the user allowed project files to name (`allow-engines`)."""
    path = user_config_path()
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return frozenset()
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise UserError(
            f"cannot read your configuration: {err}; fix or remove it", path=path
        ) from None
    names = data.get("allow-engines", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise UserError(f"allow-engines must be {_TOP_KEYS['allow-engines']}", path=path)
    return frozenset(names)


def find_config(start: Path) -> Path | None:
    """The nearest `toolkit.toml`, or `pyproject.toml` with `[tool.toolkit]`, from `start` up."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT_NAME
        if pyproject.is_file() and re.search(
            r"^\s*\[\s*tool\.toolkit\s*[\].]", pyproject.read_text("utf-8", "replace"), re.M
        ):
            return pyproject
    return None


def load_config(path: Path, *, found: bool = False) -> Config:
    """Parse and check one config file; a `UserError` at `FILE:LINE` for anything wrong.

    `found`: the file was found by walking up, not named by the user, so it may not name
    a plug-in engine the user has not allowed.
    """
    from toolkit.files import read_limited

    try:
        text = read_limited(path, 1 << 20).decode("utf-8")
    except UnicodeDecodeError as err:
        raise UserError(
            f"cannot read the config file ({err}); fix or remove it", path=path
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = re.search(r"\(at line (\d+), column \d+\)", str(err))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(err)) or "not valid TOML"
        raise UserError(
            f"not valid TOML: {message}; see https://toml.io",
            path=path,
            line=int(where.group(1)) if where else None,
        ) from None
    prefix: tuple[str, ...] = ()
    if path.name == PYPROJECT_NAME:
        prefix = ("tool", "toolkit")
        data = data.get("tool", {}).get("toolkit", {})
    return _Reader(path, text, prefix, found).read(data)


def discover(start: Path, user_file: Path | None = None) -> Config:
    """The config in force in `start`: the project's file found from there upwards, over
    `user_file` (the user's own, where it exists); an empty `Config` when there is neither."""
    found = find_config(start)
    project = load_config(found, found=True) if found else Config()
    if found:
        project = dataclasses.replace(project, files=(("project", found),))
    if user_file is None or not user_file.is_file():
        return project
    if found is not None and found.resolve() == user_file.resolve():
        return project  # run inside the config folder itself: one file, counted once
    user = dataclasses.replace(load_config(user_file), files=(("user", user_file),))
    return project.over(user)


class _Reader:
    """Checks a parsed file key by key, knowing where each key was written."""

    def __init__(self, path: Path, text: str, prefix: tuple[str, ...], found: bool) -> None:
        self.path, self.lines, self.prefix, self.found = path, text.splitlines(), prefix, found

    def read(self, data: dict[str, Any]) -> Config:  # noqa: C901  (to split: issue 25)
        for key in data:
            if key not in _TOP_KEYS:
                self.fail((), key, f"unknown key {key!r}; known keys: {', '.join(_TOP_KEYS)}")
        values: dict[str, Any] = {"path": self.path}
        if "glossary" in data:
            values["glossary"] = self.relative_path("glossary", data["glossary"])
        if "formats" in data:
            values["formats"] = self.formats(data["formats"])
        for key in USER_ONLY_KEYS:
            if key in data and self.path.resolve() != user_config_path().resolve():
                self.fail((), key, f"{key} is read only from your own {user_config_path()}")
        for key in ("engine", "include", "model"):
            if key in data:
                values[key] = self.text((), key, data[key])
        if self.found and ":" in values.get("engine", ""):
            refusal = self.plugin_refusal(values["engine"])
            if refusal:
                del values["engine"]
                values["refusals"] = {"engine": refusal}
        if "models-dir" in data:
            values["models_dir"] = self.relative_path("models-dir", data["models-dir"])
        if "index-url" in data:
            url = self.text((), "index-url", data["index-url"])
            values["index_url"] = url if "://" in url else self.resolve(url).as_uri()
        if "enforcement-budget" in data:
            value = data["enforcement-budget"]
            # `not value >= 0`: a NaN compares false with everything, and is no share
            if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
                self.fail(
                    (),
                    "enforcement-budget",
                    f"enforcement-budget must be {_TOP_KEYS['enforcement-budget']}, not {value!r}",
                )
            values["enforcement_budget"] = float(value)
        if "decoding" in data:
            values["decoding"] = self.decoding(data["decoding"])
        origins = {name: self.path for name in values if name not in ("path", "decoding")}
        origins.update({f"decoding.{name}": self.path for name in values.get("decoding", {})})
        return Config(**values, origins=origins)

    def plugin_refusal(self, engine: str) -> str:
        """A plug-in named by a project file runs that file's code: only with the user's yes.

        Returns the error line ('' when allowed); the plug-in itself is never imported here.
        """
        if engine in allowed_engines():
            return ""
        where = f"{self.path}:{self.line_of((), 'engine')}"
        return (
            f"{where}: engine {engine!r} is a plug-in, and loading it runs code from this "
            f"project; pass --engine {engine} to run it once, or allow it by adding "
            f"allow-engines = [{engine!r}] to {user_config_path()}"
        )

    def decoding(self, table: Any) -> dict[str, Any]:
        if not isinstance(table, dict):
            self.fail((), "decoding", f"decoding must be {_TOP_KEYS['decoding']}, e.g. [decoding]")
        known = {name.replace("_", "-"): name for name in DECODING}
        settings: dict[str, Any] = {}
        for key, value in table.items():
            if key not in known:
                self.fail(
                    ("decoding",), key, f"unknown key {key!r}; known keys: {', '.join(known)}"
                )
            name = known[key]
            spec = DECODING[name]
            if decoding_type(name) is int:
                if not isinstance(value, int) or isinstance(value, bool):
                    self.fail(("decoding",), key, f"{key} must be a whole number, not {value!r}")
                if (spec.low is not None and value < spec.low) or (
                    spec.high is not None and value > spec.high
                ):
                    limits = f"from {spec.low} to {spec.high}" if spec.high else f"≥ {spec.low}"
                    self.fail(("decoding",), key, f"{key} = {value} is out of range; use {limits}")
            else:
                self.text(("decoding",), key, value)
            settings[name] = value
        return settings

    def formats(self, value: Any) -> tuple[str, ...]:
        from toolkit.formats import FORMATS

        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self.fail((), "formats", f"formats must be {_TOP_KEYS['formats']}")
        names = tuple(name.strip() for name in items)
        if len(names) > 1 and "" in names:  # as the command line says of --formats po,,xliff
            self.fail((), "formats", f"formats has an empty item in {value!r}; remove it")
        names = tuple(name for name in names if name)
        for name in names:
            if name not in FORMATS:
                self.fail(
                    (), "formats", f"unknown format {name!r}; choose from {', '.join(FORMATS)}"
                )
        if not names:
            self.fail((), "formats", f"formats is empty; choose from {', '.join(FORMATS)}")
        return names

    def text(self, table: tuple[str, ...], key: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(table, key, f"{key} must be {_TOP_KEYS.get(key, 'a text')}, not {value!r}")
        return value

    def relative_path(self, key: str, value: Any) -> Path:
        return self.resolve(self.text((), key, value))

    def resolve(self, value: str) -> Path:
        return (self.path.parent / Path(value).expanduser()).resolve()

    def fail(self, table: tuple[str, ...], key: str, message: str) -> typing.NoReturn:
        raise UserError(
            f"{message}; fix {self.path.name}", path=self.path, line=self.line_of(table, key)
        )

    def line_of(self, table: tuple[str, ...], key: str) -> int | None:
        """The line that sets `key` in `table` (tomllib gives no positions); None if unseen."""
        wanted = self.prefix + table
        current: tuple[str, ...] = ()
        header = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
        assignment = re.compile(r'^\s*(?:"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_.-]+))\s*=')
        for number, line in enumerate(self.lines, 1):
            if match := header.match(line):
                current = tuple(part.strip().strip("\"'") for part in match.group(1).split("."))
                if current == wanted + (key,):
                    return number  # a table written as [decoding]
                continue
            if match := assignment.match(line):
                name = next(group for group in match.groups() if group is not None)
                dotted = tuple(name.split("."))
                if current + dotted == wanted + (key,):
                    return number
        return None
