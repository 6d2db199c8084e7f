"""Word markup around text: tracked changes, content controls, custom XML, smart tags, fields.

A disclosure drafted in Word carries tracked changes and template content controls until it is
published. The reader reads what Word prints with every change accepted: insertions in,
deletions out, content controls' and custom XML's content in, a field's result in and its
instruction out, every cell in its grid column at its T/R/C place. Each document is a real
.docx made with python-docx, its markup added with lxml as Word writes it (ECMA-376 Part 1:
revisions in 17.13, structured document tags, custom XML and smart tags, fields in 17.16).
"""

from __future__ import annotations

from pathlib import Path

import docx as python_docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from budget_audit.loaders import docx, text
from budget_audit.rules.engine import run
from budget_audit.rules.ruleset import load_ruleset

DATA = Path(__file__).parents[1] / "data" / "docx"
_REVISION = 'w:id="{}" w:author="编制人" w:date="2026-03-01T09:00:00Z"'
_ids = iter(range(1, 10_000))


def _run(content: str, tag: str = "t") -> str:
    return f'<w:r><w:{tag} xml:space="preserve">{content}</w:{tag}></w:r>'


def _xml(tag: str, inner: str, attrs: str = "") -> object:
    """One WordprocessingML element holding `inner` (runs, paragraphs, cells or rows as XML)."""
    return parse_xml(f"<w:{tag} {nsdecls('w')} {attrs}>{inner}</w:{tag}>")


def _ins(inner: str) -> str:
    return f"<w:ins {_REVISION.format(next(_ids))}>{inner}</w:ins>"


def _del(content: str) -> str:
    """A tracked deletion as Word writes it: the deleted text in w:delText."""
    return f"<w:del {_REVISION.format(next(_ids))}>{_run(content, 'delText')}</w:del>"


def _sdt(inner: str, alias: str = "金额") -> str:
    return (f'<w:sdt><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{alias}"/><w:id w:val="{next(_ids)}"/>'
            f"</w:sdtPr><w:sdtContent>{inner}</w:sdtContent></w:sdt>")


def _custom(inner: str) -> str:
    return f'<w:customXml w:uri="urn:budget" w:element="amount">{inner}</w:customXml>'


def _set_runs(paragraph, runs_xml: str) -> None:
    """Replace a paragraph's runs by `runs_xml` (any run-level markup)."""
    for child in list(paragraph):
        if child.tag != qn("w:pPr"):
            paragraph.remove(child)
    for child in list(_xml("p", runs_xml)):
        paragraph.append(child)


def _wrap(element, make) -> None:
    """Put `element` (a w:p, w:tc or w:tr) inside the markup `make` builds around a placeholder."""
    holder = _xml("body", make("<w:PLACEHOLDER/>"))
    wrapper = holder[0]
    spot = next(e for e in wrapper.iter() if e.tag == qn("w:PLACEHOLDER"))
    element.addprevious(wrapper)
    spot.addprevious(element)
    spot.getparent().remove(spot)


def _read(word, tmp_path, name="markup.docx"):
    path = tmp_path / name
    word.save(path)
    return docx.read_body(str(path), python_docx.Document(path).element.body)


def _texts(rows, places):
    return [(type(r).__name__, r.text, places[r.line].ref) if hasattr(r, "text")
            else [(c.text, places[c.line].ref) for c in r.cells] for r in rows]


def _table(word, grid):
    table = word.add_table(rows=len(grid), cols=len(grid[0]))
    for r, texts in enumerate(grid):
        for c, cell_text in enumerate(texts):
            table.cell(r, c).text = cell_text
    return table


def test_tracked_insertion_read_and_deletion_not_in_a_cell_and_a_paragraph(tmp_path):
    """Inserted runs (w:ins) read as printed; deleted runs (w:del, w:delText) are not read; a move
    reads at its destination (w:moveTo) and not at its origin (w:moveFrom)."""
    word = python_docx.Document()
    _set_runs(word.add_paragraph()._p, _run("一般公共预算支出") + _del("90.00") + _ins(_run("100.00")) + _run("万元。"))
    table = _table(word, [["项目", "金额"], ["合计", ""]])
    _set_runs(table.cell(1, 1).paragraphs[0]._p, _del("4,321.00") + _ins(_run("1,234.00")))
    _set_runs(table.cell(0, 1).paragraphs[0]._p,
              f'<w:moveFrom {_REVISION.format(next(_ids))}>{_run("单位：元")}</w:moveFrom>'  # w:t, as Word writes it
              f'<w:moveTo {_REVISION.format(next(_ids))}>{_run("金额")}</w:moveTo>')
    rows, places = _read(word, tmp_path)
    assert _texts(rows, places) == [
        ("TextLine", "一般公共预算支出100.00万元。", "P1"),
        [("项目", "T1R1C1"), ("金额", "T1R1C2")],
        [("合计", "T1R2C1"), ("1,234.00", "T1R2C2")]]


