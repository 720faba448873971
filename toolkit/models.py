"""Installed Argos model packages: list, find, install (file, index, bundled), remove.

A package file is hostile until checked: every member name is validated and
the declared size bounded before anything is extracted, extraction counts real
bytes, and a package is staged in a hidden folder inside the models folder and
swapped in by rename, so a failed install leaves the previous one intact and
nothing outside the models folder is ever written or deleted.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.errors import UserError

INDEX_TIMEOUT_SECONDS = 20
DOWNLOAD_CHUNK_BYTES = 1 << 16
REQUIRED_METADATA = ("package_version", "from_code", "to_code")

# A package may unpack to at most 2 GiB, and to at most 20× its archive: the real
# nl→en package (about 100 MB zipped) is far below both; a zip bomb is far above.
MAX_UNPACKED_BYTES = 2 << 30
MAX_EXPANSION_RATIO = 20
MAX_METADATA_BYTES = 1 << 20
MAX_INDEX_BYTES = 16 << 20
MAX_DOWNLOAD_BYTES = MAX_UNPACKED_BYTES

SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SAFE_RELATIVE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
# Hidden work folders inside the models folder; the listing skips names starting with ".".
STAGING_PREFIX = ".toolkit-staging-"
RETIRED_PREFIX = ".toolkit-retired-"
LOCK_NAME = ".toolkit-install.lock"

# metadata.json key marking the bundled reference model; any other package for the
# same pair is a full model and wins over it.
REFERENCE_KEY = "reference"
BUNDLED_NAME = "translate-nl_en-reference.argosmodel"
BUNDLED_ENV = "TOOLKIT_BUNDLED_MODEL"  # overrides the bundled file (tests, packagers)
BUNDLED_NOTE = (
    "installed the bundled reference model (trained on software documentation; "
    "its English is unusable outside that domain: install translate-nl_en when online)"
)

ARGOS_INDEX_PAGE = "https://www.argosopentech.com/argospm/index/"
ARGOS_DEFAULT_INDEX = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
INDEX_SCHEMES = ("http", "https", "file")

ProgressCallback = Callable[[int, int | None], None]  # (bytes so far, total or None)


class OfflineError(UserError):
    """The package index or a download link could not be reached."""


@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos package, as `toolkit model list` shows it."""

    name: str
    from_code: str
    to_code: str
    version: str
    size_bytes: int
    path: Path
    description: str = ""
    reference: bool = False  # the bundled reference model, not a full Argos model
    # the model's position limit (metadata `max_positions`): decoding past it fails
    max_positions: int | None = None
    # the symbols around an inline term annotation the model was trained to follow
    # (metadata `term_annotations`: {"open": "⟦", "close": "⟧"}); None: it takes none
    term_markers: tuple[str, str] | None = None
    problem: str = ""  # why the package is unusable; empty when it is fine
    origin: str = "index"  # index (an Argos package), bundled, trained or adapted (here)
    training: dict[str, Any] = field(default_factory=dict)  # base, data, scores (toolkit-built)

    @property
    def adaptable(self) -> bool:
        """Built by this toolkit with its training weights: `toolkit model adapt` takes it."""
        return bool(self.training.get("weights"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "version": self.version,
            "size_bytes": self.size_bytes,
            "path": str(self.path),
            "description": self.description,
            "reference": self.reference,
            "term_annotations": self.term_markers is not None,
            "problem": self.problem,
            "origin": self.origin,
            "adaptable": self.adaptable,
            "training": {k: self.training.get(k) for k in ("base", "data", "scores")},
        }


@dataclass(frozen=True)
class InstallOutcome:
    """What an install left in place; `installed` is False when it changed nothing."""

    model: ModelInfo
    installed: bool
    note: str = ""  # one line for the user; empty when there is nothing to add


def _argos_package_api(models_dir: str | None) -> Any:
    """Import `argostranslate.package`, pointed at `models_dir` when one is given."""
    from argostranslate import package, settings

    if models_dir:
        folder = Path(models_dir).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise UserError(
                f"cannot create the models folder: {err.strerror}; give another --models-dir",
                path=folder,
            ) from None
        settings.package_data_dir = folder
        settings.package_dirs = [folder]
    return package


def models_folder(models_dir: str | None) -> Path:
    """Where packages are installed: `models_dir`, or Argos's own package folder."""
    _argos_package_api(models_dir)
    from argostranslate import settings

    return Path(settings.package_data_dir)


def list_models(models_dir: str | None = None) -> list[ModelInfo]:
    """The installed packages; a folder with a broken metadata.json is listed with its `problem`."""
    _argos_package_api(models_dir)
    from argostranslate import settings

    found = []
    for folder in settings.package_dirs:
        if not Path(folder).is_dir():
            continue
        for package_dir in sorted(Path(folder).iterdir()):
            if package_dir.name.startswith(".") or not package_dir.is_dir():
                continue  # our staging folders and stray files are not packages
            metadata_path = package_dir / "metadata.json"
            if not metadata_path.is_file():
                continue
            try:
                metadata = _read_metadata(metadata_path.read_bytes(), metadata_path)
            except UserError as err:
                found.append(_broken(package_dir, err.message))
                continue
            except OSError as err:
                found.append(_broken(package_dir, f"cannot read metadata.json: {err.strerror}"))
                continue
            found.append(_model_info(package_dir, metadata))
    return found


def find_model(
    models_dir: str | None, from_code: str, to_code: str, name: str | None = None
) -> ModelInfo:
    """The package to translate a pair with: `name` when given, else the default one."""
    candidates = [
        m
        for m in list_models(models_dir)
        if (m.from_code, m.to_code) == (from_code, to_code) and not m.problem
    ]
    if name:
        for candidate in candidates:
            if candidate.name == name:
                return candidate
        known = ", ".join(m.name for m in candidates) or "none"
        raise UserError(
            f"no {from_code}→{to_code} model named {name!r} is installed in "
            f"{models_folder(models_dir)} (installed: {known}); see `toolkit model list`"
        )
    if not candidates:
        raise UserError(
            f"no {from_code}→{to_code} model installed in {models_folder(models_dir)}; "
            f"run `toolkit model install` (needs the internet), "
            f"`toolkit model install --file translate-{from_code}_{to_code}.argosmodel` "
            "or `toolkit model install --bundled`"
        )
    return default_model(candidates)


def default_model(candidates: Sequence[ModelInfo]) -> ModelInfo:
    """A full Argos model before the bundled one; one trained here only when it is all there is.

    Trained and adapted models are chosen by name (`--model`, `model =` in toolkit.toml), so
    installing one never changes what an existing setup translates with.
    """
    rank = {"index": 2, "bundled": 1}
    return max(
        candidates,
        key=lambda m: (rank.get(m.origin, 0), not m.reference, _version_key(m.version)),
    )


def install_from_file(
    path: Path, models_dir: str | None = None, from_code: str = "nl", to_code: str = "en"
) -> ModelInfo:
    """Check a `.argosmodel` file, extract it into a staging folder and swap it in."""
    path = Path(path)
    checked = _check_package_file(path, from_code, to_code)
    folder = models_folder(models_dir)
    with _install_lock(folder):
        _clean_stale(folder)
        _require_space(folder, checked.unpacked_bytes)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))
        try:
            _extract(path, checked, staging)
            staged = staging / checked.top
            _check_staged(staged, path)
            target = folder / checked.top
            _swap_in(staged, target)
        except OSError as err:
            raise UserError(
                f"cannot install into {folder}: {err.strerror}; free some space or give "
                "another --models-dir",
                path=path,
            ) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return _model_info(target, checked.metadata)


