"""Quality checks on a translated paragraph, run after term enforcement.

`CHECKS` is the registry, one small named check per module; `run_checks` runs them
on a `Paragraph` and returns `QAFlag`s (check name, one-line reason), and
`risk_score` folds flags, term outcomes and engine confidence into 0-100.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from toolkit.document import Flag, FlagSource, Paragraph
from toolkit.qa import dropped
from toolkit.qa.base import Check, CheckOptions, QAFlag
from toolkit.qa.registry import CHECKS
from toolkit.qa.risk import risk_score


def run_checks(
    paragraph: Paragraph,
    *,
    max_decoding_length: int | None = None,
    count_tokens: Callable[[str], int] | None = None,
    checks: Iterable[str] | None = None,
) -> list[QAFlag]:
    """The flags of every check (or of the named `checks`) on one paragraph, in registry order.

    `max_decoding_length` is the engine's output cap; `count_tokens` counts tokens the
    engine's way (without it, a lower bound is used). A paragraph without Dutch has
    nothing to check; one without English only gets the `dropped` check's flag, since
    every other check would report that same absence in its own words.
    """
    if not paragraph.source.strip():
        return []
    options = CheckOptions(max_decoding_length=max_decoding_length, count_tokens=count_tokens)
    names = list(CHECKS) if checks is None else list(checks)
    if not paragraph.target.strip():
        names = [name for name in names if name == dropped.CHECK.name]
    flags: list[QAFlag] = []
    for name in names:
        flags += CHECKS[name].run(paragraph, options)
    return flags


def is_qa_flag(flag: Flag) -> bool:
    """Whether a paragraph flag came from a QA check, not from term enforcement or a file."""
    return flag.source is FlagSource.QA


__all__ = ["CHECKS", "Check", "CheckOptions", "QAFlag", "is_qa_flag", "risk_score", "run_checks"]
