"""XD005 (a table's 上年 column against last year's document) and XD004 (a 决算's 年初预算 against
the same year's 预算). The corpus holds no Beijing document pair across years and no 预算 + 决算
pair of one body and year, so each test builds the honest sibling from a real document: the
2020 document of the Xicheng sample is its 表七 with the sample's own 2020年预算数 column as the
2020 figures (nothing else of 2020 is known); the 2024 budget of 社会工作部 is its 2024 final's
own frames with the figures the final states as 年初预算 (0: the body was set up in 2024)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from budget_audit.rules.siblings import check_batch, cross_document, load_rules

ROOT = Path(__file__).resolve().parents[2]
XICHENG = ROOT / "samples" / "xicheng-zhengwu-2021-budget.txt"
FINAL = ROOT / "tests" / "data" / "pdf" / "sh_putuo_shehuigongzuobu_2024_final.pdf"


def _block(lines: list[str], title: str, after: str) -> tuple[int, int]:
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    return start, next(i for i, line in enumerate(lines) if i > start and line.strip() == after)


def previous_year_copy(text: str) -> str:
    """The 2020 document the 2021 sample implies: its cover with the year one less and its 表七
    (三公) with one column, 2020年预算数, holding the sample's 2020 figures."""
    lines = text.split("\n")
    start, end = _block(lines, "表七：", "表八：")
    head = next(i for i in range(start, end) if lines[i].strip() == "项目")
    assert [lines[head + 1].strip(), lines[head + 2].strip()] == ["2020年预算数", "2021年预算数"]
    out = [lines[0].replace("2021年", "2020年"), "", " 2020年度部门预算报表", "", *lines[start:head + 2]]
    group: list[str] = []
    for line in [*lines[head + 3:end], ""]:
        if line.strip():
            group.append(line)
            continue
        if group:
            assert len(group) == 3, group  # label, 2020, 2021
            out += group[:2]
            group = []
        out.append(line)
    return "\n".join(out)


def with_prior_figure(text: str, label: str, old: str, new: str) -> str:
    """The sample with `new` for `old` in the 2020 column of one 表七 line."""
    lines = text.split("\n")
    start, end = _block(lines, "表七：", "表八：")
    row = next(i for i in range(start, end) if lines[i].strip() == label)
    assert lines[row + 1].strip() == old
    lines[row + 1] = lines[row + 1].replace(old, new)
    return "\n".join(lines)


def in_wan(previous: str, reception: str) -> str:
    """The 2020 document printed in 万元 with two decimals, 公务接待费 (and 总计) as `reception`."""
    lines = previous.replace("单位：元", "单位：万元").split("\n")
    for i, line in enumerate(lines[:-1]):
        if line.strip() in ("2、公务接待费", "总计"):
            assert lines[i + 1].strip() == "5,221.56"
            lines[i + 1] = lines[i + 1].replace("5,221.56", reception)
    return "\n".join(lines)


def _pair(folder: Path, current: str, previous=None) -> list[str]:
    folder.mkdir()
    sample = XICHENG.read_text("utf-8")
    (folder / XICHENG.name).write_text(current, "utf-8")
    (folder / "xicheng-zhengwu-2020-budget.txt").write_text(previous or previous_year_copy(sample), "utf-8")
    # the relation is named: the loader's body for this template is not the organ's name
    (folder / "siblings.yaml").write_text(f'relate: ["{XICHENG.name}=xicheng-zhengwu-2020-budget.txt"]\n', "utf-8")
    return [str(folder)]


@pytest.fixture(scope="module")
def year_reports(tmp_path_factory):
    """`check FOLDER` on the consistent pair and on the pair with one planted 上年 figure."""
    from budget_audit.reports.pipeline import check_paths

    base = tmp_path_factory.mktemp("xicheng")
    sample = XICHENG.read_text("utf-8")
    planted = with_prior_figure(sample, "2、公务接待费", "5,221.56", "5,231.56")
    wan = {r: check_paths(_pair(base / r, sample, in_wan(previous_year_copy(sample), r))) for r in ("0.52", "0.53")}
    return check_paths(_pair(base / "same", sample)), check_paths(_pair(base / "planted", planted)), wan


def _xd(report):
    return [f for d in report.documents for f in d.findings if f.rule.startswith("XD")]


