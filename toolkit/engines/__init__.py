"""The engine registry: names the CLI offers, and loading any `module:Class` engine.

Entries are import paths, not imported modules, so listing the choices costs
nothing and `toolkit --help` never imports argostranslate.
"""

from __future__ import annotations

import importlib

from toolkit.engines.base import Engine, EngineSettings
from toolkit.errors import UserError

ENGINES: dict[str, str] = {
    "adversarial": "toolkit.engines.adversarial:AdversarialEngine",
    "argos": "toolkit.engines.argos:ArgosEngine",
    "none": "toolkit.engines.none:NoEngine",
    "scripted": "toolkit.engines.scripted:ScriptedEngine",
}


def load_engine(spec: str, settings: EngineSettings) -> Engine:
    """Build the engine named `spec`: a registry name or `package.module:ClassName`."""
    target = ENGINES.get(spec, spec)
    module_name, _, class_name = target.partition(":")
    if not class_name:
        choices = ", ".join(sorted(ENGINES))
        raise UserError(f"unknown engine {spec!r}; choose {choices} or give package.module:Class")
    try:
        engine_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as err:
        raise UserError(f"cannot load engine {spec!r}: {err}; check the module path") from None
    engine = engine_class(settings)
    if not isinstance(engine, Engine):
        raise UserError(
            f"engine {spec!r} does not implement the Engine protocol "
            "(needs name, describe() and translate(sources, num_hypotheses))"
        )
    return engine
