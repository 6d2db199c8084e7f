"""The terminal fleet summary over many documents: status counts, rules failing most, worst documents."""

from __future__ import annotations

from budget_audit.reports import fleet_summary
from budget_audit.reports.report import AuditReport
from budget_audit.reports.quiet import plain_console


def test_summary_of_many_documents(samples_report):
    many = AuditReport(documents=samples_report.documents * 7)
    data = fleet_summary.figures(many)
    by_status = {s: sum(1 for d in samples_report.documents if d.status == s) * 7 for s in ("pass", "fail", "error")}
    assert data["status"] == {**by_status, "skipped": 0}
    errors = {d.path: d.count("error") for d in samples_report.documents}
    worst = max(errors, key=errors.get)
    assert data["worst"][0] == (worst, errors[worst])
    rule, documents, findings = data["rules"][0]
    assert documents == 7 * sum(1 for d in samples_report.documents if any(f.rule == rule for f in d.findings))
    console = plain_console()
    console.print(fleet_summary.render(many, "zh"))
    text = console.file.getvalue()
    assert "批量汇总" in text and rule in text and worst in text
    assert fleet_summary.render(samples_report, "zh") is None  # three documents: nothing to add


def test_the_terminal_report_of_a_fleet_ends_with_the_summary(samples_report):
    from budget_audit.reports.formats import terminal

    many = AuditReport(documents=samples_report.documents * 7)
    text = terminal.render(many, "zh", console=plain_console(width=100))
    assert "批量汇总" in text and text.index("批量汇总") > text.index(samples_report.documents[-1].path)
    assert "批量汇总" not in terminal.render(samples_report, "zh", console=plain_console(width=100))
