"""The align and annotate steps (issue 21): enforcement that reaches a term through what the
model says (its attention; its training on inline annotations), on a model it was not tuned
for. Fake engines make each behaviour exact; the reference model shows it on real output."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from toolkit.document import Sentence, TermMatch, TermOutcome
from toolkit.engines.base import Hypothesis, Translation
from toolkit.glossary.match import TermMatcher
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.stages import enforce
from toolkit.stages.enforce import Enforcer

BRUSH = Entry(source="penseel", target="brush", kind=TermKind.TERM, target_variants=("brushes",))
CLONE = Entry(source="kloongereedschap", target="Clone tool", kind=TermKind.TERM)
ICON = Entry(source="pictogram", target="icon", kind=TermKind.TERM, target_variants=("icons",))
GLOSSARY = Glossary(entries=[BRUSH, CLONE, ICON])


def _sentence(source: str, target: str) -> Sentence:
    occurrences = TermMatcher(GLOSSARY.entries).find(source)
    terms = [
        TermMatch(
            source_term=o.entry.source,
            target_term=o.entry.target,
            surface=o.surface,
            start=o.start,
            end=o.end,
        )
        for o in occurrences
    ]
    return Sentence(source, 0, len(source), target=target, terms=terms, engine_target=target)


class AligningFake:
    """Writes a fixed wrong rendering; aligns the Dutch term to it; scores by a table."""

    name = "aligning-fake"

    def __init__(self, outputs: dict[str, str], wrong: dict[str, str], scores: dict[str, float]):
        self.outputs, self.wrong, self.scores = outputs, wrong, scores
        self.scored: list[str] = []

    def describe(self) -> str:
        return self.name

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        return [Translation((Hypothesis(self.outputs[s], -1.0),)) for s in sources]

    def align(self, sources, spans, targets):
        found = []
        for source, (start, end), target in zip(sources, spans, targets, strict=True):
            wrong = self.wrong.get(source[start:end].lower())
            at = target.find(wrong) if wrong else -1
            found.append(None if at < 0 else (at, at + len(wrong)))
        return found

    def locate(self, sources, spans, targets):
        return [None] * len(sources)

    def complete(self, sources, prefixes):
        return [Translation(()) for _ in sources]

    def score(self, sources, targets):
        self.scored += list(targets)
        return [self.scores.get(t, -5.0) for t in targets]


def test_the_aligned_wrong_rendering_is_replaced_and_the_best_scored_variant_kept() -> None:
    source = "Selecteer het penseel in de gereedschapskist."
    engine = AligningFake(
        {source: "Select the pen holder in the toolbox."},
        {"penseel": "pen holder"},
        {
            "Select the brush holder in the toolbox.": -2.0,
            "Select the brush in the toolbox.": -0.5,
        },
    )
    sentence = _sentence(source, "Select the pen holder in the toolbox.")
    Enforcer(GLOSSARY, engine, steps=("align",)).enforce([sentence])
    assert sentence.target == "Select the brush in the toolbox."
    assert sentence.terms[0].outcome is TermOutcome.REPAIRED
    assert sentence.terms[0].step == "align"
    # each run of the aligned words went to the model; its best-scored one won
    assert "Select the brush holder in the toolbox." in engine.scored
    assert "Select the pen brush in the toolbox." in engine.scored


def test_a_compound_head_replaces_the_last_word_of_the_compound_rendering() -> None:
    entry = Entry(source="gereedschap", target="tool", kind=TermKind.TERM)
    occurrence = TermMatcher([entry]).find("Kies het kloon-gereedschap.")[0]
    (span, part) = enforce._word_span("Kies het kloon-gereedschap.", occurrence)
    assert part == "head" and span == (9, 26)
    sentence = _sentence("Kies het kloon-gereedschap.", "Choose the clone equipment.")
    case = enforce._Case(sentence, [occurrence], [entry])
    assert enforce._replaced(case, 0, sentence.target, (11, 26), part) == "Choose the clone tool."


def test_an_article_before_the_replacement_follows_its_sound() -> None:
    source = "Sleep een pictogram naar het bureaublad."
    sentence = _sentence(source, "Drag a picture to the desktop.")
    case = enforce._Case(sentence, TermMatcher(GLOSSARY.entries).find(source), GLOSSARY.entries)
    assert enforce._replaced(case, 0, sentence.target, (7, 14), "whole") == (
        "Drag an icon to the desktop."
    )


def test_an_engine_without_alignment_skips_the_step() -> None:
    class Plain:
        name = "plain"

        def describe(self) -> str:
            return "plain"

        def translate(self, sources, num_hypotheses=1):
            return [Translation((Hypothesis("Select the pen.", -1.0),)) for _ in sources]

    sentence = _sentence("Selecteer het penseel.", "Select the pen.")
    Enforcer(GLOSSARY, Plain(), steps=("align",)).enforce([sentence])
    assert sentence.target == "Select the pen."
    assert sentence.terms[0].outcome is TermOutcome.MISSING


class AnnotatingFake:
    """A model trained on annotations: follows `⟦ … ⟧` when it sees them."""

    name = "annotating-fake"
    term_markers = ("⟦", "⟧")

    def __init__(self) -> None:
        self.seen: list[str] = []

    def describe(self) -> str:
        return self.name

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        self.seen += list(sources)
        out = []
        for source in sources:
            text = "Use the brush here." if "⟦ brush ⟧" in source else "Use the pen here."
            out.append(Translation((Hypothesis(text, -1.0),)))
        return out


def test_a_model_trained_on_annotations_gets_the_term_annotated_inline() -> None:
    engine = AnnotatingFake()
    sentence = _sentence("Gebruik hier het penseel.", "Use the pen here.")
    Enforcer(GLOSSARY, engine, steps=("annotate",)).enforce([sentence])
    assert engine.seen == ["Gebruik hier het penseel ⟦ brush ⟧."]
    assert sentence.target == "Use the brush here."
    assert sentence.terms[0].step == "annotate"


def test_a_model_without_annotations_never_sees_the_symbols() -> None:
    engine = AnnotatingFake()
    engine.term_markers = None  # type: ignore[assignment]
    sentence = _sentence("Gebruik hier het penseel.", "Use the pen here.")
    Enforcer(GLOSSARY, engine, steps=("annotate",)).enforce([sentence])
    assert engine.seen == []
    assert sentence.terms[0].outcome is TermOutcome.MISSING


UNSEEN_GLOSSARY_ROWS = (
    ("source\ttarget\tkind\ttarget_variants\tforbidden\tsource_variants\tnote\tstatus\n")
    + """penseel\tbrush\tterm\tbrushes\t\t\tpaint tool\tapproved
