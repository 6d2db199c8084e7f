"""Property: one number of a verifiable narrative claim changed by one unit of its last digit
is caught by a narrative finding (error or warning) that cites that line."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from budget_audit.loaders.decode import read_text
from budget_audit.loaders.text import from_text
from budget_audit.rules import engine
from budget_audit.rules.narrative.claims import extract
from budget_audit.rules.narrative.coverage import verdicts
from budget_audit.rules.narrative.verdicts import Context
from budget_audit.rules.ruleset import SETS, load_ruleset

DISTRICT = Path(__file__).resolve().parents[2] / "samples" / "xicheng-zhengwu-2021-budget.txt"
RULES = load_ruleset(str(SETS / "narrative.yaml"))
TEXT = read_text(str(DISTRICT)).replace("\r\n", "\n").replace("\r", "\n")
LINES = TEXT.split("\n")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _failing(document) -> set[tuple]:
    outcome = engine.run(document, RULES)
    return {(f.rule, f.expected, f.actual, tuple(f.lines)) for f in outcome.findings
            if f.severity in ("error", "warning")}


BASELINE = from_text(TEXT, str(DISTRICT))
BEFORE = _failing(BASELINE)
CLAIMS = extract(BASELINE.paragraphs, BASELINE.year)
CHECKED = {c.id for v in verdicts(Context(BASELINE, CLAIMS), list(RULES)) for c in v.claims}
VERIFIABLE = [c for c in CLAIMS if c.id in CHECKED and c.kind != "equal"]


def mutate(claim, step: int) -> str | None:
    """The sample's text with the claim's number moved by `step` units of its last digit."""
    raw = LINES[claim.line - 1]
    paragraph = next(p for p in BASELINE.paragraphs if p.line == claim.line)
    offset = raw.index(paragraph.text)
    span_start, span_end = offset + claim.start, offset + claim.end
    number = NUMBER.search(raw, span_start, span_end)
    value = Decimal(number.group().replace(",", "")) + step * Decimal(1).scaleb(-claim.decimals)
    if value < 0:
        return None
    printed = f"{value:,.{claim.decimals}f}" if "," in number.group() else f"{value:.{claim.decimals}f}"
    lines = list(LINES)
    lines[claim.line - 1] = raw[:number.start()] + printed + raw[number.end():]
    return "\n".join(lines)


def test_the_sample_has_verifiable_claims_of_every_kind():
    assert {c.kind for c in VERIFIABLE} == {"amount", "difference", "rate", "share", "count"}
    assert len(VERIFIABLE) == 42   # the 46 checked claims less the four 一致


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim=st.sampled_from(VERIFIABLE), step=st.sampled_from([1, -1]))
def test_a_changed_number_is_caught_on_its_line(claim, step):
    text = mutate(claim, step)
    assume(text is not None)
    after = _failing(from_text(text, str(DISTRICT)))
    new = [f for f in after - BEFORE if claim.line in f[3]]
    assert new, f"line {claim.line}: {claim.text} moved by {step} was not caught"


@pytest.mark.parametrize("line, printed, changed", [
    (46, "63,268,913.02", "63,268,913.03"),   # last year's income: the stated change no longer fits
    (50, "24.47%", "24.46%"),                 # a share truncated instead of rounded
    (96, "6项", "7项"),                        # one project too many
    (108, "283.11万元", "283.12万元"),         # beyond the rounding of 万元 with two decimals
])
def test_examples_of_changed_numbers(line, printed, changed):
    lines = list(LINES)
    assert printed in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(printed, changed, 1)
    new = _failing(from_text("\n".join(lines), str(DISTRICT))) - BEFORE
    assert any(line in lines_cited for _, _, _, lines_cited in new)
