"""The HTML report in a real headless Chromium: findings, filters, search, excerpts, and that
markup planted in a document runs nothing."""

from __future__ import annotations

import pytest

from budget_audit.reports.formats import html
from budget_audit.reports.formats.causes import groups
from budget_audit.reports.pipeline import check_paths
from tests.reports.planted import hostile_copy

TITLE = "预算公开审核报告"


@pytest.fixture(scope="module")
def report_file(sample_report, tmp_path_factory):
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(html.render(sample_report, "zh"), "utf-8")
    return path


@pytest.fixture
def page(browser, report_file):
    browser.get(report_file.as_uri())
    return browser


def by_css(driver, selector, root=None):
    from selenium.webdriver.common.by import By

    return (root or driver).find_elements(By.CSS_SELECTOR, selector)


def section_of(driver, report, name):
    """The document section (and its DocumentResult) whose path contains `name`."""
    index, doc = next((i, d) for i, d in enumerate(report.documents, 1) if name in d.path)
    return by_css(driver, f"#d{index}")[0], doc


def visible_rules(driver, section):
    return [item.get_attribute("data-rule") for item in by_css(driver, "[data-finding]", section) if item.is_displayed()]


def test_findings_render_for_every_sample(page, sample_report):
    assert page.title == TITLE
    for index, doc in enumerate(sample_report.documents, 1):
        section = by_css(page, f"#d{index}")[0]
        assert doc.path in section.find_element("css selector", "h2").text
        summaries = [s.text for s in by_css(page, "[data-finding] > summary", section)]
        assert len(summaries) == len(doc.findings) > 0
        listed = [f for _, explained in groups(doc) for f in explained]  # a likely cause's findings first
        for summary, finding in zip(summaries, listed):
            assert finding.rule in summary
        shown = by_css(page, "[data-shown]", section)[0].text
        assert shown == f"显示 {len(doc.findings)} / {len(doc.findings)} 条"  # the script ran


def test_a_likely_cause_links_to_the_findings_it_explains(page, sample_report):
    section, doc = section_of(page, sample_report, "hotline")
    causes = by_css(page, "[data-causes] > li", section)
    assert len(causes) == len(doc.causes) == 2
    assert "没有一个单元格的更正能同时解释它们" in causes[0].text
    links = by_css(page, "a", causes[0])
    assert len(links) == 8
    target = links[3].get_attribute("href").rsplit("#", 1)[1]
    links[3].click()
    item = by_css(page, f"#{target}")[0]
    assert item.get_attribute("open") is not None and item.get_attribute("data-rule") in links[3].text


