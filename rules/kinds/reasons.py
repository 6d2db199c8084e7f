"""Why a rule did not run, in the report's language: the kinds' NotApplicable reasons, zh and en.

The kinds raise NotApplicable with an English reason naming table ids (the JSON report keeps it as
is); this one table gives each reason its Chinese wording, and both languages name tables and columns
by the catalog's names. A reason no
entry matches is shown as it is (tests/rules/test_ruleset.py checks every reason has an entry).
"""

from __future__ import annotations

import re
from functools import lru_cache

# (English reason with {placeholders}, Chinese[, English shown]); {table} is a table id, {column} a column id.
REASONS = (
    ("the document has no {name} ({table})", "文件中没有{table}", "the document has no {table} table"),
    ("{table} has no amount column {column}", "{table}没有金额列“{column}”"),
    ("{table} has no column {column}", "{table}没有“{column}”列"),
    ("{table} has no row {row}", "{table}没有所需的行（{row}）"),
    ("{table} has none of the part rows", "{table}没有任何组成部分的行"),
    ("{table} prints no total row", "{table}没有合计行"),
    ("{table} prints only its total row", "{table}只有合计行，没有明细行"),
    ("{table} is not printed as an outline", "{table}未按层级列示"),
    ("{table} has no classification codes", "{table}没有科目编码"),
    ("{table} prints no parent/child rows", "{table}没有上下级科目行"),
    ("the document has none of these tables", "文件中没有这些表"),
    ("the document's narrative states no figures", "说明中没有可核对的数字"),
    ("the document has no narrative text", "文件中没有说明文字"),
    ("a text export: no printed pages to check", "文本导出文件：没有可检查的印刷页面"),
    ("nothing to group on one side", "其中一方没有可分组的行"),
    ("one of the tables has no row to compare", "其中一张表没有可比较的行"),
    ("no tables", "没有识别出任何表"),
)
_GROUP = {"table": r"(?P<table>[a-z][a-z0-9_]*)", "column": r"(?P<column>\S+)"}


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, str]]:
    compiled = []
    for english, chinese, *_ in REASONS:
        parts = re.split(r"\{(\w+)\}", english)
        regex = "".join(re.escape(p) if i % 2 == 0 else _GROUP.get(p, f"(?P<{p}>.+?)") for i, p in enumerate(parts))
        compiled.append((re.compile(f"^{regex}$"), chinese))
    return compiled


def _names(values: dict[str, str], lang: str) -> dict[str, str]:
    """Table and column ids as the report's language names them."""
    from budget_audit.loaders.catalog import catalog, table_name

    out = dict(values)
    if "table" in out:
        out["table"] = table_name(out["table"], lang)
    if "column" in out:
        out["column"] = catalog().get("column_names", {}).get(out["column"], {}).get(lang, out["column"])
    return out


def reason_text(reason: str, lang: str = "zh") -> str:
    """The reason in the report's language, tables and columns by name; unknown reasons as they are."""
    for (pattern, chinese), (english, _, *shown) in zip(_patterns(), REASONS):
        match = pattern.match(reason)
        if match:
            return (chinese if lang == "zh" else (shown or [english])[0]).format(**_names(match.groupdict(), lang))
    return reason
