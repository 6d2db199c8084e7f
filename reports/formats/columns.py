"""The columns of a standard table as printed: which to show and the header to show them under."""

from __future__ import annotations

from typing import Any

from budget_audit.rules.selection import column_label

# Columns the loaders derive (ids, indents, flags) rather than print as such.
DERIVED = {"side", "item", "indent", "is_total", "level", "class_code", "use", "form"}
KEY_COLUMNS = {
    "code": ("科目编码", "code"), "name": ("科目名称", "name"), "label": ("项目", "item"),
    "gov_econ_code": ("政府经济分类", "government economic code"),
    "gov_econ_name": ("政府经济分类名称", "government economic class"),
    "dept_econ_code": ("部门经济分类", "department economic code"),
    "dept_econ_name": ("部门经济分类名称", "department economic class"),
    "function_code": ("功能分类科目编码", "function code"), "function_name": ("功能分类科目", "function"),
    "level1": ("一级", "level 1"), "level2": ("二级", "level 2"), "level3": ("三级", "level 3"),
    "kind": ("类别", "kind"), "project": ("项目名称", "project"), "number": ("序号", "no."),
    "unit_code": ("单位编码", "unit code"),
    "unit_name": ("单位名称", "unit"), "document_no": ("文号", "document no."),
}


def printed_columns(table: Any) -> list[str]:
    """The columns that hold printed cells (derived ones left out), in the table's order."""
    return [c for c in table.cell_texts if c not in DERIVED and c in table.cell_lines
            and any(n and n > 0 for n in table.cell_lines[c])]


def header(table: Any, column: str, lang: str) -> str:
    """The printed header of an amount column (its catalog name in English), the usual printed
    name of a key column."""
    if column in KEY_COLUMNS and column not in table.amount_columns:
        return KEY_COLUMNS[column][0 if lang == "zh" else 1]
    return column_label(table, column, lang)
