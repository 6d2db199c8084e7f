"""Narrative rule cases stored as YAML data (tests/data/narrative_cases.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budget_audit.loaders.model import Document, Paragraph
from budget_audit.rules import engine
from budget_audit.rules.narrative.claims import Claim, extract
from budget_audit.rules.ruleset import SETS, load_ruleset

CASES = yaml.safe_load((Path(__file__).parents[1] / "data" / "narrative_cases.yaml").read_text("utf-8"))
RULESETS = {"narrative": str(SETS / "narrative.yaml"), "base": "base"}


def describe(claim: Claim) -> str:
    """A claim as the cases write it: 'L10 difference 收入预算 2021 10.00元 vs 2020 +'."""
    where = f"L{claim.line}" + (f"-{claim.line_end}" if claim.line_end else "")
    text = f"{where} {claim.kind} {claim.subject} {claim.year} {claim.text}"
    if claim.base_year:
        text += f" vs {claim.base_year}"
    if claim.direction is not None:
        text += " " + {1: "+", -1: "-", 0: "="}[claim.direction]
    if claim.whole:
        text += f" of {claim.whole}"
    return text


def document(case: dict, sample) -> Document:
    """A district-style document holding the case's paragraphs (and the sample's tables)."""
    paragraphs = []
    for i, item in enumerate(case["paragraphs"]):
        item = item if isinstance(item, dict) else {"line": 10 + 2 * i, "text": item}
        paragraphs.append(Paragraph(item["text"], item["line"]))
    tables = dict(sample.tables) if case.get("tables") == "sample" else {}
    return Document(path=f"<{case['name']}>", template="beijing_district", year=case.get("year", 2021),
                    unit="元", tables=tables, paragraphs=paragraphs)


@pytest.fixture(scope="module")
def sample(documents):
    return documents["xicheng-zhengwu-2021-budget.txt"]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_case(case, sample):
    doc = document(case, sample)
    rules = engine.selected(load_ruleset(RULESETS[case.get("ruleset", "narrative")]), case.get("select", ()))
    outcome = engine.run(doc, rules)
    failing = [f for f in outcome.findings if f.severity in ("error", "warning")]
    assert sorted(f.rule for f in failing) == sorted(case["expect"]), [f.message["zh"] for f in outcome.findings]
    if "info" in case:
        infos = [f for f in outcome.findings if f.severity == "info"]
        assert sorted(f.rule for f in infos) == sorted(case["info"]), [f.message["zh"] for f in infos]
    if "lines" in case:
        assert sorted({line for f in failing for line in f.lines if line < 100}) == case["lines"]
        assert all(any(c.table == "narrative" for c in f.cells) for f in failing)
    if "claims" in case:
        assert [describe(c) for c in extract(doc.paragraphs, doc.year)] == case["claims"]


def test_every_case_has_a_distinct_name():
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names))
