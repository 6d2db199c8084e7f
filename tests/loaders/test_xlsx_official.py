"""The official 上海市普陀区 workbooks, filled with the 2025 政府办 disclosure (tests/data/xlsx/build_fixtures.py).

They load completely (every standard table, from its own sheet), and the workbook, the PDF and
the Word file of the same disclosure give the same findings, cell for cell, each at its own
format's places (a planted wrong cell: tests/loaders/test_xlsx_excerpt.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from budget_audit.loaders import load
from budget_audit.rules.engine import run
from budget_audit.rules.ruleset import load_ruleset

DATA = Path(__file__).parents[1] / "data"
XLSX = DATA / "xlsx"
KINDS = {"dept": ("shanghai_budget", "部门"), "unit": ("shanghai_unit_budget", "单位")}
SHEETS = {  # table id -> the form's sheet (部门 / 单位 workbook)
    "income_expenditure_summary": "{}收支总表", "income_summary": "{}收入总表", "expenditure_summary": "{}支出总表",
    "fiscal_appropriation_summary": "{}财政拨款收支总表", "general_budget_expenditure": "{}一般公共预算拨款表",
    "government_fund_expenditure": "{}政府性基金拨款表", "state_capital_expenditure": "{}国有资本经营预算拨款表 ",
    "basic_expenditure": "{}一般公共预算拨款基本支出明细表", "three_public_funds": "{}“三公”经费和机关运行费预算表",
}
ROWS = {"income_expenditure_summary": 13, "income_summary": 21, "expenditure_summary": 21,
        "fiscal_appropriation_summary": 9, "general_budget_expenditure": 21, "government_fund_expenditure": 1,
        "state_capital_expenditure": 1, "basic_expenditure": 30, "three_public_funds": 7}


def _xlsx(kind: str) -> Path:
    return XLSX / f"sh_putuo_zhengfuban_2025_budget_{kind}.xlsx"


def _pdf(kind: str) -> Path:
    return DATA / "pdf" / f"sh_putuo_zhengfuban_2025_budget_{kind}.pdf"


@pytest.fixture(scope="session")
def official():
    """kind -> (xlsx Document, its findings, PDF Document, its findings)."""
    out = {}
    for kind, (profile, _) in KINDS.items():
        rules = load_ruleset(profile)
        book, pdf = load(_xlsx(kind)), load(_pdf(kind))
        out[kind] = (book, run(book, rules).findings, pdf, run(pdf, rules).findings)
    return out


def _key(finding):
    return (finding.rule, finding.severity, finding.expected, finding.actual,
            tuple((c.table, c.row, c.column, c.value) for c in finding.cells))


@pytest.mark.parametrize("kind", KINDS)
def test_filled_form_loads_completely(official, kind):
    book = official[kind][0]
    profile, prefix = KINDS[kind]
    assert (book.template, book.year, book.unit) == (profile, 2025, "元")
    assert {t: table.rows for t, table in book.tables.items()} == ROWS
    assert book.problems == []
    for table_id, sheet in SHEETS.items():  # each table read from its own sheet, every cell located there
        table = book.tables[table_id]
        places = {book.places[n].sheet for column in table.cell_lines.values() for n in column if n}
        assert places == {sheet.format(prefix)}, table_id
    three = book.tables["three_public_funds"]
    assert three.unit == "万元"  # the sheet's own unit line (单位:万元)
    labels = dict(zip(three.data["item"], three.data["label"]))
    assert labels["operating_costs"] == "机关运行经费预算数"  # G4:G6 merged down: its own label, not D5:F5's
    total = book.tables["income_expenditure_summary"]
    row = [i for i, item in enumerate(total.data["item"]) if item == "grand_total"][0]
    assert int(total.frame.at[row, "amount"]) == 9_101_677_535  # 91,016,775.35元, exactly in 分
    first = book.paragraphs[0]
    assert (book.places[first.line].sheet, first.text) == ("封面", "上海市普陀区2025年区级" + prefix + "预算")
    narrative_sheets = {book.places[p.line].sheet for p in book.paragraphs}
    assert "其他相关情况说明" in narrative_sheets  # narrative after the tables is narrative, not a table note


def _merged_ranges(path: Path) -> dict[str, list[str]]:
    """Sheet name -> its merged ranges, in sheet order, read from the package XML (fast)."""
    import html
    import re
    import zipfile

    with zipfile.ZipFile(path) as archive:
        book = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
        targets = {m.group(1): m.group(2) for m in re.finditer(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels)}
        targets.update({m.group(2): m.group(1) for m in
                        re.finditer(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        out = {}
        for m in re.finditer(r'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]+)"', book):
            target = targets[m.group(2)].lstrip("/")
            xml = archive.read(target if target.startswith("xl/") else "xl/" + target).decode()
            out[html.unescape(m.group(1))] = re.findall(r'<mergeCell ref="([^"]+)"', xml)
        return out


@pytest.mark.parametrize("kind", KINDS)
def test_fixture_keeps_the_official_form(kind):
    form = _merged_ranges(XLSX / "templates" / ("putuo_2026_%s_budget_template.xlsx"
                                                % ("department" if kind == "dept" else "unit")))
    filled = _merged_ranges(_xlsx(kind))
    assert list(filled) == list(form) and len(form) >= 16  # the same sheets, same names, same order
    for name, ranges in form.items():
        assert len(filled[name]) == len(ranges), name  # every merged range kept (those below moved down)
        header = {r for r in ranges if int("".join(ch for ch in r.split(":")[-1] if ch.isdigit())) <= 9}
        assert header <= set(filled[name]), name


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_and_pdf_give_identical_findings_cell_for_cell(official, kind):
    book, book_findings, pdf, pdf_findings = official[kind]
    assert sorted(map(_key, book_findings)) == sorted(map(_key, pdf_findings))
    assert book_findings  # the narrative's uncheckable claims at least: not two empty lists
    book_places = [c.source for f in book_findings for c in f.cells]
    assert book_places and all(s.sheet and s.ref and s.page is None for s in book_places)
    assert all(s.page for f in pdf_findings for c in f.cells for s in [c.source])


def test_docx_and_pdf_give_identical_findings_cell_for_cell(official):
    from budget_audit.loaders import docx

    _, _, _, pdf_findings = official["dept"]
    word = docx.load(DATA / "docx" / "sh_putuo_zhengfuban_2025_budget_dept.docx")
    found = run(word, load_ruleset("shanghai_budget")).findings
    assert found and sorted(map(_key, found)) == sorted(map(_key, pdf_findings))


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_and_pdf_read_identical_tables(official, kind):
    """Frame for frame (the PDF reader once read the header repeated on the continuation page of
    一般公共预算支出功能分类预算表, p.15 '类 款 项', as a data row; the workbook showed which side was wrong)."""
    book, _, pdf, _ = official[kind]
    for table_id, table in pdf.tables.items():
        assert book.tables[table_id].frame.astype(str).equals(table.frame.astype(str)), table_id


PINS = [  # table, row filter, column, printed text, sheet!ref, 分 — the PDF prints the same figures (pp. 8–20)
    ("income_expenditure_summary", {"side": "income", "item": "grand_total"}, "amount", "91,016,775.35",
     "部门收支总表!B21", 9_101_677_535),
    ("expenditure_summary", {"code": "2010301"}, "basic", "11,919,501.84", "部门支出总表!F11", 1_191_950_184),
    ("income_summary", {"code": "2210203"}, "total", "1,867,680.00", "部门收入总表!E28", 186_768_000),
    ("basic_expenditure", {"is_total": True}, "public", "2,132,777.54",  # 合计 moved down by the rows inserted
     "部门一般公共预算拨款基本支出明细表!F38", 213_277_754),
    ("three_public_funds", {"item": "operating_costs"}, "amount", "213.28", "部门“三公”经费和机关运行费预算表!G7",
     213_280_000),
]


@pytest.mark.parametrize(("table_id", "where", "column", "text", "place", "fen"), PINS)
def test_pinned_figures_at_their_cells(official, table_id, where, column, text, place, fen):
    book = official["dept"][0]
    table = book.tables[table_id]
    rows = [r for r in table.frame.index if all(table.frame.at[r, k] == v for k, v in where.items())]
    assert len(rows) == 1
    row = rows[0]
    at = book.places[table.cell_lines[column][row]]
    assert (table.text(row, column).strip(), f"{at.sheet}!{at.ref}", int(table.frame.at[row, column])) == \
        (text, place, fen)
