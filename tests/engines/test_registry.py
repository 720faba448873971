"""The engine registry and plug-in loading by `module:Class`."""

from __future__ import annotations

import pytest

from toolkit.engines import load_engine
from toolkit.engines.base import EngineSettings, Hypothesis, Translation
from toolkit.engines.none import NoEngine
from toolkit.errors import UserError


class ReverseEngine:
    """A third-party engine defined outside the toolkit: reverses each sentence."""

    name = "reverse"

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return "reverse 1.0"

    def translate(self, sources, num_hypotheses=1):
        return [Translation((Hypothesis(s[::-1], 0.0),)) for s in sources]


class NotAnEngine:
    def __init__(self, settings: EngineSettings) -> None:
        pass


def test_registry_name_loads_builtin() -> None:
    assert isinstance(load_engine("none", EngineSettings()), NoEngine)


def test_module_class_spec_loads_a_third_party_engine() -> None:
    engine = load_engine(f"{__name__}:ReverseEngine", EngineSettings())
    assert engine.translate(["abc"])[0].text == "cba"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("deepl", "unknown engine 'deepl'"),  # not registered, not a path
        ("no.such.module:X", "cannot load engine"),  # import fails
        (f"{__name__}:Missing", "cannot load engine"),  # class missing
        (f"{__name__}:NotAnEngine", "does not implement the Engine protocol"),
    ],
)
def test_bad_engine_specs_are_user_errors(spec: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        load_engine(spec, EngineSettings())
