"""Silent misses, false flags, insertions and added defects of term enforcement, per engine.

    python benchmarks/bench_silent_misses.py [--seeds 5] [--show N]
        [--engines adversarial,reference-test,reference-samples,scripted-samples]

adversarial: the adversarial engine logs, for every output, which English stands for which
Dutch term and what it holds right; the judge reads that log, not the glossary checker. Per
term occurrence: a silent miss is wrong English marked kept or repaired, a false flag is right
English marked missing. Per inserted name: whether `find_insertions` reports it. The "check
only" rows judge the checker alone on the engine's raw 1-best.

The other engines keep no such log, so an independent judge (`judge_terms.py`, no code shared
with the toolkit's checker) decides what is right: the reference model on the held-out test
split's paragraphs holding a term of glossary/software-nl-en.tsv, and the reference model and
the scripted engine on the samples (seeds/*.txt) with glossary/nl-en.tsv, each run through the
public `process()`. Per configuration: occurrences, silent misses, false flags (the toolkit's
exempt mentions are left out and listed), insertions the judge finds and how many the run
flagged, sentences where enforcement added a defect to the engine's 1-best, and how often the
checker alone agrees with the judge on the 1-best. `--show N` prints N disagreements each.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import judge_terms  # noqa: E402  (the benchmarks folder is no package)

ENGINES = (
    "adversarial",
    "reference-test",
    "reference-samples",
    "scripted-samples",
    "use-mention",
)
# use and mention of a former name (issue 21): (Dutch, an engine's English, whether that English
# is right). A mention names the old name as a name: its English needs an old name, and an
# engine that wrote today's name replaced it silently unless the run flags it. A use needs
# today's name. The truth is by construction, not by the checker.
USE_MENTION = [
    (
        "Nederland noemde het land tot voor kort Wit-Rusland.",
        "Until recently the Netherlands called the country Belarus.",
        False,
    ),
    (
        "Nederland noemde het land tot voor kort Wit-Rusland.",
        "Until recently the Netherlands called the country White Russia.",
        True,
    ),
    (
        "In Nederland sprak men tot voor kort van Wit-Rusland.",
        "Until recently people in the Netherlands spoke of Belarus.",
        False,
    ),
    (
        "Dat land werd tot 1991 Wit-Rusland genoemd.",
        "Until 1991 the country was called Belarus.",
        False,
    ),
    (
        "Dat land werd tot 1991 Wit-Rusland genoemd.",
        "Until 1991 the country was called Byelorussia.",
        True,
    ),
    (
        "De vroegere naam Wit-Rusland wordt niet meer gebruikt.",
        "The former name Belarus is no longer used.",
        False,
    ),
    ("Het land heette toen nog Wit-Rusland.", "The country was then still called Belarus.", False),
    (
        "De regering schrijft nu Belarus in plaats van Wit-Rusland.",
        "The government now writes Belarus instead of White Russia.",
        True,
    ),
    ("Men zegt soms 'Wit-Rusland'.", "People sometimes say 'White Russia'.", True),
    ("Wit-Rusland werd in 1991 onafhankelijk.", "Belarus became independent in 1991.", True),
    (
        "Loekasjenko regeert Wit-Rusland sinds 1994.",
        "Lukashenko has ruled Belarus since 1994.",
        True,
    ),
    ("Wit-Rusland grenst aan Polen.", "White Russia borders Poland.", False),
    (
        "Poetin bezocht Wit-Rusland, dat hij een broedervolk noemde.",
        "Putin visited Belarus, which he called a brother nation.",
        True,
    ),
]

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

    def run(documents, glossary, matcher, engine):  # noqa: ARG001  (the benchmark's run signature, kept for older toolkits)
        from toolkit.stages.process import process
        from toolkit.stages.settings import StageSettings

        process(documents, engine, StageSettings(glossary))

    return segment_text, run, "toolkit.stages.process.process"


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


def adversarial(args: argparse.Namespace) -> Counter[str]:  # noqa: C901  (to split: issue 25)
    """The adversarial engine judged by its own log; prints its table, returns the counts."""
    from toolkit.engines.adversarial import AdversarialEngine
    from toolkit.glossary.check import check_occurrences, find_insertions
    from toolkit.glossary.match import TermMatcher
    from toolkit.glossary.tsv import read_glossary

    segment_text, run, where = _imports()
    glossary = read_glossary(args.glossary)
    matcher = TermMatcher(glossary.entries)
    lines = TEXT.splitlines()
    counts: Counter[str] = Counter()
    judge = judge_terms.Judge(glossary.entries)
    by_pair = {(e.source, e.target): e for e in glossary.entries}
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
            verdicts = judge.verdicts(
                sentence.target,
                [
                    judge_terms.Occurrence(
                        by_pair[t.source_term, t.target_term], t.surface, t.exempt, t.start
                    )
                    for t in terms
                ],
                sentence.source,
            )
            for (unit, text), term, verdict in zip(units, terms, verdicts, strict=True):
                if verdict.status != "exempt" and not (
                    index in MENTION_SENTENCES and term.surface == "Wit-Rusland"
                ):
                    truth = text in _acceptable(unit)
                    counts["judge: occurrences"] += 1
                    agree = truth == (verdict.status == "right")
                    counts["judge: agrees with the log"] += agree
                    if not agree:
                        counts[
                            f"judge: {verdict.status} ({verdict.why or 'credited'}), log: "
                            f"{'right' if truth else 'wrong'} — {term.surface!r} as {text!r} in "
                            f"{sentence.target!r}"
                        ] += 1
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
    return counts


def _flagged_texts(sentence) -> list[str]:
    """The English of each `inserted` record the run left on the sentence: "'NATO' (Navo)"."""
    texts = []
    for record in sentence.inserted:
        try:
            texts.append(ast.literal_eval(record[: record.rindex(" (")]))
        except (ValueError, SyntaxError):
            texts.append(record)
    return texts


class Tally:
    """One configuration judged: counts, and the disagreements to show."""

    def __init__(self, name: str, detail: str) -> None:
        self.name, self.detail = name, detail
        self.counts: Counter[str] = Counter()
        self.cases: dict[str, list[str]] = {}
        self.seconds = 0.0

    def note(self, kind: str, text: str) -> None:
        self.cases.setdefault(kind, []).append(text)


def _show(sentence, term=None, verdict=None, extra: str = "") -> str:
    lines = []
    if term is not None and verdict is not None:
        need = verdict.need
        wants = sorted(need.forms)[:6] if need else []
        lines.append(
            f"{term.source_term} {term.surface!r}: toolkit {term.outcome.value}"
            f"{' (' + term.step + ')' if term.step else ''}; judge {verdict.status}"
            f"{' — ' + verdict.why if verdict.why else ''}"
            f"{f' ({need.category}: {wants})' if need else ''}"
        )
    if extra:
        lines.append(extra)
        outcomes = [
            f"{t.surface!r} {t.outcome.value}{' (' + t.step + ')' if t.step else ''}"
            for t in sentence.terms
        ]
        if outcomes:
            lines.append(f"terms: {', '.join(outcomes)}")
    lines.append(f"NL: {sentence.source}")
    if sentence.engine_target != sentence.target:
        lines.append(f"1-best: {sentence.engine_target}")
    lines.append(f"EN: {sentence.target}")
    return "\n      ".join(lines)


def judge_documents(tally: Tally, documents, glossary) -> Tally:  # noqa: C901  (to split: issue 25)
    """Compare the run's term outcomes and `inserted` flags with the independent judge."""
    from toolkit.document import TermOutcome
    from toolkit.glossary.check import check_occurrences
    from toolkit.glossary.match import Occurrence

    judge = judge_terms.Judge(glossary.entries)
    by_pair = {(e.source, e.target): e for e in glossary.entries}
    vocabulary = judge_terms.term_words(glossary.entries)
    counts = tally.counts
    met_outcomes = (TermOutcome.KEPT, TermOutcome.REPAIRED)
    for sentence in (s for d in documents for s in d.sentences):
        if not sentence.target:
            counts["sentences without English"] += 1
            continue
        counts["sentences"] += 1
        terms = sentence.terms
        entries = [by_pair[t.source_term, t.target_term] for t in terms]
        mine = [
            judge_terms.Occurrence(e, t.surface, t.exempt, t.start)
            for e, t in zip(entries, terms, strict=True)
        ]
        final = judge.verdicts(sentence.target, mine, sentence.source)
        raw = judge.verdicts(sentence.engine_target, mine, sentence.source)
        theirs = [
            Occurrence(e, t.surface, t.start, t.end, t.exempt)
            for e, t in zip(entries, terms, strict=True)
        ]
        checker = check_occurrences(sentence.engine_target, theirs, glossary.entries)
        # occurrences of one entry needing the same forms are interchangeable: compare counts
        groups: dict[tuple, list] = {}
        for term, verdict, before, check in zip(terms, final, raw, checker, strict=True):
            if term.outcome is TermOutcome.EXEMPT or verdict.status == "exempt":
                counts["exempt (left out)"] += 1
                tally.note("exempt", f"{term.surface!r}: {term.step or term.exempt}")
                continue
            counts["occurrences"] += 1
            counts["right after enforcement (judge)"] += verdict.status == "right"
            counts["right in the 1-best (judge)"] += before.status == "right"
            counts["flagged missing by the run"] += term.outcome is TermOutcome.MISSING
            key = (term.source_term, term.target_term, verdict.need.category)
            groups.setdefault(key, []).append((term, verdict, before, check))
        for members in groups.values():
            right = sum(v.status == "right" for _t, v, _b, _c in members)
            met = sum(t.outcome in met_outcomes for t, _v, _b, _c in members)
            if met > right:
                counts["silent misses"] += met - right
                wrong = [(t, v) for t, v, _b, _c in members if v.status != "right"]
                tally.note("silent miss", _show(sentence, *wrong[0]))
            elif any(t.outcome is TermOutcome.REPAIRED for t, _v, _b, _c in members):
                term, verdict = next(
                    (t, v) for t, v, _b, _c in members if t.outcome is TermOutcome.REPAIRED
                )
                tally.note("agreed right, repaired", _show(sentence, term, verdict))
            if any(v.status != "right" for _t, v, _b, _c in members) and met <= right:
                term, verdict = next((t, v) for t, v, _b, _c in members if v.status != "right")
                tally.note(
                    "agreed wrong (judge wrong, run missing)", _show(sentence, term, verdict)
                )
            if right > met:
                counts["false flags"] += right - met
                flagged = [(t, v) for t, v, _b, _c in members if t.outcome not in met_outcomes]
                term, verdict = flagged[0]
                tally.note("false flag", _show(sentence, term, verdict))
            raw_right = sum(b.status == "right" for _t, _v, b, _c in members)
            raw_met = sum(c.met for _t, _v, _b, c in members)
            counts["checker vs judge on the 1-best: disagreements"] += abs(raw_right - raw_met)
            if raw_right != raw_met:
                term, _v, before, check = members[0]
                tally.note(
                    "checker vs judge (1-best)",
                    _show(
                        sentence,
                        extra=f"{term.source_term} {term.surface!r}: checker "
                        f"{check.status}, judge {before.status} {before.why}",
                    ).replace("\n      EN: ", "\n      EN (final): "),
                )
        # insertions: the judge's glossary English with no occurrence behind it, and the run's
        flagged = Counter(text.casefold() for text in _flagged_texts(sentence))
        found = judge.uncredited(sentence.target, final, sentence.source)
        found.sort(key=lambda item: item[0] != "inserted")
        for kind, text, entry in found:
            counts[f"glossary English: {kind}"] += 1
            if flagged[text.casefold()] > 0:
                flagged[text.casefold()] -= 1
                counts[f"glossary English: {kind}, flagged inserted"] += 1
                tally.note(
                    "insertion, flagged"
                    if kind == "inserted"
                    else f"flagged inserted, judge: {kind}",
                    _show(sentence, extra=f"{text!r} ({entry.source})"),
                )
            elif kind == "inserted":
                tally.note(
                    "insertion not flagged", _show(sentence, extra=f"{text!r} ({entry.source})")
                )
        for text, left in (+flagged).items():
            counts["inserted flags with no glossary span the judge credits to nothing"] += left
            tally.note("inserted flag the judge does not find", _show(sentence, extra=repr(text)))
        # defects enforcement added to the engine's own 1-best
        if sentence.target != sentence.engine_target:
            counts["sentences changed by enforcement"] += 1
            words = vocabulary | judge_terms.term_words([], [t.surface for t in terms])
            added = judge_terms.added_defects(
                sentence.engine_target, sentence.target, words, sentence.source
            )
            if added:
                counts["sentences with a defect added by enforcement"] += 1
                tally.note("defect added", _show(sentence, extra="; ".join(added)))
    return tally


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.2%}" if whole else "—"


