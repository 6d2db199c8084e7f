"""The HTML audit report: one self-contained file (inline CSS and JS, nothing fetched).

Every piece of document text goes through Jinja2 autoescaping; the data the page's script reads
is JSON inside <script type="application/json"> with "<" written as \\u003c, and the script
only ever sets textContent. A Content-Security-Policy with the hashes of our own style and
script blocks forbids anything else from loading or running.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from budget_audit import __version__
from budget_audit.reports.formats.ci import display_name, text
from budget_audit.reports.formats.html_excerpts import excerpts
from budget_audit.reports.report import AuditReport, DocumentResult
from budget_audit.rules.findings import SEVERITIES, Finding, format_amount

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CHART_X, CHART_SCALE = 200, 3.8  # the bar track in the overview chart: x and px per percent


@lru_cache(maxsize=1)
def _strings() -> dict[str, Any]:
    import yaml

    return yaml.safe_load((TEMPLATES / "words.yaml").read_text("utf-8"))


@lru_cache(maxsize=1)
def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def render(report: AuditReport, lang: str = "zh") -> str:
    """The whole report as one HTML page."""
    from markupsafe import Markup

    words = _strings()["words"][lang]
    style = (TEMPLATES / "report.css").read_text("utf-8")
    script = (TEMPLATES / "report.js").read_text("utf-8")
    documents = [_document(i, doc, words, lang) for i, doc in enumerate(report.documents, 1)]
    data = {"words": {"shown": words["shown"]},
            "search": {f["id"]: f["search"] for d in documents for f in d["findings"]}}
    return _environment().get_template("report.html.j2").render(
        lang=lang, w=words, version=__version__, documents=documents,
        summary=_summary(report), families=_families(report, words, lang),
        style=Markup(style), script=Markup(script), data=Markup(script_json(data)),
        csp=f"default-src 'none'; style-src '{_digest(style)}'; script-src '{_digest(script)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can end it or start a comment."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _digest(content: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii")


def _summary(report: AuditReport) -> dict[str, int]:
    docs = report.documents
    return {"documents": len(docs), "pass": sum(d.status == "pass" for d in docs),
            "fail": sum(d.status == "fail" for d in docs), "unreadable": sum(d.status == "error" for d in docs),
            "error": report.errors, "warning": report.warnings,
            "info": sum(d.count("info") for d in docs),
            "checks_run": sum(d.checks_run for d in docs), "checks_failed": sum(d.checks_failed for d in docs)}


def _families(report: AuditReport, words: dict[str, str], lang: str) -> list[dict[str, Any]]:
    """Findings per rule family and severity, with bar widths for the overview chart."""
    counts: dict[str, Counter] = {}
    for doc in report.documents:
        for check in doc.checks:
            counts.setdefault(check.family, Counter())
        for f in doc.findings:
            counts.setdefault(f.family or f.rule.rstrip("0123456789"), Counter())[f.severity] += 1
    top = max((sum(c.values()) for c in counts.values()), default=0) or 1
    rows = []
    for family in sorted(counts):
        c, offset, bars = counts[family], 0.0, []
        for severity in SEVERITIES:
            width = 100.0 * c[severity] / top
            if c[severity]:
                bars.append({"severity": severity, "x": round(CHART_X + offset * CHART_SCALE, 1),
                             "width": round(width * CHART_SCALE, 1), "n": c[severity],
                             "label": f"{words[severity]} {c[severity]}"})
            offset += width
        name = _strings()["families"].get(family, {}).get(lang, "")
        rows.append({"family": family, "name": name, "total": sum(c.values()), "bars": bars,
                     **{s: c[s] for s in SEVERITIES}})
    return rows


def _document(index: int, doc: DocumentResult, words: dict[str, str], lang: str) -> dict[str, Any]:
    tables = {t.id: t for t in doc.tables}
    findings = [_finding(f"d{index}-f{j}", f, doc, tables, lang) for j, f in enumerate(doc.findings, 1)]
    filter_tables = sorted({(f["table_id"], f["table_name"]) for f in findings})
    return {
        "id": f"d{index}", "path": doc.path, "status": doc.status, "status_label": words[f"status_{doc.status}"],
        "load_error": doc.load_error, "template": doc.template, "profile": doc.profile, "unit": doc.unit,
        "counts": {s: doc.count(s) for s in SEVERITIES}, "findings": findings,
        "rules": sorted({f["rule"] for f in findings}), "tables": filter_tables,
        "checks_run": doc.checks_run, "checks_failed": doc.checks_failed,
        "coverage": _coverage(doc, lang),
    }


def _finding(ident: str, f: Finding, doc: DocumentResult, tables: dict, lang: str) -> dict[str, Any]:
    message, title = text(f.message, lang), text(f.title, lang)
    table_name = display_name(f.table or "", tables.get(f.table or ""), lang)
    figures = None
    if f.expected is not None and f.actual is not None:
        unit = f.unit or "元"
        figures = {"expected": format_amount(f.expected, unit), "actual": format_amount(f.actual, unit),
                   "difference": format_amount(f.difference, unit), "unit": unit}
    lines = f.lines
    search = " ".join([f.rule, f.severity, title, message, table_name, " ".join(map(str, lines))]
                      + [f"{c.row} {c.column} {c.value or ''}" for c in f.cells])
    return {"id": ident, "rule": f.rule, "severity": f.severity, "title": title, "message": message,
            "family": f.family, "table_id": f.table or "", "table_name": table_name,
            "lines": lines, "lines_text": _lines_text(lines), "figures": figures,
            "excerpts": excerpts(f.cells, doc.document, tables, lang), "search": search.lower()}


def _lines_text(lines: list[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:6])
    return shown + (f" … (+{len(lines) - 6})" if len(lines) > 6 else "")


def _coverage(doc: DocumentResult, lang: str) -> list[dict[str, Any]]:
    """Every rule evaluated, grouped by family, with how many findings it produced."""
    found = Counter(f.rule for f in doc.findings)
    groups: dict[str, list[dict[str, Any]]] = {}
    for check in sorted(doc.checks, key=lambda c: (c.family, c.rule)):
        groups.setdefault(check.family, []).append({
            "rule": check.rule, "title": text(check.title, lang),
            "severity": check.severity, "failed": check.failed, "findings": found[check.rule]})
    return [{"family": family, "name": _strings()["families"].get(family, {}).get(lang, ""), "checks": checks,
             "passed": sum(not c["failed"] for c in checks)} for family, checks in groups.items()]