def test_tracked_deletions_of_a_row_a_paragraph_mark_and_a_page_break(tmp_path):
    """A row deleted as a tracked change (w:trPr/w:del) is not printed: not read, the rows after it
    keep their numbers as Word shows them; a deleted paragraph mark (w:pPr/w:rPr/w:del) runs the
    paragraph on into the next, in the body and in a cell; a deleted page break starts no page."""
    word = python_docx.Document()
    first = word.add_paragraph("一般公共预算支出")._p
    first.get_or_add_pPr().append(_xml("rPr", f"<w:del {_REVISION.format(next(_ids))}/>"))
    word.add_paragraph("100.00万元。")
    _set_runs(word.add_paragraph()._p, "<w:del {}><w:r><w:br w:type=\"page\"/></w:r></w:del>".format(
        _REVISION.format(next(_ids))) + _run("其他说明"))
    table = _table(word, [["项目", "金额"], ["旧项目", "999.00"], ["合计", "1.00"]])
    deleted = table.rows[1]._tr
    deleted.get_or_add_trPr().append(_xml("del", "", _REVISION.format(next(_ids))))
    for tc in deleted.tc_lst:  # Word marks the deleted row's text deleted too
        cell_text = tc.xpath("string(.//w:t)")
        _set_runs(tc.p_lst[0], _del(cell_text))
    cell = table.cell(2, 1)  # "1.00" typed over two paragraphs, the break between them deleted
    cell.paragraphs[0].text = "1."
    cell.add_paragraph("00")
    cell.paragraphs[0]._p.get_or_add_pPr().append(_xml("rPr", f"<w:del {_REVISION.format(next(_ids))}/>"))
    rows, places = _read(word, tmp_path)
    assert _texts(rows, places) == [
        ("TextLine", "一般公共预算支出100.00万元。", "P1"),
        ("TextLine", "其他说明", "P3"),
        [("项目", "T1R1C1"), ("金额", "T1R1C2")],
        [("合计", "T1R3C1"), ("1.00", "T1R3C2")]]
    assert all(r.page is None for r in rows)  # no page break printed: no pages


def test_content_controls_around_a_run_a_paragraph_a_cell_and_a_row(tmp_path):
    """Content controls (w:sdt/w:sdtContent) print their content: around runs, around a body
    paragraph, a cell's paragraph and a whole table (block controls), around a cell in its row and
    around a row in its table; each cell keeps its grid column and T/R/C place."""
    word = python_docx.Document()
    _set_runs(word.add_paragraph()._p, _run("单位：") + _sdt(_run("元"), "单位"))
    body_paragraph = word.add_paragraph("表六：")._p
    _wrap(body_paragraph, lambda inner: _sdt(inner, "表号"))
    table = _table(word, [["项目", "合计", "人员经费"], ["合计", "310.00", "300.00"], ["工资", "100.00", "100.00"]])
    _set_runs(table.cell(1, 1).paragraphs[0]._p, _sdt(_run("310.00")))  # a control around a figure's run
    _wrap(table.cell(2, 0).paragraphs[0]._p, lambda inner: _sdt(inner, "名称"))  # around a cell's paragraph
    _wrap(table.rows[1]._tr.tc_lst[2], _sdt)  # around a cell: w:tr/w:sdt/w:sdtContent/w:tc
    _wrap(table.rows[2]._tr, lambda inner: _sdt(inner, "行"))  # around a row: w:tbl/w:sdt/.../w:tr
    word.add_paragraph("")
    _wrap(_table(word, [["合计", "5.00"]])._tbl, lambda inner: _sdt(inner, "表格"))  # around a whole table
    rows, places = _read(word, tmp_path)
    assert _texts(rows, places) == [
        ("TextLine", "单位：元", "P1"),
        ("TextLine", "表六：", "P2"),
        [("项目", "T1R1C1"), ("合计", "T1R1C2"), ("人员经费", "T1R1C3")],
        [("合计", "T1R2C1"), ("310.00", "T1R2C2"), ("300.00", "T1R2C3")],
        [("工资", "T1R3C1"), ("100.00", "T1R3C2"), ("100.00", "T1R3C3")],
        [("合计", "T2R1C1"), ("5.00", "T2R1C2")]]