def print_tally(tally: Tally, show: int) -> None:
    c = tally.counts
    n = c["occurrences"]
    print(f"{tally.detail}; {c['sentences']} sentences; {tally.seconds:.0f} s\n")
    print("| measure | count | share |")
    print("| --- | --- | --- |")
    rows = [
        ("term occurrences (not exempt)", n, ""),
        ("exempt mentions (left out, listed below)", c["exempt (left out)"], ""),
        ("right in the engine's 1-best (judge)", c["right in the 1-best (judge)"], None),
        ("right after enforcement (judge)", c["right after enforcement (judge)"], None),
        ("flagged missing by the run", c["flagged missing by the run"], None),
        (
            "silent misses (judge: wrong; run: kept/repaired)",
            c["silent misses"],
            f"{_share(c['silent misses'], n)} (target ≤ 0.5%)",
        ),
        (
            "false flags (judge: right; run: missing)",
            c["false flags"],
            f"{_share(c['false flags'], n)} (target ≤ 0.5%)",
        ),
        ("insertions the judge finds", c["glossary English: inserted"], ""),
        (
            "… flagged `inserted:` by the run",
            c["glossary English: inserted, flagged inserted"],
            _share(
                c["glossary English: inserted, flagged inserted"], c["glossary English: inserted"]
            )
            + " (target 100%)",
        ),
        (
            "glossary English repeated or in a wrong form (its entry is in the sentence)",
            c["glossary English: extra"],
            f"{c['glossary English: extra, flagged inserted']} flagged",
        ),
        (
            "glossary English for a Dutch compound (Bestandsnaam → File name)",
            c["glossary English: compound"],
            f"{c['glossary English: compound, flagged inserted']} flagged",
        ),
        (
            "glossary English written so in the Dutch",
            c["glossary English: quoted"],
            f"{c['glossary English: quoted, flagged inserted']} flagged",
        ),
        (
            "`inserted:` flags the judge finds no uncredited span for",
            c["inserted flags with no glossary span the judge credits to nothing"],
            "",
        ),
        ("sentences changed by enforcement", c["sentences changed by enforcement"], ""),
        (
            "sentences where enforcement added a defect",
            c["sentences with a defect added by enforcement"],
            f"of {c['sentences']} (target 0)",
        ),
        (
            "checker alone vs judge on the 1-best: agree",
            n - c["checker vs judge on the 1-best: disagreements"],
            _share(n - c["checker vs judge on the 1-best: disagreements"], n),
        ),
    ]
    for label, count, share in rows:
        print(f"| {label} | {count} | {_share(count, n) if share is None else share} |")
    kinds = ["silent miss", "false flag", "insertion not flagged", "defect added"]
    kinds += ["inserted flag the judge does not find", "checker vs judge (1-best)"]
    kinds += ["agreed wrong (judge wrong, run missing)", "agreed right, repaired"]
    kinds += ["insertion, flagged"]
    kinds += sorted(k for k in tally.cases if k.startswith("flagged inserted, judge"))
    for kind in kinds:
        cases = tally.cases.get(kind, [])
        limit = (
            len(cases) if kind in ("silent miss", "insertion not flagged", "defect added") else show
        )
        if cases and limit:
            print(
                f"\n{kind} ({len(cases)}{', first ' + str(limit) if limit < len(cases) else ''}):"
            )
            for case in cases[:limit]:
                print(f"  - {case}")
    exempt = Counter(tally.cases.get("exempt", []))
    if exempt:
        print("\nexempt mentions: " + "; ".join(f"{k} ×{v}" for k, v in exempt.items()))
    print()


