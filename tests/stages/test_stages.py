"""The I/O-free stages: what each records on the document model, and `process` as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.document import Origin, ReviewState
from toolkit.engines.base import EngineSettings, Hypothesis, Translation
from toolkit.engines.scripted import ScriptedEngine
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.run.cache import ScopedCache, TranslationCache
from toolkit.run.local import Run, RunOptions
from toolkit.run.memory import TranslationMemory
from toolkit.segment import segment_text
from toolkit.stages.process import process
from toolkit.stages.settings import StageSettings

GLOSSARY = Glossary(entries=[Entry("Poetin", "Putin", TermKind.NAME, forbidden=("Poetin",))])


class ScoringEngine:
    """Echoes the source with a fixed score per rank, and counts what it decodes."""

    name = "scoring"

    def __init__(self) -> None:
        self.decoded: list[str] = []

    def describe(self) -> str:
        return "scoring engine 1"

    def translate(self, sources, num_hypotheses=1):
        self.decoded.extend(sources)
        return [
            Translation(tuple(Hypothesis(f"EN {s}", -1.5 - k) for k in range(num_hypotheses)))
            for s in sources
        ]


def test_process_records_origin_engine_target_and_score() -> None:
    [document] = process(
        [segment_text("Een zin. Nog een zin.\n\nTwee.", "a")], ScoringEngine(), StageSettings()
    )
    first = document.paragraphs[0]
    assert (first.origin, first.state) == (Origin.ENGINE, ReviewState.MACHINE)
    assert first.target == "EN Een zin. EN Nog een zin."
    assert [(s.engine_target, s.score, s.cached) for s in first.sentences] == [
        ("EN Een zin.", -1.5, False),
        ("EN Nog een zin.", -1.5, False),
    ]


def test_engine_target_keeps_the_engine_output_that_enforcement_replaced() -> None:
    # the scripted engine copies "Poetin"; its second hypothesis has "Putin" (score -1.0)
    [document] = process(
        [segment_text("Toen sprak Poetin.", "a")], ScriptedEngine(), StageSettings(GLOSSARY)
    )
    [sentence] = document.sentences
    assert sentence.engine_target == "Toen sprak Poetin."
    assert sentence.target == "Toen sprak Putin."
    assert sentence.score == -1.0  # the chosen hypothesis's score, not the 1-best's


def test_post_edited_target_has_no_engine_score() -> None:
    # Loekasjenko survives injection; only post-editing fixes it, so no hypothesis scored it
    glossary = Glossary(entries=[Entry("Loekasjenko", "Lukashenko", TermKind.NAME)])
    [document] = process(
        [segment_text("Toen kwam Loekasjenko.", "a")], ScriptedEngine(), StageSettings(glossary)
    )
    [sentence] = document.sentences
    assert sentence.target == "Toen kwam Lukashenko." and sentence.score is None
    assert sentence.engine_target == "Toen kwam Loekasjenko."


def test_memory_and_reviewed_paragraphs_never_reach_the_engine(tmp_path: Path) -> None:
    memory = TranslationMemory(tmp_path / "memory.tmx")
    memory.entries["Uit het geheugen."] = "From memory."
    document = segment_text("Uit het geheugen.\n\nNagekeken.\n\nNieuw.", "a")
    reviewed = document.paragraphs[1]
    reviewed.target, reviewed.state, reviewed.origin = (
        "Checked.",
        ReviewState.REVIEWED,
        Origin.REVIEWED,
    )
    engine = ScoringEngine()
    process([document], engine, StageSettings(), memory=memory)
    assert engine.decoded == ["Nieuw."]
    assert [(p.origin, p.target) for p in document.paragraphs] == [
        (Origin.MEMORY, "From memory."),
        (Origin.REVIEWED, "Checked."),
        (Origin.ENGINE, "EN Nieuw."),
    ]


def test_cache_hits_are_marked_and_keep_engine_target_and_score(tmp_path: Path) -> None:
    store = TranslationCache(tmp_path / "cache.sqlite")
    settings = StageSettings(GLOSSARY)
    cache = ScopedCache(store, settings.signature("scripted (21 scripted terms)", cache=True))
    process([segment_text("Toen sprak Poetin.", "a")], ScriptedEngine(), settings, cache=cache)
    engine = ScoringEngine()  # a cache hit must not decode, whatever the engine
    [document] = process([segment_text("Toen sprak Poetin.", "b")], engine, settings, cache=cache)
    [sentence] = document.sentences
    assert engine.decoded == []
    assert (sentence.cached, sentence.target, sentence.engine_target, sentence.score) == (
        True,
        "Toen sprak Putin.",
        "Toen sprak Poetin.",
        -1.0,
    )
    assert document.paragraphs[0].origin is Origin.ENGINE
    store.close()


class UnloadableEngine:
    """An engine whose model cannot be found: describing it fails, as Argos's does today."""

    name = "unloadable"

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.described = 0

    def describe(self) -> str:
        self.described += 1
        from toolkit.errors import UserError

        raise UserError("no nl→en model installed; toolkit model install --file PKG")

    def translate(self, sources, num_hypotheses=1):
        raise AssertionError("never reached")


def test_run_construction_never_calls_the_engine(tmp_path: Path) -> None:
    engine = UnloadableEngine()
    run = Run(tmp_path / "out", engine, RunOptions(cache_path=tmp_path / "c.sqlite"))
    assert engine.described == 0 and run.report.engine == ""


def test_run_construction_with_an_empty_models_folder(tmp_path: Path) -> None:
    # regression: Run.__init__ called describe(), which loaded the model and raised
    from toolkit.engines.argos import ArgosEngine

    engine = ArgosEngine(EngineSettings(models_dir=str(tmp_path / "no-models")))
    Run(tmp_path / "out", engine, RunOptions())
    from toolkit.errors import UserError

    with pytest.raises(UserError, match="toolkit model install"):
        Run(tmp_path / "out", engine, RunOptions()).signature  # noqa: B018
