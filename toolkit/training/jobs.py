"""`toolkit model train` and `toolkit model adapt`: data in, an installed package out.

Each job checks everything it can before it trains (the inputs, the amount of data, the
name), trains in a run folder under the user's cache (`--resume` continues an interrupted
train from its last checkpoint), converts and checks the model, packages it and installs it
beside the installed models. It never replaces or deletes an installed model, and a failure
at any step installs nothing.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from toolkit.errors import UserError
from toolkit.models import SAFE_NAME, ModelInfo, find_model, install_from_file, list_models
from toolkit.training.corpus import (
    Pair,
    SourceSummary,
    read_jsonl,
    read_sources,
    split_by_document,
    write_jsonl,
)
from toolkit.training.marian import (
    ModelShape,
    ProgressCallback,
    Schedule,
    Trainer,
    build_model,
    chrf,
    greedy,
    load_model,
    train_vocabulary,
    write_vocabulary,
)
from toolkit.training.package import ORIGINAL_SAMPLE, TRAINING_FOLDER, PackageInfo, log_summary
from toolkit.training.package import write_package as write_package

MIN_TRAIN_PAIRS = 20_000
MIN_ADAPT_PAIRS = 500
SCORE_PAIRS = 1000  # held-out pairs scored per set (greedy)
DEV_PAIRS = 300
CHECK_SENTENCES = 100  # PyTorch vs CTranslate2 greedy check


@dataclass(frozen=True)
class JobResult:
    """What a train or adapt installed, and what it measured."""

    model: ModelInfo
    scores: dict[str, float]
    run: Path
    train_pairs: int
    conversion: str


def cache_dir() -> Path:
    """The toolkit's cache folder ($XDG_CACHE_HOME/toolkit, else ~/.cache/toolkit)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "toolkit"


