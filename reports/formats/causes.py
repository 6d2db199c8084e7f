"""What every human-readable format shows first: the likely causes, each with the findings it
explains, then the findings no cause explains; and how a waived or baselined finding is marked."""

from __future__ import annotations

from typing import Any

from budget_audit.reports.formats.ci import display_name
from budget_audit.reports.formats.places import place_label
from budget_audit.rules.findings import Finding, format_amount

WORDS = {
    "zh": {"cause": "可能的原因", "found": "{table}{place}“{row}”的“{column}”印作 {printed}，应为 {corrected}{unit}"
                                             "（更正后以下 {n} 项问题全部消除）",
           "alternatives": "同样能解释的单元格：{cells}",
           "not_found": "以下 {n} 项问题共涉及{table}，但没有一个单元格的更正能同时解释它们",
           "waived": "已豁免", "baselined": "已在基线中", "reason": "理由"},
    "en": {"cause": "Likely cause", "found": "{table}{place}: “{column}” of “{row}” is printed {printed}; "
                                              "{corrected}{unit} would resolve the {n} findings below",
           "alternatives": "cells that explain as much: {cells}",
           "not_found": "the {n} findings below all involve {table}, but no single cell's correction explains them",
           "waived": "waived", "baselined": "in baseline", "reason": "reason"},
}


def groups(doc: Any) -> list[tuple[Any, list[Finding]]]:
    """[(cause, its findings), …, (None, the findings no cause explains)], causes first; the last
    pair only when such findings exist."""
    causes = list(getattr(doc, "causes", None) or [])
    taken: set[int] = set()
    out: list[tuple[Any, list[Finding]]] = []
    for cause in causes:
        members = [i for i in cause.explains if 0 <= i < len(doc.findings) and i not in taken]
        if members:
            taken.update(members)
            out.append((cause, [doc.findings[i] for i in members]))
    rest = [f for i, f in enumerate(doc.findings) if i not in taken]
    if rest:
        out.append((None, rest))
    return out


def cause_text(cause: Any, n: int, tables: dict, lang: str) -> str:
    """One sentence naming the cell (printed and corrected figure) or saying no cell explains the group."""
    w = WORDS[lang]
    if not cause.found:
        table = display_name(cause.table, tables.get(cause.table), lang) if cause.table else (
            "多个表" if lang == "zh" else "several tables")
        return f"{w['cause']}{'：' if lang == 'zh' else ': '}{w['not_found'].format(n=n, table=table)}"
    cell, unit = cause.cell, cause.unit or "元"
    spot = place_label(cell.source, lang)
    text = w["found"].format(table=display_name(cell.table, tables.get(cell.table), lang),
                             place=f"（{spot}）" if lang == "zh" and spot else f" ({spot})" if spot else "",
                             row=cell.row, column=cell.column, printed=format_amount(cause.printed, unit),
                             corrected=format_amount(cause.corrected, unit), unit=f" {unit}", n=n)
    if cause.alternatives:
        others = ("、" if lang == "zh" else ", ").join(f"{a.row}/{a.column} ({place_label(a.source, lang)})"
                                                       for a in cause.alternatives)
        text += ("；" if lang == "zh" else "; ") + w["alternatives"].format(cells=others)
    return f"{w['cause']}{'：' if lang == 'zh' else ': '}{text}"


RELATED = {"zh": "相互比对的文件", "en": "Documents compared with each other"}


def relation_lines(report: Any, lang: str) -> list[str]:
    """'js_renda_2018.pdf ← js_renda_2017.pdf（上一年度同类文件）', one per relation used."""
    from pathlib import Path

    out = []
    for r in getattr(report, "siblings", None) or []:
        title = r.to_dict()["title"][lang]
        out.append(f"{Path(r.document).name} ← {Path(r.sibling).name}" + (f"（{title}）" if lang == "zh" else f" ({title})"))
    return out


def marker(finding: Finding, lang: str) -> str:
    """'已豁免（理由：…）' / 'waived (reason: …)' / 'in baseline', or '' for a finding that counts."""
    w = WORDS[lang]
    if finding.waiver:
        reason = finding.waiver.get("reason") if isinstance(finding.waiver, dict) else None
        if not reason:
            return w["waived"]
        return f"{w['waived']}（{w['reason']}：{reason}）" if lang == "zh" else f"{w['waived']} ({w['reason']}: {reason})"
    return w["baselined"] if finding.baselined else ""
