"""Each rule kind's cases, stored as data: small tables and the findings they must produce."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from budget_audit.loaders.frames import FrameBuilder
from budget_audit.loaders.model import Document, Paragraph
from budget_audit.rules import engine
from budget_audit.rules.kinds import KINDS
from budget_audit.rules.ruleset import Rule

CASES = Path(__file__).parent.parent / "data" / "rule_cases"


def build_table(table_id: str, spec: dict, first_line: int):
    """A Table from a YAML spec; row i's cells sit on line first_line + i."""
    builder = FrameBuilder(["is_total"], list(spec["amounts"]))
    for i, row in enumerate(spec["rows"]):
        line = first_line + i
        keys = dict(zip(spec["keys"], row[: len(spec["keys"])]))
        keys.setdefault("is_total", False)
        keys = {k: (v if isinstance(v, bool) else ("" if v is None else str(v))) for k, v in keys.items()}
        cells = {c: ("" if v is None else str(v), line) for c, v in zip(spec["amounts"], row[len(spec["keys"]):])}
        builder.add(keys, cells, spec.get("unit", "元"), {k: line for k in keys})
    return builder.build(table_id, spec.get("title", table_id), spec.get("label"), spec.get("unit", "元"), first_line)


def build_document(case: dict) -> Document:
    document = Document(path="case.txt", template=None, year=None, unit="元")
    line = 1
    for table_id, spec in (case.get("tables") or {}).items():
        document.tables[table_id] = build_table(table_id, spec, line)
        line += len(spec["rows"]) + 10
    document.paragraphs = [Paragraph(text, i + 1000) for i, text in enumerate(case.get("paragraphs") or [])]
    document.problems = case.get("problems") or []
    return document


def load_cases():
    for path in sorted(CASES.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")):
            yield pytest.param(case, id=f"{path.stem}: {case['name']}")


@pytest.mark.parametrize("case", list(load_cases()))
def test_case(case):
    spec = case["rule"]
    problem = KINDS[spec["kind"]].validate(spec["params"])
    assert problem is None, problem
    rule = Rule(code=spec.get("code", "T001"), kind=spec["kind"], severity=spec.get("severity", "error"),
                title={"zh": "测试", "en": "test"}, params=spec["params"], family="T", message=spec.get("message", {}))
    outcome = engine.run(build_document(case), [rule])
    if case.get("skipped"):
        assert outcome.skipped and not outcome.checked
        return
    got = [{k: v for k, v in {"severity": f.severity, "expected": f.to_dict()["expected"], "actual": f.to_dict()["actual"],
                               "lines": f.lines, "rule": f.rule}.items() if k in want}
           for f, want in zip(outcome.findings, case["expect"])]
    assert len(outcome.findings) == len(case["expect"]), [f.message["en"] for f in outcome.findings]
    assert got == case["expect"]
    for f in outcome.findings:
        assert f.message["zh"] and f.message["en"]


def test_every_kind_has_cases():
    names = {path.stem.replace("_", "-") for path in CASES.glob("*.yaml")}
    assert set(KINDS) <= names


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_documented(kind):
    doc = KINDS[kind].__doc__ or ""
    for heading in ("What it checks", "Why it matters", "Passes", "Fails", "Example"):
        assert heading in doc, f"{kind}: no '{heading}'"
