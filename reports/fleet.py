"""Checking many documents: in order (--jobs 1), in worker processes (--jobs N) or on a Dask
cluster (--dask ADDRESS, reports/fleet_dask.py). Every path gives the same report, byte for byte:
results are taken back in the order of the paths, whatever order the workers finish in.

With `sink`, each DocumentResult is handed over as soon as it and all before it are done and is
not kept: the returned report then holds only counters (reports/fleet_totals.py), so memory stays
flat over any number of documents (--format jsonl); a worker then sends each result back without
its Document and rules (the likely causes found), most of what the parent would unpickle.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from budget_audit.reports import pipeline
from budget_audit.reports.report import AuditReport, DocumentResult

WINDOW = 4  # documents in flight per worker: enough to keep every worker busy, few to hold
# what the first check of a text export or a cached PDF imports (pdfplumber only when a PDF is
# read afresh): imported once in the fork server, not again in each worker
PRELOAD = ["budget_audit.reports.fleet", "budget_audit.loaders.text", "budget_audit.loaders.pdf.reader",
           "budget_audit.loaders.pdf.cache", "budget_audit.rules.root_cause", "numpy"]
DIED = "worker died while checking (a crash or out of memory); the other documents are checked"


class FleetError(Exception):
    """A parallel run cannot start (e.g. Dask not installed, scheduler unreachable)."""


def cores() -> int:
    """The cores this process may run on (the --jobs default)."""
    count = getattr(os, "process_cpu_count", None)  # Python 3.13+
    if count:
        return count() or 1
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check(paths, jobs=None, dask=None, dask_ship="auto", progress=None, sink=None, profile=None, ruleset=None,
          select=(), ignore=(), fail_on="error", skip_other=False, engine="native", causes=True,
          relate=None) -> AuditReport:
    """Check `paths` (already discovered) and return one AuditReport in their order; with `sink`,
    results go to it one by one and the report keeps counters only. `causes`: workers find each
    document's likely causes (False when the output shows none, e.g. --quiet)."""
    paths = list(paths)
    options = dict(profile=profile, ruleset=ruleset, select=tuple(select), ignore=tuple(ignore),
                   fail_on=fail_on, engine_name=engine)
    if dask:
        from budget_audit.loaders.pdf.cache import cache_enabled
        from budget_audit.reports.fleet_dask import results as on_cluster

        # a Dask worker started without the client's environment: --no-cache goes with each task
        stream = on_cluster(dask, paths, {**options, "causes": causes, "keep": sink is None,
                                          "no_cache": not cache_enabled()}, ship=dask_ship)
    else:
        jobs = cores() if jobs is None else jobs
        if jobs < 1:
            raise FleetError(f"--jobs {jobs}: 进程数至少为 1 give 1 or more worker processes")
        in_order = jobs == 1 or len(paths) < 2
        stream = (_in_order(paths, options) if in_order
                  else _in_pool(paths, {**options, "causes": causes, "keep": sink is None}, jobs))
    return collect(stream, fail_on, skip_other, progress, sink, relate)


def collect(stream: Iterable[DocumentResult], fail_on: str, skip_other: bool,
            progress: Callable[[str], None] | None, sink: Callable[[DocumentResult], None] | None,
            relate: str | None = None) -> AuditReport:
    """The report of results given in order, exactly as pipeline.check_paths builds it."""
    if sink is not None:
        from budget_audit.reports.fleet_totals import Totals

        report = Totals(fail_on=fail_on)
    else:
        report = AuditReport(fail_on=fail_on)
    for result in stream:
        disclosure = result.is_disclosure or not skip_other
        if sink is not None:
            sink(result)  # first: the sink may mark findings (waivers) that the counters must see
            report.add(result, disclosure)
        else:
            (report.documents if disclosure else report.skipped).append(result)
        if progress:
            progress(result.path)
    if sink is None:
        pipeline.finish_batch(report, relate)  # batch-level checks need every document (not kept with a sink)
    return report


