"""GX ExpectationSuites of a rule set's identities, one per document and standard table (#17), and
`budget-audit gx-suite FILE... -o DIR` that writes them as GX's own JSON.

A suite validates the *identity frame* of its table (gx/frames.py): one row per comparison of every
expressible rule whose figures land in that table, the rows of a rule picked by a row condition
on `rule`. Per rule: a built-in that is exact (pair equal, or A ≥ B for `ge`/`le` rules) finds
every difference; where a rule's cells carry rounding slack, the custom
expect_identity_within_rounding (gx/expectations.py) finds those beyond it.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from budget_audit.gx.frames import NOT_EXPRESSED, Comparisons

CUSTOM = "budget_audit.gx.expectations.ExpectIdentityWithinRounding"
FRAME_DOC = ("identity frame: one row per comparison of the rules below (budget_audit.gx.frames.frame): "
             "rule, key, document, actual, expected, actual_ulp, expected_ulp (integer 分; ulp = one unit "
             "of the last printed digit, summed over the cells added up)")


def expectations_for(part: Comparisons) -> list:
    """The expectations of one rule: exact built-in, and rounding-aware custom when slack exists."""
    from budget_audit.gx.context import gx

    module = gx()
    from great_expectations.expectations.row_conditions import Column
    from budget_audit.gx.expectations import ExpectIdentityWithinRounding

    E = module.expectations
    rule, where = part.rule, Column("rule") == part.rule.code
    meta = {"rule": rule.code, "kind": rule.kind, "severity": rule.severity, "title": rule.title}
    if part.relation == "ge":
        exact = E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="actual", column_B="expected", or_equal=True,
                                                          row_condition=where, meta={**meta, "role": "exact"})
    elif part.relation == "le":
        exact = E.ExpectColumnPairValuesAToBeGreaterThanB(column_A="expected", column_B="actual", or_equal=True,
                                                          row_condition=where, meta={**meta, "role": "exact"})
    else:
        exact = E.ExpectColumnPairValuesToBeEqual(column_A="actual", column_B="expected", row_condition=where,
                                                  meta={**meta, "role": "exact"})
    out = [exact]
    if any(row[2] or row[3] for row in part.rows):  # some slack: equality alone would over-report errors
        out.append(ExpectIdentityWithinRounding(column_list=["actual", "expected", "actual_ulp", "expected_ulp"],
                                                relation=part.relation, row_condition=where,
                                                meta={**meta, "role": "rounding"}))
    return out


def suite_meta(document_path: str, table_id: str, parts: list[Comparisons], not_expressed: list[dict],
               skipped: list[dict]) -> dict:
    """What a reader of the stored suite needs: which rules, how, and which were left out and why."""
    return {"budget_audit": {
        "document": document_path, "table": table_id, "batch": FRAME_DOC,
        "rules": [{"rule": p.rule.code, "kind": p.rule.kind, "comparisons": len(p.rows),
                   "expectations": ["built-in: exact" + (" (A >= B)" if p.relation != "eq" else ""),
                                    *(["custom: " + CUSTOM + " (per-row rounding slack)"]
                                      if any(r[2] or r[3] for r in p.rows) else [])]} for p in parts],
        "custom_expectation": {"class": CUSTOM, "why": "the admissible difference is half the sum of the "
                               "ulps of the cells added up, different on every row; no built-in expresses it",
                               "import": "import budget_audit.gx.expectations before loading this suite"},
        "not_expressed": not_expressed, "not_applicable": skipped}}


def build(context, document_path: str, parts: list[Comparisons], not_expressed: list[dict],
          skipped: list[dict]) -> dict:
    """{table id: ExpectationSuite} added to `context`, one per home table of the parts."""
    module = sys.modules["great_expectations"]
    by_table: dict[str, list[Comparisons]] = {}
    for part in parts:
        by_table.setdefault(part.home, []).append(part)
    suites = {}
    for table_id, table_parts in by_table.items():
        name = f"{Path(document_path).name}.{table_id}"
        suite = module.ExpectationSuite(name=name, meta=suite_meta(document_path, table_id, table_parts,
                                                                   not_expressed, skipped))
        for part in table_parts:
            for expectation in expectations_for(part):
                suite.add_expectation(expectation)
        suites[table_id] = context.suites.add(suite)
    return suites


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name)


def cmd_gx_suite(args) -> int:
    """Write DIR/<document>.<table>.json for every document and standard table; exit 2 on bad input."""
    from budget_audit.gx.engine import prepare
    from budget_audit.gx.context import context
    from budget_audit.loaders import load
    from budget_audit.loaders.model import LoadError
    from budget_audit.reports.pipeline import discover
    from budget_audit.rules import engine
    from budget_audit.rules.ruleset import RuleSetError, load_ruleset, profile_for

    out = Path(args.output)
    if out.exists() and not out.is_dir():
        print(f"budget-audit: {out}: not a folder", file=sys.stderr)
        return 2
    status = 0
    try:
        paths = discover(args.paths)
    except Exception as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        try:
            document = load(path)
            rules = engine.selected(load_ruleset(args.ruleset or args.profile or profile_for(document.template)))
        except (LoadError, RuleSetError) as exc:
            print(f"budget-audit: {exc}", file=sys.stderr)
            status = 2
            continue
        ctx, _ = context()  # one per document: suite names are per document
        prepared = prepare(document, rules)
        suites = build(ctx, document.path, prepared.parts, prepared.not_expressed, prepared.not_applicable)
        out.mkdir(parents=True, exist_ok=True)
        for table_id, suite in suites.items():
            target = out / _safe(f"{Path(document.path).name}.{table_id}.json")
            target.write_text(json.dumps(suite.to_json_dict(), ensure_ascii=False, indent=2), "utf-8")
            print(target)
    return status
