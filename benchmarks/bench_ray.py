"""What the Ray Data runner costs against the in-process run, end to end, on this machine.

    python benchmarks/bench_ray.py [--sizes 1000 5000] [--repeats 3]

Writes N small distinct documents (two paragraphs of the samples each, numbered),
then times `toolkit translate --engine scripted` as a fresh process per run: the
in-process runner, the Ray runner with one actor (`--inter-threads 2`: the actor
reserves both cores, as the local run uses one process), and with two single-core
actors (`--inter-threads 1`). Ray's time includes starting its local cluster. While
a Ray run goes, every actor process's RSS is sampled; the peak is reported. Last, a
Ray run over the finished folder measures the driver's resume scan (every input
read and its marker checked; nothing is translated). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLKIT = [sys.executable, "-m", "toolkit"]
ACTOR_TITLE = "_Translator"  # Ray names an actor's process after its class
VARIANTS = {
    "in-process (--runner local)": ["--runner", "local"],
    "Ray, 1 actor x 2 CPUs": ["--runner", "ray", "--inter-threads", "2"],
    "Ray, 2 actors x 1 CPU": ["--runner", "ray", "--inter-threads", "1"],
}


def write_corpus(folder: Path, count: int) -> None:
    paragraphs = [
        block
        for seed in sorted((REPO / "seeds").glob("*.txt"))
        for block in seed.read_text(encoding="utf-8").split("\n\n")
        if block.strip()
    ]
    folder.mkdir(parents=True)
    for number in range(count):
        first = paragraphs[(2 * number) % len(paragraphs)]
        second = paragraphs[(2 * number + 1) % len(paragraphs)]
        text = f"Artikel {number}\n\n{first}\n\n{second}\n"
        (folder / f"doc{number:05d}.txt").write_text(text, encoding="utf-8")


def parent(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])  # the name may hold spaces and ")"


class ActorMemory:
    """Samples the RSS of the Ray actors under process `root` until stopped.

    Only descendants count: another run's actors (a test suite) must not.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ActorMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for proc in Path("/proc").glob("[0-9]*"):
                try:
                    if ACTOR_TITLE not in (proc / "cmdline").read_text(errors="replace"):
                        continue
                    status = (proc / "status").read_text().splitlines()
                    kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
                except (OSError, StopIteration):  # gone meanwhile, or a zombie
                    continue
                pid = ancestor = int(proc.name)
                while ancestor not in (0, 1, self.root):
                    ancestor = parent(ancestor)
                if ancestor != self.root:
                    continue
                self.peak[pid] = max(self.peak.get(pid, 0), kib * 1024)


def timed_run(corpus: Path, outdir: Path, extra: list[str]) -> tuple[float, list[int]]:
    command = [*TOOLKIT, "translate", str(corpus), "-o", str(outdir), "--engine", "scripted"]
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [*command, "--quiet", *extra], env=env, stderr=subprocess.PIPE, text=True
    )
    with ActorMemory(process.pid) as memory:
        _, stderr = process.communicate()
        seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"bench_ray: {' '.join(command)} failed:\n{stderr[-2000:]}")
    return seconds, sorted(memory.peak.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--ray-variants",
        type=int,
        nargs="+",
        default=[1, 2],
        help="which Ray rows: 1 (1 actor x 2 CPUs), 2 (2 actors x 1 CPU)",
    )
    args = parser.parse_args()
    names = list(VARIANTS)
    variants = {names[0]: VARIANTS[names[0]]} | {
        names[i]: VARIANTS[names[i]] for i in args.ray_variants
    }
    print(f"cores: {os.cpu_count()}; load average at start: {os.getloadavg()[0]:.1f}")
    print()
    print(
        "| documents | runner | min s | median s | median / in-process | actor peak RSS MB "
        "| load avg |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    medians: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-ray-") as scratch:
        for size in args.sizes:
            corpus = Path(scratch) / f"corpus{size}"
            write_corpus(corpus, size)
            times: dict[str, list[float]] = {name: [] for name in variants}
            rss: dict[str, list[int]] = {name: [] for name in variants}
            last_out = Path()
            for repeat in range(args.repeats):
                for index, (name, extra) in enumerate(variants.items()):
                    last_out = Path(scratch) / f"out{size}-{repeat}-{index}"
                    seconds, peaks = timed_run(corpus, last_out, extra)
                    times[name].append(seconds)
                    print(f"bench_ray: {size} {name} {seconds:.1f} s", file=sys.stderr, flush=True)
                    rss[name].extend(peaks)
            base = statistics.median(times["in-process (--runner local)"])
            load = os.getloadavg()[0]
            for name in variants:
                median = statistics.median(times[name])
                memory = f"{max(rss[name]) / 2**20:.0f}" if rss[name] else "-"
                print(
                    f"| {size} | {name} | {min(times[name]):.1f} | {median:.1f} | "
                    f"{median / base:.2f} | {memory} | {load:.1f} |"
                )
            medians[size] = {name: statistics.median(times[name]) for name in variants}
            resume, _ = timed_run(corpus, last_out, list(variants.values())[-1])
            print(
                f"| {size} | Ray, all up to date (driver's resume scan) | {resume:.1f} | "
                f"{resume:.1f} | - | - | {os.getloadavg()[0]:.1f} |"
            )
    print()
    print(slope_table(medians))


def slope_table(medians: dict[int, dict[str, float]]) -> str:
    """Each runner as fixed seconds plus seconds per document, from the smallest and the
    largest size's medians (e.g. 1,000 and 5,000 documents); per document also against the
    in-process runner's (the issue's target: at most 1.1x)."""
    if len(medians) < 2:
        return "(one size: give two --sizes for the fixed cost and the per-document slope)"
    low, high = min(medians), max(medians)
    local = "in-process (--runner local)"
    slopes = {
        name: (medians[high][name] - medians[low][name]) / (high - low) for name in medians[low]
    }
    lines = [
        f"| runner | fixed s (at 0 documents) | ms per document ({low}→{high}) "
        "| per document / in-process |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, slope in slopes.items():
        fixed = medians[low][name] - slope * low
        lines.append(
            f"| {name} | {fixed:.1f} | {slope * 1000:.1f} | {slope / slopes[local]:.2f}× |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
