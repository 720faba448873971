"""What the stages are told: one frozen value, validated once, and its signature.

`StageSettings` holds every option that changes what the stages produce (the glossary,
the enforcement budget, the hold threshold). It is built once, by the CLI or a caller, and
checked when built, so no stage re-validates an option or restates its default.
`signature(engine_description)` is the one value that says what an output depends on: the
cache namespace and the completion markers' fingerprint are taken from it, and the
provenance headers from the same settings (`describe_glossary`). The glossary enters by its
content hash, never by its path, so the same glossary named from another folder hits the
same cache and keeps the same markers.

Adding a stage option: a field here (with its default and its check in `__post_init__`),
and one CLI option that fills it; the signature picks the field up by itself.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from toolkit.errors import UserError
from toolkit.glossary.match import TermMatcher
from toolkit.glossary.model import Glossary
from toolkit.stages.enforce import DEFAULT_BUDGET

__all__ = ["AFTER_CACHE", "DEFAULT_BUDGET", "StageSettings", "describe_glossary"]

# a field whose stage runs after the cache (it changes the files, not a cached sentence)
AFTER_CACHE = {"after_cache": True}


@dataclass(frozen=True)
class StageSettings:
    """The options of one run's stages; every field but `glossary` goes into the signature."""

    glossary: Glossary | None = field(default=None, compare=False)
    # extra decoding enforcement may spend, a share of the first decoding (None: no cap)
    enforcement_budget: float | None = DEFAULT_BUDGET
    # paragraphs with a risk above this are left untranslated for a translator (None: none)
    hold_above: int | None = field(default=None, metadata=AFTER_CACHE)

    def __post_init__(self) -> None:
        budget = self.enforcement_budget
        if budget is not None and not (isinstance(budget, int | float) and math.isfinite(budget)
                                       and budget >= 0):  # fmt: skip
            raise UserError(
                f"enforcement budget {budget!r} is not a share; give a number ≥ 0 or none"
            )
        hold = self.hold_above
        if hold is not None and not (isinstance(hold, int) and 0 <= hold <= 100):
            raise UserError(f"hold threshold {hold!r} is not a risk; give a whole number 0–100")

    def __getstate__(self) -> dict[str, Any]:
        """The fields only: a worker process builds its own matcher."""
        return {option.name: getattr(self, option.name) for option in dataclasses.fields(self)}

    @cached_property
    def matcher(self) -> TermMatcher | None:
        """The glossary's matcher, built once per settings value (not per batch)."""
        return TermMatcher(self.glossary.entries) if self.glossary is not None else None

    @cached_property
    def glossary_digest(self) -> str:
        """The sha256 of the glossary's entries (without line numbers); "" for none."""
        if self.glossary is None:
            return ""
        entries = self.glossary.entries
        content = sorted(repr(dataclasses.replace(entry, line=0)) for entry in entries)
        return hashlib.sha256("\n".join(content).encode()).hexdigest()

    def describe_glossary(self) -> str:
        """Name, size, content hash and budget, so a file says which terms it was held to.

        The provenance headers and the run report show this line; "" without a glossary.
        """
        if self.glossary is None:
            return ""
        budget = self.enforcement_budget
        shown = "none" if budget is None else f"{budget:g}"
        return (
            f"{self.glossary.path or 'glossary'} ({len(self.glossary.entries)} entries, "
            f"sha256 {self.glossary_digest[:12]}, enforcement budget {shown})"
        )

    def signature(self, engine_description: str, *, cache: bool = False) -> str:
        """What the stages' output depends on: the engine, the glossary's content, the options.

        `cache=True` leaves out the options whose stage runs after the cache (the hold
        threshold), so changing them re-renders the files without decoding again.
        """
        parts: dict[str, Any] = {"engine": engine_description, "glossary": self.glossary_digest}
        for option in dataclasses.fields(self):
            if option.name == "glossary" or (cache and option.metadata.get("after_cache")):
                continue
            parts[option.name] = getattr(self, option.name)
        return json.dumps(parts, sort_keys=True, ensure_ascii=False)


def describe_glossary(
    glossary: Glossary | None, enforcement_budget: float | None = DEFAULT_BUDGET
) -> str:
    """`StageSettings.describe_glossary` for a glossary alone (exports that enforce nothing)."""
    return StageSettings(glossary, enforcement_budget).describe_glossary()
