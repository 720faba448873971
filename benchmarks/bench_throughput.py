"""Throughput of argostranslate per paragraph, `toolkit translate`, and bare CTranslate2.

All three decode the same sentences with the same Argos-size seeded model, beam and decoding
cap; each run is its own process, timed from outside (interpreter start, imports, model load,
work, exit), at least 3 times, round-robin, with the load average before each run. Each method
runs in one shared thread layout and at its own best. Also: the cost of glossary enforcement
per step subset, a cProfile of the toolkit's run, and start-up times. `--quick` takes under 5
minutes. Run as `python benchmarks/bench_throughput.py --help`.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import json
import os
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))  # runnable from a checkout without installing the package

PARAGRAPHS_PER_DOCUMENT = 12
INTRA_THREADS = 2  # argostranslate's settings until a method sets its own
INTER_THREADS = 1
BARE_BATCH_SIZE = 64  # sentences per CTranslate2 batch in the shared layout
LENGTH_PENALTY = 0.2  # argostranslate's value, used by all three
MODEL_SEED = 1234
ALL_STEPS = "all"  # --steps: every enforcement step, the Enforcer as shipped
STARTUP_RUNS = 5
STARTUP_TARGET_SECONDS = 0.5
HEAVY_MODULES = ("torch", "stanza", "argostranslate", "ctranslate2", "spacy", "minisbd")


# --- isolation --------------------------------------------------------------------------------


def isolate(root: Path, beam: int) -> None:
    """Point argostranslate's folders and settings at `root`; must run before it is imported."""
    folders = {
        "XDG_DATA_HOME": root / "data",
        "XDG_CONFIG_HOME": root / "config",
        "XDG_CACHE_HOME": root / "cache",
        "ARGOS_PACKAGES_DIR": root / "packages",
    }
    for variable, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[variable] = str(folder)
    os.environ["TOOLKIT_MODELS_DIR"] = str(folders["ARGOS_PACKAGES_DIR"])
    # argostranslate reads these once, when argostranslate.settings is imported.
    os.environ.update(
        ARGOS_BEAM_SIZE=str(beam),
        ARGOS_INTRA_THREADS=str(INTRA_THREADS),
        ARGOS_INTER_THREADS=str(INTER_THREADS),
        ARGOS_DEVICE_TYPE="cpu",
        ARGOS_COMPUTE_TYPE="auto",
        ARGOS_DEBUG="0",
    )
    os.environ.pop("ARGOS_BATCH_SIZE", None)  # keep argostranslate's default: 32 tokens


# --- corpus -----------------------------------------------------------------------------------


def sample_paragraphs() -> list[str]:
    """The paragraphs of the two sample articles, as the toolkit segments them (no date prefix)."""
    from toolkit.segment import segment_text

    paragraphs = []
    for path in sorted((REPO / "seeds").glob("*.txt")):
        document = segment_text(path.read_text(encoding="utf-8"), name=path.stem)
        paragraphs += [p.source for p in document.paragraphs]
    return paragraphs


def sentence_spans(paragraph: str) -> list[tuple[int, int]]:
    """The toolkit's own sentence spans for one paragraph (a heading is one sentence)."""
    from toolkit.segment import is_heading
    from toolkit.sentences import split_sentences

    return [(0, len(paragraph))] if is_heading(paragraph) else split_sentences(paragraph)


def vary(paragraph: str, serial: int) -> tuple[str, int]:
    """The paragraph with a distinct number after the first word of each sentence.

    Every sentence of the corpus becomes unique, so neither the toolkit's dedup of identical
    sources nor any cache can skip decoding work. Returns the text and the next serial.
    """
    pieces, cursor = [], 0
    for start, end in sentence_spans(paragraph):
        sentence = paragraph[start:end]
        first, space, rest = sentence.partition(" ")
        if space:
            varied = f"{first} {serial} {rest}"
        else:  # "Terecht." → "Terecht 7.": a number after the full stop would be a sentence
            word = re.match(r"(.*?\w)(\W*)$", sentence)
            varied = f"{word[1]} {serial}{word[2]}" if word else f"{sentence} {serial}"
        pieces += [paragraph[cursor:start], varied]
        serial += 1
        cursor = end
    pieces.append(paragraph[cursor:])
    varied_paragraph = "".join(pieces)
    if len(sentence_spans(varied_paragraph)) != len(sentence_spans(paragraph)):
        raise AssertionError(f"varying changed the sentences of {paragraph[:60]!r}")
    return varied_paragraph, serial


REAL_TEXT = ("refmodel/data/test.jsonl", "refmodel/data/dev.jsonl")
REAL_SENTENCES_PER_PARAGRAPH = 3


