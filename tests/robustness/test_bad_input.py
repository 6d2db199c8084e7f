"""The catalogue of bad inputs: each gets one clear message (file, line, reason), exit 2 when
nothing could be checked, the rest of a batch is still checked, and inputs are never modified."""

from __future__ import annotations

import re

import hashlib
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ALL_SAMPLES, CENTER, HOTLINE

CLI = str(Path(sys.executable).parent / "budget-audit")


def run(*args, **kwargs):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300, **kwargs)


def report_of(*paths):
    """The JSON report of a run, validated against the contract."""
    import jsonschema

    from tests.conftest import CONTRACT, LOCAL_CONTRACT

    result = run("check", "--format", "json", *paths)
    report = json.loads(result.stdout)
    schema = CONTRACT if CONTRACT.exists() else LOCAL_CONTRACT
    jsonschema.validate(report, json.loads(schema.read_text("utf-8")))
    return result, report


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le"])
def test_encodings_give_identical_findings(tmp_path, encoding):
    text = HOTLINE.read_text("utf-8")
    if encoding == "utf-16-le":  # no BOM: detection has to work from the bytes
        data = text.encode("utf-16-le")
    else:
        data = text.encode(encoding)
    copy = tmp_path / HOTLINE.name
    copy.write_bytes(data)
    _, original = report_of(HOTLINE)
    _, recoded = report_of(copy)
    strip = lambda r: [(f["rule"], f["expected"], f["actual"], f["lines"], f["message"]) for f in r["documents"][0]["findings"]]
    assert strip(recoded) == strip(original)


BAD = {
    "empty.txt": (b"", "file is empty"),
    "binary.txt": (bytes(range(256)) * 40, "binary"),
    "prose.txt": ("会议纪要\n今天讨论了预算。\n".encode(), "no budget table could be recognised"),
    "photo.png": (b"\x89PNG\r\n\x1a\n" + bytes(100), "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_unreadable_files_get_one_clear_message(tmp_path, name):
    data, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    result, report = report_of(path)
    assert result.returncode == 2
    assert report["documents"][0]["status"] == "error"
    assert reason in report["documents"][0]["load_error"] and str(path) in report["documents"][0]["load_error"]
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and "Traceback" not in result.stderr


def test_missing_file_and_empty_folder(tmp_path):
    empty_dir = tmp_path / "nothing-here"
    empty_dir.mkdir()
    result, report = report_of(tmp_path / "missing.txt", empty_dir, CENTER)
    assert result.returncode == 2
    assert [d["status"] for d in report["documents"]] == ["error", "error", "pass"]
    assert "file not found" in report["documents"][0]["load_error"]
    assert "no readable document" in report["documents"][1]["load_error"]


def findings_of(path):
    _, report = report_of(path)
    return {(f["rule"], tuple(f["lines"][:1])) for f in report["documents"][0]["findings"]}


def test_a_document_cut_off_mid_table(tmp_path):
    cut = tmp_path / "cut.txt"
    cut.write_bytes(HOTLINE.read_bytes()[:5000])  # ends inside 预算03表, mid-character
    found = findings_of(cut)
    assert ("STR010", (80,)) in found  # 预算03表 has no 合计 row: cut off at line 80
    assert any(rule == "STR001" for rule, _ in found)  # the tables after it are missing


def test_wrong_number_of_cells_and_text_in_an_amount_cell(tmp_path):
    lines = CENTER.read_text("utf-8").split("\n")
    lines[60] = lines[60] + "\t多余的格"  # line 61: one cell too many
    assert "6.727614" in lines[62]
    lines[62] = lines[62].replace("6.727614", "六点七万", 1)  # line 63: text in an amount cell
    path = tmp_path / "bad-cells.txt"
    path.write_text("\n".join(lines), "utf-8")
    found = findings_of(path)
    assert ("STR006", (61,)) in found and ("STR007", (63,)) in found


def test_a_duplicated_table(tmp_path):
    text = CENTER.read_text("utf-8")
    block = text[text.index("预算09表"):text.index("预算10表")]
    path = tmp_path / "twice.txt"
    path.write_text(text.replace(block, block + block), "utf-8")
    assert any(rule == "STR008" for rule, _ in findings_of(path))


def test_an_unknown_template_is_checked_as_far_as_it_can_be(tmp_path):
    # labels no template knows ("附表03"; 公开01表 would now be Jiangsu's): the tables are recognised by title
    text = re.sub(r"预算(\d\d)表|预算表(\d\d)", lambda m: f"附表{m.group(1) or m.group(2)}", CENTER.read_text("utf-8"))
    path = tmp_path / "other-region.txt"
    path.write_text(text, "utf-8")
    result, report = report_of(path)
    document = report["documents"][0]
    assert document["status"] != "error" and document["profile"] == "base" and document["checks_run"] > 20
    assert any(f["rule"] == "STR011" and "income_expenditure_summary" in f["message"] for f in document["findings"])


def test_very_long_lines_and_a_very_large_file(tmp_path):
    long_line = tmp_path / "long.txt"
    long_line.write_text(CENTER.read_text("utf-8") + "\n" + "很长" * 500_000 + "\n", "utf-8")
    start = time.perf_counter()
    result, report = report_of(long_line)
    assert time.perf_counter() - start < 60 and report["documents"][0]["status"] == "pass"
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: costs no disk
    result, report = report_of(huge)
    assert result.returncode == 2 and "refused" in report["documents"][0]["load_error"]


def test_inputs_are_never_modified(tmp_path):
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in ALL_SAMPLES}
    run("check", "--format", "html", "-o", tmp_path / "r.html", *ALL_SAMPLES)
    run("check", "--format", "json", *ALL_SAMPLES)
    run("tables", "--format", "csv", "--table", "basic_expenditure", ALL_SAMPLES[0])
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in ALL_SAMPLES} == before


def test_an_interrupted_run_leaves_no_half_report(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(150):
        (folder / f"{i:03d}.txt").write_bytes(HOTLINE.read_bytes())
    target = tmp_path / "report.json"
    target.write_text('{"old": "complete report"}', "utf-8")
    process = subprocess.Popen([CLI, "check", "--format", "json", "-o", str(target), str(folder)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert json.loads(target.read_text("utf-8")) == {"old": "complete report"}  # untouched, never half-written
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".report.json")] == []
