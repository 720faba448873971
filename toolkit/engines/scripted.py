"""A scripted engine that does to glossary terms what real NMT models do.

No pretrained model can be had here, so tests and the term benchmark need an
engine whose term errors are known in advance: it renders terms literally
("vazal state"), copies Dutch names ("Loekasjenko"), drops terms, uses the
wrong number, and mangles placeholders. Words outside the script pass through
unchanged, the way NMT copies what it does not know — so an English term
injected into the source survives, unless the script says otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from toolkit.engines.base import EngineSettings, Hypothesis, Translation

# Dutch surface (lowercase) → renderings, best first; hypothesis k uses the
# k-th rendering (or the last one). "" drops the term.
DEFAULT_SCRIPT: Mapping[str, tuple[str, ...]] = {
    # literal renderings of compounds
    "vazalstaat": ("vazal state", "vassal state"),
    "vazalstaten": ("vazal states",),
    "vazalstatus": ("vazal status",),
    "uniestaat": ("union state",),
    "denazificatie": ("denazificatie", "denazification"),
    "grotere euraziatische partnerschap": ("Larger Eurasian Partnership",),
    "euraziatische unie": ("Eurasian union", "Eurasian Union"),
    # Dutch spellings of names copied through
    "loekasjenko": ("Loekasjenko",),
    "loekasjenko's": ("Loekasjenko's",),
    "poetin": ("Poetin", "Putin"),
    "poetins": ("Poetin's",),
    "sergej sjojgoe": ("Sergej Sjojgoe",),
    "kiev": ("Kiev",),
    "navo": ("Navo",),
    "su-25": ("SU-25",),
    # dropped terms
    "kaliningrad": ("",),
    "kernwapen": ("",),
    # the wrong number
    "kernwapens": ("nuclear weapon", "nuclear weapons"),
    # an injected English term rendered literally, so injection can fail too
    "lukashenko": ("Loekasjenko",),
    # correct renderings
    "oekraïne": ("Ukraine",),
    "krim": ("Crimea",),
}
PLACEHOLDER = re.compile(r"(⟦|\[\[|__|<)(\w+)(⟧|\]\]|__|>)")
WORD = re.compile(r"[\w'’-]+")


class ScriptedEngine:
    """Term-level NMT behaviour on a fixed script; other words are copied."""

    name = "scripted"
    script: Mapping[str, tuple[str, ...]] = DEFAULT_SCRIPT

    def __init__(self, settings: EngineSettings | None = None) -> None:
        self.settings = settings or EngineSettings()
        keys = sorted(self.script, key=len, reverse=True)  # longest term first
        self._pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w'’])", re.IGNORECASE
        )

    def describe(self) -> str:
        return f"scripted ({len(self.script)} scripted terms)"

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        return [
            Translation(
                tuple(Hypothesis(self._render(s, k), -float(k)) for k in range(num_hypotheses))
            )
            for s in sources
        ]

    def _render(self, source: str, rank: int) -> str:
        def term(match: re.Match[str]) -> str:
            renderings = self.script[match.group(1).lower()]
            return renderings[min(rank, len(renderings) - 1)]

        text = PLACEHOLDER.sub(lambda m: f"{m.group(2)[:1]} {m.group(2)[1:]}", source)
        text = self._pattern.sub(term, text)
        return re.sub(r"\s{2,}", " ", text).strip()
