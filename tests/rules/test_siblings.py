"""Siblings and the cross-document rules on the development corpus: the Jiangsu series (same bodies
across years: what each year's 说明 says about the year before against that year's own document)
and the 部门 and 单位 budgets of 上海市普陀区人民政府办公室 2025."""

from __future__ import annotations

import copy

import pytest

from budget_audit.loaders.model import Paragraph
from budget_audit.rules.ruleset import RuleSetError
from budget_audit.rules.siblings import check_batch, cross_document, load_rules
from budget_audit.rules.siblings.detect import (Facts, RelateError, facts, find_relations, normalise,
                                                relations_from_option)
from tests.regions.narrative_pdf import PDF, narrative

pytestmark = pytest.mark.skipif(not PDF.exists(), reason="tests/data/pdf holds the corpus PDFs")

SERIES = {"js_renda_2017_budget_dept.pdf": 2017, "js_renda_2018_budget_dept.pdf": 2018, "js_renda_2019_budget_dept": 2019,
          "js_fayuan_2018_budget_dept.pdf": 2018, "js_fayuan_2019_budget_dept.pdf": 2019,
          "js_jianchayuan_2017_budget_dept.pdf": 2017, "js_jianchayuan_2019_budget_dept.pdf": 2019,
          "js_zhengxie_2017_budget_dept": 2017, "js_zhengxie_2018_budget_dept": 2018,
          "js_shengweiban_2017_budget_dept": 2017, "js_shengweiban_2018_budget_dept": 2018}


@pytest.fixture(scope="module")
def series():
    """The 说明 of every Jiangsu publication, as the PDF reader gives it to the rules."""
    return {name: narrative(name, year) for name, year in SERIES.items()}


def _name(path):
    return path.rsplit("/", 1)[-1]


def test_the_same_body_across_years_is_related_and_two_years_apart_is_not(series):
    relations = find_relations([facts(d) for d in series.values()])
    assert {(r.kind, _name(r.document), _name(r.sibling), r.basis) for r in relations} == {
        ("previous_year", "js_renda_2018_budget_dept.pdf", "js_renda_2017_budget_dept.pdf", "body"),
        ("previous_year", "js_renda_2019_budget_dept", "js_renda_2018_budget_dept.pdf", "body"),
        ("previous_year", "js_fayuan_2019_budget_dept.pdf", "js_fayuan_2018_budget_dept.pdf", "body"),
        ("previous_year", "js_zhengxie_2018_budget_dept", "js_zhengxie_2017_budget_dept", "body"),
        ("previous_year", "js_shengweiban_2018_budget_dept", "js_shengweiban_2017_budget_dept", "body")}
    # jianchayuan 2017 and 2019: no 2018 document in the batch, so nothing to compare


def test_one_organ_spelled_two_ways_is_one_body():
    assert normalise("中国共产党江苏省委员会办公厅") == normalise("中共江苏省委办公厅") == normalise("江苏省委办公厅")
    assert normalise("江苏省人民代表大会常务委员会办公厅") == normalise("江苏省人大常委会办公厅")
    assert normalise("上海市普陀区 商务委员会") == normalise("上海市普陀区商务委员会")
    assert normalise("江苏省人民检察院") != normalise("江苏省高级人民法院")


def _comparisons(this, last):
    """(subject, what this year's text states of last year, what last year's document states) of every
    figure of last year the later document states and the earlier one also gives."""
    ctx, prior = cross_document._context(this, None), cross_document._context(last, None)
    out = []
    for claim, value, _ in cross_document._stated_last_year(ctx, prior.year):
        owns = cross_document._own_figures(prior, claim.subject, prior.year)
        if owns:
            out.append((claim.subject, value.fen, [o.fen for o in owns]))
    return out


