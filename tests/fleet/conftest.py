"""Fleet fixtures: a folder mixing text exports, PDFs and unreadable files; its sequential JSON
report (the reference every parallel path must give byte for byte); one two-worker Dask cluster."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
PDFS = [ROOT / "tests" / "data" / "pdf" / name
        for name in ("sh_putuo_zhengfuban_2025_budget_unit.pdf",)]
CLI = str(Path(sys.executable).parent / "budget-audit")


def run_cli(*args, cwd=None, env=None, **streams) -> subprocess.CompletedProcess:
    streams = streams or {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run([CLI, *map(str, args)], text=True, timeout=300, cwd=cwd, env=env, **streams)


def json_of(report) -> str:
    """The report as `check --format json` prints it."""
    from budget_audit.reports.formats import get

    return get("json").render(report, "zh")


@pytest.fixture(scope="session")
def mixed(tmp_path_factory) -> Path:
    """Samples, a PDF, and files that cannot be read: empty, binary, a broken PDF, a dangling link."""
    folder = tmp_path_factory.mktemp("mixed")
    for source in [*sorted(SAMPLES.glob("*.txt")), *PDFS]:
        shutil.copyfile(source, folder / source.name)
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / "b-binary.txt").write_bytes(b"\x00\x01budget\x00" * 50)
    (folder / "c-broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF garbage")
    os.symlink(folder / "gone.txt", folder / "d-dangling.txt")
    return folder


@pytest.fixture(scope="session")
def mixed_paths(mixed) -> list[str]:
    from budget_audit.reports.pipeline import discover

    return discover([str(mixed)])


@pytest.fixture(scope="session")
def sequential_json(mixed_paths) -> str:
    """The reference: today's path, one document after another in this process."""
    from budget_audit.reports.pipeline import check_paths

    return json_of(check_paths(mixed_paths, expand=False))


@pytest.fixture(scope="session")
def samples_report():
    """samples/ checked one by one, in the order `check samples/` takes them."""
    from budget_audit.reports.pipeline import check_paths

    return check_paths([str(SAMPLES)])


@pytest.fixture(scope="session")
def cluster():
    """One LocalCluster with two worker processes for every Dask test. A task whose worker dies is
    tried on one more worker (allowed-failures 1) so that a killing document costs two restarts."""
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
            yield local
