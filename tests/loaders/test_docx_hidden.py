"""Word text that does not print (hidden) and symbols that do.

Word does not print hidden text (w:vanish, w:specVanish; ECMA-376 Part 1 17.3.2.41), set on a
run or by its character style, its paragraph's style, their w:basedOn chains or the document
defaults: a hidden "5" inside a figure must not make 1,234.00 read as 1,2354.00. A symbol
(w:sym, 17.3.3.30) prints a glyph: it is read as its character, never dropped from between
digits. Each document is a real .docx made with python-docx (font.hidden writes w:vanish), the
markup python-docx cannot write added with lxml as Word writes it.
"""

from __future__ import annotations

from pathlib import Path

import docx as python_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from budget_audit.loaders import docx
from budget_audit.loaders.layout import TextLine

DATA = Path(__file__).parents[1] / "data" / "docx"


def _read(word, tmp_path, name="hidden.docx"):
    """The reader's stream of `word` saved in tmp_path (its styles read from the saved file)."""
    path = tmp_path / name
    word.save(path)
    return docx.read_body(str(path), python_docx.Document(path).element.body)


def _lines(items, places):
    return [(item.text, places[item.line].ref) if isinstance(item, TextLine)
            else [(c.text, places[c.line].ref) for c in item.cells] for item in items]


def _runs(paragraph, *parts):
    """Runs of `paragraph`: each part a text, or (text, hidden) with hidden True/False (direct
    w:vanish, val="0" for False), or (text, style name) for a character style."""
    for part in parts:
        text, how = part if isinstance(part, tuple) else (part, None)
        run = paragraph.add_run(text)
        if isinstance(how, bool):
            run.font.hidden = how
        elif isinstance(how, str):
            run.style = how
    return paragraph


def _style(word, name, kind=WD_STYLE_TYPE.CHARACTER, hidden=True, based_on=None):
    style = word.styles.add_style(name, kind)
    if based_on is not None:
        style.base_style = word.styles[based_on]
    if hidden is not None:
        style.font.hidden = hidden
    return style


def test_a_hidden_digit_inside_a_cell_figure_is_not_read(tmp_path):
    word = python_docx.Document()
    table = word.add_table(rows=1, cols=3)
    table.cell(0, 0).text = "一般公共预算拨款收入"
    cell = table.cell(0, 1).paragraphs[0]
    _runs(cell, "1,23", ("5", True), "4.00")
    _runs(table.cell(0, 2).paragraphs[0], ("999.00", True))  # only hidden text: blank, in its place
    assert _lines(*_read(word, tmp_path)) == [
        [("一般公共预算拨款收入", "T1R1C1"), ("1,234.00", "T1R1C2"), ("", "T1R1C3")]]


def test_hidden_by_character_style_and_its_based_on_chain(tmp_path):
    word = python_docx.Document()
    _style(word, "批注隐藏")
    _style(word, "批注隐藏子", hidden=None, based_on="批注隐藏")  # sets nothing: inherits hidden
    _style(word, "批注显示", hidden=False, based_on="批注隐藏")  # the nearest style turns it off
    _runs(word.add_paragraph(), "合计", ("（草稿）", "批注隐藏"), "100.00")
    _runs(word.add_paragraph(), "小计", ("7", "批注隐藏子"), "50.00")
    _runs(word.add_paragraph(), "其中：", ("人员经费", "批注显示"))
    items, places = _read(word, tmp_path)
    assert _lines(items, places) == [("合计100.00", "P1"), ("小计50.00", "P2"), ("其中：人员经费", "P3")]


def test_hidden_by_paragraph_style_its_chain_and_switched_off_on_a_run(tmp_path):
    word = python_docx.Document()
    _style(word, "隐藏段落", WD_STYLE_TYPE.PARAGRAPH)
    _style(word, "隐藏段落子", WD_STYLE_TYPE.PARAGRAPH, hidden=None, based_on="隐藏段落")
    word.add_paragraph("单位：元")
    _runs(word.add_paragraph(style="隐藏段落"), "编制说明：", ("合计 12.00", False))
    _runs(word.add_paragraph(style="隐藏段落子"), "内部备注 88.00")
    word.add_paragraph("部门预算")
    items, places = _read(word, tmp_path)
    # the hidden paragraphs' marks are hidden too: their printed text runs on into the next
    assert _lines(items, places) == [("单位：元", "P1"), ("合计 12.00部门预算", "P2")]


