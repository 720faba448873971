"""The import graph keeps its shape: the contracts in pyproject.toml, checked by import-linter.

The stages import no run, format or CLI module; the CLI sits over the run, the run over the
formats and stages; no two sibling modules or packages import each other, at any depth.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    assert lint_imports.exists(), "import-linter is missing; it is in the test extra (bin/setup)"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "3 kept, 0 broken" in run.stdout
