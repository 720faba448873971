"""The QA stage: every paragraph the engine or memory filled is checked and ranked; holding
the riskiest back; what the run report says about quality; end to end on the samples."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner
from conftest import SEEDS

from toolkit.cli import main
from toolkit.document import Origin, Paragraph, ReviewState
from toolkit.engines.base import EngineSettings, Hypothesis, Translation
from toolkit.qa import risk_score
from toolkit.qa.risk import HIGH_RISK
from toolkit.run.memory import TranslationMemory
from toolkit.run.report import DocumentResult, RunReport, risk_distribution
from toolkit.segment import segment_text
from toolkit.stages.process import check_quality, hold_risky, process
from toolkit.stages.settings import StageSettings


class TableEngine:
    """Translates by a table (else echoes the Dutch), every hypothesis scored `score`."""

    name = "table"

    def __init__(self, table: dict[str, str], score: float | None = 0.0) -> None:
        self.table, self.score_given = table, score
        self.settings = EngineSettings(max_decoding_length=256)

    def describe(self) -> str:
        return "table engine"

    def translate(self, sources, num_hypotheses=1):
        return [
            Translation((Hypothesis(self.table.get(s, s), self.score_given),) * num_hypotheses)
            for s in sources
        ]


class RescoringEngine(TableEngine):
    """Can score a given target: its answer wins over the hypothesis score."""

    def __init__(self, table: dict[str, str], mean: float) -> None:
        super().__init__(table, score=0.0)
        self.mean = mean
        self.scored: list[tuple[str, str]] = []

    def score(self, sources, targets):
        self.scored += list(zip(sources, targets, strict=True))
        return [self.mean] * len(sources)


DUTCH = "Er waren 1.000 soldaten.\n\nDe zon scheen fel.\n\nHet regende."
ENGLISH = {
    "Er waren 1.000 soldaten.": "There were 1.000 soldiers.",  # the thousands point copied
    "De zon scheen fel.": "The sun shone brightly.",
    # "Het regende." is echoed: Dutch left untranslated
}


def test_every_engine_paragraph_gets_its_flags_and_a_risk() -> None:
    [document] = process([segment_text(DUTCH, "a")], TableEngine(ENGLISH), StageSettings())
    numbers, good, copied = document.paragraphs
    assert numbers.flags == ["numbers: 1.000 in the Dutch has no 1,000 or 1000 in the English"]
    assert good.flags == []
    assert copied.flags == [
        "untranslated: the English is the Dutch left untranslated ('het', 'regende')"
    ]
    # the learned score (qa/risk.py): Dutch left in the English is high risk, a numbers
    # flag raises the risk of English the engine was sure of, clean English is low
    assert good.risk is not None and good.risk <= 20
    assert good.risk <= numbers.risk < HIGH_RISK <= copied.risk


def test_reviewed_work_is_not_checked_and_memory_has_no_engine_confidence(tmp_path) -> None:
    memory = TranslationMemory(tmp_path / "memory.tmx")
    memory.entries["De zon scheen fel."] = "The sun shone."
    document = segment_text(DUTCH, "a")
    reviewed = document.paragraphs[0]
    reviewed.target, reviewed.state, reviewed.origin = (
        "There were 1.000 soldiers.",  # a translator's choice stands, flags or not
        ReviewState.REVIEWED,
        Origin.REVIEWED,
    )
    # a hopeless engine score: it must not count against the memory's (human) English
    process([document], TableEngine(ENGLISH, score=-50.0), StageSettings(), memory=memory)
    first, remembered, _ = document.paragraphs
    assert (first.flags, first.risk) == ([], None)
    assert remembered.origin is Origin.MEMORY
    # scored as English without the engine's confidence, not with the hopeless score
    assert remembered.risk == risk_score(remembered, []) < HIGH_RISK


def _risk_at(score: float | None) -> int | None:
    engine = TableEngine({"De zon scheen fel.": "The sun shone brightly."}, score=score)
    [document] = process([segment_text("De zon scheen fel.", "a")], engine, StageSettings())
    return document.paragraphs[0].risk


def test_risk_uses_the_mean_log_probability_per_token() -> None:
    # confident (-0.12 per token), somewhat unsure (-0.72: what Argos reports for
    # CTranslate2's -3.0 at length penalty 0.2 over 6 tokens), hopeless (-3.0)
    risks = [_risk_at(score) for score in (-0.12, -3.0 * 6**-0.8, -3.0)]
    assert risks == sorted(risks) and risks[0] < risks[-1]
    assert risks[0] <= 20 and risks[-1] >= 70  # with conviction at both ends
    # no score and no way to rescore: the model for English without confidence
    paragraph = segment_text("De zon scheen fel.", "a").paragraphs[0]
    paragraph.target = "The sun shone brightly."
    assert _risk_at(None) == risk_score(paragraph, [])


def test_only_english_the_engine_did_not_score_is_rescored() -> None:
    # issue 14: rescoring every sentence cost a fifth of the decoding time; the engine's own
    # unchanged output already carries its score
    engine = RescoringEngine({"De zon scheen fel.": "The sun shone brightly."}, mean=-2.0)
    [document] = process([segment_text("De zon scheen fel.", "a")], engine, StageSettings())
    assert engine.scored == []
    assert document.paragraphs[0].risk == _risk_at(0.0)  # the engine's own 0.0 per token


def test_english_without_a_score_is_rescored_once() -> None:
    engine = RescoringEngine({"De zon scheen fel.": "The sun shone brightly."}, mean=-2.0)
    engine.score_given = None
    [document] = process(
        [segment_text("De zon scheen fel.\n\nDe zon scheen fel.", "a")], engine, StageSettings()
    )
    assert engine.scored == [("De zon scheen fel.", "The sun shone brightly.")]  # once
    first, second = [p.risk for p in document.paragraphs]
    assert first == second == _risk_at(-2.0) >= HIGH_RISK  # -2.0 per token is hopeless


def _checked(risk: int | None, state: ReviewState = ReviewState.MACHINE) -> Paragraph:
    [document] = process(
        [segment_text("De zon scheen fel.", "a")], TableEngine(ENGLISH), StageSettings()
    )
    paragraph = document.paragraphs[0]
    paragraph.risk, paragraph.state = risk, state
    return paragraph


# (risk, held at --hold-above 60)
HOLD_CASES = [
    (61, True),  # above the threshold
    (60, False),  # at it: "above" is strict, as the option's name says
    (None, False),  # never checked (reviewed work): never held
]


@pytest.mark.parametrize(("risk", "held"), HOLD_CASES)
def test_hold_leaves_risky_paragraphs_empty_with_the_suggestion_in_a_note(risk, held) -> None:
    paragraph = _checked(risk)
    document = segment_text("x", "a")
    document.paragraphs = [paragraph]
    hold_risky([document], 60)
    assert paragraph.held is held  # the field, not a note's wording, says it was held
    if held:
        assert (paragraph.target, paragraph.state, paragraph.origin) == (
            "",
            ReviewState.UNTRANSLATED,
            Origin.NONE,
        )
        assert paragraph.notes[-2:] == [
            "held: risk 61 above threshold 60 — translate by hand",
            "suggestion (engine): The sun shone brightly.",
        ]
        assert [s.target for s in paragraph.sentences] == [""]
    else:
        assert paragraph.target == "The sun shone brightly."


def test_quality_stage_counts_nothing_for_paragraphs_without_english() -> None:
    # --engine none: nothing filled, nothing to rank (else every paragraph would be "dropped")
    document = segment_text(DUTCH, "a")
    check_quality([document])
    assert [p.risk for p in document.paragraphs] == [None, None, None]


# (risks, expected distribution)
DISTRIBUTIONS = [
    # nothing checked: counts of zero, no statistics
    ([], {"paragraphs": 0, "min": None, "median": None, "p90": None, "max": None,
          "bands": {"0-19": 0, "20-39": 0, "40-59": 0, "60-79": 0, "80-100": 0}}),
    # band edges: 19/20, 39/40, 79/80 and 100 in the last band
    ([0, 19, 20, 39, 40, 79, 80, 100], {"paragraphs": 8, "min": 0, "median": 39.5, "p90": 100,
      "max": 100, "bands": {"0-19": 2, "20-39": 2, "40-59": 1, "60-79": 1, "80-100": 2}}),
    # p90 is the nearest rank: of ten values, the ninth
    (list(range(10, 110, 10))[:10], {"paragraphs": 10, "min": 10, "median": 55.0, "p90": 90,
      "max": 100, "bands": {"0-19": 1, "20-39": 2, "40-59": 2, "60-79": 2, "80-100": 3}}),
]  # fmt: skip


@pytest.mark.parametrize(("risks", "expected"), DISTRIBUTIONS)
def test_risk_distribution(risks, expected) -> None:
    assert risk_distribution(risks) == expected


def test_report_counts_flags_by_check_and_high_risk_paragraphs() -> None:
    [document] = process([segment_text(DUTCH, "a")], TableEngine(ENGLISH), StageSettings())
    result = DocumentResult(source="a.txt", paragraphs=3)
    result.record_quality(document.paragraphs)
    report = RunReport(documents=[result, DocumentResult(source="b.txt", status="skipped")])
    fields = result.as_dict()
    assert fields["qa"] == {"numbers": 1, "untranslated": 1}
    risks = [p.risk for p in document.paragraphs]
    assert fields["risk"] == risk_distribution(risks)
    assert "risks" not in fields
    totals = report.as_dict()["totals"]
    assert (totals["qa"], totals["high_risk_paragraphs"]) == ({"numbers": 1, "untranslated": 1}, 1)
    assert totals["risk"]["max"] == max(risks)
    assert "high risk (>= 40): 1 of 3 paragraphs checked" in report.summary()


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    for seed in SEEDS:
        shutil.copy(seed, folder / seed.name)
    return folder


def _translate(seeds: Path, out: Path, *extra: str) -> dict:
    report = out.parent / f"{out.name}.json"
    result = CliRunner().invoke(
        main,
        ["translate", str(seeds), "-o", str(out), "--engine", "scripted", "--quiet",
         "--glossary", "glossary/nl-en.tsv", "--report", str(report), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(report.read_text("utf-8"))


def test_translate_samples_reports_flags_and_risk(seeds_copy, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # the glossary path is relative
    report = _translate(seeds_copy, tmp_path / "out")
    totals = report["totals"]
    # the scripted engine copies every word outside its script: the Dutch stays Dutch
    assert totals["qa"]["untranslated"] >= 24
    # " ." after the engine dropped Kaliningrad; the heading "Kernwapens" now comes out
    # "Nuclear weapons" (enforcement capitalises a sentence-initial term), so no second flag
    assert totals["qa"]["punctuation"] == 1
    assert "numbers" not in totals["qa"]  # SU-25 -> Su-25 is the glossary's spelling
    assert totals["risk"]["paragraphs"] == 24
    assert sum(totals["risk"]["bands"].values()) == 24
    assert totals["high_risk_paragraphs"] >= 20
    for document in report["documents"]:
        assert document["risk"]["paragraphs"] == document["paragraphs"] == 12


def test_hold_above_leaves_risky_paragraphs_untranslated(seeds_copy, tmp_path, monkeypatch):
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    report = _translate(seeds_copy, tmp_path / "out", "--hold-above", "60")
    held = report["totals"]["held_paragraphs"]
    assert 0 < held < 24
    po = polib.pofile(str(tmp_path / "out" / f"{SEEDS[0].stem}.nl-en.po"))
    for entry in po:
        notes = entry.comment.splitlines()
        hold = [n for n in notes if n.startswith("held: risk ")]
        if hold:
            assert entry.msgstr == "" and not entry.fuzzy
            assert int(hold[0].split()[2]) > 60
            assert any(n.startswith("suggestion (engine): ") for n in notes)
        else:
            assert entry.msgstr
    # another threshold writes other files: the first run's are not "up to date" for it
    again = _translate(seeds_copy, tmp_path / "out", "--hold-above", "90")
    assert again["totals"]["skipped"] == 0
    assert again["totals"]["held_paragraphs"] < held
