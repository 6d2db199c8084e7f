"""Text exports: UTF-32 with a byte-order mark, invisible characters inside amounts (review item
19), and the size limits by lines and cells (not bytes)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from budget_audit.loaders import decode
from budget_audit.loaders.model import LoadError
from budget_audit.loaders.text import load, show_invisible
from tests.conftest import CENTER

CLI = str(Path(sys.executable).parent / "budget-audit")


def _findings(path) -> list:
    from budget_audit.reports.pipeline import check_document

    result = check_document(str(path))
    assert result.status != "error", result.load_error
    return [(f.rule, f.expected, f.actual, f.lines) for f in result.findings]


@pytest.fixture(scope="module")
def center_findings():
    return _findings(CENTER)


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-be"])
def test_utf32_with_bom_reads_like_utf8(tmp_path, encoding, center_findings):
    path = tmp_path / "center.txt"
    data = CENTER.read_text("utf-8").encode(encoding)
    if encoding == "utf-32-be":
        data = b"\x00\x00\xfe\xff" + data
    path.write_bytes(data)
    assert data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
    assert _findings(path) == center_findings


def test_broken_utf32_is_named_with_its_line(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("a\nb\nc".encode("utf-32") + b"\xff\xff\xff\x7f")
    with pytest.raises(LoadError) as caught:
        decode.read_text(str(path))
    assert caught.value.line == 3 and "UTF-32" in caught.value.reason


def test_zero_width_space_in_an_amount_is_named_at_its_line(tmp_path):
    lines = CENTER.read_text("utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "4,076.438884" in line)
    lines[number - 1] = lines[number - 1].replace("4,076.438884", "4\u200b,076.438884", 1)
    path = tmp_path / "zw.txt"
    path.write_text("\n".join(lines), "utf-8")
    run = subprocess.run([CLI, "check", "--format", "json", str(path)], capture_output=True, text=True, timeout=120)
    findings = json.loads(run.stdout)["documents"][0]["findings"]
    named = [f for f in findings if "〈U+200B〉" in f["message"]]
    assert named and named[0]["rule"] == "STR007" and number in named[0]["lines"]
    shown = lines[number - 1].replace("\u200b", "〈U+200B〉").strip()
    assert load(path).problems[-1] == {"kind": "invisible_character", "line": number, "characters": ["U+200B"],
                                       "in_amount": True, "text": shown}


def test_invisible_characters_outside_amounts_are_dropped(center_findings, tmp_path):
    text = CENTER.read_text("utf-8")
    text = text.replace("支出总表", "支出\u200b总表").replace("收支总表", "收支\u2060总表")
    assert show_invisible("预算\u200d表\t1\u00ad2")[0] == "预算表\t1〈U+00AD〉2"
    path = tmp_path / "titles.txt"
    path.write_text(text, "utf-8")
    found = _findings(path)
    # the tables are recognised and read as before; each line that held one is named (NAR033)
    assert [f for f in found if f[0] != "NAR033"] == center_findings
    assert len([f for f in found if f not in center_findings]) >= 2


def test_limits_are_by_lines_and_cells(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_bytes(b"\n" * (decode.MAX_LINES + 1))
    with pytest.raises(LoadError, match="more than 2,000,000 lines"):
        decode.read_text(str(lines))
    cells = tmp_path / "cells.txt"
    cells.write_bytes((b"\t" * 999 + b"\n") * (decode.MAX_CELLS // 1000 + 1))
    with pytest.raises(LoadError, match="cells"):
        decode.read_text(str(cells))
    long_line = tmp_path / "long.txt"
    long_line.write_bytes(b"a\nb\n" + b"x" * (decode.MAX_LINE_BYTES + 1))
    with pytest.raises(LoadError) as caught:
        decode.read_text(str(long_line))
    assert caught.value.line == 3
    fine = tmp_path / "fine.txt"
    fine.write_bytes(b"x\t1\n" * 100_000)  # larger than any sample, well inside the limits
    assert decode.read_text(str(fine)).count("\n") == 100_000
