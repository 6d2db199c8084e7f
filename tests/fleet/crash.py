"""The Dask side of the fault injection: a worker plugin (installed again on every worker a
nanny restarts) that makes a CRASH-WORKER text export kill its worker process; a scheduler plugin
that records what became of each task."""

from __future__ import annotations

import os

from distributed import SchedulerPlugin, WorkerPlugin

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


class Transitions(SchedulerPlugin):
    """On the scheduler: the states this project's tasks go through, (key, state) in order."""

    name = "budget-audit-transitions"

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []

    def transition(self, key, start, finish, *args, **kwargs) -> None:
        if str(key).startswith("budget-audit-"):
            self.seen.append((str(key), finish))


def transitions(dask_scheduler) -> list[tuple[str, str]]:
    """On the scheduler (client.run_on_scheduler): what Transitions saw."""
    return dask_scheduler.plugins[Transitions.name].seen
