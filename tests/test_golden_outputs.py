"""Every output byte on the two sample articles, compared with committed golden files.

The samples in `seeds/` are translated through the CLI with deterministic engines (the
scripted and adversarial engines, and the bundled reference model on one thread) against
the bundled glossary, into every format, and each output file, plus the run report with
its timings zeroed, must equal `tests/golden/CASE/...` byte for byte. Time stamps are fixed
with SOURCE_DATE_EPOCH, as a reproducible build would.

A change that alters outputs on purpose regenerates them and commits the diff:

    UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py

and the diff of `tests/golden/` is then the reviewable record of what changed.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, SEEDS

from toolkit.cli import main
from toolkit.formats import FORMATS

GOLDEN = REPO / "tests" / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
ALL_FORMATS = ",".join(FORMATS)

CASES: dict[str, list[str]] = {
    "scripted": ["--engine", "scripted"],
    "scripted-hold": ["--engine", "scripted", "--hold-above", "40"],
    "scripted-no-glossary": ["--engine", "scripted", "--no-glossary"],
    "adversarial": ["--engine", "adversarial"],
    "adversarial-budget-0": ["--engine", "adversarial", "--enforcement-budget", "0"],
    "reference": ["--beam-size", "4", "--inter-threads", "1", "--intra-threads", "1"],
}


@pytest.fixture(scope="module")
def reference_models(tmp_path_factory: pytest.TempPathFactory) -> str:
    from toolkit.models import install_bundled

    folder = tmp_path_factory.mktemp("golden-models")
    assert install_bundled(str(folder)) is not None
    return str(folder)


def _outputs(out: Path) -> dict[str, bytes]:
    """Every file the run wrote, by path under OUTDIR, without its private state folder."""
    return {
        path.relative_to(out).as_posix(): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and ".toolkit" not in path.relative_to(out).parts
    }


def _report(path: Path, scratch: Path) -> bytes:
    data = json.loads(path.read_text("utf-8"))
    data["seconds"] = 0
    for document in data["documents"]:
        document["seconds"] = 0
    text = json.dumps(data, indent=2, sort_keys=True) + "\n"
    return text.replace(str(scratch), "<tmp>").encode()


@pytest.mark.parametrize("case", sorted(CASES))
def test_outputs_match_the_golden_files(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    # a folder of its own: no toolkit.toml above it, the glossary named as a user would name it
    work = tmp_path / "work"
    (work / "seeds").mkdir(parents=True)
    (work / "glossary").mkdir()
    for seed in SEEDS:
        shutil.copy(seed, work / "seeds" / seed.name)
    shutil.copy(REPO / "glossary" / "nl-en.tsv", work / "glossary" / "nl-en.tsv")
    monkeypatch.chdir(work)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    args = ["translate", "seeds", "-o", "out", "--format", ALL_FORMATS, "--quiet"]
    args += ["--report", "report.json", "--no-cache"]
    if "--no-glossary" not in CASES[case]:
        args += ["--glossary", "glossary/nl-en.tsv"]
    args += CASES[case]
    if case == "reference":
        args += ["--models-dir", request.getfixturevalue("reference_models")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output

    actual = _outputs(work / "out")
    actual["report.json"] = _report(work / "report.json", tmp_path)
    expected_folder = GOLDEN / case
    if UPDATE:
        shutil.rmtree(expected_folder, ignore_errors=True)
        for name, content in actual.items():
            (expected_folder / name).parent.mkdir(parents=True, exist_ok=True)
            (expected_folder / name).write_bytes(content)
    expected = {
        path.relative_to(expected_folder).as_posix(): path.read_bytes()
        for path in sorted(expected_folder.rglob("*"))
        if path.is_file()
    }
    assert expected, f"no golden files in {expected_folder}; run with UPDATE_GOLDEN=1 once"
    assert sorted(actual) == sorted(expected), "the set of output files changed"
    for name, content in expected.items():
        assert actual[name] == content, (
            f"{case}/{name} differs from the golden file; if the change is intended, "
            "regenerate with UPDATE_GOLDEN=1 pytest tests/test_golden_outputs.py"
        )
