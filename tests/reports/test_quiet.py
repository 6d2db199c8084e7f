"""`check --quiet` (reports/quiet.py): one line per document, the verdict first, counts in the
report's one count vocabulary (report.plural)."""

from __future__ import annotations

from budget_audit.reports.pipeline import check_paths
from budget_audit.reports.quiet import render_quiet
from tests.conftest import CENTER
from tests.reports.planted import broken_center


def test_quiet_one_line_per_document(tmp_path):
    broken = broken_center(tmp_path)
    report = check_paths([str(CENTER), str(broken), str(tmp_path / "missing.txt")])
    lines = render_quiet(report, "zh").splitlines()
    center = report.documents[0]
    assert lines[0] == (f"警告  {CENTER}: 0 个错误, 3 个警告, {center.count('info')} 个提示, "
                        f"{center.checks_run} 项检查")
    errors = report.documents[1].count("error")
    assert errors > 0 and lines[1].startswith(f"未通过 {broken}: {errors} 个错误, ")
    assert lines[2] == f"错误  {tmp_path / 'missing.txt'}: 文件不存在"  # the path once, not twice
    assert len(lines) == 3
    strict = check_paths([str(CENTER)], fail_on="warning")
    assert render_quiet(strict, "en").startswith(f"FAIL  {CENTER}: 0 errors, 3 warnings, 0 notes")
