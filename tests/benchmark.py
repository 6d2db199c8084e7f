"""Benchmark (not a test): cold single-document check vs a bare pandas import, and warm throughput.

    .venv/bin/python tests/benchmark.py [--copies 300] [--runs 7]

Cold: the wall time of `budget-audit check --format json ONE_SAMPLE` against
`python -c "import pandas"` in the same environment (medians). Goal: ratio <= 1.3.
Warm: documents per second over many copies of the samples, one worker process per core, each
worker already started (imports and rule sets loaded). Goal: >= 200 documents/s on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
CLI = Path(sys.executable).parent / "budget-audit"


def wall(command: list[str], runs: int) -> float:
    """Median wall time of a command, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _warm_up() -> None:
    from budget_audit.reports.pipeline import check_document

    for sample in SAMPLES:
        check_document(str(sample))


def _check(paths: list[str]) -> int:
    from budget_audit.reports.pipeline import check_document

    for path in paths:
        check_document(path)
    return len(paths)


def warm(copies: int, workers: int) -> float:
    """Documents per second over `copies` files, `workers` processes."""
    folder = Path(tempfile.mkdtemp(prefix="budget-audit-bench-"))
    try:
        paths = []
        for i in range(copies):
            source = SAMPLES[i % len(SAMPLES)]
            target = folder / f"{i:04d}-{source.name}"
            shutil.copyfile(source, target)
            paths.append(str(target))
        chunks = [paths[i::workers] for i in range(workers)]
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_warm_up_wrapper, range(workers)))
            start = time.perf_counter()
            done = sum(pool.map(_check, chunks))
            elapsed = time.perf_counter() - start
        return done / elapsed
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _warm_up_wrapper(_: int) -> None:
    _warm_up()


def main() -> None:
    """Print the figures the README's performance section quotes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    sample = str(ROOT / "samples" / "xicheng-zhengwu-2021-budget.txt")
    pandas = wall([sys.executable, "-c", "import pandas"], args.runs)
    check = wall([str(CLI), "check", "--format", "json", sample], args.runs)
    print(f"cold: import pandas {pandas * 1000:.0f} ms; budget-audit check {check * 1000:.0f} ms; "
          f"ratio {check / pandas:.2f} (goal <= 1.3)")
    rate = warm(args.copies, args.workers)
    print(f"warm: {rate:.0f} documents/s with {args.workers} workers over {args.copies} documents (goal >= 200)")


if __name__ == "__main__":
    main()
