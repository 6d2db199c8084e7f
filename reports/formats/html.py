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
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from budget_audit import __version__
from budget_audit.reports.formats.causes import cause_text, groups, marker, relation_lines
from budget_audit.reports.formats.ci import comparison, display_name, text
from budget_audit.reports.formats.html_coverage import coverage
from budget_audit.reports.formats.html_excerpts import Excerpter
from budget_audit.reports.formats.html_pages import PageImages
from budget_audit.reports.formats.places import failure_text, finding_places, guarded, load_error
from budget_audit.reports.report import AuditReport, DocumentResult
from budget_audit.reports.report_text import plural
from budget_audit.rules.findings import SEVERITIES, Finding

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
    getattr(report, "settle", lambda: None)()  # waivers may have been applied after the check
    style = (TEMPLATES / "report.css").read_text("utf-8")
    script = (TEMPLATES / "report.js").read_text("utf-8")
    documents = [guarded(lambda d: _document(d[0], d[1], words, lang), (i, doc),
                         lambda d, exc: _unrendered(d[0], d[1], words, lang, exc))
                 for i, doc in enumerate(report.documents, 1)]
    data = {"words": {"shown": words["shown"]},
            "search": {f["id"]: f["search"] for d in documents for f in d["findings"]}}
    return _environment().get_template("report.html.j2").render(
        lang=lang, w=words, count=lambda n, word: plural(n, word, lang), version=__version__, documents=documents, related=relation_lines(report, lang),
        summary=_summary(report, documents), families=_families(report, words, lang),
        style=Markup(style), script=Markup(script), data=Markup(script_json(data)),
        csp=f"default-src 'none'; style-src '{_digest(style)}'; script-src '{_digest(script)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'")


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element: no "<", ">" or "&" can end it or start a comment."""
    encoded = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _digest(content: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(content.encode("utf-8")).digest()).decode("ascii")


def _summary(report: AuditReport, documents: list[dict[str, Any]]) -> dict[str, int]:
    docs = report.documents
    return {"documents": len(docs), "pass": sum(d.status == "pass" for d in docs),
            "fail": sum(d.status == "fail" for d in docs), "unreadable": sum(d.status == "error" for d in docs),
            "error": report.errors, "warning": report.warnings,
            "info": sum(d.count("info") for d in docs),
            "checks_run": sum(d["checks_run"] for d in documents),
            "checks_failed": sum(d["checks_failed"] for d in documents)}


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
    """One document's section; a failure here shows on that document only (guarded)."""
    tables = {t.id: t for t in doc.tables}
    checked = coverage(doc, lang, _strings()["families"])
    excerpter = Excerpter(doc.document, tables, lang)
    pages = PageImages(doc.path)
    try:
        findings = [_finding(f"d{index}-f{j}", f, excerpter, tables, words, lang, pages)
                    for j, f in enumerate(doc.findings, 1)]
    finally:
        pages.close()
    causes, order = _causes(doc, findings, tables, lang)
    findings = [findings[i] for i in order]  # a cause's findings first, in its order
    filter_tables = sorted({(f["table_id"], f["table_name"]) for f in findings})
    return {
        "id": f"d{index}", "path": doc.path, "status": doc.status, "status_label": words[f"status_{doc.status}"],
        "load_error": load_error(doc, lang) if doc.status == "error" else None, "template": doc.template, "profile": doc.profile, "unit": doc.unit,
        "counts": {s: doc.count(s) for s in SEVERITIES}, "findings": findings, "causes": causes,
        "rules": sorted({f["rule"] for f in findings}), "tables": filter_tables,
        "checks_run": checked["run"], "checks_failed": checked["counts"]["failed"], "coverage": checked,
    }


def _unrendered(index: int, doc: DocumentResult, words: dict[str, str], lang: str, exc: Exception) -> dict[str, Any]:
    """The section of a document whose report could not be rendered: its counts and the reason."""
    return {"id": f"d{index}", "path": doc.path, "status": doc.status, "status_label": words[f"status_{doc.status}"],
            "load_error": failure_text(exc, lang), "template": doc.template, "profile": doc.profile,
            "unit": doc.unit, "counts": {s: doc.count(s) for s in SEVERITIES}, "findings": [], "causes": [], "rules": [],
            "tables": [], "checks_run": doc.checks_run, "checks_failed": doc.checks_failed, "coverage": None}


def _causes(doc: DocumentResult, findings: list[dict[str, Any]], tables: dict,
            lang: str) -> tuple[list[dict[str, Any]], list[int]]:
    """The likely causes, each with links to the findings it explains, and the order to list the
    findings in (a cause's findings first)."""
    position = {id(f): i for i, f in enumerate(doc.findings)}
    causes, order = [], []
    for cause, explained in groups(doc):
        members = [position[id(f)] for f in explained]
        order += members
        if cause is not None:
            causes.append({"found": cause.found, "text": cause_text(cause, len(members), tables, lang),
                           "findings": [findings[i] for i in members]})
    return causes, order


def _finding(ident: str, f: Finding, excerpter: Excerpter, tables: dict, words: dict[str, str],
             lang: str, pages: PageImages | None = None) -> dict[str, Any]:
    message, title = text(f.message, lang), text(f.title, lang)
    table_name = display_name(f.table or "", tables.get(f.table or ""), lang)
    shown = comparison(f, lang, tables)
    figures = None if shown is None else {"names": shown.labels, "amounts": shown.values, "sides": shown.sides,
                                          "difference": shown.difference, "unit": shown.unit}
    places = finding_places(f, lang, limit=6)
    try:
        own = [c for c in f.cells if "sibling" not in f.extra or c.source.file != f.extra["sibling"]
               and not str(c.source.file or "").startswith(f"{f.extra['sibling']}/")]
        found, excerpt_error = excerpter(own), ""  # a sibling's cells are not in this document
        for x in found if pages is not None else ():
            x.image = pages.image(x.sources)  # the printed page, for cells with a page and box
    except Exception as exc:  # a cell we cannot place must not lose the finding
        found, excerpt_error = [], failure_text(exc, lang)
    search = " ".join([f.rule, f.severity, words[f.severity], title, message, table_name, " ".join(places)]
                      + [f"{c.row} {c.column} {c.value or ''}" for c in f.cells]
                      + (list(shown.values) + [shown.difference] if shown else []))
    return {"id": ident, "rule": f.rule, "severity": f.severity, "title": title, "message": message,
            "waived": marker(f, lang),
            "family": f.family, "table_id": f.table or "", "table_name": table_name,
            "lines": places, "lines_text": ", ".join(places), "figures": figures,
            "excerpts": found, "excerpt_error": excerpt_error, "search": searchable(search)}


_GROUPED = re.compile(r"(?<=\d)[,，](?=\d{3})")


def searchable(value: str) -> str:
    """Lower-case search text that holds every figure with and without thousands separators, so
    '63234665.44' finds '63,234,665.44' (the page's script strips separators from the query too)."""
    plain = _GROUPED.sub("", value)
    return (value if plain == value else f"{value} {plain}").lower()