def real_paragraphs() -> list[str]:
    """Real Dutch software documentation: the reference model's test and dev splits
    (LibreOffice help and UI, Debian catalogs; rows in corpus order), as paragraphs.

    Consecutive rows of one source document are joined, up to three to a paragraph; a row
    that reads as a heading (a UI label: short, no closing punctuation) stands alone, as it
    would in the document. A row that repeats an earlier one is dropped, and so is a
    paragraph that `vary` would segment differently (a few, where a number after the first
    word makes a sentence end), so that every pass over the corpus has the same paragraphs.
    """
    from toolkit.segment import is_heading

    seen: set[str] = set()
    paragraphs: list[str] = []
    open_rows: list[str] = []
    open_doc = None
    for name in REAL_TEXT:
        for line in (REPO / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            text = " ".join(row["nl"].split())
            if not text or text in seen:
                continue
            seen.add(text)
            heading = is_heading(text)
            if open_rows and (
                heading or row["doc"] != open_doc or len(open_rows) == REAL_SENTENCES_PER_PARAGRAPH
            ):
                paragraphs.append(" ".join(open_rows))
                open_rows = []
            if heading:
                paragraphs.append(text)
            else:
                open_rows.append(text)
                open_doc = row["doc"]
    if open_rows:
        paragraphs.append(" ".join(open_rows))
    return [p for p in paragraphs if _can_vary(p)]


def _can_vary(paragraph: str) -> bool:
    try:
        vary(paragraph, 1_000_000)
    except AssertionError:
        return False
    return True


def build_corpus(
    folder: Path, count: int, samples: list[str], vary_first: bool = True
) -> dict[str, int]:
    """Write `count` paragraphs as .txt documents of 12 paragraphs each.

    The samples repeat from the start when `count` is larger. Every paragraph is varied
    (`vary`), or with `vary_first=False` only those that repeat a sentence already written
    (a pass after the first, or "Klik op OK." twice in real text), so that no sentence
    repeats and neither dedup nor a cache skips decoding work.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs, serial, seen = [], 1, set()
    for index in range(count):
        sample = samples[index % len(samples)]
        own = [sample[s:e] for s, e in sentence_spans(sample)]
        if (
            vary_first
            or index >= len(samples)
            or seen.intersection(own)
            or len(set(own)) < len(own)
        ):
            text, serial = vary(sample, serial)
        else:
            text = sample
            seen.update(own)
        paragraphs.append(text)
    sentences = [p[s:e] for p in paragraphs for s, e in sentence_spans(p)]
    for begin in range(0, count, PARAGRAPHS_PER_DOCUMENT):
        chunk = paragraphs[begin : begin + PARAGRAPHS_PER_DOCUMENT]
        name = f"doc-{begin // PARAGRAPHS_PER_DOCUMENT:04d}.txt"
        (folder / name).write_text("\n\n".join(chunk) + "\n", encoding="utf-8")
    return {
        "paragraphs": count,
        "documents": -(-count // PARAGRAPHS_PER_DOCUMENT),
        "sentences": len(sentences),
        "distinct_sentences": len(set(sentences)),
    }


# --- workers (one subprocess per run) ---------------------------------------------------------


class CountingTranslator:
    """A ctranslate2.Translator proxy that records decoding and scoring work.

    argostranslate never passes max_decoding_length; with `cap_missing` the proxy adds it, so
    argostranslate decodes as many steps as the others (random weights never emit </s>).
    """

    def __init__(self, translator: Any, cap: int, cap_missing: bool) -> None:
        self._translator = translator
        self._cap, self._cap_missing = cap, cap_missing
        self.output_tokens = 0
        self.kinds: dict[str, list[float]] = {}  # options → [calls, sentences, seconds]

    def _count(self, kind: str, sentences: int, seconds: float) -> None:
        totals = self.kinds.setdefault(kind, [0, 0, 0.0])
        totals[0] += 1
        totals[1] += sentences
        totals[2] += seconds

    def translate_batch(self, source: list[list[str]], **options: Any) -> Any:
        if self._cap_missing:
            options.setdefault("max_decoding_length", self._cap)
        shown = ("beam_size", "num_hypotheses", "max_decoding_length", "max_batch_size")
        kind = "translate_batch " + ", ".join(f"{k}={options.get(k)}" for k in shown)
        kind += f", batch_type={options.get('batch_type', 'examples')}"
        kind += ", suppress_sequences" if options.get("suppress_sequences") else ""
        kind += ", target_prefix" if options.get("target_prefix") else ""
        kind += ", asynchronous" if options.get("asynchronous") else ""
        started = time.perf_counter()
        results = self._translator.translate_batch(source, **options)
        if options.get("asynchronous"):
            return _CountedFutures(self, kind, started, results).futures
        self._count(kind, len(source), time.perf_counter() - started)
        self.output_tokens += sum(len(r.hypotheses[0]) for r in results)
        return results

    def score_batch(self, source: list[list[str]], target: list[list[str]], **options: Any) -> Any:
        started = time.perf_counter()
        results = self._translator.score_batch(source, target, **options)
        kind = f"score_batch max_batch_size={options.get('max_batch_size')}"
        self._count(kind, len(source), time.perf_counter() - started)
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._translator, name)


class _CountedFutures:
    """An asynchronous call's futures; counted when the last result is taken, its seconds
    from the call to then (the decoding, plus any time the caller spent elsewhere)."""

    def __init__(self, proxy: CountingTranslator, kind: str, started: float, futures: Any) -> None:
        self.proxy, self.kind, self.started = proxy, kind, started
        self.waiting = len(futures)
        self.futures = [_CountedFuture(self, future) for future in futures]

    def taken(self, result: Any) -> None:
        self.proxy.output_tokens += len(result.hypotheses[0])
        self.waiting -= 1
        if not self.waiting:
            seconds = time.perf_counter() - self.started
            self.proxy._count(self.kind, len(self.futures), seconds)


class _CountedFuture:
    def __init__(self, group: _CountedFutures, future: Any) -> None:
        self.group, self.future, self.value = group, future, None

    def result(self) -> Any:
        if self.value is None:
            self.value = self.future.result()
            self.group.taken(self.value)
        return self.value

    def done(self) -> bool:
        return bool(self.future.done())


class Instrument:
    """Replaces ctranslate2.Translator so every construction is timed and every model counted."""

    def __init__(self, cap: int, cap_missing: bool = False) -> None:
        import ctranslate2

        self.real = ctranslate2.Translator
        self.cap, self.cap_missing = cap, cap_missing
        self.load_seconds = 0.0
        self.constructed: list[str] = []
        self.proxies: list[CountingTranslator] = []
        ctranslate2.Translator = self._construct

    def _construct(self, *args: Any, **kwargs: Any) -> CountingTranslator:
        started = time.perf_counter()
        translator = self.real(*args, **kwargs)
        self.load_seconds += time.perf_counter() - started
        shown = ("inter_threads", "intra_threads", "compute_type")
        self.constructed.append(", ".join(f"{k}={kwargs.get(k)}" for k in shown))
        proxy = CountingTranslator(translator, self.cap, self.cap_missing)
        self.proxies.append(proxy)
        return proxy

    def summary(self) -> dict[str, Any]:
        kinds: dict[str, list[float]] = {}
        for proxy in self.proxies:
            for kind, (calls, sentences, seconds) in proxy.kinds.items():
                totals = kinds.setdefault(kind, [0, 0, 0.0])
                totals[0] += calls
                totals[1] += sentences
                totals[2] += seconds
        decoding = {k: v for k, v in kinds.items() if k.startswith("translate_batch")}
        scoring = {k: v for k, v in kinds.items() if k.startswith("score_batch")}
        return {
            "load_seconds": self.load_seconds,
            "translator": sorted(set(self.constructed)),
            "decode_calls": sum(int(k[0]) for k in decoding.values()),
            "decoded_sentences": sum(int(k[1]) for k in decoding.values()),
            "decode_seconds": sum(k[2] for k in decoding.values()),
            "score_seconds": sum(k[2] for k in scoring.values()),
            "output_tokens": sum(p.output_tokens for p in self.proxies),
            "kinds": {
                kind: {"calls": int(c), "sentences": int(n), "seconds": round(t, 3)}
                for kind, (c, n, t) in kinds.items()
            },
        }


class ToolkitSentencizer:
    """argostranslate's sentencizer interface over the toolkit's splitter: same sentences.

    Replaces the default MiniSBD sentencizer, which downloads an ONNX model on first use.
    """

    def split_sentences(self, text: str) -> list[str]:
        return [text[start:end] for start, end in sentence_spans(text)]


def run_argos(args: argparse.Namespace) -> dict[str, Any]:
    """What a user writes: read each file, translate() each paragraph, write the English.

    Settings come from argostranslate's own environment variables (set by the parent).
    """
    instrument = Instrument(args.max_decoding_length, cap_missing=True)
    import argostranslate.translate

    translation = argostranslate.translate.get_translation_from_codes("nl", "en")
    translation.underlying.sentencizer = ToolkitSentencizer()  # CachedTranslation → Package…
    outdir = Path(args.outdir)
    for path in sorted(Path(args.corpus).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sources = [p.strip() for p in text.split("\n\n") if p.strip()]
        english = "\n\n".join(translation.translate(source) for source in sources) + "\n"
        (outdir / f"{path.stem}.en.txt").write_text(english, encoding="utf-8")
    return instrument.summary()


def run_toolkit(args: argparse.Namespace) -> dict[str, Any]:
    """`toolkit translate` as a user types it, through the CLI, in this process.

    `--steps` keeps only those enforcement steps (a benchmark-only switch: the stage's
    Enforcer is subclassed here, the pipeline itself is unchanged).
    """
    instrument = Instrument(args.max_decoding_length)
    from toolkit.cli import main as toolkit_main

    inter, intra, batch = args.layout.split(",")
    command = [
        "translate", args.corpus, "-o", args.outdir, "--no-cache", "--no-memory", "--force",
        "--quiet", "--beam-size", str(args.beam), "--max-decoding-length",
        str(args.max_decoding_length), "--inter-threads", inter, "--intra-threads", intra,
        "--max-batch-size", batch,
    ]  # fmt: skip
    if args.steps is None:
        command.append("--no-glossary")
    else:
        command += ["--glossary", str(REPO / "glossary" / args.glossary_file)]
        command += ["--enforcement-budget", args.budget]
    if args.steps not in (None, ALL_STEPS):  # the whole cascade: the pipeline as shipped
        import toolkit.stages.process as stages
        from toolkit.stages.enforce import Enforcer

        chosen = tuple(s for s in args.steps.split(",") if s)

        class SomeSteps(Enforcer):
            def __init__(self, glossary: Any, engine: Any, **options: Any) -> None:
                super().__init__(glossary, engine, steps=chosen, budget=options.get("budget"))

        stages.Enforcer = SomeSteps  # type: ignore[misc]
    # thread CPU time: the toolkit's own work in its main thread, which the machine's load
    # does not stretch (decoding runs in CTranslate2's threads and shows as waiting)
    timer = time.thread_time if args.profile_clock == "cpu" else time.perf_counter
    profiler = cProfile.Profile(timer) if args.profile_out else None
    if profiler:
        profiler.enable()
    try:
        code = toolkit_main.main(command, standalone_mode=False)
    except SystemExit as done:
        code = done.code
    finally:
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile_out)
    if code not in (0, None):
        raise SystemExit(f"toolkit translate exited {code}")
    return instrument.summary()


def run_ct2(args: argparse.Namespace) -> dict[str, Any]:
    """The floor: every sentence tokenised, decoded in one translate_batch call, detokenised."""
    instrument = Instrument(args.max_decoding_length)
    import ctranslate2
    import sentencepiece

    inter, intra, batch = (int(n) for n in args.layout.split(","))
    sentences = json.loads(Path(args.corpus).with_suffix(".sentences.json").read_text("utf-8"))
    package = next(Path(os.environ["ARGOS_PACKAGES_DIR"]).glob("translate-nl_en*"))
    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package / "sentencepiece.model")
    )
    translator = ctranslate2.Translator(
        str(package / "model"), device="cpu", inter_threads=inter, intra_threads=intra,
        compute_type="auto",
    )  # fmt: skip
    results = translator.translate_batch(
        tokenizer.encode(sentences, out_type=str),
        replace_unknowns=True,
        max_batch_size=batch,
        beam_size=args.beam,
        length_penalty=LENGTH_PENALTY,
        max_decoding_length=args.max_decoding_length,
        return_scores=True,
    )
    tokenizer.decode([r.hypotheses[0] for r in results])
    return instrument.summary()


def peak_rss_mb() -> float:
    """This process's peak resident memory since exec (VmHWM).

    Not getrusage's ru_maxrss: Linux carries it across fork and exec, so a worker would
    report its parent's peak (the model build) whenever that was higher.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> None:
    Path(args.outdir).mkdir(parents=True, exist_ok=True)
    runners = {"argos": run_argos, "toolkit": run_toolkit, "ct2": run_ct2}
    result = runners[args.worker](args)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --- orchestration ----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Method:
    """One way of translating the corpus, run as its own process."""

    key: str
    label: str
    worker: str  # argos, toolkit or ct2
    layout: str = ""  # inter,intra,max_batch_size for the toolkit and bare CTranslate2
    env: tuple[tuple[str, str], ...] = ()  # argostranslate's settings
    steps: str | None = None  # enforcement steps (toolkit with the glossary), None: no glossary
    budget: str = "none"  # --enforcement-budget with the glossary
    glossary: str = "nl-en.tsv"  # under glossary/
    checkout: str = ""  # another checkout's toolkit (--baseline); "": this one


def methods(best: str) -> dict[str, Method]:
    """(a), (b), (c) in one shared thread layout, and each at its own best layout."""
    cores = len(os.sched_getaffinity(0))
    same = f"1,{cores},{BARE_BATCH_SIZE}"
    argos_same = (("ARGOS_INTER_THREADS", "1"), ("ARGOS_INTRA_THREADS", str(cores)))
    return {
        m.key: m
        for m in (
            Method("a", f"(a) argostranslate translate() per paragraph, intra {cores}",
                   "argos", env=argos_same),
            Method("b", f"(b) toolkit translate, layout {same}", "toolkit", layout=same),
            Method("c", f"(c) bare CTranslate2, layout {same}", "ct2", layout=same),
            Method("a*", "(a*) argostranslate at its best: ARGOS_BATCH_SIZE=4096 "
                   "ARGOS_INTRA_THREADS=1", "argos",
                   env=(("ARGOS_INTER_THREADS", "1"), ("ARGOS_INTRA_THREADS", "1"),
                        ("ARGOS_BATCH_SIZE", "4096"))),
            Method("b*", f"(b*) toolkit translate, default layout {best}", "toolkit",
                   layout=best),
            Method("c*", f"(c*) bare CTranslate2, layout {best}", "ct2", layout=best),
        )
    }  # fmt: skip


def real_methods(best: str, baseline: str = "") -> dict[str, Method]:
    """The bundled model's comparison: the toolkit with and without the glossary, and bare
    CTranslate2, all in the toolkit's default layout; with `baseline` (a checkout of the
    toolkit before a change, holding this benchmark too) the same two toolkit runs of it."""
    from toolkit.stages.enforce import DEFAULT_BUDGET

    before = (
        (
            Method("b0", f"(b0) baseline {baseline}: --no-glossary", "toolkit", layout=best,
                   checkout=baseline),
            Method("g0", f"(g0) baseline {baseline}: glossary on", "toolkit", layout=best,
                   steps=ALL_STEPS, budget=str(DEFAULT_BUDGET), glossary="software-nl-en.tsv",
                   checkout=baseline),
        )
        if baseline
        else ()
    )  # fmt: skip
    return {
        m.key: m
        for m in (
            *before,
            Method("b*", f"(b*) toolkit translate --no-glossary, default layout {best}",
                   "toolkit", layout=best),
            Method("g*", f"(g*) toolkit translate, glossary software-nl-en.tsv, default "
                   f"budget {DEFAULT_BUDGET}", "toolkit", layout=best, steps=ALL_STEPS,
                   budget=str(DEFAULT_BUDGET), glossary="software-nl-en.tsv"),
            Method("c*", f"(c*) bare CTranslate2, layout {best}", "ct2", layout=best),
        )
    }  # fmt: skip


def run_worker(
    method: Method, corpus: Path, outdir: Path, args: argparse.Namespace, profile_out: str = ""
) -> dict[str, Any]:
    """One run: the worker's own counts, plus the wall time of the whole process measured here
    (interpreter start, imports, model load, work, exit) and the load average before it."""
    if outdir.exists():
        shutil.rmtree(outdir)
    checkout = Path(method.checkout) if method.checkout else REPO
    command = [
        sys.executable, str(checkout / "benchmarks" / Path(__file__).name), "--worker",
        method.worker, "--corpus", str(corpus),
        "--outdir", str(outdir), "--beam", str(args.beam),
        "--max-decoding-length", str(args.max_decoding_length),
        "--layout", method.layout or "1,1,1",
    ]  # fmt: skip
    if method.steps is not None:
        command += ["--steps", method.steps, "--budget", method.budget]
        command += ["--glossary-file", method.glossary]
    if profile_out:
        command += ["--profile-out", profile_out, "--profile-clock", args.profile_clock]
    env = dict(os.environ)
    env.pop("ARGOS_BATCH_SIZE", None)  # argostranslate's default (32 tokens) unless asked
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # see compile_once
    env.update(method.env)
    load = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=checkout, env=env)
    wall = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"{method.key} worker failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {**result, "wall": wall, "loadavg": load}


