"""Small defects an auditor meets (2026-12): each pinned through the real command line.

1. English output is English: every `en` text of the rule sets holds Chinese only inside quotes.
   Design: a Chinese label the auditor must find in the printed document (结转下年, 无, 收入总计) is
   quoted as printed ('结转下年'), the way the kinds' messages quote '{label}'; any other Chinese in
   an en text (a joining word such as 或) is a defect.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CLI = str(Path(sys.executable).parent / "budget-audit")
HOTLINE = ROOT / "samples" / "beijing-12345-hotline-budget.txt"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# an apostrophe after a letter (the template's, the groups') opens no quote
QUOTED = re.compile(r"(?<![A-Za-z])'[^']*'|“[^”]*”|‘[^’]*’|\"[^\"]*\"")


def _run(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=timeout)


def unquoted_chinese(text: str) -> list[str]:
    """The Chinese characters of an English text that stand outside quotes."""
    return CJK.findall(QUOTED.sub("", text))


def test_unquoted_chinese_is_found_and_quoted_labels_are_allowed():
    assert unquoted_chinese("which should read “结转下年”或“年终结转结余”") == ["或"]
    assert unquoted_chinese("must read 结转下年 / 年终结转结余")
    assert unquoted_chinese("should read '结转下年' or '年终结转结余'") == []
    assert unquoted_chinese("Income summary: '收入总计' = sum of the groups' subtotals") == []
    assert unquoted_chinese("the template's choice '（持平）' left in") == []


def _english_texts(node, path=()):
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            yield path, node["en"]
        for key, value in node.items():
            yield from _english_texts(value, (*path, str(key)))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _english_texts(value, (*path, str(i)))


def test_every_english_text_of_every_rule_set_is_english():
    files = sorted((ROOT / "rules" / "sets").glob("*.yaml"))
    seen, bad = 0, []
    for file in files:
        for path, text in _english_texts(yaml.safe_load(file.read_text("utf-8"))):
            seen += 1
            if unquoted_chinese(text):
                bad.append(f"{file.name}:{'.'.join(path)}: {text}")
    assert seen > 200  # titles, messages and the narrative's phrases were all read
    assert bad == []


def test_str002_english_message_and_title_have_no_chinese_joining_word():
    run = _run("check", "--lang", "en", "--format", "json", "--select", "STR002", str(HOTLINE))
    assert run.returncode == 1, run.stderr
    findings = [f for d in json.loads(run.stdout)["documents"] for f in d["findings"] if f["rule"] == "STR002"]
    assert len(findings) == 1
    message, title = findings[0]["message"], findings[0]["title"]
    assert "'上年结转结余'" in message and "'结转下年' or '年终结转结余'" in message
    # the message opens with the table as the document prints it (预算01表): data, not our words
    assert message.startswith("预算01表 Income and expenditure summary: ")
    assert unquoted_chinese(message.split(": ", 1)[1]) == [] and unquoted_chinese(title) == [], (message, title)
    zh = _run("check", "--format", "json", "--select", "STR002", str(HOTLINE))
    (finding,) = [f for d in json.loads(zh.stdout)["documents"] for f in d["findings"] if f["rule"] == "STR002"]
    assert finding["message"].endswith("支出方出现“上年结转结余”：该侧应为“结转下年”或“年终结转结余”")


# ---- 4. `tables --validate`: 0 every table meets its schema, 1 one does not, 2 bad input ----

CENTER = ROOT / "samples" / "beijing-zhengwu-center-2026-budget.txt"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("validate")
    text = CENTER.read_text("utf-8")
    assert text.count("\n2010350-事业运行\t50501-") > 1
    invalid = text.replace("\n2010350-事业运行\t50501-", "\n201035-事业运行\t50501-", 1)  # a 6-digit code
    files = {"valid": text, "invalid": invalid, "no_tables": "部门预算说明\n本部门没有表格。\n"}
    paths = {name: folder / f"{name}.txt" for name in files}
    for name, body in files.items():
        paths[name].write_text(body, "utf-8")
    paths["unreadable"] = folder / "unreadable.txt"
    paths["unreadable"].write_bytes(b"\x00\x01\x02binary")
    return paths


@pytest.mark.parametrize("name,status", [("valid", 0), ("invalid", 1), ("unreadable", 2), ("no_tables", 2)])
def test_validate_exit_status_follows_the_whole_cli(inputs, name, status):
    run = _run("tables", "--validate", str(inputs[name]))
    assert run.returncode == status, (run.stdout, run.stderr)
    if status == 0:
        assert run.stdout == "所有表均符合其结构定义\n" and run.stderr == ""
    elif status == 1:
        assert run.stdout.startswith("expenditure_summary: ") and "201035" in run.stdout and run.stderr == ""
    else:
        assert run.stdout == "" and run.stderr.startswith("budget-audit: ") and len(run.stderr.splitlines()) == 1


def test_validate_with_table_checks_that_table_only(inputs):
    assert _run("tables", "--validate", "--table", "expenditure_summary", str(inputs["invalid"])).returncode == 1
    other = _run("tables", "--validate", "--table", "预算01表", str(inputs["invalid"]))
    assert other.returncode == 0 and other.stdout == "所有表均符合其结构定义\n"
    assert _run("tables", "--validate", "--table", "预算99表", str(inputs["invalid"])).returncode == 2


def _closed_pipe_status(*args: str) -> tuple[int, str]:
    """Run with stdout a pipe nobody reads (closed before the run writes): every write is EPIPE."""
    import os

    read, write = os.pipe()
    os.close(read)
    try:
        process = subprocess.run([CLI, *args], stdout=write, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write)
    return process.returncode, process.stderr


def test_a_reader_that_stops_early_does_not_turn_problems_into_success(inputs):
    assert _closed_pipe_status("tables", "--validate", str(inputs["invalid"])) == (1, "")
    assert _closed_pipe_status("tables", "--validate", str(inputs["valid"])) == (0, "")
    assert _closed_pipe_status("tables", str(inputs["valid"])) == (0, "")


def test_a_full_standard_output_is_one_line_and_status_2_not_an_internal_error(inputs):
    for args in (("tables", "--validate", str(inputs["invalid"])), ("tables", str(inputs["valid"])), ("rules",)):
        with open("/dev/full", "w") as full:
            run = subprocess.run([CLI, *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=300)
        assert run.returncode == 2, args
        assert run.stderr.startswith("budget-audit: 无法写入标准输出 cannot write to standard output") and "内部错误" not in run.stderr
        assert len(run.stderr.splitlines()) == 1


# ---- 5. Ctrl-C at any moment: exit 130, one line, never a traceback of the tool ----

LINE = "budget-audit: 已中断 interrupted\n"


def _children(pid: int) -> list[int]:
    return [int(k) for task in Path(f"/proc/{pid}/task").glob("*/children") for k in task.read_text().split()]


def _interrupt(args: list[str], delay: float | None = None, second: float | None = None,
               until_child: bool = False) -> tuple[int, str]:
    """SIGINT after `delay` seconds (or once the run has forked its worker server: surely inside
    main()), and again `second` seconds later."""
    import signal
    import time

    process = subprocess.Popen([CLI, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if until_child:
        deadline = time.monotonic() + 120
        while not _children(process.pid):
            assert process.poll() is None and time.monotonic() < deadline, "never started its workers"
            time.sleep(0.01)
    else:
        time.sleep(delay)
    process.send_signal(signal.SIGINT)
    if second is not None:
        time.sleep(second)
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def _pythons_own(err: str) -> bool:
    """A traceback from the interpreter's start-up (site, pip's editable finder, the console
    script's import line) before any line of budget_audit runs: no frame in this repository."""
    frames = re.findall(r'File "([^"]+)"', err)
    return bool(frames) and not any(f.startswith(str(ROOT)) and "/.venv/" not in f for f in frames)


