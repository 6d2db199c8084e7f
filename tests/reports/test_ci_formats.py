"""The CI formats read back by the tools that consume them: JUnit XML, SARIF 2.1.0, GitHub
workflow commands, Markdown for merge-request comments."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from budget_audit.reports.formats import ci, get, github, markdown
from budget_audit.reports.pipeline import check_paths
from tests.reports.planted import HOSTILE_NAME, hostile_copy

SARIF_SCHEMA = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    return check_paths([str(hostile_copy(tmp_path_factory.mktemp("hostile")))])


# JUnit -------------------------------------------------------------------------------------------

def test_junit_has_a_suite_per_document_and_a_case_per_check(sample_report):
    root = ET.fromstring(get("junit").render(sample_report))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [d.path for d in sample_report.documents]
    for suite, doc in zip(suites, sample_report.documents):
        cases = suite.findall("testcase")
        assert [c.get("name").split()[0] for c in cases] == [c.rule for c in doc.checks]
        failed = [c.get("name").split()[0] for c in cases if c.find("failure") is not None]
        assert failed == [c.rule for c in doc.checks if c.failed]
        skipped = [c.get("name").split()[0] for c in cases if c.find("skipped") is not None]
        assert skipped == [c.rule for c in doc.checks if c.skipped]
        assert all(c.find("skipped").get("message") for c in cases if c.find("skipped") is not None)
        assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == \
            (str(doc.checks_run + len(skipped)), str(doc.checks_failed), str(len(skipped)))
    assert root.get("tests") == str(sum(len(d.checks) for d in sample_report.documents))
    assert root.get("failures") == str(sum(d.checks_failed for d in sample_report.documents))


def test_junit_failure_lists_the_findings_of_its_rule(sample_report):
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    suite = next(s for s in ET.fromstring(get("junit").render(sample_report, "en")).findall("testsuite")
                 if s.get("name") == doc.path)
    case = next(c for c in suite.findall("testcase") if c.get("name").startswith("SUM001 "))
    failure = case.find("failure")
    findings = [f for f in doc.findings if f.rule == "SUM001"]
    assert failure.get("type") == "error" and failure.get("message").startswith(f"{len(findings)} findings: ")
    assert failure.text.splitlines() == [
        f"[error] line {ci.anchor_line(f)}: {f.message['en']} ({ci.figures(f, 'en')})" for f in findings]


def test_junit_reports_an_unreadable_document_as_an_error(tmp_path):
    missing = tmp_path / "missing.txt"
    suite = ET.fromstring(get("junit").render(check_paths([str(missing)]))).find("testsuite")
    assert suite.get("errors") == "1" and suite.find("testcase/error").get("message").startswith(str(missing))


def test_junit_escapes_document_text(hostile_report):
    text = get("junit").render(hostile_report)
    path = hostile_report.documents[0].path
    assert HOSTILE_NAME in path and HOSTILE_NAME not in text  # only in escaped form
    assert {case.get("classname") for case in ET.fromstring(text).iter("testcase")} == {path}


# SARIF -------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sarif_schema():
    """The published SARIF 2.1.0 schema (see tests/data/README.md for where it comes from)."""
    return json.loads(SARIF_SCHEMA.read_text("utf-8"))


def test_sarif_is_valid_against_the_official_schema(sample_report, sarif_schema):
    import jsonschema

    log = json.loads(get("sarif").render(sample_report))
    jsonschema.validators.validator_for(sarif_schema)(sarif_schema).validate(log)


def test_the_schema_rejects_a_broken_log(sample_report, sarif_schema):
    import jsonschema

    log = json.loads(get("sarif").render(sample_report))
    log["runs"][0]["results"][0]["level"] = "catastrophic"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validators.validator_for(sarif_schema)(sarif_schema).validate(log)


def test_sarif_results_point_at_document_lines(sample_report):
    log = json.loads(get("sarif").render(sample_report))
    [run] = log["runs"]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "budget-audit"
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert set(rule_ids) >= {c.rule for d in sample_report.documents for c in d.checks}
    findings = [(d, f) for d in sample_report.documents for f in d.findings]
    assert len(run["results"]) == len(findings)
    levels = {"error": "error", "warning": "warning", "info": "note"}
    for result, (doc, f) in zip(run["results"], findings):
        assert rule_ids[result["ruleIndex"]] == result["ruleId"] == f.rule
        assert result["level"] == levels[f.severity] and result["message"]["text"] == f.message["zh"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == Path(doc.path).relative_to(Path.cwd()).as_posix()
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert location["region"]["startLine"] == ci.anchor_line(f) and ci.anchor_line(f) in f.lines


def test_sarif_artifact_locations(tmp_path, monkeypatch):
    from budget_audit.reports.formats.sarif import artifact_location

    monkeypatch.chdir(tmp_path / "..")
    assert artifact_location("samples/预算 2026.txt") == {
        "uri": "samples/%E9%A2%84%E7%AE%97%202026.txt", "uriBaseId": "%SRCROOT%"}
    assert artifact_location(str(tmp_path / "a b.txt")) == {
        "uri": f"{tmp_path.name}/a%20b.txt", "uriBaseId": "%SRCROOT%"}
    outside = artifact_location("/opt/预算.txt")
    assert outside == {"uri": "file:///opt/%E9%A2%84%E7%AE%97.txt"}


# GitHub ------------------------------------------------------------------------------------------

COMMAND = re.compile(r"^::(?P<name>[a-z]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape(value: str) -> str:
    return value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    match = COMMAND.match(line)
    assert match, line
    props = dict(p.split("=", 1) for p in match["props"].split(",")) if match["props"] else {}
    return match["name"], {k: unescape(v) for k, v in props.items()}, unescape(match["message"])


def test_github_annotations_parse_back_to_the_findings(sample_report):
    lines = github.render(sample_report).splitlines()
    commands = [parse(line) for line in lines]
    annotations = [c for c in commands if c[0] not in ("group", "endgroup")]
    findings = [(d, f) for d in sample_report.documents for f in d.findings]
    assert len(annotations) == len(findings)
    kinds = {"error": "error", "warning": "warning", "info": "notice"}
    for (name, props, message), (doc, f) in zip(annotations, findings):
        assert name == kinds[f.severity] and props["file"] == doc.path
        assert props["line"] == str(ci.anchor_line(f)) and props["title"].startswith(f.rule + " ")
        assert message.splitlines()[0] == f.message["zh"]


def test_github_escaping_follows_the_actions_toolkit():
    line = github.command("error", "100% of 1,0\r\nnext: line", file="a,b:c%.txt", line=3, title="T: x, y")
    assert line == "::error file=a%2Cb%3Ac%25.txt,line=3,title=T%3A x%2C y::100%25 of 1,0%0D%0Anext: line"
    assert parse(line) == ("error", {"file": "a,b:c%.txt", "line": "3", "title": "T: x, y"}, "100% of 1,0\r\nnext: line")


# Markdown ----------------------------------------------------------------------------------------

def table_rows(text: str) -> list[list[str]]:
    """Cells of every table line, split at pipes that are not escaped."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            rows.append(re.split(r"(?<!\\)\|", line.strip())[1:-1])
    return rows


def test_markdown_tables_are_well_formed(sample_report, hostile_report):
    for report in (sample_report, hostile_report):
        text = markdown.render(report)
        for block in re.split(r"\n\s*\n", text):
            rows = table_rows(block)
            if rows:
                assert len({len(r) for r in rows}) == 1, block
                assert all(re.fullmatch(r":?-{3,}:?", c.strip()) for c in rows[1]), block


def test_markdown_names_every_finding(sample_report):
    text = markdown.render(sample_report)
    for doc in sample_report.documents:
        assert markdown.escape(doc.path) in text
        section = text.split(markdown.escape(doc.path), 2)[-1]
        for f in doc.findings:
            assert f"`{f.rule}`" in section


def test_markdown_escapes_document_text(hostile_report):
    text = markdown.render(hostile_report)
    assert not re.search(r"(?<!\\)[<>|]", text.replace("| ", "").replace(" |", ""))  # only escaped ones
    assert "budget-\\<img src=x onerror=alert(2)\\>.txt" in text
    assert markdown.escape("a|b*c_[d](e)<f>`g`\n$x&y") == "a\\|b\\*c\\_\\[d\\](e)\\<f\\>\\`g\\` \\$x\\&y"
