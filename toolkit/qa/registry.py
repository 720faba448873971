"""The registered QA checks, by name, in the order they run.

A module of its own so that `risk` can read each check's weight without importing the
package that imports `risk` (an import cycle).
"""

from __future__ import annotations

from toolkit.qa import dropped, numbers, punctuation, repetition, untranslated, verbatim
from toolkit.qa.base import Check

CHECKS: dict[str, Check] = {
    check.name: check
    for check in (
        dropped.CHECK,
        untranslated.CHECK,
        numbers.CHECK,
        verbatim.CHECK,
        repetition.CHECK,
        punctuation.CHECK,
    )
}
