"""Completion markers: a document is up to date when its marker's fingerprint still matches.

The fingerprint covers the source text, the engine with its settings, the
glossary, the formats and the toolkit version; the marker is written after
every output, so a killed run redoes exactly the documents it had not finished.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from toolkit import __version__
from toolkit.document import Document
from toolkit.files import write_atomic
from toolkit.pipeline.outputs import STATE_FOLDER


def fingerprint(document: Document, namespace: str, formats: Sequence[str]) -> str:
    parts = (document.text, namespace, ",".join(formats), __version__)
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def marker_path(outdir: Path, folder: Path, document_name: str) -> Path:
    """`OUTDIR/.toolkit/SUBFOLDER/NAME.json` for outputs in `folder` (inside `outdir`)."""
    return outdir / STATE_FOLDER / folder.relative_to(outdir) / f"{document_name}.json"


def is_up_to_date(marker: Path, expected: str, outputs: Sequence[Path]) -> bool:
    """The marker holds `expected` and every output still exists."""
    try:
        state = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(state, dict)
        and state.get("fingerprint") == expected
        and all(p.exists() for p in outputs)
    )


def write_marker(marker: Path, expected: str, source: Path) -> None:
    write_atomic(marker, json.dumps({"fingerprint": expected, "source": str(source)}) + "\n")
