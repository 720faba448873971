"""The run: the edges around the stages (`toolkit.stages`), which read and write nothing.

The run (`run_translate`, `Run`, and the runners of `runners.RUNNERS`) owns the edges:
inputs, skipping, merging, the cache and the memory, writing, the lock and the report.
Names are imported from their modules on first use, so importing one module of the
package never loads the others.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.run.inputs import collect_inputs, read_file_list
    from toolkit.run.local import Run, RunOptions, run_translate
    from toolkit.run.outputs import STATE_FOLDER
    from toolkit.run.report import DocumentResult, RunReport

_EXPORTS = {
    "collect_inputs": "inputs",
    "read_file_list": "inputs",
    "STATE_FOLDER": "outputs",
    "DocumentResult": "report",
    "RunReport": "report",
    "Run": "local",
    "RunOptions": "local",
    "run_translate": "local",
}
__all__ = [
    "STATE_FOLDER",
    "DocumentResult",
    "Run",
    "RunOptions",
    "RunReport",
    "collect_inputs",
    "read_file_list",
    "run_translate",
]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