def default_index_url() -> str:
    """Argos's index: its ARGOS_PACKAGE_INDEX setting (env or settings file) or its default.

    argostranslate builds `remote_package_index` by plain concatenation, which
    breaks a value without a trailing slash; when it is that concatenation it is
    rebuilt from the base with a proper join. A value set any other way is kept.
    """
    from argostranslate import settings

    base = str(getattr(settings, "package_index", ARGOS_DEFAULT_INDEX))
    configured = str(getattr(settings, "remote_package_index", ""))
    if not configured or configured == base + "index.json":
        return index_json_url(base)
    return configured


def index_json_url(url: str) -> str:
    """The index.json address for an index URL given as its folder or as the JSON file."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        parts.port  # noqa: B018 -- raises ValueError on a non-numeric port
    except ValueError as err:
        raise UserError(
            f"bad package index URL {url!r}: {err}; give e.g. {ARGOS_DEFAULT_INDEX}"
        ) from None
    if parts.scheme not in INDEX_SCHEMES or (parts.scheme != "file" and not parts.netloc):
        raise UserError(
            f"bad package index URL {url!r}: expected http://, https:// or file://; "
            f"give e.g. {ARGOS_DEFAULT_INDEX}"
        )
    if any(ch.isspace() for ch in url.strip()):
        raise UserError(f"bad package index URL {url!r}: contains spaces; percent-encode them")
    path = parts.path
    if not path.endswith(".json"):
        path = path.rstrip("/") + "/index.json"
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


def install_from_index(
    models_dir: str | None = None,
    from_code: str = "nl",
    to_code: str = "en",
    progress: ProgressCallback | None = None,
    index_url: str | None = None,
) -> ModelInfo:
    """Download the language pair's package from the Argos index and install it."""
    url = index_json_url(index_url) if index_url else default_index_url()
    offline_hint = _offline_hint(url, from_code, to_code)
    try:
        with urllib.request.urlopen(url, timeout=INDEX_TIMEOUT_SECONDS) as response:
            raw = response.read(MAX_INDEX_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError):
        raise OfflineError(offline_hint) from None
    if len(raw) > MAX_INDEX_BYTES:
        raise UserError(f"the package index at {url} is over {MAX_INDEX_BYTES >> 20} MiB")
    try:
        index = json.loads(raw)
    except ValueError:
        raise UserError(f"the package index at {url} is not JSON; check --index-url") from None
    if not isinstance(index, list):
        raise UserError(f"the package index at {url} is not a JSON list; check --index-url")
    entries = [
        e
        for e in index
        if isinstance(e, dict) and (e.get("from_code"), e.get("to_code")) == (from_code, to_code)
    ]
    if not entries:
        raise UserError(f"the Argos package index at {url} has no {from_code}→{to_code} package")
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", ""))))
    links = entry.get("links")
    links = [u for u in links if isinstance(u, str)] if isinstance(links, list) else []
    with tempfile.TemporaryDirectory(prefix="toolkit-download-") as scratch:
        download = Path(scratch) / f"translate-{from_code}_{to_code}.argosmodel"
        try:
            _download(links, download, progress)
        except (urllib.error.URLError, OSError):
            raise OfflineError(offline_hint) from None
        return install_from_file(download, models_dir, from_code, to_code)


