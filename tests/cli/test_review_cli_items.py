"""Hostile review (2026-12, §5) items of the command line itself: 12 (`tables --table` by printed
label), 18 (argparse in the UI language), 21 (links that loop or dangle, duplicate inputs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CENTER

CLI = str(Path(sys.executable).parent / "budget-audit")


def run(*args):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120)


def test_item12_tables_selected_by_printed_label_from_the_command_line():
    by_label = run("tables", CENTER, "--table", "预算03表", "--format", "json")
    by_id = run("tables", CENTER, "--table", "expenditure_summary", "--format", "json")
    assert by_label.returncode == 0, by_label.stderr
    assert json.loads(by_label.stdout)["cells"] == json.loads(by_id.stdout)["cells"]


def test_item12_an_unknown_table_names_what_was_read_in_the_ui_language():
    zh = run("tables", CENTER, "--table", "预算99表")
    en = run("tables", CENTER, "--table", "预算99表", "--lang", "en")
    assert zh.returncode == en.returncode == 2
    assert "没有表“预算99表”" in zh.stderr and "预算03表（expenditure_summary）" in zh.stderr
    assert "no table '预算99表'" in en.stderr and "预算03表 (expenditure_summary)" in en.stderr


def test_item18_argparse_speaks_the_ui_language():
    zh = run("check", "--formt", "json", CENTER)
    en = run("check", "--lang", "en", "--formt", "json", CENTER)
    assert zh.returncode == en.returncode == 2
    assert "错误：无法识别的参数：--formt" in zh.stderr and "error" not in zh.stderr
    assert "error: unrecognized arguments: --formt" in en.stderr
    assert run("check", "--help").stdout.startswith("用法：")
    assert run("check", "--lang", "en", "--help").stdout.startswith("usage:")


def test_item21_loops_and_dangling_links_named_and_duplicates_counted_once(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "a.txt").write_bytes(Path(CENTER).read_bytes())
    os.symlink("nothere.txt", folder / "dangling.txt")
    os.symlink("x.txt", folder / "y.txt")
    os.symlink("y.txt", folder / "x.txt")
    os.symlink("a.txt", folder / "same.txt")  # the same document through a link: checked once
    result = run("check", "--format", "json", folder, folder / "a.txt", CENTER)
    report = json.loads(result.stdout)
    errors = {Path(d["path"]).name: d["load_error"] for d in report["documents"] if d["status"] == "error"}
    assert errors["dangling.txt"].endswith("dangling symbolic link (to nothere.txt)")
    assert errors["x.txt"].endswith("symbolic link loop") and errors["y.txt"].endswith("symbolic link loop")
    checked = [Path(d["path"]).name for d in report["documents"] if d["status"] != "error"]
    assert sorted(checked) == ["a.txt", Path(CENTER).name]  # a.txt once (named, in the folder, linked)
    assert report["summary"]["documents"] == 5
    quiet = run("check", "--quiet", folder)
    assert "符号链接循环" in quiet.stdout and "符号链接指向不存在的文件" in quiet.stdout


def test_item2_a_device_and_dev_stdout_into_a_pipe_are_written_as_streams():
    """-o /dev/null is written as a stream and stays a device; -o /dev/stdout when stdout is a pipe
    (the link resolves to "pipe:[…]") prints the report into the pipe."""
    import stat

    to_null = run("check", "--format", "json", "-o", "/dev/null", CENTER)
    assert to_null.returncode == 0 and stat.S_ISCHR(os.stat("/dev/null").st_mode)
    piped = run("check", "--quiet", "-o", "/dev/stdout", CENTER)  # capture_output: stdout is a pipe
    assert piped.returncode == 0 and Path(CENTER).name in piped.stdout, piped.stderr
