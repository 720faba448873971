"""The one module that talks to argostranslate: model packages and the Argos engine.

argostranslate is imported inside the functions that need it, never at module
import: `argostranslate.package` (about 0.1 s, no torch) serves installing and
listing; translation loads the package's CTranslate2 model and SentencePiece
tokenizer directly and never imports `argostranslate.translate`, which pulls
in spaCy, stanza and torch and whose sentence splitter downloads models.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.engines.base import EngineSettings, Hypothesis, Translation
from toolkit.errors import UserError

INDEX_TIMEOUT_SECONDS = 20
DOWNLOAD_CHUNK_BYTES = 1 << 16
REQUIRED_METADATA = ("package_version", "from_code", "to_code")

ProgressCallback = Callable[[int, int | None], None]  # (bytes so far, total or None)


@dataclass(frozen=True)
class ModelInfo:
    """An installed Argos package, as `toolkit model list` shows it."""

    name: str
    from_code: str
    to_code: str
    version: str
    size_bytes: int
    path: Path

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "from_code": self.from_code,
            "to_code": self.to_code,
            "version": self.version,
            "size_bytes": self.size_bytes,
            "path": str(self.path),
        }


def _argos_package_api(models_dir: str | None) -> Any:
    """Import `argostranslate.package`, pointed at `models_dir` when one is given."""
    from argostranslate import package, settings

    if models_dir:
        folder = Path(models_dir).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        settings.package_data_dir = folder
        settings.package_dirs = [folder]
    return package


def models_folder(models_dir: str | None) -> Path:
    """Where packages are installed: `models_dir`, or Argos's own package folder."""
    _argos_package_api(models_dir)
    from argostranslate import settings

    return Path(settings.package_data_dir)


def list_models(models_dir: str | None = None) -> list[ModelInfo]:
    """The installed packages, skipping folders that are not Argos packages."""
    _argos_package_api(models_dir)
    from argostranslate import settings

    found = []
    for folder in settings.package_dirs:
        if not Path(folder).is_dir():
            continue
        for package_dir in sorted(Path(folder).iterdir()):
            metadata_path = package_dir / "metadata.json"
            if not metadata_path.is_file():
                continue
            try:
                metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            found.append(_model_info(package_dir, metadata))
    return found


def find_model(models_dir: str | None, from_code: str, to_code: str) -> ModelInfo:
    """The newest installed package for a language pair, or a `UserError` saying how to get one."""
    candidates = [
        m for m in list_models(models_dir) if (m.from_code, m.to_code) == (from_code, to_code)
    ]
    if not candidates:
        raise UserError(
            f"no {from_code}→{to_code} model installed in {models_folder(models_dir)}; "
            f"run `toolkit model install` (needs the internet) or "
            f"`toolkit model install --file translate-{from_code}_{to_code}.argosmodel`"
        )
    return max(candidates, key=lambda m: _version_key(m.version))


def install_from_file(
    path: Path, models_dir: str | None = None, from_code: str = "nl", to_code: str = "en"
) -> ModelInfo:
    """Check a `.argosmodel` file and install it with argostranslate's own installer."""
    top_folder, metadata = _check_package_file(path, from_code, to_code)
    package = _argos_package_api(models_dir)
    target = models_folder(models_dir) / top_folder
    if target.exists():  # a reinstall replaces the old copy instead of mixing files
        shutil.rmtree(target)
    package.install_from_path(path)
    return _model_info(target, metadata)


def install_from_index(
    models_dir: str | None = None,
    from_code: str = "nl",
    to_code: str = "en",
    progress: ProgressCallback | None = None,
) -> ModelInfo:
    """Download the language pair's package from the Argos index and install it."""
    _argos_package_api(models_dir)
    from argostranslate import settings

    index_url = settings.remote_package_index
    offline_hint = (
        f"cannot reach the Argos package index at {index_url} (offline?); on a connected "
        f"machine download translate-{from_code}_{to_code}.argosmodel and run "
        "`toolkit model install --file PATH.argosmodel`"
    )
    try:
        with urllib.request.urlopen(index_url, timeout=INDEX_TIMEOUT_SECONDS) as response:
            index = json.load(response)
    except (urllib.error.URLError, OSError, ValueError):
        raise UserError(offline_hint) from None
    entries = [e for e in index if (e.get("from_code"), e.get("to_code")) == (from_code, to_code)]
    if not entries:
        raise UserError(
            f"the Argos package index at {index_url} has no {from_code}→{to_code} package"
        )
    entry = max(entries, key=lambda e: _version_key(str(e.get("package_version", ""))))
    with tempfile.TemporaryDirectory(prefix="toolkit-download-") as scratch:
        download = Path(scratch) / f"translate-{from_code}_{to_code}.argosmodel"
        try:
            _download(entry.get("links", []), download, progress)
        except (urllib.error.URLError, OSError):
            raise UserError(offline_hint) from None
        return install_from_file(download, models_dir, from_code, to_code)


