"""The Ray Data runner against the in-process run, on a local two-CPU Ray cluster.

The same inputs must give byte-identical files and the same report; a partial run
resumes from the completion markers; a document that raises, cannot be read, or
kills its actor fails alone; setup problems are one line with exit 1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from toolkit.cli import main
from toolkit.engines.base import Translation
from toolkit.engines.scripted import ScriptedEngine
from toolkit.glossary.tsv import read_glossary
from toolkit.run.local import RunOptions, run_translate
from toolkit.run.report import RunReport
from toolkit.stages.settings import StageSettings

# read when ray is imported and when its processes start: offline, no uv runtime env
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_ENABLE_UV_RUN_RUNTIME_ENV", "0")
ray = pytest.importorskip("ray", reason="the ray extra: pip install -e '.[ray]'")

REPO = Path(__file__).resolve().parents[2]
GLOSSARY = REPO / "glossary" / "nl-en.tsv"
FORMATS = ("po", "xliff", "tmx", "tsv", "html")
RAISES = "KAPOTTE"  # a sentence with this word makes the engine raise
KILLS = "STERFZIN"  # a sentence with this word kills the actor's process


class FragileEngine(ScriptedEngine):
    """The scripted engine, except that it raises on RAISES and dies on KILLS."""

    def translate(self, sources: Sequence[str], num_hypotheses: int = 1) -> list[Translation]:
        if any(KILLS in s for s in sources):
            os._exit(3)  # no exception, no cleanup: what a segfault or the OOM killer does
        if any(RAISES in s for s in sources):
            raise RuntimeError("the engine broke")
        return super().translate(sources, num_hypotheses)


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[None]:
    """One local cluster for the module: starting Ray takes seconds."""
    from ray import cloudpickle  # Ray's own copy pickles actor arguments

    # the workers cannot import tests/: FragileEngine travels by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Six small documents (seed paragraphs, two per file) in a tree; cwd is tmp_path."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # PO headers carry the time
    paragraphs = [
        block
        for seed in sorted((REPO / "seeds").glob("*.txt"))
        for block in seed.read_text(encoding="utf-8").split("\n\n")
        if block.strip()
    ]
    folder = Path("in")
    for number in range(6):
        sub = folder / ("deep" if number % 2 else ".")
        sub.mkdir(parents=True, exist_ok=True)
        text = "\n\n".join(paragraphs[2 * number : 2 * number + 2]) + "\n"
        (sub / f"doc{number}.txt").write_text(text, encoding="utf-8")
    return folder


def _options(outdir: Path, cache: bool = False) -> RunOptions:
    return RunOptions(
        formats=FORMATS,
        stages=StageSettings(read_glossary(GLOSSARY)),
        cache_path=outdir / ".toolkit" / "cache.sqlite" if cache else None,
        memory_path=outdir / "memory.nl-en.tmx",
        documents_per_batch=2,
    )


def _ray(inputs: list[Path], outdir: Path, engine=None, cache: bool = False) -> RunReport:
    from toolkit.run.ray_runner import run_translate_ray

    engine = engine or ScriptedEngine()
    return run_translate_ray(inputs, outdir, engine, _options(outdir, cache), actors=2)


def _files(outdir: Path) -> dict[str, bytes]:
    """Every output and marker by relative path; the lock and the cache files differ by design."""
    return {
        str(p.relative_to(outdir)): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file() and not p.name.startswith(("lock", "cache"))
    }


def _comparable(report: RunReport, outdir: Path) -> dict:
    """The report as JSON, timings dropped and the output folder's name neutral."""
    data = report.as_dict()
    data.pop("seconds")
    for document in data["documents"]:
        document.pop("seconds")
    return json.loads(json.dumps(data).replace(f'"{outdir}/', '"OUT/'))


def test_ray_run_writes_the_same_bytes_and_report_as_the_local_run(ray_cluster, corpus):
    local = run_translate([corpus], Path("local"), ScriptedEngine(), _options(Path("local")))
    distributed = _ray([corpus], Path("ray"))
    assert local.count("translated") == 6
    assert _files(Path("ray")) == _files(Path("local"))
    assert len(_files(Path("local"))) == 6 * 7  # 5 formats + English + marker per document
    assert _comparable(distributed, Path("ray")) == _comparable(local, Path("local"))
    assert distributed.summary().split(" in ")[0] == local.summary().split(" in ")[0]


def test_ray_run_resumes_from_the_markers_of_a_partial_run(ray_cluster, corpus):
    # a run killed after two documents: their outputs and markers are on disk, no others
    run_translate([corpus], Path("ray"), ScriptedEngine(), _options(Path("ray")))
    names = sorted(p.stem for p in corpus.rglob("*.txt"))
    for name in names[2:]:
        for path in Path("ray").rglob(f"{name}.*"):
            path.unlink()
    finished = {p: p.stat().st_mtime_ns for p in Path("ray").rglob("*.nl-en.po")}
    assert len(finished) == 2

    report = _ray([corpus], Path("ray"), cache=True)

    statuses = sorted(d.status for d in report.documents)
    assert statuses == ["skipped"] * 2 + ["translated"] * 4
    # the finished documents were filtered out on the driver, never rewritten
    assert {p: p.stat().st_mtime_ns for p in finished} == finished
    local = run_translate([corpus], Path("local"), ScriptedEngine(), _options(Path("local")))
    assert local.count("translated") == 6
    assert _files(Path("ray")) == _files(Path("local"))
    # the actors' cache files, beside the configured one
    assert list(Path("ray/.toolkit").glob("cache-*.sqlite"))


