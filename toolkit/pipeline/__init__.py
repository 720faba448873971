"""The translate pipeline: I/O-free stages, and the run that reads and writes around them.

`process` and the stage functions work on documents already in memory; the
run (`run_translate`, `Run`) owns the edges: inputs, skipping, merging,
writing, the lock and the report. Names are imported from their modules on
first use, so importing one module of the package never loads the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.pipeline.inputs import collect_inputs, read_file_list
    from toolkit.pipeline.outputs import STATE_FOLDER
    from toolkit.pipeline.report import DocumentResult, RunReport
    from toolkit.pipeline.run import Run, RunOptions, run_translate
    from toolkit.pipeline.stages import process

_EXPORTS = {
    "collect_inputs": "inputs",
    "read_file_list": "inputs",
    "STATE_FOLDER": "outputs",
    "DocumentResult": "report",
    "RunReport": "report",
    "Run": "run",
    "RunOptions": "run",
    "run_translate": "run",
    "process": "stages",
}
__all__ = [
    "STATE_FOLDER",
    "DocumentResult",
    "Run",
    "RunOptions",
    "RunReport",
    "collect_inputs",
    "process",
    "read_file_list",
    "run_translate",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