def test_one_ctrl_c_inside_the_run_is_one_line_and_130():
    status, err = _interrupt(["check", "--jobs", "2", "--format", "json", str(ROOT / "samples")], until_child=True)
    assert (status, err) == (130, LINE)


def test_a_second_ctrl_c_while_stopping_adds_nothing():
    for gap in (0.0, 0.002, 0.01, 0.05):
        status, err = _interrupt(["check", "--jobs", "2", "--format", "json", str(ROOT / "samples")],
                                 second=gap, until_child=True)
        assert (status, err) == (130, LINE), gap


@pytest.mark.parametrize("delay", [0.05, 0.08, 0.12, 0.16, 0.2, 0.3])
def test_an_early_ctrl_c_prints_no_traceback_of_the_tool(delay):
    status, err = _interrupt(["check", "--format", "json", str(HOTLINE)], delay=delay)
    if "Traceback" in err:  # only while Python itself starts, before the tool's first line
        assert _pythons_own(err), err
        return
    assert (status, err) in ((130, LINE), (-2, "")), (status, err)  # -2: before Python's own handler


def test_a_ctrl_c_inside_a_finaliser_stops_the_run_with_one_line():
    code = ("import sys; from budget_audit.reports import cli\n"
            "class Finalised:\n"
            "    def __del__(self): raise KeyboardInterrupt\n"
            "def command(args):\n"
            "    Finalised()\n"
            "    print('still running')\n"
            "cli.cmd_rules = command\n"
            "sys.exit(cli.main(['rules']))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (130, "", LINE)
    after = subprocess.run([sys.executable, "-c", code.replace("sys.exit(cli.main(['rules']))", "Finalised()")],
                           capture_output=True, text=True, timeout=60)
    assert after.returncode == 0 and "KeyboardInterrupt" in after.stderr  # outside main(): Python's own hook


def test_a_third_ctrl_c_exits_even_when_stopping_hangs(tmp_path):
    """Inside main(), a clean-up that never ends (here: a command that sleeps on KeyboardInterrupt)
    still yields to a third Ctrl-C: 130 and the one line."""
    import signal
    import time

    code = ("import sys, time\n"
            "from budget_audit.reports import cli\n"
            "def hanging(args):\n"
            "    try:\n"
            "        print('ready', flush=True); time.sleep(60)\n"
            "    finally:\n"
            "        time.sleep(60)  # a clean-up that hangs\n"
            "cli.cmd_rules = hanging\n"
            "sys.exit(cli.main(['rules']))\n")
    process = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "ready\n"
    for _ in range(3):
        process.send_signal(signal.SIGINT)
        time.sleep(0.2)
    _, err = process.communicate(timeout=30)
    assert (process.returncode, err) == (130, LINE)


def test_prf005_states_a_negative_difference_without_saying_below_by_a_negative():
    """'below the annual total … (by -409.515600 万元)' said the gap twice, once with the wrong sign."""
    xicheng = ROOT / "samples" / "xicheng-zhengwu-2021-budget.txt"
    for lang, gap in (("en", "(difference -409.515600 万元)"), ("zh", "（相差 -409.515600 万元）")):
        run = _run("check", "--lang", lang, "--format", "json", "--select", "PRF005", str(xicheng))
        (finding,) = [f for d in json.loads(run.stdout)["documents"] for f in d["findings"]]
        assert finding["message"].endswith(gap) and "(by " not in finding["message"], finding["message"]


def test_an_identity_s_figures_do_not_say_which_side_is_right():
    """PRF031 on wanlijiedao 2023: the likely cause says a part (当年财政拨款) is wrong, so the
    figures line must not call the parts' sum 应为: it shows the check's figure and the printed one."""
    pdf = ROOT / "tests" / "data" / "pdf" / "sh_putuo_wanlijiedao_2023_budget_dept.pdf"
    shown = {}
    for lang in ("zh", "en"):
        result = _run("check", "--profile", "shanghai_budget", "--select", "PRF031", "--lang", lang, str(pdf))
        assert result.returncode == 1, result.stderr
        shown[lang] = re.sub(r"\s+", " ", result.stdout)
    assert "印作 11,419,043.00，应为 10,903,043.00" in shown["zh"]  # the likely cause: the part
    assert "核算值 11,419,043.00 · 印数 10,903,043.00" in shown["zh"]
    assert "应为 11,419,043.00" not in shown["zh"] and "实为" not in shown["zh"]
    assert "computed 11,419,043.00 · printed 10,903,043.00" in shown["en"]


@pytest.mark.parametrize("form", ["jsonl", "json", "rich"])
def test_check_into_a_closed_pipe_keeps_the_findings_status(form):
    """`check … | head`: the reader stopping early does not turn the findings into exit 0, in the
    streamed format too (every document is still checked, for the status)."""
    status, stderr = _closed_pipe_status("check", "--format", form, str(ROOT / "samples"))
    assert (status, stderr) == (1, ""), stderr


def test_tables_on_a_folder_of_documents_says_so_not_that_it_holds_none():
    zh = _run("tables", str(ROOT / "samples"))
    assert zh.returncode == 2 and "文件夹中有 3 个文件，不是同一公开文件的两个 PDF" in zh.stderr, zh.stderr
    en = _run("tables", "--lang", "en", str(ROOT / "samples"))
    assert "folder holds 3 documents, not the two PDFs of one publication; name one file" in en.stderr


def test_every_english_message_template_of_every_rule_kind_is_english():
    """The kinds' own message templates (module-level {"zh": …, "en": …} tables) too."""
    import importlib

    seen, bad = 0, []
    for file in sorted((ROOT / "rules" / "kinds").glob("*.py")):
        module = importlib.import_module(f"budget_audit.rules.kinds.{file.stem}")
        for name, value in vars(module).items():
            if not isinstance(value, dict):
                continue
            for key, texts in value.items():
                if isinstance(texts, dict) and isinstance(texts.get("en"), str) and "zh" in texts:
                    seen += 1
                    if unquoted_chinese(texts["en"]):
                        bad.append(f"{file.stem}.{name}[{key}]: {texts['en']}")
    assert seen > 20  # structure's, wording's, the identities' … tables were all read
    assert bad == []
