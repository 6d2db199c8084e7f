"""Checking many documents: in order (today's path), in worker processes (--jobs) or on a Dask
cluster (--dask). Every path gives the same report, byte for byte. (Issue #15: in progress.)"""

from __future__ import annotations

from budget_audit.reports.pipeline import check_paths


class FleetError(Exception):
    """A parallel run cannot start (e.g. Dask not installed, scheduler unreachable)."""


def check(paths, jobs=None, dask=None, progress=None, **options):
    """Check `paths` (already discovered) and return one AuditReport in their order."""
    if dask:
        raise FleetError("--dask is not available yet")
    return check_paths(paths, progress=progress, expand=False, **options)
