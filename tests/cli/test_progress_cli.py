"""Progress of a long translate run: a moving bar on a terminal, timed lines in a log.

Issue 15: a run printed nothing for 255 s, and on a terminal the bar sat at 0% for 90 s
because it moved once per batch of 32 documents.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main

SUPPORT = Path(__file__).resolve().parent.parent / "support"
SLOW = ["--engine", "slow_engine:SlowEngine"]  # no glossary: TOOLKIT_CONFIG is empty
# 4 ms a sentence and no wait per call: the engine's chunks take long enough to be seen
PACE = {"SLOW_ENGINE_CALL_SECONDS": "0", "SLOW_ENGINE_SENTENCE_SECONDS": "0.004"}


def _corpus(folder: Path, documents: int = 4, sentences: int = 200) -> Path:
    """Fewer documents than one batch, each sentence distinct: the engine sees 800 sentences."""
    folder.mkdir()
    for d in range(documents):
        text = " ".join(f"Zin nummer {d}-{s} staat hier." for s in range(sentences))
        (folder / f"doc{d}.txt").write_text(text + "\n", "utf-8")
    return folder


def test_log_lines_when_stderr_is_not_a_terminal(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TOOLKIT_CONFIG", "")
    for variable, value in PACE.items():
        monkeypatch.setenv(variable, value)
    args = ["translate", str(_corpus(tmp_path / "in")), "-o", str(tmp_path / "out"), *SLOW]
    logged = CliRunner().invoke(main, args, env={"TOOLKIT_PROGRESS_EVERY": "0"})
    assert logged.exit_code == 0, logged.output
    lines = [line for line in logged.stderr.splitlines() if line.startswith("translating: ")]
    # one line per engine chunk of 256 sentences, inside the one batch of 4 documents
    percents = [int(re.match(r"translating: (\d+)%", line).group(1)) for line in lines]
    assert len(lines) >= 3 and percents == sorted(percents) and 0 < percents[1] < 100, lines
    assert re.search(r"\d+ sentences · [\d.]+/s · 0/4 documents · .* left", lines[1])
    # a short run with the default interval (30 s), and any run with --quiet: no lines
    for extra, env in (([], {}), (["--quiet"], {"TOOLKIT_PROGRESS_EVERY": "0"})):
        result = CliRunner().invoke(main, [*args, "--force", *extra], env=env)
        assert result.exit_code == 0
        assert "translating" not in result.stderr


@pytest.mark.parametrize(
    ("state", "elapsed", "expected"),
    [
        # at the start: nothing decoded, no rate, no estimate
        ((3, 0, 0, 0, 0.0), 0.0, "0% · 0 sentences · 0/3 documents"),
        # a quarter done in 10 s: 30 s left
        (
            (3, 0, 500, 1000, 250.0),
            10.0,
            "25% · 500 sentences · 50.0/s · 0/3 documents · 30 s left",
        ),
        # with a glossary, the second pass (enforcement) is counted too
        (
            (3, 0, 500, 1000, 500.0, 200),
            10.0,
            "50% · 500 sentences · 50.0/s · 200 through term enforcement · 0/3 documents"
            " · 10 s left",
        ),
        # a long run reads in hours and minutes
        (
            (9, 1, 10, 1000, 10.0),
            100.0,
            "1% · 10 sentences · 0.1/s · 1/9 documents · 2 h 45 min left",
        ),
    ],
)
def test_describe(state: tuple, elapsed: float, expected: str) -> None:
    from toolkit.cli.progress import describe
    from toolkit.run.local import RunProgress

    assert describe(RunProgress(*state), elapsed) == expected


def test_log_interval_counts_from_the_last_line() -> None:
    from toolkit.cli.progress import ProgressDisplay
    from toolkit.run.local import RunProgress

    now = [0.0]
    stream = io.StringIO()
    display = ProgressDisplay(quiet=False, stream=stream, every=30.0, clock=lambda: now[0])
    for second in (10, 29, 31, 45, 62):
        now[0] = float(second)
        display(RunProgress(4, 0, second, 100, float(second)))
    assert [line.split("%")[0] for line in stream.getvalue().splitlines()] == [
        "translating: 31",
        "translating: 62",
    ]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux (apt-get install tmux)")
def test_terminal_bar_moves_within_a_batch(tmp_path: Path) -> None:
    """The real command in a real terminal (tmux): the bar shows several percentages."""
    corpus = _corpus(tmp_path / "in", documents=4, sentences=300)  # 1200 sentences, 5 chunks
    toolkit = Path(sys.executable).parent / "toolkit"
    done = tmp_path / "done"
    command = (
        f"cd {tmp_path} && TOOLKIT_CONFIG= {' '.join(f'{k}={v}' for k, v in PACE.items())} "
        f"PYTHONPATH={SUPPORT}:{os.environ.get('PYTHONPATH', '')} "
        f"{toolkit} translate {corpus} "
        f"-o out {' '.join(SLOW)}; echo $? > {done}; sleep 60"
    )
    socket = f"toolkit-test-{os.getpid()}"
    tmux = ["tmux", "-L", socket]
    subprocess.run([*tmux, "new-session", "-d", "-s", "t", "-x", "160", "-y", "20", command])
    try:
        seen: list[str] = []
        deadline = time.monotonic() + 60
        while not done.exists() and time.monotonic() < deadline:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True
            ).stdout
            seen += [line for line in screen.splitlines() if re.search(r"\d+%", line)]
            time.sleep(0.05)
        screen = subprocess.run(
            [*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True
        ).stdout
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    assert done.read_text().strip() == "0", screen
    moving = {re.search(r"(\d+)%", line).group(1) for line in seen}
    assert len(moving - {"0", "100"}) >= 2, seen  # moved inside the batch, not once at its end
    assert any(re.search(r"\d+ sentences · [\d.]+/s · 0/4 documents · .+ left", s) for s in seen)
    assert "4 translated, 0 skipped, 0 failed of 4 documents" in screen
