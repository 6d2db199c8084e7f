"""What a rule may name in a table, from the catalog: its columns and the values of its row keys.

A rule set is checked against this before any document is read, so a user's rule that names a
column a table cannot have (`column: totl`) or a row no table prints (`where: {item: totl}`) is
refused with the file, code and key, instead of being skipped as "not applicable" on every document.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

# Key columns every builder may add beside the catalog's header ids (loaders/builders.py _derive_keys).
DERIVED = {"is_total", "level", "class_code", "use", "code", "name", "function_code", "function_name", "kind",
           "dept_econ_code", "dept_econ_name", "gov_econ_code", "gov_econ_name", "total_of", "form", "project",
           "outline"}
SHAPES = {  # builder -> (key columns, amount columns) beyond the catalog's ids
    "two_sided": ({"side", "item", "code", "label", "indent"},
                  {"amount", "general_public_budget", "gov_fund", "state_capital", "personnel", "public", "project"}),
    "three_public": ({"item", "label"}, {"amount", "prior_year", "budget"}),
    "key_value": ({"item", "label"}, {"amount"}),
    "project_performance": ({"code", "name", "form"},
                            {"total", "fiscal", "other", "mid_total", "mid_fiscal", "mid_other", "annual_total",
                             "annual_current", "annual_carryover", "annual_other"}),
}
GROUPED = ({"group", "item", "label", "is_total"}, {"total"})  # Jiangsu 收入预算总表 (loaders/grouped.py)


@lru_cache(maxsize=None)
def columns(table_id: str) -> frozenset[str]:
    """Every column id (keys and amounts) the table's builder can give it."""
    from budget_audit.loaders.catalog import catalog

    cat = catalog()
    builder = cat["tables"][table_id]["builder"]
    ids = set(cat["key_columns"].values()) | set(cat["amount_columns"].values()) | DERIVED
    keys, amounts = SHAPES.get(builder, (set(), set()))
    if builder in ("two_sided", "three_public", "key_value", "project_performance"):
        ids = keys | amounts | (set(cat["amount_columns"].values()) if builder == "two_sided" else set())
    if table_id == "income_summary":
        ids |= GROUPED[0] | GROUPED[1]
    return frozenset(ids)


@lru_cache(maxsize=None)
def item_values(table_id: str) -> frozenset[str] | None:
    """The `item` ids a two-sided or 三公 table prints (None: any value, e.g. a label's text)."""
    from budget_audit.loaders.catalog import catalog

    cat = catalog()
    builder = cat["tables"][table_id]["builder"]
    if builder == "two_sided":
        items = set(cat["income_items"].values()) | set(cat["expenditure_items"].values())
        return frozenset(items | {f"carryover_{i}" for i in items} | {"function", ""})
    if builder == "three_public":
        return frozenset(set(cat["three_public_items"].values()) | {""})
    return None


def _values(wanted: Any) -> list[Any]:
    """The plain values a row filter names ({not: [...]}, {prefix: ...} and lists unwrapped)."""
    if isinstance(wanted, dict):
        return [v for key, inner in wanted.items() if key == "not" for v in _values(inner)]
    return list(wanted) if isinstance(wanted, list) else [wanted]


def check_where(table_id: str, where: Any, key: str) -> tuple[str, str] | None:
    """A row filter names only columns the table has, and items the table prints."""
    from budget_audit.rules.kinds.params import WHERE

    if where is None:
        return None
    problem = WHERE.check(where, key)  # values and operators (the spec of a figure has no PARAMS of its own)
    if problem:
        return problem
    known = columns(table_id)
    for column, wanted in where.items():
        if column not in known:
            return f"{key}.{column}", f"{table_id} has no column {column!r}"
        items = item_values(table_id) if column == "item" else None
        if items is not None:
            bad = [v for v in _values(wanted) if str(v) not in items]
            if bad:
                return f"{key}.item", f"{table_id} prints no row {bad[0]!r}"
    return None


