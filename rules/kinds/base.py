"""What every kind shares: finding construction from a comparison, messages from templates."""

from __future__ import annotations

import re
from typing import Any

from budget_audit.loaders.catalog import table_name
from budget_audit.loaders.model import Document, Table
from budget_audit.rules.compare import FAIL, ROUNDING, Outcome
from budget_audit.rules.findings import CellRef, Finding, format_amount
from budget_audit.rules.kinds import NotApplicable
from budget_audit.rules.ruleset import Rule

ROUNDING_NOTE = {
    "zh": "（差额 {difference} {unit} 在印刷精度的舍入范围内，仅作提示）",
    "en": " (the difference of {difference} {unit} is within the rounding of the printed digits; note only)",
}


def need(document: Document, *table_ids: str) -> list[Table]:
    """The tables a rule reads; NotApplicable naming the first one missing."""
    tables = []
    for table_id in table_ids:
        table = document.table(table_id)
        if table is None:
            raise NotApplicable(f"the document has no {table_name(table_id)} ({table_id})")
        tables.append(table)
    return tables


def render(template: dict[str, str], context: dict[str, Any]) -> dict[str, str]:
    """zh and en messages from a template pair; unknown placeholders are left visible."""
    out = {}
    for lang in ("zh", "en"):
        text = template.get(lang) or template.get("zh", "")
        fields = _fields(text)  # only the names the text uses: a loader problem's context is long
        if fields is None:
            ctx = {k: (v[lang] if isinstance(v, dict) and lang in v else v) for k, v in context.items()}
        else:
            ctx = {}
            for k in fields:
                if k in context:
                    v = context[k]
                    ctx[k] = v[lang] if isinstance(v, dict) and lang in v else v
        try:
            out[lang] = text.format(**ctx)
        except (KeyError, IndexError, ValueError):
            out[lang] = text
    return out


_FIELDS: dict[str, tuple[str, ...] | None] = {}


def _fields(text: str) -> tuple[str, ...] | None:
    """The names a format text reads ({a}, {a[0]}, {a.b}: a), None when it cannot be parsed."""
    if text not in _FIELDS:
        import string

        try:
            names = []
            for _, field, spec, _ in string.Formatter().parse(text):
                for part in (field, spec):  # a spec may hold fields of its own: {a:{b}}
                    if part is None:
                        continue
                    inner = [part] if part is field else [f for _, f, _, _ in string.Formatter().parse(part) if f]
                    names += [re.split(r"[.\[]", f, maxsplit=1)[0] for f in inner]
            _FIELDS[text] = tuple(dict.fromkeys(names))
        except (ValueError, TypeError):
            _FIELDS[text] = None
        if len(_FIELDS) > 4096:  # user messages are few; bounded all the same
            _FIELDS.clear()
            return None
    return _FIELDS[text]


def finding(rule: Rule, outcome: Outcome, unit: str, cells: list[CellRef], default: dict[str, str],
            context: dict[str, Any], table: str | None) -> Finding | None:
    """A Finding for a failed or rounding-only comparison, None when it passes."""
    if outcome.verdict not in (FAIL, ROUNDING):
        return None
    context = {**context, "unit": unit,
               "expected": format_amount(outcome.expected, unit),
               "actual": format_amount(outcome.actual, unit),
               "difference": format_amount(outcome.difference, unit)}
    message, severity = graded(rule, outcome.verdict, render(rule.message or default, context), context)
    return Finding(rule=rule.code, severity=severity, message=message, table=table,
                   expected=outcome.expected, actual=outcome.actual, unit=unit, cells=cells,
                   family=rule.family, title=rule.title)


def graded(rule: Rule, verdict: str, message: dict[str, str], context: dict[str, Any]):
    """(message, severity): a difference only rounding explains is an info note, said so."""
    if verdict != ROUNDING:
        return message, rule.severity
    note = render(ROUNDING_NOTE, {"difference": context.get("difference", ""), "unit": context.get("unit", "")})
    return {lang: message[lang] + note[lang] for lang in message}, "info"


def names(table: Table) -> dict[str, str]:
    """The table's display name in both languages, with its printed label."""
    label = f"{table.label} " if table.label else ""
    return {"zh": f"{label}{table.title}", "en": f"{label}{table_name(table.id, 'en')}"}


def validate_keys(params: dict[str, Any], required: tuple[str, ...]) -> tuple[str, str] | None:
    """The first required parameter that is missing."""
    for key in required:
        if key not in params:
            return key, "missing"
    return None


def validate_table(params: dict[str, Any], key: str = "table") -> tuple[str, str] | None:
    """A params key that must name a standard table id of the catalog."""
    from budget_audit.loaders.catalog import catalog

    value = params.get(key)
    if isinstance(value, dict):
        value = value.get("table")
        key = f"{key}.table"
    if value not in catalog()["tables"]:
        return key, f"unknown table id {value!r}"
    return None


def validate_check(params: dict[str, Any], checks, needs: dict[str, tuple[str, ...]]) -> tuple[str, str] | None:
    """For kinds with sub-checks: `check` is one of `checks` and the keys that check reads are there."""
    problem = validate_keys(params, ("check",))
    if problem:
        return problem
    if params["check"] not in checks:
        return "check", f"must be one of {', '.join(checks)}"
    return validate_keys(params, needs.get(params["check"], ()))