def test_custom_xml_and_smart_tags_print_their_content(tmp_path):
    """Custom XML (w:customXml) around a run, a cell and a row, and a smart tag (w:smartTag)
    around a run, print their content in place."""
    word = python_docx.Document()
    _set_runs(word.add_paragraph()._p, _run("编制部门：")
              + '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place">'
              + _run("西城区") + "</w:smartTag>" + _custom(_run("政务服务管理局")))
    table = _table(word, [["项目", "合计", "人员经费"], ["合计", "310.00", "300.00"], ["工资", "100.00", "90.00"]])
    _wrap(table.rows[1]._tr.tc_lst[1], _custom)  # w:tr/w:customXml/w:tc
    _wrap(table.rows[2]._tr, _custom)  # w:tbl/w:customXml/w:tr
    rows, places = _read(word, tmp_path)
    assert _texts(rows, places) == [
        ("TextLine", "编制部门：西城区政务服务管理局", "P1"),
        [("项目", "T1R1C1"), ("合计", "T1R1C2"), ("人员经费", "T1R1C3")],
        [("合计", "T1R2C1"), ("310.00", "T1R2C2"), ("300.00", "T1R2C3")],
        [("工资", "T1R3C1"), ("100.00", "T1R3C2"), ("90.00", "T1R3C3")]]


def _complex_field(instruction: str, result: str) -> str:
    """A complex field as Word writes it: begin, instruction runs, separate, result runs, end."""
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + instruction
            + '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + result
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def test_field_results_print_and_instructions_do_not(tmp_path):
    """A simple field (w:fldSimple) prints its result runs; a complex field prints the runs
    between its separator and its end, not its instruction, nor the result of a field nested in
    that instruction ({ = { REF 支出合计 } \\# "#,##0.00" } prints 1,234.00 only)."""
    word = python_docx.Document()
    table = _table(word, [["项目", "金额", "页码"], ["合计", "", ""]])
    nested = _complex_field(_run(" REF 支出合计 ", "instrText"), _run("1234"))
    _set_runs(table.cell(1, 1).paragraphs[0]._p, _complex_field(
        _run(" = ", "instrText") + nested + _run(' \\# "#,##0.00" ', "instrText"), _run("1,234.00")))
    _set_runs(table.cell(1, 2).paragraphs[0]._p,
              '<w:fldSimple w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple>')
    _set_runs(word.add_paragraph()._p, _run("支出合计") + _complex_field(
        _run(" =SUM(ABOVE) ", "instrText"), _run("2,000.00")) + _run("元"))
    rows, places = _read(word, tmp_path)
    assert _texts(rows, places) == [
        [("项目", "T1R1C1"), ("金额", "T1R1C2"), ("页码", "T1R1C3")],
        [("合计", "T1R2C1"), ("1,234.00", "T1R2C2"), ("3", "T1R2C3")],
        ("TextLine", "支出合计2,000.00元", "P1")]


TITLE = "北京市西城区政务服务管理局2021年部门预算"
GRID = [["政府经济分类代码", "政府经济分类名称", "部门经济分类代码", "部门经济分类名称", "合计", "人员经费", "公用经费"],
        ["合计", "", "", "", "310.00", "310.00", "0.00"],
        ["50101", "工资奖金津补贴", "30101", "基本工资", "100.00", "100.00", "0.00"],
        ["50101", "工资奖金津补贴", "30102", "津贴补贴", "200.00", "200.00", "0.00"]]


