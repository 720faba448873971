"""The registry of glossary exchange formats: TBX (lossless), CSV and OmegaT (lossy).

The `glossary import/export --format` choices are this registry's keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from toolkit.glossary.csv_terms import read_terms_csv, write_terms_csv
from toolkit.glossary.model import Glossary
from toolkit.glossary.omegat import read_omegat, write_omegat
from toolkit.glossary.tbx import read_tbx, write_tbx


@dataclass(frozen=True)
class ExchangeFormat:
    read: Callable[[Path], Glossary]
    write: Callable[[Glossary, Path], None]
    loses: str  # what an export leaves behind, told to the user


# The one registry of exchange formats: the --format choices are its keys.
EXCHANGE_FORMATS = {
    "tbx": ExchangeFormat(read_tbx, write_tbx, ""),
    "csv": ExchangeFormat(
        read_terms_csv,
        write_terms_csv,
        "kinds, statuses, notes, English variants and forbidden renderings",
    ),
    "omegat": ExchangeFormat(
        read_omegat,
        write_omegat,
        "kinds, statuses, English variants and forbidden renderings",
    ),
}
