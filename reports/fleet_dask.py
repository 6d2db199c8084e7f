"""--dask ADDRESS: documents are checked by tasks on a dask.distributed cluster, results taken back
in the order of the paths. A task checks a batch of consecutive documents (a task costs the client,
the scheduler and the worker about 5 ms of CPU together, a tenth of a text export's check):
one document per task until tasks have come back, then as many as take about TASK_SECONDS of CPU on
a worker (at most BATCH_SIZES[1], SHIP_BATCH_BYTES of shipped bytes, and fewer as the last documents
are shared out, so that no worker is left idle at the end while another checks a long task).

A worker reads a document by the path the client names when it sees that path as the client does
(a shared file system mounted at the same place); otherwise the client ships the document's bytes
with the task (`ship`: "auto" decides per document by asking every worker for each path's size
and modification time, "always" ships every document, "never" ships none). A shipped document is
written to a temporary folder on the worker under its own name (a two-file publication as a folder
of its two files) and read from there; its result names the client's path, so the report is the
one the client would write alone. A path the client itself cannot read as a file or a two-file
folder (missing, a dangling link...) is checked by the client when shipping: only it can say why.

A worker that dies is replaced by its nanny and Dask runs its tasks again
(`distributed.scheduler.allowed-failures`). A task that fails all the same (its workers killed, or
raised after its retries) is run again as one task per document, one such task at a time: a task
that was on a worker beside a killing document may have failed with it, and two documents checked
again side by side could fail together. Only then is a document whose worker dies an error ("worker
died while checking"), and the run goes on; a document whose check raises raises, as in the
sequential run.
"""

from __future__ import annotations

import os
import socket
import tempfile
import time
import uuid
from collections import deque
from pathlib import Path
from typing import Callable, Iterator

from budget_audit.reports.fleet import WINDOW, FleetError, check_one, died
from budget_audit.reports.report import DocumentResult

RETRIES = 2  # Dask's own retries of a task that raised (e.g. a transient read error)
CONNECT_SECONDS = 10
PLAN_CHUNKS = (64, 2048)  # paths the workers look at per round: a few first (the first tasks wait for them), then many
SHIP_MODES = ("auto", "always", "never")
BATCH_SIZES = (1, 16)  # documents per task: the first tasks (before any came back), the most
# a task's aim in CPU seconds on a worker (CPU, not wall: a loaded machine does not shrink the tasks):
# its own cost (~5 ms) well under 1%, results still streamed every few seconds
TASK_SECONDS = 2.0
SHIP_BATCH_BYTES = 8 << 20  # a task's shipped bytes (more only for one document): the client's memory in flight


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise FleetError("--dask 需要安装 dask 扩展 needs the dask extra: "
                         "pip install 'budget-audit[dask]'") from None
    _reachable(address)
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise FleetError(f"--dask {address}: 无法连接调度器 cannot reach the scheduler "
                         f"({type(exc).__name__}: {exc})") from None


def _reachable(address: str) -> None:
    """A refused or unresolvable tcp:// address is said at once (Dask would retry until its timeout)."""
    if not address.startswith("tcp://"):
        return  # other protocols (tls://, inproc://, a scheduler file) are left to Dask
    host, _, port = address[len("tcp://"):].rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_SECONDS).close()
    except ValueError:
        raise FleetError(f"--dask {address}: 不是调度器地址 not a scheduler address (tcp://host:port)") from None
    except OSError as exc:
        raise FleetError(f"--dask {address}: 无法连接调度器 cannot reach the scheduler "
                         f"({exc.strerror or exc})") from None


def _files(path: str) -> list[Path] | None:
    """The files a document is read from: itself, or a two-file publication's two PDFs; None when
    the path is neither (missing, a dangling link, a folder of another kind, a FIFO...)."""
    if os.path.isfile(path):
        return [Path(path)]
    if os.path.isdir(path):
        from budget_audit.loaders.discover import publication_files

        return publication_files(Path(path))
    return None


def fingerprint(path: str) -> tuple | None:
    """What tells a worker that it sees a document as the client does: each file's name, size and
    modification time (None when the path is no readable document)."""
    try:
        return tuple((f.name, st.st_size, st.st_mtime_ns) for f in _files(path) or () for st in [f.stat()]) or None
    except OSError:
        return None


