"""Each sample loads completely: table ids, row counts and exact figures with their lines."""

from __future__ import annotations

import pytest

from budget_audit.loaders.schemas import validate

DISTRICT_TABLES = {
    "income_expenditure_summary": ("表一", "部门收支总体情况表", 24),
    "income_summary": ("表二", "部门收入总体情况表", 24),
    "expenditure_summary": ("表三", "部门支出总体情况表", 24),
    "fiscal_appropriation_summary": ("表四", "财政拨款收支总体情况表", 16),
    "general_budget_expenditure": ("表五", "一般公共预算支出情况表", 24),
    "basic_expenditure": ("表六", "一般公共预算基本支出情况表", 29),
    "three_public_funds": ("表七", "一般公共预算“三公”经费支出情况表", 6),
    "government_fund_expenditure": ("表八", "政府性基金预算支出情况表", 1),
    "budget_detail": ("表九", "部门预算明细表", 39),
    "purchased_services": ("表十", "政府购买服务预算财政拨款明细表", 17),
    "transfer_payments": ("表十一", "专项转移支付预算表", 1),
    "department_performance": ("表十二", "部门整体支出绩效目标申报表", 3),
    "project_performance_index": ("表十三", "项目支出绩效目标申报表目录", 6),
    "project_performance": ("表十三", "项目支出绩效目标申报表", 6),
}
MUNICIPAL_TABLES = {
    "income_expenditure_summary": "预算01表", "income_summary": "预算02表", "expenditure_summary": "预算03表",
    "fiscal_appropriation_summary": "预算04表", "general_budget_expenditure": "预算05表",
    "basic_expenditure": "预算06表", "government_fund_expenditure": "预算07表",
    "state_capital_expenditure": "预算08表", "three_public_funds": "预算09表", "procurement": "预算10表",
    "purchased_services": "预算11表", "project_performance": "预算表12",
}
CENTER_ROWS = {"income_expenditure_summary": 41, "income_summary": 1, "expenditure_summary": 28,
               "fiscal_appropriation_summary": 38, "general_budget_expenditure": 9, "basic_expenditure": 18,
               "government_fund_expenditure": 1, "state_capital_expenditure": 1, "three_public_funds": 6,
               "procurement": 2, "purchased_services": 1, "project_performance": 6}
HOTLINE_ROWS = {**CENTER_ROWS, "expenditure_summary": 40, "general_budget_expenditure": 12,
                "basic_expenditure": 29, "procurement": 3, "project_performance": 12}


def figure(document, table_id, where, column):
    """(printed text, line, value in 分) of the one cell selected by `where`."""
    table = document.tables[table_id]
    frame = table.frame
    rows = frame.index
    for key, value in where.items():
        rows = [r for r in rows if frame.at[r, key] == value]
    assert len(rows) == 1, f"{table_id} {where}: {len(rows)} rows"
    row = rows[0]
    value = frame.at[row, column]
    return table.text(row, column).strip(), table.location(row, column).line, None if str(value) == "<NA>" else int(value)


def test_district_tables(documents):
    doc = documents["xicheng-zhengwu-2021-budget.txt"]
    assert doc.template == "beijing_district" and doc.year == 2021 and doc.unit == "元"
    assert {t: (doc.tables[t].label, doc.tables[t].title, doc.tables[t].rows) for t in doc.tables} == DISTRICT_TABLES
    assert len(doc.paragraphs) == 62 and doc.paragraphs[0].line == 1
    assert doc.problems == []


@pytest.mark.parametrize("name,rows", [("beijing-zhengwu-center-2026-budget.txt", CENTER_ROWS),
                                       ("beijing-12345-hotline-budget.txt", HOTLINE_ROWS)])
def test_municipal_tables(documents, name, rows):
    doc = documents[name]
    assert doc.template == "beijing_municipal" and doc.unit == "万元"
    assert {t: doc.tables[t].label for t in doc.tables} == MUNICIPAL_TABLES
    assert {t: doc.tables[t].rows for t in doc.tables} == rows
    assert doc.paragraphs == []