def bundled_model_path() -> Path:
    """The reference model shipped with the toolkit (or $TOOLKIT_BUNDLED_MODEL)."""
    override = os.environ.get(BUNDLED_ENV)
    if override:
        return Path(override)
    from importlib.resources import files

    return Path(str(files("toolkit") / "data" / BUNDLED_NAME))


def install_bundled(models_dir: str | None = None) -> InstallOutcome:
    """Install the bundled nl→en reference model unless a full nl→en model is installed."""
    full = [
        m
        for m in list_models(models_dir)
        if (m.from_code, m.to_code) == ("nl", "en") and m.origin == "index" and not m.problem
    ]  # a model trained or adapted here is no reason to go without the bundled one
    if full:
        return InstallOutcome(
            full[0],
            installed=False,
            note=f"a full nl→en model is installed ({full[0].name} {full[0].version}); "
            "the bundled reference model was not installed",
        )
    path = bundled_model_path()
    if not path.is_file():
        raise UserError(
            "the bundled reference model is missing from this installation; reinstall the "
            "toolkit or use `toolkit model install --file PATH.argosmodel`",
            path=path,
        )
    checked = _check_package_file(path, "nl", "en")
    if checked.metadata.get(REFERENCE_KEY) is not True:
        raise UserError(
            f'the bundled model\'s metadata.json lacks "{REFERENCE_KEY}": true; '
            "reinstall the toolkit",
            path=path,
        )
    return InstallOutcome(install_from_file(path, models_dir), installed=True, note=BUNDLED_NOTE)


