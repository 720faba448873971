"""Throughput of argostranslate per paragraph, this toolkit end to end, and bare CTranslate2.

All three decode the same sentences with the same Argos-size seeded model, beam, decoding cap
and threads; each runs in its own subprocess so its peak memory is its own. Also times the
start-up of `toolkit --help` and `toolkit glossary scan`. argostranslate's folders point into
a temporary folder for the whole run. Run as `python benchmarks/bench_throughput.py --help`.
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
INTRA_THREADS = 2
INTER_THREADS = 1
BARE_BATCH_SIZE = 64  # sentences per CTranslate2 batch for (c); the toolkit's default too
LENGTH_PENALTY = 0.2  # argostranslate's value, used by all three
MODEL_SEED = 1234
STARTUP_RUNS = 5
STARTUP_TARGET_SECONDS = 0.5
SPEEDUP_TARGET = 10.0  # (b) at least this many times faster than (a)
OVERHEAD_TARGET = 1.3  # (b) at most this many times slower than (c)
HEADLINE_MIN_PARAGRAPHS = 200
# Decoding one sentence at a time with 2 intra-op threads is ~4× slower than with 1 on the
# 2-vCPU benchmark VM, so (a′) shows argostranslate at its best thread setting too.
ARGOS_METHODS = ("argos", "argos-1thread")
HEAVY_MODULES = ("torch", "stanza", "argostranslate", "ctranslate2", "spacy", "minisbd")

METHODS = {
    "argos": "(a) argostranslate, translate() per paragraph",
    "argos-1thread": "(a′) the same with ARGOS_INTRA_THREADS=1",
    "toolkit": "(b) toolkit run_translate, no glossary",
    "toolkit+glossary": "(b) toolkit run_translate, glossary enforced",
    "ct2": "(c) bare CTranslate2 translate_batch",
}


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


def build_corpus(folder: Path, count: int, samples: list[str]) -> dict[str, int]:
    """Write `count` varied sample paragraphs as .txt documents of 12 paragraphs each."""
    folder.mkdir(parents=True, exist_ok=True)
    paragraphs, serial = [], 1
    for index in range(count):
        text, serial = vary(samples[index % len(samples)], serial)
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


# --- workers (one subprocess per method and corpus) -------------------------------------------


class CountingTranslator:
    """A ctranslate2.Translator proxy that records decoding work and can cap decoding length.

    argostranslate never passes max_decoding_length; with `cap_missing` the proxy adds it, so
    argostranslate decodes as many steps as the others (random weights never emit </s>).
    """

    def __init__(self, translator: Any, cap: int, cap_missing: bool) -> None:
        self._translator = translator
        self._cap, self._cap_missing = cap, cap_missing
        self.output_tokens = 0
        self.kinds: dict[str, list[float]] = {}  # options → [calls, sentences, seconds]

    def translate_batch(self, source: list[list[str]], **options: Any) -> Any:
        if self._cap_missing:
            options.setdefault("max_decoding_length", self._cap)
        shown = ("beam_size", "num_hypotheses", "max_decoding_length", "max_batch_size")
        kind = ", ".join(f"{k}={options.get(k)}" for k in shown)
        kind += f", batch_type={options.get('batch_type', 'examples')}"
        kind += ", suppress_sequences" if options.get("suppress_sequences") else ""
        started = time.perf_counter()
        results = self._translator.translate_batch(source, **options)
        totals = self.kinds.setdefault(kind, [0, 0, 0.0])
        totals[0] += 1
        totals[1] += len(source)
        totals[2] += time.perf_counter() - started
        self.output_tokens += sum(len(r.hypotheses[0]) for r in results)
        return results

    def __getattr__(self, name: str) -> Any:
        return getattr(self._translator, name)


class Instrument:
    """Replaces ctranslate2.Translator so every construction is timed and every model counted."""

    def __init__(self, cap: int, cap_missing: bool = False) -> None:
        import ctranslate2

        self.real = ctranslate2.Translator
        self.cap, self.cap_missing = cap, cap_missing
        self.load_seconds = self.load_cpu_seconds = 0.0
        self.constructed: list[str] = []
        self.proxies: list[CountingTranslator] = []
        ctranslate2.Translator = self._construct

    def _construct(self, *args: Any, **kwargs: Any) -> CountingTranslator:
        started, cpu_started = time.perf_counter(), time.process_time()
        translator = self.real(*args, **kwargs)
        self.load_seconds += time.perf_counter() - started
        self.load_cpu_seconds += time.process_time() - cpu_started
        shown = ("device", "inter_threads", "intra_threads", "compute_type")
        self.constructed.append(", ".join(f"{k}={kwargs.get(k)}" for k in shown))
        proxy = CountingTranslator(translator, self.cap, self.cap_missing)
        self.proxies.append(proxy)
        return proxy

    def summary(self) -> dict[str, Any]:
        kinds: dict[str, list[float]] = {}
        for proxy in self.proxies:
            for kind, (calls, sentences, seconds) in proxy.kinds.items():
                totals = kinds.setdefault(kind, [0, 0, 0.0])
                totals[0], totals[1], totals[2] = (
                    totals[0] + calls,
                    totals[1] + sentences,
                    totals[2] + seconds,
                )
        return {
            "load_seconds": self.load_seconds,
            "load_cpu_seconds": self.load_cpu_seconds,
            "models_loaded": len(self.proxies),
            "translator": sorted(set(self.constructed)),
            "decode_calls": sum(int(k[0]) for k in kinds.values()),
            "decoded_sentences": sum(int(k[1]) for k in kinds.values()),
            "decode_seconds": sum(k[2] for k in kinds.values()),
            "output_tokens": sum(p.output_tokens for p in self.proxies),
            "decode_kinds": {
                kind: {"calls": int(c), "sentences": int(n), "seconds": round(t, 3)}
                for kind, (c, n, t) in kinds.items()
            },
        }


class Window:
    """Wall and CPU time (all threads) of the measured region, and the machine's load."""

    def __enter__(self) -> Window:
        self.load_before = os.getloadavg()[0]
        self.started, self.cpu_started = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.started
        self.cpu = time.process_time() - self.cpu_started
        self.load_after = os.getloadavg()[0]

    def result(self) -> dict[str, float]:
        return {
            "wall_seconds": self.wall,
            "cpu_seconds": self.cpu,
            "loadavg": max(self.load_before, self.load_after),
        }


