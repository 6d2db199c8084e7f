"""Benchmark (a script, not a test): the figures README quotes. Every figure is a real CLI run.

    .venv/bin/python tests/benchmark.py [--copies 2000] [--pdf-copies 2000] [--fresh-copies 200] [--flat 1000,20000]
                                        [--rows 100000,1000000] [--skip cold,pdf,fleet,flat,scale,gx]

cold   `budget-audit check --format json ONE_SAMPLE` against `python -c "import pandas"` (medians).
fleet  documents/s over copies of the samples and of the development PDFs (cached readings: the
       copies are byte-identical) and over copies of the PDFs read afresh (--no-cache: what a fleet
       of distinct PDFs costs), each with --jobs 1, --jobs 2 and a two-worker LocalCluster (--dask),
       the scaling from 1 to 2 workers, and the peak memory of the largest process; for --jobs 1
       the CPU a document costs, for Dask the CPU per document of the client and of the scheduler
       (start-up included: over a few documents it is most of it).
flat   --format jsonl over 1,000 and 20,000 documents: the peak memory must not grow.
scale  one text export with N detail rows: time and peak memory of a check against a bare `csv`
       read of the same file (the ratio; goal <= 10x, < 1 GiB at 1,000,000 rows), report size.
pdf    the PDF reader (no cache) against pdfplumber's bare find_tables() + extract_text() over the
       same pages of every development PDF (goal <= 1.0x), and a cached re-run (goal <= 0.1x).
gx     gx/bench.py's gx_vs_native() when it exists.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.txt"))
PDFS = sorted(p for p in (ROOT / "tests" / "data" / "pdf").iterdir() if p.suffix == ".pdf" or p.is_dir())
CLI = str(Path(sys.executable).parent / "budget-audit")
CENTER = ROOT / "samples" / "beijing-zhengwu-center-2026-budget.txt"


# Runs the command from a small process of its own: a child's peak RSS on Linux starts from what
# its parent held when it was forked (or vforked) and exec'd, so measured straight from this
# process every figure would be at least this benchmark's own size (a LocalCluster, the copies...).
# The command's descendants (the workers, children of the fork server) are looked at four times a
# second: each one's own peak (VmHWM), which only grows.
_LAUNCH = """
import os, select, sys, time
from pathlib import Path

def tree(pid):
    kids = [int(k) for task in Path(f"/proc/{pid}/task").glob("*/children") for k in task.read_text().split()]
    return [pid] + [p for k in kids for p in tree(k)]

def peak(pid):
    try:
        return max(int(line.split()[1]) for line in open(f"/proc/{pid}/status") if line.startswith("VmHWM:"))
    except (OSError, ValueError):
        return 0

start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    try:
        os.execvp(sys.argv[1], sys.argv[1:])
    finally:
        os._exit(127)
try:
    exited = os.pidfd_open(pid)  # readable at its exit: the wall time is not rounded to the look
except (AttributeError, OSError):
    exited = None
seen = 0
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        break
    try:
        seen = max([seen] + [peak(p) for p in tree(pid)])
    except OSError:  # a process went while being looked at
        pass
    if exited is None:
        time.sleep(0.01)
    else:
        select.select([exited], [], [], 0.25)
print(time.perf_counter() - start, max(seen, usage.ru_maxrss), os.waitstatus_to_exitcode(status),
      usage.ru_utime + usage.ru_stime)
"""


def measured(command: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB of the largest process of the run (the command and its
    descendants), exit status."""
    return _launched(command)[:3]


def _launched(command: list[str]) -> tuple[float, float, int, float]:
    """measured() and the CPU seconds of the command's own process (and of the children it waited
    for)."""
    out = subprocess.run([sys.executable, "-c", _LAUNCH, *command], capture_output=True, text=True, check=True)
    seconds, rss, status, cpu = out.stdout.split()
    return float(seconds), int(rss) / 1024, int(status), float(cpu)