def compile_once(checkout: Path) -> None:
    """Byte-compile the toolkit (into its git-ignored __pycache__), as an installed package is.

    With PYTHONDONTWRITEBYTECODE set (as in some sandboxes) every run of the toolkit would
    compile its ~60 modules from source again: 0.1-0.2 s that no installed copy pays.
    """
    subprocess.run([sys.executable, "-m", "compileall", "-q", "toolkit"], cwd=checkout, check=True)


def spread(runs: list[dict[str, Any]], key: str) -> tuple[float, float, float]:
    values = sorted(r[key] for r in runs)
    return values[0], statistics.median(values), values[-1]


def measure_all(
    plan: list[tuple[int, Method]], corpora: dict[int, Path], root: Path, args: argparse.Namespace
) -> dict[tuple[int, str], list[dict[str, Any]]]:
    """Every (size, method) `--repeat` times, round-robin, so a change in the machine's load
    falls on every method alike rather than on whichever ran last."""
    runs: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for repetition in range(args.repeat):
        for count, method in plan:
            r = run_worker(method, corpora[count], root / "out", args)
            runs.setdefault((count, method.key), []).append(r)
            print(
                f"  [{repetition + 1}/{args.repeat}] {count:>5} paragraphs {method.key:<4} "
                f"{r['wall']:7.2f} s (decode {r['decode_seconds']:.2f}, score "
                f"{r['score_seconds']:.2f}, load {r['load_seconds']:.2f}) load avg "
                f"{r['loadavg']:.2f}",
                flush=True,
            )
    return runs


