"""An output path in a folder that cannot be written is one line, never a traceback
(issue 23, case 7: --report, glossary export -o and glossary import -o). The tests run as
root, so the folder is made unwritable by being a file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from toolkit.cli import main

ENV = {"TOOLKIT_CONFIG": ""}
GLOSSARY = str(REPO / "glossary" / "nl-en.tsv")


@pytest.fixture
def blocked(tmp_path: Path) -> Path:
    (tmp_path / "not-a-folder").write_text("a file where a folder should be")
    (tmp_path / "a.txt").write_text("Een zin.\n")
    (tmp_path / "g.csv").write_text("nl,en\nNavo,NATO\n")
    return tmp_path / "not-a-folder"


@pytest.mark.parametrize("case", ["report", "export", "import"])
def test_an_unwritable_output_folder_is_one_line(tmp_path: Path, blocked: Path, case: str) -> None:
    target = str(blocked / "sub" / "out.file")
    args = {
        "report": ["translate", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"),
                   "--engine", "none", "--quiet", "--report", target],
        "export": ["glossary", "export", "--format", "csv", "-o", target, GLOSSARY],
        "import": ["glossary", "import", "--format", "csv", str(tmp_path / "g.csv"),
                   "-o", target],
    }[case]  # fmt: skip
    result = CliRunner().invoke(main, args, env=ENV)
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    [line] = [line for line in result.output.splitlines() if line.startswith("Error")]
    assert "cannot write: Not a directory" in line and "not-a-folder" in line