def test_document_defaults_hide_and_a_style_toggles(tmp_path):
    """w:rPrDefault hides everything not switched back on; vanish is a toggle property (17.7.3):
    a character style that sets it inside a hidden paragraph style shows the run again."""
    word = python_docx.Document()
    _style(word, "隐藏段落", WD_STYLE_TYPE.PARAGRAPH)
    _style(word, "再隐藏")
    _runs(word.add_paragraph(style="隐藏段落"), "不印 ", ("印出", "再隐藏"))
    defaults = word.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rpr.append(parse_xml(f"<w:vanish {nsdecls('w')}/>"))
    _runs(word.add_paragraph(), "默认隐藏", ("显示 3.00", False))
    items, places = _read(word, tmp_path)
    # P1: defaults hidden ^ paragraph style hidden = shown, ^ character style = hidden again;
    # its mark is shown, so P1 ends; P2 (Normal) is hidden by the defaults but its last run
    texts = _lines(items, places)
    assert texts == [("不印 ", "P1"), ("显示 3.00", "P2")]


def test_a_hidden_paragraph_in_the_narrative_is_not_read(tmp_path):
    word = python_docx.Document()
    word.add_paragraph("一、收支预算总体情况")
    hidden = _runs(word.add_paragraph(), ("（此段为模板提示：填写 9,999.00）", True))
    hidden._p.get_or_add_pPr().append(parse_xml(f"<w:rPr {nsdecls('w')}><w:vanish/></w:rPr>"))
    word.add_paragraph("收入预算 100.00 万元。")
    items, places = _read(word, tmp_path)
    assert _lines(items, places) == [("一、收支预算总体情况", "P1"), ("收入预算 100.00 万元。", "P3")]
    assert all("9,999" not in item.text for item in items if isinstance(item, TextLine))


def test_spec_vanish_is_hidden_and_web_hidden_is_printed(tmp_path):
    word = python_docx.Document()
    paragraph = _runs(word.add_paragraph(), "支出 ", "8", "0.00", " 元", "44")
    runs = paragraph._p.findall(qn("w:r"))
    runs[1].get_or_add_rPr().append(parse_xml(f"<w:webHidden {nsdecls('w')}/>"))  # web view only
    runs[4].get_or_add_rPr().append(parse_xml(f"<w:specVanish {nsdecls('w')}/>"))
    assert _lines(*_read(word, tmp_path)) == [("支出 80.00 元", "P1")]


def test_a_symbol_is_read_as_its_character_never_dropped_between_digits(tmp_path):
    word = python_docx.Document()
    table = word.add_table(rows=1, cols=3)

    def sym(cell, char, font, before="1", after="000"):
        paragraph = table.cell(0, cell).paragraphs[0]._p
        for run in parse_xml(
                f'<w:p {nsdecls("w")}><w:r><w:t>{before}</w:t></w:r><w:r><w:sym w:font="{font}" w:char="{char}"/>'
                f"</w:r><w:r><w:t>{after}</w:t></w:r></w:p>"):
            paragraph.append(run)

    sym(0, "F0B7", "Symbol")  # the bullet Word writes for a list symbol
    sym(1, "F0B4", "Symbol", "3", "4")  # ×
    sym(2, "F0FC", "Wingdings", "", "已完成")  # a check mark: no Unicode meaning, kept as its code
    (row,) = _read(word, tmp_path)[0]
    assert [c.text for c in row.cells] == ["1•000", "3×4", "\uf0fc已完成"]


