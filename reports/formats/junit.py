"""JUnit XML for CI test views: a testsuite per document, a testcase per rule evaluated on it,
a failure for every rule that produced warnings or errors, listing its findings."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from budget_audit.reports.formats.ci import accepted_counts, accepted_note, figures, is_active, text
from budget_audit.reports.formats.places import anchor_cell, failure_text, guarded, load_error, place_label
from budget_audit.reports.report import AuditReport, DocumentResult

ADOPTION = "ADO"  # reports/adoption: findings about the waiver file
WORDS = {"zh": {"findings": "条问题", "colon": "：", "line": "行", "unreadable": "无法读取文件"},
         "en": {"findings": "findings", "colon": ": ", "line": "line", "unreadable": "the file cannot be read"}}


def render(report: AuditReport, lang: str = "zh") -> str:
    """The whole run as <testsuites>."""
    root = ET.Element("testsuites", name="budget-audit")
    for doc in report.documents:
        root.append(guarded(lambda d: _suite(d, lang), doc, lambda d, exc: _broken(d, exc, lang)))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    counts = accepted_counts(report)
    if any(counts.values()):  # suppressed findings pass; the counts stay visible
        properties = ET.Element("properties")
        for name in ("waived", "baselined", "fixed"):
            ET.SubElement(properties, "property", name=f"budget-audit.{name}", value=str(counts[name]))
        root.insert(0, properties)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(doc: DocumentResult, lang: str) -> ET.Element:
    words = WORDS[lang]
    suite = ET.Element("testsuite", name=doc.path)
    properties = ET.SubElement(suite, "properties")
    for name in ("template", "profile", "unit"):
        ET.SubElement(properties, "property", name=name, value=getattr(doc, name) or "")
    if doc.status == "error":
        case = ET.SubElement(suite, "testcase", classname=doc.path, name=words["unreadable"])
        reason = load_error(doc, lang)
        ET.SubElement(case, "error", message=reason, type="load-error").text = reason
        return _count(suite, tests=1, failures=0, errors=1)
    owned, orphans = _attribute(doc)
    tables = {t.id: t for t in doc.tables}
    for name, value in (("waived", sum(1 for f in doc.findings if f.waiver is not None)),
                        ("baselined", sum(1 for f in doc.findings if f.baselined and f.waiver is None))):
        ET.SubElement(properties, "property", name=name, value=str(value))
    failures = 0
    for check in doc.checks:
        case = ET.SubElement(suite, "testcase", classname=doc.path, name=f"{check.rule} {text(check.title, lang)}")
        findings = owned.get(check.rule, [])
        reason = getattr(check, "skipped", None)
        if reason:  # the rule did not apply to this document: a skipped case, with why
            ET.SubElement(case, "skipped", message=str(reason))
            continue
        serious = [f for f in findings if f.severity != "info"] or [f for f in orphans if f.severity != "info"]
        accepted = [f for f in serious if not is_active(f)]
        serious = [f for f in serious if is_active(f)]
        if check.failed and (serious or not accepted):  # a check whose findings are all accepted passes
            failures += 1
            worst = "error" if any(f.severity == "error" for f in serious) else check.severity
            message = f"{len(serious)} {words['findings']}{words['colon']}{text(serious[0].message, lang)}" \
                if serious else text(check.title, lang)
            failure = ET.SubElement(case, "failure", type=worst, message=message)
            failure.text = "\n".join(_line(f, words, lang, tables) for f in serious)
        notes = accepted + [f for f in findings if f.severity == "info"]
        if notes:
            ET.SubElement(case, "system-out").text = "\n".join(_line(f, words, lang, tables) for f in notes)
    skipped = sum(1 for c in doc.checks if getattr(c, "skipped", None))
    extra = [f for f in doc.findings if f.rule.startswith(ADOPTION)]
    for f in extra:  # findings about the waiver file: a failed case of their own, as any warning
        case = ET.SubElement(suite, "testcase", classname=doc.path, name=f"{f.rule} {text(f.title, lang)}")
        ET.SubElement(case, "failure", type=f.severity, message=text(f.message, lang)).text = _line(f, words, lang, tables)
        failures += 1
    return _count(suite, tests=len(doc.checks) + len(extra), failures=failures, errors=0, skipped=skipped)


def _broken(doc: DocumentResult, exc: Exception, lang: str) -> ET.Element:
    """The suite of a document whose results could not be written: one error naming why."""
    suite = ET.Element("testsuite", name=doc.path)
    case = ET.SubElement(suite, "testcase", classname=doc.path, name=doc.path)
    ET.SubElement(case, "error", message=failure_text(exc, lang), type="report-error")
    return _count(suite, tests=1, failures=0, errors=1)


def _attribute(doc: DocumentResult) -> tuple[dict[str, list], list]:
    """Findings by the check that produced them. A check may report under another code (a
    cross-table rule reports a unit-label error as STR004); those findings, when no check of
    that code ran, are attributed to the failed checks that have none of their own."""
    codes = {c.rule for c in doc.checks}
    owned: dict[str, list] = {}
    orphans = []
    for f in doc.findings:
        if f.rule.startswith(ADOPTION):  # about the waiver file, reported as cases of their own
            continue
        owner = f.extra.get("check", f.rule)
        if owner in codes:
            owned.setdefault(owner, []).append(f)
        else:
            orphans.append(f)
    return owned, orphans


def _count(suite: ET.Element, **counts: int) -> ET.Element:
    for key, value in counts.items():
        suite.set(key, str(value))
    return suite


def _line(finding, words: dict[str, str], lang: str, tables: dict | None = None) -> str:
    cell = anchor_cell(finding)
    spot = place_label(cell.source, lang) if cell is not None else ""
    amounts = figures(finding, lang, tables)
    note = accepted_note(finding, lang)
    return f"{note + ' ' if note else ''}[{finding.severity}] {spot + ': ' if spot else ''}{text(finding.message, lang)}" + \
        (f" ({amounts})" if amounts else "")
