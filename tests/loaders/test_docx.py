"""The Word reader: seed 001 built as a .docx (tests/data/docx/build_fixtures.py) reads as its text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budget_audit.loaders import docx, text
from budget_audit.rules.engine import run
from budget_audit.rules.ruleset import load_ruleset

DATA = Path(__file__).parents[1] / "data" / "docx"
DOCX = DATA / "xicheng-zhengwu-2021-budget.docx"
TXT = Path(__file__).parents[2] / "samples" / "xicheng-zhengwu-2021-budget.txt"


def _key(finding):
    return (finding.rule, finding.severity, tuple((c.table, c.row, c.column, c.value) for c in finding.cells))


def test_docx_tables_and_places():
    document = docx.load(DOCX)
    reference = text.load(TXT)
    assert set(document.tables) == set(reference.tables)
    total = document.tables["income_expenditure_summary"]
    assert total.rows == reference.tables["income_expenditure_summary"].rows
    refs = {document.places[line].ref for column in total.cell_lines.values() for line in column if line}
    assert all(r.startswith("T1R") for r in refs)
    assert document.paragraphs[0].text == reference.paragraphs[0].text
    assert document.places[document.paragraphs[0].line].ref == "P1"


def _findings(document):
    from budget_audit.rules.ruleset import load_ruleset, profile_for

    return run(document, load_ruleset(profile_for(document.template))).findings


def test_docx_and_txt_give_identical_findings_cell_for_cell():
    document = docx.load(DOCX)
    found = sorted(map(_key, _findings(document)))
    assert found == sorted(map(_key, _findings(text.load(TXT))))
    assert found  # seed 001 holds real publication errors: the comparison is not of two empty lists
    located = [c.source for f in _findings(document) for c in f.cells]
    assert located and all(s.line is None and s.ref for s in located)  # Word places, not text lines


def test_docx_district_forms_read_as_the_text_export():
    """表十三-n forms are read by position in the printed row: the blanks a spanning Word cell
    covers are skipped, so 资金总额 and its figures are found (PRF005 as in the text export)."""
    document, reference = docx.load(DOCX), text.load(TXT)
    forms = document.tables["project_performance"]
    assert forms.frame.astype(str).equals(reference.tables["project_performance"].frame.astype(str))
    found = sorted(map(_key, _findings(document)))
    assert found == sorted(map(_key, _findings(reference)))


def test_not_a_docx(tmp_path):
    import hashlib
    import pytest
    from budget_audit.loaders.model import LoadError

    bad = tmp_path / "broken.docx"
    bad.write_bytes(DOCX.read_bytes()[:5000])
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    with pytest.raises(LoadError, match="not a Word document"):
        docx.load(bad)
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before


ZHENGFUBAN = DATA / "sh_putuo_zhengfuban_2025_budget_dept.docx"  # build_fixtures.py: the filled workbook in Word
WORKBOOK = Path(__file__).parents[1] / "data" / "xlsx" / "sh_putuo_zhengfuban_2025_budget_dept.xlsx"


def test_shanghai_docx_reads_as_its_workbook_and_gives_its_findings():
    """Pages from page breaks: the 说明 after the tables is narrative, not a note of 三公."""
    from budget_audit.loaders import xlsx
    from budget_audit.rules.ruleset import load_ruleset

    document, book = docx.load(ZHENGFUBAN), xlsx.load(WORKBOOK)
    assert (document.template, document.year, document.unit, document.problems) == ("shanghai_budget", 2025, "元", [])
    assert document.tables["three_public_funds"].unit == "万元"  # "编制部门：…<tab>单位:万元" read as its row
    for table_id, table in book.tables.items():
        assert document.tables[table_id].frame.astype(str).equals(table.frame.astype(str)), table_id
    assert [p.text for p in document.paragraphs] == [p.text for p in book.paragraphs]
    rules = load_ruleset("shanghai_budget")
    found = run(document, rules).findings
    assert found and sorted(map(_key, found)) == sorted(map(_key, run(book, rules).findings))
    assert all(c.source.ref[0] in "TP" and c.source.sheet is None for f in found for c in f.cells)


def test_word_merges_marked_like_a_ruled_grid(tmp_path):
    """One cell per grid column, as a workbook's merged range: a cell spanning columns (the first
    too) is followed by blanks covered from the left; a continuation of a cell merged down is
    covered from above in every column it spans; the covered blanks keep the spanning cell's place."""
    import docx as python_docx

    word = python_docx.Document()
    table = word.add_table(rows=4, cols=4)
    for cell, text in zip(table.rows[0].cells, ["项目", "小计", "", "机关运行经费"]):
        cell.text = text
    table.cell(0, 1).merge(table.cell(0, 2)).text = "小计"
    table.cell(0, 3).merge(table.cell(1, 3)).text = "机关运行经费"
    table.cell(1, 0).merge(table.cell(1, 2)).text = "功能分类科目编码"  # a first cell spanning columns
    table.cell(2, 0).merge(table.cell(3, 1)).text = "合计"  # two columns merged down over two rows
    table.cell(2, 2).text, table.cell(3, 3).text = "1.00", "2.00"
    path = tmp_path / "merged.docx"
    word.save(path)
    rows, places = docx.read_body(str(path), python_docx.Document(path).element.body)
    assert [[(c.text, c.merged) for c in row.cells] for row in rows] == [
        [("项目", None), ("小计", None), ("", "left"), ("机关运行经费", None)],
        [("功能分类科目编码", None), ("", "left"), ("", "left"), ("", "up")],
        [("合计", None), ("", "left"), ("1.00", None), ("", None)],
        [("", "up"), ("", "up"), ("", None), ("2.00", None)]]
    assert [[places[c.line].ref for c in row.cells] for row in rows] == [
        ["T1R1C1", "T1R1C2", "T1R1C2", "T1R1C3"],
        ["T1R2C1", "T1R2C1", "T1R2C1", "T1R2C2"],
        ["T1R3C1", "T1R3C1", "T1R3C2", "T1R3C3"],
        ["T1R4C1", "T1R4C1", "T1R4C2", "T1R4C3"]]


