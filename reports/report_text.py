"""The report's words: counts in zh/en and the loaders' (English) reasons in Chinese."""

from __future__ import annotations

import re

# The loaders' reasons in Chinese (the loaders speak English); an unknown reason stays English.
REASONS_ZH = [(re.compile(p), zh) for p, zh in (
    (r"^file not found$", "文件不存在"),
    (r"^is a folder, not a document$", "是文件夹，不是文件"),
    (r"^file is empty$", "文件为空"),
    (r"^file is (\d+) MiB; larger than (\d+) MiB is refused$", r"文件大小 \1 MiB，超过 \2 MiB，拒绝读取"),
    (r"^binary file \(contains NUL bytes\), not a text export$", "二进制文件（含 NUL 字节），不是文本导出文件"),
    (r"^not a text file in any known encoding.*$", "不是任何已知编码的文本文件（可能是二进制文件）"),
    (r"^no budget table could be recognised \(table labels seen: (.*)\)$", r"未能识别任何预算表（见到的表号：\1）"),
    (r"^no budget table could be recognised$", "未能识别任何预算表"),
    (r"^unsupported file type '(.*)'; readable: (.*)$", r"不支持的文件类型“\1”；可读取：\2"),
    (r"^folder holds no readable document \((.*)\)$", r"文件夹中没有可读取的文件（\1）"),
    (r"^could not be read \((.*)\); please report this$", r"无法读取（\1）；请报告此问题"),
    (r"^symbolic link loop$", "符号链接循环"),
    (r"^dangling symbolic link.*$", "符号链接指向不存在的文件"),
)]
# Reasons that say a file is no disclosure at all (a requirements.txt beside the disclosures).
NOT_A_DISCLOSURE = ("no budget table could be recognised", "file is empty", "unsupported file type",
                    "binary file", "not a text file")
# Counted things, the one vocabulary of every count a report prints (zh, else en (one, many)).
COUNT_WORDS = {"zh": {"document": "个文件", "error": "个错误", "warning": "个警告", "info": "个提示",
                      "check": "项检查", "failed": "项未通过", "unreadable": "个无法读取"},
               "en": {"document": ("document", "documents"), "error": ("error", "errors"),
                      "warning": ("warning", "warnings"), "info": ("note", "notes"),
                      "check": ("check", "checks"), "failed": ("failed", "failed"),
                      "unreadable": ("unreadable", "unreadable")}}


def plural(count: int, word: str, lang: str = "zh") -> str:
    """'3 个错误' / '1 error' / '11 errors'."""
    words = COUNT_WORDS[lang][word]
    if lang == "zh":
        return f"{count} {words}"
    return f"{count} {words[0] if count == 1 else words[1]}"


def translate_reason(reason: str, lang: str) -> str:
    """A loader's reason in the UI language."""
    if lang != "zh":
        return reason
    for pattern, zh in REASONS_ZH:
        if pattern.match(reason):
            return pattern.sub(zh, reason)
    return reason
