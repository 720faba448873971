"""`toolkit translate` and `toolkit model` end to end, through CliRunner and the console script."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import REPO, SEEDS

from toolkit.cli import main

FAST = ["--beam-size", "2", "--max-decoding-length", "12", "--quiet"]


def _msgfmt_ok(path: Path) -> bool:
    run = subprocess.run(["msgfmt", "-c", "--check-format", "-o", "/dev/null", str(path)])
    return run.returncode == 0


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def test_translate_seeds_with_the_seeded_model(models_dir, seeds_copy, tmp_path) -> None:
    out = tmp_path / "out"
    report = tmp_path / "run.json"
    result = CliRunner().invoke(
        main,
        [
            "translate",
            str(seeds_copy),
            "-o",
            str(out),
            "--models-dir",
            models_dir,
            "--report",
            str(report),
            *FAST,
        ],
    )
    assert result.exit_code == 0, result.output
    for seed in SEEDS:
        po_path = out / f"{seed.stem}.nl-en.po"
        assert _msgfmt_ok(po_path)
        po = polib.pofile(str(po_path))
        assert len(po) == 12
        assert all(entry.msgstr and entry.fuzzy for entry in po)
        english = (out / f"{seed.stem}.en.txt").read_text("utf-8")
        assert english.count("\n\n") == 11  # paragraph for paragraph
    second = out / f"{SEEDS[1].stem}.en.txt"
    assert second.read_text("utf-8").startswith("date 2023-04 ")
    data = json.loads(report.read_text())
    assert [d["status"] for d in data["documents"]] == ["translated", "translated"]
    assert "2 translated, 0 skipped, 0 failed of 2 documents (24 paragraphs" in result.stderr


def test_engine_none_prepares_empty_targets(seeds_copy, tmp_path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["translate", str(seeds_copy), "-o", str(out), "--engine", "none"]
    )
    assert result.exit_code == 0, result.output
    po = polib.pofile(str(out / f"{SEEDS[0].stem}.nl-en.po"))
    assert len(po) == 12 and all(e.msgstr == "" and not e.fuzzy for e in po)
    assert _msgfmt_ok(out / f"{SEEDS[0].stem}.nl-en.po")


def test_one_bad_document_does_not_stop_the_others(seeds_copy, tmp_path) -> None:
    (seeds_copy / "latin1.txt").write_bytes("Caf\xe9".encode("latin-1"))
    (seeds_copy / "empty.txt").write_text("")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["translate", str(seeds_copy), "-o", str(out), "--engine", "none"]
    )
    assert result.exit_code == 1
    assert "latin1.txt:1: not valid UTF-8" in result.stderr
    assert "empty.txt: is empty" in result.stderr
    assert "Traceback" not in result.output
    assert sorted(p.name for p in out.iterdir() if p.name != ".toolkit") == sorted(
        f"{s.stem}{suffix}" for s in SEEDS for suffix in (".nl-en.po", ".en.txt")
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # the output folder is a file
        (["translate", "{seeds}", "-o", "{file}", "--engine", "none"], "output folder is a file"),
        # an engine that does not exist
        (["translate", "{seeds}", "-o", "{out}", "--engine", "nope"], "unknown engine 'nope'"),
        # a format that does not exist is a usage error
        (["translate", "{seeds}", "-o", "{out}", "--format", "docx"], "choose from po"),
    ],
)
def test_usage_and_setup_errors_are_one_line(seeds_copy, tmp_path, args, message) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    filled = [a.format(seeds=seeds_copy, file=a_file, out=tmp_path / "o") for a in args]
    result = CliRunner().invoke(main, filled)
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_input_path_fails_that_document_only(seeds_copy, tmp_path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "translate",
            str(seeds_copy / SEEDS[0].name),
            str(tmp_path / "nope.txt"),
            "-o",
            str(out),
            "--engine",
            "none",
        ],
    )
    assert result.exit_code == 1
    assert "nope.txt: no such file" in result.stderr
    assert (out / f"{SEEDS[0].stem}.nl-en.po").exists()


def test_translate_without_model_says_how_to_install(seeds_copy, tmp_path) -> None:
    result = CliRunner().invoke(
        main,
        [
            "translate",
            str(seeds_copy),
            "-o",
            str(tmp_path / "o"),
            "--models-dir",
            str(tmp_path / "no-models"),
        ],
    )
    assert result.exit_code == 1
    assert "toolkit model install --file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_reviewed_po_is_never_overwritten(seeds_copy, tmp_path) -> None:
    out = tmp_path / "out"
    args = ["translate", str(seeds_copy / SEEDS[0].name), "-o", str(out), "--engine", "none"]
    assert CliRunner().invoke(main, args).exit_code == 0
    po_path = out / f"{SEEDS[0].stem}.nl-en.po"
    po = polib.pofile(str(po_path))
    po[0].msgstr = "“Maybe I will have a look,” answered ..."
    po.save(str(po_path))
    # the edited PO makes the document due again (markers hash the outputs): the review is merged
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "1 translated, 0 skipped" in result.stderr
    assert polib.pofile(str(po_path))[0].msgstr == "“Maybe I will have a look,” answered ..."
    before = po_path.read_bytes()
    result = CliRunner().invoke(main, args)  # nothing changed since: skipped, file untouched
    assert result.exit_code == 0
    assert "0 translated, 1 skipped" in result.stderr
    assert po_path.read_bytes() == before
    result = CliRunner().invoke(main, [*args, "--force"])  # redone: the reviewed entry is merged
    assert result.exit_code == 0
    assert polib.pofile(str(po_path))[0].msgstr == "“Maybe I will have a look,” answered ..."


def test_model_install_from_file_and_list(seeded_package, tmp_path) -> None:
    models = str(tmp_path / "models")
    result = CliRunner().invoke(
        main, ["model", "install", "--file", str(seeded_package), "--models-dir", models]
    )
    assert result.exit_code == 0, result.output
    assert "installed translate-nl_en-1_0 1.0 (nl→en)" in result.output
    listed = CliRunner().invoke(
        main, ["model", "list", "--json"], env={"TOOLKIT_MODELS_DIR": models}
    )
    [model] = json.loads(listed.output)
    assert model["from_code"] == "nl" and model["version"] == "1.0"


def test_model_install_from_the_index(local_index, tmp_path) -> None:
    models = tmp_path / "models"
    result = CliRunner().invoke(main, ["model", "install", "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert "installed translate-nl_en-1_0 1.0 (nl→en)" in result.stdout
    assert (models / "translate-nl_en-1_0" / "model" / "model.bin").is_file()


def test_model_install_takes_a_path_as_pip_and_apt_do(seeded_package, tmp_path) -> None:
    # issue 22: `toolkit model install ./x.argosmodel` was "Got unexpected extra argument"
    models = tmp_path / "models"
    local = tmp_path / "x.argosmodel"
    local.write_bytes(seeded_package.read_bytes())
    result = CliRunner().invoke(main, ["model", "install", str(local), "--models-dir", str(models)])
    assert result.exit_code == 0, result.output
    assert "installed translate-nl_en-1_0 1.0 (nl→en)" in result.stdout
    assert (models / "translate-nl_en-1_0" / "model" / "model.bin").is_file()


def test_model_install_a_name_installs_from_the_index(local_index, tmp_path) -> None:
    models = tmp_path / "models"
    result = CliRunner().invoke(
        main, ["model", "install", "translate-nl_en", "--models-dir", str(models)]
    )
    assert result.exit_code == 0, result.output
    assert (models / "translate-nl_en-1_0" / "model" / "model.bin").is_file()


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("missing.argosmodel", "missing.argosmodel: no such file"),  # a path that is not there
        ("nonsense", "'nonsense' is neither a file nor a package name"),
    ],
)
def test_model_install_bad_argument_is_one_line(given, message, tmp_path) -> None:
    result = CliRunner().invoke(
        main, ["model", "install", given, "--models-dir", str(tmp_path / "m")]
    )
    assert result.exit_code in (1, 2)
    assert message in result.stderr and "Traceback" not in result.output


def test_model_install_offline_is_one_line(tmp_path) -> None:
    result = CliRunner().invoke(main, ["model", "install", "--models-dir", str(tmp_path / "m")])
    assert result.exit_code == 1
    assert "toolkit model install --file" in result.stderr
    assert "Traceback" not in result.output


def _console(*args: str, **kwargs) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "toolkit"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "toolkit"]
    return subprocess.run([*command, *args], capture_output=True, text=True, **kwargs)


def test_console_script_and_python_m_agree(models_dir, seeds_copy, tmp_path) -> None:
    outputs = []
    for runner in ("script", "module"):
        out = tmp_path / runner
        args = ["translate", str(seeds_copy), "-o", str(out), "--models-dir", models_dir, *FAST]
        if runner == "script":
            run = _console(*args)
        else:
            run = subprocess.run(
                [sys.executable, "-m", "toolkit", *args], capture_output=True, text=True
            )
        assert run.returncode == 0, run.stderr
        outputs.append((out / f"{SEEDS[0].stem}.en.txt").read_text("utf-8"))
    assert outputs[0] == outputs[1]


def test_help_does_not_import_the_engine_library() -> None:
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom toolkit.cli import main\n"
        "assert CliRunner().invoke(main, ['--help']).exit_code == 0\n"
        "print(sorted(m for m in ('argostranslate', 'ctranslate2', 'torch', 'stanza')"
        " if m in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ}
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.mark.parametrize(("strict", "exit_code"), [([], 0), (["--strict"], 1)])
def test_strict_fails_the_run_on_an_unmet_term(seeds_copy, tmp_path, strict, exit_code) -> None:
    # the scripted engine drops "Kaliningrad" however it is asked: one unmet term
    glossary = REPO / "glossary" / "nl-en.tsv"
    args = [
        "translate",
        str(seeds_copy),
        "-o",
        str(tmp_path / "o"),
        "--engine",
        "scripted",
        "--glossary",
        str(glossary),
        *strict,
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == exit_code, result.output
    assert "1 missing" in result.stderr and "paragraphs flagged: 1" in result.stderr


class ControlCharacterEngine:
    """Renders every sentence with a vertical tab, which XML 1.0 cannot carry."""

    name = "control"

    def __init__(self, settings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return "control character engine"

    def translate(self, sources, num_hypotheses=1):
        from toolkit.engines.base import Hypothesis, Translation

        return [
            Translation((Hypothesis("bad\x0b" if "Slecht" in s else s.upper(), None),))
            for s in sources
        ]


def test_unwritable_document_fails_alone_with_report_and_exit_1(tmp_path) -> None:
    # issue 12.6: an XLIFF write raised, no later document was written, no report or summary
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in (("a", "Een."), ("b", "Slecht."), ("c", "Drie.")):
        (folder / f"{name}.txt").write_text(text, "utf-8")
    report = tmp_path / "run.json"
    args = ["translate", str(folder), "-o", str(tmp_path / "out"), "--format", "xliff"]
    args += ["--engine", "test_translate_cli:ControlCharacterEngine", "--report", str(report)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    [error] = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert "b.txt" in error and "character XML cannot carry" in error
    assert "2 translated, 0 skipped, 1 failed of 3 documents" in result.stderr
    statuses = [d["status"] for d in json.loads(report.read_text())["documents"]]
    assert statuses == ["translated", "failed", "translated"]
    assert (tmp_path / "out" / "c.nl-en.xlf").exists()


def test_max_document_bytes_option(seeds_copy, tmp_path) -> None:
    size = min(seed.stat().st_size for seed in SEEDS)  # the smaller seed fits exactly
    args = ["translate", str(seeds_copy), "-o", str(tmp_path / "out"), "--engine", "none"]
    result = CliRunner().invoke(main, [*args, "--max-document-bytes", str(size)])
    assert result.exit_code == 1
    big = max(SEEDS, key=lambda s: s.stat().st_size)
    assert (
        f"{big.name}: is {big.stat().st_size:,} bytes, over the per-document limit of {size:,} "
        "bytes; split it, or raise the limit with --max-document-bytes" in result.stderr
    )
    assert "1 translated, 0 skipped, 1 failed of 2 documents" in result.stderr
