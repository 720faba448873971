"""Decoding settings are bounded by the machine: threads by its cores, compute types by
CTranslate2's own list for its CPU; each mistake is one line (issue 23, case 6). Before,
intra-threads = 100000 segfaulted, inter-threads = 1000000 hung, and a bogus compute type
said the model could not be loaded and should be reinstalled."""

from __future__ import annotations

from pathlib import Path

import ctranslate2
import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.config import MAX_THREADS


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.txt").write_text("Een zin.\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TOOLKIT_CONFIG", raising=False)
    return tmp_path


def _translate(*options: str):
    args = ["translate", "a.txt", "-o", "out", "--engine", "none", "--quiet", *options]
    return CliRunner().invoke(main, args)


@pytest.mark.parametrize(
    ("key", "value"), [("intra-threads", 100_000), ("inter-threads", 1_000_000)]
)
def test_thread_counts_past_the_machine_are_one_line_in_the_config(
    project: Path, key: str, value: int
) -> None:
    (project / "toolkit.toml").write_text(f"[decoding]\n{key} = {value}\n")
    result = _translate()
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert f"toolkit.toml:2: {key} = {value} is out of range; use from 1 to {MAX_THREADS}" in line


@pytest.mark.parametrize("option", ["--intra-threads", "--inter-threads"])
def test_thread_counts_past_the_machine_are_refused_on_the_command_line(
    project: Path, option: str
) -> None:
    result = _translate(option, "100000")
    assert result.exit_code == 2
    assert f"100000 is not in the range 1<=x<={MAX_THREADS}" in result.output


def test_an_unsupported_compute_type_is_one_line_naming_the_supported_ones(
    project: Path,
) -> None:
    result = _translate("--compute-type", "bogus")
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    supported = sorted(ctranslate2.get_supported_compute_types("cpu"))
    assert "compute type 'bogus' is not supported on this machine's CPU" in line
    assert ", ".join(supported) in line and "reinstall" not in line


def test_a_compute_type_from_the_config_names_the_file(project: Path) -> None:
    (project / "toolkit.toml").write_text('[decoding]\ncompute-type = "float128"\n')
    result = _translate()
    assert result.exit_code == 1 and "toolkit.toml" in result.output


def test_supported_settings_still_run(project: Path) -> None:
    assert _translate("--compute-type", "int8", "--intra-threads", str(MAX_THREADS)).exit_code == 0