def check_column(table_id: str, column: Any, key: str) -> tuple[str, str] | None:
    if not isinstance(column, str) or column not in columns(table_id):
        return key, f"{table_id} has no column {column!r}"
    return None


def check_spec(spec: Any, key: str, column_keys: tuple[str, ...] = ("column",)) -> tuple[str, str] | None:
    """A {table, column, where, key} spec of cross-table / group-sum."""
    from budget_audit.loaders.catalog import catalog

    if not isinstance(spec, dict) or spec.get("table") not in catalog()["tables"]:
        return None  # the kind's own validate says so
    table = spec["table"]
    for name in column_keys:
        if name in spec:
            problem = check_column(table, spec[name], f"{key}.{name}")
            if problem:
                return problem
    for i, column in enumerate(spec.get("key") or []):
        problem = check_column(table, column, f"{key}.key[{i}]")
        if problem:
            return problem
    return check_where(table, spec.get("where"), f"{key}.where")


def check_params(kind: str, params: dict[str, Any]) -> tuple[str, str] | None:
    """(key, problem) for the first column or row filter the catalog's tables cannot have."""
    from budget_audit.loaders.catalog import catalog

    table = params.get("table")
    if isinstance(table, str) and table in catalog()["tables"]:
        if kind == "row-identity":
            for i, column in enumerate([params.get("total"), *(params.get("parts") or [])]):
                problem = check_column(table, column, "total" if i == 0 else f"parts[{i - 1}]")
                if problem:
                    return problem
        if kind in ("column-sum",):
            for i, column in enumerate(params.get("columns") or []):
                problem = check_column(table, column, f"columns[{i}]")
                if problem:
                    return problem
            rows = params.get("rows")
            if isinstance(rows, dict):
                return check_where(table, rows, "rows")
        if kind == "structure" and "column" in params:
            problem = check_column(table, params["column"], "column")
            if problem:
                return problem
        if kind == "item-identity":
            if "column" in params:
                problem = check_column(table, params["column"], "column")
                if problem:
                    return problem
            parts = params.get("parts") or []
            for name, where in [("total", params.get("total")), ("parts_where", params.get("parts_where")),
                                *[(f"parts[{i}]", p) for i, p in enumerate(parts if isinstance(parts, list) else [])]]:
                problem = check_where(table, where, name)
                if problem:
                    return problem
        problem = check_where(table, params.get("where"), "where")
        if problem:
            return problem
    if kind == "narrative-claim":
        problem = _figure_specs(params)
        if problem:
            return problem
    for side in ("left", "right", "detail", "summary"):
        specs = params.get(side)
        for i, spec in enumerate(specs if isinstance(specs, list) else [specs] if specs else []):
            problem = check_spec(spec, side if not isinstance(specs, list) else f"{side}[{i}]")
            if problem:
                return problem
    return None


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _figure_specs(params: dict[str, Any]) -> tuple[str, str] | None:
    """The narrative's figures and counts: {subject: spec | [specs]} maps (or a list of them)."""
    for key in ("figures", "counts"):
        for figures in _listed(params.get(key)):
            for subject, specs in (figures.items() if isinstance(figures, dict) else ()):
                for i, spec in enumerate(_listed(specs)):
                    where = f"{key}.{subject}" + (f"[{i}]" if isinstance(specs, list) else "")
                    problem = check_spec(spec, where, ("column", "prior_column"))
                    instead = spec.get("instead") if isinstance(spec, dict) else None
                    if not problem and isinstance(instead, dict):
                        problem = check_spec(instead, f"{where}.instead", ("column", "prior_column"))
                    otherwise = spec.get("otherwise") if isinstance(spec, dict) else None
                    if not problem and isinstance(otherwise, dict) and spec.get("table") in _tables():
                        problem = check_where(spec["table"], otherwise.get("where"), f"{where}.otherwise.where") \
                            or check_where(spec["table"], otherwise.get("unless"), f"{where}.otherwise.unless")
                    if problem:
                        return problem
    return None


def _tables() -> dict[str, Any]:
    from budget_audit.loaders.catalog import catalog

    return catalog()["tables"]
