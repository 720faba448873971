"""The shipped reference model: installs offline, writes English, and enforcement helps it.

These tests decode with the real trained model in `toolkit/data/` (8–9 MB, int8), so they
measure what the seeded models cannot: that the output is English, that n-best lists
differ, that an English term injected into the Dutch survives, and that the enforcement
cascade raises term accuracy on held-out software text without costing fluency (chrF).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sacrebleu.metrics import CHRF

from toolkit.engines.argos import ArgosEngine
from toolkit.engines.base import EngineSettings
from toolkit.glossary.match import TermMatcher
from toolkit.glossary.tsv import read_glossary
from toolkit.models import bundled_model_path, install_bundled, list_models
from toolkit.segment import segment_text
from toolkit.stages.process import process
from toolkit.stages.settings import StageSettings

REPO = Path(__file__).resolve().parent.parent
GLOSSARY = read_glossary(REPO / "glossary" / "software-nl-en.tsv")
# chrF the full cascade may lose against the raw model on the term sample (issue 8 target 0.5;
# the test allows a little more so that thread scheduling never makes it flaky)
CHRF_MARGIN = 1.0


@pytest.fixture(scope="module")
def reference_engine(tmp_path_factory: pytest.TempPathFactory) -> ArgosEngine:
    folder = tmp_path_factory.mktemp("reference-models")
    outcome = install_bundled(str(folder))
    assert outcome is not None
    return ArgosEngine(EngineSettings(models_dir=str(folder), beam_size=4))


def _term_sample(limit: int = 40) -> list[tuple[str, str]]:
    """Held-out test pairs whose professional English uses every glossary term as required."""
    from toolkit.glossary.check import check_occurrences

    matcher = TermMatcher(GLOSSARY.entries)
    pairs = []
    for line in (REPO / "refmodel" / "data" / "test.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        found = matcher.find(row["nl"])
        short = len(row["nl"]) < 200
        if found and short and all(c.met for c in check_occurrences(row["en"], found)):
            pairs.append((row["nl"], row["en"]))
    return pairs[:limit]


def test_the_bundled_package_is_the_reference_model(tmp_path: Path) -> None:
    assert bundled_model_path().stat().st_size < 25_000_000
    install_bundled(str(tmp_path))
    [model] = list_models(str(tmp_path))
    assert model.reference
    assert "software documentation" in model.description


@pytest.mark.parametrize(
    ("dutch", "english_words"),
    [
        # a UI instruction: the model's home domain
        ("Klik op OK om het dialoogvenster te sluiten.", {"click", "ok", "dialog"}),
        # a help heading
        ("Een tabel invoegen", {"insert", "table"}),
    ],
)
def test_it_writes_english(reference_engine: ArgosEngine, dutch: str, english_words) -> None:
    [translation] = reference_engine.translate([dutch])
    words = set(translation.text.lower().replace(".", " ").split())
    # a help heading may come out as "Inserting a table": the stem is the word
    stems = {w.removesuffix("ing") for w in words} | {w.removesuffix("ing") + "e" for w in words}
    assert english_words <= words | stems, translation.text


def test_n_best_hypotheses_differ(reference_engine: ArgosEngine) -> None:
    [translation] = reference_engine.translate(["Selecteer de cellen die u wilt opmaken."], 4)
    texts = [h.text for h in translation.hypotheses]
    assert len(texts) == 4 and len(set(texts)) == 4
    assert all(h.score is not None for h in translation.hypotheses)


def test_an_injected_english_term_is_kept(reference_engine: ArgosEngine) -> None:
    [translation] = reference_engine.translate(["Klik op de toolbar om de opties te zien."])
    assert "toolbar" in translation.text.lower()


def test_enforcement_raises_term_accuracy_without_costing_fluency(
    reference_engine: ArgosEngine,
) -> None:
    from toolkit.glossary.check import term_accuracy
    from toolkit.glossary.match import Occurrence

    pairs = _term_sample()
    assert len(pairs) >= 30
    by_source = {e.source: e for e in GLOSSARY.entries}

    def scored(glossary):
        documents = [segment_text(nl, f"t{i}") for i, (nl, _) in enumerate(pairs)]
        if glossary is None:  # raw: match terms to score them, enforce nothing
            process(documents, reference_engine, StageSettings())
            from toolkit.stages.process import match_terms

            match_terms(documents, TermMatcher(GLOSSARY.entries))
        else:
            process(documents, reference_engine, StageSettings(glossary))
        hypotheses = [d.paragraphs[0].target if d.paragraphs else "" for d in documents]
        correct, total = term_accuracy(
            (
                s.target,
                [Occurrence(by_source[t.source_term], t.surface, t.start, t.end) for t in s.terms],
            )
            for d in documents
            for s in d.sentences
        )
        chrf = CHRF().corpus_score(hypotheses, [[en for _, en in pairs]]).score
        return correct / total, chrf

    raw_accuracy, raw_chrf = scored(None)
    accuracy, chrf = scored(GLOSSARY)
    assert accuracy >= 0.9, (raw_accuracy, accuracy)
    assert accuracy > raw_accuracy
    assert chrf >= raw_chrf - CHRF_MARGIN, (raw_chrf, chrf)


@pytest.fixture(scope="module")
def reference_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("reference-models")
    install_bundled(str(folder))
    return str(folder)


def test_outside_its_domain_every_output_says_the_english_is_unusable(
    reference_dir: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # issue 22: on the news samples every paragraph was gibberish, yet nothing said so: the
    # summary did not name the model, the files named it only inside a provenance string
    from click.testing import CliRunner
    from conftest import SEEDS
    from lxml import etree

    from toolkit.cli import main
    from toolkit.formats.xliff import NS

    monkeypatch.setenv("TOOLKIT_CONFIG", "")
    out = tmp_path / "out"
    arguments = ["translate", str(SEEDS[0]), "-o", str(out), "--models-dir", reference_dir]
    arguments += ["--format", "po,xliff,html", "--no-cache", "--no-memory", "--quiet"]
    arguments += ["--beam-size", "1", "--max-decoding-length", "48"]
    result = CliRunner().invoke(main, arguments)
    assert result.exit_code == 0, result.output
    summary = result.stderr.splitlines()[-1]
    assert "model: translate-nl_en-reference 2.0 (the bundled reference model" in summary
    assert "software documentation" in summary
    warning = next(line for line in result.stderr.splitlines() if line.startswith("Warning:"))
    assert "unusable" in warning and "outside its domain" in warning
    assert "toolkit model install translate-nl_en" in warning
    stem = SEEDS[0].stem
    po = (out / f"{stem}.nl-en.po").read_text("utf-8")
    assert po.startswith("# WARNING: the English is unusable")
    header = etree.parse(str(out / f"{stem}.nl-en.xlf")).getroot()
    notes = [n.text for n in header.iterfind(f".//{{{NS}}}header/{{{NS}}}note")]
    assert any(n.startswith("WARNING: the English is unusable") for n in notes)
    html = (out / f"{stem}.nl-en.html").read_text("utf-8")
    assert '<p class="caveat" role="alert">WARNING: the English is unusable' in html
    assert "toolkit model install translate-nl_en" in html


# issue 21: garbage the bundled model wrote on the samples, with the confidence it gives it
OBSERVED_GARBAGE = [
    # the samples' heading: scored 49-58 under the hand weights, not flagged
    ("Geen aantrekkelijk vooruitzicht", "No quideququenenens"),
    # two sentences in, one made-up word out: scored 30 under the hand weights
    ("Poetin bezocht Loekasjenko in Minsk. Het was een kort bezoek.", "Pochchasases Min."),
]


@pytest.mark.parametrize(("dutch", "english"), OBSERVED_GARBAGE)
def test_observed_garbage_is_high_risk(reference_engine: ArgosEngine, dutch, english) -> None:
    from toolkit.qa import risk_score, run_checks

    paragraph = segment_text(dutch, "a").paragraphs[0]
    paragraph.target = english
    log_prob = reference_engine.score([dutch], [english])
    assert risk_score(paragraph, run_checks(paragraph), log_prob) >= 70


def test_whole_runs_flag_the_garbage_the_bundled_model_writes(reference_engine) -> None:
    # whatever the bundled model writes for these today: where its English holds made-up
    # stuttering words or a letter loop, the run's own risk must say so with conviction
    from toolkit.qa import run_checks
    from toolkit.qa.risk import risk_features

    documents = [segment_text(dutch, f"d{i}") for i, (dutch, _) in enumerate(OBSERVED_GARBAGE)]
    process(documents, reference_engine, StageSettings())
    garbled = 0
    for paragraph in (d.paragraphs[0] for d in documents):
        features = risk_features(paragraph, run_checks(paragraph))
        if features["stutter"] or features["letter_loop"]:
            garbled += 1
            assert paragraph.risk is not None and paragraph.risk >= 70, paragraph.target
    if not garbled:
        pytest.skip("the bundled model writes no stuttering or looping English for these now")
