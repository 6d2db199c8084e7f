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
        return None
    doc = (KINDS[rule.kind].__doc__ or "").strip()
    params = json.dumps(rule.params, ensure_ascii=False, indent=2)
    return (f"{rule.code} — {rule.title[lang]}\n"
            f"severity: {rule.severity}    kind: {rule.kind}    family: {rule.family}\n"
            f"params:\n{params}\n\n{doc}\n")
