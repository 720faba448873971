"""An engine that takes its time (tests of progress display): upper-cases, 4 ms a sentence."""

from __future__ import annotations

import time
from collections.abc import Sequence

from toolkit.engines.base import EngineSettings, Hypothesis, Translation


class SlowEngine:
    name = "slow"

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings

    def describe(self) -> str:
        return "slow test engine"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        time.sleep(0.004 * len(sources))
        return [Translation((Hypothesis(source.upper(), None),)) for source in sources]
