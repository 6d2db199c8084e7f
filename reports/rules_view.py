"""`budget-audit rules` and `budget-audit explain CODE`."""

from __future__ import annotations

import json

from budget_audit.rules.ruleset import PROFILES, load_ruleset


def render_list(rules, lang: str = "zh") -> str:
    """One line per rule: code, kind, severity, title."""
    lines = [f"{r.code:<8} {r.severity:<8} {r.kind:<14} {r.title[lang]}" for r in rules]
    return "\n".join(lines) + "\n"


def find_rule(code: str, ruleset: str | None = None):
    """The rule with this code (any case) in a rule-set file, else in any shipped profile."""
    wanted = code.upper()
    for profile in ([ruleset] if ruleset else ["base", *PROFILES]):
        for rule in load_ruleset(profile):
            if rule.code.upper() == wanted:
                return rule
    if not ruleset:  # the batch rules (XD…) live beside their kind, not in a profile
        from budget_audit.rules.siblings import load_rules

        return next((r for r in load_rules() if r.code.upper() == wanted), None)
    return None


def render_explain(code: str, lang: str = "zh", ruleset: str | None = None) -> str | None:
    """The rule's title, parameters and its kind's documentation (What / Why / Passes / Fails)."""
    from budget_audit.reports.adoption.codes import explain as explain_adoption
    from budget_audit.rules.kinds import KINDS

    adoption_doc = explain_adoption(code, lang)
    if adoption_doc:
        return adoption_doc
    if code.lower() in KINDS:
        return kind_doc(code.lower(), lang) + "\n"
    rule = find_rule(code, ruleset)
    if rule is None:
        return _explain_unit_rule(code.upper(), lang)
    words = WORDS[lang]
    return (f"{rule.code} — {rule.title[lang]}\n"
            f"{words['severity']}: {SEVERITY_WORDS[lang].get(rule.severity, rule.severity)}    "
            f"{words['kind']}: {rule.kind}    {words['family']}: {rule.family}\n"
            f"{words['params']}:\n{compact_params(rule.params)}\n\n{kind_doc(rule.kind, lang)}\n")


SEVERITY_WORDS = {"zh": {"error": "错误 error", "warning": "警告 warning", "info": "提示 info"},
                  "en": {"error": "error", "warning": "warning", "info": "info"}}
WORDS = {"zh": {"severity": "严重程度", "kind": "类型", "family": "类别", "params": "参数"},
         "en": {"severity": "severity", "kind": "kind", "family": "family", "params": "params"}}
# The kinds' docstrings are English; their headings are given in Chinese too.
HEADINGS_ZH = {"What it checks:": "检查内容 What it checks:", "Why it matters:": "为何重要 Why it matters:",
               "Passes:": "通过示例 Passes:", "Fails:": "不通过示例 Fails:", "Example:": "写法示例 Example:"}


def kind_doc(kind: str, lang: str) -> str:
    """A kind's documentation, with Chinese headings in the zh UI."""
    from budget_audit.rules.kinds import KINDS

    if kind == "cross-document":
        from budget_audit.rules.siblings import cross_document as module
    else:
        module = KINDS[kind]
    doc = (module.__doc__ or "").strip()
    if lang == "zh":
        for heading, zh in HEADINGS_ZH.items():
            doc = doc.replace(heading, zh)
    return doc


def compact_params(params: dict, width: int = 100, limit: int = 12) -> str:
    """One line per parameter, long values cut to the width; at most `limit` lines."""
    lines = []
    for key, value in params.items():
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
        lines.append(f"  {key}: {text if len(text) <= width else text[:width - 1] + '…'}")
    if len(lines) > limit:
        lines = lines[:limit] + [f"  … ({len(lines) - limit} more)"]
    return "\n".join(lines)


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