def copies(folder: Path, sources: list[Path], count: int) -> Path:
    """`count` documents cycling through `sources` (a two-file folder copied as a folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        source = sources[i % len(sources)]
        target = folder / f"{i:05d}-{source.name}"
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, target)
    return folder


def cold(runs: int) -> None:
    def median(command):
        return statistics.median(measured(command)[0] for _ in range(runs))

    pandas = median([sys.executable, "-c", "import pandas"])
    check = median([CLI, "check", "--format", "json", str(SAMPLES[-1])])
    print(f"cold: import pandas {pandas * 1000:.0f} ms; budget-audit check {check * 1000:.0f} ms; "
          f"ratio {check / pandas:.2f}")


def fleet(work: Path, count: int, pdf_count: int, fresh_count: int) -> None:
    """Each kind with --jobs 1, --jobs 2 and Dask; the PDF cache is the run's own and filled by one
    unmeasured run first, so that no measured run pays the first reading of the byte-identical
    copies; "read afresh" (--no-cache) reads every PDF, as a fleet of distinct PDFs does."""
    kinds = [("text exports", copies(work / "txt", SAMPLES, count), count, []),
             ("PDFs", copies(work / "pdf", PDFS, pdf_count), pdf_count, []),
             ("PDFs read afresh", copies(work / "fresh", PDFS, fresh_count), fresh_count, ["--no-cache"])]
    with mock.patch.dict(os.environ):  # the environment as it was afterwards
        os.environ.pop("BUDGET_AUDIT_NO_CACHE", None)
        os.environ["BUDGET_AUDIT_CACHE_DIR"] = str(work / "fleet-cache")  # the CLI runs and the Dask workers read it
        measured([CLI, "check", "--format", "jsonl", "-o", str(work / "fleet.jsonl"), *map(str, PDFS)])
        _load_line()
        _fleet_rows(kinds)


def _load_line() -> None:
    """Scaling is only measured on an idle machine: say how idle it was. With the kernel's
    autogroup scheduling a niced process of another session still takes a full share."""
    load = os.getloadavg()[0]
    try:
        autogroup = Path("/proc/sys/kernel/sched_autogroup_enabled").read_text().strip() == "1"
    except OSError:
        autogroup = False
    busy = load > 0.5
    print(f"fleet: load average {load:.2f} before the runs"
          + ("; not idle, the scaling below is not the machine's" if busy else "")
          + ("; autogroup: a niced process of another session takes a full share" if busy and autogroup else ""),
          flush=True)


def _fleet_rows(kinds: list) -> None:
    """A cluster only for its own run: an idle LocalCluster takes about 5% of a core, which the
    --jobs 2 run would lose and the --jobs 1 run (one core free) would not. The scheduler runs in
    this process: its CPU is this process's over the run (which only waits for the run)."""
    from distributed import LocalCluster

    for name, folder, n, extra in kinds:
        rates = {}
        for label in ("--jobs 1", "--jobs 2", "dask 2 workers"):
            out = folder.parent / "fleet.jsonl"
            with contextlib.ExitStack() as stack:
                if label.startswith("dask"):
                    cluster = stack.enter_context(LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                               dashboard_address=":0"))
                    how = ["--dask", cluster.scheduler_address]
                else:
                    how = label.split()
                here = time.process_time()
                seconds, rss, status, cpu = _launched([CLI, "check", "--format", "jsonl", "-o", str(out), *extra,
                                                       *how, str(folder)])
                here = time.process_time() - here
            summary = json.loads(out.read_text("utf-8").splitlines()[-1])["summary"]
            rates[label] = n / seconds
            cpu_note = {"--jobs 1": f"  CPU {cpu / n * 1000:.1f} ms/document",
                        "dask 2 workers": f"  CPU client {cpu / n * 1000:.1f}, scheduler {here / n * 1000:.1f} "
                                          "ms/document (peak: client process only)"}.get(label, "")
            print(f"fleet: {name:16} {label:15} {n:5} documents {seconds:7.1f} s  {n / seconds:6.1f} documents/s"
                  f"  peak {rss:5.0f} MiB  exit {status}, {summary['documents']} checked, "
                  f"{summary['unreadable']} unreadable" + cpu_note, flush=True)
        print(f"fleet: {name:16} scaling 1 -> 2 workers {rates['--jobs 2'] / rates['--jobs 1']:.2f}x "
              f"(dask {rates['dask 2 workers'] / rates['--jobs 1']:.2f}x); "
              f"one machine (2 cores) checks {rates['--jobs 2'] * 86400:,.0f} such documents a day", flush=True)
        shutil.rmtree(folder)


def flat(work: Path, sizes: list[int]) -> None:
    for n in sizes:
        folder = copies(work / f"flat-{n}", SAMPLES, n)
        seconds, rss, _ = measured([CLI, "check", "--format", "jsonl", "--jobs", "2", "-o", str(work / "out.jsonl"),
                                    str(folder)])
        print(f"flat: jsonl --jobs 2 over {n:6} documents: peak {rss:5.0f} MiB, {seconds:6.1f} s, "
              f"{(work / 'out.jsonl').stat().st_size / 2**20:7.1f} MiB written")
        shutil.rmtree(folder)