DISTRICT_PINS = [
    # table, row filter, column, printed text, line, 分
    ("income_expenditure_summary", {"side": "income", "item": "general_public_budget"}, "amount", "63,234,665.44", 133, 6323466544),
    ("income_expenditure_summary", {"side": "expenditure", "item": "grand_total"}, "amount", "63,234,665.44", 220, 6323466544),
    ("income_summary", {"is_total": True}, "general_public_budget", "63,234,665.44", 578, 6323466544),
    ("expenditure_summary", {"code": "2010302"}, "total", "105,984.70", 646, 10598470),
    ("expenditure_summary", {"is_total": True}, "project", "47,764,125.2", 828, 4776412520),
    ("fiscal_appropriation_summary", {"side": "expenditure", "item": "carryforward"}, "amount", "0.00", 907, 0),
    ("general_budget_expenditure", {"is_total": True}, "project", "47,764,125.20", 1082, 4776412520),
    ("basic_expenditure", {"dept_econ_code": "30217"}, "public", "5,221.56", 1285, 522156),
    ("basic_expenditure", {"is_total": True}, "public", "1,483,396.24", 1341, 148339624),
    ("three_public_funds", {"item": "reception"}, "prior_year", "5,221.56", 1363, 522156),
    ("three_public_funds", {"item": "vehicle_operation"}, "amount", "0.00", 1376, 0),
    ("government_fund_expenditure", {"is_total": True}, "total", "0.00", 1465, 0),
    ("budget_detail", {"project": "工作经费"}, "total", "3,400,000.00", 1749, 340000000),
    ("budget_detail", {"code": "2210201"}, "total", "1,050,968.64", 1848, 105096864),
    ("purchased_services", {"code": "A23"}, "total", "21975780.00", 1875, 2197578000),
    ("purchased_services", {"code": "20212990010007"}, "total", "1771600.00", 1945, 177160000),
    ("department_performance", {"item": "basic"}, "amount", "15,470,540.24", 2191, 15470540240000),
    ("project_performance", {"form": "表十三-2"}, "mid_total", "1638.0624万元", 2493, 1638062400),
    ("project_performance", {"form": "表十三-6"}, "fiscal", "283.10695万元", 3582, 283106950),
]
CENTER_PINS = [
    ("income_expenditure_summary", {"side": "income", "item": "carryover"}, "amount", "994.110150", 36, 994110150),
    ("income_summary", {"is_total": True}, "carryover_general_public_budget", "994.110150", 45, 994110150),
    ("expenditure_summary", {"dept_econ_code": "31003"}, "project", "320.000000", 71, 320000000),
    ("expenditure_summary", {"is_total": True}, "project", "5,045.803092", 80, 5045803092),
    ("general_budget_expenditure", {"code": "2010350"}, "personnel", "4,430.250633", 128, 4430250633),
    ("general_budget_expenditure", {"is_total": True}, "project_excl_capital", "5,045.803092", 136, 5045803092),
    ("basic_expenditure", {"dept_econ_code": "3021503"}, "public", "0.200000", 154, 200000),
    ("basic_expenditure", {"is_total": True}, "public", "18.110409", 161, 18110409),
    ("three_public_funds", {"item": "reception"}, "amount", "0.187085", 185, 187085),
    ("procurement", {"is_total": True}, "total", "3,494.751282", 193, 3494751282),
    ("project_performance", {"code": "11000022Y000000444656"}, "total", "1102.076383", 228, 1102076383),
    ("project_performance", {"name": "北京市政务服务大厅窗口工作规范化监督与效能促进服务项目"}, "fiscal", "10.000000", 289, 10000000),
]
HOTLINE_PINS = [
    ("income_expenditure_summary", {"side": "expenditure", "item": "carryforward"}, "amount", "", 36, None),
    ("expenditure_summary", {"code": "2101103"}, "total", "44.794944", 90, 44794944),  # after the repeated header
    ("expenditure_summary", {"is_total": True}, "basic", "19,600.672975", 95, 19600672975),
    ("general_budget_expenditure", {"code": "2010301"}, "total", "18,703.728551", 143, 18703728551),
    ("basic_expenditure", {"dept_econ_code": "31002"}, "public", "3.000000", 189, 3000000),  # after the repeated header
    ("basic_expenditure", {"is_total": True}, "personnel", "19,357.945631", 193, 19357945631),
    ("three_public_funds", {"item": "vehicle_purchase"}, "amount", "12.530000", 217, 12530000),
    ("procurement", {"name": "A-货物"}, "total", "177.430000", 224, 177430000),
    ("project_performance", {"name": "云服务租赁"}, "fiscal", "546.770000", 305, 546770000),
    ("project_performance", {"name": "市民热线编外长聘人员管理服务费"}, "total", "2.496000", 344, 2496000),
]


@pytest.mark.parametrize("name,pins", [("xicheng-zhengwu-2021-budget.txt", DISTRICT_PINS),
                                       ("beijing-zhengwu-center-2026-budget.txt", CENTER_PINS),
                                       ("beijing-12345-hotline-budget.txt", HOTLINE_PINS)])
def test_pinned_figures(documents, name, pins):
    doc = documents[name]
    for table_id, where, column, text, line, fen in pins:
        assert figure(doc, table_id, where, column) == (text, line, fen), (table_id, where, column)