voorgrondkleur\tforeground color\tterm\tforeground colors|foreground colour\t\t\tcolour\tapproved
kloongereedschap\tClone tool\tterm\t\t\t\ttool name\tapproved
draaitabel\tpivot table\tterm\tpivot tables\t\t\tspreadsheet\tapproved
werkblad\tworksheet\tterm\tworksheets\t\t\tspreadsheet\tapproved
"""
)
UNSEEN_TEXT = [
    "Selecteer het penseel in de gereedschapskist.",
    "De voorgrondkleur wordt gebruikt voor tekst.",
    "Gebruik het kloongereedschap om een deel van de afbeelding te kopiëren.",
    "Het werkblad bevat een draaitabel met gegevens.",
    "Kies een nieuwe voorgrondkleur in het dialoogvenster.",
]


@pytest.fixture(scope="module")
def reference_engine(tmp_path_factory: pytest.TempPathFactory):
    from toolkit.engines.argos import ArgosEngine
    from toolkit.engines.base import EngineSettings
    from toolkit.models import install_bundled

    folder = tmp_path_factory.mktemp("reference-models")
    assert install_bundled(str(folder)) is not None
    return ArgosEngine(EngineSettings(models_dir=str(folder), beam_size=4))


def test_the_reference_model_meets_terms_of_text_it_was_not_tuned_on(
    tmp_path: Path, reference_engine
) -> None:
    """Terms of another product's documentation, which the cascade before the align step left
    missing on this model (penseel → "penal", kloongereedschap → "kloy tool", werkblad →
    "spreadsheet"): every one is met now, and the sentence around it is the engine's."""
    from toolkit.glossary.tsv import read_glossary
    from toolkit.segment import segment_text
    from toolkit.stages.process import process
    from toolkit.stages.settings import StageSettings

    path = tmp_path / "g.tsv"
    path.write_text(UNSEEN_GLOSSARY_ROWS, encoding="utf-8")
    glossary = read_glossary(path)
    document = segment_text("\n\n".join(UNSEEN_TEXT), "unseen")
    process([document], reference_engine, StageSettings(glossary))
    outcomes = [t.outcome for p in document.paragraphs for t in p.terms]
    assert outcomes.count(TermOutcome.MISSING) == 0, [p.target for p in document.paragraphs]
    for paragraph in document.paragraphs:
        for sentence in paragraph.sentences:
            kept = set(sentence.engine_target.lower().split()) & set(
                sentence.target.lower().split()
            )
            assert len(kept) >= len(sentence.target.split()) // 2