def test_shanghai_docx_with_every_merge_reads_as_its_workbook(tmp_path):
    """Every merge of the sheets in Word, across columns too (收入总表: 项目 across A6:D6 over
    功能分类科目编码 across A7:C7 beside 功能分类科目名称 merged down D7:D8): the workbook's tables and
    findings, each finding's cells at their Word table cell."""
    import importlib.util

    from budget_audit.loaders import xlsx
    from budget_audit.rules.ruleset import load_ruleset

    spec = importlib.util.spec_from_file_location("build_docx", DATA / "build_fixtures.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    path = build.build_from_workbook(WORKBOOK, tmp_path / "merged.docx", across=True)
    assert _first_cell_spans(path) > 1  # the fixture holds first cells merged across columns
    document, book = docx.load(path), xlsx.load(WORKBOOK)
    assert document.problems == []
    for table_id, table in book.tables.items():
        assert document.tables[table_id].frame.astype(str).equals(table.frame.astype(str)), table_id
    rules = load_ruleset("shanghai_budget")
    found = run(document, rules).findings
    assert found and sorted(map(_key, found)) == sorted(map(_key, run(book, rules).findings))
    assert all(re.fullmatch(r"[TP]\d+(R\d+C\d+)?", c.source.ref) for f in found for c in f.cells)


def _first_cell_spans(path) -> int:
    """Word table rows whose first cell spans grid columns (w:gridSpan)."""
    import docx as python_docx

    return sum(tr.tc_lst[0].grid_span > 1 for table in python_docx.Document(path).tables
               for tr in table._tbl.tr_lst if tr.tc_lst)


TITLE = "北京市西城区政务服务管理局2021年部门预算"


def _word_and_text(tmp_path, lines, rows, merges):
    """One table as a Word file with `merges` (first row, first column, last row, last column;
    from 0) merged in Word, and as a tab-separated text export of the same grid (a merged range's
    text in its first cell, the cells it covers blank): both read by their real loaders."""
    import docx as python_docx

    word = python_docx.Document()
    for line in lines:
        word.add_paragraph(line)
    table = word.add_table(rows=len(rows), cols=len(rows[0]))
    for r, texts in enumerate(rows):
        for c, cell_text in enumerate(texts):
            table.cell(r, c).text = cell_text
    for r0, c0, r1, c1 in merges:
        assert not any(rows[r][c] for r in range(r0, r1 + 1) for c in range(c0, c1 + 1) if (r, c) != (r0, c0))
        first = table.cell(r0, c0)
        label = first.text
        first.merge(table.cell(r1, c1)).text = label  # python-docx joins the merged texts: keep the first
    word.save(tmp_path / "table.docx")
    (tmp_path / "table.txt").write_text("\n".join(lines + ["\t".join(texts) for texts in rows]) + "\n",
                                        encoding="utf-8")
    return docx.load(tmp_path / "table.docx"), text.load(tmp_path / "table.txt")


def _refs(document, table_id, column):
    return [document.places[line].ref if line else None for line in document.tables[table_id].cell_lines[column]]


def test_label_merged_down_and_total_across_in_the_body_read_as_the_text_export(tmp_path):
    """表六 with 合计 merged across the four classification columns and 50101 工资奖金津补贴 merged
    down over its two items (w:vMerge): the table, figures and findings of the same grid as a
    text export; every cell at its Word cell (a continuation at its own, 合计's figures at C2-C4)."""
    rows = [["政府经济分类代码", "政府经济分类名称", "部门经济分类代码", "部门经济分类名称", "合计", "人员经费", "公用经费"],
            ["合计", "", "", "", "310.00", "310.00", "0.00"],
            ["50101", "工资奖金津补贴", "30101", "基本工资", "100.00", "100.00", "0.00"],
            ["", "", "30102", "津贴补贴", "200.00", "200.00", "0.00"]]
    document, reference = _word_and_text(tmp_path, [TITLE, "表六：", "一般公共预算基本支出情况表", "单位：元"],
                                         rows, [(1, 0, 1, 3), (2, 0, 3, 0), (2, 1, 3, 1)])
    assert document.problems == reference.problems == []
    table = document.tables["basic_expenditure"]
    assert table.frame.astype(str).equals(reference.tables["basic_expenditure"].frame.astype(str))
    assert list(table.frame["gov_econ_code"]) == ["合计", "50101", ""]  # the label once, as printed
    assert _refs(document, "basic_expenditure", "gov_econ_code") == ["T1R2C1", "T1R3C1", "T1R4C1"]
    assert _refs(document, "basic_expenditure", "dept_econ_code") == ["T1R2C1", "T1R3C3", "T1R4C3"]
    assert _refs(document, "basic_expenditure", "total") == ["T1R2C2", "T1R3C5", "T1R4C5"]
    assert _refs(document, "basic_expenditure", "public") == ["T1R2C4", "T1R3C7", "T1R4C7"]
    found = run(document, load_ruleset("beijing_district")).findings
    assert sorted(map(_key, found)) == sorted(map(_key, run(reference, load_ruleset("beijing_district")).findings))
    sums = [f for f in found if f.cells and f.cells[0].value == "310.00"]  # 310.00 is not 100.00 + 200.00
    assert {(f.cells[0].column, f.cells[0].source.ref) for f in sums} == {("合计", "T1R2C2"), ("人员经费", "T1R2C3")}


def test_header_merged_across_in_the_middle_reads_as_the_text_export(tmp_path):
    """表二 with two header levels: 项目 across 科目编码 | 科目名称, 合计 merged down, 本年收入 across
    three columns in the middle of the row and 上年结转结余 across two; 合计 across the code and
    name columns in the body. Each column gets its two-level label, as in the text export."""
    rows = [["项目", "", "合计", "本年收入", "", "", "上年结转结余", ""],
            ["科目编码", "科目名称", "", "小计", "一般公共预算资金", "事业收入", "小计", "一般公共预算资金"],
            ["合计", "", "160.00", "100.00", "80.00", "20.00", "50.00", "50.00"],
            ["201", "一般公共服务支出", "150.00", "100.00", "80.00", "20.00", "50.00", "50.00"]]
    document, reference = _word_and_text(tmp_path, [TITLE, "表二：", "部门收入总体情况表", "单位：元"], rows,
                                         [(0, 0, 0, 1), (0, 2, 1, 2), (0, 3, 0, 5), (0, 6, 0, 7), (2, 0, 2, 1)])
    assert document.problems == reference.problems == []
    table = document.tables["income_summary"]
    assert table.frame.astype(str).equals(reference.tables["income_summary"].frame.astype(str))
    assert [c for c in table.frame.columns if c in table.amount_columns] == [
        "total", "current_total", "general_public_budget", "business", "carryover", "carryover_general_public_budget"]
    assert _refs(document, "income_summary", "business") == ["T1R3C5", "T1R4C6"]
    assert _refs(document, "income_summary", "carryover_general_public_budget") == ["T1R3C7", "T1R4C8"]
    found = run(document, load_ruleset("beijing_district")).findings
    assert sorted(map(_key, found)) == sorted(map(_key, run(reference, load_ruleset("beijing_district")).findings))
    assert any(c.value == "160.00" and c.source.ref == "T1R3C2" for f in found for c in f.cells)


def test_grid_columns_without_a_cell_and_legacy_across_merges_keep_the_columns(tmp_path):
    """A row that starts or ends beside the grid (w:gridBefore / w:gridAfter: columns with no
    w:tc) gets blanks there, located at its row; a legacy merge across (w:hMerge: one w:tc per
    grid column, restart then continue) is covered from the left, as a gridSpan."""
    import docx as python_docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = python_docx.Document()
    table = word.add_table(rows=3, cols=4)
    for r, texts in enumerate([["科目编码", "科目名称", "合计", "基本支出"], ["", "", "5.00", "5.00"],
                               ["201", "一般公共服务支出", "7.00", ""]]):
        for c, cell_text in enumerate(texts):
            table.cell(r, c).text = cell_text
    row = table.rows[1]._tr
    for tc in row.tc_lst[:2]:  # 合计's row begins at the third grid column
        row.remove(tc)
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "2")
    row.get_or_add_trPr().append(before)
    row = table.rows[2]._tr
    row.remove(row.tc_lst[3])  # the last row ends a column early
    after = OxmlElement("w:gridAfter")
    after.set(qn("w:val"), "1")
    row.get_or_add_trPr().append(after)
    for tc, value in zip(table.rows[0]._tr.tc_lst[2:], ["restart", "continue"]):  # 合计 | 基本支出 as hMerge
        merge = OxmlElement("w:hMerge")
        merge.set(qn("w:val"), value)
        tc.get_or_add_tcPr().append(merge)
    path = tmp_path / "grid.docx"
    word.save(path)
    rows, places = docx.read_body(str(path), python_docx.Document(path).element.body)
    assert [[(c.text, c.merged) for c in r.cells] for r in rows] == [
        [("科目编码", None), ("科目名称", None), ("合计", None), ("基本支出", "left")],
        [("", None), ("", None), ("5.00", None), ("5.00", None)],
        [("201", None), ("一般公共服务支出", None), ("7.00", None), ("", None)]]
    assert [[places[c.line].ref for c in r.cells] for r in rows] == [
        ["T1R1C1", "T1R1C2", "T1R1C3", "T1R1C4"], ["T1R2", "T1R2", "T1R2C1", "T1R2C2"],
        ["T1R3C1", "T1R3C2", "T1R3C3", "T1R3"]]
