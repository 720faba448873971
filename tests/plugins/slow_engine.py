"""A third-party-style engine for batch tests: deterministic, and slow enough to interrupt."""

from __future__ import annotations

import time

from toolkit.engines.base import EngineSettings, Hypothesis, Translation


class SlowEngine:
    name = "slow"
    delay_seconds = 0.4  # per engine call

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.calls = 0

    def describe(self) -> str:
        return "slow test engine 1.0"

    def translate(self, sources, num_hypotheses=1):
        self.calls += 1
        time.sleep(self.delay_seconds)
        return [Translation((Hypothesis(f"EN[{s[::-1]}]", 0.0),)) for s in sources]
