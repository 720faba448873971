"""Ctrl-C stops a command with exit status 130, as shells expect of SIGINT (issue 23, case 8:
it exited 1, like a failed document)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import REPO


def test_sigint_exits_130(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "TOOLKIT_CONFIG": ""}
    # standard input that never ends: the command waits on it until interrupted
    process = subprocess.Popen(
        [sys.executable, "-m", "toolkit", "translate", "-", "--engine", "none", "--quiet"],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    time.sleep(8)  # imported and reading
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert b"Traceback" not in stderr
