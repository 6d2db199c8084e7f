"""Regression tests for the hostile review (2026-12, §5), each reproducing the review's command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import CENTER, DISTRICT, HOTLINE, SAMPLES

CLI = str(Path(sys.executable).parent / "budget-audit")


def run(*args, **kwargs):
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=120, **kwargs)


def test_item1_output_equal_to_an_input_is_refused(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_bytes(CENTER.read_bytes())
    result = run("check", "-o", doc, doc)
    assert result.returncode == 2 and "is one of the documents being checked" in result.stderr
    assert doc.read_bytes() == CENTER.read_bytes()


def test_item2_symlink_written_through_fifo_as_a_stream(tmp_path):
    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("keep\n")
    link.symlink_to("real.json")
    assert run("check", "--format", "json", "-o", link, CENTER).returncode == 0
    assert link.is_symlink() and json.loads(real.read_text())["summary"]["documents"] == 1
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE, text=True)
    assert run("check", "--format", "json", "-o", fifo, CENTER).returncode == 0
    assert json.loads(reader.communicate(timeout=60)[0])["summary"]["documents"] == 1
    assert fifo.is_fifo()


def test_item14_environment_failures_are_plain_messages(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    result = run("check", "-o", folder, CENTER)
    assert result.returncode == 2 and f"{folder}: 是文件夹" in result.stderr and "is a folder" in result.stderr and "internal" not in result.stderr
    full = run("check", "-o", "/dev/full", CENTER)
    assert full.returncode == 2 and "cannot write /dev/full" in full.stderr and ".tmp" not in full.stderr
    assert Path("/dev/full").is_char_device()
    with open("/dev/full", "w") as sink:
        out = subprocess.run([CLI, "check", str(CENTER)], stdout=sink, stderr=subprocess.PIPE, text=True, timeout=120)
    assert out.returncode == 2 and "cannot write to standard output" in out.stderr and "Traceback" not in out.stderr


def test_item26_empty_output_is_a_usage_error():
    result = run("check", "-o", "", CENTER)
    assert result.returncode == 2 and result.stdout == ""


def test_item16_no_colour_codes_in_a_file_from_a_tty(tmp_path):
    import pty

    target = tmp_path / "report.txt"
    pid, fd = pty.fork()
    if pid == 0:  # the child runs with a terminal on stdout
        os.execv(CLI, [CLI, "check", "-o", str(target), str(DISTRICT)])
    while True:
        try:
            if not os.read(fd, 4096):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    text = target.read_text("utf-8")
    assert "STR004" in text and "\x1b" not in text


def test_item4_select_that_matches_nothing_is_an_error_and_case_is_ignored():
    typo = run("check", "--quiet", "--select", "XYZ", SAMPLES)
    assert typo.returncode == 2 and "--select XYZ: matches no rule" in typo.stderr and typo.stdout == ""
    everything = "BAL,USE,SUM,HIE,TPF,CAT,XT,GRP,PRF,STR,NAR"
    assert run("check", "--quiet", "--ignore", everything, SAMPLES).returncode == 2
    lower = json.loads(run("check", "--format", "json", "--select", "sum", SAMPLES).stdout)
    codes = {f["rule"] for d in lower["documents"] for f in d["findings"]}
    assert codes == {"SUM001", "SUM003"} or (codes and all(c.startswith("SUM") for c in codes))


def test_item24_json_summary_counts_notes_unreadable_and_skipped_rules(tmp_path):
    missing = tmp_path / "missing.txt"
    report = json.loads(run("check", "--format", "json", DISTRICT, missing).stdout)
    summary = report["summary"]
    assert summary["infos"] == sum(f["severity"] == "info" for f in report["documents"][0]["findings"]) > 0
    assert summary["unreadable"] == 1
    skipped = report["documents"][0]["checks_skipped"]
    assert all(s["reason"] for s in skipped) and summary["checks_skipped"] == len(skipped)


def test_item15_and_19_not_a_disclosure_is_skipped_and_errors_print_once(tmp_path):
    notes = tmp_path / "requirements.txt"
    notes.write_text("rich\n", "utf-8")
    plain = run("check", "--quiet", notes)
    assert plain.returncode == 2 and plain.stderr == ""
    assert plain.stdout == f"错误  {notes}: 未能识别任何预算表\n"  # the path once, in Chinese
    hook = run("check", "--quiet", "--skip-other", "--fail-on", "error", notes, CENTER)
    assert hook.returncode == 0 and hook.stdout.startswith(f"跳过  {notes}:")
    english = run("check", "--quiet", "--lang", "en", SAMPLES)
    assert "FAIL  " in english.stdout and "11 errors, 4 warnings, 0 notes" in english.stdout


def test_item26_explain_any_case_compact_params_and_zh_headings():
    explained = run("explain", "sum001")
    assert explained.returncode == 0 and "SUM001" in explained.stdout and "检查内容" in explained.stdout
    assert len(run("explain", "NAR090").stdout.splitlines()) < 60


# Item 20 (SIGINT exits 130, no traceback, no half report): tests/robustness/test_interrupt.py sends the
# signal once the workers or the streamed file exist, and accepts only 130.


def test_item17_extends_cycle_and_relative_extends(tmp_path):
    me = tmp_path / "self.yaml"
    me.write_text("extends: self.yaml\nrules: []\n", "utf-8")
    cycle = run("check", "--ruleset", me, CENTER)
    assert cycle.returncode == 2 and "a cycle" in cycle.stderr and "internal" not in cycle.stderr
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "parent.yaml").write_text("extends: beijing_municipal\nrules: []\n", "utf-8")
    child = tmp_path / "sub" / "child.yaml"
    child.write_text("extends: parent.yaml\nrules: []\n", "utf-8")
    assert run("check", "--ruleset", child, CENTER).returncode == 0  # from another cwd: resolved beside child


def test_item3_disabling_an_unknown_code_and_non_string_titles(tmp_path):
    off = tmp_path / "off.yaml"
    off.write_text("extends: beijing_municipal\nrules:\n  - {code: NOPE01, enabled: false}\n", "utf-8")
    result = run("check", "--ruleset", off, CENTER)
    assert result.returncode == 2 and "unknown code" in result.stderr and "missing key 'kind'" not in result.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules:\n  - {code: X1, kind: column-sum, severity: error, title: {zh: [a], en: b},"
                   " params: {table: expenditure_summary}}\n", "utf-8")
    assert "each a string" in run("rules", "--ruleset", bad).stderr


def test_item7_yaml_alias_bomb_is_refused_quickly(tmp_path):
    import time

    lines = ['a0: &a0 "lol"'] + [f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 9)]
    bomb = tmp_path / "bomb3.yaml"
    bomb.write_text("\n".join(lines) + "\nrules:\n  - {code: B1, kind: column-sum, severity: error,"
                    " title: {zh: *a8, en: x}, params: {table: expenditure_summary}}\n", "utf-8")
    start = time.monotonic()
    result = run("rules", "--ruleset", bomb)
    assert result.returncode == 2 and "aliases expand" in result.stderr
    assert time.monotonic() - start < 10


def test_item3_misspelled_params_key_and_bad_value_are_refused_before_reading(tmp_path):
    missing = tmp_path / "not-read.txt"  # never opened: the rule set is refused first
    for params, words in (("colums: [total]", ["rule SUM954", "'params.colums'", "did you mean 'columns'"]),
                          ("rows: everything", ["rule SUM954", "'params.rows'", "'everything'"]),
                          ("columns: [[total], basic]", ["rule SUM954", "'params.columns'", "a list of strings"])):
        it = tmp_path / "it.yaml"
        it.write_text("extends: beijing_municipal\nrules:\n  - {code: SUM954, kind: column-sum, severity: error,"
                      f" title: {{zh: a, en: b}}, params: {{table: expenditure_summary, {params}}}}}\n", "utf-8")
        result = run("check", "--format", "junit", "--ruleset", it, missing)
        assert result.returncode == 2 and result.stdout == "" and str(it) in result.stderr, result.stderr
        assert all(w in result.stderr for w in words) and str(missing) not in result.stderr, result.stderr


def test_item18_english_html_counts_and_skip_reasons_in_the_reports_language(sample_report):
    """The en HTML says '11 errors · 4 warnings · 0 notes'; coverage skip reasons are zh in zh, en in en."""
    import re

    from budget_audit.reports.formats import html

    pages = {lang: html.render(sample_report, lang) for lang in ("zh", "en")}
    counts = re.findall(r"(\d+) (checks?|errors?|warnings?|notes?) ·", pages["en"])
    assert ("11", "errors") in counts and ("4", "warnings") in counts, counts  # the hotline sample
    assert all((n == "1") == (not word.endswith("s")) for n, word in counts), counts
    assert re.search(r"· 0 notes</p>", pages["en"]) and re.search(r"· 11 个错误 · 4 个警告 ·", pages["zh"])
    reason = re.compile(r'<small class="reason">([^<]*)</small>')
    zh, en = reason.findall(pages["zh"]), reason.findall(pages["en"])
    assert zh and len(zh) == len(en)
    assert not [r for r in zh if re.search(r"[A-Za-z]{3,}", r)], zh  # no English words (nor table ids)
    assert not [r for r in en if re.search(r"[\u4e00-\u9fff]|_", r)], en  # no Chinese, no table ids


def test_item5_a_crash_in_a_kinds_statistics_step_becomes_a_finding(sample_report):
    """A narrative figure whose column is a list passed validation and raised TypeError in the check and
    again in narrative-claim's stats(). The loader now refuses it (test_ruleset), so the rule is built here."""
    from budget_audit.loaders import load
    from budget_audit.rules.engine import run
    from budget_audit.rules.ruleset import Rule, load_ruleset

    plain = next(d for d in sample_report.documents if d.path.endswith(DISTRICT.name))
    bad = Rule(code="NAR901", kind="narrative-claim", severity="error", title={"zh": "说明数字", "en": "figures"},
               family="NAR", params={"check": "table-amount",
                                     "figures": {"基本支出": {"table": "expenditure_summary", "column": ["basic"]}}})
    outcome = run(load(DISTRICT), [*load_ruleset(plain.profile), bad])
    crashed = [f for f in outcome.findings if f.extra.get("crashed")]
    assert {f.extra["step"] for f in crashed} == {"check", "stats"}, crashed
    assert all("TypeError" in f.message["en"] and f.severity == "warning" for f in crashed)
    kept = sorted((f.rule, f.message["en"]) for f in outcome.findings if not f.extra.get("crashed"))
    assert kept == sorted((f.rule, f.message["en"]) for f in plain.findings)  # every other finding is still there


