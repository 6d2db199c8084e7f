"""--format jsonl: one line per document (the json format's document object), the summary last;
streamed through fleet.check(sink=) without keeping any document."""

from __future__ import annotations

import json

import pytest

from budget_audit.reports import fleet
from budget_audit.reports.formats import get
from budget_audit.reports.formats.jsonl import document_line
from budget_audit.reports.pipeline import check_paths
from tests.fleet.conftest import SAMPLES, json_of, run_cli


def _lines(text: str) -> list[dict]:
    assert text.endswith("\n") and all(line for line in text.split("\n")[:-1])
    return [json.loads(line) for line in text.splitlines()]


def test_jsonl_lines_are_the_json_report(mixed, sequential_json, tmp_path):
    target = tmp_path / "run.jsonl"
    run = run_cli("check", "--format", "jsonl", "--jobs", "2", "-o", target, mixed)
    assert run.returncode == 2 and run.stdout == ""
    *documents, last = _lines(target.read_text("utf-8"))
    whole = json.loads(sequential_json)
    assert documents == whole["documents"]
    assert last["summary"] == whole["summary"]
    assert {k: last[k] for k in ("schema_version", "tool", "not_disclosures")} == \
           {k: whole[k] for k in ("schema_version", "tool", "not_disclosures")}
    assert set(last) == set(whole) - {"documents"}


def test_sink_gets_results_in_order_and_nothing_is_kept(samples_report):
    paths = [d.path for d in samples_report.documents]
    seen = []
    totals = fleet.check(paths * 2, jobs=2, sink=seen.append)
    assert [d.path for d in seen] == paths * 2
    assert totals.documents == () and totals.exit_code() == samples_report.exit_code() == 1
    whole = json.loads(json_of(type(samples_report)(documents=samples_report.documents * 2)))
    assert totals.summary() == whole["summary"]


def test_skip_other_files_are_listed_in_the_last_line(tmp_path):
    (tmp_path / "requirements.txt").write_text("rich\n", "utf-8")
    run = run_cli("check", "--format", "jsonl", "--skip-other", "--jobs", "1", tmp_path,
                  SAMPLES / "beijing-zhengwu-center-2026-budget.txt")
    *documents, last = _lines(run.stdout)
    assert [d["path"] for d in documents] == [str(SAMPLES / "beijing-zhengwu-center-2026-budget.txt")]
    assert [n["path"] for n in last["not_disclosures"]] == [str(tmp_path / "requirements.txt")]
    assert last["summary"]["not_disclosures"] == 1 and run.returncode == 0


def test_render_of_a_full_report_gives_the_same_lines(samples_report):
    streamed = run_cli("check", "--format", "jsonl", "--jobs", "1", SAMPLES).stdout
    assert get("jsonl").render(check_paths([str(SAMPLES)]), "zh") == streamed


@pytest.mark.parametrize("where", ["jobs", "dask"])
def test_streamed_results_come_back_without_their_document(where, request, mixed_paths, sequential_json):
    """With a sink the workers keep each Document and its rules (most of what the parent would
    unpickle): the lines are still the sequential report's, causes included."""
    on = {"jobs": 2} if where == "jobs" else {"dask": request.getfixturevalue("cluster").scheduler_address}
    seen = []
    fleet.check(mixed_paths, sink=seen.append, **on)
    assert [json.loads(document_line(d)) for d in seen] == json.loads(sequential_json)["documents"]
    assert all(d.document is None and d.rules == [] for d in seen)
    assert any(d.causes for d in seen)  # found by the workers, sent back
