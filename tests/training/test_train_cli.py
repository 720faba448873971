"""`toolkit model train`/`adapt` end to end on a few hundred pairs and a tiny model.

One tiny train (seconds of training) is converted, checked, packaged, installed and used
through `toolkit translate --model`; then adapted. Every refusal is one line, exit 1, and
leaves the installed models as they were.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

pytest.importorskip("transformers")

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "refmodel" / "data" / "dev.jsonl"  # 775 real pairs shipped in the repository


def write_moses(folder: Path, rows: list[dict[str, str]], stem: str = "corpus") -> Path:
    (folder / f"{stem}.nl").write_text("".join(r["nl"] + "\n" for r in rows), encoding="utf-8")
    (folder / f"{stem}.en").write_text("".join(r["en"] + "\n" for r in rows), encoding="utf-8")
    return folder / f"{stem}.nl"


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def installed(models: Path) -> dict[str, dict]:
    code, output = run("model", "list", "--json", "--models-dir", models)
    assert code == 0, output
    return {m["name"]: m for m in json.loads(output[output.index("[") :])}


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A tiny model trained on 400 pairs and installed as `tiny`; its run under the cache."""
    root = tmp_path_factory.mktemp("train")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("XDG_CACHE_HOME", str(root / "cache"))
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    data = root / "data"
    data.mkdir()
    corpus = write_moses(data, rows[:400])
    adapt = write_moses(data, rows[400:775], "new")
    models = root / "models"
    code, output = run(
        "model",
        "train",
        "--from",
        corpus,
        "--minutes",
        "0.05",
        "--name",
        "tiny",
        "--tiny",
        "--min-pairs",
        "100",
        "--models-dir",
        models,
    )
    assert code == 0, output
    yield {"root": root, "models": models, "corpus": corpus, "adapt": adapt, "output": output}
    monkeypatch.undo()


def test_train_installs_a_package_that_translates_by_name(workspace: dict[str, Path]) -> None:
    assert "greedy PyTorch vs CTranslate2: " in str(workspace["output"])
    models = installed(workspace["models"])
    tiny = models["tiny"]
    assert tiny["origin"] == "trained" and tiny["adaptable"] and tiny["default"]
    assert tiny["training"]["data"][0]["file"].endswith("corpus.nl")
    assert tiny["training"]["data"][0]["pairs"] > 300
    package = Path(tiny["path"])
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "corpus.nl" in readme and "dev chrF" in readme and "Held-out scores" in readme
    assert (package / "training" / "checkpoint" / "model.safetensors").is_file()
    config = json.loads((package / "training" / "checkpoint" / "config.json").read_text())
    assert config["torch_dtype" if "torch_dtype" in config else "dtype"] == "float16"
    source = workspace["root"] / "in.txt"
    source.write_text("Klik op de knop.\n", encoding="utf-8")
    code, output = run(
        "translate",
        source,
        "-o",
        workspace["root"] / "out",
        "--no-glossary",
        "--model",
        "tiny",
        "--models-dir",
        workspace["models"],
    )
    assert code == 0, output
    po = (workspace["root"] / "out" / "in.nl-en.po").read_text(encoding="utf-8")
    assert "tiny 1.0" in po  # the header names the package that translated


def test_unknown_model_name_is_one_line(workspace: dict[str, Path]) -> None:
    source = workspace["root"] / "in.txt"
    source.write_text("Klik.\n", encoding="utf-8")
    code, output = run(
        "translate",
        source,
        "-o",
        workspace["root"] / "o2",
        "--no-glossary",
        "--model",
        "nope",
        "--models-dir",
        workspace["models"],
    )
    assert code == 1
    assert output.strip() == (
        f"Error: no nl→en model named 'nope' is installed in {workspace['models']} "
        "(installed: tiny); see `toolkit model list`"
    )


def test_train_never_replaces_an_installed_model(workspace: dict[str, Path]) -> None:
    before = sorted(p.name for p in Path(installed(workspace["models"])["tiny"]["path"]).rglob("*"))
    code, output = run(
        "model",
        "train",
        "--from",
        workspace["corpus"],
        "--minutes",
        "0.05",
        "--name",
        "tiny",
        "--tiny",
        "--min-pairs",
        "100",
        "--models-dir",
        workspace["models"],
    )
    assert code == 1
    assert "a model named 'tiny' is installed; give another --name" in output
    after = sorted(p.name for p in Path(installed(workspace["models"])["tiny"]["path"]).rglob("*"))
    assert after == before