def test_what_each_year_says_of_the_year_before_agrees_with_that_years_document(series):
    """docs/corpus-findings.md "What each year says about the previous year": all of them agree."""
    batch = [(d, None) for d in series.values()]
    relations, found, _ = check_batch(batch)
    assert found == {} or all(not f for f in found.values()), [f.message["zh"] for fs in found.values() for f in fs]
    counts = {_name(r.document): len(_comparisons(series[_name(r.document)], series[_name(r.sibling)]))
              for r in relations}
    # measured 2026-12-03: fayuan 24, renda 2018 6, renda 2019 27, shengweiban 15, zhengxie 19 (91 in all)
    assert sum(counts.values()) >= 90 and min(counts.values()) >= 5, counts
    renda = dict((s, v) for s, v, _ in _comparisons(series["js_renda_2018_budget_dept.pdf"],
                                                     series["js_renda_2017_budget_dept.pdf"]))
    assert renda["支出预算"] == 13_649_070_000 and renda["预留机动经费"] == 128_430_000  # 1685.72 − 1557.29
    assert renda["项目支出"] == 5_853_960_000 and renda["机构运行经费"] == 5_619_310_000


def _planted(document, old, new):
    """A copy of `document` whose 说明 prints `new` where it printed `old` (once)."""
    planted = copy.copy(document)
    planted.cache = {}
    hits = [i for i, p in enumerate(document.paragraphs) if old in p.text]
    assert len(hits) == 1, hits
    planted.paragraphs = list(document.paragraphs)
    planted.paragraphs[hits[0]] = Paragraph(document.paragraphs[hits[0]].text.replace(old, new), document.paragraphs[hits[0]].line)
    return planted


def test_a_base_that_contradicts_last_years_document_is_found_with_both_places(series):
    # renda 2018 p.21: 预留机动经费 1685.72万元，与上年相比增加1557.29万元 (2017: 128.43万元); planted 1557.39
    this = _planted(series["js_renda_2018_budget_dept.pdf"], "加1557.29万元", "加1557.39万元")
    last = series["js_renda_2017_budget_dept.pdf"]
    _, found, _ = check_batch([(this, None), (last, None)])
    (finding,) = found[this.path]
    assert finding.rule == "XD001" and finding.severity == "error"
    assert (finding.expected, finding.actual) == (128_430_000, 128_330_000)
    assert "128.33" in finding.message["zh"] and "js_renda_2017_budget_dept.pdf" in finding.message["zh"]
    places = {(_name(c.source.file), c.source.page) for c in finding.cells}
    assert ("js_renda_2018_budget_dept.pdf", 21) in places
    assert any(file == "js_renda_2017_budget_dept.pdf" and page for file, page in places)


def test_relations_can_be_named_when_the_names_differ(series):
    renamed = copy.copy(series["js_zhengxie_2018_budget_dept"])
    renamed.paragraphs = [Paragraph("江苏省政治协商会议办公厅2018年度部门预算公开", 1), *renamed.paragraphs[1:]]
    earlier = series["js_zhengxie_2017_budget_dept"]
    assert facts(renamed).body != facts(earlier).body
    assert find_relations([facts(renamed), facts(earlier)]) == []
    pairs = relations_from_option("江苏省政治协商会议办公厅=江苏省政协办公厅")
    (relation,) = find_relations([facts(renamed), facts(earlier)], pairs)
    assert (relation.kind, relation.basis) == ("previous_year", "option")


def test_a_unit_named_otherwise_than_its_department_is_related_by_option_or_file_name():
    department = Facts("/x/dept.pdf", normalise("上海市普陀区人民政府办公室"), None, 2025, "budget", "dept")
    unit = Facts("/x/unit.pdf", normalise("上海市普陀区机关事务服务中心"), None, 2025, "budget", "unit")
    other = Facts("/x/other.pdf", normalise("上海市普陀区商务委员会"), None, 2024, "budget", "dept")
    assert find_relations([department, unit, other]) == []
    for option in ("上海市普陀区机关事务服务中心=上海市普陀区人民政府办公室", "unit.pdf=dept"):
        (relation,) = find_relations([department, unit, other], relations_from_option(option))
        assert (relation.kind, relation.document, relation.sibling, relation.basis) == (
            "department_unit", "/x/unit.pdf", "/x/dept.pdf", "option")


