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


def _build_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("office", DATA / "office.py")  # the fixtures' .xls writer
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _small_book(path: Path, hidden: bool) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "部门收支总表"
    for row in (["2025年部门财务收支预算总表"], ["编制部门：某局", "", "", "单位：元"], ["项目", "预算数", "项目", "预算数"],
                ["一、财政拨款收入", 100.0, "一、一般公共服务支出", 100.0], ["收入总计", 100.0, "支出总计", 100.0]):
        sheet.append(row)
    if hidden:  # between the cover and the table: its text would become narrative or rows
        helper = book.create_sheet("下拉列表", 0)
        helper["A1"], helper["B1"] = "比2024年预算增加100万元", "=1+1"
        helper.sheet_state = "hidden"
    book.save(path)
    return path


def test_hidden_sheets_are_not_read(tmp_path):
    """A helper sheet the preparer hid is not printed, so not published: neither reader reads it."""
    plain = xlsx.load(_small_book(tmp_path / "plain.xlsx", hidden=False))
    assert "income_expenditure_summary" in plain.tables
    hidden = _small_book(tmp_path / "hidden.xlsx", hidden=True)
    assert xlsx.load(hidden).places == plain.places  # nor is its uncalculated formula refused
    _build_script().to_xls(hidden, tmp_path / "hidden.xls")
    assert xls.load(tmp_path / "hidden.xls").places == plain.places


def test_encrypted_xls(tmp_path):
    """A password-protected .xls holds a FILEPASS record after its first BOF: put one in place of
    the same-sized INTERFACEHDR record (type 0x00E1, 2 bytes) that xlwt writes there."""
    data = bytearray(XLS.read_bytes())
    bof = data.index(b"\x09\x08\x10\x00")  # BOF, BIFF8, 16 bytes of data
    after = bof + 4 + 16
    assert data[after:after + 4] == b"\xe1\x00\x02\x00"
    data[after:after + 2] = b"\x2f\x00"  # FILEPASS
    path = tmp_path / "locked.xls"
    path.write_bytes(bytes(data))
    _refused(path, "encrypted")
