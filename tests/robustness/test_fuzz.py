"""Mutated samples never produce a traceback: either a Document with findings or a LoadError;
and every report format renders every such document (the review's HTML crash on cut documents).

A few hundred examples run here; `tests/robustness/fuzz_many.py` runs >= 10,000.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings

from tests.robustness.mutations import (TEXTS, check_text, cut_or_indented_sample, mutated_sample,
                                        render_every_format)

SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW)
@given(mutated_sample())
def test_mutated_samples_never_crash(case):
    name, text = case
    result = check_text(text, name)
    assert result.status in ("pass", "fail", "error")
    assert not [f.rule for f in result.findings if f.extra.get("crashed")], "a check crashed"
    if result.status == "error":
        assert result.load_error and name in result.load_error


# 25 draws, each rendered in all 7 formats (9 renderings): a run misses one of the 3 samples or one
# of the 2 edits about once in 5,000 runs; the review's own cut point is pinned below
@settings(max_examples=25, deadline=None, suppress_health_check=SLOW)
@given(cut_or_indented_sample())
def test_every_format_renders_cut_and_reindented_documents(case):
    name, text = case
    result = check_text(text, name)
    assert not [f.rule for f in result.findings if f.extra.get("crashed")], "a check crashed"
    rendered = render_every_format([result])
    assert name in rendered["html-zh"] and name in rendered["junit-zh"]
    assert [d["path"] for d in json.loads(rendered["json-zh"])["documents"]] == [name]


def test_the_reviews_cut_point_renders_in_every_format():
    """`head -n 3587` of the district sample crashed the HTML report (pd.NA in _line_index)."""
    name = "xicheng-zhengwu-2021-budget.txt"
    cut = "\n".join(TEXTS[name].split("\n")[:3587])
    other = "beijing-12345-hotline-budget.txt"
    results = [check_text(cut, name), check_text(TEXTS[other], other)]
    assert results[0].status == "fail" and results[0].findings
    rendered = render_every_format(results)
    for f in results[1].findings:  # the other document's report is whole
        assert f'data-rule="{f.rule}"' in rendered["html-zh"]
    assert rendered["html-zh"].count("<details class=\"finding") == sum(len(r.findings) for r in results)
