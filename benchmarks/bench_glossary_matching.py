"""How fast `TermMatcher` builds for a 10,000-entry glossary and scans 1 MB of Dutch text.

Deterministic: the glossary is the seed articles' real terms plus generated Dutch-like words
and multi-word names; the text is the seed articles interleaved with generated sentences that
use glossary words in inflected forms. Run as `python benchmarks/bench_glossary_matching.py`.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # runnable from a checkout without installing the package

from toolkit.glossary.match import TermMatcher  # noqa: E402
from toolkit.glossary.model import Entry, TermKind  # noqa: E402

ENTRY_COUNT = 10_000
TEXT_CHARS = 1_000_000
SEED = 20230401

REAL_TERMS = (
    "denazificatie vazalstaat vazalstatus Oekraïens Belarussisch kernwapen annexatie inlijving"
).split()
REAL_NAMES = [
    "Uniestaat", "Poetin", "Loekasjenko", "Sergej Sjojgoe", "Zelensky", "Kremlin", "Navo", "Krim",
    "Oekraïne", "Belarus", "Kiev", "Minsk", "Kaliningrad", "Iskander-M", "SU-25", "Sovjet-Unie",
    "Euraziatische Unie", "Grotere Euraziatische Partnerschap", "Kazachstan", "Kirgizië",
    "Armenië", "Verenigde Staten",
]  # fmt: skip
ONSETS = "b d f g h j k l m n p r s t v w z st sch kr tr gr bl br sl sp pr".split()
VOWELS = "a e i o u aa ee oo uu ie oe ei ij ui au eu".split()
CODAS = ["", "", "n", "r", "l", "k", "t", "s", "m", "nd", "rk", "st", "ng", "cht"]
HEADS = "beleid staat plan wet raad dienst bond markt zone macht".split()
ADJECTIVES = "Noordelijke Westelijke Grotere Nieuwe Verenigde Centrale Oostelijke".split()
FILLER = (
    "de het een en van in op dat met voor niet zijn wordt door maar ook nog al naar bij als "
    "om tot heeft werd was zou kan moet meer dan over uit zo wel deze die"
).split()


def word(rng: random.Random) -> str:
    return "".join(
        rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
        for _ in range(rng.randint(2, 3))
    )


def synthetic_glossary(rng: random.Random) -> list[Entry]:
    entries = [Entry(source, source) for source in REAL_TERMS]
    entries += [Entry(source, source, TermKind.NAME) for source in REAL_NAMES]
    seen = {entry.source.lower() for entry in entries}
    while len(entries) < ENTRY_COUNT:
        roll = rng.random()
        if roll < 0.55:  # a common noun, often a compound
            source = word(rng) + (rng.choice(HEADS) if rng.random() < 0.4 else "")
            kind = TermKind.TERM
        elif roll < 0.85:  # a one-word name
            source = word(rng).capitalize()
            kind = TermKind.NAME
        else:  # a multi-word name
            source = f"{rng.choice(ADJECTIVES)} {word(rng).capitalize()}"
            kind = TermKind.NAME
        if source.lower() not in seen:
            seen.add(source.lower())
            entries.append(Entry(source, source.upper(), kind))
    return entries


def synthetic_text(rng: random.Random, entries: list[Entry]) -> str:
    seeds = [path.read_text(encoding="utf-8") for path in sorted((REPO / "seeds").glob("*.txt"))]
    endings = ["", "", "", "s", "en", "je", "-top"]
    paragraphs: list[str] = []
    size = 0
    while size < TEXT_CHARS:
        if rng.random() < 0.3:
            paragraph = rng.choice(seeds)
        else:
            tokens = []
            for _ in range(rng.randint(40, 120)):
                if rng.random() < 0.08:
                    tokens.append(rng.choice(entries).source + rng.choice(endings))
                else:
                    tokens.append(rng.choice(FILLER) if rng.random() < 0.6 else word(rng))
            paragraph = " ".join(tokens).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:TEXT_CHARS]


def main() -> None:
    rng = random.Random(SEED)
    entries = synthetic_glossary(rng)
    text = synthetic_text(rng, entries)

    started = time.perf_counter()
    matcher = TermMatcher(entries)
    build_seconds = time.perf_counter() - started

    scan_seconds = float("inf")
    for _ in range(3):  # best of three: the scan, not the machine's hiccups
        started = time.perf_counter()
        occurrences = matcher.find(text)
        scan_seconds = min(scan_seconds, time.perf_counter() - started)

    names = sum(occurrence.entry.kind is TermKind.NAME for occurrence in occurrences)
    rows = [
        ("entries", f"{len(entries):,}"),
        ("surface forms (automaton keys)", f"{matcher.form_count:,}"),
        ("text", f"{len(text):,} chars"),
        ("build matcher", f"{build_seconds:.3f} s"),
        ("scan text (best of 3)", f"{scan_seconds:.3f} s"),
        ("scan throughput", f"{len(text) / scan_seconds / 1e6:.2f} M chars/s"),
        ("occurrences found", f"{len(occurrences):,} ({names:,} names)"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
