"""A third-party-style engine for run tests: deterministic, and slow enough to interrupt.

Loaded by the CLI as `--engine slow_engine:SlowEngine` (tests/support is on the path: the
conftest puts it there, subprocesses get it in PYTHONPATH). It waits `SLOW_ENGINE_CALL_SECONDS`
per engine call (default 0.4: a run can be killed between batches) plus
`SLOW_ENGINE_SENTENCE_SECONDS` per sentence (default 0: set it for a run whose progress moves
chunk by chunk); the English is the Dutch reversed, so every output is predictable.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence

from toolkit.engines.base import EngineSettings, Hypothesis, Translation


class SlowEngine:
    name = "slow"
    delay_seconds = 0.4  # per engine call, unless SLOW_ENGINE_CALL_SECONDS says otherwise
    sentence_seconds = 0.0  # per sentence, unless SLOW_ENGINE_SENTENCE_SECONDS says otherwise

    def __init__(self, settings: EngineSettings) -> None:
        self.settings = settings
        self.calls = 0
        if "SLOW_ENGINE_CALL_SECONDS" in os.environ:
            self.delay_seconds = float(os.environ["SLOW_ENGINE_CALL_SECONDS"])
        if "SLOW_ENGINE_SENTENCE_SECONDS" in os.environ:
            self.sentence_seconds = float(os.environ["SLOW_ENGINE_SENTENCE_SECONDS"])

    def describe(self) -> str:
        return "slow test engine 1.0"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        self.calls += 1
        time.sleep(self.delay_seconds + self.sentence_seconds * len(sources))
        return [Translation((Hypothesis(f"EN[{s[::-1]}]", 0.0),)) for s in sources]