def reference_engine(package: Path, scratch: str):
    from toolkit.engines.argos import ArgosEngine
    from toolkit.engines.base import EngineSettings

    with zipfile.ZipFile(package) as archive:
        archive.extractall(scratch)
    engine = ArgosEngine(EngineSettings(models_dir=scratch, beam_size=4))
    engine.translate(["Opslaan"])  # load the model outside the timings
    return engine


def test_documents(data: Path, glossary):
    """One document per held-out test paragraph whose Dutch holds a glossary term."""
    from toolkit.glossary.match import TermMatcher
    from toolkit.segment import segment_text

    matcher = TermMatcher(glossary.entries)
    rows = [json.loads(line) for line in (data / "test.jsonl").open(encoding="utf-8")]
    return [segment_text(r["nl"], f"t{i}") for i, r in enumerate(rows) if matcher.find(r["nl"])]


def sample_documents():
    from toolkit.segment import read_document

    return [read_document(path) for path in sorted((REPO / "seeds").glob("*.txt"))]


def run_real(name: str, args: argparse.Namespace, engines: dict, scratch: str) -> Tally:
    from toolkit.engines.scripted import ScriptedEngine
    from toolkit.glossary.tsv import read_glossary
    from toolkit.stages.process import process
    from toolkit.stages.settings import StageSettings

    glossary_path = args.software_glossary if name == "reference-test" else args.samples_glossary
    glossary = read_glossary(glossary_path)
    if name.startswith("reference"):
        if "reference" not in engines:
            engines["reference"] = reference_engine(args.package, scratch)
        engine = engines["reference"]
        engine_name = f"reference model {args.package.name} (beam 4)"
    else:
        engine, engine_name = ScriptedEngine(), "scripted engine"
    if name == "reference-test":
        documents = test_documents(args.data, glossary)
        what = f"{len(documents)} test paragraphs holding a term"
    else:
        documents = sample_documents()
        what = "the samples seeds/*.txt"
    tally = Tally(
        name,
        f"{engine_name}; glossary {glossary_path.name}; {what}",
    )
    started = time.perf_counter()
    process(documents, engine, StageSettings(glossary))  # the stages `toolkit translate` runs
    tally.seconds = time.perf_counter() - started
    return judge_documents(tally, documents, glossary)


