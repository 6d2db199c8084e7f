"""Ctrl-C (review item 20): exit status 130, no traceback, no output file, no worker left behind.

The signal is sent only once the run is surely inside the tool (its worker processes exist, or
its streamed report is open), so the only right status is 130: no "the signal came too early"."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import HOTLINE

CLI = str(Path(sys.executable).parent / "budget-audit")


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        kids += [int(k) for k in task.read_text().split()]
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _busy(process: subprocess.Popen, jobs: int, folder: Path, deadline: float) -> list[int]:
    """Wait until the tool is at work: two workers forked (--jobs 2), or the streamed report's
    temporary file opened (--jobs 1 --format jsonl -o): main() is running, its handler installed."""
    while time.monotonic() < deadline:
        assert process.poll() is None, "finished before it could be interrupted"
        kids = _children(process.pid)
        workers = [g for k in kids for g in _children(k)]  # forked by the forkserver
        if jobs > 1 and len(workers) >= 2:
            return kids + workers
        if jobs == 1 and list(folder.glob(".*.tmp")):
            return kids
        time.sleep(0.05)
    raise AssertionError("the run never got busy")


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for i in range(200):
        shutil.copyfile(HOTLINE, folder / f"{i:03d}.txt")
    return folder


@pytest.mark.parametrize("jobs,fmt", [(2, "json"), (1, "jsonl")])
def test_ctrl_c_exits_130_and_writes_nothing(tmp_path, many, jobs, fmt):
    target = tmp_path / "report.out"
    process = subprocess.Popen([CLI, "check", "--jobs", str(jobs), "--format", fmt, "-o", str(target), str(many)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    helpers = _busy(process, jobs, tmp_path, time.monotonic() + 120)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "已中断" in err
    assert list(tmp_path.iterdir()) == []  # no report, no temporary file beside it
    time.sleep(0.5)
    assert [pid for pid in helpers if _alive(pid)] == []  # every worker stopped