def test_a_relate_option_that_is_not_name_equals_name_is_refused():
    assert relations_from_option("A=B, C = D；E=F") == [("A", "B"), ("C", "D"), ("E", "F")]
    with pytest.raises(RelateError, match="NAME=NAME"):
        relations_from_option("A=B,C")


def test_every_cross_document_rule_is_documented_and_valid():
    rules = load_rules()
    assert [r.code for r in rules] == ["XD001", "XD002", "XD003", "XD004", "XD005"]
    doc = cross_document.__doc__
    assert all(word in doc for word in ("What it checks", "Why it matters", "Passes", "Fails", "Example"))
    assert cross_document.validate({"check": "previous-year", "relation": "department_unit"})


def test_a_broken_rule_file_names_the_rule_and_key(tmp_path):
    bad = tmp_path / "siblings.yaml"
    bad.write_text("rules:\n  - {code: XD009, kind: cross-document, title: {zh: 甲, en: A}, params: {check: nope}}\n", "utf-8")
    with pytest.raises(RuleSetError, match="XD009: key 'params.check'"):
        load_rules(str(bad))


@pytest.fixture(scope="module")
def folder_report(tmp_path_factory):
    """`budget-audit check FOLDER` on a folder holding the 部门 and the 单位 budget of one body."""
    import shutil

    from budget_audit.reports.pipeline import check_paths

    folder = tmp_path_factory.mktemp("zhengfuban")
    for name in ("sh_putuo_zhengfuban_2025_budget_dept.pdf", "sh_putuo_zhengfuban_2025_budget_unit.pdf"):
        shutil.copy(PDF / name, folder / name)
    (folder / "siblings.yaml").write_text('complete: ["上海市普陀区人民政府办公室"]  # its one unit is here\n', "utf-8")
    return check_paths([str(folder)])


def test_a_folder_of_related_documents_reports_the_relation_it_used(folder_report, report_schema):
    import json

    import jsonschema

    from budget_audit.reports.formats import json as json_format
    from budget_audit.reports.formats.terminal import make_console, render

    (relation,) = folder_report.siblings
    assert (relation.kind, _name(relation.document), _name(relation.sibling)) == (
        "department_unit", "sh_putuo_zhengfuban_2025_budget_unit.pdf", "sh_putuo_zhengfuban_2025_budget_dept.pdf")
    unit = next(d for d in folder_report.documents if d.path == relation.document)
    department = next(d for d in folder_report.documents if d.path == relation.sibling)
    assert [c.rule for c in unit.checks if c.family == "XD"] == ["XD002"]  # it ran, and found nothing
    assert [c.rule for c in department.checks if c.family == "XD"] == ["XD003"]  # siblings.yaml: complete
    assert not [f for d in folder_report.documents for f in d.findings if f.rule.startswith("XD")]
    data = json.loads(json_format.render(folder_report))
    jsonschema.validate(data, report_schema)
    assert [(s["relation"], _name(s["document"])) for s in data["siblings"]] == [
        ("department_unit", "sh_putuo_zhengfuban_2025_budget_unit.pdf")]
    text = render(folder_report, "zh", console=make_console(width=120, color=False))
    assert "相互比对的文件" in text and "sh_putuo_zhengfuban_2025_budget_unit.pdf ← sh_putuo_zhengfuban_2025_budget_dept.pdf" in text
    from budget_audit.reports.formats import markdown

    assert "- sh\\_putuo\\_zhengfuban\\_2025\\_budget\\_unit.pdf ← sh\\_putuo" in markdown.render(folder_report, "zh")
    assert "department and its unit" in markdown.render(folder_report, "en")


