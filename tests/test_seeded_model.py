"""The seeded test model: a real Argos package, deterministic, whose output is gibberish."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from seeded_model import ModelShape, build_argos_package

REPO = Path(__file__).resolve().parent.parent
TEXT = "\n".join(
    path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds").glob("*.txt"))
)
TOP = "translate-nl_en-1_0"
SENTENCES = ["Poetin verwacht dat het op 1 juli zover is.", "Kernwapens"]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_argos_package(tmp_path_factory.mktemp("seeded") / "nl_en.argosmodel", TEXT)


def _unpack(package: Path, folder: Path) -> Path:
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    return folder / TOP


def _translate(package_dir: Path, sentences: list[str]) -> list[list[str]]:
    import ctranslate2
    import sentencepiece

    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package_dir / "sentencepiece.model")
    )
    translator = ctranslate2.Translator(str(package_dir / "model"), device="cpu")
    results = translator.translate_batch(
        [tokenizer.encode(s, out_type=str) for s in sentences],
        beam_size=2,
        max_decoding_length=20,
    )
    return [result.hypotheses[0] for result in results]


def _vocabulary(package_dir: Path) -> list[str]:
    return json.loads((package_dir / "model" / "shared_vocabulary.json").read_text("utf-8"))


def test_package_has_the_argos_layout(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
    assert names == [
        f"{TOP}/",
        f"{TOP}/README.md",
        f"{TOP}/metadata.json",
        f"{TOP}/model/",
        f"{TOP}/model/config.json",
        f"{TOP}/model/model.bin",
        f"{TOP}/model/shared_vocabulary.json",
        f"{TOP}/sentencepiece.model",
    ]
    assert not list(package.parent.glob(".*"))  # no partial file left behind


def test_metadata_names_the_pair_and_says_the_model_is_untrained(package: Path) -> None:
    with zipfile.ZipFile(package) as archive:
        metadata = json.loads(archive.read(f"{TOP}/metadata.json"))
        readme = archive.read(f"{TOP}/README.md").decode("utf-8")
    assert {k: v for k, v in metadata.items() if k != "description"} == {
        "package_version": "1.0",
        "argos_version": "1.9",
        "from_code": "nl",
        "from_name": "Dutch",
        "to_code": "en",
        "to_name": "English",
        "type": "translate",
    }
    assert "untrained" in metadata["description"] and "gibberish" in metadata["description"]
    assert "gibberish" in readme and "seed 1234" in readme


def test_translation_is_deterministic_and_drawn_from_the_vocabulary(
    package: Path, tmp_path: Path
) -> None:
    package_dir = _unpack(package, tmp_path)
    first = _translate(package_dir, SENTENCES)
    assert first == _translate(package_dir, SENTENCES)
    vocabulary = set(_vocabulary(package_dir))
    for tokens in first:
        assert tokens and set(tokens) <= vocabulary
        # suppressed in the output projection: never part of a translation
        assert not {"<unk>", "<s>"} & set(tokens)


def test_same_seed_gives_the_same_bytes(package: Path, tmp_path: Path) -> None:
    again = build_argos_package(tmp_path / "again.argosmodel", TEXT)
    assert again.read_bytes() == package.read_bytes()


def test_another_seed_keeps_the_vocabulary_and_changes_the_output(
    package: Path, tmp_path: Path
) -> None:
    other = build_argos_package(tmp_path / "other.argosmodel", TEXT, seed=99)
    package_dir = _unpack(package, tmp_path / "a")
    other_dir = _unpack(other, tmp_path / "b")
    assert _vocabulary(other_dir) == _vocabulary(package_dir)
    assert _translate(other_dir, SENTENCES) != _translate(package_dir, SENTENCES)


def test_small_text_is_padded_to_the_requested_vocabulary(tmp_path: Path) -> None:
    shape = ModelShape(vocab_size=1500)
    package = build_argos_package(tmp_path / "p.argosmodel", "Hallo wereld.", shape=shape)
    vocabulary = _vocabulary(_unpack(package, tmp_path))
    assert len(vocabulary) == 1500
    assert vocabulary[:3] == ["<unk>", "<s>", "</s>"]


def test_target_prefix_is_in_metadata_and_vocabulary(tmp_path: Path) -> None:
    package = build_argos_package(tmp_path / "p.argosmodel", TEXT, target_prefix="__en__")
    package_dir = _unpack(package, tmp_path)
    assert json.loads((package_dir / "metadata.json").read_text("utf-8"))["target_prefix"] == (
        "__en__"
    )
    assert "__en__" in _vocabulary(package_dir)


def test_work_dir_keeps_the_unpacked_package(tmp_path: Path) -> None:
    build_argos_package(tmp_path / "p.argosmodel", TEXT, work_dir=tmp_path / "work")
    assert (tmp_path / "work" / TOP / "model" / "model.bin").is_file()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"d_model": 64, "heads": 3},  # heads must split d_model evenly
        {"encoder_layers": 0},  # a Transformer needs layers
    ],
)
def test_impossible_shapes_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValueError):
        ModelShape(**kwargs)


def test_shapes() -> None:
    assert ModelShape() == ModelShape.TINY
    assert ModelShape(6, 6, 512, 8, 2048, 32000) == ModelShape.ARGOS_SIZE


def test_argostranslate_installs_and_loads_it(package: Path, tmp_path: Path) -> None:
    # argostranslate creates folders on import: run it in a child with every home in tmp_path.
    env = dict(os.environ, HOME=str(tmp_path / "home"), ARGOS_PACKAGES_DIR=str(tmp_path / "pkgs"))
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[variable] = str(tmp_path / variable.lower())
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from argostranslate import package, settings\n"
        "package.install_from_path(Path(sys.argv[1]))\n"
        f"loaded = package.Package(Path(settings.package_data_dir) / {TOP!r})\n"
        "print(type(loaded.tokenizer).__name__, loaded.from_code, loaded.to_code)\n"
        "print(loaded.tokenizer.encode('Kernwapens'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(package)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    kind, tokens = result.stdout.splitlines()
    assert kind == "SentencePieceTokenizer nl en"
    import sentencepiece

    installed = tmp_path / "pkgs" / TOP
    expected = sentencepiece.SentencePieceProcessor(
        model_file=str(installed / "sentencepiece.model")
    ).encode("Kernwapens", out_type=str)
    assert tokens == str(expected)
    assert (installed / "model" / "model.bin").is_file()
