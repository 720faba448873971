"""Loops (issue 21): a looping output is decoded again without repeated n-grams; every other
output stays byte-identical, so a model that does not loop is not changed at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.engines.argos import ArgosEngine
from toolkit.engines.base import EngineSettings
from toolkit.engines.loops import loops
from toolkit.models import install_bundled
from toolkit.sentences import split_sentences

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("source", "target", "looping"),
    [
        ("Tijdens de oorlog bleef hij erbuiten.", "Times the current log log log.", True),
        ("Geen aantrekkelijk vooruitzicht", "No quidequenenenens", True),
        ("De oorlog, de oorlog, de oorlog.", "The war, the war, the war.", False),  # as the Dutch
        ("Af en toe.", "From time to time.", False),
        ("Druk op OK. Druk nogmaals op OK.", "Press OK. Press OK again.", False),
        ("Mississippi", "Mississippi", False),
        ("Een commissie.", "A committee.", False),
    ],
)
def test_loops_are_runs_of_three_the_dutch_does_not_have(
    source: str, target: str, looping: bool
) -> None:
    assert loops(source, target) is looping


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("loop-models")
    assert install_bundled(str(folder)) is not None
    return str(folder)


def test_only_looping_outputs_are_decoded_again_and_loops_do_not_grow(models: str) -> None:
    text = "\n\n".join(
        p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))
    )
    sentences = [
        block[start:end] for block in text.split("\n\n") for start, end in split_sentences(block)
    ]
    plain = ArgosEngine(EngineSettings(models_dir=models, loop_ngram=0)).translate(sentences)
    retried = ArgosEngine(EngineSettings(models_dir=models, loop_ngram=3)).translate(sentences)
    before = after = 0
    for source, first, second in zip(sentences, plain, retried, strict=True):
        if loops(source, first.text):
            before += 1
            after += loops(source, second.text)
        else:
            assert second.text == first.text  # untouched where the model did not loop
    assert after < before  # measured on the bundled model: 28 looping sentences, 25 after
    # the bundled model loops on the news samples (it knows software text only)
    assert before > 0