class ToolkitSentencizer:
    """argostranslate's sentencizer interface over the toolkit's splitter: same sentences.

    Replaces the default MiniSBD sentencizer, which downloads an ONNX model on first use.
    """

    def split_sentences(self, text: str) -> list[str]:
        return [text[start:end] for start, end in sentence_spans(text)]


def run_argos(corpus: Path, outdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """What a user would write: read each file, translate() each paragraph, write the English."""
    instrument = Instrument(args.max_decoding_length, cap_missing=True)
    started = time.perf_counter()
    import argostranslate.translate

    imported = time.perf_counter() - started
    translation = argostranslate.translate.get_translation_from_codes("nl", "en")
    translation.underlying.sentencizer = ToolkitSentencizer()  # CachedTranslation → Package…
    paragraphs = 0
    with Window() as window:
        for path in sorted(corpus.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            sources = [p.strip() for p in text.split("\n\n") if p.strip()]
            targets = [translation.translate(source) for source in sources]
            english = "\n\n".join(targets) + "\n"
            (outdir / f"{path.stem}.en.txt").write_text(english, encoding="utf-8")
            paragraphs += len(sources)
    return {
        **window.result(),
        "import_seconds": imported,
        "paragraphs": paragraphs,
        **instrument.summary(),
    }


def run_toolkit(
    corpus: Path, outdir: Path, args: argparse.Namespace, with_glossary: bool
) -> dict[str, Any]:
    """`toolkit translate` as a library call: segmentation, glossary, batching, PO + English."""
    instrument = Instrument(args.max_decoding_length)
    started = time.perf_counter()
    import argostranslate.package  # noqa: F401  (timed here, as for (a), not inside the run)

    from toolkit.engines.argos import ArgosEngine
    from toolkit.engines.base import EngineSettings
    from toolkit.pipeline.run import RunOptions, run_translate

    imported = time.perf_counter() - started
    glossary = None
    if with_glossary:
        from toolkit.glossary.tsv import read_glossary

        glossary = read_glossary(REPO / "glossary" / "nl-en.tsv")
    engine = ArgosEngine(
        EngineSettings(
            models_dir=os.environ["ARGOS_PACKAGES_DIR"],
            beam_size=args.beam,
            intra_threads=INTRA_THREADS,
            inter_threads=INTER_THREADS,
            max_decoding_length=args.max_decoding_length,
        )
    )
    # No translation cache or memory, and force: every sentence is decoded. Only the options
    # this checkout's RunOptions has are passed, so the benchmark survives option changes.
    wanted = {"glossary": glossary, "cache_path": None, "memory_path": None, "force": True}
    known = {f.name for f in dataclasses.fields(RunOptions)}
    options = RunOptions(**{k: v for k, v in wanted.items() if k in known})
    profiler = cProfile.Profile() if args.profile_out else None
    with Window() as window:
        if profiler:
            profiler.enable()
        report = run_translate([corpus], outdir, engine, options)
        if profiler:
            profiler.disable()
    if profiler:
        profiler.dump_stats(args.profile_out)
    totals = report.as_dict()["totals"]
    if report.failed:
        raise SystemExit(f"toolkit run failed: {report.failed[0].reason}")
    return {
        **window.result(),
        "import_seconds": imported,
        "paragraphs": totals["paragraphs"],
        "sentences": totals["sentences"],
        "cache_hits": totals["cache_hits"],
        "terms": totals["terms"],
        **instrument.summary(),
    }


def run_ct2(corpus: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The floor: every sentence tokenised and decoded in one translate_batch call."""
    instrument = Instrument(args.max_decoding_length)
    started = time.perf_counter()
    import ctranslate2
    import sentencepiece

    from toolkit.segment import segment_text

    imported = time.perf_counter() - started
    sentences = [
        s.source
        for path in sorted(corpus.glob("*.txt"))
        for s in segment_text(path.read_text(encoding="utf-8"), path.stem).sentences
    ]
    package = next(Path(os.environ["ARGOS_PACKAGES_DIR"]).glob("translate-nl_en*"))
    tokenizer = sentencepiece.SentencePieceProcessor(
        model_file=str(package / "sentencepiece.model")
    )
    translator = ctranslate2.Translator(
        str(package / "model"),
        device="cpu",
        inter_threads=INTER_THREADS,
        intra_threads=INTRA_THREADS,
        compute_type="auto",
    )
    with Window() as window:
        tokens = tokenizer.encode(sentences, out_type=str)
        results = translator.translate_batch(
            tokens,
            replace_unknowns=True,
            max_batch_size=BARE_BATCH_SIZE,
            beam_size=args.beam,
            length_penalty=LENGTH_PENALTY,
            max_decoding_length=args.max_decoding_length,
            return_scores=True,
        )
        tokenizer.decode([r.hypotheses[0] for r in results])
    return {
        **window.result(),
        "import_seconds": imported,
        "sentences": len(sentences),
        **instrument.summary(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory since exec.

    Not getrusage's ru_maxrss: Linux carries it across fork and exec, so a worker would
    report its parent's peak (the model build) whenever that was higher.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: argparse.Namespace) -> None:
    corpus, outdir = Path(args.corpus), Path(args.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    if args.worker in ARGOS_METHODS:
        result = run_argos(corpus, outdir, args)
    elif args.worker == "ct2":
        result = run_ct2(corpus, args)
    else:
        result = run_toolkit(corpus, outdir, args, with_glossary=args.worker == "toolkit+glossary")
    # Model construction inside the timed region (argostranslate and the toolkit load lazily)
    # is reported as load time, not counted as translation time.
    inside = args.worker != "ct2"
    result["seconds"] = result["wall_seconds"] - (result["load_seconds"] if inside else 0.0)
    result["cpu_seconds"] -= result["load_cpu_seconds"] if inside else 0.0
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --- orchestration ----------------------------------------------------------------------------


def run_worker(
    method: str, corpus: Path, outdir: Path, args: argparse.Namespace, profile_out: str = ""
) -> dict[str, Any]:
    if outdir.exists():
        shutil.rmtree(outdir)
    command = [
        sys.executable, __file__, "--worker", method, "--corpus", str(corpus),
        "--outdir", str(outdir), "--beam", str(args.beam),
        "--max-decoding-length", str(args.max_decoding_length),
    ]  # fmt: skip
    if profile_out:
        command += ["--profile-out", profile_out]
    env = dict(os.environ)
    if method == "argos-1thread":
        env["ARGOS_INTRA_THREADS"] = "1"
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, env=env)
    if done.returncode:
        raise SystemExit(f"{method} worker failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def extrapolate(
    measured: dict[str, Any], prefix: dict[str, int], corpus: dict[str, int]
) -> dict[str, Any]:
    """A run on a corpus's prefix scaled to the whole corpus by sentence count."""
    scale = corpus["sentences"] / prefix["sentences"]
    scaled = dict(measured, extrapolated_from=prefix["paragraphs"])
    for key in ("seconds", "decode_seconds", "cpu_seconds", "wall_seconds"):
        scaled[key] = measured[key] * scale
    for key in ("decode_calls", "decoded_sentences", "output_tokens"):
        scaled[key] = round(measured[key] * scale)
    return scaled


def measure(method: str, corpus: Path, outdir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """The run with the median translation time of `--repeat` runs."""
    runs = [run_worker(method, corpus, outdir, args) for _ in range(args.repeat)]
    runs.sort(key=lambda r: r["seconds"])
    return runs[len(runs) // 2]


def throughput_tables(
    results: dict[int, dict[str, dict[str, Any]]], corpora: dict[int, dict[str, int]]
) -> str:
    lines = [
        "| paragraphs | method | sentences | seconds | sentences/s | of which decoding s "
        "| CPU s | model load s | import s | peak RSS MB | CT2 calls | sentences decoded "
        "| load avg |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
    ]
    for count, by_method in results.items():
        sentences = corpora[count]["sentences"]
        for method, r in by_method.items():
            approx = "~" if "extrapolated_from" in r else ""
            lines.append(
                f"| {count} | {METHODS[method]} | {sentences} | {approx}{r['seconds']:.2f} "
                f"| {sentences / r['seconds']:.1f} | {r['decode_seconds']:.2f} "
                f"| {r['cpu_seconds']:.1f} | {r['load_seconds']:.2f} | {r['import_seconds']:.2f} "
                f"| {r['peak_rss_mb']:.0f} | {r['decode_calls']} | {r['decoded_sentences']} "
                f"| {r['loadavg']:.1f} |"
            )
    lines += [
        "",
        "| paragraphs | (a)/(b) speed-up | (a′)/(b) speed-up | (b)/(c) overhead "
        "| (a)/(c) ceiling | (a)/(b+glossary) | (b+glossary)/(c) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for count, r in results.items():
        a, a1, b, c = (r[m]["seconds"] for m in ("argos", "argos-1thread", "toolkit", "ct2"))
        row = f"| {count} | {a / b:.1f}× | {a1 / b:.1f}× | {b / c:.2f}× | {a / c:.1f}× "
        if "toolkit+glossary" in r:
            bg = r["toolkit+glossary"]["seconds"]
            row += f"| {a / bg:.2f}× | {bg / c:.1f}× |"
        else:
            row += "| not run | not run |"
        lines.append(row)
    return "\n".join(lines)


def decode_kinds_table(results: dict[int, dict[str, dict[str, Any]]]) -> str:
    """The CTranslate2 calls of each run by their options: where re-decoding comes from."""
    lines = [
        "| paragraphs | method | translate_batch options | calls | sentences | seconds |",
        "| ---: | --- | --- | ---: | ---: | ---: |",
    ]
    for count, by_method in results.items():
        for method, r in by_method.items():
            if "extrapolated_from" in r:
                continue  # the same calls as the corpus it was measured on
            for kind, k in r["decode_kinds"].items():
                lines.append(
                    f"| {count} | {method} | {kind} | {k['calls']} | {k['sentences']} "
                    f"| {k['seconds']:.2f} |"
                )
    return "\n".join(lines)


def verdicts(results: dict[int, dict[str, dict[str, Any]]]) -> list[str]:
    out = []
    for count, r in results.items():
        if count < HEADLINE_MIN_PARAGRAPHS:
            continue
        a, a1, b, c = (r[m]["seconds"] for m in ("argos", "argos-1thread", "toolkit", "ct2"))
        out.append(
            f"{count} paragraphs: (b) {a / b:.1f}× faster than (a) "
            f"[{'met' if a / b >= SPEEDUP_TARGET else 'MISSED'}, target ≥ {SPEEDUP_TARGET:g}×; "
            f"bare CTranslate2 is {a / c:.1f}× faster than (a)], {a1 / b:.1f}× faster than (a′) "
            f"[{'met' if a1 / b >= SPEEDUP_TARGET else 'MISSED'}]; (b) takes {b / c:.2f}× (c) "
            f"[{'met' if b / c <= OVERHEAD_TARGET else 'MISSED'}, target ≤ {OVERHEAD_TARGET}×]"
        )
    return out


def consistency(
    results: dict[int, dict[str, dict[str, Any]]], corpora: dict[int, Any], cap: int
) -> list[str]:
    """Problems that would make the comparison unfair: differing sentences or decoding work."""
    problems = []
    for count, r in results.items():
        info = corpora[count]
        if info["distinct_sentences"] != info["sentences"]:
            problems.append(f"{count}: only {info['distinct_sentences']} distinct sentences")
        for method in ("argos", "argos-1thread", "toolkit", "ct2"):
            if "extrapolated_from" in r[method]:
                continue  # checked where it was measured
            decoded = r[method]["decoded_sentences"]
            if decoded != info["sentences"]:
                problems.append(f"{count}: {method} decoded {decoded} of {info['sentences']}")
            expected = info["sentences"] * cap
            if r[method]["output_tokens"] != expected:
                problems.append(
                    f"{count}: {method} produced {r[method]['output_tokens']} tokens, "
                    f"expected {expected} (every sentence at the cap)"
                )
        if r["toolkit"].get("sentences") != info["sentences"]:
            problems.append(f"{count}: toolkit segmented {r['toolkit'].get('sentences')}")
    return problems


# Functions whose cumulative time says where (b)'s time goes: (file suffix, function name).
PROFILE_STAGES = [
    ("everything (run_translate)", "toolkit/pipeline/run.py", "run_translate"),
    ("read + segment (Run._load)", "toolkit/pipeline/run.py", "_load"),
    ("  of which pySBD sentence splitting", "toolkit/sentences.py", "split_sentences"),
    ("glossary term matching (match_terms)", "toolkit/pipeline/stages.py", "match_terms"),
    ("translate (first pass)", "toolkit/pipeline/stages.py", "translate"),
    ("glossary enforcement cascade", "toolkit/pipeline/enforce.py", "enforce"),
    ("  of which n-best re-decoding", "toolkit/pipeline/enforce.py", "_n_best"),
    ("  of which injected-source re-decoding", "toolkit/pipeline/enforce.py", "_inject"),
    ("ArgosEngine.translate (first pass, n-best, inject)", "toolkit/engines/argos.py", "translate"),
    (
        "CTranslate2 translate_batch (every call)",
        "benchmarks/bench_throughput.py",
        "translate_batch",
    ),
    ("assemble paragraphs + flags", "toolkit/pipeline/stages.py", "assemble_paragraphs"),
    ("write PO + English + marker (Run._write)", "toolkit/pipeline/run.py", "_write"),
]


def profile_summary(path: str) -> str:
    stats = pstats.Stats(path)
    cumulative: dict[tuple[str, str], tuple[float, int]] = {}
    for (filename, _, function), (_, calls, _, cumtime, _) in stats.stats.items():  # type: ignore[attr-defined]
        for _, suffix, name in PROFILE_STAGES:
            if filename.endswith(suffix) and function == name:
                seconds, count = cumulative.get((suffix, name), (0.0, 0))
                cumulative[(suffix, name)] = (seconds + cumtime, count + calls)
    total = cumulative.get(("toolkit/pipeline/run.py", "run_translate"), (1.0, 1))[0]
    lines = ["| stage | seconds | share | calls |", "| --- | ---: | ---: | ---: |"]
    for label, suffix, name in PROFILE_STAGES:
        seconds, calls = cumulative.get((suffix, name), (0.0, 0))
        lines.append(f"| {label} | {seconds:.2f} | {seconds / total:.0%} | {calls} |")
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


def main(args: argparse.Namespace) -> None:
    counts = [int(n) for n in args.paragraphs.split(",")]
    glossary_counts = [int(n) for n in args.glossary_paragraphs.split(",") if n]
    glossary_counts = [n for n in glossary_counts if n in counts]
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as scratch:
        root = Path(scratch)
        isolate(root, args.beam)
        from toolkit.engines.argos import install_from_file
        from toolkit.seeded_model import ModelShape, build_argos_package

        print(f"machine: {machine()}", flush=True)
        started = time.perf_counter()
        seeds = [p.read_text(encoding="utf-8") for p in sorted((REPO / "seeds").glob("*.txt"))]
        package = build_argos_package(
            root / "seeded.argosmodel", seeds, shape=ModelShape.ARGOS_SIZE, seed=MODEL_SEED
        )
        built = time.perf_counter() - started
        info = install_from_file(package, os.environ["ARGOS_PACKAGES_DIR"])
        print(
            f"model: {ModelShape.ARGOS_SIZE}, int8, {info.size_bytes / 1e6:.0f} MB installed, "
            f"built in {built:.1f} s; beam {args.beam}, max_decoding_length "
            f"{args.max_decoding_length}, intra_threads {INTRA_THREADS}, inter_threads "
            f"{INTER_THREADS}, repeat {args.repeat}",
            flush=True,
        )
        samples = sample_paragraphs()
        corpora: dict[int, dict[str, int]] = {}
        results: dict[int, dict[str, dict[str, Any]]] = {}
        for count in counts:
            corpus = root / f"corpus-{count}"
            corpora[count] = build_corpus(corpus, count, samples)
            results[count] = {}
            for method in METHODS:
                if method == "toolkit+glossary" and count not in glossary_counts:
                    continue
                cap = args.argos_max_paragraphs
                if method in ARGOS_METHODS and cap and count > cap:
                    # argostranslate translates paragraph by paragraph, independently, so its
                    # time is linear in the sentences; corpus-cap is this corpus's prefix.
                    if cap not in corpora:
                        corpora[cap] = build_corpus(root / f"corpus-{cap}", cap, samples)
                    if method not in results.get(cap, {}):
                        measured = measure(method, root / f"corpus-{cap}", root / "out-cap", args)
                        results.setdefault(cap, {})[method] = measured
                    r = extrapolate(results[cap][method], corpora[cap], corpora[count])
                else:
                    r = measure(method, corpus, root / f"out-{count}-{method}", args)
                results[count][method] = r
                print(
                    f"{count:>5} paragraphs  {method:<17} {r['seconds']:8.2f} s  "
                    f"{'(extrapolated) ' if 'extrapolated_from' in r else ''}"
                    f"decode {r['decode_seconds']:7.2f} s  load {r['load_seconds']:.2f} s  "
                    f"import {r['import_seconds']:.2f} s  {r['peak_rss_mb']:.0f} MB  "
                    f"cpu {r['cpu_seconds']:.1f} s  load avg {r['loadavg']:.1f}  "
                    f"{r['translator']} {r.get('terms', '')}\n        "
                    + json.dumps(r["decode_kinds"]),
                    flush=True,
                )
        results = {n: results[n] for n in counts}  # without an extra corpus-cap measured
        print(f"\ncorpora: {json.dumps(corpora)}\n")
        print(throughput_tables(results, corpora))
        print()
        print(decode_kinds_table(results))
        print()
        for line in verdicts(results):
            print(line)
        for problem in consistency(results, corpora, args.max_decoding_length):
            print(f"UNFAIR: {problem}")
        headline = [n for n in counts if n >= HEADLINE_MIN_PARAGRAPHS]
        missed = any(
            results[n]["toolkit"]["seconds"] > OVERHEAD_TARGET * results[n]["ct2"]["seconds"]
            for n in headline
        )
        if args.profile or missed:
            # Profiling the largest corpus would double the run time; the smallest headline
            # size shows the same proportions, and glossary enforcement at its smallest size.
            targets = [("toolkit", min(headline or counts))]
            if glossary_counts:
                targets.append(("toolkit+glossary", min(counts)))
            for method, count in targets:
                out = str(root / f"profile-{method}.pstats")
                run_worker(method, root / f"corpus-{count}", root / "out-profile", args, out)
                print(f"\ncProfile of {METHODS[method]}, {count} paragraphs:\n")
                print(profile_summary(out))
        print("\nStart-up (python -m toolkit …, isolated argostranslate folders):\n")
        print(startup_table())


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", default="10,100,200,1000", help="corpus sizes")
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--max-decoding-length", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; median kept")
    parser.add_argument(
        "--glossary-paragraphs",
        default="10,100,200",
        help="sizes (of --paragraphs) at which (b) also runs with the glossary enforced; "
        "on a gibberish model every term fails, so each sentence with a term decodes 3 times",
    )
    parser.add_argument(
        "--argos-max-paragraphs",
        type=int,
        default=200,
        help="above this size (a) and (a′) are timed on the corpus's first N paragraphs and "
        "scaled by sentences (0: always time them in full; 1000 paragraphs take ~20 min)",
    )
    parser.add_argument("--profile", action="store_true", help="always profile (b)")
    parser.add_argument("--worker", choices=list(METHODS), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--outdir", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", default="", help=argparse.SUPPRESS)
    return parser.parse_args()


if __name__ == "__main__":
    arguments = parse_args()
    if arguments.worker:
        worker(arguments)
    else:
        main(arguments)