def use_mention(args: argparse.Namespace) -> Counter[str]:
    """The USE_MENTION cases through `process()` with an engine that writes the given English:
    per case, whether the final English is right (an old name for a mention, Belarus for a
    use) and whether the run flagged it. Silent: wrong and not flagged; false flag: right as
    the engine wrote it and flagged anyway."""
    from toolkit.engines.base import Hypothesis, Translation
    from toolkit.glossary.tsv import read_glossary
    from toolkit.segment import segment_text
    from toolkit.stages.process import process
    from toolkit.stages.settings import StageSettings

    class Fixed:
        name = "fixed"

        def __init__(self, english: str) -> None:
            self.english = english

        def describe(self) -> str:
            return "fixed English"

        def translate(self, sources, num_hypotheses=1):  # noqa: ARG002  (the Engine protocol)
            return [Translation((Hypothesis(self.english, -1.0),)) for _ in sources]

    glossary = read_glossary(args.samples_glossary)
    old_names = ("White Russia", "Byelorussia", "Belorussia", "Wit-Rusland")
    counts: Counter[str] = Counter()
    for dutch, english, right in USE_MENTION:
        document = segment_text(dutch, "case")
        process([document], Fixed(english), StageSettings(glossary))
        [paragraph] = document.paragraphs
        mention = any(t.exempt for t in paragraph.terms if t.surface == "Wit-Rusland")
        final = paragraph.target
        now_right = (
            any(n in final for n in old_names) if mention else "Belarus" in final
        ) and "Belarus instead of Belarus" not in final
        flagged = any("Wit-Rusland" in f for f in paragraph.flags)
        counts["occurrences"] += 1
        counts["mentions"] += mention
        counts["right as written"] += right
        counts["silent misses"] += not now_right and not flagged
        counts["false flags"] += right and flagged
        if not now_right and not flagged or right and flagged:
            print(f"  use/mention: {dutch!r} -> {final!r}; flags {paragraph.flags}")
    return counts


