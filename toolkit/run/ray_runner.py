"""A translate run on Ray Data: the same per-document steps as `run_translate`, on many actors.

The driver collects the inputs, drops those whose completion markers are current, and
hands the rest to `map_batches` actors. Each actor builds one `Run` (engine loaded once,
its own SQLite cache file, the translation memory only read) and calls
`Run.translate_batch`, so reading, merging, the stages, the atomic writes and the markers
are `run.py`'s own. The driver puts the actors' per-document results into the same
report and afterwards teaches the memory the reviewed paragraphs they return.
`ray` is imported inside these functions only: `toolkit --help` never loads it.
"""

from __future__ import annotations

import dataclasses
import fcntl
import itertools
import json
import logging
import os
import socket
import time
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from toolkit.document import Document, Paragraph, ReviewState
from toolkit.engines.base import Engine
from toolkit.errors import UserError
from toolkit.run.local import Job, Progress, Run, RunOptions, RunProgress, reviewed_work
from toolkit.run.locks import output_lock, save_memory
from toolkit.run.report import DocumentResult, RunReport
from toolkit.run.runners import Cluster

INSTALL_HINT = "pip install -e '.[ray]'"
CONNECT_SECONDS = 5.0  # ray.init retries an unreachable address for minutes: ask once, briefly
# Environment the outputs depend on, passed from the driver to every actor.
FORWARDED_ENVIRONMENT = ("SOURCE_DATE_EPOCH",)


def run_translate_ray(
    inputs: Sequence[Path],
    outdir: Path,
    engine: Engine,
    options: RunOptions | None = None,
    progress: Progress | None = None,
    *,
    address: str | None = None,
    cpus_per_actor: int = 1,
    actors: int | None = None,
) -> RunReport:
    """`run_translate` on a Ray cluster: same outputs, markers and report.

    `address` is the cluster (`host:port`, `ray://host:port`, `auto`); None starts
    one on this machine for the run. Each actor reserves `cpus_per_actor` CPUs; by
    default the cluster's CPUs are shared out among as many actors as fit.
    `options.cache_path` names the cache files: each actor gets `STEM-N.SUFFIX` beside
    it. Relative paths mean what they mean on the driver: actors work in its folder,
    so every node must see the inputs and OUTDIR at the same paths.
    """
    ray = _import_ray()
    started = time.perf_counter()
    options = options or RunOptions()
    driver = Run(outdir, engine, replace(options, cache_path=None))  # decodes nothing
    jobs = driver.collect(inputs)
    state = _Progress(jobs, progress)
    memory_loaded = dict(driver.memory.entries) if driver.memory else {}
    with output_lock(outdir):
        driver.signature  # noqa: B018  (an engine that cannot start fails the run, not each file)
        pending: list[Job] = []
        done: list[Job] = []
        for job in jobs:
            (pending if driver.is_pending(job) else done).append(job)
        state.finished(done)
        if pending:
            with _cluster(ray, address):
                _translate(ray, driver, pending, options, state, cpus_per_actor, actors)
        if driver.memory is not None:
            save_memory(driver.memory, memory_loaded)
    driver.report.seconds = time.perf_counter() - started
    return driver.report