def test_every_table_meets_its_schema(documents):
    for doc in documents.values():
        for table in doc.tables.values():
            validate(table)


def test_codes_are_split_into_code_name_and_level(documents):
    frame = documents["beijing-zhengwu-center-2026-budget.txt"].tables["expenditure_summary"].frame
    first = frame.iloc[0]
    assert (first["code"], first["name"], first["level"], first["gov_econ_code"], first["gov_econ_name"],
            first["dept_econ_code"], first["dept_econ_name"]) == ("2010350", "事业运行", "项", "50501", "工资福利支出",
                                                                 "30101", "基本工资")
    district = documents["xicheng-zhengwu-2021-budget.txt"].tables["purchased_services"].frame
    row = district[district["code"] == "20212990010006"].iloc[0]
    assert (row["function_code"], row["function_name"], row["kind"]) == ("2010399", "其他政府办公厅（室）及相关机构事务支出", "item")
    levels = documents["xicheng-zhengwu-2021-budget.txt"].tables["income_summary"].frame["level"].tolist()
    assert levels[:3] == ["类", "款", "项"]


def test_project_codes_with_spaces_and_indicators(documents):
    table = documents["beijing-12345-hotline-budget.txt"].tables["project_performance"]
    assert "11000024T000002780436" in set(table.frame["code"])
    assert "12345对外宣传经费" in set(table.frame["name"])
    indicators = table.extras["indicators"]
    shifted = next(i for i in indicators if i["line"] == 292)  # a row printed shifted left under its project
    assert (shifted["project"], shifted["level1"], shifted["level2"]) == ("12345对外宣传经费", "成本指标", "经济成本指标")
    assert len(indicators) > 80 and not any("<p>" in i["name"] for i in indicators)


LAST_ROWS = {
    "xicheng-zhengwu-2021-budget.txt": {
        "income_expenditure_summary": ("支出总计", 219), "income_summary": ("总计", 574),
        "expenditure_summary": ("总计", 824), "fiscal_appropriation_summary": ("支出总计：", 916),
        "general_budget_expenditure": ("总计", 1078), "basic_expenditure": ("合计", 1335),
        "three_public_funds": ("总计", 1378), "government_fund_expenditure": ("总计", 1463),
        "budget_detail": ("2210201 住房公积金 30113", 1841), "purchased_services": ("20212990010007 运维服务", 1942),
        "transfer_payments": ("合计", 2166), "department_performance": ("项目支出：", 2194),
        "project_performance_index": ("西城区政务服务管理局政务大厅一至三层信息化硬件设备升级改造项目", 2251),
        "project_performance": ("西城区政务服务管理局政务大厅一至三层信息化硬件设备升级改造项目", 3537),
    },
    "beijing-zhengwu-center-2026-budget.txt": {
        "income_expenditure_summary": ("支出总计", 37), "income_summary": ("合计", 45), "expenditure_summary": ("合 计", 80),
        "fiscal_appropriation_summary": ("支出总计", 119), "general_budget_expenditure": ("合 计", 136),
        "basic_expenditure": ("合 计", 161), "government_fund_expenditure": ("合 计", 169),
        "state_capital_expenditure": ("合 计", 177), "three_public_funds": ("公务用车运行维护费", 183),
        "procurement": ("合计", 193), "purchased_services": ("合计", 201),
        "project_performance": ("11000026T000003672775 北京市政务服务大厅窗口工作规范化监督与效能促进服务项目", 289),
    },
    "beijing-12345-hotline-budget.txt": {
        "income_expenditure_summary": ("支出总计", 37), "income_summary": ("合计", 45), "expenditure_summary": ("合 计", 95),
        "fiscal_appropriation_summary": ("支出总计", 134), "general_budget_expenditure": ("合 计", 154),
        "basic_expenditure": ("合 计", 193), "government_fund_expenditure": ("合 计", 201),
        "state_capital_expenditure": ("合 计", 209), "three_public_funds": ("公务用车运行维护费", 215),
        "procurement": ("合 计", 226), "purchased_services": ("合计", 234),
        "project_performance": ("11000025T000003339950 市民热线编外长聘人员管理服务费", 344),
    },
}


@pytest.mark.parametrize("name", sorted(LAST_ROWS))
def test_the_last_row_of_every_table(documents, name):
    from budget_audit.rules.selection import row_label

    doc = documents[name]
    last = {}
    for table in doc.tables.values():
        row = table.rows - 1
        lines = [table.cell_lines[c][row] for c in table.cell_lines if table.cell_lines[c][row]]
        last[table.id] = (row_label(table, row), min(lines))
    assert last == LAST_ROWS[name]
