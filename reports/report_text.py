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
    (r"^folder holds (\d+) documents, not the two PDFs of one publication; name one file.*$",
     r"文件夹中有 \1 个文件，不是同一公开文件的两个 PDF；请指定其中一个文件（check 文件夹 会逐个检查）"),
    (r"^could not be read \((.*)\); please report this$", r"无法读取（\1）；请报告此问题"),
    (r"^symbolic link loop$", "符号链接循环"),
    # PDF
    (r"^not a PDF file \(no %PDF header\)$", "不是 PDF 文件（没有 %PDF 文件头）"),
    (r"^the PDF is encrypted.*$", "PDF 已加密（设有密码）；请发布或检查未加密的版本"),
    (r"^damaged or truncated PDF \((.*)\)$", r"PDF 已损坏或不完整（\1）"),
    (r"^the PDF has no pages$", "PDF 没有页面"),
    (r"^no text layer on page\(s\) (.*) of (\d+):.*$",
     r"共 \2 页，第 \1 页没有文字层：扫描版 PDF（页面图像）无法读取；不支持 OCR，请发布带文字的 PDF"),
    # workbooks and Word files
    (r"^the workbook is encrypted.*$", "工作簿已加密（设有密码）：请在 Excel 或 WPS 中取消密码、保存后检查该副本"),
    (r"^an old-format Excel \(\.xls\) workbook saved under an \.xlsx name.*$", "旧格式 Excel（.xls）工作簿被存为 .xlsx 文件名：请改名为 .xls"),
    (r"^an Excel \.xlsx workbook saved under an \.xls name.*$", "Excel .xlsx 工作簿被存为 .xls 文件名：请改名为 .xlsx"),
    (r"^not an Excel workbook.*$", "不是 Excel 工作簿（文件损坏或为其他类型）"),
    (r"^not a readable Excel workbook \((.*)\)$", r"无法读取的 Excel 工作簿（\1）"),
    (r"^the workbook holds macros.*$", "工作簿含有宏，未执行任何内容；请另存为不含宏的 .xlsx 后检查"),
    (r"^unpacks to more than (\d+) MiB.*$", r"解压后超过 \1 MiB：不可能是公开文件"),
    (r"^larger than (\d+) MiB: too large to be a disclosure workbook$", r"大于 \1 MiB：不可能是公开工作簿"),
    (r"^a sheet could not be read \((.*)\)$", r"有工作表无法读取（\1）"),
    (r"^sheet (.*) has more than ([\d,]+) rows.*$", r"工作表 \1 超过 \2 行：不是公开表（通常只有几百行），其后未读取"),
    (r"^more than ([\d,]+) filled cells \(reached in sheet (.*)\).*$", r"填写的单元格超过 \1 个（在工作表 \2 达到）：不可能是公开文件"),
    (r"^(.+!\w+): formula (.*) has no computed value.*$",
     r"\1：公式 \2 没有计算结果（工作簿保存时未计算）；请在 Excel 或 WPS 中打开、计算、保存后再检查"),
    (r"^an encrypted \(password-protected\) or old-format \(\.doc\) Word file.*$", "Word 文件已加密或为旧格式（.doc）：请取消密码或另存为 .docx 后检查"),
    (r"^not a Word document.*$", "不是 Word 文档（文件损坏或为其他类型）"),
    (r"^not a readable Word document \((.*)\)$", r"无法读取的 Word 文档（\1）"),
    (r"^more than ([\d,]+) paragraphs and cells.*$", r"段落和单元格超过 \1 个：不可能是公开文件"),
    (r"^cannot be read \((.*)\)$", r"无法读取（\1）"),
    # text exports and the fleet
    (r"^more than ([\d,]+) lines; larger exports are refused$", r"超过 \1 行，拒绝读取"),
    (r"^more than ([\d,]+) cells.*$", r"超过 \1 个单元格，拒绝读取"),
    (r"^a line longer than (\d+) MiB is refused$", r"单行超过 \1 MiB，拒绝读取"),
    (r"^worker died while checking.*$", "检查此文件的进程意外退出（崩溃或内存不足）；其他文件照常检查"),
    (r"^not valid (UTF-\d+) although.*$", r"以 \1 字节顺序标记开头，但内容不是有效的 \1"),
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
