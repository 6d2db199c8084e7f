"""--dask ADDRESS on a real two-worker LocalCluster: the sequential report byte for byte, a
document that kills its workers isolated, a worker killed mid-run recovered by Dask."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest

from budget_audit.reports import fleet
from tests.fleet.conftest import SAMPLES, json_of, run_cli


def test_cli_dask_is_byte_identical_on_samples(cluster, samples_report):
    run = run_cli("check", "--format", "json", "--dask", cluster.scheduler_address, SAMPLES)
    assert run.returncode == 1, run.stderr
    assert run.stdout == json_of(samples_report)


def test_dask_is_byte_identical_on_pdfs_and_unreadable_files(cluster, mixed_paths, sequential_json):
    report = fleet.check(mixed_paths, dask=cluster.scheduler_address)
    assert json_of(report) == sequential_json
    assert all(d.document is not None for d in report.documents if d.status != "error")


def test_a_document_that_kills_its_workers_is_isolated(cluster, tmp_path, samples_report):
    from distributed import Client

    from tests.fleet.crash import CrashOnMark

    for doc in samples_report.documents:
        shutil.copyfile(doc.path, tmp_path / os.path.basename(doc.path))
    killer = tmp_path / "c-killer.txt"  # among the others, not last
    killer.write_text("CRASH-WORKER\n", "utf-8")
    with Client(cluster.scheduler_address) as client:
        client.register_plugin(CrashOnMark())
        try:
            report = fleet.check(sorted(str(p) for p in tmp_path.iterdir()), dask=cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin(CrashOnMark.name)
    assert [os.path.basename(d.path) for d in report.documents][1:3] == ["beijing-zhengwu-center-2026-budget.txt",
                                                                         "c-killer.txt"]
    dead = report.documents.pop(2)
    assert dead.status == "error" and "worker died while checking" in dead.load_error
    # the others: the same report, cell for cell
    assert json_of(report).replace(str(tmp_path), str(SAMPLES)) == json_of(samples_report)


@pytest.fixture
def task_states(cluster):
    """What became of the tasks of the test's runs: a function giving (key, state) in order, as
    the scheduler saw them. Keys end in the index of their first path and their number of documents
    ("alone": one checked again by itself)."""
    from distributed import Client

    from tests.fleet.crash import Transitions, transitions

    with Client(cluster.scheduler_address) as client:
        client.register_plugin(Transitions())
        try:
            yield lambda: client.run_on_scheduler(transitions)
        finally:
            client.unregister_scheduler_plugin(Transitions.name)


def _tasks(states) -> dict[tuple[int, str], list[str]]:
    """(first path's index, documents or "alone") -> the states that task went through."""
    tasks: dict = {}
    for key, state in states:
        first, size = key.split("-")[3:5]
        tasks.setdefault((int(first), size), []).append(state)
    return tasks


def test_a_batch_with_a_document_that_kills_its_workers_is_checked_again_one_by_one(
        cluster, tmp_path, samples_report, monkeypatch, task_states):
    """The first task, of four documents, dies with every worker it meets; its documents are then
    checked one per task, and only the killing one is an error. (Sixteen documents: the last ones
    are shared out in smaller tasks.)"""
    from distributed import Client

    from budget_audit.reports import fleet_dask
    from tests.fleet.crash import CrashOnMark

    monkeypatch.setattr(fleet_dask, "BATCH_SIZES", (4, 4))
    for doc in samples_report.documents:
        shutil.copyfile(doc.path, tmp_path / os.path.basename(doc.path))
    (tmp_path / "c-killer.txt").write_text("CRASH-WORKER\n", "utf-8")
    with Client(cluster.scheduler_address) as client:
        client.register_plugin(CrashOnMark())
        try:
            paths = sorted(str(p) for p in tmp_path.iterdir()) + [d.path for d in samples_report.documents] * 4
            report = fleet.check(paths, dask=cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin(CrashOnMark.name)
        client.wait_for_workers(2, timeout=180)  # four restarts; slow on a loaded machine
    tasks = _tasks(task_states())
    assert "erred" in tasks[0, "4"] and "memory" not in tasks[0, "4"]
    # a task that was on a worker the killer took down twice may fail too: then its documents are
    # checked alone as well (one at a time, never beside the killer), and come back
    alone = {first: "memory" in states for (first, size), states in tasks.items() if size == "alone"}
    assert {0, 1, 2, 3} <= set(alone) and [first for first, back in alone.items() if not back] == [2]
    dead = report.documents.pop(2)
    assert dead.path.endswith("c-killer.txt") and dead.status == "error"
    assert "worker died while checking" in dead.load_error
    expected = type(samples_report)(documents=samples_report.documents * 5)
    assert json_of(report).replace(str(tmp_path), str(SAMPLES)) == json_of(expected)


# ("always", 1): a task closed at its first shipped byte; the empty file ships none, the next joins it
@pytest.mark.parametrize("ship, ship_bytes, largest", [("auto", 8 << 20, 3), ("always", 8 << 20, 3), ("always", 1, 2)])
def test_batches_give_the_sequential_report(cluster, mixed_paths, sequential_json, monkeypatch, task_states,
                                            ship, ship_bytes, largest):
    """Tasks of three documents (unreadable ones among them, the dangling link checked by the
    client between two tasks), read by path or shipped; a task holds no more shipped bytes than
    SHIP_BATCH_BYTES unless one document has more. The mixed folder twice: enough documents for
    tasks of three before the last are shared out."""
    from budget_audit.reports import fleet_dask
    from budget_audit.reports.pipeline import check_paths

    monkeypatch.setattr(fleet_dask, "BATCH_SIZES", (3, 3))
    monkeypatch.setattr(fleet_dask, "SHIP_BATCH_BYTES", ship_bytes)
    paths = mixed_paths * 2
    report = fleet.check(paths, dask=cluster.scheduler_address, dask_ship=ship)
    assert json_of(report) == json_of(check_paths(paths, expand=False))
    done = [int(size) for (first, size), states in _tasks(task_states()).items() if "memory" in states]
    assert max(done) == largest and sum(done) == len(paths) - 2


def test_tasks_grow_from_one_document(cluster, samples_report, monkeypatch, task_states):
    """The first tasks (before any came back) check one document each; later ones more, at most
    twice the task just back; the last ones fewer, each at most half a thread's share of what is
    left (two threads here)."""
    from budget_audit.reports import fleet_dask

    monkeypatch.setattr(fleet_dask, "TASK_SECONDS", 60.0)  # here only doubling and the bound limit them
    monkeypatch.setattr(fleet_dask, "BATCH_SIZES", (1, 4))
    paths = [d.path for d in samples_report.documents] * 20
    report = fleet.check(paths, dask=cluster.scheduler_address)
    assert json_of(report) == json_of(type(samples_report)(documents=samples_report.documents * 20))
    sizes = [int(size) for _, size in sorted(_tasks(task_states()))]
    # 8 in flight (two threads); each task back lets one more go: 36 left after the 2s, 4 each
    # until 12 are left (12 // 4 = 3), then 9 // 4, then 1
    assert sizes == [1] * 8 + [2] * 8 + [4] * 6 + [3, 2] + [1] * 7


def test_a_task_is_sized_by_the_pace_of_the_last_tasks(monkeypatch):
    from budget_audit.reports import fleet_dask

    monkeypatch.setattr(fleet_dask, "TASK_SECONDS", 0.5)
    monkeypatch.setattr(fleet_dask, "BATCH_SIZES", (1, 16))
    sizer = fleet_dask.Sizer()
    assert sizer.size == 1
    sizes = []
    for seconds, documents in [(0.0625, 1), (0.125, 2), (0.25, 4), (0.5, 8), (0.5, 8), (0.0, 1), (20.0, 10)]:
        sizer.done(seconds, documents)
        sizes.append(sizer.size)
    # twice the task back, until 8 fit in 0.5 s at 1/16 s a document; after a quick task of one
    # document 2; after slow ones 1
    assert sizes == [2, 4, 8, 8, 8, 2, 1]
    for _ in range(8):
        sizer.done(0.0, 16)  # documents checked in no measurable time: the bound
    assert sizer.size == 16


def test_a_worker_killed_mid_run_is_recovered_by_dask(cluster, samples_report):
    from distributed import Client

    paths = [d.path for d in samples_report.documents] * 2
    with Client(cluster.scheduler_address) as client:
        pids = list(client.run(os.getpid).values())
    killed = []

    def kill_one(path):  # after the first result, while the others are in flight
        if not killed:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(pids[0])

    report = fleet.check(paths, dask=cluster.scheduler_address, progress=kill_one)
    assert killed
    expected = type(samples_report)(documents=samples_report.documents * 2)
    assert json_of(report) == json_of(expected)
    with Client(cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=60)  # the nanny brought a new worker for the next tests


def test_unreachable_scheduler_is_one_clear_message_and_exit_2():
    with pytest.raises(fleet.FleetError, match="cannot reach the scheduler"):
        fleet.check([str(SAMPLES)], dask="tcp://127.0.0.1:1")
    run = run_cli("check", "--dask", "tcp://127.0.0.1:1", SAMPLES)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.startswith("budget-audit:") and "127.0.0.1:1" in run.stderr


def test_dask_not_installed_is_said_plainly():
    code = ("import sys; sys.modules['distributed'] = None\n"
            "from budget_audit.reports.cli import main\n"
            f"sys.exit(main(['check', '--dask', 'tcp://127.0.0.1:1', {str(SAMPLES)!r}]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "pip install 'budget-audit[dask]'" in run.stderr, run.stderr


def test_shipped_bytes_give_the_sequential_report(cluster, mixed_paths, sequential_json):
    """--dask-ship always: every readable document goes to the workers as bytes; the dangling link
    and the other unreadable paths are named by the client; the report is the sequential one."""
    from distributed import Client

    from budget_audit.reports.fleet_dask import plan

    with Client(cluster.scheduler_address) as client:
        how = dict(zip(mixed_paths, plan(client, mixed_paths, "always")))
    assert how[next(p for p in mixed_paths if p.endswith("d-dangling.txt"))] == "client"
    assert sum(way == "bytes" for way in how.values()) == len(mixed_paths) - 1
    report = fleet.check(mixed_paths, dask=cluster.scheduler_address, dask_ship="always")
    assert json_of(report) == sequential_json


@pytest.fixture
def workers_elsewhere(cluster, tmp_path):
    """The workers' working directory is a folder where the client's relative paths name nothing
    (as on machines that do not share the client's folders)."""
    from distributed import Client

    with Client(cluster.scheduler_address) as client:
        before = client.run(os.getcwd)
        client.run(os.chdir, str(tmp_path))
        try:
            yield client
        finally:
            for address, cwd in before.items():
                client.run(os.chdir, cwd, workers=[address])


def test_auto_ships_what_the_workers_cannot_see(workers_elsewhere, mixed, mixed_paths, monkeypatch):
    from budget_audit.reports.fleet_dask import plan
    from budget_audit.reports.pipeline import check_paths

    monkeypatch.chdir(mixed)
    relative = [os.path.relpath(p, mixed) for p in mixed_paths]
    how = plan(workers_elsewhere, relative, "auto")
    assert how == ["client" if p.endswith("d-dangling.txt") else "bytes" for p in relative]
    assert plan(workers_elsewhere, mixed_paths, "auto") == [  # absolute paths: seen alike
        "client" if p.endswith("d-dangling.txt") else "path" for p in mixed_paths]
    report = fleet.check(relative, dask=workers_elsewhere.scheduler.address)
    assert json_of(report) == json_of(check_paths(relative, expand=False))
    # never: the workers look for the relative paths in their own folder and find nothing
    blind = fleet.check(relative, dask=workers_elsewhere.scheduler.address, dask_ship="never")
    assert all(d.status == "error" for d in blind.documents)


def test_auto_ships_a_document_the_workers_see_differently(workers_elsewhere, mixed, tmp_path, monkeypatch):
    """A same-named file of other content in the workers' folder is not the client's document."""
    from budget_audit.reports.fleet_dask import plan

    monkeypatch.chdir(mixed)
    sample = next(p.name for p in sorted(mixed.glob("beijing-*.txt")))
    (tmp_path / sample).write_text("not the document\n", "utf-8")
    assert plan(workers_elsewhere, [sample], "auto") == ["bytes"]
    report = fleet.check([sample], dask=workers_elsewhere.scheduler.address)
    assert report.documents[0].status != "error" and report.documents[0].path == sample


def test_cli_dask_ship_is_one_of_three_modes(cluster):
    bad = run_cli("check", "--dask", cluster.scheduler_address, "--dask-ship", "sometimes", SAMPLES)
    assert bad.returncode == 2 and "--dask-ship" in bad.stderr and "Traceback" not in bad.stderr



def _setenv(name: str, value: str | None) -> str | None:
    """On a worker (client.run): set or unset one variable of its own environment; the old value."""
    old = os.environ.pop(name, None)
    if value is not None:
        os.environ[name] = value
    return old


def test_no_cache_goes_with_each_task(cluster, tmp_path, monkeypatch):
    """Dask workers start with their own environment: the client's --no-cache (the environment the
    CLI sets) reaches them with each task, so they neither read nor write the PDF cache."""
    from distributed import Client

    from tests.fleet.conftest import PDFS

    cache = tmp_path / "cache"
    with Client(cluster.scheduler_address) as client:
        before = client.run(_setenv, "BUDGET_AUDIT_CACHE_DIR", str(cache))
        try:
            assert set(client.run(os.getenv, "BUDGET_AUDIT_NO_CACHE").values()) == {None}
            monkeypatch.setenv("BUDGET_AUDIT_NO_CACHE", "1")
            bypassed = fleet.check([str(PDFS[0])], dask=cluster.scheduler_address)
            assert not list(cache.rglob("*.json"))
            assert set(client.run(os.getenv, "BUDGET_AUDIT_NO_CACHE").values()) == {None}  # for that task only
            monkeypatch.delenv("BUDGET_AUDIT_NO_CACHE")
            cached = fleet.check([str(PDFS[0])], dask=cluster.scheduler_address)
            assert len(list(cache.rglob("*.json"))) == 1  # the same check with the cache writes its reading
        finally:
            for address, value in before.items():
                client.run(_setenv, "BUDGET_AUDIT_CACHE_DIR", value, workers=[address])
    assert json_of(bypassed) == json_of(cached) and bypassed.documents[0].status != "error"


def test_the_workers_look_at_the_paths_chunk_by_chunk(cluster, tmp_path, monkeypatch, mixed_paths, sequential_json):
    """The first tasks do not wait for every worker to look at every path: a path is looked at
    when its chunk comes (here a file made after the first chunk is already seen)."""
    from distributed import Client

    from budget_audit.reports import fleet_dask

    monkeypatch.setattr(fleet_dask, "PLAN_CHUNKS", (1, 2))
    sample = SAMPLES / "beijing-zhengwu-center-2026-budget.txt"
    paths = [str(tmp_path / f"{i}.txt") for i in range(3)]
    for path in paths[:2]:
        shutil.copyfile(sample, path)
    with Client(cluster.scheduler_address) as client:
        with pytest.raises(fleet.FleetError, match="--dask-ship"):
            fleet_dask.planned(client, paths, "sometimes")  # said at once, not at the first task
        ways = fleet_dask.planned(client, paths, "auto")
        assert next(ways) == "path"
        shutil.copyfile(sample, paths[2])
        assert list(ways) == ["path", "path"]
    report = fleet.check(mixed_paths, dask=cluster.scheduler_address)  # chunks of 1, 2, 2…
    assert json_of(report) == sequential_json
