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
    if not isinstance(engine_class, type):
        raise UserError(
            f"engine {spec!r} is a {type(engine_class).__name__}, not a class; "
            "give package.module:ClassName of an engine class"
        )
    try:
        engine = engine_class(settings)
    except Exception as err:  # noqa: BLE001  (a third party's constructor may raise anything)
        raise UserError(f"engine {spec!r} failed to start: {err}; check the plug-in") from None
    if not isinstance(engine, Engine):
        raise UserError(
            f"engine {spec!r} does not implement the Engine protocol "
            "(needs name, describe() and translate(sources, num_hypotheses))"
        )
    return engine