def _fingerprints(paths: list[str]) -> list[tuple | None]:
    return [fingerprint(p) for p in paths]  # runs on every worker (client.run)


def _mode(ship: str) -> None:
    if ship not in SHIP_MODES:
        raise FleetError(f"--dask-ship {ship}: 应为 should be one of {', '.join(SHIP_MODES)}")


def plan(client, paths: list[str], ship: str, on_error: str = "raise") -> list[str]:
    """For each path: "path" (the workers read it), "bytes" (shipped) or "client" (the client
    names why it cannot be read). `on_error` "ignore": a worker that cannot answer (dying, being
    replaced) is left out."""
    _mode(ship)
    if ship == "never":
        return ["path"] * len(paths)
    mine = _fingerprints(paths)
    if ship == "always":
        return ["bytes" if m else "client" for m in mine]
    seen = list(client.run(_fingerprints, paths, on_error=on_error).values())  # every worker, each path
    return ["path" if m and all(w[i] == m for w in seen) else "bytes" if m else "client"
            for i, m in enumerate(mine)]


def planned(client, paths: list[str], ship: str) -> Iterator[str]:
    """plan() chunk by chunk as the tasks are submitted: the first tasks start at once, not after
    every worker has looked at every path (a long wait over 100,000 paths), and no worker is sent
    the whole list at once. Past the first chunk a worker lost mid-run is left out (Dask replaces
    it and runs its tasks again), as it would have been had it died after one plan of every path."""
    _mode(ship)  # said before any task

    def chunks():
        start, size = 0, PLAN_CHUNKS[0]
        while start < len(paths):
            yield from plan(client, paths[start:start + size], ship, "raise" if start == 0 else "ignore")
            start, size = start + size, PLAN_CHUNKS[1]

    return chunks()


def payload(path: str) -> tuple[str, list[tuple[str, bytes]], bool] | None:
    """(the document's name, its files' names and bytes, whether it is a folder); None when the
    client cannot read it (then it checks the path itself)."""
    files = _files(path)
    if not files:
        return None
    try:
        data = [(f.name, f.read_bytes()) for f in files]
    except OSError:
        return None
    return Path(path).name or "document", data, os.path.isdir(path)


def check_shipped(path: str, shipped: tuple[str, list[tuple[str, bytes]], bool], options: dict) -> DocumentResult:
    """On a worker: check a document from its shipped bytes; the result names the client's `path`."""
    name, files, folder = shipped
    with tempfile.TemporaryDirectory(prefix="budget-audit-shipped-") as tmp:
        staged = Path(tmp) / name
        if folder:
            staged.mkdir()
        for file_name, data in files:
            (staged / file_name if folder else staged).write_bytes(data)
        result = check_one(str(staged), options)
    return renamed(result, str(staged), path)


def renamed(result: DocumentResult, staged: str, path: str) -> DocumentResult:
    """The result as if the document had been read at `path` (cell places name files by their
    own names, which shipping keeps)."""
    result.path = path
    for field in ("load_error", "load_reason"):
        text = getattr(result, field)
        if text:
            setattr(result, field, text.replace(staged, path))
    if result.document is not None:
        result.document.path = path
    return result


def check_batch(items: list[tuple[str, tuple | None]], options: dict) -> tuple[float, list[DocumentResult]]:
    """On a worker: each (path, shipped bytes or None) in turn; the CPU seconds they took (the
    client sizes the next tasks by them) and their results."""
    start = time.thread_time()  # this task's thread only: not the worker's other threads, nor other processes
    checked = [check_one(path, options) if shipped is None else check_shipped(path, shipped, options)
               for path, shipped in items]
    return time.thread_time() - start, checked


