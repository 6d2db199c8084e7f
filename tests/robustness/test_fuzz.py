"""Mutated samples never produce a traceback: either a Document with findings or a LoadError.

A few hundred examples run here; `tests/robustness/fuzz_many.py` runs >= 10,000.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.robustness.mutations import check_text, mutated_sample


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_sample())
def test_mutated_samples_never_crash(case):
    name, text = case
    result = check_text(text, name)
    assert result.status in ("pass", "fail", "error")
    assert not [f.rule for f in result.findings if f.extra.get("crashed")], "a check crashed"
    if result.status == "error":
        assert result.load_error and name in result.load_error
