"""The runner registry: the names `--runner` offers, each a `module:function` path.

Built like the engine registry: entries are import paths, so listing the choices imports
neither Ray nor the run itself. Every runner takes the same arguments and returns the same
`RunReport`; `Cluster` carries what only a distributed runner uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from toolkit.engines.base import Engine
from toolkit.errors import UserError

if TYPE_CHECKING:
    from toolkit.run.local import RunOptions, RunProgress
    from toolkit.run.report import RunReport

RUNNERS: dict[str, str] = {
    "local": "toolkit.run.local:run_local",
    "ray": "toolkit.run.ray_runner:run_ray",
}


@dataclass(frozen=True)
class Cluster:
    """Where a distributed runner runs: the cluster's address (None: one started for the run)
    and the CPUs each actor reserves. The local runner needs neither."""

    address: str | None = None
    cpus_per_actor: int = 1


class Runner(Protocol):
    def __call__(
        self,
        inputs: Sequence[Path],
        outdir: Path,
        engine: Engine,
        options: RunOptions,
        progress: Callable[[RunProgress], None] | None,
        cluster: Cluster,
    ) -> RunReport: ...


def load_runner(name: str) -> Runner:
    """The runner registered as `name`."""
    if name not in RUNNERS:
        raise UserError(f"unknown runner {name!r}; choose {', '.join(RUNNERS)}")
    module_name, _, function = RUNNERS[name].partition(":")
    runner: Runner = getattr(importlib.import_module(module_name), function)
    return runner
