"""`StageSettings`: validated once, and its signature keys the cache and the markers."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SEEDS

from toolkit.engines.scripted import ScriptedEngine
from toolkit.errors import UserError
from toolkit.glossary.model import Entry, Glossary, TermKind
from toolkit.glossary.tsv import read_glossary
from toolkit.run import RunOptions, run_translate
from toolkit.stages.settings import StageSettings

ENTRY = Entry("Poetin", "Putin", TermKind.NAME)


def test_the_signature_holds_the_glossary_content_not_its_path() -> None:
    here = StageSettings(Glossary([ENTRY], path="a/nl-en.tsv"))
    there = StageSettings(Glossary([ENTRY], path="/elsewhere/terms.tsv"))
    other = StageSettings(Glossary([Entry("Poetin", "Poutine", TermKind.NAME)], path="a/nl-en.tsv"))
    assert here.signature("engine") == there.signature("engine")
    assert here.signature("engine") != other.signature("engine")
    assert here.signature("engine") != here.signature("another engine")
    assert "a/nl-en.tsv" not in here.signature("engine")
    assert here.describe_glossary().startswith("a/nl-en.tsv (1 entries, sha256 ")


def test_every_option_is_in_the_signature_and_the_hold_stays_out_of_the_cache() -> None:
    base = StageSettings(Glossary([ENTRY]))
    budget = StageSettings(Glossary([ENTRY]), enforcement_budget=None)
    held = StageSettings(Glossary([ENTRY]), hold_above=40)
    assert base.signature("e") != budget.signature("e")
    assert base.signature("e", cache=True) != budget.signature("e", cache=True)
    assert base.signature("e") != held.signature("e")  # other files: the markers differ
    assert base.signature("e", cache=True) == held.signature("e", cache=True)  # same sentences


@pytest.mark.parametrize(
    ("budget", "hold", "message"),
    [
        (-0.5, None, "enforcement budget -0.5 is not a share"),
        (float("nan"), None, "enforcement budget nan is not a share"),
        (0.5, 101, "hold threshold 101 is not a risk"),
        (0.5, -1, "hold threshold -1 is not a risk"),
    ],
)
def test_bad_values_are_refused_once_when_built(budget, hold, message) -> None:
    with pytest.raises(UserError, match=message):
        StageSettings(None, budget, hold)


def test_it_pickles_without_its_matcher() -> None:
    settings = StageSettings(Glossary([ENTRY]))
    assert settings.matcher is not None
    copy = pickle.loads(pickle.dumps(settings))
    assert "matcher" not in copy.__dict__
    assert copy.signature("e") == settings.signature("e")
    assert [o.surface for o in copy.matcher.find("Toen sprak Poetin.")] == ["Poetin"]


def test_the_same_glossary_from_another_folder_keeps_the_outputs_up_to_date(
    tmp_path: Path,
) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        shutil.copy(REPO / "glossary" / "nl-en.tsv", tmp_path / folder / "nl-en.tsv")
    out = tmp_path / "out"
    first = read_glossary(tmp_path / "one" / "nl-en.tsv")
    second = read_glossary(tmp_path / "two" / "nl-en.tsv")
    assert first.path != second.path
    report = run_translate(SEEDS, out, ScriptedEngine(), RunOptions(stages=StageSettings(first)))
    assert report.count("translated") == 2
    again = run_translate(SEEDS, out, ScriptedEngine(), RunOptions(stages=StageSettings(second)))
    assert again.count("skipped") == 2
