"""What a long translate run shows while it works, on stderr: the library only reports numbers.

On a terminal, a bar that moves with every engine chunk, with sentences decoded, their rate
and the time left; when stderr is not a terminal (a log, a pipe), one line every
`TOOLKIT_PROGRESS_EVERY` seconds (30 by default), so a short run prints nothing extra;
with `--quiet`, nothing.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

import click

if TYPE_CHECKING:
    from toolkit.run.local import RunProgress

LOG_EVERY = 30.0  # seconds between progress lines when stderr is not a terminal
STEPS = 1000  # the bar's resolution: a tenth of a percent


def log_interval() -> float:
    """Seconds between progress lines (TOOLKIT_PROGRESS_EVERY, else LOG_EVERY)."""
    value = os.environ.get("TOOLKIT_PROGRESS_EVERY", "")
    try:
        return max(float(value), 0.0) if value else LOG_EVERY
    except ValueError:
        return LOG_EVERY


def describe(state: RunProgress, elapsed: float) -> str:
    """`45% · 1,234 sentences · 41.2/s · 3/10 documents · 2 min 5 s left` (parts as known).

    With a glossary, `· 600 through term enforcement` after the rate: the second pass.
    """
    parts = [f"{state.fraction:.0%}", f"{state.sentences_decoded:,} sentences"]
    if state.sentences_decoded and elapsed > 0:
        parts.append(f"{state.sentences_decoded / elapsed:.1f}/s")
    if state.sentences_enforced:
        parts.append(f"{state.sentences_enforced:,} through term enforcement")
    parts.append(f"{state.documents_done}/{state.documents} documents")
    if 0 < state.fraction < 1 and elapsed > 0:
        parts.append(f"{_duration(elapsed * (1 - state.fraction) / state.fraction)} left")
    return " · ".join(parts)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds + 0.5), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


class ProgressDisplay:
    """A `run_translate` progress callback that draws a bar or logs lines; `close` at the end."""

    def __init__(
        self,
        quiet: bool,
        stream: TextIO | None = None,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock
        self.started = clock()
        self.every = log_interval() if every is None else every
        self.last_line = self.started
        self.quiet = quiet
        self.terminal = not quiet and self.stream.isatty()
        self.bar: Any = None
        self.state: RunProgress | None = None

    def __call__(self, state: RunProgress) -> None:
        self.state = state
        if self.quiet:
            return
        elapsed = self.clock() - self.started
        if self.terminal:
            self._draw(state, elapsed)
        elif state.documents_done < state.documents and self.clock() - self.last_line >= self.every:
            self.last_line = self.clock()
            click.echo(f"translating: {describe(state, elapsed)}", file=self.stream)

    def _draw(self, state: RunProgress, elapsed: float) -> None:  # noqa: ARG002  (both displays take the elapsed time)
        if self.bar is None:
            self.bar = click.progressbar(
                length=STEPS,
                label="translating",
                file=self.stream,
                show_eta=False,  # ours counts from the work done, click's from recent steps
                show_percent=False,
                item_show_func=lambda state: state and describe(state, self.clock() - self.started),
            )
            self.bar.__enter__()
        target = round(state.fraction * STEPS)
        self.bar.update(max(target - self.bar.pos, 0), state)
        if target == self.bar.pos:
            self.bar.render_progress()  # the counts moved even where the bar did not

    def close(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None
