"""Root cause: one wrong cell in a consistent document comes out as exactly that cell.

The planting changes one printed amount in the text (one unit of its last digit, printed the same
way), reloads, checks, and asks rules/root_cause.py which cell is most likely wrong. In a sample
that holds real publication errors, the cause is asked of the findings the planting added (the
sample's own errors have their causes pinned below).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from budget_audit.loaders.text import from_text
from budget_audit.rules import engine, root_cause
from budget_audit.rules.findings import SEVERITY_RANK
from budget_audit.rules.ruleset import load_ruleset
from tests.rules.test_mutations import CELLS, _sample, bump

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
CONSISTENT = "beijing-zhengwu-center-2026-budget.txt"  # arithmetically clean (samples/README.md)
PER_SAMPLE = 15  # random cells per sample; measured on 100 per sample (README): see the test


def _plant(path, line, text):
    original_text, original = _sample(path)
    lines = original_text.split("\n")
    lines[line - 1] = lines[line - 1].replace(text, bump(text), 1)
    document = from_text("\n".join(lines), str(path))
    planted = {(tid, r, c) for tid, t in document.tables.items() for c in t.amount_columns
               for r in range(t.rows) if t.data[c][r] != original.tables[tid].data[c][r]}
    return document, planted


def _causes(document):
    rules = load_ruleset(document.template)
    findings = engine.run(document, rules).findings
    return findings, root_cause.find(document, rules, findings)


def _signature(finding):
    """Check and place: a planting that only changes the figures of a finding the sample already
    has (a cell inside one of its real errors) adds nothing new to localise."""
    return root_cause._signature(finding)


@pytest.fixture(scope="module")
def plantings():
    """(sample, exactly the planted cell, the planted cell named or among equal alternatives) for
    random cells of every sample; plantings the printed rounding absorbs (info notes only) are
    left out: there is no error to localise."""
    out = []
    rng = random.Random(20261203)
    for name in sorted({c[0].name for c in CELLS}):
        cells = [c for c in CELLS if c[0].name == name]
        _, original = _sample(cells[0][0])
        rules = load_ruleset(original.template)
        old = {_signature(f) for f in engine.run(original, rules).findings}
        for path, line, text, _, _ in rng.sample(cells, PER_SAMPLE):
            document, planted = _plant(path, line, text)
            assert len(planted) == 1
            findings = engine.run(document, rules).findings
            new = [i for i, f in enumerate(findings) if _signature(f) not in old]
            if not any(SEVERITY_RANK[findings[i].severity] >= SEVERITY_RANK["warning"] for i in new):
                continue
            located = [c for c in root_cause.find(document, rules, findings, among=new) if c.found]
            index = root_cause._Index(document)
            exact = any(c.key in planted and not c.alternatives for c in located)
            among = any(c.key in planted or any(k in planted for a in c.alternatives for k in index.keys(a))
                        for c in located)
            out.append((name, exact, among))
    return out


def test_planted_cells_of_every_sample_are_localised(plantings):
    assert {name for name, _, _ in plantings} == {c[0].name for c in CELLS}
    exact = sum(e for _, e, _ in plantings)
    # Measured 2026-12-03 on 100 random cells per sample (seed 7): see README "Likely cause".
    assert exact / len(plantings) >= 0.95, (exact, len(plantings))
    assert all(among for _, _, among in plantings)  # never a wrong cell: the planted one, or among equals


def test_the_corrected_value_is_the_printed_original():
    path = SAMPLES / CONSISTENT
    cells = [c for c in CELLS if c[0].name == CONSISTENT and c[3] == "general_budget_expenditure"
             and c[4] == "basic"]
    path, line, text, _, _ = cells[1]
    document, planted = _plant(path, line, text)
    _, causes = _causes(document)
    (key,) = planted
    cause = next(c for c in causes if c.key == key)
    _, original = _sample(path)
    assert cause.corrected == original.tables[key[0]].data[key[2]][key[1]]
    assert cause.printed == cause.corrected + 1  # one unit of the last printed digit (1 分 at 6-dp 万元)


def test_a_tie_no_figure_can_break_is_said_so():
    """total = fiscal + other with other blank: either printed cell explains the one finding; when
    neither correction is rounder, the cause names one and lists the other as an equal alternative."""
    cells = [c for c in CELLS if c[0].name == CONSISTENT and c[3] == "project_performance" and c[4] == "total"]
    picked = next(c for c in cells if c[2][-1] in "12345678")  # the bump makes neither figure rounder
    document, planted = _plant(picked[0], picked[1], picked[2])
    _, causes = _causes(document)
    (cause,) = [c for c in causes if c.found]
    keys = {cause.key} | {k for a in cause.alternatives for k in root_cause._Index(document).keys(a)}
    assert planted <= keys and len(keys) == 2


def test_hotline_detail_rows_are_one_cause_not_independent_findings():
    document = from_text((SAMPLES / "beijing-12345-hotline-budget.txt").read_text("utf-8"), "hotline")
    findings, causes = _causes(document)
    first = causes[0]
    assert not first.found and first.table == "expenditure_summary"
    assert sorted(findings[i].rule for i in first.explains) == sorted(
        ["XT003", "GRP001", "GRP002", "SUM001", "SUM001", "GRP001", "GRP003", "SUM001"])
    assert causes[1].table == "basic_expenditure"
    assert [findings[i].rule for i in causes[1].explains] == ["SUM003", "SUM003"]


def test_no_numeric_findings_no_causes():
    document = from_text((SAMPLES / CONSISTENT).read_text("utf-8"), "clean")
    assert _causes(document)[1] == []


def test_the_search_is_bounded_by_a_work_budget_not_by_the_documents_size(monkeypatch):
    """Review item 11: the HTML report was quadratic because every group of findings re-ran the
    engine over the whole document. The search now spends a fixed budget of rows re-checked: a
    document gets at most WORK_LIMIT / (its rows + paragraphs) re-runs, and a group whose search
    was cut short gets no cause rather than a wrong one."""
    from budget_audit.rules import root_cause_search

    document = _sample(SAMPLES / "beijing-12345-hotline-budget.txt")[1]
    rules = load_ruleset(document.template)
    findings = engine.run(document, rules).findings
    full = root_cause.find(document, rules, findings)
    cost = root_cause_search.Budget(document).cost
    runs = []
    real_try = root_cause_search._try  # one re-run of the rules that read a corrected cell
    monkeypatch.setattr(root_cause_search, "_try", lambda *a, **k: runs.append(1) or real_try(*a, **k))
    monkeypatch.setattr(root_cause_search, "WORK_LIMIT", 5 * cost)
    cut = root_cause.find(document, rules, findings)
    assert 0 < len(runs) <= 5
    assert all(c in full for c in cut) and len(cut) < len(full)  # fewer causes, never other ones