def install_from_index_or_bundled(
    models_dir: str | None = None,
    progress: ProgressCallback | None = None,
    index_url: str | None = None,
) -> InstallOutcome:
    """nl→en from the index; when that fails for any reason, the bundled reference model."""
    try:
        return InstallOutcome(install_from_index(models_dir, "nl", "en", progress, index_url), True)
    except UserError as index_error:
        try:
            outcome = install_bundled(models_dir)
        except UserError as bundled_error:
            raise UserError(
                f"{index_error}; the bundled reference model cannot be installed either: "
                f"{bundled_error}"
            ) from None
        if isinstance(index_error, OfflineError):
            reason = "offline"
        else:
            reason = f"the Argos index install failed ({index_error})"
        return InstallOutcome(outcome.model, outcome.installed, f"{reason}: {outcome.note}")


def remove_model(name: str, models_dir: str | None = None) -> ModelInfo:
    """Remove one installed package folder, named exactly as `list_models` shows it."""
    folder = models_folder(models_dir)
    installed = {m.name: m for m in list_models(models_dir) if m.path.parent == folder}
    if not SAFE_NAME.match(name) or name not in installed:
        known = ", ".join(sorted(installed)) or "none"
        raise UserError(
            f"no installed package named {name!r} in {folder}; installed: {known} "
            "(see `toolkit model list`)"
        )
    with _install_lock(folder):
        retired = Path(tempfile.mkdtemp(prefix=RETIRED_PREFIX, dir=folder))
        # renamed away first: the package vanishes at once, and rmtree never follows
        # a symlinked package folder out of the models folder
        os.rename(folder / name, retired / name)
        shutil.rmtree(retired, ignore_errors=True)
    return installed[name]


def _offline_hint(url: str, from_code: str, to_code: str) -> str:
    return (
        f"cannot reach the Argos package index at {url} (offline?); on a connected machine "
        f"download translate-{from_code}_{to_code}-*.argosmodel (links at {ARGOS_INDEX_PAGE} "
        f"and in {url}), then run `.venv/bin/toolkit model install --file "
        f"PATH/translate-{from_code}_{to_code}-1_9.argosmodel`; or run "
        "`.venv/bin/toolkit model install --bundled` for the bundled reference model"
    )


def _download(links: Sequence[str], target: Path, progress: ProgressCallback | None) -> None:
    last_error: Exception = urllib.error.URLError("the index lists no download link")
    for link in links:
        if urllib.parse.urlsplit(link).scheme not in INDEX_SCHEMES:
            continue
        try:
            with urllib.request.urlopen(link, timeout=INDEX_TIMEOUT_SECONDS) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                done = 0
                with target.open("wb") as out:
                    while chunk := response.read(DOWNLOAD_CHUNK_BYTES):
                        done += len(chunk)
                        if done > MAX_DOWNLOAD_BYTES:
                            raise UserError(
                                f"download from {link} exceeds {MAX_DOWNLOAD_BYTES >> 30} GiB; "
                                "refusing it"
                            )
                        out.write(chunk)
                        if progress:
                            progress(done, total)
            return
        except (urllib.error.URLError, OSError, ValueError) as err:
            last_error = err
    raise last_error


