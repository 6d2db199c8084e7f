"""Fault injection for tests/fleet (on PYTHONPATH of one CLI run only): a text export whose first
line is CRASH-WORKER kills the process that reads it at once, as a segfault or the kernel's
out-of-memory killer would. Everything else is read by the real reader."""

import os


def _install() -> None:
    from budget_audit.loaders import text

    real_load = text.load

    def load(path):
        with open(path, "rb") as handle:
            if handle.read(12) == b"CRASH-WORKER":
                os._exit(70)
        return real_load(path)

    text.load = load


_install()
