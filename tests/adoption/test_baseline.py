"""The baseline: --write-baseline records today's findings by rule, document and printed figures;
--baseline reports only new ones and counts the entries fixed; lines do not matter."""

from __future__ import annotations

import json
import shutil

from tests.adoption.conftest import PLANTED, findings
from tests.conftest import CENTER


def test_baseline_round_trip_new_findings_fixed_entries(project, cli):
    written = cli("check", "--quiet", "--write-baseline", "baseline.json", "2026/center.txt", "clean.txt")
    assert written.code == 0, written.err  # what the baseline now holds no longer fails
    data = json.loads((project / "baseline.json").read_text("utf-8"))
    assert data["budget-audit-baseline"] == 1
    assert [(e["document"], e["rule"]) for e in data["findings"]][:4] == [
        ("2026/center.txt", "STR005"), ("2026/center.txt", "STR005"), ("2026/center.txt", "STR005"),
        ("2026/center.txt", "SUM002")]
    assert len(data["findings"]) == 10 and all("line" not in json.dumps(e) for e in data["findings"])

    # A line inserted at the top moves every figure; nothing comes back.
    text = (project / "2026" / "center.txt").read_text("utf-8")
    (project / "2026" / "center.txt").write_text("\n\n" + text, "utf-8")
    moved = cli("check", "--format", "json", "--baseline", "baseline.json", "2026/center.txt", "clean.txt")
    assert moved.code == 0, moved.err
    assert moved.json["summary"]["baselined"] == 10 and moved.json["summary"]["errors"] == 0
    assert moved.json["summary"]["baseline_fixed"] == 0

    # Another figure wrong: the findings that read it are new; the entries they replace are fixed.
    (project / "2026" / "center.txt").write_text(text.replace(PLANTED, "9,718.698690", 1), "utf-8")
    changed = cli("check", "--format", "json", "--baseline", "baseline.json", "2026/center.txt")
    assert changed.code == 1
    new = [f["rule"] for f in findings(changed.json, "2026/center.txt") if not f["baselined"]]
    assert sorted(new) == ["SUM002", "USE002", "XT005", "XT006"]
    assert changed.json["summary"]["baseline_fixed"] == 4

    # The document corrected: every entry of it is fixed, and clean.txt (not in this run) is not judged.
    shutil.copy(CENTER, project / "2026" / "center.txt")
    fixed = cli("check", "--format", "sarif", "--baseline", "baseline.json", "2026/center.txt")
    assert fixed.code == 0
    run = json.loads(fixed.out)["runs"][0]
    assert run["properties"]["budgetAudit"] == {"waived": 0, "baselined": 3, "fixed": 4}
    assert all(r["suppressions"][0]["justification"].startswith("recorded in the baseline") for r in run["results"])


def test_write_baseline_onto_the_configured_baseline_that_does_not_exist_yet(project, cli):
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nbaseline = "audit/baseline.json"\n', "utf-8")
    (project / "audit").mkdir()
    assert cli("check", "--quiet", "2026/center.txt").code == 2  # configured but missing: said so
    assert cli("check", "--quiet", "--write-baseline", "audit/baseline.json", "2026/center.txt").code == 0
    assert cli("check", "--quiet", "2026/center.txt").code == 0  # now read from the configuration


def test_a_broken_baseline_is_named(project, cli):
    (project / "baseline.json").write_text('{"budget-audit-baseline": 1,\n "findings": [\n', "utf-8")
    bad = cli("check", "--lang", "en", "--baseline", "baseline.json", "clean.txt")
    assert bad.code == 2 and "baseline.json:3: not valid JSON" in bad.err
    (project / "baseline.json").write_text('{"budget-audit-baseline": 1, "findings": [{"rule": "X1"}]}', "utf-8")
    assert "baseline.json: findings[1]: must have exactly the keys document, rule, table, figures" in \
        cli("check", "--lang", "en", "--baseline", "baseline.json", "clean.txt").err
    before = (project / "clean.txt").read_bytes()
    refused = cli("check", "--lang", "en", "--write-baseline", "clean.txt", "clean.txt")
    assert refused.code == 2 and "clean.txt" in refused.err and (project / "clean.txt").read_bytes() == before
