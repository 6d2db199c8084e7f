"""The old binary form (.xls) of the official workbook reads exactly as the .xlsx of the same content."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from budget_audit.loaders import xls, xlsx
from budget_audit.loaders.model import LoadError
from budget_audit.rules.engine import run
from budget_audit.rules.ruleset import load_ruleset

DATA = Path(__file__).parents[1] / "data" / "xlsx"
XLS = DATA / "sh_putuo_zhengfuban_2025_budget_unit.xls"  # build_fixtures.py: the unit .xlsx saved as .xls
XLSX = DATA / "sh_putuo_zhengfuban_2025_budget_unit.xlsx"
FORM_XLS = DATA / "templates" / "putuo_budget_template.xls"  # the official empty form, as published
FORM_XLSX = DATA / "templates" / "putuo_2026_unit_budget_template.xlsx"


def _key(finding):
    return (finding.rule, finding.severity, finding.message["zh"],
            tuple((c.table, c.row, c.column, c.value, c.source) for c in finding.cells))


def test_xls_reads_as_the_xlsx_of_the_same_content():
    old, new = xls.load(XLS), xlsx.load(XLSX)
    assert (old.template, old.year, old.unit, old.problems) == ("shanghai_unit_budget", 2025, "元", [])
    assert list(old.tables) == list(new.tables) and len(old.tables) == 9
    for table_id, table in new.tables.items():
        assert old.tables[table_id].frame.astype(str).equals(table.frame.astype(str)), table_id
    assert old.places == new.places  # the same sheet!ref for every cell and paragraph
    assert [p.text for p in old.paragraphs] == [p.text for p in new.paragraphs]
    rules = load_ruleset("shanghai_unit_budget")
    found = sorted(map(_key, run(old, rules).findings))
    assert found and found == sorted(map(_key, run(new, rules).findings))


def test_official_xls_form_recognised_as_its_xlsx_form():
    old, new = xls.load(FORM_XLS), xlsx.load(FORM_XLSX)
    assert list(old.tables) == list(new.tables) and "three_public_funds" in old.tables
    assert old.places == new.places
    assert {old.where(t.source).sheet for t in old.tables.values()} >= {"单位收支总表", "单位“三公”经费和机关运行费预算表"}


def _refused(path: Path, match: str) -> str:
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(LoadError, match=match) as error:
        xls.load(path)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert str(path) in str(error.value)
    return str(error.value)


def test_xls_bad_input(tmp_path):
    cut = tmp_path / "cut.xls"
    cut.write_bytes(XLS.read_bytes()[:4000])
    _refused(cut, "damaged or truncated")
    renamed = tmp_path / "renamed.xls"
    renamed.write_bytes(XLSX.read_bytes())
    _refused(renamed, "rename it to .xlsx")
    other = tmp_path / "notes.xls"
    other.write_text("收入总计\t100\n", encoding="utf-8")
    _refused(other, "not an .xls file")


def test_xls_with_macros_refused(tmp_path):
    data = bytearray(XLS.read_bytes())
    name = "Workbook".encode("utf-16-le")
    entry = data.index(name)  # the OLE directory entry of the workbook stream; the next one is free
    vba = "_VBA_PROJECT_CUR".encode("utf-16-le") + b"\0\0"
    data[entry + 128: entry + 128 + len(vba)] = vba
    path = tmp_path / "macros.xls"
    path.write_bytes(bytes(data))
    _refused(path, "holds macros")
