"""`OUTDIR/.toolkit/` comes with a shared or received output folder: a link or a device in
it is refused with one line and never followed to a file outside (issue 23, case 1)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

ENV = {"TOOLKIT_CONFIG": ""}  # no project file: the test's own options only


def _translate(tmp_path: Path) -> tuple[int, str]:
    source = tmp_path / "in"
    source.mkdir(exist_ok=True)
    (source / "a.txt").write_text("De Navo is een bondgenootschap.\n", "utf-8")
    args = [
        "translate",
        str(source),
        "-o",
        str(tmp_path / "out"),
        "--engine",
        "scripted",
        "--quiet",
    ]
    result = CliRunner().invoke(main, args, env=ENV)
    return result.exit_code, result.output


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text("ORIGINAL\n")
    return victim


@pytest.mark.parametrize(
    "name",
    [
        # the run's lock: the pid was written into the file the link points at
        "lock",
        # the translation cache: SQLite created or overwrote the file the link points at
        "cache.sqlite",
        # SQLite's write-ahead log beside it
        "cache.sqlite-wal",
        # a completion marker, in the subfolder the document's outputs go to
        "a.json",
    ],
)
def test_a_link_in_the_state_folder_is_refused_and_its_target_untouched(
    tmp_path: Path, name: str
) -> None:
    victim = _victim(tmp_path)
    state = tmp_path / "out" / ".toolkit"
    state.mkdir(parents=True)
    (state / name).symlink_to(victim)
    code, output = _translate(tmp_path)
    assert victim.read_text() == "ORIGINAL\n"
    assert code != 0, output
    assert "symbolic link" in output and "Traceback" not in output
    assert name in output


def test_a_state_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    # `.toolkit` itself pointing at another folder: lock, cache and markers would land there
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".toolkit").symlink_to(elsewhere, target_is_directory=True)
    code, output = _translate(tmp_path)
    assert code != 0 and "symbolic link" in output, output
    assert list(elsewhere.iterdir()) == []


def test_a_marker_subfolder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    source = tmp_path / "in"
    (source / "sub").mkdir(parents=True)
    (source / "sub" / "b.txt").write_text("Een zin.\n", "utf-8")
    (tmp_path / "out" / ".toolkit").mkdir(parents=True)
    (tmp_path / "out" / ".toolkit" / "sub").symlink_to(elsewhere, target_is_directory=True)
    code, output = _translate(tmp_path)
    assert code != 0 and "symbolic link" in output, output
    assert list(elsewhere.iterdir()) == []


def test_a_fifo_as_the_lock_is_refused_not_waited_on(tmp_path: Path) -> None:
    state = tmp_path / "out" / ".toolkit"
    state.mkdir(parents=True)
    os.mkfifo(state / "lock")
    code, output = _translate(tmp_path)
    assert code != 0 and "not a regular file" in output, output


def test_a_clean_state_folder_still_works_and_is_reused(tmp_path: Path) -> None:
    assert _translate(tmp_path)[0] == 0
    assert (tmp_path / "out" / ".toolkit" / "lock").is_file()
    code, output = _translate(tmp_path)
    assert code == 0, output
