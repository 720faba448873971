"""The adversarial engine: seeded, honest about what it did, and making each error it claims."""

from __future__ import annotations

from toolkit.engines import load_engine
from toolkit.engines.adversarial import AdversarialEngine
from toolkit.engines.base import Engine, EngineSettings

SOURCES = [
    "Poetins bezoek aan Loekasjenko in Minsk was kort.",
    "De Russische invasiemacht trok richting Kiev.",
    "Zie https://nos.nl/navo-kernwapens-analyse voor de analyse.",
    "Rusland gaat in Belarus ook kernwapens stationeren.",
]


def test_same_seed_same_output_other_seed_differs() -> None:
    # a benchmark's draws must be repeatable, and seeds must give different draws
    first = [t.text for t in AdversarialEngine(seed=3).translate(SOURCES * 5)]
    again = [t.text for t in AdversarialEngine(seed=3).translate(SOURCES * 5)]
    others = [[t.text for t in AdversarialEngine(seed=s).translate(SOURCES)] for s in range(4, 12)]
    assert first == again
    assert any(o != first[: len(SOURCES)] for o in others)


def test_units_point_at_what_they_name() -> None:
    # the log is the benchmark's truth: each unit's span holds its rendering, right ones equal it
    for seed in range(10):
        engine = AdversarialEngine(seed=seed)
        for translation in engine.translate(SOURCES, 3):
            for hypothesis in translation.hypotheses:
                units = engine.units[hypothesis.text]
                for unit in units:
                    text = hypothesis.text[unit.start : unit.end]
                    if unit.origin == "dutch" and not unit.error:
                        assert text == unit.right
                    if unit.error == "drop":
                        assert text == ""


def test_url_copied_whole() -> None:
    # addresses are copied, terms inside them untouched, whatever the seed
    for seed in range(20):
        [translation] = AdversarialEngine(seed=seed).translate([SOURCES[2]])
        assert "https://nos.nl/navo-kernwapens-analyse" in translation.text


def test_error_rates_are_realistic() -> None:
    # over many draws the engine errs on roughly a third of the terms, and not on all
    errors = total = 0
    for seed in range(60):
        engine = AdversarialEngine(seed=seed)
        for translation in engine.translate(SOURCES):
            for unit in engine.units[translation.text]:
                if unit.origin == "dutch":
                    total += 1
                    errors += bool(unit.error)
    assert 0.15 < errors / total < 0.55


def test_genitive_error_drops_the_possessive() -> None:
    # the error: "Poetins" rendered as bare "Putin"; the engine must make it
    made = set()
    for seed in range(200):
        engine = AdversarialEngine(seed=seed, rates={"possessive": 0.9})
        text = engine.translate([SOURCES[0]])[0].text
        made |= {text[u.start : u.end] for u in engine.units[text] if u.error == "possessive"}
    assert made == {"Putin"}


def test_injected_english_usually_copied() -> None:
    # enforcement writes English into the source; the engine copies it most of the time
    copied = 0
    for seed in range(100):
        text = AdversarialEngine(seed=seed).translate(["Toen sprak Putin's woordvoerder."])[0].text
        copied += "Putin's" in text
    assert 70 <= copied < 100


def test_registered_and_implements_engine() -> None:
    # the CLI offers it by name, and it satisfies the protocol with suppression
    engine = load_engine("adversarial", EngineSettings())
    assert isinstance(engine, Engine)
    [translation] = engine.translate_suppressing(["Toen kwam Loekasjenko."], ["Loekasjenko"])
    assert "Loekasjenko" not in translation.text
