"""Completion markers: a document is up to date when its marker's fingerprint still matches
and every output still holds exactly what the run wrote.

The fingerprint covers the source text, the engine with its settings, the
glossary, the formats and the toolkit version; the marker also holds a content
hash of every output, so a file a translator has since edited (a PO saved in
Poedit) makes the document due again: its edit is merged and every other output
rewritten. The marker is written after every output, so a killed run redoes
exactly the documents it had not finished.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from toolkit import __version__
from toolkit.document import Document
from toolkit.files import refuse_links, write_atomic
from toolkit.run.outputs import STATE_FOLDER


def fingerprint(document: Document, namespace: str, formats: Sequence[str]) -> str:
    # a formatted source's bytes: a change of formatting alone must redo its English file
    original = hashlib.sha256(document.original).hexdigest() if document.original else ""
    parts = (document.text, namespace, ",".join(formats), __version__, original)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def marker_path(outdir: Path, folder: Path, document_name: str) -> Path:
    """`OUTDIR/.toolkit/SUBFOLDER/NAME.json` for outputs in `folder` (inside `outdir`)."""
    return outdir / STATE_FOLDER / folder.relative_to(outdir) / f"{document_name}.json"


def _refuse_links(marker: Path) -> None:
    """A marker is read and written only through real folders of `OUTDIR/.toolkit`."""
    parts = marker.parts
    if STATE_FOLDER not in parts:  # a marker kept elsewhere: the file itself is checked
        refuse_links(marker.parent, marker)
        return
    top = len(parts) - 1 - parts[::-1].index(STATE_FOLDER)
    refuse_links(Path(*parts[: top + 1]), marker)


def content_hash(path: Path) -> str | None:
    """The sha256 of the file's bytes, or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def is_up_to_date(marker: Path, expected: str, outputs: Sequence[Path]) -> bool:
    """The marker holds `expected` and every output is still byte for byte as written."""
    _refuse_links(marker)
    try:
        state = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(state, dict) or state.get("fingerprint") != expected:
        return False
    written = state.get("outputs")
    if not isinstance(written, dict):
        return False  # a marker from before output hashes: the outputs cannot be vouched for
    return all(
        (digest := content_hash(path)) is not None and written.get(path.name) == digest
        for path in outputs
    )


def recorded_outputs(marker: Path) -> dict[str, str]:
    """File name → content hash of the outputs an earlier run recorded (empty if none)."""
    try:
        state = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    written = state.get("outputs") if isinstance(state, dict) else None
    if not isinstance(written, dict):
        return {}
    return {k: v for k, v in written.items() if isinstance(k, str) and isinstance(v, str)}


def write_marker(marker: Path, expected: str, source: Path, outputs: Sequence[Path]) -> None:
    """Record the document as done, with the content hash of each of its `outputs`."""
    _refuse_links(marker)
    hashes = {path.name: content_hash(path) for path in outputs}
    state = {"fingerprint": expected, "source": str(source), "outputs": hashes}
    write_atomic(marker, json.dumps(state, indent=1, sort_keys=True) + "\n")