def figure(runs: list[dict[str, Any]], key: str = "wall") -> str:
    low, mid, high = spread(runs, key)
    return f"{mid:.2f} ({low:.2f}–{high:.2f})"


def throughput_table(
    runs: dict[tuple[int, str], list[dict[str, Any]]],
    corpora_info: dict[int, dict[str, int]],
    table: dict[str, Method],
) -> str:
    lines = [
        "| paragraphs | sentences | method | runs | wall s, median (min–max) | sentences/s "
        "| decode s | score s | model load s | rest s | peak MB | CT2 calls | load avg |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for (count, key), measured in runs.items():
        sentences = corpora_info[count]["sentences"]
        mid = spread(measured, "wall")[1]
        decode = statistics.median(r["decode_seconds"] for r in measured)
        score = statistics.median(r["score_seconds"] for r in measured)
        load_s = statistics.median(r["load_seconds"] for r in measured)
        rest = statistics.median(
            r["wall"] - r["decode_seconds"] - r["score_seconds"] - r["load_seconds"]
            for r in measured
        )
        low_load, _, high_load = spread(measured, "loadavg")
        lines.append(
            f"| {count} | {sentences} | {table[key].label} | {len(measured)} "
            f"| {figure(measured)} | {sentences / mid:.1f} | {decode:.2f} | {score:.2f} "
            f"| {load_s:.2f} | {rest:.2f} | {max(r['peak_rss_mb'] for r in measured):.0f} "
            f"| {measured[0]['decode_calls']} | {low_load:.1f}–{high_load:.1f} |"
        )
    return "\n".join(lines)


def ratio(runs: dict[tuple[int, str], list[dict[str, Any]]], count: int, top: str, bottom: str,
          key: str = "wall") -> float | None:  # fmt: skip
    if (count, top) not in runs or (count, bottom) not in runs:
        return None
    return spread(runs[count, top], key)[1] / spread(runs[count, bottom], key)[1]


# (top, bottom, target, higher is better, label)
RATIOS = [
    ("b", "c", None, False, "(b)/(c), same layout"),
    ("b*", "c*", None, False, "(b*)/(c*), each at the default layout"),
    ("b*", "c", None, False, "(b*)/(c): toolkit default vs bare at the shared layout"),
    ("a", "b*", 10.0, True, "(a)/(b*): argostranslate as shipped vs toolkit default"),
    ("a", "b", 10.0, True, "(a)/(b), same layout"),
    ("a*", "b*", 3.0, True, "(a*)/(b*): each at its best layout"),
    ("a", "c", None, True, "(a)/(c): the ceiling"),
]


def ratio_table(runs: dict[tuple[int, str], list[dict[str, Any]]], counts: list[int]) -> str:
    """Ratios of medians of whole-process wall times (start-up included)."""
    lines = [
        "| ratio | target | " + " | ".join(f"{n} paragraphs" for n in counts) + " |",
        "| --- | --- |" + " ---: |" * len(counts),
    ]
    for top, bottom, target, higher, label in RATIOS:
        cells = []
        for count in counts:
            value = ratio(runs, count, top, bottom)
            if value is None:
                cells.append("—")
                continue
            goal = target if target is not None else (1.5 if count < 200 else 1.1)
            met = value >= goal if higher else value <= goal
            cells.append(f"{value:.2f}× {'met' if met else 'MISSED'}")
        if target is not None:
            shown = f"≥ {target:g}×"
        elif higher:
            shown = "—"
        else:
            shown = "≤ 1.5× (10), ≤ 1.1× (≥ 200)"
        if top == "a" and bottom == "c":
            cells = [c.split()[0] for c in cells]
            shown = "—"
        lines.append(f"| {label} | {shown} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def real_ratio_table(runs: dict[tuple[int, str], list[dict[str, Any]]], counts: list[int]) -> str:
    """The issue's targets on the bundled model: ratios of medians, and peak memory."""
    lines = [
        "| ratio | target | " + " | ".join(f"{n} paragraphs" for n in counts) + " |",
        "| --- | --- |" + " ---: |" * len(counts),
    ]
    rows = [
        ("b*", "c*", "(b*)/(c*): toolkit --no-glossary vs bare CTranslate2, same layout",
         "≤ 1.1×, ≤ 1.05× from 2,000", lambda n: 1.05 if n >= 2000 else 1.1),
        ("g*", "b*", "(g*)/(b*): glossary on, default budget, vs plain", "≤ 1.5×",
         lambda _n: 1.5),
        ("b0", "c*", "(b0)/(c*): the baseline --no-glossary vs bare", "—", None),
        ("g0", "b0", "(g0)/(b0): the baseline, glossary on vs plain", "—", None),
        ("b*", "b0", "(b*)/(b0): this checkout vs the baseline, --no-glossary", "—", None),
        ("g*", "g0", "(g*)/(g0): this checkout vs the baseline, glossary on", "—", None),
    ]  # fmt: skip
    for top, bottom, label, shown, goal in rows:
        cells = []
        for count in counts:
            value = ratio(runs, count, top, bottom)
            if value is None or goal is None:
                cells.append("—" if value is None else f"{value:.2f}×")
                continue
            met = value <= goal(count)
            cells.append(f"{value:.2f}× {'met' if met else 'MISSED'}")
        lines.append(f"| {label} | {shown} | " + " | ".join(cells) + " |")
    for key in ("b*", "g*", "c*", "b0", "g0"):
        peaks = [max((r["peak_rss_mb"] for r in runs.get((n, key), [])), default=0) for n in counts]
        lines.append(f"| peak MB of ({key}) | flat from 2,000 up | " + " | ".join(
            f"{peak:.0f}" if peak else "—" for peak in peaks) + " |")  # fmt: skip
    return "\n".join(lines)


def kinds_table(runs: dict[tuple[int, str], list[dict[str, Any]]], table: dict[str, Method]) -> str:  # noqa: ARG001  (every table function takes the methods)
    """The CTranslate2 calls of each method's median run, by options."""
    lines = [
        "| paragraphs | method | CTranslate2 call | calls | sentences | seconds |",
        "| ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for (count, key), measured in runs.items():
        middle = sorted(measured, key=lambda r: r["wall"])[len(measured) // 2]
        for kind, k in middle["kinds"].items():
            lines.append(
                f"| {count} | {key} | {kind} | {k['calls']} | {k['sentences']} "
                f"| {k['seconds']:.2f} |"
            )
    return "\n".join(lines)


def consistency(
    runs: dict[tuple[int, str], list[dict[str, Any]]],
    corpora_info: dict[int, dict[str, int]],
    table: dict[str, Method],
    cap: int | None,  # the seeded model decodes every sentence to the cap; None: a real model
) -> list[str]:
    """Problems that would make the comparison unfair: differing sentences or decoding work."""
    problems = []
    for (count, key), measured in runs.items():
        info = corpora_info[count]
        if info["distinct_sentences"] != info["sentences"]:
            problems.append(f"{count}: only {info['distinct_sentences']} distinct sentences")
        if table[key].steps is not None:
            continue  # enforcement decodes failing sentences again, by design
        for r in measured:
            # a real model's looping sentences are decoded once more (the loop retry)
            short = r["decoded_sentences"] < info["sentences"]
            if short or (cap is not None and r["decoded_sentences"] != info["sentences"]):
                problems.append(
                    f"{count} {key}: decoded {r['decoded_sentences']} of {info['sentences']}"
                )
            if cap is not None and r["output_tokens"] != info["sentences"] * cap:
                problems.append(
                    f"{count} {key}: {r['output_tokens']} output tokens, expected "
                    f"{info['sentences'] * cap} (every sentence at the cap)"
                )
    return sorted(set(problems))


def enforcement_methods(best: str, subsets: str) -> dict[str, Method]:
    """Plain (no glossary), the full cascade at the default budget and with none, and (with no
    budget, so each step's own cost shows) each step alone and the cascade without each."""
    from toolkit.stages.enforce import DEFAULT_BUDGET, STEPS

    chosen: list[tuple[str, ...]] = [STEPS]
    if subsets == "all":
        from itertools import combinations

        chosen = [c for n in range(len(STEPS), -1, -1) for c in combinations(STEPS, n)]
    elif subsets == "each":
        chosen += [(s,) for s in STEPS] + [tuple(t for t in STEPS if t != s) for s in STEPS]
        chosen.append(())
    table = {"plain": Method("plain", "no glossary", "toolkit", layout=best)}
    default = f"full cascade, default budget {DEFAULT_BUDGET}"
    table[default] = Method(
        default, default, "toolkit", layout=best, steps=",".join(STEPS), budget=str(DEFAULT_BUDGET)
    )
    for steps in chosen:
        name = "+".join(steps) or "(no step: match and flag only)"
        table[name] = Method(name, name, "toolkit", layout=best, steps=",".join(steps))
    return table


def enforcement_table(
    runs: dict[tuple[int, str], list[dict[str, Any]]], count: int, table: dict[str, Method]
) -> str:
    lines = [
        f"| enforcement steps ({count} paragraphs) | runs | wall s, median (min–max) "
        "| / plain | decode s | score s | CT2 calls | sentences decoded | load avg |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    plain = spread(runs[count, "plain"], "wall")[1]
    for key in table:
        measured = runs[count, key]
        low_load, _, high_load = spread(measured, "loadavg")
        lines.append(
            f"| {key} | {len(measured)} | {figure(measured)} "
            f"| {spread(measured, 'wall')[1] / plain:.2f}× "
            f"| {statistics.median(r['decode_seconds'] for r in measured):.2f} "
            f"| {statistics.median(r['score_seconds'] for r in measured):.2f} "
            f"| {measured[0]['decode_calls']} | {measured[0]['decoded_sentences']} "
            f"| {low_load:.1f}–{high_load:.1f} |"
        )
    return "\n".join(lines)


# Where a toolkit run's seconds go: (label, file suffix, function), cumulative time of each.
PROFILE_STAGES = [
    ("whole run as profiled", "", "<module>"),
    ("imports before the command runs", "toolkit/cli/__init__.py", "<module>"),
    ("run_translate", "toolkit/run/local.py", "run_translate"),
    ("  read + segment (read_document)", "toolkit/segment.py", "read_document"),
    ("    of which Dutch sentence splitting", "toolkit/sentences.py", "split_sentences"),
    ("  model load (ctranslate2.Translator)", "toolkit/engines/argos.py", "_load"),
    ("  term matching", "toolkit/stages/process.py", "match_terms"),
    ("  translate stage (before the pipeline)", "toolkit/stages/process.py", "translate"),
    ("  decoding started (tokenise, submit)", "toolkit/stages/process.py", "start_translate"),
    ("  decoding waited for, enforcement, cache", "toolkit/stages/process.py", "decode"),
    ("  enforcement cascade", "toolkit/stages/enforce.py", "enforce"),
    ("  QA stage (check_quality)", "toolkit/stages/process.py", "check_quality"),
    ("    of which rescoring the English (score_batch)", "toolkit/qa/confidence.py", "rescore"),
    ("    of which the checks", "toolkit/qa/__init__.py", "run_checks"),
    ("  write the outputs", "toolkit/run/outputs.py", "write_document"),
    ("  completion markers", "toolkit/run/markers.py", "write_marker"),
    (
        "CTranslate2 translate_batch, every call",
        "benchmarks/bench_throughput.py",
        "translate_batch",
    ),
    ("CTranslate2 score_batch, every call", "benchmarks/bench_throughput.py", "score_batch"),
]


def profile_stages(path: str) -> str:
    """Cumulative seconds of each stage of a toolkit run; indented rows are parts of the one
    above."""
    stats = pstats.Stats(path)
    found: dict[tuple[str, str], list[float]] = {}
    for (filename, _, function), (_, calls, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        for _, suffix, name in PROFILE_STAGES:
            if function == name and filename.endswith(suffix) and (suffix or name == "<module>"):
                entry = found.setdefault((suffix, name), [0.0, 0])
                if suffix:
                    entry[0] += cumulative
                    entry[1] += calls
                else:  # the outermost module: the largest cumulative time
                    entry[0], entry[1] = max(entry[0], cumulative), 1
    # the largest cumulative time: the whole run, whichever clock (a CPU-time profile's
    # <module> rows hold only what ran before the profiler started)
    total = max(entry[3] for entry in stats.stats.values()) or 1.0  # type: ignore[attr-defined]
    found[("", "<module>")] = [total, 1]
    lines = ["| stage | seconds | share | calls |", "| --- | ---: | ---: | ---: |"]
    for label, suffix, name in PROFILE_STAGES:
        seconds, calls = found.get((suffix, name), [0.0, 0])
        lines.append(f"| {label} | {seconds:.2f} | {seconds / total:.1%} | {int(calls)} |")
    return "\n".join(lines)


def profile_top(path: str, limit: int = 20) -> str:
    """The functions with the most time of their own: where the seconds outside decoding go."""
    stats = pstats.Stats(path)
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.replace(str(REPO) + "/", "").split("site-packages/")[-1]
        rows.append((own, cumulative, calls, f"{where}:{line}({function})"))
    total = max(r[1] for r in rows)
    rows.sort(reverse=True)
    lines = [
        f"| function (own time; whole run {total:.2f} s) | own s | share | cumulative s | calls |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for own, cumulative, calls, name in rows[:limit]:
        lines.append(f"| `{name}` | {own:.3f} | {own / total:.1%} | {cumulative:.3f} | {calls} |")
    return "\n".join(lines)


def median_seconds(command: list[str], runs: int = STARTUP_RUNS) -> tuple[float, int, str]:
    times, done = [], None
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
        times.append(time.perf_counter() - started)
    assert done is not None
    return statistics.median(times), done.returncode, (done.stderr or done.stdout)


def heavy_imports(command: list[str]) -> list[str]:
    """Top-level packages from HEAVY_MODULES that `python -X importtime` shows being imported."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *command], capture_output=True, text=True, cwd=REPO
    )
    found = set()
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", line)
        if match and match.group(1).split(".")[0] in HEAVY_MODULES:
            found.add(match.group(1).split(".")[0])
    return sorted(found)


def startup_table() -> str:
    seeds = [str(p.relative_to(REPO)) for p in sorted((REPO / "seeds").glob("*.txt"))]
    commands = {
        "python -c pass (interpreter floor)": ["-c", "pass"],
        "toolkit --help": ["-m", "toolkit", "--help"],
        "toolkit glossary scan seeds/*.txt --glossary glossary/nl-en.tsv": [
            "-m", "toolkit", "glossary", "scan", *seeds, "--glossary", "glossary/nl-en.tsv",
        ],
    }  # fmt: skip
    lines = [
        f"| command | median of {STARTUP_RUNS} s | exit | heavy imports | < "
        f"{STARTUP_TARGET_SECONDS} s |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    for label, command in commands.items():
        seconds, code, output = median_seconds([sys.executable, *command])
        if code not in (0, 1):  # 1: scan found problems; 2 or a traceback: no such command
            last = output.strip().splitlines()[-1] if output.strip() else ""
            lines.append(f"| {label} | {seconds:.3f} | {code} | not measured: {last} | — |")
            continue
        heavy = ", ".join(heavy_imports(command)) or "none"
        verdict = "met" if seconds < STARTUP_TARGET_SECONDS else "MISSED"
        met = "—" if "pass" in command else verdict
        lines.append(f"| {label} | {seconds:.3f} | {code} | {heavy} | {met} |")
    return "\n".join(lines)


def machine() -> str:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    from importlib.metadata import version

    import ctranslate2

    return (
        f"{os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {model}; "
        f"Python {sys.version.split()[0]}, ctranslate2 {version('ctranslate2')}, "
        f"argostranslate {version('argostranslate')}, CTranslate2 CPU ISA "
        f"{ctranslate2.get_supported_compute_types('cpu')}"
    )


def main(args: argparse.Namespace) -> None:  # noqa: C901  (to split: issue 25)
    counts = [int(n) for n in args.paragraphs.split(",") if n]
    argos_cap = args.argos_max_paragraphs
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as scratch:
        root = Path(scratch)
        isolate(root, args.beam)
        from toolkit.engines.argos import install_from_file
        from toolkit.engines.base import EngineSettings

        sys.path.insert(0, str(REPO / "tests" / "support"))  # test support: not in the package
        from seeded_model import ModelShape, build_argos_package

        defaults = EngineSettings()
        best = f"{defaults.inter_threads},{defaults.intra_threads},{defaults.max_batch_size}"
        print(f"machine: {machine()}", flush=True)
        started = time.perf_counter()
        if args.model == "bundled":
            from toolkit.models import bundled_model_path, install_bundled

            outcome = install_bundled(os.environ["ARGOS_PACKAGES_DIR"])
            assert outcome is not None and outcome.model is not None
            info, shape = outcome.model, f"bundled reference model {bundled_model_path().name}"
        else:
            seeds = [p.read_text("utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
            package = Path(args.package) if args.package else root / "seeded.argosmodel"
            if not package.exists():  # same seeds, shape and seed: the same bytes, so reusable
                build_argos_package(package, seeds, shape=ModelShape.ARGOS_SIZE, seed=MODEL_SEED)
            info = install_from_file(package, os.environ["ARGOS_PACKAGES_DIR"])
            shape = f"seeded {ModelShape.ARGOS_SIZE}"
        built = time.perf_counter() - started
        print(
            f"model: {shape}, int8, {info.size_bytes / 1e6:.0f} MB installed, "
            f"built or read in {built:.1f} s; beam {args.beam}, max_decoding_length "
            f"{args.max_decoding_length}; {args.repeat} runs per figure; toolkit default "
            f"layout (inter,intra,batch) {best}; text: {args.text}",
            flush=True,
        )
        real = args.text == "real"
        samples = real_paragraphs() if real else sample_paragraphs()
        if args.model == "bundled":
            argos_cap = 0  # no argostranslate rows on the real model
        scaled_argos = argos_cap and any(n > argos_cap for n in counts)
        sizes = [*counts, *([argos_cap] if scaled_argos else [])]
        sizes += [args.enforcement_paragraphs] if args.enforcement else []
        corpora: dict[int, Path] = {}
        corpora_info: dict[int, dict[str, int]] = {}
        for count in sorted(set(sizes)):
            corpora[count] = root / f"corpus-{count}"
            corpora_info[count] = build_corpus(corpora[count], count, samples, not real)
            sentences = [
                paragraph[s:e]
                for path in sorted(corpora[count].glob("*.txt"))
                for paragraph in path.read_text(encoding="utf-8").split("\n\n")
                if paragraph.strip()
                for s, e in sentence_spans(paragraph.strip())
            ]
            corpora[count].with_suffix(".sentences.json").write_text(json.dumps(sentences))
        table = real_methods(best, args.baseline) if args.model == "bundled" else methods(best)
        if args.methods:
            table = {k: m for k, m in table.items() if k in args.methods.split(",")}
        plan = []
        for count in counts:
            for method in table.values():
                if method.worker == "argos" and argos_cap and count > argos_cap:
                    continue  # scaled from the cap below
                plan.append((count, method))
        if argos_cap and any(n > argos_cap for n in counts):
            plan += [(argos_cap, m) for m in table.values() if m.worker == "argos"]
        plan = list(dict.fromkeys(plan))
        compile_once(REPO)
        if args.baseline:
            compile_once(Path(args.baseline))
        print(f"\nthroughput: {len(plan)} runs × {args.repeat}", flush=True)
        runs = measure_all(plan, corpora, root, args)
        for count in counts:  # argostranslate is per paragraph: linear in the sentences
            if argos_cap and count > argos_cap:
                scale = corpora_info[count]["sentences"] / corpora_info[argos_cap]["sentences"]
                for key in [k for k in ("a", "a*") if (argos_cap, k) in runs]:
                    # only the decoding is scaled, so start-up and Python overhead count once:
                    # this underestimates argostranslate, never the toolkit's lead
                    runs[count, key] = [
                        {**r, "wall": r["wall"] + r["decode_seconds"] * (scale - 1),
                         "decode_seconds": r["decode_seconds"] * scale, "scaled": True}
                        for r in runs[argos_cap, key]
                    ]  # fmt: skip
        shown = {k: v for k, v in runs.items() if k[0] in counts}
        shown = dict(sorted(shown.items(), key=lambda kv: (kv[0][0], list(table).index(kv[0][1]))))
        if counts:
            print(f"\ncorpora: {json.dumps(corpora_info)}\n")
            print(throughput_table(shown, corpora_info, table))
            scaled = [n for n in counts if argos_cap and n > argos_cap]
            if scaled:
                print(f"\n(a) and (a*) at {scaled}: measured at {argos_cap} paragraphs, decoding "
                      "time scaled by sentences (argostranslate translates each paragraph on its "
                      "own); start-up counted once")  # fmt: skip
            print()
            print(
                real_ratio_table(shown, counts)
                if args.model == "bundled"
                else ratio_table(shown, counts)
            )
            print()
            print(kinds_table(shown, table))
            cap = args.max_decoding_length if args.model == "seeded" else None
            problems = consistency(shown, corpora_info, table, cap)
            for problem in problems:
                print(f"UNFAIR: {problem}")
        if args.enforcement:
            count = args.enforcement_paragraphs
            steps_table = enforcement_methods(best, args.enforcement)
            print(f"\nenforcement: {len(steps_table)} runs × {args.repeat}", flush=True)
            steps_runs = measure_all(
                [(count, m) for m in steps_table.values()], corpora, root, args
            )
            print()
            print(enforcement_table(steps_runs, count, steps_table))
        for count in [int(n) for n in args.profile.split(",") if n]:
            if count not in corpora:
                corpora[count] = root / f"corpus-{count}"
                corpora_info[count] = build_corpus(corpora[count], count, samples, not real)
            out = str(root / f"profile-{count}.pstats")
            profiled = table.get(args.profile_method) or methods(best)["b*"]
            run_worker(profiled, corpora[count], root / "out", args, out)
            if args.profile_save:
                name = f"profile-{args.model}-{profiled.key.strip('*')}-{count}.pstats"
                shutil.copy(out, Path(args.profile_save) / name)
            clock = "main thread CPU time" if args.profile_clock == "cpu" else "wall clock"
            print(
                f"\ncProfile of ({profiled.key}), {count} paragraphs ({clock}), load avg "
                f"{os.getloadavg()[0]:.2f}:\n"
            )
            print(profile_stages(out))
            print()
            print(profile_top(out))
        if args.startup:
            print("\nStart-up (python -m toolkit …, isolated argostranslate folders):\n")
            print(startup_table())


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", default="10,200,1000", help="corpus sizes")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument(
        "--model",
        choices=["seeded", "bundled"],
        default="seeded",
        help="seeded: the Argos-size model of random weights, every sentence decoded to the "
        "cap; bundled: the toolkit's reference model (toolkit/data), real decoding",
    )
    parser.add_argument(
        "--text",
        choices=["samples", "real"],
        default=None,
        help="samples: the two seed articles, varied; real: the reference model's test and "
        "dev splits as paragraphs (see real_paragraphs). Default: real with --model bundled",
    )
    parser.add_argument(
        "--max-decoding-length",
        type=int,
        default=None,
        help="default 24 with the seeded model, the toolkit's own with the bundled one",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (at least 3)")
    parser.add_argument(
        "--argos-max-paragraphs",
        type=int,
        default=200,
        help="above this size (a) and (a*) are timed on the corpus's first N paragraphs and "
        "scaled by sentences (0: always in full; (a) at 1000 paragraphs takes ~20 min a run)",
    )
    parser.add_argument(
        "--enforcement",
        choices=["", "full", "each", "all"],
        default="each",
        help="glossary enforcement cost: the full cascade, each step alone and the cascade "
        "without each (each), or every subset of steps (all); '' skips it",
    )
    parser.add_argument("--enforcement-paragraphs", type=int, default=200)
    parser.add_argument(
        "--package", default="", help="the seeded .argosmodel: built there if missing, else reused"
    )
    parser.add_argument("--methods", default="", help="only these of a,b,c,a*,b*,c*")
    parser.add_argument("--profile", default="", help="sizes at which to cProfile (b*)")
    parser.add_argument(
        "--baseline",
        default="",
        help="with --model bundled: also time the toolkit of this checkout (b0, g0), e.g. "
        "`git worktree add /tmp/base main` with this benchmark copied in",
    )
    parser.add_argument("--profile-method", default="b*", help="which method --profile runs")
    parser.add_argument("--profile-save", default="", help="keep the .pstats files in this folder")
    parser.add_argument("--startup", action="store_true", help="also time toolkit --help etc.")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="under 5 minutes: 10 and 200 paragraphs, (a) and (a*) timed at 10 and scaled, "
        "enforcement at 10 paragraphs (full cascade only)",
    )
    parser.add_argument("--worker", choices=["argos", "toolkit", "ct2"], help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--outdir", help=argparse.SUPPRESS)
    parser.add_argument("--layout", default="1,1,1", help=argparse.SUPPRESS)
    parser.add_argument("--steps", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--budget", default="none", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", default="", help=argparse.SUPPRESS)
    parser.add_argument("--glossary-file", default="nl-en.tsv", help=argparse.SUPPRESS)
    parser.add_argument(
        "--profile-clock",
        choices=["wall", "cpu"],
        default="wall",
        help="cpu: profile the main thread's CPU time (robust on a busy machine; decoding "
        "in CTranslate2's threads then counts as zero)",
    )
    args = parser.parse_args()
    if args.quick:
        args.paragraphs, args.argos_max_paragraphs = "10,200", 10
        args.enforcement, args.enforcement_paragraphs = "full", 10
    if args.max_decoding_length is None:
        from toolkit.engines.base import EngineSettings

        seeded = args.model == "seeded"
        args.max_decoding_length = 24 if seeded else EngineSettings().max_decoding_length
    if args.text is None:
        args.text = "real" if args.model == "bundled" else "samples"
    if args.model == "bundled" and not args.worker and "--enforcement" not in sys.argv:
        args.enforcement = ""  # (g*) is the glossary's cost on the real model
    if not args.worker and args.repeat < 3:
        parser.error("--repeat must be at least 3: a figure needs its min, median and max")
    return args


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.worker:
        worker(arguments)
    else:
        main(arguments)