@dataclass(frozen=True)
class _CheckedPackage:
    top: str
    metadata: dict[str, Any]
    members: tuple[zipfile.ZipInfo, ...]
    unpacked_bytes: int


def _check_member(info: zipfile.ZipInfo) -> str | None:
    """Why a member may not be extracted, or None when its name and type are safe."""
    name = info.filename
    if "\\" in name or "\x00" in name:
        return f"member {name!r} has a backslash or NUL in its name"
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return f"member {name!r} is an absolute path"
    parts = name[:-1].split("/") if info.is_dir() else name.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return f"member {name!r} has an empty, '.' or '..' path part"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        return f"member {name!r} is a symlink or special file"
    if kind == stat.S_IFDIR and not info.is_dir():
        return f"member {name!r} is a directory without a trailing slash"
    return None


def _check_package_file(path: Path, from_code: str, to_code: str) -> _CheckedPackage:  # noqa: C901  (to split: issue 25)
    """Refuse a hostile file, or one argostranslate would install but never translate with."""
    if not path.is_file():
        raise UserError("no such file; give the path of a .argosmodel package", path=path)
    if not zipfile.is_zipfile(path):
        raise UserError("not an Argos package (not a zip archive); download it again", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = tuple(archive.infolist())
            for info in members:
                problem = _check_member(info)
                if problem:
                    raise UserError(f"unsafe package: {problem}; refusing it", path=path)
            tops = {info.filename.split("/", 1)[0] for info in members}
            if len(tops) != 1:
                raise UserError("not an Argos package (expected one top folder)", path=path)
            top = tops.pop()
            if not SAFE_NAME.match(top):
                raise UserError(
                    f"unsafe package: top folder {top!r} is not a plain name "
                    "(letters, digits, '.', '_', '-'); refusing it",
                    path=path,
                )
            unpacked = sum(info.file_size for info in members)
            limit = min(MAX_UNPACKED_BYTES, MAX_EXPANSION_RATIO * path.stat().st_size)
            if unpacked > limit:
                raise UserError(
                    f"unsafe package: declares {unpacked} bytes unpacked, over the limit of "
                    f"{limit} (2 GiB, and at most {MAX_EXPANSION_RATIO}× the archive); "
                    "refusing it",
                    path=path,
                )
            by_name = {info.filename: info for info in members}
            meta_info = by_name.get(f"{top}/metadata.json")
            if meta_info is None or meta_info.is_dir():
                raise UserError("not an Argos package (no metadata.json)", path=path)
            if meta_info.file_size > MAX_METADATA_BYTES:
                raise UserError("metadata.json is over 1 MiB; not an Argos package", path=path)
            metadata = _read_metadata(archive.read(meta_info), f"{path}:{top}/metadata.json")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError) as err:
        raise UserError(f"corrupt package: {err}; download it again", path=path) from None
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if missing:
        raise UserError(f"metadata.json lacks {', '.join(missing)}", path=path)
    if (metadata["from_code"], metadata["to_code"]) != (from_code, to_code):
        raise UserError(
            f"wrong language pair: this package translates {metadata['from_code']}→"
            f"{metadata['to_code']}, expected {from_code}→{to_code}",
            path=path,
        )
    files = {info.filename for info in members if not info.is_dir()}
    if f"{top}/model/model.bin" not in files:
        raise UserError("not a CTranslate2 Argos package (no model/model.bin)", path=path)
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & files:
        raise UserError("package has no tokenizer (sentencepiece.model or bpe.model)", path=path)
    return _CheckedPackage(top, metadata, members, unpacked)