def _translate(
    ray: Any,
    driver: Run,
    pending: list[Job],
    options: RunOptions,
    state: _Progress,
    cpus_per_actor: int,
    actors: int | None,
) -> None:
    """Every pending job through the actors; a batch that kills its actor is retried one by one."""
    cpus = int(ray.cluster_resources().get("CPU", 1))
    cpus_per_actor = max(1, min(cpus_per_actor, cpus))
    actors = actors or max(1, cpus // cpus_per_actor)
    translator = (driver.engine, options, str(driver.outdir), os.getcwd(), _environment())
    missing = list(range(len(pending)))  # indexes into `pending`
    for batch_size in dict.fromkeys((options.documents_per_batch, 1)):
        # dropped blocks are how a dead actor's documents show: they come back as missing
        items = [
            {"index": i, "path": str(pending[i].path), "subfolder": str(pending[i].subfolder)}
            for i in missing
        ]
        returned: set[int] = set()
        for row in _map(ray, items, translator, batch_size, cpus_per_actor, actors):
            index = int(row["index"])
            _take_result(driver, pending[index], row)
            returned.add(index)
            state.finished([pending[index]])
        missing = [i for i in missing if i not in returned]
        if not missing:
            return
    for job in (pending[i] for i in missing):
        job.result.fail(
            f"{job.path}: the Ray worker translating this document died, twice, the second "
            "time on it alone; run it with --runner local to see why (the other documents "
            "are not affected)"
        )
        state.finished([job])


def _map(
    ray: Any,
    items: list[dict[str, Any]],
    translator: tuple[Any, ...],
    batch_size: int,
    cpus_per_actor: int,
    actors: int,
) -> Iterator[dict[str, Any]]:
    """The actors' rows for `items` as they finish; rows of a batch whose actor died are absent."""
    context = ray.data.DataContext.get_current()
    saved = (context.max_errored_blocks, context.enable_progress_bars)
    # a dataset keeps the context it was built with: set, build, restore
    context.max_errored_blocks, context.enable_progress_bars = -1, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # Ray's own, on the keywords below
            dataset = ray.data.from_items(items).map_batches(
                _Translator,
                fn_constructor_args=translator,
                batch_size=batch_size,
                concurrency=min(actors, -(-len(items) // batch_size)),
                num_cpus=cpus_per_actor,
                # a dead actor is replaced, and its batch tried once more before it is dropped
                # (Ray Data's default retries forever: a document that kills its actor would hang
                # the run); passed as keywords, which Ray 2.60 warns are moving elsewhere
                max_restarts=-1,
                max_task_retries=1,
            )
    finally:
        context.max_errored_blocks, context.enable_progress_bars = saved
    try:
        yield from dataset.iter_rows()
    except Exception as err:  # noqa: BLE001  (a cluster-level failure, not one document's)
        raise UserError(
            f"the Ray run stopped: {_cause(err)}; the finished documents are kept, "
            "run again to resume"
        ) from None


class _Progress:
    """The run's `RunProgress`, advanced as documents come back from the actors."""

    def __init__(self, jobs: Sequence[Job], callback: Progress | None) -> None:
        self.state = RunProgress(documents=len(jobs), bytes_total=sum(job.size for job in jobs))
        self.callback = callback
        if callback:
            callback(self.state)

    def finished(self, jobs: Sequence[Job]) -> None:
        if not jobs:
            return
        for job in jobs:
            self.state.documents_done += 1
            self.state.bytes_done += job.size
            if job.result.status == "translated":
                self.state.sentences_decoded += job.result.sentences - job.result.cache_hits
        if self.callback:
            self.callback(self.state)


def _take_result(driver: Run, job: Job, row: dict[str, Any]) -> None:
    """Fill the driver's job from an actor's row; the memory learns its reviewed paragraphs."""
    if row["fatal"]:
        raise UserError(row["fatal"])
    # every field, not as_dict(): that is the report's JSON view (risks summarised)
    fields = json.loads(row["result"])
    for field in dataclasses.fields(DocumentResult):
        setattr(job.result, field.name, fields[field.name])  # the report holds this object
    if driver.memory is not None:
        job.previous = _reviewed_document(json.loads(row["previous"]))
        job.document = _reviewed_document(json.loads(row["current"]))
        driver.memory.learn(reviewed_work([job]))
        job.previous = job.document = None


def _reviewed_document(pairs: list[list[str]] | None) -> Document | None:
    if pairs is None:
        return None
    document = Document(name="reviewed", path="", text="")
    document.paragraphs = [
        Paragraph(index=i, source=s, line=0, start=0, target=t, state=ReviewState.REVIEWED)
        for i, (s, t) in enumerate(pairs, 1)
    ]
    return document


class _Translator:
    """One Ray actor: a `Run` built once, then batch after batch of documents."""

    def __init__(
        self,
        engine: Engine,
        options: RunOptions,
        outdir: str,
        cwd: str,
        environment: dict[str, str],
    ) -> None:
        os.chdir(cwd)
        os.environ.update(environment)
        self._cache_lock: int | None = None
        cache_path = None
        if options.cache_path is not None:
            cache_path, self._cache_lock = claim_cache_file(Path(options.cache_path))
        self.run = Run(Path(outdir), engine, replace(options, cache_path=cache_path))

    def __call__(self, batch: Any) -> dict[str, list[Any]]:
        jobs = [
            Job(Path(str(path)), Path(str(subfolder)), DocumentResult(source=str(path)))
            for path, subfolder in zip(batch["path"], batch["subfolder"], strict=True)
        ]
        fatal = ""
        try:
            self.run.translate_batch(jobs)
        except UserError as err:  # the engine's own setup problem: the driver stops the run
            fatal = str(err)
        return {
            "index": [int(i) for i in batch["index"]],
            "result": [json.dumps(dataclasses.asdict(job.result)) for job in jobs],
            "previous": [json.dumps(_reviewed_pairs(job.previous)) for job in jobs],
            "current": [json.dumps(_reviewed_pairs(job.document)) for job in jobs],
            "fatal": [fatal] * len(jobs),
        }


def _reviewed_pairs(document: Document | None) -> list[tuple[str, str]] | None:
    """Only what the memory can learn travels back to the driver."""
    if document is None:
        return None
    return [
        (p.source, p.target)
        for p in document.paragraphs
        if p.state is ReviewState.REVIEWED and p.target
    ]


def claim_cache_file(base: Path) -> tuple[Path, int]:
    """`STEM-N.SUFFIX` beside `base` for the first N no live actor holds; the lock's fd.

    The lock (`flock` on `STEM-N.lock`) lasts as long as the actor's process, so
    actors on one machine never share a file and a rerun reuses the same files.
    """
    for n in itertools.count():
        path = base.with_name(f"{base.stem}-{n}{base.suffix}")
        lock = base.with_name(f"{base.stem}-{n}.lock")
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)  # never a link
        except OSError as err:
            raise UserError(
                f"cannot create the cache's lock file: {err.strerror}; "
                "give a writable --cache location or --no-cache",
                path=lock,
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return path, fd
    raise AssertionError("unreachable")


@contextmanager
def _cluster(ray: Any, address: str | None) -> Iterator[None]:
    """Connected to `address` (or a cluster started here) for the block; left as found."""
    if address:
        _check_reachable(address)
    if ray.is_initialized():  # the caller's own connection (tests, notebooks)
        yield
        return
    quiet = {"log_to_driver": False, "logging_level": logging.ERROR}
    try:
        if address:
            ray.init(address=address, **quiet)
        else:
            ray.init(include_dashboard=False, **quiet)
    except Exception as err:  # noqa: BLE001  (ray's own ConnectionError, RuntimeError...)
        where = f"at {address}" if address else "on this machine"
        raise UserError(
            f"cannot start Ray {where}: {_cause(err)}; check --ray-address, or use --runner local"
        ) from None
    data_logger = logging.getLogger("ray.data")
    level = data_logger.level
    # the report names every failed document; ray.data's tracebacks would bury it
    data_logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        data_logger.setLevel(level)
        ray.shutdown()


def _check_reachable(address: str) -> None:
    """A `host:port` address must accept a connection now: ray.init would wait for minutes."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return  # "auto", "local": ray resolves these itself
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_SECONDS).close()
    except OSError as err:
        raise UserError(
            f"cannot reach the Ray cluster at {address} ({err.strerror or 'timed out'}); "
            "start it with `ray start --head` or fix --ray-address"
        ) from None


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise UserError(
            "--runner ray needs Ray Data, which is not installed; "
            f"install the extra: {INSTALL_HINT}"
        ) from None
    return ray


def _environment() -> dict[str, str]:
    return {name: os.environ[name] for name in FORWARDED_ENVIRONMENT if name in os.environ}


def _cause(err: BaseException) -> str:
    """The innermost error's own one-line message (ray wraps causes in tracebacks)."""
    while getattr(err, "cause", None) is not None:
        err = err.cause  # type: ignore[attr-defined]
    text = str(err).strip().splitlines()
    return text[-1] if text else type(err).__name__


def run_ray(
    inputs: Sequence[Path],
    outdir: Path,
    engine: Engine,
    options: RunOptions,
    progress: Progress | None,
    cluster: Cluster,
) -> RunReport:
    """`--runner ray`: `run_translate_ray` on `cluster`."""
    return run_translate_ray(
        inputs,
        outdir,
        engine,
        options,
        progress,
        address=cluster.address,
        cpus_per_actor=cluster.cpus_per_actor,
    )