def test_ray_run_learns_reviewed_paragraphs_into_the_memory_afterwards(ray_cluster, corpus):
    import polib

    _ray([corpus], Path("ray"))
    po_path = Path("ray/doc0.nl-en.po")
    po = polib.pofile(str(po_path))
    entry = po[0]
    entry.msgstr = "A translator's own English."
    entry.flags = [f for f in entry.flags if f != "fuzzy"]
    po.save(str(po_path))
    source = corpus / "doc0.txt"  # the Dutch changed elsewhere: the document is redone
    source.write_text(source.read_text(encoding="utf-8") + "\nEen nieuwe alinea.\n", "utf-8")

    report = _ray([corpus], Path("ray"))

    redone = next(d for d in report.documents if d.source.endswith("doc0.txt"))
    assert (redone.status, redone.kept_reviewed) == ("translated", 1)
    assert polib.pofile(str(po_path))[0].msgstr == "A translator's own English."
    memory = Path("ray/memory.nl-en.tmx").read_text(encoding="utf-8")
    assert "A translator's own English." in memory  # learned by the driver, not an actor


def test_failing_documents_fail_alone_and_a_dying_actor_writes_nothing(ray_cluster, corpus):
    (corpus / "doc2.txt").write_text(f"Dit is een {RAISES} zin.\n", encoding="utf-8")
    (corpus / "doc4.txt").write_text(f"Dit is een {KILLS} zin.\n", encoding="utf-8")
    (corpus / "doc0.txt").write_text("Te lang. " * 250_000, encoding="utf-8")  # > 2 MB

    report = _ray([corpus], Path("ray"), engine=FragileEngine())

    by_name = {Path(d.source).name: d for d in report.documents}
    cases = {
        # the stages raise for a batch: the documents are redone one by one, one fails
        "doc2.txt": "cannot translate this document (RuntimeError: the engine broke)",
        # the actor's process dies: the batch is retried, then each document alone
        "doc4.txt": "the Ray worker translating this document died",
        # over --max-document-bytes: fails in the driver's scan, never sent to an actor
        "doc0.txt": "over the per-document limit",
    }
    for name, reason in cases.items():
        assert by_name[name].status == "failed", name
        assert reason in by_name[name].reason
        assert "\n" not in by_name[name].reason
        assert not list(Path("ray").rglob(f"{Path(name).stem}.*")), "nothing half-written"
    others = [d for name, d in by_name.items() if name not in cases]
    assert [d.status for d in others] == ["translated"] * 3
    run_translate([corpus], Path("local"), ScriptedEngine(), _options(Path("local")))
    deep = {k: v for k, v in _files(Path("local")).items() if k.startswith("deep/")}
    assert len(deep) == 3 * 6
    assert {k: v for k, v in _files(Path("ray")).items() if k.startswith("deep/")} == deep


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_ray_address_is_one_line_and_exit_1(corpus):
    address = f"127.0.0.1:{_closed_port()}"
    args = ["translate", str(corpus), "-o", "out", "--engine", "scripted", "--runner", "ray"]
    result = CliRunner().invoke(main, [*args, "--ray-address", address])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: cannot reach the Ray cluster at {address} (Connection refused); "
        "start it with `ray start --head` or fix --ray-address"
    ]
    assert not Path("out/doc1.nl-en.po").exists()


def test_ray_runner_without_ray_says_how_to_install_the_extra(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "ray", None)  # what `import ray` sees without the extra
    args = ["translate", str(corpus), "-o", "out", "--engine", "scripted", "--runner", "ray"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: --runner ray needs Ray Data, which is not installed; "
        "install the extra: pip install -e '.[ray]'"
    ]


def test_ray_address_without_ray_runner_is_a_usage_error(corpus):
    args = ["translate", str(corpus), "-o", "out", "--engine", "scripted"]
    result = CliRunner().invoke(main, [*args, "--ray-address", "auto"])
    assert result.exit_code == 2
    assert "--ray-address is for --runner ray" in result.output


def test_help_does_not_import_ray():
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom toolkit.cli import main\n"
        "assert CliRunner().invoke(main, ['translate', '--help']).exit_code == 0\n"
        "assert 'ray' not in sys.modules, 'toolkit translate --help imported ray'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_claim_cache_file_gives_each_live_holder_its_own_file(tmp_path):
    from toolkit.run.ray_runner import claim_cache_file

    base = tmp_path / ".toolkit" / "cache.sqlite"
    first, fd_first = claim_cache_file(base)
    second, fd_second = claim_cache_file(base)  # flock is per open file: a second actor
    assert (first.name, second.name) == ("cache-0.sqlite", "cache-1.sqlite")
    os.close(fd_first)  # that actor ended: its file is free for the next one
    again, fd_again = claim_cache_file(base)
    assert again.name == "cache-0.sqlite"
    os.close(fd_second)
    os.close(fd_again)
