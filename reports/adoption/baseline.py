"""A baseline: the findings of documents that can no longer change (last year's publication),
recorded once with --write-baseline; --baseline then reports only findings not in it and counts
the entries no longer found (fixed). An entry is a rule, a document and the figures as printed."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from budget_audit.reports.adoption import say as _say
from budget_audit.reports.adoption.keys import document_key, figures, is_adoption_finding

FORMAT = 1
ENTRY_KEYS = {"document": str, "rule": str, "table": (str, type(None)), "figures": list}
MAX_BYTES = 64 * 1024 * 1024


class BaselineError(Exception):
    """The baseline file cannot be used; the message names the file, the entry and the reason."""


@dataclass(frozen=True)
class Entry:
    document: str
    rule: str
    table: str | None
    figures: tuple[str | None, ...]

    def key(self) -> tuple:
        return (self.document, self.rule, self.table,
                tuple(sorted(("" if v is None else "\0" + v) for v in self.figures)))


def load(path: Path, lang: str = "zh") -> list[Entry]:
    """Read and check a baseline file written by --write-baseline."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise BaselineError(f"{path}: " + _say(lang, "基线文件过大", "baseline file too large"))
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise BaselineError(f"{path}: {_say(lang, '无法读取基线文件', 'cannot read the baseline file')} "
                            f"({exc.strerror})") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}: {_say(lang, '不是 UTF-8 文本', 'not UTF-8 text')}") from None
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: {_say(lang, '不是有效的 JSON', 'not valid JSON')} ({exc.msg})") from None
    if not isinstance(data, dict) or data.get("budget-audit-baseline") != FORMAT or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: " + _say(lang, "不是 budget-audit 基线文件（请用 --write-baseline 生成）",
                                               "not a budget-audit baseline (write one with --write-baseline)"))
    return [_entry(path, i + 1, item, lang) for i, item in enumerate(data["findings"])]


def _entry(path: Path, number: int, item, lang: str) -> Entry:
    if not isinstance(item, dict) or set(item) - {"message"} != set(ENTRY_KEYS):
        raise BaselineError(f"{path}: findings[{number}]: " + _say(
            lang, f"应恰好含字段 {', '.join(ENTRY_KEYS)}", f"must have exactly the keys {', '.join(ENTRY_KEYS)}"))
    for key, kind in ENTRY_KEYS.items():
        if not isinstance(item[key], kind):
            raise BaselineError(f"{path}: findings[{number}] {key}: {_say(lang, '类型错误', 'wrong type')}")
    if not all(v is None or isinstance(v, str) for v in item["figures"]):
        raise BaselineError(f"{path}: findings[{number}] figures: "
                            + _say(lang, "应为字符串或 null", "must be strings or null"))
    return Entry(item["document"], item["rule"], item["table"], tuple(item["figures"]))


def entry_of(finding, key: str) -> Entry:
    return Entry(key, finding.rule, finding.table, tuple(figures(finding)))


def _candidates(documents, folder: Path):
    """(document key, finding) for every finding a baseline may hold: not waived, not ADO."""
    for doc in documents:
        key = document_key(doc.path, folder)
        for finding in doc.findings:
            if finding.waiver is None and not is_adoption_finding(finding):
                yield key, finding


def apply(documents, entries: list[Entry], root: Path) -> int:
    """Mark findings recorded in the baseline; return how many entries of the documents of this
    run are no longer found (fixed). Entries count as a multiset: two equal findings need two."""
    folder = root
    left = Counter(e.key() for e in entries)
    for key, finding in _candidates(documents, folder):
        wanted = entry_of(finding, key).key()
        if left[wanted] > 0:
            left[wanted] -= 1
            finding.baselined = True
    checked = {document_key(d.path, folder) for d in documents if d.status != "error"}
    return sum(n for k, n in left.items() if k[0] in checked)


def render(documents, root: Path) -> str:
    """The baseline file of this run's findings (sorted, so that a rewrite diffs cleanly); document
    paths relative to the project root."""
    folder = root
    items = [{"document": key, "rule": f.rule, "table": f.table, "figures": figures(f),
              "message": f.message.get("zh", "")} for key, f in _candidates(documents, folder)]
    items.sort(key=lambda i: (i["document"], i["rule"], i["table"] or "", json.dumps(i["figures"], ensure_ascii=False)))
    data = {"budget-audit-baseline": FORMAT, "findings": items}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def mark_all(documents, root: Path) -> None:
    """After writing a baseline, this run's recorded findings are baselined."""
    for _, finding in _candidates(documents, root):
        finding.baselined = True
