"""--dask ADDRESS: each document is one task on a dask.distributed cluster, results taken back in
the order of the paths.

Workers read the documents themselves, by the path the client names: the paths must be readable
on every worker (a shared file system mounted at the same place, the same working directory for
relative paths). A worker that dies is replaced by its nanny and Dask runs its tasks again
(`distributed.scheduler.allowed-failures`); a document that kills every worker it meets becomes an
error ("worker died while checking") and the batch goes on.
"""

from __future__ import annotations

import socket
import uuid
from collections import deque
from typing import Iterator

from budget_audit.reports.fleet import WINDOW, FleetError, check_one, died
from budget_audit.reports.report import DocumentResult

RETRIES = 2  # Dask's own retries of a task that raised (e.g. a transient read error)
CONNECT_SECONDS = 10


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


def results(address: str, paths: list[str], options: dict) -> Iterator[DocumentResult]:
    """Results in the order of `paths`; a bounded number of tasks in flight, so that finished but
    not yet taken results never pile up on the workers."""
    client = _client(address)
    from distributed import KilledWorker

    run = uuid.uuid4().hex[:8]  # keys unique to this run: two runs may share a cluster
    try:
        slots = max(1, sum(client.nthreads().values())) * WINDOW
        pending, flight = deque(paths), deque()
        while pending or flight:
            while pending and len(flight) < slots:
                path = pending.popleft()
                flight.append((path, client.submit(check_one, path, options, pure=False, retries=RETRIES,
                                                   key=f"budget-audit-{run}-{len(paths) - len(pending)}")))
            path, future = flight.popleft()
            try:
                result = future.result()
            except KilledWorker:
                result = died(path)
            future.release()
            yield result
    except BaseException:  # Ctrl-C or the consumer stopped: take the queued tasks back
        client.cancel([future for _, future in flight], force=True)
        raise
    finally:
        client.close()
