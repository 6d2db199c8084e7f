"""The Shanghai table profiles on the corpus PDFs (tests/data/pdf): every table-side finding
reviewed by hand against the printed tables (/work/briefs/findings-shanghai.md). Narrative (NAR)
findings are pinned in test_shanghai_narrative.py; STR011 (template detection) is the reader's."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest

PDF = Path(__file__).parent.parent / "data" / "pdf"
pytestmark = pytest.mark.skipif(not (PDF / "sh_putuo_zhengfuban_2025_budget_dept.pdf").exists(),
                                reason="tests/data/pdf holds the corpus PDFs")
CLI = [sys.executable, "-m", "budget_audit.reports.cli"]
READER_TOC = "reader-bugs.md 1: table-of-contents entries open empty tables, the real ones become duplicates"


@lru_cache(maxsize=None)
def report(name: str, profile: str) -> dict:
    out = subprocess.run([*CLI, "check", "--profile", profile, "--format", "json", str(PDF / name)],
                         capture_output=True, text=True, check=False)
    assert out.returncode in (0, 1), out.stderr
    (document,) = json.loads(out.stdout)["documents"]
    assert document["profile"] == profile
    return document


@lru_cache(maxsize=None)
def loaded(name: str):
    """The Document the loaders read from a corpus PDF (in process)."""
    from budget_audit.loaders import load

    return load(PDF / name)


def table_findings(document: dict, severities=("error", "warning")) -> list[dict]:
    return [f for f in document["findings"] if f["severity"] in severities
            and not f["rule"].startswith("NAR") and f["rule"] != "STR011"]


def ran(document: dict, code: str) -> bool:
    return code not in {s["rule"] for s in document["checks_skipped"]}


def test_zhengfuban_department_budget_is_clean():
    document = report("sh_putuo_zhengfuban_2025_budget_dept.pdf", "shanghai_budget")
    assert table_findings(document) == []
    for code in ("BAL031", "BAL032", "BAL033", "BAL034", "BAL035", "XT041", "XT042", "XT043", "SUM003",
                 "STR021", "TPF001", "USE002", "HIE002"):
        assert ran(document, code), code


def test_three_public_and_operating_costs_at_most_their_economic_lines():
    """政府办 30217 185,000元 ≤ 公务接待费 28.50万元 (project money pays the rest); 机关运行经费 213.28万元 against
    302 + 310 = 2,132,777.54元: within the rounding of 0.01万元, a note; 万里 2025 30231 = 公务用车运行费."""
    document = report("sh_putuo_zhengfuban_2025_budget_dept.pdf", "shanghai_budget")
    assert ran(document, "XT046") and ran(document, "XT050")
    notes = [(f["rule"], f["expected"], f["actual"]) for f in document["findings"] if f["rule"] in ("XT046", "XT050")]
    assert notes == [("XT050", "213.280000", "213.277754")]
    assert ran(report("sh_putuo_wanlijiedao_2025_budget_dept.pdf", "shanghai_budget"), "XT048")


def test_wanlijiedao_2025_one_yuan_differences_are_rounding_notes():
    """Whole-元 figures: 21201 prints 94,995,790 over 项 and 基本 + 项目 of 94,995,789 (p.17)."""
    document = report("sh_putuo_wanlijiedao_2025_budget_dept.pdf", "shanghai_budget")
    notes = {(f["rule"], f["expected"], f["actual"], f["cells"][0]["source"].get("page"))
             for f in document["findings"] if f["severity"] == "info" and f["rule"] in ("HIE001", "USE001")}
    assert notes == {("HIE001", "154369327.00", "154369326.00", 17), ("HIE001", "94995789.00", "94995790.00", 17),
                     ("USE001", "94995789.00", "94995790.00", 17)}
    assert not [f for f in table_findings(document) if f["rule"] in ("HIE001", "USE001", "HIE002", "USE002")]


def test_wanlijiedao_2025_has_no_table_error():
    assert table_findings(report("sh_putuo_wanlijiedao_2025_budget_dept.pdf", "shanghai_budget")) == []


def test_shangwuwei_2025_has_no_table_error():
    assert table_findings(report("sh_putuo_shangwuwei_2025_budget_dept.pdf", "shanghai_budget")) == []


def test_wanlijiedao_2023_performance_form_error_and_nothing_else():
    """Real error 1 (p.35, 公共服务设施运行经费): 其中：当年财政拨款 11,419,043.00元 exceeds 财政资金 and
    年度资金申请总额 10,903,043.00元 by 516,000.00元; the four other forms (pp.31–34) hold."""
    document = report("sh_putuo_wanlijiedao_2023_budget_dept.pdf", "shanghai_budget")
    found = {(f["rule"], f["expected"], f["actual"], f["cells"][0]["source"].get("page"),
              f["cells"][0]["row"]) for f in table_findings(document)}
    assert found == {("PRF031", "11419043.00", "10903043.00", 35, "公共服务设施运行经费"),
                     ("PRF032", "11419043.00", "10903043.00", 35, "公共服务设施运行经费")}
    for code in ("PRF031", "PRF032", "USE007", "XT046", "XT048", "XT050"):  # 786.09 ≤ 302 + 310 (4 units included)
        assert ran(document, code), code


def test_fiscal_summary_and_unit_table_1_keep_every_amount_column():
    """财政拨款收支预算总表 合计 | 一般 | 基金 | 国资 and 单位 表1 合计 | 人员 | 公用 | 项目 (p.8) per row."""
    dept = report("sh_putuo_zhengfuban_2025_budget_dept.pdf", "shanghai_budget")
    unit = report("sh_putuo_zhengfuban_2025_budget_unit.pdf", "shanghai_unit_budget")
    assert ran(dept, "USE022") and ran(dept, "USE023") and ran(unit, "USE021") and ran(unit, "XT044") and ran(unit, "XT045")
    table = loaded("sh_putuo_zhengfuban_2025_budget_unit.pdf").tables["income_expenditure_summary"]
    frame = table.frame
    total = frame[(frame.side == "expenditure") & (frame["item"] == "grand_total")].iloc[0]
    assert (total.amount, total.personnel, total.public, total.project) == (
        9_101_677_535, 2_247_399_781, 213_277_754, 6_641_000_000)   # 22,473,997.81 + 2,132,777.54 + 66,410,000.00


def test_final_fiscal_summary_keeps_every_fund_column():
    """财政拨款收入支出决算总表 (final pp.10–11): 支出 | 合计 | 一般公共预算财政拨款 | 政府性基金… | 国有资本…:
    264.87 (一般公共服务), 10.82, 2.71, 29.42 and 307.82 in the 一般公共预算 column are cells, and USE032
    (合计 = the three funds, per row) runs and holds."""
    document = report("sh_putuo_shehuigongzuobu_2024_final.pdf", "shanghai_final")
    assert ran(document, "USE032") and not [f for f in document["findings"] if f["rule"] == "USE032"]
    frame = loaded("sh_putuo_shehuigongzuobu_2024_final.pdf").tables["fiscal_appropriation_summary"].frame
    spent = frame[frame.side == "expenditure"]
    assert [v for v in spent.general_public_budget.dropna()] == [264_870_000, 10_820_000, 2_710_000, 29_420_000,
                                                                 307_820_000, 307_820_000]


def test_unit_budget_has_no_table_error():
    assert table_findings(report("sh_putuo_zhengfuban_2025_budget_unit.pdf", "shanghai_unit_budget")) == []


def test_final_account_template_instructions_found_and_nothing_else():
    """pp.15–16: "无政府性基金预算财政拨款收入支出的，仍保留该表格式，并在本表下方作下述说明：" published."""
    document = report("sh_putuo_shehuigongzuobu_2024_final.pdf", "shanghai_final")
    found = [(f["rule"], f["cells"][0]["source"].get("page")) for f in table_findings(document)]
    assert sorted(found) == [("STR022", 15), ("STR022", 15), ("STR022", 16), ("STR022", 16)]


def test_final_basic_table_read_as_two_halves():
    """p.13: 301/303 left, 302/310 right; 人员经费合计 95.36 = 301 95.36 + 303 0.00, 公用经费合计 10.23 =
    302 10.23 + 310 0.00; 302's items add up to 10.22 and 95.36 + 10.23 = 105.59 vs 基本支出 105.58 (p.12):
    rounding notes only (±0.005万元 per figure)."""
    document = report("sh_putuo_shehuigongzuobu_2024_final.pdf", "shanghai_final")
    for code in ("SUM031", "SUM032", "HIE031", "USE031"):
        assert ran(document, code), code
    notes = {(f["rule"], f["expected"], f["actual"]) for f in document["findings"] if f["severity"] == "info"
             and f["rule"] in ("HIE031", "XT007", "SUM031", "SUM032")}
    assert notes == {("HIE031", "10.220000", "10.230000"), ("XT007", "105.580000", "105.590000")}


def test_profiles_list_their_codes_and_explain_the_new_kind():
    for profile, codes in (("shanghai_budget", ["STR021", "BAL031", "XT043", "USE022", "USE023", "PRF031", "PRF032",
                                                "XT046", "XT047", "XT048", "XT049", "XT050"]),
                           ("shanghai_unit_budget", ["USE021", "XT044", "PRF031"]),
                           ("shanghai_final", ["STR021", "STR022", "BAL001", "SUM031", "SUM032", "HIE031", "TPF031",
                                               "USE031"])):
        out = subprocess.run([*CLI, "rules", "--profile", profile], capture_output=True, text=True, check=True).stdout
        assert all(code in out for code in codes), profile
    out = subprocess.run([*CLI, "explain", "STR021"], capture_output=True, text=True, check=True).stdout
    assert "empty" in out.lower() or "空表" in out


def test_final_three_public_table_reads_budget_and_final_per_item():
    """p.14 (printed empty in the corpus): header 合计 | 因公出国（境）费 | 公务用车购置及运行维护费 (小计 | 购置费 |
    运行维护费) | 公务接待费, each 预算数 | 决算数. Read with a row of figures in the printed header's columns."""
    from budget_audit.loaders.itemized import three_public
    from budget_audit.loaders.layout import RawCell, RawRow
    from budget_audit.loaders.pdf.cache import cached_pages
    from budget_audit.loaders.pdf.reader import Numbering
    from budget_audit.loaders.segment import segment

    numbering = Numbering()
    numbering.add_pages(cached_pages(PDF / "sh_putuo_shehuigongzuobu_2024_final.pdf"), None)
    raw = next(r for r in segment(numbering.items)[0] if r.table_id == "three_public_funds" and r.rows)
    figures = ["3.00", "2.50", "1.00", "0.80", "1.50", "1.20", "0.00", "0.00", "1.50", "1.20", "0.50", "0.50"]
    raw.rows = [*raw.rows[:-1], RawRow([RawCell(t, raw.rows[-1].line) for t in figures])]
    frame = three_public([raw], "万元").frame
    got = {item: (budget, final) for item, budget, final in zip(frame["item"], frame["budget"], frame["amount"])}
    assert got == {"total": (3_000_000, 2_500_000), "overseas": (1_000_000, 800_000),   # 分
                   "vehicle": (1_500_000, 1_200_000), "vehicle_purchase": (0, 0),
                   "vehicle_operation": (1_500_000, 1_200_000), "reception": (500_000, 500_000)}



@pytest.mark.parametrize("name", ["sh_putuo_zhengfuban_2025_budget_dept.pdf", "sh_putuo_zhengfuban_2025_budget_unit.pdf",
                                  "sh_putuo_shehuigongzuobu_2024_final.pdf", "sh_putuo_wanlijiedao_2023_budget_dept.pdf"])
def test_tables_meet_their_schemas(name):
    """The loaders' contract (loaders/schemas.py) holds for every table of each Shanghai shape (部门, 单位,
    决算, and the 2023 budget with its performance forms)."""
    from budget_audit.loaders.schemas import validate

    for table in loaded(name).tables.values():
        validate(table)
