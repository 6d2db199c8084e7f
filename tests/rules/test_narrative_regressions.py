"""Regressions of the narrative checks found by review (issue 9, hostile review items 5 and 19)."""

from __future__ import annotations

from budget_audit.rules import engine
from budget_audit.rules.kinds import narrative_claim
from budget_audit.rules.ruleset import SETS, load_ruleset

NARRATIVE = str(SETS / "narrative.yaml")


def test_space_indented_export_checks_without_a_crash(tmp_path):
    """`sed 's/^\\t/    /'` of sample 001: the tables lose their rows, and the project match of
    绩效目标项目 met an empty table (`mask &= []` raised TypeError and killed the batch)."""
    from budget_audit.loaders import load
    from tests.conftest import DISTRICT

    text = DISTRICT.read_text("utf-8")
    spaced = "\n".join("    " + line[1:] if line.startswith("\t") else line for line in text.split("\n"))
    path = tmp_path / "spaced.txt"
    path.write_text(spaced, "utf-8")
    document = load(path)
    rules = load_ruleset(NARRATIVE)
    outcome = engine.run(document, rules)
    assert not [f for f in outcome.findings if f.extra.get("crashed")]
    stats = narrative_claim.stats(document, rules)
    assert stats["found"] == 62 and stats["checked"] + stats["not_checkable"] == 62


def test_not_checkable_notes_name_their_year(documents):
    """Line 79 states 0辆 for 2021 and for 2020: one note (same line, subject and reason) naming both years;
    no two notes read the same."""
    outcome = engine.run(documents["xicheng-zhengwu-2021-budget.txt"], load_ruleset(NARRATIVE))
    notes = [f for f in outcome.findings if f.rule == "NAR090"]
    for lang in ("zh", "en"):
        messages = [f.message[lang] for f in notes]
        assert len(set(messages)) == len(messages), messages
    (at_79,) = [f.message["zh"] for f in notes if f.lines == [79]]
    assert "2021、2020年" in at_79 and "“0辆”×2" in at_79