def _read_metadata(data: bytes, where: object) -> dict[str, Any]:
    """metadata.json as a JSON object, or a `UserError` naming the file."""
    try:
        metadata = json.loads(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise UserError(
            f"metadata.json is not valid JSON ({err}); reinstall the package", path=where
        ) from None
    if not isinstance(metadata, dict):
        raise UserError(
            f"metadata.json is a JSON {type(metadata).__name__}, not an object; "
            "reinstall the package",
            path=where,
        )
    return metadata


def _extract(path: Path, checked: _CheckedPackage, staging: Path) -> None:
    """Extract the checked members, counting real bytes against the declared sizes."""
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in checked.members:
                destination = staging.joinpath(*info.filename.rstrip("/").split("/"))
                if info.is_dir():
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                # "xb": a duplicate member name never overwrites what was extracted
                with archive.open(info) as source, destination.open("xb") as out:
                    while chunk := source.read(DOWNLOAD_CHUNK_BYTES):
                        written += len(chunk)
                        total += len(chunk)
                        if written > info.file_size or total > checked.unpacked_bytes:
                            raise UserError(
                                f"unsafe package: {info.filename} unpacks to more than its "
                                "declared size; refusing it",
                                path=path,
                            )
                        out.write(chunk)
    except FileExistsError:
        raise UserError(
            "unsafe package: a member name appears twice; refusing it", path=path
        ) from None
    except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as err:
        raise UserError(f"corrupt package: {err}; download it again", path=path) from None


def _check_staged(package_dir: Path, source: Path) -> None:
    """The extracted package must be one argostranslate loads: metadata, model, tokenizer."""
    from argostranslate.package import Package

    metadata = _read_metadata((package_dir / "metadata.json").read_bytes(), source)
    if not (metadata.get("from_code") and metadata.get("to_code")):
        raise UserError("metadata.json lacks from_code or to_code", path=source)
    if not (package_dir / "model" / "model.bin").is_file():
        raise UserError("not a CTranslate2 Argos package (no model/model.bin)", path=source)
    try:
        package = Package(package_dir)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RuntimeError) as err:
        raise UserError(f"argostranslate cannot read the package: {err}", path=source) from None
    if getattr(package, "tokenizer", None) is None:
        raise UserError("package has no tokenizer (sentencepiece.model or bpe.model)", path=source)
    _probe_translation(package, package_dir, source)


PROBE_SENTENCE = "Dit is een korte zin."


def _probe_translation(package: Any, package_dir: Path, source: Path) -> None:
    """Load the staged model and tokenizer and translate one sentence, before anything is
    replaced: a corrupt or incompatible model.bin, config.json, vocabulary or SentencePiece
    model passes every file check and only fails here, so it never replaces a working one."""
    import ctranslate2

    try:
        translator = ctranslate2.Translator(
            str(package_dir / "model"), device="cpu", inter_threads=1, intra_threads=1
        )
        tokens = package.tokenizer.encode(PROBE_SENTENCE)
        [result] = translator.translate_batch([tokens], beam_size=1, max_decoding_length=16)
        package.tokenizer.decode(result.hypotheses[0])
    except Exception as err:  # noqa: BLE001  (CTranslate2 and SentencePiece raise many kinds)
        reason = " ".join(str(err).split())[:200] or type(err).__name__
        raise UserError(
            f"the model in this package does not load or translate ({reason}); "
            "refusing it, any previous install is kept; download the package again",
            path=source,
        ) from None


def _swap_in(staged: Path, target: Path) -> None:
    """Replace `target` by `staged` with renames: old away, new in, old removed."""
    if not (target.exists() or target.is_symlink()):
        os.rename(staged, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=RETIRED_PREFIX, dir=target.parent))
    os.rename(target, retired / target.name)
    try:
        os.rename(staged, target)
    except OSError:
        os.rename(retired / target.name, target)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _clean_stale(folder: Path) -> None:
    """Remove what a killed install left; a package caught mid-swap is put back first."""
    for leftover in folder.glob(".toolkit-*"):
        if not leftover.is_dir() or leftover.is_symlink():
            continue
        if leftover.name.startswith(RETIRED_PREFIX):
            for package_dir in leftover.iterdir():
                if not (folder / package_dir.name).exists():
                    os.rename(package_dir, folder / package_dir.name)
        if leftover.name.startswith((STAGING_PREFIX, RETIRED_PREFIX)):
            shutil.rmtree(leftover, ignore_errors=True)