def test_a_prior_year_column_that_agrees_with_last_years_document_gives_no_finding(year_reports):
    report, _, _ = year_reports
    (relation,) = report.siblings
    assert (relation.kind, Path(relation.document).name, Path(relation.sibling).name) == (
        "previous_year", XICHENG.name, "xicheng-zhengwu-2020-budget.txt")
    later = next(d for d in report.documents if d.path == relation.document)
    assert [c.rule for c in later.checks if c.family == "XD"] == ["XD001", "XD005"]
    assert later.document.tables["three_public_funds"].data["prior_year"][1] == 522_156  # what is compared
    assert _xd(report) == [] and report.batch_errors == []


def test_one_planted_prior_year_figure_is_one_finding_naming_both_places(year_reports):
    _, report, _ = year_reports
    (finding,) = _xd(report)
    assert finding.rule == "XD005" and finding.severity == "error" and finding.table == "three_public_funds"
    assert (finding.expected, finding.actual) == (522_156, 523_156)
    assert [Path(c.source.file).name for c in finding.cells] == [XICHENG.name, "xicheng-zhengwu-2020-budget.txt"]
    assert all(c.source.line for c in finding.cells) and finding.cells[0].value != finding.cells[1].value
    assert "xicheng-zhengwu-2020-budget.txt" in finding.message["zh"] and "5,231.56" in finding.message["zh"]
    assert "last year's document" in finding.message["en"]
    later = next(d for d in report.documents if d.path.endswith(XICHENG.name))
    assert finding in later.findings and later.status == "fail"


def test_the_prior_year_column_is_compared_at_the_precision_last_year_printed(year_reports):
    """2020 printed 公务接待费 and 总计 as 0.52万元 (5,150–5,250元): the 2021 table's 5,221.56元 agrees,
    and so do the two figures of 2020 the 2021 说明 states (三公经费 and 公务接待费 5,221.56元; XD001,
    against a 2020 document of tables only); 0.53万元 (5,250–5,350元) contradicts all four."""
    _, _, wan = year_reports
    assert wan["0.52"].siblings and _xd(wan["0.52"]) == []
    found = _xd(wan["0.53"])
    assert sorted((f.rule, f.cells[0].row, f.expected, f.actual) for f in found) == [
        ("XD001", "三公经费", 530_000, 522_156), ("XD001", "公务接待费", 530_000, 522_156),
        ("XD005", "2、公务接待费", 530_000, 522_156), ("XD005", "总计", 530_000, 522_156)]


@pytest.fixture(scope="module")
def final():
    if not FINAL.exists():
        pytest.skip("tests/data/pdf holds the corpus PDFs")
    from budget_audit import loaders

    return loaders.load(str(FINAL))


def budget_from(final, tmp: Path):
    """The 2024 预算 the final implies: its frames with every figure its 年初预算 (0)."""
    budget = copy.deepcopy(final)
    budget.path = str(tmp / "sh_putuo_shehuigongzuobu_2024_budget_dept.pdf")
    budget.meta = {**final.meta, "kind": "budget"}
    budget.paragraphs, budget.cache = [], {}
    table = budget.tables["general_budget_expenditure"]
    for column in table.amount_columns:
        table.data[column] = [0 if v is not None else None for v in table.data[column]]
    return budget


def _xd004(final, budget):
    from budget_audit.rules.ruleset import load_ruleset
    from budget_audit.rules.siblings import figures_map

    relations, found, ran = check_batch([(final, figures_map(load_ruleset("shanghai_final"))),
                                         (budget, figures_map(load_ruleset("shanghai_budget")))])
    assert [(r.kind, r.document, r.sibling) for r in relations] == [("budget_final", final.path, budget.path)]
    assert [rule.code for _, rule in ran] == ["XD004"]
    return found.get(final.path, [])


def test_a_finals_initial_budget_that_agrees_with_the_budget_gives_no_finding(final, tmp_path):
    assert final.meta["kind"] == "final" and final.year == 2024
    assert _xd004(final, budget_from(final, tmp_path)) == []


