"""The Argos engine on a real, seeded Argos package: describe, load, batch-translate."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit.engines.argos import ArgosEngine
from toolkit.errors import UserError

SENTENCES = [
    "Poetin verwacht dat het op 1 juli zover is.",
    "Kernwapens",
    "De wapens blijven van Rusland, aldus Poetin.",
]


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
    assert "beam 2, max decoding length 12, max input length" in description


def test_describe_does_not_load_the_model(argos_settings, monkeypatch) -> None:
    # describe() used to build a ctranslate2.Translator just to name the package
    import ctranslate2

    def refuse(*args, **kwargs):
        raise AssertionError("describe() constructed a Translator")

    monkeypatch.setattr(ctranslate2, "Translator", refuse)
    engine = ArgosEngine(argos_settings)
    assert "translate-nl_en-1_0 1.0" in engine.describe()
    assert engine._loaded is None


def test_describe_without_a_model_is_the_install_hint(tmp_path: Path) -> None:
    from toolkit.engines.base import EngineSettings

    engine = ArgosEngine(EngineSettings(models_dir=str(tmp_path / "empty")))
    with pytest.raises(UserError, match=r"no nl→en model installed .*--bundled"):
        engine.describe()


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
