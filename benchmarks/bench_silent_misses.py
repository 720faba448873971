"""Silent misses, false flags and insertions of term enforcement, judged against an engine's truth.

    python benchmarks/bench_silent_misses.py [--seeds 5]

The adversarial engine logs, for every output, which English stands for which Dutch term and
what it holds right; the judge reads that log, not the glossary checker. Per term occurrence:
a silent miss is wrong English marked kept or repaired, a false flag is right English marked
missing. Per inserted name: whether `find_insertions` reports it. The "check only" rows judge
the checker alone on the engine's raw 1-best.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# Dutch in the samples' domain, written for this benchmark: genitives, plurals, diminutives,
# collective nouns, shared English, addresses, quoted former names.
TEXT = """\
Poetins bezoek aan Minsk duurde twee dagen.
Loekasjenko's leger oefent met Russische troepen.
Belarus' president sprak in het Kremlin met Poetin.
Ruslands buitenlanddoctrine noemt de Verenigde Staten de kwade genius.
De inlijving van de Krim en de annexatie van Belarus zijn twee stappen.
Rusland wil Belarus uiteindelijk annexeren.
De Russische invasiemacht trok vanuit Belarus richting Kiev.
Belarus werd uitvalsbasis voor de Russische invasiemacht.
Twee invasiemachten stonden aan de grens met Oekraïne.
Belarus is een vazalstaat van Moskou.
Kazachstan en Armenië zijn geen vazalstaten.
Het vazalstaatje heeft geen eigen leger.
Rusland gaat in Belarus ook kernwapens stationeren.
Het eerste kernwapen staat in Belarus.
Zie https://nos.nl/artikel/navo-kernwapens-analyse voor de analyse.
Het rapport staat op www.navo.int/kernwapens en is gratis.
Mail vragen naar info@kremlin.ru of lees rapport-kernwapens.pdf.
Het land heette vroeger Wit-Rusland.
De vroegere naam Wit-Rusland hoort bij de Sovjet-Unie.
Velen zeggen nog steeds 'Wit-Rusland' als ze Belarus bedoelen.
Aleksandr Loekasjenko en Poetin spraken over de Uniestaat.
De Russische defensieminister Sergej Sjojgoe bezocht Minsk.
Sjojgoe's woorden waren duidelijk voor de Navo.
De Navo ziet Kaliningrad als Russische enclave.
SU-25 jachtvliegtuigen vlogen boven het oefenterrein.
Iskander-M raketten staan op een lanceerbasis in Belarus.
Moskous plan voor een multipolaire wereld is oud.
China en Rusland willen de wereldorde verbouwen.
Het Westen kijkt naar Kiev en Zelensky.
De Euraziatische Unie groeit niet.
Het Grotere Euraziatische Partnerschap is een plan van Poetin.
Duitslands regering zwijgt over de denazificatie van Oekraïne.
Europa's leiders vrezen dat Europeanen in opstand komen.
De meeste Europese staten steunen Oekraïense doelen.
Amerikaanse kernwapens staan in West-Europa.
De VS en de Navo steunen Oekraïne.
Kirgizië en Kazachstan zijn lid van de Euraziatische Unie.
Loekasjenko's regering wil de strijdkrachten van beide landen integreren.
Poetins doel is de annexatie van Belarus en de inlijving van Oekraïne.
Het Euraziatische idee leeft in het Kremlin en in Minsk.
"""
MENTION_SENTENCES = {17, 18, 19}  # 0-based lines quoting the former name Wit-Rusland


def _imports():
    from toolkit.segment import segment_text

    def run(documents, glossary, matcher, engine):
        from toolkit.pipeline.stages import process

        process(documents, engine, glossary=glossary, matcher=matcher)

    return segment_text, run, "toolkit.pipeline.stages.process"


def _acceptable(unit) -> set[str]:
    right = unit.right
    forms = {right, right.replace("'s", "’s")}
    forms |= {f[:1].upper() + f[1:] for f in forms}  # a sentence may open with it
    if unit.entry_source.lower().endswith(("macht", "strijdkrachten")) and not right.endswith("s"):
        forms.add(right + "s")  # invasion forces: English idiom for the Dutch collective
    if right.startswith("little "):
        forms.add(right.removeprefix("little ").replace("state", "statelet"))
    return forms


def _units_of(final: str, engine, history: list[str]):
    """The engine's term units as they stand in `final`, carried through any post-edit."""
    if final in engine.units:
        return [(u, final[u.start : u.end]) for u in engine.units[final]]
    origin = max(history, key=lambda h: difflib.SequenceMatcher(None, h, final).ratio())
    matcher = difflib.SequenceMatcher(None, origin, final, autojunk=False)
    opcodes = matcher.get_opcodes()

    def mapped(position: int, edge: str) -> int:
        for tag, i1, i2, j1, j2 in opcodes:
            if i1 <= position < i2 or (edge == "end" and i1 < position <= i2):
                if tag == "equal":
                    return j1 + (position - i1)
                return j1 if edge == "start" else j2
        return len(final)

    return [
        (u, final[mapped(u.start, "start") : mapped(u.end, "end")].strip(" ,.;:"))
        for u in engine.units[origin]
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--glossary", type=Path, default=REPO / "glossary" / "nl-en.tsv")
    args = parser.parse_args()

    from toolkit.engines.adversarial import AdversarialEngine
    from toolkit.glossary.check import check_occurrences, find_insertions
    from toolkit.glossary.match import TermMatcher
    from toolkit.glossary.tsv import read_glossary

    segment_text, run, where = _imports()
    glossary = read_glossary(args.glossary)
    matcher = TermMatcher(glossary.entries)
    lines = TEXT.splitlines()
    counts: Counter[str] = Counter()
    for seed in range(args.seeds):
        engine = AdversarialEngine(seed=seed, entries=glossary.entries)
        documents = [segment_text("\n\n".join(lines), f"seed{seed}")]
        raw: dict[int, str] = {}
        original_translate = engine.translate

        run(documents, glossary, matcher, engine)
        for index, (paragraph, line) in enumerate(zip(documents[0].paragraphs, lines, strict=True)):
            [sentence] = paragraph.sentences
            first = original_translate([line], 1)[0].text
            raw[index] = first
            history = [first, *(a[0] if isinstance(a, tuple) else a for a in sentence.alternatives)]
            history += [h for h in engine.units if h not in history]
            units = [
                (u, text)
                for u, text in _units_of(sentence.target, engine, history)
                if u.origin != "inserted"
            ]
            inserted = [
                (u, text)
                for u, text in _units_of(sentence.target, engine, history)
                if u.origin == "inserted"
            ]
            from toolkit.glossary.check import grammar_defects

            counts["sentences"] += 1
            counts["defects added by enforcement"] += len(grammar_defects(sentence.target)) > len(
                grammar_defects(sentence.engine_target)
            )
            terms = sentence.terms
            if len(units) != len(terms):
                counts["occurrences not aligned"] += len(terms)
                continue
            for (unit, text), term in zip(units, terms, strict=True):
                counts["occurrences"] += 1
                outcome = term.outcome.value
                if index in MENTION_SENTENCES and term.surface == "Wit-Rusland":
                    counts["mentions"] += 1
                    counts["mentions forced or flagged"] += outcome not in ("kept", "exempt")
                    continue
                right = text in _acceptable(unit)
                if not right and outcome in ("kept", "repaired"):
                    counts["silent misses"] += 1
                    counts[f"silent miss: {unit.entry_source} {text!r} in {sentence.target!r}"] += 1
                if right and outcome == "missing":
                    counts["false flags"] += 1
            occurrences = matcher.find(line)
            found = find_insertions(occurrences, sentence.target, glossary, source=line)
            for _unit, text in inserted:
                if text:
                    counts["insertions"] += 1
                    counts["insertions found"] += any(i.text == text for i in found)
                    # what the run itself reported, as the reviewer sees it
                    counts["insertions flagged by the run"] += any(
                        text in flag for flag in paragraph.flags if flag.startswith("inserted:")
                    )
            # the checker alone, on the raw 1-best
            raw_units = [u for u in engine.units[first] if u.origin != "inserted"]
            checks = check_occurrences(first, occurrences, glossary.entries)
            if len(raw_units) == len(checks):
                for unit, check in zip(raw_units, checks, strict=True):
                    if check.status == "exempt":
                        continue
                    counts["check only: occurrences"] += 1
                    right = first[unit.start : unit.end] in _acceptable(unit)
                    counts["check only: silent misses"] += (not right) and check.met
                    counts["check only: false flags"] += right and not check.met
    total = counts["occurrences"] or 1
    print(
        f"enforcement: {where}; glossary {args.glossary.name}; {len(lines)} sentences, "
        f"seeds 0..{args.seeds - 1}"
    )
    print()
    print("| measure | count | share |")
    print("| --- | --- | --- |")
    for key in (
        "occurrences",
        "silent misses",
        "false flags",
        "mentions",
        "mentions forced or flagged",
        "insertions flagged by the run",
        "sentences",
        "defects added by enforcement",
        "insertions",
        "insertions found",
        "occurrences not aligned",
        "check only: occurrences",
        "check only: silent misses",
        "check only: false flags",
    ):
        base = counts["check only: occurrences"] if key.startswith("check only") else total
        share = f"{counts[key] / base:.2%}" if base and "occurrences" not in key else ""
        print(f"| {key} | {counts[key]} | {share} |")
    for key, value in sorted(counts.items()):
        if key.startswith("silent miss: "):
            print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
