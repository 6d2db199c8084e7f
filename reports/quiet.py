"""`check --quiet`: one line per document (what the pre-commit hook prints), and the plain console
that a report written to a file uses (no colour codes in files)."""

from __future__ import annotations

from budget_audit.reports.report import AuditReport, is_active, plural
from budget_audit.rules.findings import SEVERITY_RANK

VERDICTS = {"zh": {"fail": "未通过", "warn": "警告", "pass": "通过", "error": "错误", "skip": "跳过"},
            "en": {"fail": "FAIL", "warn": "WARN", "pass": "PASS", "error": "ERROR", "skip": "SKIP"}}


def render_quiet(report: AuditReport, lang: str = "zh") -> str:
    """One line per document: verdict, path, counts. 未通过/FAIL means findings at or above
    --fail-on (what makes the exit status 1); 警告/WARN warnings below it; 错误/ERROR unreadable;
    跳过/SKIP a file that is not a disclosure (--skip-other, the pre-commit hook's mode)."""
    words = VERDICTS[lang]
    width = max(len(w) for w in words.values()) if lang == "en" else 3
    lines = []
    for doc in report.skipped:
        lines.append(f"{words['skip']:{width}} {doc.error_text(lang)}")
    for doc in report.documents:
        if doc.status == "error":
            lines.append(f"{words['error']:{width}} {doc.error_text(lang)}")
            continue
        floor = SEVERITY_RANK[doc.fail_on or report.fail_on]
        worst = max((SEVERITY_RANK[f.severity] for f in doc.findings if is_active(f)), default=-1)
        verdict = words["fail" if worst >= floor else "warn" if worst >= SEVERITY_RANK["warning"] else "pass"]
        counts = ", ".join(plural(doc.count(s), s, lang) for s in ("error", "warning", "info"))
        lines.append(f"{verdict:{width}} {doc.path}: {counts}, {plural(doc.checks_run, 'check', lang)}")
    return "\n".join(lines) + "\n"


def plain_console(width: int = 120):
    """A rich Console that renders plain text (for a report written to a file)."""
    import io

    from rich.console import Console

    return Console(file=io.StringIO(), force_terminal=False, color_system=None, width=width,
                   highlight=False, soft_wrap=False)
