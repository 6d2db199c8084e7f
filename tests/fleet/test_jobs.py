"""--jobs N: worker processes give the sequential report byte for byte; a worker that dies makes
only its document an error; a progress bar on a terminal's stderr and none in a pipe."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
from pathlib import Path

from budget_audit.reports import fleet
from budget_audit.reports.report import AuditReport
from tests.fleet.conftest import SAMPLES, json_of, run_cli

INJECT = Path(__file__).with_name("inject")


def test_jobs_2_cli_is_byte_identical_to_sequential(mixed, sequential_json):
    parallel = run_cli("check", "--format", "json", "--jobs", "2", mixed)
    assert parallel.returncode == 2  # unreadable files among them
    assert parallel.stdout == sequential_json
    # every unreadable file is named once on stderr, the batch went on
    for name in ("a-empty.txt", "b-binary.txt", "c-broken.pdf", "d-dangling.txt"):
        assert parallel.stderr.count(name) == 1, parallel.stderr
    assert "Traceback" not in parallel.stderr


def test_pool_in_process_keeps_order_and_documents(samples_report):
    paths = [d.path for d in samples_report.documents]
    report = fleet.check(paths, jobs=2)
    assert json_of(report) == json_of(samples_report)
    assert [d.path for d in report.documents] == paths
    assert all(d.document is not None and d.document.tables for d in report.documents)  # frames came back


def test_a_dying_worker_makes_its_document_an_error_and_the_batch_goes_on(tmp_path):
    shutil.copyfile(SAMPLES / "beijing-zhengwu-center-2026-budget.txt", tmp_path / "beijing-a.txt")
    (tmp_path / "beijing-zz-killer.txt").write_text("CRASH-WORKER\n" + "x\n" * 10, "utf-8")
    env = {**os.environ, "PYTHONPATH": str(INJECT)}
    parallel = run_cli("check", "--format", "json", "--jobs", "2", tmp_path, env=env)
    assert parallel.returncode == 2 and "Traceback" not in parallel.stderr
    data = json.loads(parallel.stdout)
    killer = next(d for d in data["documents"] if d["path"].endswith("killer.txt"))
    assert killer["status"] == "error" and "worker died while checking" in killer["load_error"]
    (tmp_path / "beijing-zz-killer.txt").unlink()
    from budget_audit.reports.pipeline import check_paths

    expected = json.loads(json_of(check_paths([str(tmp_path)])))["documents"]
    assert [d for d in data["documents"] if d is not killer] == expected


def test_jobs_must_be_positive():
    try:
        fleet.check([str(SAMPLES)], jobs=0)
    except fleet.FleetError as exc:
        assert "--jobs 0" in str(exc)
    else:
        raise AssertionError("--jobs 0 accepted")
    assert fleet.cores() >= 1


def test_progress_bar_on_a_terminal_and_none_in_a_pipe():
    piped = run_cli("check", "--format", "json", "--jobs", "2", SAMPLES)
    assert piped.stderr == "" and piped.returncode == 1
    main, secondary = pty.openpty()
    try:
        shown = run_cli("check", "--format", "json", "--jobs", "1", SAMPLES, stderr=secondary,
                        stdout=subprocess.PIPE)
        os.set_blocking(main, False)
        seen = b""
        try:
            while chunk := os.read(main, 65536):
                seen += chunk
        except (BlockingIOError, OSError):
            pass
    finally:
        os.close(secondary)
        os.close(main)
    assert shown.returncode == 1 and json.loads(shown.stdout)["summary"]["documents"] == 3
    assert "检查中" in seen.decode("utf-8", "replace")


def test_empty_batch_is_a_report_with_no_document():
    assert isinstance(fleet.check([], jobs=2), AuditReport)


def test_workers_start_with_what_a_check_imports():
    """The fork server imports it once (a misspelt name would be skipped silently): each worker
    starts with it, none imports it again."""
    pool = fleet._pool(1)
    try:
        imported = pool.submit(eval, "sorted(__import__('sys').modules)").result()
    finally:
        pool.shutdown()
    assert set(fleet.PRELOAD) <= set(imported)
    assert {"numpy", "budget_audit.loaders.text", "budget_audit.loaders.pdf.reader",
            "budget_audit.rules.root_cause"} <= set(imported)
    assert "pdfplumber" not in imported  # a cached PDF or a text export needs none of it


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_workers_do_not_outlive_a_killed_run(tmp_path):
    """SIGKILL (or the OOM killer) leaves the parent no chance to stop its workers: they go by
    themselves instead of waiting for work forever (each holds its own queue's write end)."""
    import signal
    import sys
    import time

    for i in range(200):
        shutil.copyfile(SAMPLES / "beijing-12345-hotline-budget.txt", tmp_path / f"{i:03d}.txt")
    process = subprocess.Popen([str(Path(sys.executable).parent / "budget-audit"), "check", "--jobs", "2",
                                "--format", "jsonl", "-o", str(tmp_path / "out.jsonl"), str(tmp_path)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120

    def children(pid):
        return [int(k) for task in Path(f"/proc/{pid}/task").glob("*/children") for k in task.read_text().split()]

    while time.monotonic() < deadline:  # the fork server's children: the workers
        workers = [w for k in children(process.pid) for w in children(k)]
        if len(workers) >= 2 or process.poll() is not None:
            break
        time.sleep(0.05)
    assert process.poll() is None and len(workers) >= 2, "the run never got busy"
    servers = children(process.pid)  # the fork server and the resource tracker
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(map(_alive, workers + servers)):
        time.sleep(0.1)
    left = [pid for pid in workers + servers if _alive(pid)]
    for pid in left:  # this test's own leftovers, not to burden the next tests
        os.kill(pid, signal.SIGKILL)
    assert left == []
