"""The PDF reader on the corpus PDFs (tests/data/pdf): the reader bugs of docs/corpus-findings.md
(Shanghai 1, 2, 3, 6; Jiangsu 1, 2, 3, 4, 5, 8), each against the printed page."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from tests.loaders.pdf_bytes import pdf

from budget_audit.loaders.catalog import split_title, template_for_label

PDF = Path(__file__).parents[1] / "data" / "pdf"


@lru_cache(maxsize=None)
def loaded(name: str):
    from budget_audit.loaders import load

    return load(PDF / name)


def pages(document) -> dict[str, int]:
    return {t.id: document.where(t.source).page for t in document.tables.values()}


def test_ruled_contents_page_opens_no_table():
    """shangwuwei p.2: the 目 录 grid lists the nine titles; the tables are printed on pp.9-21."""
    document = loaded("sh_putuo_shangwuwei_2025_budget_dept.pdf")
    assert pages(document) == {"income_expenditure_summary": 9, "income_summary": 10, "expenditure_summary": 12,
                               "fiscal_appropriation_summary": 14, "general_budget_expenditure": 15,
                               "government_fund_expenditure": 17, "state_capital_expenditure": 18,
                               "basic_expenditure": 19, "three_public_funds": 21}
    assert not [p for p in document.problems if p["kind"] in ("duplicate_table", "no_total_row")]


def test_contents_lines_stay_narrative_and_tables_start_later():
    """renda 2018 p.2: "一、收支预算总表" … "十二、政府采购支出预算表" under 目录; tables from p.8."""
    document = loaded("js_renda_2018_budget_dept.pdf")
    assert min(pages(document).values()) == 8 and len(document.tables) == 12
    assert "十二、政府采购支出预算表" in [p.text for p in document.paragraphs]
    assert not document.problems


def test_total_alone_on_its_page_reads_in_its_columns():
    """wanlijiedao 2025 p.18: "合计 | 189,767,551 | 101,341,746 | 88,425,805" under 合计|基本|项目."""
    document = loaded("sh_putuo_wanlijiedao_2025_budget_dept.pdf")
    table = document.tables["expenditure_summary"]
    row = table.data["is_total"].index(True)
    assert (table.data["total"][row], table.data["basic"][row], table.data["project"][row]) == \
        (18_976_755_100, 10_134_174_600, 8_842_580_500)
    assert document.where(table.location(row, "project")).page == 18


def test_label_merged_from_above_is_not_filled_from_its_left():
    """三公 tables: 机关运行经费预算数 (Shanghai p.29) and 会议费 (Jiangsu p.15) span every header row."""
    shanghai = loaded("sh_putuo_wanlijiedao_2025_budget_dept.pdf").tables["three_public_funds"].data
    assert dict(zip(shanghai["label"], shanghai["amount"]))["机关运行经费预算数"] == 464_640_000  # 464.64万元
    jiangsu = loaded("js_renda_2018_budget_dept.pdf").tables["three_public_meetings"].data
    assert {k: jiangsu[k][0] for k in ("total", "reception", "meetings", "training")} == \
        {"total": 2_542_600_000, "reception": 427_500_000, "meetings": 1_305_250_000, "training": 403_750_000}


@pytest.mark.parametrize("label", ["公开 01 表", "公开01表", "公开表一", "公开表十二"])
def test_jiangsu_labels_come_from_the_template_data(label):
    assert template_for_label(label) == "jiangsu_budget"


def test_title_prefixes_year_and_body_are_stripped():
    assert split_title("一、2018 年度江苏省高级人民法院收支预算总表") == ("income_expenditure_summary", "江苏省高级人民法院")
    assert split_title("九、2018 年江苏省高级人民法院“三公”经费、会议费、培训费支出预算表")[0] == "three_public_meetings"
    assert split_title("本表反映部门收支预算总表") == (None, "")  # a sentence, not a body's name


def test_fayuan_2018_loads_with_body_name_titles():
    document = loaded("js_fayuan_2018_budget_dept.pdf")
    assert pages(document)["income_expenditure_summary"] == 9 and len(document.tables) == 12
    assert document.meta["body"] == "江苏省高级人民法院"


def test_district_style_labels_do_not_make_a_jiangsu_folder_beijing():
    """zhengxie 2017 公开表 numbers its tables 表一 … 表十二 and prints title and unit in the grid."""
    document = loaded("js_zhengxie_2017_budget_dept")
    assert document.template == "jiangsu_budget"
    assert pages(document)["income_expenditure_summary"] == 1 and len(document.tables) == 12
    assert document.tables["income_expenditure_summary"].unit == "万元"
    assert document.where(document.tables["income_summary"].source).file == "2017年度部门预算公开表.pdf"


@pytest.mark.parametrize("name, template, meta", [
    ("sh_putuo_shangwuwei_2025_budget_dept.pdf", "shanghai_budget",
     {"body": "上海市普陀区商务委员会", "year": 2025, "kind": "budget", "level": "dept"}),
    ("sh_putuo_wanlijiedao_2025_budget_dept.pdf", "shanghai_budget",
     {"body": "上海市普陀区人民政府万里街道办事处", "year": 2025, "kind": "budget", "level": "dept"}),
    ("js_renda_2018_budget_dept.pdf", "jiangsu_budget",
     {"body": "江苏省人大常委会办公厅", "year": 2018, "kind": "budget", "level": "dept"}),
    ("js_zhengxie_2017_budget_dept", "jiangsu_budget",
     {"body": "江苏省政协办公厅", "year": 2017, "kind": "budget", "level": "dept"}),
])
def test_template_and_publication_meta(name, template, meta):
    document = loaded(name)
    assert document.template == template
    assert document.meta == meta
    assert not [p for p in document.problems if p["kind"] == "unknown_template"]


def test_text_off_the_page_is_not_read_and_is_reported_unless_it_flows_on():
    """shangwuwei p.3 sets its last two lines below the page's bottom edge (595.25 pt; p.4 prints
    them again at its top) and p.4 holds a copy of p.3 above its top edge: a text frame flowing
    over the pages, read once, from p.4, and not reported (every line prints, on the next page).
    jianchayuan 2019 p.21 sets its unit line past the right edge (x1 731 of 595): reported."""
    document = loaded("sh_putuo_shangwuwei_2025_budget_dept.pdf")
    assert [p for p in document.problems if p["kind"] == "clipped_line"] == []
    unit = loaded("js_jianchayuan_2019_budget_dept.pdf")
    assert {(p["page"], p["text"]) for p in unit.problems if p["kind"] == "clipped_line"} == {(21, "单位：万元")}
    assert [p.text for p in document.paragraphs].count("主要职能包括：") == 1
    (moved,) = [p for p in document.paragraphs if "帮困对象粮油供应管理" in p.text]
    assert document.places[moved.line].page == 4


def _pdf_with_text(lines: list[tuple[float, float, str]]) -> bytes:
    """A one-page PDF (Helvetica) printing each (x, y, text)."""
    stream = b"".join(b"BT /F1 12 Tf %.1f %.1f Td (%s) Tj ET\n" % (x, y, t.encode()) for x, y, t in lines)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n%sendstream" % (len(stream), stream),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    return pdf(objects)


def test_doubled_and_clipped_lines_read_once_and_reported(tmp_path):
    from budget_audit.loaders.pdf.source import read_pages

    path = tmp_path / "printed.pdf"
    path.write_bytes(_pdf_with_text([(72, 700, "Total 1,234.00"), (72, 700, "Total 1,234.00"),
                                     (72, 650, "Printed once"), (560, 600, "Cut at the edge")]))
    (blocks,) = read_pages(path)
    texts = [" ".join(t for t, _ in b["segments"]) for b in blocks if b["kind"] == "line"]
    assert texts == ["Total 1,234.00", "Printed once", "Cut at"]
    assert [(b["problem"], b["text"]) for b in blocks if b["kind"] == "problem"] == \
        [("clipped_line", "theedge"), ("doubled_line", "Total1,234.00")]


def test_note_printed_under_an_empty_grid_is_the_tables_note():
    """renda 2018 p.15: the empty 政府性基金 table, then the text line "注：本部门无相关收支项目"."""
    table = loaded("js_renda_2018_budget_dept.pdf").tables["government_fund_expenditure"]
    assert table.notes == ("注：本部门无相关收支项目",)
