"""The Jiangsu narratives (…万元，与上年相比增加X万元，增长Y%; 占Z%) of the corpus PDFs, one- and two-file
publications: every error and warning the narrative rules raise on their text, each reviewed by
hand (see /work/briefs/findings-narrative.md). Tuples: (rule, severity, file, page, first cited figure)."""

from __future__ import annotations

import pytest

from tests.regions.narrative_pdf import PDF, findings, narrative

pytestmark = pytest.mark.skipif(not PDF.exists(), reason="tests/data/pdf holds the corpus PDFs")

EXPECTED = {
    ('js_fayuan_2018_budget_dept.pdf', 2018): [
        ('NAR002', 'error', None, 19, '6049.97万元'),
        ('NAR004', 'warning', None, 20, '1326.81万元'),
        ('NAR004', 'warning', None, 20, '530.72万元'),
    ],
    ('js_fayuan_2019_budget_dept.pdf', 2019): [
    ],
    ('js_jianchayuan_2017_budget_dept.pdf', 2017): [
        ('NAR002', 'warning', None, 19, '13656.34万元'),
        ('NAR007', 'error', None, 19, '12323.46万元'),
        ('NAR002', 'error', None, 22, '6032.55万元'),
        ('NAR005', 'error', None, 22, '110万元'),
    ],
    ('js_jianchayuan_2019_budget_dept.pdf', 2019): [
        ('NAR002', 'error', None, 25, '24,169.74万元'),
        ('NAR002', 'warning', None, 25, '24,169.74万元'),
        ('NAR002', 'error', None, 26, '4335.3万元'),
        ('NAR005', 'error', None, 26, '24,169.74万元'),
        ('NAR002', 'warning', None, 27, '24,169.74万元'),
        ('NAR002', 'warning', None, 27, '24,169.74万元'),
        ('NAR002', 'error', None, 29, '1442.74万元'),
        ('NAR002', 'warning', None, 29, '24,169.74万元'),
    ],
    ('js_renda_2017_budget_dept.pdf', 2017): [
        ('NAR005', 'error', None, 28, '222.5万元'),
        ('NAR005', 'error', None, 28, '222.5万元'),
        ('NAR005', 'error', None, 28, '222.5万元'),
    ],
    ('js_renda_2018_budget_dept.pdf', 2018): [
        ('NAR030', 'warning', None, 19, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', None, 19, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', None, 20, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', None, 20, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR002', 'error', None, 21, '1685.72万元'),
        ('NAR005', 'error', None, 22, '15897.44万元'),
        ('NAR030', 'warning', None, 25, '门预算中，减少了该项支出。。'),
        ('NAR030', 'warning', None, 28, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', None, 29, '相比增加（减少）0万元，增长（降低）0%。主要原因是本部门无'),
    ],
    ('js_renda_2019_budget_dept', 2019): [
        ('NAR030', 'warning', '江苏省人大常委会2019年度部门预算公开.pdf', 9, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', '江苏省人大常委会2019年度部门预算公开.pdf', 9, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', '江苏省人大常委会2019年度部门预算公开.pdf', 9, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', '江苏省人大常委会2019年度部门预算公开.pdf', 10, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
        ('NAR030', 'warning', '江苏省人大常委会2019年度部门预算公开.pdf', 16, '相比增加（减少）0万元，增长（减少）0%。主要原因是本部门无'),
    ],
    ('js_shengweiban_2017_budget_dept', 2017): [
        ('NAR002', 'error', '江苏省委办公厅2017年部门预算.pdf', 8, '6106.99万元'),
    ],
    ('js_shengweiban_2018_budget_dept', 2018): [
    ],
    ('js_zhengxie_2017_budget_dept', 2017): [
    ],
    ('js_zhengxie_2018_budget_dept', 2018): [
        ('NAR002', 'error', '江苏省政协办公厅2018年度部门预算.pdf', 15, '1,115.85万元'),
    ],
}


@pytest.mark.parametrize("name, year", sorted(EXPECTED))
def test_every_narrative_finding_is_a_reviewed_one(name, year):
    found, outcome = findings(name, year)
    assert found == EXPECTED[(name, year)]
    assert outcome.claims["found"] > 80 and outcome.claims["checked"] >= 60


def _messages(name, year, rule):
    from budget_audit.rules import engine
    from budget_audit.rules.ruleset import SETS, load_ruleset

    outcome = engine.run(narrative(name, year), load_ruleset(str(SETS / "narrative.yaml")))
    return [f for f in outcome.findings if f.rule == rule and f.severity in ("error", "warning")]


def test_a_rate_with_a_wrong_digit():
    """人大 2018, page 21: 预留机动经费1685.72万元，与上年相比增加1557.29万元，增长1312.56% (1212.56%)."""
    (finding,) = _messages("js_renda_2018_budget_dept.pdf", 2018, "NAR002")
    assert "1212.56%" in finding.message["zh"] and "1312.56%" in finding.message["zh"]
    assert "1,557.29 万元 ÷ 128.43 万元" in finding.message["zh"]


def test_the_rate_of_the_neighbouring_item():
    """检察院 2019, page 26: 项目支出4335.3万元，减少了1237.7万元，减少13.22% (22.21%; 13.22% is 基本支出's)."""
    found = _messages("js_jianchayuan_2019_budget_dept.pdf", 2019, "NAR002")
    (finding,) = [f for f in found if "4335.3万元" in [c.value for c in f.cells]]
    assert finding.severity == "error" and "22.21%" in finding.message["zh"]


def test_truncated_rates_are_warnings():
    """检察院 2019: 增加2228.78万元，增长10.15% (10.158…%) on pages 25, 27 (twice) and 29."""
    found = [f for f in _messages("js_jianchayuan_2019_budget_dept.pdf", 2019, "NAR002") if f.severity == "warning"]
    assert sorted(f.cells[0].source.page for f in found) == [25, 27, 27, 29]
    assert all("10.16%" in f.message["zh"] and "截断" in f.message["zh"] for f in found)


def test_three_public_shares_of_the_wrong_whole():
    """人大 2017, page 28: 222.5 + 183.6 + 427.5 = 833.6万元, printed 8.75%, 7.22%, 16.81%."""
    found = _messages("js_renda_2017_budget_dept.pdf", 2017, "NAR005")
    assert sorted(f.message["zh"].split("应为 ")[1].split("%")[0] for f in found) == ["22.02", "26.69", "51.28"]


def test_a_two_file_publication_cites_its_file():
    """省委办公厅 2017 文件, page 8: 行政运行（项）6106.99万元，增加101.48万元，增长1.66% (1.69%)."""
    (finding,) = _messages("js_shengweiban_2017_budget_dept", 2017, "NAR002")
    assert finding.message["zh"].startswith("江苏省委办公厅2017年部门预算.pdf第8页")
    assert finding.cells[0].source.file == "江苏省委办公厅2017年部门预算.pdf"


def test_a_page_number_inside_a_sentence_is_not_read():
    """省委办公厅 2018 文件, page 5: "增长" / page number "3" / "17.31%" reads 17.31%, not 317.31%."""
    found, outcome = findings("js_shengweiban_2018_budget_dept", 2018)
    assert found == [] and outcome.claims["failed"] == 0
