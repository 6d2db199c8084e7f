"""A planted wrong cell is reported at its sheet!ref (JSON source.sheet + source.ref); the HTML
excerpt of a workbook finding is the sheet around it: its own rows and columns, the cells the
check read marked, a formula cell followed by its formula."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from budget_audit.loaders import xlsx
from budget_audit.reports.formats.html_excerpts import Excerpter
from budget_audit.rules.engine import run
from budget_audit.rules.ruleset import load_ruleset

FILLED = Path(__file__).parents[1] / "data" / "xlsx" / "sh_putuo_zhengfuban_2025_budget_dept.xlsx"
SHEET = "部门支出总表"


def _sheet_xml(archive: zipfile.ZipFile, name: str) -> str:
    workbook = archive.read("xl/workbook.xml").decode()
    rel = re.search(rf'<sheet[^>]*name="{name}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    target = re.search(rf'<Relationship[^>]*Id="{rel}"[^>]*Target="/?(?:xl/)?([^"]+)"', rels) or \
        re.search(rf'<Relationship[^>]*Target="/?(?:xl/)?([^"]+)"[^>]*Id="{rel}"', rels)
    return "xl/" + target.group(1)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """The filled 部门 workbook with 行政运行's 基本支出 100元 too high and its 合计 written as the
    formula =F+G whose cached value is the old, correct total (Excel recalculates; we read the cache)."""
    import openpyxl

    path = tmp_path_factory.mktemp("x") / "planted.xlsx"
    shutil.copyfile(FILLED, path)
    book = openpyxl.load_workbook(path)
    sheet = book[SHEET]
    row = next(r for r in range(9, sheet.max_row + 1) if sheet.cell(r, 4).value == "行政运行")
    sheet.cell(row, 6).value = 11_919_601.84
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        member = _sheet_xml(archive, SHEET)
        files = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = files[member].decode()
    xml, count = re.subn(rf'(<c r="E{row}"[^>]*>)(<v>)', rf"\1<f>F{row}+G{row}</f>\2", xml)
    assert count == 1
    files[member] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path, row


def test_sheet_excerpt_marks_the_cells_read(planted):
    path, row = planted
    document = xlsx.load(path)
    assert document.tables["expenditure_summary"].extras["formulas"] == {f"{SHEET}!E{row}": f"=F{row}+G{row}"}
    assert document.meta["formulas"] == {f"{SHEET}!E{row}": f"=F{row}+G{row}"}
    findings = [f for f in run(document, load_ruleset("shanghai_budget")).findings if f.rule == "USE001"]
    assert len(findings) == 1
    (excerpt,) = Excerpter(document, {}, "zh")(findings[0].cells)
    assert excerpt.kind == "table" and SHEET in excerpt.title and not excerpt.by_line
    assert excerpt.columns == ["A", "B", "C", "D", "E", "F", "G"]  # the sheet's own columns
    shown = {r.lines: r for r in excerpt.rows}
    assert {"6", "7", "8"} <= set(shown)  # the form's header rows, 类/款/项 as the sheet has them
    assert [c.text for c in shown["8"].cells[:3]] == ["类", "款", "项"]
    assert {str(n) for n in range(row - 2, row + 3)} <= set(shown)  # two rows either side
    hits = [(c.place, c.text) for r in excerpt.rows for c in r.cells if c.hit]
    assert hits == [(f"{SHEET}!E{row}", f"12,029,501.84 (=F{row}+G{row})"),
                    (f"{SHEET}!F{row}", "11,919,601.84"), (f"{SHEET}!G{row}", "110,000.00")]
    assert [c.text for c in shown[str(row)].cells[:4]] == ["201", "03", "01", "行政运行"]  # not the merged code


def test_html_report_shows_the_sheet(planted, tmp_path):
    from budget_audit.reports.cli import main

    path, row = planted
    out = tmp_path / "r.html"
    assert main(["check", "--format", "html", "--profile", "shanghai_budget", "-o", str(out), str(path)]) == 1
    html = out.read_text(encoding="utf-8")
    assert f'<th class="ln" scope="row">{row}</th>' in html and "<th>A</th>" in html  # sheet rows and columns
    assert re.search(r'<td class="num hit"[^>]*>11,919,601\.84</td>', html)
    assert f"(=F{row}+G{row})" in html


def test_planted_wrong_cell_reported_at_sheet_and_ref(planted, capsys):
    from budget_audit.reports.cli import main

    path, row = planted
    capsys.readouterr()
    assert main(["check", "--format", "json", "--profile", "shanghai_budget", str(path)]) == 1
    findings = json.loads(capsys.readouterr().out)["documents"][0]["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    at_cell = [f for f in errors if any(c["source"] == {"sheet": SHEET, "ref": f"F{row}"} and c["value"] == "11,919,601.84"
                                        for c in f["cells"])]
    assert {f["rule"] for f in at_cell} >= {"USE001", "HIE001", "GRP002"}  # 合计 = 基本 + 项目, 款 = Σ项, 表3 = 表5
    assert all(c["source"].get("sheet") for f in findings for c in f["cells"])


def test_a_finding_says_which_checked_cell_is_a_formula(planted):
    """Issue 13: the cached value of a formula cell is read; the finding says the cell is a formula."""
    path, row = planted
    findings = [f for f in run(xlsx.load(path), load_ruleset("shanghai_budget")).findings if f.rule == "USE001"]
    assert findings[0].extra["formulas"] == {f"{SHEET}!E{row}": f"=F{row}+G{row}"}
    assert f"公式单元格（读取的是其保存的计算结果）：{SHEET}!E{row}（=F{row}+G{row}）" in findings[0].message["zh"]
    assert f"formula cells (their saved results were read): {SHEET}!E{row} (=F{row}+G{row})" in findings[0].message["en"]