def test_an_initial_budget_other_than_the_budgets_is_one_finding_naming_both_documents(final, tmp_path):
    budget = budget_from(final, tmp_path)
    table = budget.tables["general_budget_expenditure"]
    table.data["total"][table.data["code"].index("201")] = 1_000_000  # the budget says 1.00万元 for 201
    (finding,) = _xd004(final, budget)
    assert (finding.rule, finding.expected, finding.actual) == ("XD004", 1_000_000, 0)
    here, *there = finding.cells
    assert (Path(here.source.file).name, here.source.page) == (FINAL.name, 18)  # "年初预算为 0 万元"
    assert (here.table, here.row, here.value) == ("narrative", "一般公共预算支出", "0万元")
    assert {(Path(c.source.file).name, c.table) for c in there} == {(Path(budget.path).name, "general_budget_expenditure")}
    assert [c.value for c in there if c.value] and len(there) == table.data["level"].count("类")
    assert "年初预算为 0.00 万元" in finding.message["zh"] and Path(budget.path).name in finding.message["zh"]


def test_the_new_checks_are_declared_and_validated():
    assert [r.code for r in load_rules()][3:] == ["XD004", "XD005"]
    assert cross_document.validate({"check": "prior-year-column", "relation": "previous_year"})[0] == "columns"
    assert cross_document.validate({"check": "initial-budget", "relation": "previous_year"})[0] == "relation"
    assert cross_document.validate({"check": "prior-year-column", "columns": {"prior_year": "amount"}}) is None
    bad = {"check": "initial-budget", "figures": {"一般公共预算支出": {"table": "nope", "column": "total"}}}
    assert cross_document.validate(bad)[0] == "figures.一般公共预算支出"


def test_the_corpus_with_its_tables_has_no_cross_document_finding():
    """Every development PDF as the reader loads it (tables and 说明): the five Jiangsu year pairs
    and the 普陀区政府办 部门/单位 pair are compared (XD001, XD005, XD002) and agree."""
    from budget_audit import loaders
    from budget_audit.rules.ruleset import load_ruleset, profile_for
    from budget_audit.rules.siblings import figures_map

    names = sorted(p for p in FINAL.parent.iterdir() if p.name.startswith(("js_", "sh_")))
    if not FINAL.exists():
        pytest.skip("tests/data/pdf holds the corpus PDFs")
    documents = [loaders.load(str(p)) for p in names]
    relations, found, ran = check_batch([(d, figures_map(load_ruleset(profile_for(d.template)))) for d in documents])
    assert sorted(r.kind for r in relations) == ["department_unit"] + ["previous_year"] * 5
    assert {rule.code for _, rule in ran} == {"XD001", "XD002", "XD005"}
    assert [f.message["zh"] for fs in found.values() for f in fs] == []


def test_the_batch_report_names_the_budget_the_final_was_compared_with(final, tmp_path, report_schema):
    """reports.batch on the final's own report plus the derived budget: the relation is printed and
    a planted 年初预算 difference is a finding of the final that names the budget file."""
    import json

    import jsonschema

    from budget_audit.reports.batch import cross_document as run_batch
    from budget_audit.reports.formats import json as json_format
    from budget_audit.reports.pipeline import check_paths
    from budget_audit.rules.ruleset import load_ruleset

    report = check_paths([str(FINAL)])
    (result,) = report.documents
    budget = budget_from(result.document, tmp_path)
    table = budget.tables["general_budget_expenditure"]
    table.data["total"][table.data["code"].index("221")] = 2_942_000  # 29.42万元, the final's 221 决算
    sibling = copy.copy(result)
    sibling.path, sibling.document, sibling.rules = budget.path, budget, list(load_ruleset("shanghai_budget"))
    sibling.findings, sibling.checks, sibling.status = [], [], "pass"
    report.documents.append(sibling)
    run_batch(report)
    assert [(r.kind, r.document, r.sibling) for r in report.siblings] == [("budget_final", result.path, budget.path)]
    (finding,) = [f for d in report.documents for f in d.findings if f.rule.startswith("XD")]
    assert finding in result.findings and finding.rule == "XD004" and finding.difference == -2_942_000
    assert [c.rule for c in result.checks if c.family == "XD"] == ["XD004"] and result.status == "fail"
    data = json.loads(json_format.render(report))
    jsonschema.validate(data, report_schema)
    assert [s["relation"] for s in data["siblings"]] == ["budget_final"]
    assert [f["rule"] for d in data["documents"] for f in d["findings"] if f["rule"].startswith("XD")] == ["XD004"]