def test_hidden_figures_in_a_disclosure_change_nothing_it_reads(tmp_path):
    """load(): the 西城 disclosure with a hidden digit and a hidden note by a character style
    added to every figure cell reads as the disclosure itself (its styles read from the package)."""
    import re

    source = DATA / "xicheng-zhengwu-2021-budget.docx"
    word = python_docx.Document(source)
    _style(word, "隐藏批注")
    figures = 0
    for tc in word.element.body.iter(qn("w:tc")):
        runs = tc.findall(".//" + qn("w:r"))
        if runs and re.fullmatch(r"[\d,]+\.\d\d", "".join(t.text or "" for t in tc.iter(qn("w:t")))):
            figures += 1
            hidden = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:vanish/></w:rPr><w:t>9</w:t></w:r>')
            styled = parse_xml(f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="{word.styles["隐藏批注"].style_id}"/>'
                               f"</w:rPr><w:t>（待核）</w:t></w:r>")
            runs[0].addprevious(hidden)
            runs[-1].addnext(styled)
    assert figures > 50
    path = tmp_path / "xicheng-hidden.docx"
    word.save(path)
    assert repr(docx.load(path).tables) == repr(docx.load(source).tables)


def test_fixtures_have_no_hidden_markup_and_read_unchanged():
    """The committed fixtures hold no hidden text or symbols: no _Hidden is made (no cost)."""
    for path in sorted(DATA.glob("*.docx")):
        word = python_docx.Document(path)
        assert docx._Hidden.of(word.element.body, docx._styles_of(word)) is None, path.name


def test_a_hidden_field_separator_still_ends_the_instruction(tmp_path):
    """A field's structure counts in hidden runs too: a hidden w:fldChar separate still starts the
    printed result, and the field's instruction stays unread."""
    word = python_docx.Document()
    paragraph = word.add_paragraph()._p
    vanish = "<w:rPr><w:vanish/></w:rPr>"
    for run in parse_xml(
            f'<w:p {nsdecls("w")}><w:r><w:t xml:space="preserve">合计 </w:t></w:r>'
            f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> = 7 + 5 </w:instrText></w:r>'
            f'<w:r>{vanish}<w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>12.00</w:t></w:r>'
            f'<w:r>{vanish}<w:t>（公式）</w:t><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t> 元</w:t></w:r></w:p>'):
        paragraph.append(run)
    assert _lines(*_read(word, tmp_path)) == [("合计 12.00 元", "P1")]


def test_a_hidden_mark_in_a_cell_runs_on_and_off_values_show(tmp_path):
    word = python_docx.Document()
    _style(word, "隐藏")
    table = word.add_table(rows=1, cols=2)
    first = table.cell(0, 0).paragraphs[0]
    _runs(first, "项目")
    first._p.get_or_add_pPr().append(parse_xml(f"<w:rPr {nsdecls('w')}><w:vanish/></w:rPr>"))
    table.cell(0, 0).add_paragraph("合计")
    cell = table.cell(0, 1).paragraphs[0]
    for value, text in (("false", "1"), ("off", "2"), ("0", "3")):  # ST_OnOff spellings of off
        run = cell.add_run(text)
        run.style = "隐藏"
        run._r.get_or_add_rPr().append(parse_xml(f'<w:vanish {nsdecls("w")} w:val="{value}"/>'))
    (row,) = _read(word, tmp_path)[0]
    assert [c.text for c in row.cells] == ["项目合计", "123"]


def test_symbol_codes_without_the_private_use_offset():
    def sym(char, font):
        return docx._symbol(parse_xml(f'<w:sym {nsdecls("w")} w:font="{font}" w:char="{char}"/>'))

    assert [sym("B7", "Symbol"), sym("F061", "Symbol"), sym("2022", "Arial"), sym("A7", "Wingdings"),
            sym("zz", "Symbol")] == ["•", "α", "•", "\uf0a7", "\ufffd"]


def test_the_default_paragraph_style_hides_paragraphs_without_a_style(tmp_path):
    word = python_docx.Document()
    word.styles["Normal"].font.hidden = True  # w:default="1": applies where no w:pStyle is set
    _style(word, "正文显示", WD_STYLE_TYPE.PARAGRAPH, hidden=False, based_on="Normal")
    word.add_paragraph("模板说明 1.00")
    word.add_paragraph("收入 2.00", style="正文显示")
    assert _lines(*_read(word, tmp_path)) == [("收入 2.00", "P2")]