def train_model(
    sources: Sequence[Path],
    name: str,
    minutes: float,
    models_dir: str | None = None,
    base_debian: bool = False,
    resume: bool = False,
    seed: int = 1,
    shape: ModelShape | None = None,
    min_pairs: int = MIN_TRAIN_PAIRS,
    progress: ProgressCallback | None = None,
    log: Callable[[str], None] | None = None,
    runs: Path | None = None,
) -> JobResult:
    """Train a new model on `sources` (and the Debian corpus), install it as `name`."""
    _check_new_name(name, models_dir)
    run = (runs or cache_dir() / "training") / name
    splits = run / "data"
    if resume:
        if not (run / "state.pt").is_file():
            raise UserError(
                f"no interrupted run named {name!r} to resume (looked in {run}); "
                "start it without --resume",
            )
        schedule = replace(_read_schedule(run), minutes=minutes)
        train = read_jsonl(splits / "train.jsonl")
        tests = {p.stem: read_jsonl(p) for p in sorted(splits.glob("test-*.jsonl"))}
        dev = read_jsonl(splits / "dev.jsonl")
        summaries = json.loads((run / "sources.json").read_text(encoding="utf-8"))
    else:
        if (run / "state.pt").is_file():
            raise UserError(
                f"an interrupted run named {name!r} is in {run}; add --resume to continue it, "
                "or delete that folder to start again"
            )
        pairs, found = read_sources(sources) if sources else ([], [])
        train, dev, tests = _split_user_data(pairs, seed)
        summaries = [s.as_dict() for s in found]
        if base_debian:
            from toolkit.training.debian import cached_corpus

            corpus = cached_corpus(cache_dir() / "debian-corpus")
            debian_train = read_jsonl(corpus / "train.jsonl")
            train = debian_train + train
            dev = (
                read_jsonl(corpus / "dev.jsonl")[: DEV_PAIRS - len(dev) // 2] + dev[: len(dev) // 2]
            )
            tests["test-debian"] = read_jsonl(corpus / "test.jsonl")
            summaries.insert(
                0, SourceSummary("Debian corpus (--base debian)", len(debian_train)).as_dict()
            )
        if len(train) < min_pairs:
            raise UserError(
                f"too little data: {len(train)} training pairs after cleaning, deduplication "
                f"and holding out {sum(map(len, tests.values())) + len(dev)} for scoring; a new "
                f"model needs at least {min_pairs:,} (add data, add --base debian, or adapt an "
                "installed model with `toolkit model adapt`, which needs 500)"
            )
        schedule = Schedule(minutes=minutes, seed=seed, eval_every_minutes=max(minutes / 8, 0.05))
        if shape is None:
            shape = ModelShape()
        run.mkdir(parents=True, exist_ok=True)
        splits.mkdir(exist_ok=True)
        write_jsonl(splits / "train.jsonl", train)
        write_jsonl(splits / "dev.jsonl", dev)
        for test_name, test in tests.items():
            write_jsonl(splits / f"{test_name}.jsonl", test)
        (run / "sources.json").write_text(json.dumps(summaries, indent=1), encoding="utf-8")
        (run / "schedule.json").write_text(json.dumps(schedule.as_dict()), encoding="utf-8")
        (run / "shape.json").write_text(json.dumps(shape.__dict__), encoding="utf-8")
    random.seed(seed)
    import torch

    torch.manual_seed(seed)
    if resume:
        processor = write_vocabulary(run)
        model = build_model(processor.get_piece_size() + 1, _read_shape(run))
    else:
        assert shape is not None
        processor = train_vocabulary(train, run, shape.vocab_size)
        model = build_model(processor.get_piece_size() + 1, shape)
    trainer = Trainer(run, model, processor, schedule, log)
    if resume:
        trainer.resume()
    trainer.train(train, dev, progress=progress)
    scores = _score(trainer, tests)
    info = PackageInfo(
        name=name,
        description=f"nl→en model trained here on {_data_line(summaries)}",
        origin="trained",
        data=summaries,
        scores=scores,
        log_summary=log_summary(run / "train.log"),
    )
    return _package_and_install(run, info, train, dev, models_dir, scores, len(train), seed)


def adapt_model(
    sources: Sequence[Path],
    minutes: float,
    base: str | None = None,
    name: str | None = None,
    models_dir: str | None = None,
    seed: int = 1,
    original_share: float = 0.5,
    min_pairs: int = MIN_ADAPT_PAIRS,
    progress: ProgressCallback | None = None,
    log: Callable[[str], None] | None = None,
    runs: Path | None = None,
    schedule: Schedule | None = None,
) -> JobResult:
    """Continue training an installed toolkit-built model on new pairs; install the result."""
    base_model = find_model(models_dir, "nl", "en", base)
    if not base_model.adaptable:
        raise UserError(
            f"{base_model.name} cannot be adapted: it is an Argos index package without "
            "training weights; adapt a model the toolkit built or bundled (see `toolkit model "
            "list`: origin bundled, trained or adapted)"
            if base_model.origin == "index"
            else f"{base_model.name} ships no training weights, so it cannot be adapted; "
            "install a newer package of it"
        )
    if name is None:
        name = _dated_name(base_model.name, models_dir)
    _check_new_name(name, models_dir)
    if not 0 <= original_share < 1:
        raise UserError(
            f"the share of original data must be from 0 to below 1, not {original_share}"
        )
    pairs, found = read_sources(sources)
    if len(pairs) < min_pairs:
        raise UserError(
            f"too little data: {len(pairs)} usable pairs in {', '.join(map(str, sources))} "
            f"after cleaning and deduplication; adapting needs at least {min_pairs}"
        )
    dev_size = max(20, min(DEV_PAIRS, len(pairs) // 20))
    train, dev, _ = split_by_document(pairs, seed, dev_size=dev_size, test_size=0)
    training = Path(base_model.training["weights"]).parent
    original = _original_sample(base_model)
    run = (runs or cache_dir() / "training") / name
    if run.exists():
        shutil.rmtree(run)  # an adapt is minutes long and never resumed: start clean
    run.mkdir(parents=True)
    shutil.copy(base_model.path / "sentencepiece.model", run / "sentencepiece.model")
    processor = write_vocabulary(run)
    expected = json.loads((training / "vocab.json").read_text(encoding="utf-8"))
    if len(expected) != processor.get_piece_size() + 1:
        raise UserError(
            "the package's vocab.json does not match its sentencepiece.model; reinstall it",
            path=base_model.path,
        )
    import torch

    random.seed(seed)
    torch.manual_seed(seed)
    model = load_model(Path(base_model.training["weights"]))
    if model.config.vocab_size != processor.get_piece_size() + 1:
        raise UserError(
            "the package's weights do not match its vocabulary; reinstall it",
            path=base_model.path,
        )
    if schedule is None:
        schedule = Schedule(
            minutes=minutes,
            lr=3e-4,
            warmup_steps=30,
            batch_tokens=2000,
            max_epochs=12,
            original_share=original_share,
            seed=seed,
            eval_every_minutes=max(minutes / 3, 0.05),
        )
    trainer = Trainer(run, model, processor, schedule, log)
    before = chrf(greedy(trainer.model, processor, [p.nl for p in dev]), [p.en for p in dev])
    trainer.say(f"before adaptation: dev chrF (greedy, {len(dev)} pairs) {before:.1f}")
    trainer.train(train, dev, original=original, progress=progress)
    after = trainer.state.evaluations[-1][2]  # the final evaluation, on the same pairs
    scores = {
        "your data before adapting": round(before, 1),
        "your data": round(after, 1),
    }
    summaries = [s.as_dict() for s in found]
    info = PackageInfo(
        name=name,
        description=f"{base_model.name} adapted here on {_data_line(summaries)}",
        origin="adapted",
        base=base_model.name,
        data=summaries,
        scores=scores,
        log_summary=log_summary(run / "train.log"),
        term_annotations=_declares_annotations(base_model),
    )
    keep = original[: max(0, len(original) - len(train))] + train  # what the next adapt mixes in
    return _package_and_install(run, info, keep, dev, models_dir, scores, len(train), seed)


def _split_user_data(
    pairs: list[Pair], seed: int
) -> tuple[list[Pair], list[Pair], dict[str, list[Pair]]]:
    """Hold out whole blocks of the user's data: 5% each for dev and test (at most 1,000)."""
    if not pairs:
        return [], [], {}
    size = min(SCORE_PAIRS, len(pairs) // 20)
    train, dev, test = split_by_document(pairs, seed, dev_size=min(size, DEV_PAIRS), test_size=size)
    return train, dev, {"test-your-data": test} if test else {}


def _score(trainer: Trainer, tests: dict[str, list[Pair]]) -> dict[str, float]:
    scores = {}
    for test_name, test in tests.items():
        sample = test[:SCORE_PAIRS]
        if not sample:
            continue
        hypotheses = greedy(trainer.model, trainer.processor, [p.nl for p in sample])
        label = test_name.removeprefix("test-").replace("-", " ")
        scores[label] = round(chrf(hypotheses, [p.en for p in sample]), 1)
        trainer.say(f"held-out {label} ({len(sample)} pairs): chrF {scores[label]:.1f}")
    return scores


def _package_and_install(
    run: Path,
    info: PackageInfo,
    original: Sequence[Pair],
    dev: Sequence[Pair],
    models_dir: str | None,
    scores: dict[str, float],
    train_pairs: int,
    seed: int,
) -> JobResult:
    package_file = run / f"{info.name}.argosmodel"
    check = [p.nl for p in dev[:CHECK_SENTENCES]] or [p.nl for p in original[:CHECK_SENTENCES]]
    model = load_model(run / "checkpoint")
    del model  # loads cleanly: the package is built from exactly this checkpoint
    conversion = write_package(
        package_file, info, run / "checkpoint", run, original, check, seed=seed
    )
    _check_new_name(info.name, models_dir)  # still free after the training
    installed = install_from_file(package_file, models_dir)
    return JobResult(installed, scores, run, train_pairs, conversion.as_line())


def _check_new_name(name: str, models_dir: str | None) -> None:
    if not SAFE_NAME.match(name):
        raise UserError(
            f"bad model name {name!r}: use letters, digits, '.', '_' and '-', starting with a "
            "letter or digit"
        )
    installed = {m.name for m in list_models(models_dir)}
    if name in installed:
        raise UserError(
            f"a model named {name!r} is installed; give another --name (training never "
            "replaces an installed model)"
        )


def _dated_name(base: str, models_dir: str | None) -> str:
    """`BASE-adapted-YYYYMMDD`, with `-2`, `-3`... when that is taken."""
    stem = f"{base}-adapted-{datetime.date.today():%Y%m%d}"
    installed = {m.name for m in list_models(models_dir)}
    name, number = stem, 1
    while name in installed:
        number += 1
        name = f"{stem}-{number}"
    return name


def _original_sample(model: ModelInfo) -> list[Pair]:
    path = model.training.get("original_pairs")
    if not path:
        return []
    return read_jsonl(Path(path))


def _declares_annotations(model: ModelInfo) -> bool:
    try:
        metadata = json.loads((model.path / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(metadata, dict) and isinstance(metadata.get("term_annotations"), dict)


def _data_line(summaries: Sequence[dict[str, object]]) -> str:
    parts = [f"{Path(str(s['file'])).name} ({s['pairs']} pairs)" for s in summaries]
    return ", ".join(parts[:5]) + (f" and {len(parts) - 5} more" if len(parts) > 5 else "")


def _read_schedule(run: Path) -> Schedule:
    return Schedule(**json.loads((run / "schedule.json").read_text(encoding="utf-8")))


def _read_shape(run: Path) -> ModelShape:
    return ModelShape(**json.loads((run / "shape.json").read_text(encoding="utf-8")))


__all__ = [
    "JobResult",
    "adapt_model",
    "cache_dir",
    "train_model",
    "tempfile",
    "TRAINING_FOLDER",
    "ORIGINAL_SAMPLE",
]
