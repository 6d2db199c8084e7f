"""Command-line options of this round: --no-cache, and the loaders' reasons in the UI language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from budget_audit.reports.report_text import translate_reason

CLI = str(Path(sys.executable).parent / "budget-audit")
PDF = Path(__file__).resolve().parents[1] / "data" / "pdf" / "sh_putuo_zhengfuban_2025_budget_unit.pdf"


def test_no_cache_neither_reads_nor_writes_the_cache(tmp_path):
    env = {**os.environ, "BUDGET_AUDIT_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("BUDGET_AUDIT_NO_CACHE", None)
    bypassed = subprocess.run([CLI, "check", "--quiet", "--no-cache", PDF], capture_output=True, text=True, env=env)
    assert bypassed.returncode in (0, 1), bypassed.stderr
    assert not any((tmp_path / "cache").rglob("*.*"))
    cached = subprocess.run([CLI, "check", "--quiet", PDF], capture_output=True, text=True, env=env)
    assert any((tmp_path / "cache").rglob("*.*")) and cached.stdout == bypassed.stdout


@pytest.mark.parametrize("reason, zh", [
    ("not a PDF file (no %PDF header)", "不是 PDF 文件"),
    ("the PDF is encrypted (password protected); publish or check an unprotected copy", "PDF 已加密"),
    ("damaged or truncated PDF (PSEOF: Unexpected EOF)", "PDF 已损坏或不完整（PSEOF: Unexpected EOF）"),
    ("no text layer on page(s) 1–3 of 3: a scanned PDF (images of pages) cannot be read; OCR is not supported, "
     "publish the text PDF", "共 3 页，第 1–3 页没有文字层"),
    ("部门支出总表!C7: formula =SUM(C8:C9) has no computed value (the workbook was saved without calculating it); "
     "open it in Excel or WPS, let it calculate, save, and check again", "部门支出总表!C7：公式 =SUM(C8:C9) 没有计算结果"),
    ("the workbook holds macros (vbaProject.bin); nothing was run. Save a copy as .xlsx (without macros) and check "
     "that", "工作簿含有宏"),
    ("dangling symbolic link (to x.txt)", "符号链接指向不存在的文件"),
])
def test_loader_reasons_are_said_in_chinese(reason, zh):
    assert translate_reason(reason, "zh").startswith(zh)
    assert translate_reason(reason, "en") == reason


def test_relate_names_siblings_the_names_do_not_show(tmp_path):
    """`check --relate A=B FOLDER`: the planted 上年 figure of the Xicheng sample (its 2020 document is
    built from its own 2020年预算数 column, see tests/rules/test_siblings_years.py) is found, and the
    relation used is in the report; a malformed --relate stops before any document is read."""
    import json

    from tests.rules.test_siblings_years import XICHENG, previous_year_copy, with_prior_figure

    sample = XICHENG.read_text("utf-8")
    (tmp_path / XICHENG.name).write_text(with_prior_figure(sample, "2、公务接待费", "5,221.56", "5,231.56"), "utf-8")
    (tmp_path / "xicheng-2020.txt").write_text(previous_year_copy(sample), "utf-8")
    done = subprocess.run([CLI, "check", "--format", "json", "--relate", f"{XICHENG.name}=xicheng-2020.txt", tmp_path],
                          capture_output=True, text=True)
    report = json.loads(done.stdout)
    assert [s["basis"] for s in report["siblings"]] == ["option"]
    assert [f["rule"] for d in report["documents"] for f in d["findings"] if f["rule"].startswith("XD")] == ["XD005"]
    bad = subprocess.run([CLI, "check", "--relate", "just-one-name", tmp_path / "missing.txt"], capture_output=True, text=True)
    assert bad.returncode == 2 and "NAME=NAME" in bad.stderr and "missing.txt" not in bad.stderr
