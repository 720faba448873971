"""Every read is bounded: regular files only, their size counted while reading, standard
input capped by --max-document-bytes (issue 23, case 5). Each case was a hang, a
MemoryError traceback or memory eaten without end."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.errors import UserError
from toolkit.files import read_limited, read_text

ENV = {"TOOLKIT_CONFIG": ""}


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_before_a_byte_is_read(device: str) -> None:
    with pytest.raises(UserError, match="is not a regular file") as caught:
        read_text(Path(device))
    assert str(caught.value).startswith(device)


def test_a_fifo_is_refused_without_waiting_for_a_writer(fifo: Path) -> None:
    done = threading.Event()
    errors: list[Exception] = []

    def read() -> None:
        try:
            read_text(fifo)
        except UserError as err:
            errors.append(err)
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(10), "reading a FIFO waited for a writer"
    assert "is not a regular file" in str(errors[0])


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * 1001)
    with pytest.raises(UserError, match="over the limit of 1,000 bytes"):
        read_limited(path, 1000)
    assert read_limited(path, 1001) == b"a" * 1001


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_translate_refuses_a_device_input_in_one_line(tmp_path: Path, device: str) -> None:
    args = ["translate", device, "-o", str(tmp_path / "out"), "--engine", "none", "--quiet"]
    result = CliRunner().invoke(main, args, env=ENV)
    assert result.exit_code == 1
    assert f"{device}: is not a regular file" in result.output
    assert "Traceback" not in result.output


def test_translate_refuses_a_fifo_input(tmp_path: Path, fifo: Path) -> None:
    args = ["translate", str(fifo), "-o", str(tmp_path / "out"), "--engine", "none", "--quiet"]
    result = CliRunner().invoke(main, args, env=ENV)
    assert result.exit_code == 1 and "is not a regular file" in result.output


def test_stdin_is_capped_by_max_document_bytes(tmp_path: Path) -> None:
    # was read whole: 3 GB gave a MemoryError traceback
    args = ["translate", "-", "--engine", "none", "--max-document-bytes", "100", "--quiet"]
    result = CliRunner().invoke(main, args, input="Een zin. " * 50, env=ENV)
    assert result.exit_code == 1
    assert "-: is over the limit of 100 bytes" in result.output
    small = CliRunner().invoke(main, args, input="Een zin.\n", env=ENV)
    assert small.exit_code == 0, small.output


@pytest.mark.parametrize("name", ["lint", "import csv", "import tbx"])
def test_glossary_commands_refuse_a_device(tmp_path: Path, name: str) -> None:
    # `glossary lint /dev/zero` ate memory until killed
    command = ["glossary", "lint", "/dev/zero"]
    if name.startswith("import"):
        command = ["glossary", "import", "--format", name.split()[1], "/dev/zero"]
        command += ["-o", str(tmp_path / "x.tsv")]
    result = CliRunner().invoke(main, command, env=ENV)
    assert result.exit_code == 1, result.output
    assert "/dev/zero: is not a regular file" in result.output


def test_a_config_that_is_a_device_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["glossary", "lint"], env={"TOOLKIT_CONFIG": "/dev/zero"})
    assert result.exit_code == 1 and "/dev/zero: is not a regular file" in result.output