def test_a_unit_line_above_its_departments_is_found(folder_report):
    from budget_audit.reports.batch import cross_document as run_batch

    report = copy.deepcopy(folder_report)
    unit = next(d for d in report.documents if d.path.endswith("_unit.pdf"))
    table = unit.document.tables["expenditure_summary"]
    row = table.data["code"].index("2010301")
    table.data["total"][row] += 1  # 1 分 more than the department's 12,029,501.84 元
    for doc in report.documents:
        doc.checks = [c for c in doc.checks if c.family != "XD"]
    run_batch(report)
    (finding,) = [f for f in unit.findings if f.rule == "XD002"]
    assert (finding.expected, finding.actual) == (1_202_950_184, 1_202_950_185)
    assert [(_name(c.source.file), c.source.page) for c in finding.cells] == [
        ("sh_putuo_zhengfuban_2025_budget_unit.pdf", 11), ("sh_putuo_zhengfuban_2025_budget_dept.pdf", 11)]
    assert unit.status == "fail" and report.exit_code() == 1
    assert "超过部门" in finding.message["zh"] and "exceeds its department" in finding.message["en"]


def test_a_department_other_than_the_sum_of_its_units_is_found(folder_report):
    from budget_audit.reports.batch import cross_document as run_batch

    report = copy.deepcopy(folder_report)
    department = next(d for d in report.documents if d.path.endswith("_dept.pdf"))
    table = department.document.tables["basic_expenditure"]
    row = next(r for r in range(table.rows) if table.data["dept_econ_code"][r] == "30101")
    table.data["total"][row] += 100  # 1 元 more than its one unit prints
    for doc in report.documents:
        doc.checks = [c for c in doc.checks if c.family != "XD"]
    run_batch(report)
    (finding,) = [f for d in report.documents for f in d.findings if f.rule.startswith("XD")]
    assert finding.rule == "XD003" and finding in department.findings and finding.difference == 100
    assert {_name(c.source.file) for c in finding.cells} == {"sh_putuo_zhengfuban_2025_budget_dept.pdf",
                                                             "sh_putuo_zhengfuban_2025_budget_unit.pdf"}


def test_a_siblings_file_that_cannot_be_read_is_a_batch_error(tmp_path, sample_report):
    import shutil

    from budget_audit.reports.pipeline import check_paths

    for doc in sample_report.documents[:2]:
        shutil.copy(doc.path, tmp_path)
    (tmp_path / "siblings.yaml").write_text("relate: [A]\n", "utf-8")
    report = check_paths([str(tmp_path)])
    assert len(report.documents) == 2 and report.exit_code() == 2
    assert report.batch_errors == [f"{tmp_path / 'siblings.yaml'}: key 'relate': 'A' is not NAME=NAME (two body or file names)"]


def test_a_folder_of_unrelated_documents_reports_none(sample_report):
    assert sample_report.siblings == []
    assert not [f for d in sample_report.documents for f in d.findings if f.rule.startswith("XD")]


def test_a_check_that_breaks_on_one_pair_costs_that_pair_only(folder_report):
    from budget_audit.reports.batch import cross_document as run_batch

    report = copy.deepcopy(folder_report)
    unit = next(d for d in report.documents if d.path.endswith("_unit.pdf"))
    del unit.document.tables["expenditure_summary"].cell_ulps["total"]  # a reader bug's half-built table
    for doc in report.documents:
        doc.checks = [c for c in doc.checks if c.family != "XD"]
    run_batch(report)
    (crashed,) = [f for f in unit.findings if f.rule == "XD002"]
    assert crashed.severity == "warning" and crashed.extra["crashed"] and "XD002" in crashed.message["zh"]
    assert [c.rule for d in report.documents for c in d.checks if c.family == "XD"] == ["XD003", "XD002"]
    assert report.batch_errors == []