def test_item1_output_naming_an_input_through_a_symlink_or_hard_link_is_refused(tmp_path):
    doc = tmp_path / "d.txt"
    doc.write_bytes(CENTER.read_bytes())
    (tmp_path / "link.txt").symlink_to("d.txt")
    os.link(doc, tmp_path / "hard.txt")
    for target in ("link.txt", "hard.txt"):
        result = run("check", "-o", tmp_path / target, doc)
        assert result.returncode == 2 and "is one of the documents being checked" in result.stderr, result.stderr
    assert doc.read_bytes() == CENTER.read_bytes() and (tmp_path / "link.txt").is_symlink()


def test_item14_a_read_only_folder_is_one_plain_message(tmp_path):
    import shutil

    import pytest

    folder = tmp_path / "ro"
    folder.mkdir()
    command = [CLI, "check", "-o", str(folder / "r.json"), str(CENTER)]
    if os.geteuid() != 0:
        folder.chmod(0o555)
    elif shutil.which("unshare"):  # root ignores permissions: a read-only bind mount in a mount namespace
        command = ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"',
                   str(folder), *command]
    else:
        pytest.skip("running as root without unshare: no read-only folder can be made")
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if os.geteuid() == 0 and "mount" in result.stderr:
        pytest.skip(f"no mount namespace here: {result.stderr.strip()}")
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert result.stderr.strip().splitlines() == [f"budget-audit: 无法写入 cannot write {folder / 'r.json'}: "
                                                  + ("Read-only file system" if os.geteuid() == 0 else "Permission denied")]
    assert not list(folder.iterdir())


def test_item26c_explain_with_a_ruleset_shows_the_users_rule(tmp_path):
    ok = tmp_path / "ok.yaml"
    ok.write_text("extends: beijing_municipal\nrules:\n  - {code: SUM957, kind: column-sum, severity: warning,"
                  " title: {zh: 自定义, en: custom}, params: {table: expenditure_summary, rows: top}}\n", "utf-8")
    mine = run("explain", "sum957", "--ruleset", ok)
    assert mine.returncode == 0 and "SUM957" in mine.stdout and "自定义" in mine.stdout, mine.stderr
    assert "expenditure_summary" in mine.stdout and "column-sum" in mine.stdout
    without = run("explain", "SUM957")
    assert without.returncode == 2 and "自定义" not in without.stdout
