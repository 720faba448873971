"""Ctrl-C stops a command with exit status 130, as shells expect of SIGINT (issue 23, case 8:
it exited 1, like a failed document)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from toolkit import files
from toolkit.cli import main


def test_an_interrupted_command_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> bytes:
        raise KeyboardInterrupt  # what SIGINT raises while the command waits on stdin

    monkeypatch.setattr(files, "read_stream", interrupted)
    args = ["translate", "-", "--engine", "none", "--quiet"]
    result = CliRunner().invoke(main, args, input="Een zin.\n", env={"TOOLKIT_CONFIG": ""})
    assert result.exit_code == 130
    assert "interrupted" in result.output and "Aborted" not in result.output