def _download(links: Sequence[str], target: Path, progress: ProgressCallback | None) -> None:
    last_error: Exception = urllib.error.URLError("the index lists no download link")
    for link in links:
        try:
            with urllib.request.urlopen(link, timeout=INDEX_TIMEOUT_SECONDS) as response:
                total = int(response.headers.get("Content-Length") or 0) or None
                done = 0
                with target.open("wb") as out:
                    while chunk := response.read(DOWNLOAD_CHUNK_BYTES):
                        out.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
            return
        except (urllib.error.URLError, OSError) as err:
            last_error = err
    raise last_error


def _check_package_file(path: Path, from_code: str, to_code: str) -> tuple[str, dict[str, Any]]:
    """Refuse a file argostranslate would install but could never translate with."""
    if not path.is_file():
        raise UserError("no such file; give the path of a .argosmodel package", path=path)
    if not zipfile.is_zipfile(path):
        raise UserError("not an Argos package (not a zip archive); download it again", path=path)
    try:
        with zipfile.ZipFile(path) as archive:
            broken = archive.testzip()
            names = archive.namelist()
            tops = {name.split("/", 1)[0] for name in names}
            if len(tops) != 1:
                raise UserError("not an Argos package (expected one top folder)", path=path)
            top = tops.pop()
            if broken:
                raise UserError(f"corrupt package: {broken} fails its checksum", path=path)
            if f"{top}/metadata.json" not in names:
                raise UserError("not an Argos package (no metadata.json)", path=path)
            metadata = json.loads(archive.read(f"{top}/metadata.json").decode("utf-8"))
    except (zipfile.BadZipFile, ValueError, UnicodeDecodeError) as err:
        raise UserError(f"corrupt package: {err}", path=path) from None
    missing = [key for key in REQUIRED_METADATA if not metadata.get(key)]
    if missing:
        raise UserError(f"metadata.json lacks {', '.join(missing)}", path=path)
    if (metadata["from_code"], metadata["to_code"]) != (from_code, to_code):
        raise UserError(
            f"wrong language pair: this package translates {metadata['from_code']}→"
            f"{metadata['to_code']}, expected {from_code}→{to_code}",
            path=path,
        )
    if f"{top}/model/model.bin" not in names:
        raise UserError("not a CTranslate2 Argos package (no model/model.bin)", path=path)
    if not {f"{top}/sentencepiece.model", f"{top}/bpe.model"} & set(names):
        raise UserError("package has no tokenizer (sentencepiece.model or bpe.model)", path=path)
    return top, metadata


def _model_info(package_dir: Path, metadata: dict[str, Any]) -> ModelInfo:
    size = sum(f.stat().st_size for f in package_dir.rglob("*") if f.is_file())
    return ModelInfo(
        name=package_dir.name,
        from_code=str(metadata.get("from_code", "")),
        to_code=str(metadata.get("to_code", "")),
        version=str(metadata.get("package_version", "")),
        size_bytes=size,
        path=package_dir,
    )


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def _split_tokens(tokens: list[str], limit: int) -> list[list[str]]:
    """Cut a sentence longer than the model takes into pieces, at word starts where possible.

    CTranslate2 would silently truncate it at `max_input_length`; translating
    the pieces keeps every word.
    """
    if len(tokens) <= limit:
        return [tokens]
    chunks: list[list[str]] = []
    while len(tokens) > limit:
        cut = max((i for i in range(1, limit) if tokens[i].startswith("▁")), default=limit)
        chunks.append(tokens[:cut])
        tokens = tokens[cut:]
    return [*chunks, tokens]


