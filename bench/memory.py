"""Benchmark: the memory of our gunicorn (master and workers) with and without ``--preload``.

    PYTHONPATH=.:bench .venv/bin/python bench/memory.py [--workers 4] [--launches 40]
        [--database postgresql|sqlite] [--rounds 2]

Starts our tool under gunicorn with its shipped configuration, on PostgreSQL (a schema of
its own, dropped afterwards) or SQLite, without and then with ``--preload``, alternately;
launches ``--launches`` learners (each to the first page) so every worker has served
launches, then sums ``Rss`` and ``Pss`` (the proportional set size: a page shared by n
processes counts 1/n in each) of the master and its workers from
``/proc/<pid>/smaps_rollup``, and prints both and the ratio. Not a test: the figures go into
docs/benchmarks.md and docs/operations.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.db_fixtures import empty_database_url
from tests.lti_server import RunningTool, gunicorn_tool


def memory_kib(pid: int) -> dict[str, int]:
    """``Rss`` and ``Pss`` of one process, in KiB (Linux ``/proc/<pid>/smaps_rollup``)."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            sizes[name] = int(rest.split()[0])
    return sizes


def gunicorn_memory_mib(tool: RunningTool) -> dict[str, float]:
    master = tool.process.pid
    workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    total = {"Rss": 0, "Pss": 0}
    for pid in [master, *map(int, workers)]:
        for name, kib in memory_kib(pid).items():
            total[name] += kib
    return {name: kib / 1024 for name, kib in total.items()}


@contextmanager
def running(database: str, workers: int, preload: bool) -> Iterator[RunningTool]:
    with (
        tempfile.TemporaryDirectory() as workdir,
        empty_database_url(database, Path(workdir)) as url,
    ):
        options = ["--preload"] if preload else []
        with gunicorn_tool(
            Path(workdir), url, workers=workers, config=True, options=options
        ) as tool:
            yield tool


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--launches", type=int, default=40)
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    results: dict[bool, list[dict[str, float]]] = {False: [], True: []}
    for _ in range(args.rounds):
        for preload in (False, True):
            with running(args.database, args.workers, preload) as tool:
                for _ in range(args.launches):
                    tool.launch()
                results[preload].append(gunicorn_memory_mib(tool))
    print(f"gunicorn, shipped configuration, {args.workers} workers, {args.database}, "
          f"after {args.launches} launches; master and workers together:")  # fmt: skip
    medians = {}
    for preload, rounds in results.items():
        name = "--preload" if preload else "without"
        rss = statistics.median(r["Rss"] for r in rounds)
        pss = statistics.median(r["Pss"] for r in rounds)
        medians[preload] = pss
        each = ", ".join(f"{r['Pss']:.0f}" for r in rounds)
        print(f"  {name:9}  Rss {rss:6.0f} MiB  Pss {pss:6.0f} MiB  (Pss per round: {each})")
    print(f"ratio --preload : without {medians[True] / medians[False]:.2f}x Pss")


if __name__ == "__main__":
    main()