def test_a_table_under_review_reads_as_its_text_export_and_gives_its_findings(tmp_path):
    """表六 as a department's draft under review: the year in the title a tracked insertion
    over a deleted one, the 表六 label in a content control, figures inserted over deleted ones,
    in a content control, a field result, in a table nested in its cell, a cell in custom XML, a
    row in a content control, a deleted row with figures: the tables, figures and findings of the same grid as a text
    export (310.00 is not 100.00 + 200.00), each figure at its Word cell."""
    word = python_docx.Document()
    _set_runs(word.add_paragraph()._p, _run("北京市西城区政务服务管理局") + _del("2020") + _ins(_run("2021"))
              + _run("年部门预算"))
    _wrap(word.add_paragraph("表六：")._p, lambda inner: _sdt(inner, "表号"))
    word.add_paragraph("一般公共预算基本支出情况表")
    word.add_paragraph("单位：元")
    table = _table(word, GRID[:3] + [["50101", "工资奖金津补贴", "30199", "其他", "999.00", "999.00", "0.00"]] + GRID[3:])
    _set_runs(table.cell(1, 4).paragraphs[0]._p, _del("300.00") + _ins(_run("310.00")))
    _set_runs(table.cell(1, 5).paragraphs[0]._p, _sdt(_run("310.00")))
    _set_runs(table.cell(2, 4).paragraphs[0]._p, _complex_field(_run(" =SUM(RIGHT) ", "instrText"),
                                                                _run("100.00")))
    deleted = table.rows[3]._tr
    deleted.get_or_add_trPr().append(_xml("del", "", _REVISION.format(next(_ids))))
    pasted = table.cell(2, 5)  # 100.00 pasted as a one-cell table: Word keeps a paragraph after it
    pasted._tc.remove(pasted.paragraphs[0]._p)
    pasted.add_table(1, 1).cell(0, 0).text = "100.00"
    _wrap(table.rows[2]._tr.tc_lst[3], _custom)
    _wrap(table.rows[4]._tr, _sdt)
    path = tmp_path / "draft.docx"
    word.save(path)
    (tmp_path / "draft.txt").write_text(
        "\n".join([TITLE, "表六：", "一般公共预算基本支出情况表", "单位：元"] + ["\t".join(r) for r in GRID]) + "\n",
        encoding="utf-8")
    document, reference = docx.load(path), text.load(tmp_path / "draft.txt")
    assert document.problems == reference.problems == []
    assert document.paragraphs[0].text == TITLE and document.year == reference.year == 2021
    table_read = document.tables["basic_expenditure"]
    assert table_read.frame.astype(str).equals(reference.tables["basic_expenditure"].frame.astype(str))
    assert list(table_read.frame["total"]) == [31000, 10000, 20000]  # 分
    assert list(table_read.frame["dept_econ_name"]) == ["", "基本工资", "津贴补贴"]
    refs = [document.places[line].ref for line in table_read.cell_lines["total"]]
    assert refs == ["T1R2C5", "T1R3C5", "T1R5C5"]  # the deleted row R4 keeps its number, as Word shows it
    rules = load_ruleset("beijing_district")
    found = run(document, rules).findings
    key = lambda f: (f.rule, f.severity, tuple((c.table, c.row, c.column, c.value) for c in f.cells))  # noqa: E731
    assert sorted(map(key, found)) == sorted(map(key, run(reference, rules).findings))
    sums = {(c.column, c.source.ref) for f in found for c in f.cells[:1] if c.value == "310.00"}
    assert sums == {("合计", "T1R2C5"), ("人员经费", "T1R2C6")}


@pytest.mark.parametrize("name", sorted(p.name for p in DATA.glob("*.docx")))
def test_plain_fixtures_read_as_python_docx_reads_them(name):
    """Without markup the reader's text is python-docx's own paragraph text, paragraph for
    paragraph and cell for cell (the fixtures hold none of the markup above)."""
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    word = python_docx.Document(DATA / name)
    body = word.element.body
    rows, places = docx.read_body(name, body, docx._styles_of(word))
    expected = []
    paragraphs = tables = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraphs += 1
            line = Paragraph(child, None).text
            parts = [p.strip() for p in line.strip().split("\t") if p.strip()]
            if len(parts) > 1:
                expected.append([(p, f"P{paragraphs}") for p in parts])
            elif line.strip():
                expected.append(("TextLine", line, f"P{paragraphs}"))
        elif child.tag == qn("w:tbl"):
            tables += 1
            for r, tr in enumerate(child.iterchildren(qn("w:tr")), 1):
                cells = []
                for c, tc in enumerate(tr.iterchildren(qn("w:tc")), 1):
                    cells.append((_Cell(tc, None).text, f"T{tables}R{r}C{c}"))
                    cells += [("", f"T{tables}R{r}C{c}")] * (tc.grid_span - 1)
                expected.append(cells)
    assert len(expected) > 200 and sum(isinstance(e, list) for e in expected) > 100
    assert _texts(rows, places) == expected
