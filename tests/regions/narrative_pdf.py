"""The narrative text of a corpus PDF, read the way the PDF reader gives it to the rules: one
Paragraph per printed text line outside the ruled tables, numbered in reading order, with
Document.places holding each line's page, box and (for a two-file publication) file. The
narrative checks read only this text; the tables are the PDF reader's (tests/loaders)."""

from __future__ import annotations

import hashlib
import json
import tempfile
from functools import lru_cache
from pathlib import Path

from budget_audit.loaders.model import Document, Paragraph, SourceLocation
from budget_audit.rules import engine
from budget_audit.rules.ruleset import SETS, load_ruleset

PDF = Path(__file__).resolve().parents[1] / "data" / "pdf"


CACHE = Path(tempfile.gettempdir()) / "budget-audit-test-narrative"   # parsing a PDF takes seconds


def _lines(file: Path) -> list[tuple[str, int, tuple[float, float, float, float]]]:
    """(text, page, box) of the text lines outside ruled tables, cached by the file's content."""
    key = hashlib.sha256(file.read_bytes()).hexdigest()[:20]
    cached = CACHE / f"{key}.json"
    if cached.exists():
        return [(t, p, tuple(b)) for t, p, b in json.loads(cached.read_text("utf-8"))]
    import pdfplumber

    out = []
    with pdfplumber.open(file) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            grids = [t.bbox for t in page.find_tables()]
            for line in page.extract_text_lines():
                x, y = (line["x0"] + line["x1"]) / 2, (line["top"] + line["bottom"]) / 2
                if not any(g[0] <= x <= g[2] and g[1] <= y <= g[3] for g in grids):
                    out.append((line["text"], number, (line["x0"], line["top"], line["x1"], line["bottom"])))
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(out, ensure_ascii=False), "utf-8")
    return out


@lru_cache(maxsize=None)
def narrative(name: str, year: int) -> Document:
    """The text lines of tests/data/pdf/<name> (a PDF, or a folder of the two PDFs of one publication)."""
    path = PDF / name
    files = sorted(path.glob("*.pdf")) if path.is_dir() else [path]
    paragraphs, places = [], {}
    for file in files:
        for text, page, box in _lines(file):
            paragraphs.append(Paragraph(text, len(paragraphs) + 1))
            places[len(paragraphs)] = SourceLocation(page=page, bbox=box, file=file.name if len(files) > 1 else None)
    return Document(path=str(path), template=None, year=year, unit="万元", paragraphs=paragraphs, places=places)


def findings(name: str, year: int):
    """(rule, severity, file, page, the first cited figure) of every error and warning of the
    narrative rules, and the outcome."""
    document = narrative(name, year)
    outcome = engine.run(document, load_ruleset(str(SETS / "narrative.yaml")))
    found = []
    for f in outcome.findings:
        if f.severity in ("error", "warning"):
            place = f.cells[0].source
            found.append((f.rule, f.severity, place.file, place.page, f.cells[0].value))
    return sorted(found, key=lambda t: (t[2] or "", t[3] or 0, t[0], t[4])), outcome


# ---- the real CLI path: the PDF reader's document, the profile's rule set ----
PROFILES = {"sh_*_budget_unit*": "shanghai_unit_budget", "sh_*_final*": "shanghai_final", "sh_*": "shanghai_budget",
            "js_*": "jiangsu_budget"}


def profile(name: str) -> str:
    from fnmatch import fnmatch

    return next((p for pattern, p in PROFILES.items() if fnmatch(name, pattern)), "")


@lru_cache(maxsize=None)
def _batch(profile_name: str) -> dict[str, dict]:
    """`budget-audit check --profile P --format json` over every corpus file of the profile, once."""
    import subprocess
    import sys

    names = sorted(p.name for p in PDF.iterdir() if (p.suffix == ".pdf" or p.is_dir()) and profile(p.name) == profile_name)
    out = subprocess.run([sys.executable, "-m", "budget_audit.reports.cli", "check", "--profile", profile_name,
                          "--select", "NAR", "--format", "json", *(str(PDF / n) for n in names)],
                         capture_output=True, text=True, check=False, timeout=600)
    assert out.returncode in (0, 1, 2), out.stderr
    documents = json.loads(out.stdout)["documents"]
    return {Path(d["path"]).name: d for d in documents}


def read_through_cli(name: str) -> bool:
    """The document loads and its narrative reaches the rules (at least 50 figures read)."""
    document = cli_report(name)
    return not document.get("load_error") and (document.get("claims") or {}).get("found", 0) >= 50


def cli_report(name: str) -> dict:
    """The JSON report of one corpus document, checked through the CLI with its profile."""
    return _batch(profile(name))[name]


def cli_findings(name: str) -> list[tuple]:
    """(rule, severity, file, page, the first cited figure) of every narrative error and warning
    the CLI reports on the document."""
    document = cli_report(name)
    found = []
    for f in document["findings"]:
        if f["rule"].startswith("NAR") and f["severity"] in ("error", "warning"):
            source = f["cells"][0]["source"]
            found.append((f["rule"], f["severity"], source.get("file"), source.get("page"), f["cells"][0]["value"]))
    return sorted(found, key=lambda t: (t[2] or "", t[3] or 0, t[0], str(t[4])))


def reviewed_cli_tests(expected: dict, false: list, lost: list):
    """The three CLI tests each region pins its corpus with: the reviewed findings (known false ones
    aside), and strict xfails for each false finding that must go and each real error not yet found.
    Returned as (test functions) for the region's module to bind to its own test names."""
    import pytest

    @pytest.mark.parametrize("name", sorted(expected))
    def reviewed(name):
        known_false = {f for doc, f, _ in false if doc == name}
        assert [f for f in cli_findings(name) if f not in known_false] == expected[name]

    @pytest.mark.parametrize("name, finding", [
        pytest.param(name, finding, marks=pytest.mark.xfail(strict=True, reason=reason))
        for name, finding, reason in false])
    def no_false(name, finding):
        assert finding not in cli_findings(name)

    @pytest.mark.parametrize("name, finding", [
        pytest.param(name, finding, marks=pytest.mark.xfail(strict=True, reason=reason))
        for name, finding, reason in lost])
    def real_found(name, finding):
        assert finding in cli_findings(name)

    return reviewed, no_false, real_found
