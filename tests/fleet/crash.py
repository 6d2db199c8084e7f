"""The Dask side of the fault injection: a worker plugin (installed again on every worker a
nanny restarts) that makes a CRASH-WORKER text export kill its worker process."""

from __future__ import annotations

import os

from distributed import WorkerPlugin

MARK = b"CRASH-WORKER"


class CrashOnMark(WorkerPlugin):
    name = "budget-audit-crash-on-mark"

    def setup(self, worker) -> None:
        from budget_audit.loaders import text

        real_load = getattr(text.load, "real", text.load)

        def load(path):
            with open(path, "rb") as handle:
                if handle.read(len(MARK)) == MARK:
                    os._exit(70)
            return real_load(path)

        load.real = real_load
        text.load = load

    def teardown(self, worker) -> None:
        from budget_audit.loaders import text

        text.load = getattr(text.load, "real", text.load)