def test_page_raises_no_console_errors(page):
    severe = [entry for entry in page.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_severity_filter_hides_and_restores(page, sample_report):
    section, doc = section_of(page, sample_report, "hotline")
    warnings = doc.count("warning")
    assert warnings and doc.count("error")
    chip = by_css(page, "label.chip.sev-warning", section)[0]
    chip.click()
    assert len(visible_rules(page, section)) == len(doc.findings) - warnings
    assert all(item.get_attribute("data-severity") == "error"
               for item in by_css(page, "[data-finding]", section) if item.is_displayed())
    assert by_css(page, "[data-shown]", section)[0].text == f"显示 {doc.count('error')} / {len(doc.findings)} 条"
    chip.click()
    assert len(visible_rules(page, section)) == len(doc.findings)


def test_rule_and_table_filters(page, sample_report):
    from selenium.webdriver.support.ui import Select

    section, doc = section_of(page, sample_report, "hotline")
    Select(by_css(page, 'select[data-filter="rule"]', section)[0]).select_by_value("SUM001")
    assert visible_rules(page, section) == [f.rule for f in doc.findings if f.rule == "SUM001"]
    Select(by_css(page, 'select[data-filter="rule"]', section)[0]).select_by_value("")
    Select(by_css(page, 'select[data-filter="table"]', section)[0]).select_by_value("general_budget_expenditure")
    assert visible_rules(page, section) == [f.rule for f in doc.findings if f.table == "general_budget_expenditure"]


def test_search_narrows_to_matching_findings(page, sample_report):
    section, doc = section_of(page, sample_report, "hotline")
    box = by_css(page, 'input[data-filter="search"]', section)[0]
    box.send_keys("2010302")
    expected = [f.rule for f in doc.findings
                if "2010302" in f.message["zh"] or any("2010302" in c.row for c in f.cells)]
    assert 0 < len(expected) < len(doc.findings)
    assert visible_rules(page, section) == expected
    box.clear()
    box.send_keys("没有这样的内容 zzz")
    assert visible_rules(page, section) == []
    assert by_css(page, "[data-no-match]", section)[0].is_displayed()


def test_one_click_opens_a_finding_to_its_highlighted_cells(page, sample_report):
    section, doc = section_of(page, sample_report, "hotline")
    index = next(j for j, f in enumerate(doc.findings) if f.rule == "SUM001")
    finding, item = doc.findings[index], by_css(page, f"#{section.get_attribute('id')}-f{index + 1}")[0]
    grid = by_css(page, "table.grid", item)[0]
    assert not grid.is_displayed()
    by_css(page, "summary", item)[0].click()
    assert grid.is_displayed()
    hits = by_css(page, "td.hit", grid)
    assert sorted(h.text for h in hits) == sorted(c.value for c in finding.cells)
    total = next(c for c in finding.cells if c.row.startswith("合"))
    row_of_total = next(h for h in hits if h.text == total.value).find_element("xpath", "..")
    assert row_of_total.find_element("css selector", "th.ln").text == str(total.source.line)
    assert total.column in [th.text for th in by_css(page, "thead th", grid)]


def test_cross_table_finding_shows_both_tables_with_line_numbers(page, sample_report):
    section, doc = section_of(page, sample_report, "xicheng")
    index = next(j for j, f in enumerate(doc.findings) if f.rule == "STR004")
    finding, item = doc.findings[index], by_css(page, f"#{section.get_attribute('id')}-f{index + 1}")[0]
    by_css(page, "summary", item)[0].click()
    captions = [c.text for c in by_css(page, "figcaption", item)]
    assert captions == ["表三 部门支出总体情况表", "表十二 部门整体支出绩效目标申报表"]
    hits = by_css(page, "td.hit", item)
    lines = [by_css(page, "sup.cell-line", h)[0].text for h in hits]  # each cell's own source line
    assert lines == [str(c.source.line) for c in finding.cells]
    assert [h.text.removesuffix(line) for h, line in zip(hits, lines)] == [c.value for c in finding.cells]


def test_planted_markup_runs_nothing(browser, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException

    path = tmp_path / "hostile.html"
    path.write_text(html.render(check_paths([str(hostile_copy(tmp_path))]), "zh"), "utf-8")
    browser.get(path.as_uri())
    for summary in by_css(browser, "[data-finding] > summary"):
        summary.click()  # open every finding, so every excerpt is rendered
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert browser.title == TITLE
    assert by_css(browser, "img") == [] and len(by_css(browser, "script")) == 2
    text = by_css(browser, "main")[0].text
    assert "行政运行<script>document.title='pwned'</script>" in text
    assert "budget-<img src=x onerror=alert(2)>.txt" in text


def test_screenshot_artifacts(page, sample_report, report_file, artifacts):
    """Screenshots for a human: the overview, and an opened table finding with its excerpt."""
    page.set_window_size(1280, 2400)
    page.execute_script("window.scrollTo(0, 0)")
    overview = artifacts / "html-report-overview.png"
    assert page.save_screenshot(str(overview))
    section, doc = section_of(page, sample_report, "hotline")
    index = next(j for j, f in enumerate(doc.findings) if f.rule == "SUM001")
    item = by_css(page, f"#{section.get_attribute('id')}-f{index + 1}")[0]
    by_css(page, "summary", item)[0].click()
    page.set_window_size(1280, 1400)
    page.execute_script("arguments[0].scrollIntoView()", item)
    finding = artifacts / "html-report-finding.png"
    assert page.save_screenshot(str(finding))
    for shot in (overview, finding):
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (artifacts / "html-report.html").write_bytes(report_file.read_bytes())
    page.set_window_size(1280, 1600)


@pytest.mark.parametrize("query", ["63234665.44", "63,234,665.44"])
def test_search_finds_a_figure_with_or_without_separators(page, sample_report, query):
    section, doc = section_of(page, sample_report, "xicheng")
    box = by_css(page, 'input[data-filter="search"]', section)[0]
    box.clear()
    box.send_keys(query)
    expected = [f.rule for f in doc.findings
                if "63,234,665.44" in f.message["zh"] or any(c.value == "63,234,665.44" for c in f.cells)]
    assert expected and visible_rules(page, section) == expected
    box.clear()


def test_printing_shows_every_finding_with_its_figures_and_excerpt(page, sample_report, tmp_path):
    """Chromium's own print (to PDF): every finding is expanded, with its figures and excerpt."""
    import base64

    from selenium.webdriver.common.print_page_options import PrintOptions

    pdf = tmp_path / "printed.pdf"
    pdf.write_bytes(base64.b64decode(page.print_page(PrintOptions())))
    import pdfplumber  # the PDF reader's own library: no poppler-utils needed

    with pdfplumber.open(pdf) as printed_pdf:
        printed = "\n".join(p.extract_text() or "" for p in printed_pdf.pages)
    flat = "".join(printed.split())
    doc = next(d for d in sample_report.documents if "hotline" in d.path)
    f = next(f for f in doc.findings if f.rule == "SUM001")
    from budget_audit.rules.findings import format_amount

    assert "核算值" + format_amount(f.expected, f.unit) in flat and "差额" + format_amount(f.difference, f.unit) in flat
    total = next(c for c in f.cells if c.row.startswith("合"))
    assert total.value in flat  # the excerpt's 合计 cell is printed
    assert "检查覆盖" in flat and "检查内容" in flat  # the coverage table too
    # after printing, the page is as it was: findings closed
    assert not any(item.get_attribute("open") for item in by_css(page, "[data-finding]"))