def test_a_replacement_the_model_finds_much_worse_is_refused() -> None:
    """A misaligned replacement ("can be issued" -> "can nuclear weapons") reads far worse to
    the model than the sentence did; the align step leaves such a sentence alone."""
    source = "Selecteer het penseel."
    engine = AligningFake(
        {source: "Select the pen."},
        {"penseel": "pen"},
        {"Select the pen.": -0.5, "Select the brush.": -0.5 - enforce.ALIGN_SCORE_DROP - 0.1},
    )
    sentence = _sentence(source, "Select the pen.")
    Enforcer(GLOSSARY, engine, steps=("align",)).enforce([sentence])
    assert sentence.target == "Select the pen."
    assert sentence.terms[0].outcome is TermOutcome.MISSING


def test_a_mangled_copy_of_the_term_beside_the_replacement_is_refused() -> None:
    source = "Deze sluipende annexatie."
    entry = Entry(source="annexatie", target="annexation", kind=TermKind.TERM)
    occurrence = TermMatcher([entry]).find(source)[0]
    sentence = _sentence(source, "This syyy annoxation.")
    case = enforce._Case(sentence, [occurrence], [entry])
    # replacing "syyy" would leave "annexation annoxation"; replacing "annoxation" is fine
    assert enforce._replaced(case, 0, sentence.target, (5, 9), "whole") is None
    assert enforce._replaced(case, 0, sentence.target, (10, 20), "whole") == (
        "This syyy annexation."
    )


def test_a_model_trained_on_annotations_sees_them_where_its_plain_output_missed() -> None:
    """Issue 24: the package says the model takes annotations. The run decodes plainly first
    (annotating every term cost 1.1 chrF on the test split) and annotates only the sentences
    whose English missed a term; `translate(glossary=...)` annotates the whole first pass."""
    from toolkit.segment import segment_text
    from toolkit.stages.process import process, translate
    from toolkit.stages.settings import StageSettings

    engine = AnnotatingFake()
    document = segment_text("Gebruik hier het penseel.\n\nGebruik hier de pen.", "doc")
    process([document], engine, StageSettings(GLOSSARY))
    assert sorted(engine.seen[:2]) == ["Gebruik hier de pen.", "Gebruik hier het penseel."]
    # (the n-best step decodes the plain source again: this engine keeps no alternatives)
    assert [s for s in engine.seen if "⟦" in s] == ["Gebruik hier het penseel ⟦ brush ⟧."]
    assert engine.seen[-1] == "Gebruik hier het penseel ⟦ brush ⟧."
    first = document.paragraphs[0].sentences[0]
    assert first.target == "Use the brush here."
    assert first.terms[0].outcome is TermOutcome.REPAIRED and first.terms[0].step == "annotate"

    engine = AnnotatingFake()
    document = segment_text("Gebruik hier het penseel.", "doc")
    from toolkit.glossary.match import TermMatcher as Matcher
    from toolkit.stages.process import match_terms

    match_terms([document], Matcher(GLOSSARY.entries))
    translate([document], engine, glossary=GLOSSARY)
    assert engine.seen == ["Gebruik hier het penseel ⟦ brush ⟧."]
    assert document.paragraphs[0].sentences[0].annotated


def test_a_mention_is_never_annotated() -> None:
    from toolkit.glossary.tsv import read_glossary
    from toolkit.segment import segment_text
    from toolkit.stages.process import process
    from toolkit.stages.settings import StageSettings

    engine = AnnotatingFake()
    glossary = read_glossary(Path(__file__).resolve().parents[2] / "glossary" / "nl-en.tsv")
    document = segment_text("Het land heette toen nog Wit-Rusland.", "doc")
    process([document], engine, StageSettings(glossary))
    assert engine.seen == ["Het land heette toen nog Wit-Rusland."]
