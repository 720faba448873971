"""`toolkit model train` and `toolkit model adapt`: a model of your own from your own data.

Thin commands over `toolkit.training.jobs`; torch and transformers (the `train` extra) are
imported only when one of them runs. Progress goes to stderr: steps, tokens/s, the last dev
chrF and the time left, one line per evaluation when stderr is not a terminal.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from toolkit.cli.options import models_dir_option
from toolkit.errors import UserError

if TYPE_CHECKING:
    from toolkit.training.jobs import JobResult
    from toolkit.training.marian import Progress

SOURCES_HELP = (
    "Parallel data: TMX (nl*/en*), reviewed PO/XLIFF outputs or an output folder (reviewed "
    "entries and its memory.nl-en.tmx), TSV (Dutch TAB English), or a Moses pair FILE.nl + "
    "FILE.en (give either file). Repeat for more."
)


# For tests and smoke runs: a tiny model and a lower floor on the data, hidden from --help.
tiny_option = click.option("--tiny", is_flag=True, hidden=True)
min_pairs_option = click.option("--min-pairs", type=int, hidden=True)


class TrainingProgress:
    """Draws `step 1,200 · 2,050 tok/s · dev chrF 57.9 · 12 min 5 s left` on stderr."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.chrf: float | None = None
        self.last = 0.0

    def __call__(self, report: Progress) -> None:
        if report.dev_chrf is not None:
            self.chrf = report.dev_chrf
        now = time.monotonic()
        evaluated = report.dev_chrf is not None
        if not evaluated and (now - self.last < (0.5 if self.tty else 60) and report.fraction < 1):
            return
        self.last = now
        parts = [f"{report.fraction:.0%}", f"step {report.step:,}", f"epoch {report.epoch}"]
        if report.tokens_per_second:
            parts.append(f"{report.tokens_per_second:,.0f} tok/s")
        if report.loss == report.loss:  # not NaN
            parts.append(f"loss {report.loss:.2f}")
        if self.chrf is not None:
            parts.append(f"dev chrF {self.chrf:.1f}")
        if 0 < report.fraction < 1:
            left = report.elapsed * (1 - report.fraction) / report.fraction
            parts.append(f"{_duration(left)} left")
        line = " · ".join(parts)
        if self.tty:
            click.echo(f"\r\033[K{line}", err=True, nl=report.fraction >= 1)
        else:
            click.echo(line, err=True)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds + 0.5), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def _report(result: JobResult, what: str) -> None:
    click.echo(
        f"{what} {result.model.name} ({result.train_pairs:,} training pairs) in {result.model.path}"
    )
    click.echo(result.conversion)
    for name, score in result.scores.items():
        click.echo(f"held-out chrF, {name}: {score:.1f}")
    click.echo(
        f"translate with it: toolkit translate --model {result.model.name} ... "
        f'(or model = "{result.model.name}" in toolkit.toml)'
    )


def _interrupted(run: Path | None, resume_hint: str) -> UserError:
    return UserError(f"interrupted; {resume_hint}", path=run)


@click.command("train")
@click.option(
    "--from", "sources", multiple=True, type=click.Path(path_type=Path), help=SOURCES_HELP
)
@click.option(
    "--base",
    type=click.Choice(["debian"]),
    help="Add the Debian software-documentation corpus (built once with apt-get, then cached).",
)
@click.option(
    "--minutes",
    type=click.FloatRange(min=0.01),
    required=True,
    help="Training time budget (the bundled model: 90 minutes on 2 cores).",
)
@click.option("--name", required=True, help="Name to install the model under.")
@click.option("--resume", is_flag=True, help="Continue an interrupted run of --name.")
@click.option("--seed", type=int, default=1, show_default=True)
@tiny_option
@min_pairs_option
@models_dir_option
def train(
    sources: tuple[Path, ...],
    base: str | None,
    minutes: float,
    name: str,
    resume: bool,
    seed: int,
    tiny: bool,
    min_pairs: int | None,
    models_dir: str | None,
) -> None:
    """Train a new nl→en model on your parallel data and install it as NAME."""
    from toolkit.training import require_training

    if not sources and not base and not resume:
        raise click.UsageError("give --from FILE (repeatable) and/or --base debian")
    require_training()
    from toolkit.training.jobs import MIN_TRAIN_PAIRS, cache_dir, train_model
    from toolkit.training.marian import TINY_SHAPE

    try:
        result = train_model(
            list(sources),
            name,
            minutes,
            models_dir,
            base_debian=base == "debian",
            resume=resume,
            seed=seed,
            progress=TrainingProgress(),
            shape=TINY_SHAPE if tiny else None,
            min_pairs=min_pairs or MIN_TRAIN_PAIRS,
        )
    except KeyboardInterrupt:
        raise _interrupted(
            cache_dir() / "training" / name,
            "the last checkpoint is kept here; run the same command with --resume to continue",
        ) from None
    _report(result, "installed")


@click.command("adapt")
@click.option(
    "--from",
    "sources",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help=SOURCES_HELP,
)
@click.option(
    "--minutes",
    type=click.FloatRange(min=0.01),
    default=10.0,
    show_default=True,
    help="Time budget; it stops earlier after 12 passes over your data.",
)
@click.option(
    "--model",
    "base",
    metavar="NAME",
    help="The installed model to adapt [default: the default nl→en model].",
)
@click.option("--name", help="Name for the adapted model [default: MODEL-adapted-YYYYMMDD].")
@click.option(
    "--original-share",
    type=click.FloatRange(0, 0.9),
    default=0.5,
    show_default=True,
    help="Share of each pass taken from the model's original data, so it does not forget.",
)
@click.option("--seed", type=int, default=1, show_default=True)
@min_pairs_option
@models_dir_option
def adapt(
    sources: tuple[Path, ...],
    minutes: float,
    base: str | None,
    name: str | None,
    original_share: float,
    seed: int,
    min_pairs: int | None,
    models_dir: str | None,
) -> None:
    """Continue training an installed model on new pairs; install it beside the old one."""
    from toolkit.training import require_training

    require_training()
    from toolkit.training.jobs import MIN_ADAPT_PAIRS, adapt_model

    try:
        result = adapt_model(
            list(sources),
            minutes,
            base,
            name,
            models_dir,
            seed=seed,
            original_share=original_share,
            progress=TrainingProgress(),
            min_pairs=min_pairs or MIN_ADAPT_PAIRS,
        )
    except KeyboardInterrupt:
        raise _interrupted(None, "nothing was installed; run it again") from None
    _report(result, "installed")
