"""GX ExpectationSuites of a rule set's identities, one per document and standard table (#17), and
`budget-audit gx-suite FILE... -o DIR` that writes them as GX's own JSON.

A suite validates the *identity frame* of its table (gx/frames.py): one row per comparison of every
expressible rule whose figures land in that table, each row naming its rule. A built-in that is
exact (pair equal, or A ≥ B for `ge`/`le` rules) finds every difference; where cells carry
rounding slack, the custom expect_identity_within_rounding (gx/expectations.py) finds those
beyond it. GX's unexpected rows name `row_id`, `rule` and `key`.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from budget_audit.gx.frames import Comparisons

CUSTOM = "budget_audit.gx.expectations.ExpectIdentityWithinRounding"
FRAME_DOC = ("identity frame: one row per comparison of the rules below (budget_audit.gx.frames.frame): "
             "row_id, rule, key, document, relation, actual, expected, actual_ulp, expected_ulp (integer 分; ulp = one unit "
             "of the last printed digit, summed over the cells added up)")


def _slack(parts: list[Comparisons]) -> bool:
    return any(row[2] or row[3] for part in parts for row in part.rows)


def expectations_for(parts: list[Comparisons], relation: str, conditioned: bool) -> list:
    """The expectations of a table's rules of one relation: an exact built-in, and the
    rounding-aware custom one when some cell carries rounding slack. One expectation covers all
    those rules (each frame row names its rule), which keeps GX's cost per table, not per rule."""
    from budget_audit.gx.context import gx

    module = gx()
    from great_expectations.expectations.row_conditions import Column
    from budget_audit.gx.expectations import ExpectIdentityWithinRounding

    E = module.expectations
    extra = {"row_condition": Column("relation") == relation} if conditioned else {}
    meta = {"rules": list(dict.fromkeys(p.rule.code for p in parts)), "relation": relation}
    if relation == "eq":
        exact = E.ExpectColumnPairValuesToBeEqual(column_A="actual", column_B="expected",
                                                  meta={**meta, "role": "exact"}, **extra)
    else:  # ge: actual >= expected; le: expected >= actual
        a, b = ("actual", "expected") if relation == "ge" else ("expected", "actual")
        exact = E.ExpectColumnPairValuesAToBeGreaterThanB(column_A=a, column_B=b, or_equal=True,
                                                          meta={**meta, "role": "exact"}, **extra)
    out = [exact]
    if _slack(parts):  # some slack: equality alone would call rounding an error
        out.append(ExpectIdentityWithinRounding(column_list=["actual", "expected", "actual_ulp", "expected_ulp"],
                                                relation=relation, meta={**meta, "role": "rounding"}, **extra))
    return out


def suite_meta(document_path: str, table_id: str, parts: list[Comparisons], not_expressed: list[dict],
               skipped: list[dict]) -> dict:
    """What a reader of the stored suite needs: which rules, how, and which were left out and why."""
    parts = list({p.rule.code: p for p in parts}.values())  # a batch of documents: each rule once
    return {"budget_audit": {
        "document": document_path, "table": table_id, "batch": FRAME_DOC,
        "rules": [{"rule": p.rule.code, "kind": p.rule.kind, "comparisons": len(p.rows),
                   "relation": p.relation,
                   "expectations": ["built-in: " + ("expect_column_pair_values_to_be_equal" if p.relation == "eq"
                                                    else "expect_column_pair_values_a_to_be_greater_than_b"),
                                    *(["custom: expect_identity_within_rounding"] if _slack([p]) else [])]}
                  for p in parts],
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
        relations = list(dict.fromkeys(p.relation for p in table_parts))
        for relation in relations:
            group = [p for p in table_parts if p.relation == relation]
            for expectation in expectations_for(group, relation, conditioned=len(relations) > 1):
                suite.add_expectation(expectation)
        suites[table_id] = context.suites.add(suite)
    return suites


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name)


def cmd_gx_suite(args) -> int:
    """Write DIR/<document>.<table>.json for every document and standard table; exit 2 on bad input."""
    from budget_audit.gx.engine import prepare
    from budget_audit.gx.context import GXMissing, context, gx
    from budget_audit.loaders import load
    from budget_audit.loaders.model import LoadError
    from budget_audit.reports.pipeline import discover
    from budget_audit.reports.report import translate_reason
    from budget_audit.rules import engine
    from budget_audit.rules.ruleset import RuleSetError, load_ruleset, profile_for

    out, lang = Path(args.output), args.lang

    def fail(text: dict) -> int:
        print(f"budget-audit: {text[lang]}", file=sys.stderr)
        return 2

    if out.exists() and not out.is_dir():
        return fail({"zh": f"{out}：不是文件夹", "en": f"{out}: not a folder"})
    try:
        gx()
    except GXMissing as exc:
        return fail({lang: str(exc)})
    try:
        paths = discover(args.paths)
    except Exception as exc:  # noqa: BLE001 - a plain message, never a traceback
        return fail({"zh": str(exc), "en": str(exc)})
    status, written = 0, set()
    for path in paths:
        try:
            document = load(path)
            rules = engine.selected(load_ruleset(args.ruleset or args.profile or profile_for(document.template)))
        except LoadError as exc:  # named in the UI language; the rest of the batch is still exported
            where = f"{exc.path}:{exc.line}" if exc.line else exc.path
            status = fail({lang: f"{where}: {translate_reason(exc.reason, lang)}"})
            continue
        except RuleSetError as exc:
            status = fail({lang: str(exc)})
            continue
        except Exception as exc:  # noqa: BLE001 - a loader bug must not stop the batch
            status = fail({"zh": f"{path}：无法读取（{type(exc).__name__}: {exc}）；请报告此问题",
                           "en": f"{path}: could not be read ({type(exc).__name__}: {exc}); please report this"})
            continue
        ctx, _ = context()  # one per document: suite names are per document
        prepared = prepare(document, rules)
        suites = build(ctx, document.path, prepared.parts, prepared.not_expressed, prepared.not_applicable)
        try:
            out.mkdir(parents=True, exist_ok=True)
            for table_id, suite in suites.items():
                name = _safe(f"{Path(document.path).name}.{table_id}")
                while name in written:  # two inputs of the same file name: keep both
                    name = "_" + name
                written.add(name)
                target = out / f"{name}.json"
                target.write_text(json.dumps(suite.to_json_dict(), ensure_ascii=False, indent=2), "utf-8")
                print(target)
        except OSError as exc:
            return fail({"zh": f"{out}：无法写入（{exc.strerror or exc}）", "en": f"{out}: cannot write ({exc.strerror or exc})"})
    return status
