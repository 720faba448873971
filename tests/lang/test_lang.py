"""Language data as data: each word list once, in `toolkit.lang`, with golden copies.

`tests/golden/lang/{nl,en}.json` hold every list of the two modules and what the Dutch
inflection rules and `looks_dutch` make of sample words, so a change to the language
knowledge is a reviewed diff (`UPDATE_GOLDEN=1 pytest tests/lang` rewrites them).
"""

from __future__ import annotations

import ast
import json
import os
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from toolkit.lang import en, nl

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "lang"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# headwords the glossary's matcher inflects, with the kind of each (True: a name)
HEADWORDS = [
    ("kernwapen", False), ("vazalstaat", False), ("kat", False), ("bal", False),
    ("huis", False), ("graaf", False), ("annexatie", False), ("ziekte", False),
    ("auto", False), ("idee", False), ("koning", False), ("boom", False),
    ("Oekraïens", False), ("Belarussisch", False), ("lastig", False), ("arm", False),
    ("Poetin", True), ("Loekasjenko", True), ("Belarus", True), ("Kiev", True),
    ("SU-25", False), ("Sovjet-Unie 2.0", False),
]  # fmt: skip
SAMPLE_WORDS = "de het the zijn bestand huis liberalisatie friendship Azerbaijan UUID over".split()


def _data(module: ModuleType) -> dict[str, Any]:
    """Every public constant of the module in a JSON shape, sets sorted."""
    found: dict[str, Any] = {}
    for name, value in sorted(vars(module).items()):
        if not name.isupper():
            continue
        if isinstance(value, frozenset | set):
            found[name] = sorted(value)
        elif isinstance(value, re.Pattern):
            found[name] = value.pattern
        elif isinstance(value, tuple | dict | str | int | float):
            found[name] = value
    return found


def _golden(name: str, actual: dict[str, Any]) -> None:
    path = GOLDEN / f"{name}.json"
    text = json.dumps(actual, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    assert path.exists(), f"{path} missing; run UPDATE_GOLDEN=1 pytest tests/lang once"
    assert path.read_text("utf-8") == text, f"toolkit.lang.{name} changed; see the diff"


def test_dutch_matches_its_golden_copy() -> None:
    actual = _data(nl)
    actual["inflections"] = {
        word: sorted(nl.inflections(word, name=name)) for word, name in HEADWORDS
    }
    actual["looks_dutch"] = {word: nl.looks_dutch(word) for word in SAMPLE_WORDS}
    _golden("nl", actual)


def test_english_matches_its_golden_copy() -> None:
    _golden("en", _data(en))


@pytest.mark.parametrize(
    ("word", "name", "expected"),
    [
        ("vazalstaat", False, {"vazalstaten", "vazalstaatje", "vazalstaatjes"}),
        ("Poetin", True, {"Poetins"}),
        ("Loekasjenko", True, {"Loekasjenko's", "Loekasjenkos"}),
        ("Belarus", True, set()),
    ],
)
def test_inflections_by_rule(word: str, name: bool, expected: set[str]) -> None:
    assert expected <= nl.inflections(word, name=name)
    if name:
        assert nl.inflections(word, name=name) == expected


# the adversarial engine's word-for-word lexicon makes simulated output, and the HTML reader's
# lists are element names: neither is knowledge of Dutch or English
NOT_LANGUAGE_DATA = {"toolkit/engines/adversarial.py", "toolkit/documents/html.py"}


def test_no_word_list_outside_the_language_modules() -> None:
    """A literal list of words (`"a b c d e".split()`) belongs in toolkit/lang/."""
    offenders = []
    for path in sorted((REPO / "toolkit").rglob("*.py")):
        if path.parent.name == "lang" or path.relative_to(REPO).as_posix() in NOT_LANGUAGE_DATA:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "split"
                and isinstance(node.func.value, ast.Constant)
                and isinstance(node.func.value.value, str)
                and len(node.func.value.value.split()) >= 5
            ):
                offenders.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert offenders == []