def test_adapt_installs_beside_the_base(workspace: dict[str, Path]) -> None:
    code, output = run(
        "model",
        "adapt",
        "--from",
        workspace["adapt"],
        "--model",
        "tiny",
        "--minutes",
        "0.05",
        "--min-pairs",
        "100",
        "--models-dir",
        workspace["models"],
    )
    assert code == 0, output
    models = installed(workspace["models"])
    adapted = [m for m in models.values() if m["origin"] == "adapted"]
    assert len(adapted) == 1 and adapted[0]["name"].startswith("tiny-adapted-")
    assert adapted[0]["training"]["base"] == "tiny"
    assert "tiny" in models and models["tiny"]["default"]  # the old one stays, and the default
    sample = Path(adapted[0]["path"]) / "training" / "original.jsonl"
    assert len(sample.read_text(encoding="utf-8").splitlines()) > 300


def test_too_little_data_is_refused_with_the_numbers(workspace: dict[str, Path]) -> None:
    code, output = run(
        "model",
        "train",
        "--from",
        workspace["corpus"],
        "--minutes",
        "1",
        "--name",
        "big",
        "--models-dir",
        workspace["models"],
    )
    assert code == 1
    assert "too little data: " in output and "needs at least 20,000" in output
    code, output = run(
        "model",
        "adapt",
        "--from",
        workspace["adapt"],
        "--model",
        "tiny",
        "--minutes",
        "1",
        "--models-dir",
        workspace["models"],
    )
    assert code == 1
    assert output.strip().endswith("adapting needs at least 500")
    assert "big" not in installed(workspace["models"])


@pytest.mark.parametrize(
    "files, expected",
    [
        # why: a TMX exported for the wrong language pair
        (
            {
                "m.tmx": '<tmx version="1.4"><header/><body><tu><tuv xml:lang="nl"><seg>Hoi'
                '</seg></tuv><tuv xml:lang="de"><seg>Hallo</seg></tuv></tu></body></tmx>'
            },
            "m.tmx: no unit has both a Dutch (nl*) and an English (en*) segment",
        ),
        # why: one line lost in one half of a Moses pair shifts every pair after it
        (
            {"c.nl": "Een.\nTwee.\n", "c.en": "One.\n"},
            "c.nl: 2 lines, but c.en has 1; the two files of a Moses pair must match",
        ),
        # why: an empty side is a missing translation, not a pair
        (
            {"c.nl": "Een zin.\nTwee zinnen.\n", "c.en": "One sentence.\n\n"},
            "c.en:2: empty line where the other file has text",
        ),
    ],
)
def test_bad_input_is_one_line_and_installs_nothing(
    workspace: dict[str, Path], tmp_path: Path, files: dict[str, str], expected: str
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    given = tmp_path / next(iter(files))
    before = installed(workspace["models"])
    for command in (["train", "--name", "bad", "--tiny"], ["adapt", "--model", "tiny"]):
        code, output = run(
            "model",
            *command,
            "--from",
            given,
            "--minutes",
            "0.05",
            "--min-pairs",
            "1",
            "--models-dir",
            workspace["models"],
        )
        assert code == 1
        lines = output.strip().splitlines()
        assert len(lines) == 1 and expected in lines[0], output
    assert installed(workspace["models"]) == before
    runs = workspace["root"] / "cache" / "toolkit" / "training"
    assert not (runs / "bad").exists()


def test_an_argos_index_package_cannot_be_adapted(
    workspace: dict[str, Path], tmp_path: Path
) -> None:
    from seeded_model import build_argos_package  # tests/support, on the path via conftest

    package = tmp_path / "translate-nl_en-1_9.argosmodel"
    build_argos_package(package, ["een twee drie", "one two three"])
    models = tmp_path / "models"
    code, output = run("model", "install", "--file", package, "--models-dir", models)
    assert code == 0, output
    code, output = run(
        "model",
        "adapt",
        "--from",
        workspace["adapt"],
        "--minutes",
        "0.05",
        "--min-pairs",
        "1",
        "--models-dir",
        models,
    )
    assert code == 1
    lines = output.strip().splitlines()
    assert len(lines) == 1
    assert "cannot be adapted: it is an Argos index package without training weights" in lines[0]
