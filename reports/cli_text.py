"""The command line's own words, Chinese by default and English with --lang en."""

from __future__ import annotations

HELP = {
    "zh": {
        "description": "在公开前检查部门预算、决算公开文件（每笔金额精确到分）。",
        "check": "检查文件或文件夹中的公开文件",
        "paths": "文件或文件夹",
        "format": "输出格式",
        "output": "把报告写入此文件（原子写入；不得为被检查的文件）",
        "lang": "报告语言：zh 中文（默认）或 en 英文",
        "profile": "规则配置（默认按识别出的模板选择）",
        "ruleset": "规则集 YAML 文件（可 extends 一个规则配置）",
        "select": "只运行编码或类别以这些开头的规则（逗号分隔，不区分大小写）",
        "ignore": "跳过编码或类别以这些开头的规则（逗号分隔，不区分大小写）",
        "fail_on": "达到此严重程度的问题使退出码为 1",
        "quiet": "每个文件一行",
        "skip_other": "不是公开文件的文件（如 requirements.txt）注明跳过，不算错误（pre-commit 钩子用）",
        "tables": "显示从文件中读出的表格",
        "table": "一张标准表及其单元格",
        "validate": "按 pandera 约定检查每张表（或 --table 指定的表）；退出码 0 全部符合，1 有不符合的表，2 文件无法读取",
        "rules": "列出规则配置中的规则",
        "explain": "显示一条规则的说明",
        "jobs": "并行检查的进程数（默认：本机核数；1 为逐个检查）",
        "dask": "在此 Dask 调度器（如 tcp://host:8786）的集群上检查",
        "dask_ship": "文件是否随任务发送给 Dask worker：auto 仅发送 worker 看不到（或看到的不同）的文件，always 全部发送，never 不发送（worker 按路径读取）",
        "engine": "检查引擎：native（默认，精确）或 gx（Great Expectations）",
        "waivers": "豁免文件（YAML，经审核的已知例外）",
        "baseline": "基线文件：只报告其中没有的问题",
        "write_baseline": "把本次的问题写入基线文件",
        "no_cache": "不使用也不写入 PDF 读取缓存（重新读取每个 PDF）",
        "relate": "指明名称不同的同一单位或部门与其下属单位（文件名或单位名称，A=B，逗号分隔）",
        "config": "显示生效的配置及每项的来源",
        "gx_suite": "把规则导出为 Great Expectations 期望套件",
        "gx_output": "写入套件的文件夹",
    },
    "en": {
        "description": "Check Chinese public budget disclosures before publication (every amount exact to the 分).",
        "check": "check documents (files or folders)",
        "paths": "files or folders",
        "format": "output format",
        "output": "write the report here (atomically; never one of the documents checked)",
        "lang": "report language: zh Chinese (default) or en English",
        "profile": "rule profile (default: from the detected template)",
        "ruleset": "a rule-set YAML file (may extend a profile)",
        "select": "only rules whose code or family starts with these (comma-separated, any case)",
        "ignore": "skip rules whose code or family starts with these (comma-separated, any case)",
        "fail_on": "findings of this severity or worse make the exit status 1",
        "quiet": "one line per document",
        "skip_other": "files that are no disclosure (e.g. requirements.txt) are noted and skipped, not errors (pre-commit hook)",
        "tables": "show what was read from a document",
        "table": "one standard table, with its cells",
        "validate": "check every table (or the --table one) against its pandera schema; exit 0 all meet it, 1 one does not, 2 the file cannot be read",
        "rules": "list the rules of a profile",
        "explain": "print a rule's documentation",
        "jobs": "worker processes (default: the machine's cores; 1 checks one by one)",
        "dask": "check on the Dask cluster of this scheduler (e.g. tcp://host:8786)",
        "dask_ship": "send documents' bytes with their tasks: auto only those a worker cannot see (or sees differently), always all, never none (workers read the paths)",
        "engine": "check engine: native (default, exact) or gx (Great Expectations)",
        "waivers": "a waiver file (YAML: reviewed, accepted exceptions)",
        "baseline": "a baseline file: report only findings not in it",
        "write_baseline": "write this run's findings to a baseline file",
        "no_cache": "neither use nor write the PDF reading cache (read every PDF afresh)",
        "relate": "name documents of one body, or a unit and its department, whose names differ (file or body names, A=B, comma-separated)",
        "config": "print the effective configuration and where each value came from",
        "gx_suite": "export the rules as Great Expectations suites",
        "gx_output": "folder to write the suites to",
    },
}

MESSAGES = {
    "zh": {
        "internal": "内部错误：{detail}（请报告此问题）",
        "empty_output": "-o/--output 需要一个文件名",
        "unknown_code": "未知的规则编码 {code!r}（见 `budget-audit rules --profile beijing_district`）",
        "no_table": "{path}：没有表“{table}”；读到的表：{read}",
        "schemas_met": "所有表均符合其结构定义",
    },
    "en": {
        "internal": "internal error: {detail} (please report this)",
        "empty_output": "-o/--output needs a file name",
        "unknown_code": "unknown rule code {code!r} (see `budget-audit rules --profile beijing_district`)",
        "no_table": "{path}: no table {table!r}; read: {read}",
        "schemas_met": "all tables meet their schemas",
    },
}


def say(key: str, lang: str, **context) -> str:
    """One of the command line's messages in the UI language."""
    return MESSAGES[lang if lang in MESSAGES else "zh"][key].format(**context)


# argparse's own words (it ships no Chinese catalogue); everything else it says stays as it is.
ARGPARSE_ZH = {
    "usage: ": "用法：",
    "options": "选项",
    "positional arguments": "位置参数",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少以下参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项：%(option)s 可匹配 %(matches)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
}


def speak_argparse(lang: str) -> None:
    """Make argparse's usage, help and error words follow the UI language."""
    import argparse
    from gettext import gettext

    argparse._ = (lambda text: ARGPARSE_ZH.get(text, gettext(text))) if lang == "zh" else gettext
