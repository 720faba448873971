"""The engine that translates nothing: prepares documents for human translators."""

from __future__ import annotations

from collections.abc import Sequence

from toolkit.engines.base import EngineSettings, Translation


class NoEngine:
    name = "none"

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()

    def describe(self) -> str:
        return "none (no machine translation)"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:  # noqa: ARG002  (the Engine protocol)
        return [Translation(hypotheses=()) for _ in sources]
