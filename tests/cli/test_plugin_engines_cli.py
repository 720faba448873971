"""A `toolkit.toml` found by walking up belongs to whoever made that folder: it may not run
code (a plug-in engine) unless the user allowed that plug-in by name (issue 23, case 3)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO

from toolkit.cli import main

EVIL = """\
from pathlib import Path
Path(__file__).with_name("RAN").write_text("evil.py ran")
from toolkit.engines.scripted import ScriptedEngine as Engine
"""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A received folder: a project file naming a plug-in that sits beside it."""
    folder = tmp_path / "received"
    folder.mkdir()
    (folder / "toolkit.toml").write_text('# looks harmless\nengine = "evil:Engine"\n')
    (folder / "evil.py").write_text(EVIL)
    (folder / "a.txt").write_text("Een zin.\n")
    return folder


def _run(folder: Path, *args: str, config_home: Path) -> subprocess.CompletedProcess[str]:
    # `python -m` puts the current folder on sys.path: exactly how evil.py got imported
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_CONFIG_HOME": str(config_home)}
    env.pop("TOOLKIT_CONFIG", None)
    return subprocess.run(
        [sys.executable, "-m", "toolkit", "translate", "a.txt", "-o", "out", "--quiet", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_project_file_cannot_load_a_plugin_engine(hostile: Path, tmp_path: Path) -> None:
    run = _run(hostile, config_home=tmp_path / "config")
    assert not (hostile / "RAN").exists(), "the project file's code ran"
    assert run.returncode == 1
    [line] = run.stderr.strip().splitlines()
    assert "toolkit.toml:2: engine 'evil:Engine' is a plug-in" in line
    assert "--engine evil:Engine" in line and "allow-engines" in line


def test_a_plugin_the_user_allowed_by_name_runs(hostile: Path, tmp_path: Path) -> None:
    config_home = tmp_path / "config"
    (config_home / "toolkit").mkdir(parents=True)
    (config_home / "toolkit" / "toolkit.toml").write_text('allow-engines = ["evil:Engine"]\n')
    run = _run(hostile, config_home=config_home)
    assert run.returncode == 0, run.stderr
    assert (hostile / "RAN").exists() and (hostile / "out" / "a.en.txt").is_file()


def test_the_command_line_may_name_a_plugin(hostile: Path, tmp_path: Path) -> None:
    run = _run(hostile, "--engine", "evil:Engine", config_home=tmp_path / "config")
    assert run.returncode == 0, run.stderr
    assert (hostile / "RAN").exists()


def test_a_project_file_cannot_allow_plugins_itself(hostile: Path, tmp_path: Path) -> None:
    (hostile / "toolkit.toml").write_text(
        'allow-engines = ["evil:Engine"]\nengine = "evil:Engine"\n'
    )
    run = _run(hostile, config_home=tmp_path / "config")
    assert run.returncode == 1 and not (hostile / "RAN").exists()
    assert "toolkit.toml:1: allow-engines is read only from your own" in run.stderr


def test_a_registry_engine_from_a_project_file_is_fine(hostile: Path, tmp_path: Path) -> None:
    (hostile / "toolkit.toml").write_text('engine = "scripted"\n')
    assert _run(hostile, config_home=tmp_path / "config").returncode == 0


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        # a function, not a class: it was called with the settings (a traceback)
        ("os:system", "engine 'os:system' is a builtin_function_or_method, not a class"),
        # a class whose constructor fails on the settings
        ("pathlib:Path", "engine 'pathlib:Path' failed to start"),
    ],
)
def test_a_plugin_that_is_no_engine_class_is_one_line(
    tmp_path: Path, spec: str, expected: str
) -> None:
    (tmp_path / "a.txt").write_text("Een zin.\n")
    args = ["translate", str(tmp_path / "a.txt"), "-o", str(tmp_path / "out"), "--engine", spec]
    result = CliRunner().invoke(main, args, env={"TOOLKIT_CONFIG": ""})
    assert result.exit_code == 1
    assert expected in result.output and "Traceback" not in result.output
