"""`budget-audit rules` and `budget-audit explain CODE`."""

from __future__ import annotations

import json

from budget_audit.rules.ruleset import PROFILES, load_ruleset


def render_list(rules, lang: str = "zh") -> str:
    """One line per rule: code, kind, severity, title."""
    lines = [f"{r.code:<8} {r.severity:<8} {r.kind:<14} {r.title[lang]}" for r in rules]
    return "\n".join(lines) + "\n"


def find_rule(code: str):
    """The rule with this code in any shipped profile."""
    for profile in ("base", *PROFILES):
        for rule in load_ruleset(profile):
            if rule.code == code:
                return rule
    return None


def render_explain(code: str, lang: str = "zh") -> str | None:
    """The rule's title, parameters and its kind's documentation (What / Why / Passes / Fails)."""
    from budget_audit.rules.kinds import KINDS

    if code in KINDS:
        return (KINDS[code].__doc__ or "").strip() + "\n"
    rule = find_rule(code)
    if rule is None:
        return _explain_unit_rule(code, lang)
    doc = (KINDS[rule.kind].__doc__ or "").strip()
    params = json.dumps(rule.params, ensure_ascii=False, indent=2)
    return (f"{rule.code} — {rule.title[lang]}\n"
            f"severity: {rule.severity}    kind: {rule.kind}    family: {rule.family}\n"
            f"params:\n{params}\n\n{doc}\n")


def _explain_unit_rule(code: str, lang: str) -> str | None:
    """A code that cross-table rules report when a unit label is wrong (params.unit_rule)."""
    from budget_audit.rules.kinds import KINDS

    reporters = sorted({r.code for p in ("base", *PROFILES) for r in load_ruleset(p)
                        if r.params.get("unit_rule") == code})
    if not reporters:
        return None
    title = {"zh": "单位标注与数字不符", "en": "Unit label contradicts the figures"}[lang]
    doc = (KINDS["cross-table"].__doc__ or "").strip()
    return (f"{code} — {title}\nseverity: error    reported by: {', '.join(reporters)} (cross-table, params.unit_rule)\n"
            f"A table's figures match the other table only when read in 元 although its label says 万元 (or the\n"
            f"reverse): the unit label, not the amount, is wrong.\n\n{doc}\n")
