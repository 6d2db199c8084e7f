"""The terminal's fleet summary for a run over many documents: documents by status, the rules that
fail most, the documents with the most errors (reports/formats/terminal.py prints it last)."""

from __future__ import annotations

from collections import Counter

from budget_audit.reports.report import AuditReport, is_active

MANY = 20  # below this the per-document report says it all
TOP = 10
WORDS = {
    "zh": {"title": "批量汇总", "status": "文件状态", "pass": "通过", "fail": "未通过", "error": "无法读取",
           "skipped": "非公开文件", "rules": "未通过最多的规则", "rule": "规则", "documents": "文件数",
           "findings": "问题数", "worst": "错误最多的文件", "path": "文件", "errors": "错误"},
    "en": {"title": "Fleet summary", "status": "Documents by status", "pass": "pass", "fail": "fail",
           "error": "unreadable", "skipped": "not a disclosure", "rules": "Rules that fail most",
           "rule": "rule", "documents": "documents", "findings": "findings",
           "worst": "Documents with most errors", "path": "document", "errors": "errors"},
}


def figures(report: AuditReport, top: int = TOP) -> dict:
    """The summary's figures: {status: count}, [(rule, documents, findings)], [(path, errors)]."""
    status = Counter(d.status for d in report.documents)
    status["skipped"] = len(report.skipped)
    documents, findings = Counter(), Counter()
    for doc in report.documents:
        active = [f for f in doc.findings if is_active(f) and f.severity != "info"]
        findings.update(f.rule for f in active)
        documents.update({f.rule for f in active})
    rules = [(rule, n, findings[rule]) for rule, n in
             sorted(documents.items(), key=lambda item: (-item[1], -findings[item[0]], item[0]))[:top]]
    worst = sorted(((d.path, d.count("error")) for d in report.documents if d.count("error")),
                   key=lambda item: (-item[1], item[0]))[:top]
    return {"status": {k: status[k] for k in ("pass", "fail", "error", "skipped")}, "rules": rules, "worst": worst}


def render(report: AuditReport, lang: str = "zh", many: int = MANY):
    """A rich renderable for the end of the terminal report, or None for a run of few documents."""
    if len(report.documents) + len(report.skipped) <= many:
        return None
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    words, data = WORDS[lang], figures(report)
    status = Table(title=words["status"], title_justify="left", show_header=False, box=None)
    for key, count in data["status"].items():
        status.add_row(words[key], str(count))
    rules = Table(words["rule"], words["documents"], words["findings"], title=words["rules"], title_justify="left")
    for rule, docs, found in data["rules"]:
        rules.add_row(rule, str(docs), str(found))
    worst = Table(words["path"], words["errors"], title=words["worst"], title_justify="left")
    for path, errors in data["worst"]:
        worst.add_row(Text(path), str(errors))  # a path is never read as markup
    return Group(f"[bold]{words['title']}[/bold]", status, rules, worst)
