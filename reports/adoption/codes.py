"""`budget-audit explain ADO001|ADO002`: the findings about the waiver file itself."""

from __future__ import annotations

DOCS = {
    "ADO001": {
        "zh": ("ADO001 — 豁免未匹配任何问题\n严重程度: warning    类别: ADO\n"
               "检查内容 What it checks: 豁免文件中某条豁免的 document 模式指向本次检查的文件，但该文件没有"
               "规则、表和所列数字都相同的问题。\n"
               "为何重要 Why it matters: 豁免只覆盖审核时印出的数字；数字变了或问题已改正，旧豁免不应留在文件里。\n"
               "写法示例 Example: figures: [\"9,716.698690\", ...] 而文件已改为 9,715.698690 → ADO001。\n"),
        "en": ("ADO001 — Waiver matches no finding\nseverity: warning    family: ADO\n"
               "What it checks: a waiver whose document glob names a checked document covers none of its findings "
               "(same rule, table and printed figures).\n"
               "Why it matters: a waiver covers only the figures that were reviewed; once they change or the "
               "error is fixed, the stale entry must go.\n"
               "Example: figures: [\"9,716.698690\", ...] while the document now prints 9,715.698690 -> ADO001.\n"),
    },
    "ADO002": {
        "zh": ("ADO002 — 豁免已过期\n严重程度: warning    类别: ADO\n"
               "检查内容 What it checks: 一条豁免的 expires 日期已过；它不再豁免任何问题，被覆盖的问题重新计入结果。\n"
               "为何重要 Why it matters: 接受的例外须定期重新审核，过期后不能继续默默放行。\n"
               "写法示例 Example: expires: 2026-06-30，今天 2026-07-01 → ADO002，原问题重新阻止提交。\n"),
        "en": ("ADO002 — Waiver has expired\nseverity: warning    family: ADO\n"
               "What it checks: a waiver's expires date has passed; it waives nothing and the findings it covered count again.\n"
               "Why it matters: an accepted exception is reviewed again on a schedule, never waved through forever.\n"
               "Example: expires: 2026-06-30 and today is 2026-07-01 -> ADO002, and the original finding blocks again.\n"),
    },
}


def explain(code: str, lang: str = "zh") -> str | None:
    """The documentation of an ADO code (any case), None for another code."""
    doc = DOCS.get(code.upper())
    return doc["zh" if lang == "zh" else "en"] if doc else None