def _require_space(folder: Path, needed: int) -> None:
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise UserError(
            f"not enough disk space: the package unpacks to {needed} bytes, {free} free; "
            "free some space or give another --models-dir",
            path=folder,
        )


@contextmanager
def _install_lock(folder: Path) -> Iterator[None]:
    """One install or removal at a time per models folder, across processes."""
    import fcntl

    with (folder / LOCK_NAME).open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _model_info(package_dir: Path, metadata: dict[str, Any]) -> ModelInfo:
    size = 0
    for root, _dirs, names in os.walk(package_dir):  # never follows symlinked folders
        for name in names:
            entry = Path(root) / name
            if entry.is_file() and not entry.is_symlink():
                size += entry.stat().st_size
    return ModelInfo(
        name=package_dir.name,
        from_code=str(metadata.get("from_code", "")),
        to_code=str(metadata.get("to_code", "")),
        version=str(metadata.get("package_version", "")),
        size_bytes=size,
        path=package_dir,
        description=str(metadata.get("description") or ""),
        reference=metadata.get(REFERENCE_KEY) is True,
        max_positions=_positions(metadata.get("max_positions")),
        term_markers=_term_markers(metadata.get("term_annotations")),
        origin=_origin(metadata),
        training=_training(package_dir, metadata),
    )


def _term_markers(value: object) -> tuple[str, str] | None:
    """Declared annotation symbols: two different short strings, neither blank."""
    if not isinstance(value, dict):
        return None
    opening, closing = value.get("open"), value.get("close")
    if not (isinstance(opening, str) and isinstance(closing, str)):
        return None
    if not (0 < len(opening.strip()) <= 4 and 0 < len(closing.strip()) <= 4) or opening == closing:
        return None
    return opening.strip(), closing.strip()


TRAINING_KEY = "toolkit_training"  # metadata.json: set by toolkit.training.package
ORIGINS = ("bundled", "trained", "adapted")


def _origin(metadata: dict[str, Any]) -> str:
    training = metadata.get(TRAINING_KEY)
    origin = training.get("origin") if isinstance(training, dict) else None
    if origin in ORIGINS:
        return str(origin)
    return "bundled" if metadata.get(REFERENCE_KEY) is True else "index"


def _training(package_dir: Path, metadata: dict[str, Any]) -> dict[str, Any]:
    """The package's training record; `weights` only where the folder really is inside it."""
    training = metadata.get(TRAINING_KEY)
    if not isinstance(training, dict):
        return {}
    record: dict[str, Any] = {
        "base": str(training.get("base") or ""),
        "data": [d for d in training.get("data") or [] if isinstance(d, dict)][:100],
        "scores": {
            str(k): v
            for k, v in (training.get("scores") or {}).items()
            if isinstance(v, int | float) and not isinstance(v, bool)
        }
        if isinstance(training.get("scores"), dict)
        else {},
    }
    for key in ("weights", "original_pairs"):
        value = training.get(key)
        if isinstance(value, str) and SAFE_RELATIVE.match(value):
            found = package_dir.joinpath(*value.split("/"))
            if found.exists() and not found.is_symlink():
                record[key] = str(found)
    return record


def _positions(value: object) -> int | None:
    """A declared position limit, when it is a plausible one (Argos packages declare none)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 8 else None


def _broken(package_dir: Path, problem: str) -> ModelInfo:
    return ModelInfo(
        name=package_dir.name,
        from_code="",
        to_code="",
        version="",
        size_bytes=0,
        path=package_dir,
        problem=f"{package_dir / 'metadata.json'}: {problem}",
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())
