"""The Argos adapter on a real, seeded Argos package: install, list, load, batch-translate."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from toolkit.engines import argos
from toolkit.engines.argos import ArgosEngine
from toolkit.errors import UserError

SENTENCES = [
    "Poetin verwacht dat het op 1 juli zover is.",
    "Kernwapens",
    "De wapens blijven van Rusland, aldus Poetin.",
]


def test_installed_package_is_listed(models_dir: str) -> None:
    [model] = argos.list_models(models_dir)
    assert (model.from_code, model.to_code, model.version) == ("nl", "en", "1.0")
    assert model.path == Path(models_dir) / "translate-nl_en-1_0"
    assert (model.path / "model" / "model.bin").is_file()
    assert model.size_bytes > 10_000


def test_translation_is_deterministic_and_batch_independent(argos_settings) -> None:
    engine = ArgosEngine(argos_settings)
    batched = [t.text for t in engine.translate(SENTENCES)]
    one_by_one = [engine.translate([s])[0].text for s in SENTENCES]
    assert batched == one_by_one
    assert batched == [t.text for t in ArgosEngine(argos_settings).translate(SENTENCES)]
    assert all(text and text not in SENTENCES for text in batched)


def test_n_best_hypotheses_with_scores(argos_settings) -> None:
    [translation] = ArgosEngine(argos_settings).translate(SENTENCES[:1], num_hypotheses=2)
    assert len(translation.hypotheses) == 2
    first, second = translation.hypotheses
    assert first.score is not None and second.score is not None
    assert first.score >= second.score


def test_engine_pickles_without_its_model(argos_settings) -> None:
    engine = ArgosEngine(argos_settings)
    expected = engine.translate(SENTENCES[:1])[0].text
    clone = pickle.loads(pickle.dumps(engine))
    assert clone._loaded is None
    assert clone.translate(SENTENCES[:1])[0].text == expected


def test_describe_names_package_and_versions(argos_settings) -> None:
    description = ArgosEngine(argos_settings).describe()
    assert "translate-nl_en-1_0 1.0" in description
    assert "argostranslate 1.11" in description


def test_no_model_installed_says_how_to_install(tmp_path: Path) -> None:
    from toolkit.engines.base import EngineSettings

    engine = ArgosEngine(EngineSettings(models_dir=str(tmp_path / "empty")))
    with pytest.raises(UserError, match=r"toolkit model install --file"):
        engine.translate(["Hallo."])


def test_translation_does_not_import_torch_or_stanza(models_dir: str) -> None:
    # argostranslate.translate pulls in spaCy, stanza and torch; the adapter must not.
    code = (
        "import sys\n"
        "from toolkit.engines.argos import ArgosEngine\n"
        "from toolkit.engines.base import EngineSettings\n"
        f"e = ArgosEngine(EngineSettings(models_dir={models_dir!r}, max_decoding_length=5))\n"
        "assert e.translate(['Goedemorgen.'])[0].text\n"
        "heavy = sorted(m for m in ('torch', 'stanza', 'spacy', 'argostranslate.translate')"
        " if m in sys.modules)\n"
        "print(heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def _rewrite(package: Path, target: Path, edit) -> Path:
    """Copy a package zip, passing each member through `edit(name, data)`."""
    with zipfile.ZipFile(package) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = edit(info.filename, src.read(info))
            if data is not None:
                dst.writestr(info, data)
    return target


def _relabel_german(name: str, data: bytes) -> bytes:
    if name.endswith("metadata.json"):
        metadata = json.loads(data)
        metadata["from_code"] = "de"
        return json.dumps(metadata).encode()
    return data


def _truncate(package: Path, target: Path) -> Path:
    target.write_bytes(package.read_bytes()[: package.stat().st_size // 2])
    return target


@pytest.mark.parametrize(
    ("make_bad", "message"),
    [
        # a file that is not a zip at all
        (lambda pkg, out: (out.write_text("hello"), out)[1], "not a zip archive"),
        # a download cut off half way
        (_truncate, "not a zip archive"),
        # a package for another language pair
        (lambda pkg, out: _rewrite(pkg, out, _relabel_german), "wrong language pair"),
        # a zip without the CTranslate2 model
        (
            lambda pkg, out: _rewrite(pkg, out, lambda n, d: None if "model.bin" in n else d),
            "no model/model.bin",
        ),
        # a zip without metadata.json
        (
            lambda pkg, out: _rewrite(pkg, out, lambda n, d: None if "metadata" in n else d),
            "no metadata.json",
        ),
    ],
)
def test_bad_package_files_are_refused(seeded_package, tmp_path, make_bad, message) -> None:
    bad = make_bad(seeded_package, tmp_path / "bad.argosmodel")
    models = tmp_path / "models"
    with pytest.raises(UserError, match=message) as caught:
        argos.install_from_file(bad, str(models))
    assert str(caught.value).startswith(str(bad))
    assert not list(models.glob("*/metadata.json"))


def test_install_from_index_offline_says_use_a_file(tmp_path: Path) -> None:
    # conftest points the index at a closed local port
    with pytest.raises(UserError, match=r"offline\?.*toolkit model install --file"):
        argos.install_from_index(str(tmp_path / "models"))


def test_install_from_index_downloads_with_progress(local_index, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    info = argos.install_from_index(
        str(tmp_path / "models"), progress=lambda d, t: seen.append((d, t))
    )
    assert info.name == "translate-nl_en-1_0"
    assert (tmp_path / "models" / "translate-nl_en-1_0" / "model" / "model.bin").is_file()
    assert seen and seen[-1][0] == seen[-1][1]  # the bar reached the full size


def test_suppressing_a_phrase_removes_it_from_the_output(argos_settings) -> None:
    engine = ArgosEngine(argos_settings)
    translator, tokenizer, _, _ = engine._load()
    source = tokenizer.encode(SENTENCES[0])
    s = argos_settings
    [result] = translator.translate_batch(
        [source], beam_size=s.beam_size, max_decoding_length=s.max_decoding_length
    )
    tokens = result.hypotheses[0]
    # a phrase whose canonical pieces occur in the output: what enforcement would ban
    phrases = [
        tokenizer.decode(tokens[i : i + 1]).strip()
        for i in range(len(tokens))
        if _contains(tokens, tokenizer.encode(tokenizer.decode(tokens[i : i + 1]).strip()))
    ]
    assert phrases, "the seeded model's output has no canonically tokenised piece"
    [plain] = engine.translate(SENTENCES[:1])
    [suppressed] = engine.translate_suppressing(SENTENCES[:1], [phrases[0]])
    assert suppressed.text != plain.text


def _contains(tokens: list[str], part: list[str]) -> bool:
    return any(tokens[i : i + len(part)] == part for i in range(len(tokens) - len(part) + 1))


def test_a_sentence_longer_than_the_model_takes_is_split_not_truncated(argos_settings) -> None:
    from dataclasses import replace

    long_sentence = " ".join(["De Russische president bezocht Minsk opnieuw"] * 12) + "."
    short = ArgosEngine(replace(argos_settings, max_input_length=16))
    full = ArgosEngine(argos_settings)
    [split] = short.translate([long_sentence])
    [whole] = full.translate([long_sentence])
    tokens = full._load()[1].encode(long_sentence)
    assert len(tokens) > 16 * 4
    # each piece decodes up to the cap: the split output is several pieces long
    assert len(split.text.split()) > len(whole.text.split())