def _in_order(paths: list[str], options: dict) -> Iterator[DocumentResult]:
    for path in paths:
        yield pipeline.check_document(path, **options)


def check_one(path: str, options: dict) -> DocumentResult:
    """One document in a worker (process or Dask task); the Document comes back with the result
    (HTML excerpts and sibling checks read it) unless options["keep"] is False: a streamed run
    (sink) writes each result's findings and causes and reads no table afterwards."""
    options = dict(options)
    causes = options.pop("causes", True)
    keep = options.pop("keep", True)
    # --no-cache goes with the task (a Dask worker has its own environment); else the worker's own
    use_cache = False if options.pop("no_cache", False) else None
    result = pipeline.check_document(path, **options, use_cache=use_cache)
    if causes:
        _ = result.causes  # the likely causes (re-running rules) are found here, in parallel, not in the parent
        if not keep:  # two thirds of what the parent would unpickle (the causes are found: nothing reads them)
            result.document, result.rules = None, []
    if result.document is not None:
        result.document.cache.clear()  # rule-evaluation scratch: large and not needed afterwards
    return result


def died(path: str) -> DocumentResult:
    """The result of a document whose worker died (it is reported as unreadable, the batch goes on)."""
    return DocumentResult(path=path, status="error", load_error=f"{path}: {DIED}", load_reason=DIED)


def _quiet_worker() -> None:
    """Ctrl-C is the parent's to handle: it stops the workers itself, so none prints a traceback.
    A parent killed outright (SIGKILL, out of memory) stops none: each worker then goes by itself,
    it would otherwise wait for work forever (it holds its own queue's write end)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is not None and parent.sentinel is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()


def _exit_with(sentinel) -> None:
    from multiprocessing.connection import wait

    wait([sentinel])  # readable once the parent is gone
    os._exit(1)


def _pool(workers: int) -> ProcessPoolExecutor:
    import multiprocessing

    # forkserver: workers start from a clean server that has the checker imported, never from a
    # parent that runs threads (the progress bar)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_quiet_worker)


@contextlib.contextmanager
def _atomic_spawn():
    """Ctrl-C waits until a worker is started: a worker half-started when the parent goes would
    fail on its own and print a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda *frame: caught.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(*caught[0])


def _submit(pool: ProcessPoolExecutor, path: str, options: dict):
    with _atomic_spawn():  # a submit may start a worker process
        return pool.submit(check_one, path, options)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop at once: queued documents are dropped, running workers terminated."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public way to kill them
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(5)


def _in_pool(paths: list[str], options: dict, jobs: int) -> Iterator[DocumentResult]:
    """Results in the order of `paths` from a pool of `jobs` processes; a document whose worker
    dies is re-run alone to tell it from the documents that were running beside it."""
    workers = min(jobs, len(paths))
    pending = deque(paths)
    pool = _pool(workers)
    flight: deque = deque()
    try:
        while pending or flight:
            while pending and len(flight) < workers * WINDOW:
                path = pending.popleft()
                flight.append((path, _submit(pool, path, options)))
            path, future = flight[0]
            try:
                result = future.result()
            except BrokenProcessPool:
                _stop(pool)
                suspects = [p for p, _ in flight]
                flight.clear()
                yield from _alone(suspects, options)
                pool = _pool(workers)
                continue
            flight.popleft()
            yield result
    except BaseException:  # Ctrl-C, or the consumer stopped: leave no worker behind
        _stop(pool)
        raise
    pool.shutdown()


def _alone(paths: list[str], options: dict) -> Iterator[DocumentResult]:
    """Each document in a one-worker pool of its own: only the one that kills it is an error."""
    pool = _pool(1)
    try:
        for path in paths:
            try:
                result = _submit(pool, path, options).result()
            except BrokenProcessPool:
                _stop(pool)
                result = died(path)
                pool = _pool(1)
            yield result
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
