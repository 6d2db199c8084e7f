"""The real console script, run as an auditor or a CI job would."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

from tests.conftest import CENTER, DISTRICT, HOTLINE, SAMPLES

CLI = str(Path(sys.executable).parent / "budget-audit")


def run(*args, cwd=None):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_json_report_meets_the_contract_and_is_deterministic(report_schema):
    first = run("check", "--format", "json", SAMPLES)
    second = run("check", "--format", "json", SAMPLES)
    assert first.returncode == 1, first.stderr
    assert first.stdout == second.stdout
    report = json.loads(first.stdout)
    jsonschema.validate(report, report_schema)
    assert report["summary"]["documents"] == 3
    assert report["summary"]["errors"] >= 14
    assert [doc["status"] for doc in report["documents"]] == ["fail", "pass", "fail"]  # center: warnings only
    cell = report["documents"][2]["findings"][0]["cells"][0]
    assert cell["source"]["line"] >= 1 and cell["table"]


def test_exit_codes_follow_fail_on():
    assert run("check", CENTER).returncode == 0  # warnings only
    assert run("check", "--fail-on", "warning", CENTER).returncode == 1
    assert run("check", DISTRICT).returncode == 1


def test_select_and_ignore_by_prefix():
    selected = json.loads(run("check", "--format", "json", "--select", "STR00", HOTLINE).stdout)
    codes = {f["rule"] for f in selected["documents"][0]["findings"]}
    assert codes and all(c.startswith("STR00") for c in codes)
    ignored = json.loads(run("check", "--format", "json", "--ignore", "SUM,GRP", HOTLINE).stdout)
    codes = {f["rule"] for f in ignored["documents"][0]["findings"]}
    assert not any(c.startswith(("SUM", "GRP")) for c in codes) and "XT003" in codes


def test_a_bad_file_does_not_stop_the_batch(tmp_path, report_schema):
    empty = tmp_path / "empty.txt"
    empty.write_text("", "utf-8")
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一份会议纪要。\n没有任何预算表。\n", "utf-8")
    result = run("check", "--format", "json", DISTRICT, empty, prose, tmp_path / "missing.txt")
    assert result.returncode == 2
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema)
    statuses = [d["status"] for d in report["documents"]]
    assert statuses == ["fail", "error", "error", "error"]
    assert "file is empty" in report["documents"][1]["load_error"]
    assert "no budget table could be recognised" in report["documents"][2]["load_error"]
    assert "file not found" in report["documents"][3]["load_error"]
    assert str(prose) in result.stderr and "Traceback" not in result.stderr


def test_english_messages():
    report = json.loads(run("check", "--format", "json", "--lang", "en", DISTRICT).stdout)
    unit = next(f for f in report["documents"][0]["findings"] if f["rule"] == "STR004")
    assert "the unit label contradicts the figures" in unit["message"] and unit["title"] == "Unit label contradicts the figures"


def test_rich_and_quiet_output():
    rich = run("check", HOTLINE)
    assert "STR002" in rich.stdout and "27,921.891610" in rich.stdout
    quiet = run("check", "--quiet", SAMPLES)
    assert quiet.stdout.count("\n") == 3 and "未通过" in quiet.stdout


def test_report_written_to_a_file(tmp_path):
    target = tmp_path / "out" / "report.json"
    result = run("check", "--format", "json", "-o", target, CENTER)
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["summary"]["documents"] == 1
    assert [p.name for p in target.parent.iterdir()] == ["report.json"]


def test_tables_command_shows_what_was_read():
    listing = run("tables", DISTRICT)
    assert listing.returncode == 0 and "表十二" in listing.stdout and "department_performance" in listing.stdout
    cells = json.loads(run("tables", "--format", "json", "--table", "three_public_funds", DISTRICT).stdout)
    reception = next(r for r in cells["cells"] if r["item"] == "reception")
    assert reception["amount"] == {"value": "5221.56", "text": "5,221.56", "line": 1364}
    csv_text = run("tables", "--format", "csv", "--table", "procurement", HOTLINE).stdout
    assert "A-货物,177.430000,224" in csv_text
    assert run("tables", "--table", "nope", DISTRICT).returncode == 2
    validated = run("tables", "--validate", HOTLINE)
    assert validated.returncode == 0 and "所有表均符合其结构定义" in validated.stdout
    assert "all tables meet their schemas" in run("tables", "--validate", "--lang", "en", HOTLINE).stdout


def test_rules_and_explain():
    listing = run("rules", "--profile", "beijing_district")
    assert listing.returncode == 0 and "PRF002" in listing.stdout
    explained = run("explain", "SUM001")
    assert "What it checks" in explained.stdout and "Fails" in explained.stdout
    assert run("explain", "NOPE999").returncode == 2


def test_broken_ruleset_is_reported_before_any_document(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {code: Z1, kind: nope, severity: error, title: {zh: a, en: b}}\n", "utf-8")
    result = run("check", "--ruleset", bad, DISTRICT)
    assert result.returncode == 2 and "rule Z1" in result.stderr and result.stdout == ""


def test_usage_error_exits_2():
    assert run("check").returncode == 2
    assert run("frobnicate").returncode == 2


def test_every_code_in_the_sample_reports_can_be_explained(sample_report):
    from budget_audit.reports.rules_view import render_explain

    codes = {f.rule for doc in sample_report.documents for f in doc.findings}
    assert "STR004" in codes
    assert [c for c in sorted(codes) if not render_explain(c)] == []