def big_export(path: Path, rows: int) -> None:
    """The center sample with its 支出总表 detail rows repeated to `rows` rows (one row made wrong,
    so that the sums over all rows fail: the finding that used to list every cell)."""
    lines = CENTER.read_text("utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if "支出总表" in line and "预算03表" in line)
    detail = [i for i in range(start, min(start + 400, len(lines)))
              if lines[i][:1].isdigit() and lines[i].count("\t") >= 4][:20]
    block = [lines[i] for i in detail]
    grown = [block[i % len(block)] for i in range(rows)]
    grown[rows // 2] = grown[rows // 2].replace(".", "9.", 1)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines[:detail[0]] + grown + lines[detail[-1] + 1:]))


def scale(work: Path, sizes: list[int]) -> None:
    for rows in sizes:
        path = work / f"rows-{rows}.txt"
        big_export(path, rows)
        start = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            read = sum(1 for _ in csv.reader(handle, delimiter="\t"))
        bare = time.perf_counter() - start
        out = work / f"rows-{rows}.json"
        seconds, rss, status = measured([CLI, "check", "--format", "json", "-o", str(out), str(path)])
        size = out.stat().st_size / 2**20 if out.exists() else float("nan")
        print(f"scale: {rows:8,} rows ({path.stat().st_size / 2**20:.0f} MiB, {read:,} lines): csv read {bare:.2f} s; "
              f"check {seconds:.1f} s = {seconds / bare:.0f}x, peak {rss:.0f} MiB, exit {status}, JSON {size:.1f} MiB")
        path.unlink()
        out.unlink(missing_ok=True)


def gx() -> None:
    try:
        from budget_audit.gx.bench import gx_vs_native
    except ImportError:
        print("gx: gx/bench.py has no gx_vs_native() yet")
        return
    print(f"gx: {gx_vs_native()}")


def pdf_reader(work: Path) -> None:
    """The PDF reader (no cache) against pdfplumber's bare find_tables() + extract_text() over the
    same pages, alternating which goes first; then a cached re-run against the first run."""
    import pdfplumber

    from budget_audit.loaders.pdf.cache import cached_pages
    from budget_audit.loaders.pdf.source import read_pages

    files = sorted(f for p in PDFS for f in ([p] if p.is_file() else sorted(p.glob("*.pdf"))))

    def bare(path):
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.find_tables()
                page.extract_text()

    spent = {"bare": 0.0, "reader": 0.0}
    for i, path in enumerate(files):
        for name, read in (("bare", bare), ("reader", read_pages))[:: 1 if i % 2 else -1]:
            start = time.process_time()
            read(path)
            spent[name] += time.process_time() - start
    print(f"pdf: {len(files)} PDFs, bare pdfplumber {spent['bare']:.2f} s, reader {spent['reader']:.2f} s; "
          f"ratio {spent['reader'] / spent['bare']:.2f} (goal <= 1.0)")
    with mock.patch.dict(os.environ, {"BUDGET_AUDIT_CACHE_DIR": str(work / "cache")}):
        first = time.perf_counter()
        for path in files:
            cached_pages(path, use_cache=True)
        first = time.perf_counter() - first
        again = time.perf_counter()
        for path in files:
            cached_pages(path, use_cache=True)
        again = time.perf_counter() - again
    print(f"pdf: first run {first:.2f} s, cached re-run {again:.3f} s; ratio {again / first:.3f} (goal <= 0.1)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=2000)
    parser.add_argument("--pdf-copies", type=int, default=2000)
    parser.add_argument("--fresh-copies", type=int, default=200)
    parser.add_argument("--flat", default="1000,20000")
    parser.add_argument("--rows", default="100000,1000000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", default="")
    args = parser.parse_args()
    skip = set(args.skip.split(","))
    work = Path(tempfile.mkdtemp(prefix="budget-audit-bench-"))
    try:
        if "cold" not in skip:
            cold(args.runs)
        if "pdf" not in skip:
            pdf_reader(work)
        if "fleet" not in skip:
            fleet(work, args.copies, args.pdf_copies, args.fresh_copies)
        if "flat" not in skip:
            flat(work, [int(n) for n in args.flat.split(",")])
        if "scale" not in skip:
            scale(work, [int(n) for n in args.rows.split(",")])
        if "gx" not in skip:
            gx()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
