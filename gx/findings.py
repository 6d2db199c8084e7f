"""GX's verdicts as findings: the native kind's finding for each comparison GX reports, and a
plain warning wherever GX and the native kind disagree (a bug in one of them)."""

from __future__ import annotations

from budget_audit.gx.frames import Comparisons
from budget_audit.rules.findings import Finding


def decided(rule, part: Comparisons, native: list[Finding], exact: set, beyond: set | None) -> list[Finding]:
    """The findings of GX's unexpected rows, worded by the native finding of the same comparison."""
    # the native kind yields one finding per differing comparison, in comparison order
    # (a figure the finding leaves out, such as a unit-label finding's, matches any value)
    native_at, pending = {}, list(native)
    for n, (actual, expected, _, _) in enumerate(part.rows):
        if pending and _differs(part.relation, actual, expected) and \
                pending[0].expected in (expected, None) and pending[0].actual in (actual, None):
            native_at[n] = pending.pop(0)
    out = []
    for n in sorted(set(exact) | set(native_at)):
        fails = n in (beyond if beyond is not None else exact)
        finding = native_at.get(n)
        if n in exact and finding is not None:
            out.append(finding)
            native_fails = not (finding.severity == "info" and rule.severity != "info")
            if fails != native_fails:
                out.append(_mismatch(rule, part, n, "beyond rounding" if fails else "within rounding"))
        else:
            out.append(_mismatch(rule, part, n, "differs" if n in exact else "holds"))
    for finding in pending:  # a native finding no comparison stands for: kept, and said so
        out += [finding, Finding(rule=rule.code, severity="warning", family=rule.family, title=rule.title,
                                 table=part.home, message={
                                     "zh": f"规则 {rule.code} 的一项结论未能与 GX 的比较对应：请报告此问题",
                                     "en": f"A finding of {rule.code} matches no comparison GX checked; please report this"},
                                 extra={"engine_mismatch": "unpaired"})]
    return out


def _differs(relation: str, actual: int, expected: int) -> bool:
    """Whether a native kind reports this comparison at all (pairing only; GX gives the verdicts)."""
    return actual < expected if relation == "ge" else actual > expected if relation == "le" else actual != expected


def _mismatch(rule, part: Comparisons, n: int, gx_says: str) -> Finding:
    """A comparison GX and the native kind judge differently: a bug in one of them, said plainly."""
    actual, expected, _, _ = part.rows[n]
    zh = {"differs": "不符", "holds": "相符", "beyond rounding": "超出舍入范围", "within rounding": "在舍入范围内"}[gx_says]
    return Finding(rule=rule.code, severity="warning", family=rule.family, title=rule.title, table=part.home,
                   expected=expected, actual=actual,
                   message={"zh": f"GX 判定「{part.keys[n]}」{zh}，与本工具原生引擎的结论不同：请报告此问题",
                            "en": f"GX says {part.keys[n]} {gx_says}, unlike the native engine; please report this"},
                   extra={"engine_mismatch": gx_says})
