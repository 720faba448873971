"""Matching, checking and linting take time linear in the text (issue 23, case 4): a long
token made the protected-span regex quadratic (a 20,000-character token with a glossary:
149 s; `glossary lint` with an 8,000-character cell: 35 s)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from toolkit.glossary.check import find_forms
from toolkit.glossary.lint import lint_glossary
from toolkit.glossary.match import _protected


def _seconds(function: Callable[[int], object], size: int) -> float:
    """The best of two timings: a busy machine only ever adds time."""
    timings = []
    for _ in range(2):
        began = time.perf_counter()
        function(size)
        timings.append(time.perf_counter() - began)
    return min(timings)


def _linear(function: Callable[[int], object], small: int = 5_000) -> None:
    few, many = _seconds(function, small), _seconds(function, 4 * small)
    # four times the text: about four times the time when linear, sixteen when quadratic
    assert many < 9 * few + 0.3, f"{few:.2f} s for {small}, {many:.2f} s for {4 * small}"


@pytest.mark.parametrize(
    "unit",
    [
        # one long word: the e-mail alternative was tried from every position of it
        "a",
        # dotted and hyphenated runs, the same for the domain and file-name alternatives
        "a.",
        "a-",
    ],
)
def test_protected_spans_of_a_long_token_take_linear_time(unit: str) -> None:
    _linear(lambda n: _protected(unit * (n // len(unit))))


def test_find_forms_in_a_long_token_takes_linear_time() -> None:
    _linear(lambda n: find_forms("a" * n + " NATO", ["NATO", "alliance"], True))
    assert find_forms("a" * 100 + " NATO", ["NATO"], True) == [(101, 105)]


def test_glossary_lint_with_a_long_cell_takes_linear_time(tmp_path: Path) -> None:
    header = "source\ttarget\tkind\ttarget_variants\tforbidden\tsource_variants\tnote\tstatus\n"

    def lint(n: int) -> object:
        path = tmp_path / f"g{n}.tsv"
        path.write_text(header + f"{'a' * n}\tNATO\tterm\t\t{'b' * n}\t\t\t\n", "utf-8")
        return lint_glossary(path)

    _linear(lint)