def main(argv: list[str] | None = None) -> None:  # noqa: C901  (to split: issue 25)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument(
        "--glossary",
        type=Path,
        default=REPO / "glossary" / "nl-en.tsv",
        help="the adversarial engine's glossary",
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help=f"comma-separated, of {', '.join(ENGINES)} (default all)",
    )
    parser.add_argument(
        "--show",
        type=int,
        default=0,
        help="disagreements to print per kind (silent misses, unflagged "
        "insertions and added defects are always printed)",
    )
    parser.add_argument(
        "--package", type=Path, default=REPO / "toolkit/data/translate-nl_en-reference.argosmodel"
    )
    parser.add_argument("--data", type=Path, default=REPO / "refmodel/data")
    parser.add_argument(
        "--software-glossary", type=Path, default=REPO / "glossary/software-nl-en.tsv"
    )
    parser.add_argument("--samples-glossary", type=Path, default=REPO / "glossary/nl-en.tsv")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.engines.split(",") if name.strip()]
    unknown = sorted(set(chosen) - set(ENGINES))
    if unknown:
        parser.error(f"unknown engines {unknown}; known: {', '.join(ENGINES)}")
    several = len(chosen) > 1
    summary = []
    if "adversarial" in chosen:
        if several:
            print("## adversarial engine (truth: the engine's own log)\n")
        counts = adversarial(args)
        n = counts["occurrences"]
        summary.append(
            (
                f"adversarial, {args.seeds} seeds (its log)",
                n,
                counts["silent misses"],
                counts["false flags"],
                counts["insertions"],
                counts["insertions flagged by the run"],
                counts["defects added by enforcement"],
                counts["sentences"],
                counts["check only: occurrences"]
                - counts["check only: silent misses"]
                - counts["check only: false flags"],
                counts["check only: occurrences"],
            )
        )
        if several:
            print(
                f"\nindependent judge vs the engine's log on the final English: agree "
                f"{counts['judge: agrees with the log']} of {counts['judge: occurrences']}"
            )
            for key, value in sorted(counts.items()):
                if key.startswith("judge: ") and "log: " in key:
                    print(f"  {key.removeprefix('judge: ')}: {value}")
            print()
    engines: dict = {}
    with tempfile.TemporaryDirectory(prefix="silent-misses-") as scratch:
        for name in (n for n in ENGINES[1:-1] if n in chosen):
            if several:
                print(f"## {name} (truth: the independent judge)\n")
            tally = run_real(name, args, engines, scratch)
            print_tally(tally, args.show)
            c = tally.counts
            n = c["occurrences"]
            summary.append(
                (
                    name,
                    n,
                    c["silent misses"],
                    c["false flags"],
                    c["glossary English: inserted"],
                    c["glossary English: inserted, flagged inserted"],
                    c["sentences with a defect added by enforcement"],
                    c["sentences"],
                    n - c["checker vs judge on the 1-best: disagreements"],
                    n,
                )
            )
    if "use-mention" in chosen:
        if several:
            print("## use-mention (truth: by construction)\n")
        c = use_mention(args)
        n = c["occurrences"]
        print(
            f"{n} cases ({c['mentions']} found as mentions), {c['right as written']} right as "
            f"the engine wrote them; silent misses {c['silent misses']}, false flags "
            f"{c['false flags']}\n"
        )
        summary.append(("use-mention", n, c["silent misses"], c["false flags"], 0, 0, 0, n, n, n))
    if several:
        print("## per engine\n")
        print(
            "| engine | occurrences | silent misses | false flags | insertions flagged "
            "| sentences with a defect added | checker alone agrees (1-best) |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for name, n, silent, false, inserted, flagged, added, sentences, agree, base in summary:
            print(
                f"| {name} | {n} | {silent} ({_share(silent, n)}) | {false} ({_share(false, n)}) "
                f"| {flagged} of {inserted} | {added} of {sentences} "
                f"| {agree} of {base} |"
            )


if __name__ == "__main__":
    main()
