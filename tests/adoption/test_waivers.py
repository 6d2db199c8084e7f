"""Reviewed waivers: a waived finding is shown with its reason and fails nothing; a changed figure
or an expired waiver brings it back; a waiver matching nothing is a finding; the file is checked
completely before any document is read."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from tests.adoption.conftest import PLANTED, findings

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
LATER = dt.date.today() + dt.timedelta(days=30)


def waiver_text(errors: list[dict], expires=LATER, document="2026/center.txt") -> str:
    import yaml

    entries = [{"document": document, "rule": f["rule"], "table": f["table"], "figures": [c["value"] for c in f["cells"]],
                "reason": "说明已解释", "accepted_by": "审计处", "expires": expires} for f in errors]
    return yaml.safe_dump({"waivers": entries}, allow_unicode=True, sort_keys=False)


@pytest.fixture
def errors(project, cli) -> list[dict]:
    report = cli("check", "--format", "json", "2026/center.txt").json
    found = [f for f in findings(report, "2026/center.txt") if f["severity"] == "error"]
    assert len(found) == 4 and all(PLANTED in [c["value"] for c in f["cells"]] for f in found)
    return found


def test_waived_findings_are_shown_with_their_reason_and_fail_nothing(project, cli, errors, report_schema):
    (project / "waivers.yaml").write_text(waiver_text(errors[:3]), "utf-8")
    partly = cli("check", "--format", "json", "--waivers", "waivers.yaml", "2026/center.txt")
    assert partly.code == 1  # the fourth error is not waived
    (project / "waivers.yaml").write_text(waiver_text(errors), "utf-8")
    run = cli("check", "--format", "json", "--waivers", "waivers.yaml", "2026/center.txt")
    assert run.code == 0, run.err
    shown = findings(run.json, "2026/center.txt")
    waived = [f for f in shown if f["waived"]]
    assert [f["rule"] for f in waived] == [f["rule"] for f in errors]  # still in the report
    assert waived[0]["waived"] == {"reason": "说明已解释", "accepted_by": "审计处", "expires": LATER.isoformat(),
                                   "file": "waivers.yaml", "entry": 1}
    assert run.json["summary"]["waived"] == 4 and run.json["documents"][0]["status"] == "pass"
    jsonschema.validate(run.json, report_schema)

    sarif = json.loads(cli("check", "--format", "sarif", "--waivers", "waivers.yaml", "2026/center.txt").out)
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    results = sarif["runs"][0]["results"]
    assert [r["suppressions"][0]["kind"] for r in results if "suppressions" in r] == ["external"] * 4
    assert {r["suppressions"][0]["justification"] for r in results if "suppressions" in r} == {"说明已解释"}
    assert sarif["runs"][0]["properties"]["budgetAudit"] == {"waived": 4, "baselined": 0, "fixed": 0}

    junit = ET.fromstring(cli("check", "--format", "junit", "--waivers", "waivers.yaml", "2026/center.txt").out)
    suite = junit.find("testsuite")
    waived_cases = [c for c in suite.findall("testcase") if c.get("name").split()[0] in {f["rule"] for f in errors}]
    assert waived_cases and all(c.find("failure") is None for c in waived_cases)
    assert all("[已豁免：说明已解释" in c.find("system-out").text for c in waived_cases)
    assert {p.get("name"): p.get("value") for p in suite.find("properties")}["waived"] == "4"

    github = cli("check", "--format", "github", "--waivers", "waivers.yaml", "2026/center.txt").out
    assert "::error" not in github and github.count("::notice file=2026/center.txt") == 4
    assert "4 waived" in cli("check", "--format", "github", "--lang", "en", "--waivers", "waivers.yaml",
                             "2026/center.txt").out.splitlines()[-1]


def test_a_changed_figure_or_an_expired_waiver_brings_the_finding_back(project, cli, errors):
    (project / "waivers.yaml").write_text(waiver_text(errors[:1]), "utf-8")
    text = (project / "2026" / "center.txt").read_text("utf-8")
    (project / "2026" / "center.txt").write_text(text.replace(PLANTED, "9,717.698690", 1), "utf-8")
    changed = cli("check", "--format", "json", "--lang", "en", "--waivers", "waivers.yaml", "2026/center.txt")
    shown = findings(changed.json, "2026/center.txt")
    assert changed.code == 1 and not any(f["waived"] for f in shown)
    [stale] = [f for f in shown if f["rule"] == "ADO001"]
    assert stale["severity"] == "warning" and f"Waiver waivers.yaml:2 (entry 1, {errors[0]['rule']})" in stale["message"]

    (project / "2026" / "center.txt").write_text(text, "utf-8")
    (project / "waivers.yaml").write_text(waiver_text(errors[:1], dt.date.today() - dt.timedelta(days=1)), "utf-8")
    expired = cli("check", "--format", "json", "--lang", "en", "--waivers", "waivers.yaml", "2026/center.txt")
    shown = findings(expired.json, "2026/center.txt")
    assert expired.code == 1 and not any(f["waived"] for f in shown)
    assert [f["rule"] for f in shown if f["rule"].startswith("ADO")] == ["ADO002"]
    assert "expired on" in shown[-1]["message"] and "(1 finding(s))" in shown[-1]["message"]


def test_a_waiver_for_a_document_not_in_the_run_is_not_judged(project, cli, errors):
    (project / "waivers.yaml").write_text(waiver_text(errors, document="2026/other.txt"), "utf-8")
    run = cli("check", "--format", "json", "--waivers", "waivers.yaml", "clean.txt")
    assert run.code == 0 and not any(f["rule"].startswith("ADO") for f in findings(run.json, "clean.txt"))


@pytest.mark.parametrize(("entry", "expected"), [
    ("  - {document: a.txt, rule: SUM001, figures: [], reason: r, accepted_by: x}",
     "waivers.yaml:2: waivers[1] expires: required key missing"),
    ("  - {document: a.txt, rule: SUM001, figures: [], reason: r, accepted_by: x, expires: 2027-01-01, tabel: T}",
     "waivers.yaml:2: waivers[1] tabel: unknown key; did you mean 'table'"),
    ("  - {document: a.txt, rule: SUM001, figures: [994.110150], reason: r, accepted_by: x, expires: 2027-01-01}",
     "waivers.yaml:2: waivers[1] figures: must be a list of the figures as printed, quoted"),
    ("  - {document: a.txt, rule: SUM001, figures: [], reason: r, accepted_by: x, expires: next year}",
     "waivers.yaml:2: waivers[1] expires: must be a date (YYYY-MM-DD)"),
    ("  - {document: a.txt, rule: 'sum 1', figures: [], reason: r, accepted_by: x, expires: 2027-01-01}",
     "waivers.yaml:2: waivers[1] rule: 'sum 1' is not a rule code"),
    ("  - {document: a.txt, rule: SUM001, figures: [], reason: '', accepted_by: x, expires: 2027-01-01}",
     "waivers.yaml:2: waivers[1] reason: must be a non-empty string"),
])
def test_a_broken_waiver_file_stops_the_run_naming_file_entry_and_key(project, cli, entry, expected):
    (project / "waivers.yaml").write_text(f"waivers:\n{entry}\n", "utf-8")
    run = cli("check", "--lang", "en", "--waivers", "waivers.yaml", "clean.txt")
    assert run.code == 2 and run.out == "" and run.err.startswith(f"budget-audit: {expected}"), run.err


def test_not_a_waiver_file(project, cli):
    (project / "waivers.yaml").write_text("- just a list\n", "utf-8")
    assert "a waiver file is a mapping with one key, 'waivers'" in cli("check", "--lang", "en", "--waivers",
                                                                        "waivers.yaml", "clean.txt").err
    (project / "waivers.yaml").write_text("waivers: [\n", "utf-8")
    assert "waivers.yaml:2: 不是有效的 YAML" in cli("check", "--waivers", "waivers.yaml", "clean.txt").err
    missing = cli("check", "--waivers", "nowhere.yaml", "clean.txt")
    assert missing.code == 2 and "nowhere.yaml: 无法读取豁免文件" in missing.err


def test_explain_knows_the_adoption_codes():
    from budget_audit.reports.adoption import CODES, codes

    assert all("What it checks" in codes.explain(code.lower(), "en") for code in CODES)
    assert codes.explain("SUM001") is None
