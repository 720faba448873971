"""Term accuracy before and after enforcement (WMT 2021 terminology task, exact match).

    python benchmarks/bench_terms.py [--engine scripted|argos] [FILES...]

An occurrence is correct when an allowed English form (in the right number)
appears as whole words in the output, each output position used once;
accuracy = correct / all occurrences. "Before" is the engine's own 1-best,
"after" is the output of the enforcement cascade. Also counted: paragraphs
flagged, silent misses (wrong and not flagged: must be 0) and insertions
(a glossary rendering in a sentence whose source has no such term: must be 0).
With --engine argos a seeded (untrained) Argos model is built and used: its
output is gibberish, so the point there is that every miss is flagged.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _engine(name: str, scratch: Path):
    from toolkit.engines.base import EngineSettings

    if name == "scripted":
        from toolkit.engines.scripted import ScriptedEngine

        return ScriptedEngine()
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[variable] = str(scratch / variable)
    from toolkit.engines.argos import ArgosEngine, install_from_file

    sys.path.insert(0, str(REPO / "tests" / "support"))  # test support: not in the package
    from seeded_model import build_argos_package

    text = "\n".join(p.read_text("utf-8") for p in sorted((REPO / "seeds").glob("*.txt")))
    package = build_argos_package(scratch / "seeded.argosmodel", text)
    install_from_file(package, str(scratch / "models"))
    settings = EngineSettings(models_dir=str(scratch / "models"), max_decoding_length=48)
    return ArgosEngine(settings)


def _insertions(sentence, raw: str, glossary, by_source) -> list[str]:
    """Glossary renderings enforcement added that no source term of the sentence accounts for.

    A rendering inside the span of a present term's form (Lukashenko inside
    Alexander Lukashenko, annexation for inlijving and annexatie) is accounted for.
    """
    from toolkit.glossary.check import english_plural, find_forms

    present = {by_source[t.source_term] for t in sentence.terms}
    own_forms = {f for e in present for f in e.allowed_targets}
    own_forms |= {english_plural(f) for f in own_forms}
    covered = find_forms(sentence.target, own_forms, False)
    found = []
    for entry in glossary.entries:
        if entry in present:
            continue
        new = [
            span
            for span in find_forms(sentence.target, entry.allowed_targets, False)
            if not any(a <= span[0] and span[1] <= b for a, b in covered)
        ]
        if len(new) > len(find_forms(raw, entry.allowed_targets, False)):
            found.append(entry.source)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--engine", default="scripted", choices=("scripted", "argos"))
    parser.add_argument("--glossary", type=Path, default=REPO / "glossary" / "nl-en.tsv")
    args = parser.parse_args()
    files = args.files or sorted((REPO / "seeds").glob("*.txt"))

    from toolkit.glossary.check import check_terms, term_accuracy
    from toolkit.glossary.tsv import read_glossary
    from toolkit.segment import read_document
    from toolkit.stages.process import process
    from toolkit.stages.settings import StageSettings

    with tempfile.TemporaryDirectory() as scratch:
        engine = _engine(args.engine, Path(scratch))
        glossary = read_glossary(args.glossary)
        by_source = {e.source: e for e in glossary.entries}
        documents = [read_document(path) for path in files]
        engine.describe()  # load the model outside the timed stages
        started = time.perf_counter()
        # the same stages as `toolkit translate`
        process(documents, engine, StageSettings(glossary))
        stage_seconds = time.perf_counter() - started
        sentences = [s for d in documents for s in d.sentences]
        before = [s.engine_target for s in sentences]  # the engine's own 1-best

    def occurrences(sentence):
        return [(by_source[t.source_term], t.surface) for t in sentence.terms]

    correct_before, total = term_accuracy(
        (target, occurrences(s)) for target, s in zip(before, sentences, strict=True)
    )
    correct_after, _ = term_accuracy((s.target, occurrences(s)) for s in sentences)
    outcomes = Counter(t.outcome.value for s in sentences for t in s.terms)
    steps = Counter(t.step for s in sentences for t in s.terms if t.step)
    flagged = sum(bool(p.flags) for d in documents for p in d.paragraphs)
    silent = 0
    for sentence in sentences:
        flagged_sentence = any(t.outcome.value == "missing" for t in sentence.terms)
        unmet = [c for c in check_terms(sentence.target, occurrences(sentence)) if not c.met]
        silent += bool(unmet) and not flagged_sentence
    inserted = 0
    for sentence, raw in zip(sentences, before, strict=True):
        inserted += len(_insertions(sentence, raw, glossary, by_source))
    print(
        f"engine: {engine.describe()}; glossary: {args.glossary.name} "
        f"({len(glossary.entries)} entries); {len(files)} files, {len(sentences)} sentences"
    )
    print()
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| term occurrences | {total} |")
    print(
        f"| term accuracy before enforcement | {correct_before / total:.1%} "
        f"({correct_before}/{total}) |"
    )
    print(
        f"| term accuracy after enforcement | {correct_after / total:.1%} "
        f"({correct_after}/{total}) |"
    )
    print(f"| outcomes | {', '.join(f'{k} {v}' for k, v in sorted(outcomes.items()))} |")
    print(f"| repaired by step | {', '.join(f'{k} {v}' for k, v in sorted(steps.items()))} |")
    print(f"| paragraphs flagged | {flagged} |")
    print(f"| silent misses (wrong, not flagged) | {silent} |")
    print(f"| terms inserted where the source has none | {inserted} |")
    print(f"| stages time (match, translate, enforce, assemble) | {stage_seconds:.2f} s |")


if __name__ == "__main__":
    main()