class Sizer:
    """How many documents the next task checks: BATCH_SIZES[0] until a task has come back, then as
    many as take TASK_SECONDS of CPU at the recent tasks' pace, at most twice the size of the task just
    back (a few quick documents do not make the next task huge) and BATCH_SIZES[1]."""

    def __init__(self) -> None:
        self.size = BATCH_SIZES[0]
        self.recent: deque = deque(maxlen=8)  # (seconds, documents) of the last tasks back

    def done(self, seconds: float, documents: int) -> None:
        self.recent.append((seconds, documents))
        pace = sum(s for s, _ in self.recent) / sum(n for _, n in self.recent)
        fits = int(TASK_SECONDS / pace) if pace > 0 else BATCH_SIZES[1]
        self.size = max(1, min(BATCH_SIZES[1], 2 * documents, fits))


def results(address: str, paths: list[str], options: dict, ship: str = "auto") -> Iterator[DocumentResult]:
    """Results in the order of `paths`; a bounded number of tasks in flight, so that finished but
    not yet taken results (nor shipped bytes) never pile up."""
    client = _client(address)
    from distributed import KilledWorker

    run = uuid.uuid4().hex[:8]  # keys unique to this run: two runs may share a cluster
    # in order: (index of the first path, [(path, shipped or None)], "client", "task" or "alone", future)
    flight: deque = deque()
    sizer = Sizer()

    def submit(first: int, items: list, alone: bool = False):
        key = f"budget-audit-{run}-{first}-{'alone' if alone else len(items)}"
        return client.submit(check_batch, items, options, pure=False, retries=RETRIES, key=key)

    try:
        threads = max(1, sum(client.nthreads().values()))
        slots = threads * WINDOW
        # the last documents in smaller tasks: each thread's share of what is left at most (halved)
        batches = _batches(paths, planned(client, paths, ship),
                           lambda left: max(1, min(sizer.size, left // (2 * threads))))
        while True:
            while len(flight) < slots:
                first, items, remote = next(batches, (None, None, None))
                if items is None:
                    break
                flight.append((first, items, *(("task", submit(first, items)) if remote else ("client", None))))
            if not flight:
                break
            first, items, how, future = flight[0]  # left in flight until taken: Ctrl-C while waiting cancels it
            if how == "client":
                result = check_one(items[0][0], options)
                flight.popleft()
                yield result
                continue
            if future is None:  # a document alone: submitted when its turn comes, so one at a time
                future = submit(first, items, alone=True)
                flight[0] = (first, items, how, future)
            try:
                seconds, checked = future.result()
            except Exception as exc:
                flight.popleft()
                future.release()
                if how == "task" and (len(items) > 1 or isinstance(exc, KilledWorker)):  # a lone raiser raises again
                    flight.extendleft(reversed([(first + i, [item], "alone", None) for i, item in enumerate(items)]))
                    continue
                if not isinstance(exc, KilledWorker):
                    raise
                yield died(items[0][0])
                continue
            flight.popleft()
            future.release()
            sizer.done(seconds, len(items))
            yield from checked
    except BaseException:  # Ctrl-C or the consumer stopped: take the queued tasks back
        client.cancel([future for *_, future in flight if future is not None], force=True)
        raise
    finally:
        client.close()


def _batches(paths: list[str], ways: Iterator[str], size: Callable[[int], int]) -> Iterator[tuple[int, list, bool]]:
    """(index of the first path, [(path, shipped bytes or None)], whether a worker checks them) in
    the order of the paths: consecutive documents for the workers, size(paths left) at most (asked
    as each batch starts), closed once it holds SHIP_BATCH_BYTES of shipped bytes; a path the client
    checks is a batch of its own."""
    held = None  # a path's way read while filling a batch that it does not belong to
    index = 0
    while index < len(paths):
        first, items, shipped_bytes, most = index, [], 0, size(len(paths) - index)
        while index < len(paths) and len(items) < most and shipped_bytes < SHIP_BATCH_BYTES:
            way, held = held or next(ways), None
            shipped = payload(paths[index]) if way == "bytes" else None
            if way == "client" or (way == "bytes" and shipped is None):
                if items:
                    held = "client"  # taken again as the next batch
                    break
                index += 1
                yield first, [(paths[first], None)], False
                break
            items.append((paths[index], shipped))
            shipped_bytes += sum(len(data) for _, data in shipped[1]) if shipped else 0
            index += 1
        if items:
            yield first, items, True