def _join_hypotheses(parts: list[list[Hypothesis]]) -> list[Hypothesis]:
    """Rank-wise join of the hypotheses of a sentence's pieces (one piece: unchanged)."""
    if len(parts) == 1:
        return parts[0]
    joined = []
    for rank in range(min(len(p) for p in parts)):
        ranked = [p[rank] for p in parts]
        scores = [h.score for h in ranked if h.score is not None]
        joined.append(Hypothesis(" ".join(h.text for h in ranked), sum(scores) if scores else None))
    return joined


class ArgosEngine:
    """Translates with an installed Argos package through CTranslate2's `translate_batch`.

    Mirrors argostranslate's decoding (the package's target prefix,
    `replace_unknowns`, length penalty 0.2, its SentencePiece decode) but
    batches sentences across paragraphs and documents. The model loads on
    first use and is dropped on pickling, so the engine can be shipped to
    worker processes.
    """

    name = "argos"
    length_penalty = 0.2  # argostranslate's value

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()
        self._loaded: tuple[Any, Any, str, ModelInfo] | None = None

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings, "_loaded": None}

    def _load(self) -> tuple[Any, Any, str, ModelInfo]:
        if self._loaded is None:
            import ctranslate2
            from argostranslate.package import Package

            s = self.settings
            model = find_model(s.models_dir, s.from_code, s.to_code)
            package = Package(model.path)
            if getattr(package, "tokenizer", None) is None:
                raise UserError("package has no tokenizer; reinstall it", path=model.path)
            try:
                translator = ctranslate2.Translator(
                    str(model.path / "model"),
                    device="cpu",
                    inter_threads=s.inter_threads,
                    intra_threads=s.intra_threads,
                    compute_type=s.compute_type,
                )
            except (RuntimeError, ValueError) as err:
                raise UserError(
                    f"cannot load the model: {err}; reinstall it", path=model.path
                ) from None
            self._loaded = (translator, package.tokenizer, package.target_prefix, model)
        return self._loaded

    def describe(self) -> str:
        from importlib.metadata import version

        model, s = self._load()[3], self.settings
        # everything that changes the output: the cache and the skip markers key on this line
        return (
            f"argostranslate {version('argostranslate')}, {model.name} {model.version}, "
            f"ctranslate2 {version('ctranslate2')}, beam {s.beam_size}, "
            f"max decoding length {s.max_decoding_length}, compute type {s.compute_type}"
        )

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        if not sources:
            return []
        return self._decode(list(sources), num_hypotheses)

    def translate_suppressing(
        self, sources: Sequence[str], banned: Sequence[str]
    ) -> list[Translation]:
        """Translate with the banned target phrases suppressed during decoding.

        CTranslate2 applies `suppress_sequences` to a whole call, so the list is
        shared by the batch; each phrase is banned in its SentencePiece form.
        """
        tokenizer = self._load()[1]
        return self._decode(list(sources), 1, [tokenizer.encode(p) for p in banned if p])

    def _decode(
        self,
        sources: list[str],
        num_hypotheses: int,
        suppress: list[list[str]] | None = None,
    ) -> list[Translation]:
        translator, tokenizer, target_prefix, _ = self._load()
        s = self.settings
        pieces = [_split_tokens(tokenizer.encode(source), s.max_input_length) for source in sources]
        batch = [chunk for chunks in pieces for chunk in chunks]
        results = translator.translate_batch(
            batch,
            target_prefix=[[target_prefix]] * len(batch) if target_prefix else None,
            replace_unknowns=True,
            max_batch_size=s.max_batch_size,
            beam_size=max(s.beam_size, num_hypotheses),
            num_hypotheses=num_hypotheses,
            length_penalty=self.length_penalty,
            max_decoding_length=s.max_decoding_length,
            max_input_length=s.max_input_length,
            suppress_sequences=suppress or None,
            return_scores=True,
        )
        decoded = [
            [
                Hypothesis(self._detokenize(tokenizer, tokens, target_prefix), score)
                for tokens, score in zip(result.hypotheses, result.scores, strict=True)
            ]
            for result in results
        ]
        translations, position = [], 0
        for chunks in pieces:
            parts = decoded[position : position + len(chunks)]
            position += len(chunks)
            translations.append(Translation(tuple(_join_hypotheses(parts))))
        return translations

    @staticmethod
    def _detokenize(tokenizer: Any, tokens: list[str], target_prefix: str) -> str:
        if target_prefix and tokens[:1] == [target_prefix]:
            tokens = tokens[1:]
        return tokenizer.decode(tokens).strip()
