"""Reviewed waivers (a YAML file kept in the repository): a known, explained exception that is
shown but does not fail the run. Each entry pins the figures it was reviewed with, so a changed
figure brings the finding back; a waiver that matches nothing, or has expired, is a finding itself.

    waivers:
      - document: 2026/center-budget.txt      # path glob, relative to the project root
        rule: XT005
        table: general_budget_expenditure     # optional
        figures: ["9,715.698690", "9,716.698690", null]   # as printed (JSON cells[].value)
        reason: 合计含年中追加，已在说明中解释
        accepted_by: 审计处 张三
        expires: 2027-06-30
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

from budget_audit.reports.adoption import say as _say
from budget_audit.reports.adoption.keys import document_key, figures, is_adoption_finding, same_figures
from budget_audit.rules.findings import Finding

REQUIRED = ("document", "rule", "figures", "reason", "accepted_by", "expires")
KEYS = (*REQUIRED, "table")
CODE = re.compile(r"^[A-Za-z]+[0-9]+$")
MAX_BYTES = 4 * 1024 * 1024


class WaiverError(Exception):
    """The waiver file cannot be used; the message names the file, the entry, the key, the reason."""


@dataclass(frozen=True)
class Waiver:
    """One reviewed exception."""

    number: int  # 1-based position in the file
    line: int
    document: str
    rule: str
    table: str | None
    figures: tuple[str | None, ...]
    reason: str
    accepted_by: str
    expires: dt.date

    def covers(self, key: str, finding: Finding) -> bool:
        return (fnmatchcase(key, self.document) and finding.rule.upper() == self.rule
                and (self.table is None or finding.table == self.table)
                and same_figures(figures(finding), self.figures))

    def to_dict(self, path: Path) -> dict:
        """What a waived finding carries (JSON key "waived")."""
        return {"reason": self.reason, "accepted_by": self.accepted_by, "expires": self.expires.isoformat(),
                "file": str(path), "entry": self.number}


def load(path: Path, lang: str = "zh") -> list[Waiver]:
    """Read and check the whole file; the first problem is a WaiverError."""
    import yaml

    try:
        if path.stat().st_size > MAX_BYTES:
            raise WaiverError(f"{path}: " + _say(lang, "豁免文件过大", "waiver file too large"))
        text = path.read_text("utf-8")
    except OSError as exc:
        raise WaiverError(f"{path}: {_say(lang, '无法读取豁免文件', 'cannot read the waiver file')} "
                          f"({exc.strerror})") from None
    except UnicodeDecodeError:
        raise WaiverError(f"{path}: {_say(lang, '不是 UTF-8 文本', 'not UTF-8 text')}") from None
    from budget_audit.rules.ruleset import MAX_NODES, _expanded_size  # the rule sets' alias cap

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        root = yaml.compose(text, Loader=loader)
        if root is not None and _expanded_size(root, {}) > MAX_NODES:
            raise WaiverError(f"{path}: " + _say(lang, f"YAML 别名展开后超过 {MAX_NODES:,} 个值，拒绝读取",
                                                 f"YAML aliases expand to more than {MAX_NODES:,} values; refused"))
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise WaiverError(f"{path}{where}: {_say(lang, '不是有效的 YAML', 'not valid YAML')} "
                          f"({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or set(data) != {"waivers"} or not isinstance(data["waivers"], list):
        raise WaiverError(f"{path}: " + _say(lang, "豁免文件应为只含“waivers”列表的映射",
                                             "a waiver file is a mapping with one key, 'waivers', holding a list"))
    lines = [node.start_mark.line + 1 for node in root.value[0][1].value]
    return [_entry(path, i + 1, lines[i], entry, lang) for i, entry in enumerate(data["waivers"])]


def _entry(path: Path, number: int, line: int, entry, lang: str) -> Waiver:
    place = f"{path}:{line}: waivers[{number}]"

    def fail(key: str, zh: str, en: str):
        raise WaiverError(f"{place} {key}: {_say(lang, zh, en)}")

    if not isinstance(entry, dict):
        fail("", "每条豁免应为映射", "each waiver is a mapping")
    for key in entry:
        if key not in KEYS:
            close = difflib.get_close_matches(str(key), KEYS, n=1)
            fail(str(key), f"未知字段{f'，是否应为“{close[0]}”' if close else ''}（可用：{'、'.join(KEYS)}）",
                 f"unknown key{f'; did you mean {close[0]!r}' if close else ''} (known: {', '.join(KEYS)})")
    for key in REQUIRED:
        if key not in entry:
            fail(key, "缺少必填字段", "required key missing")
    for key in ("document", "rule", "reason", "accepted_by"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            fail(key, "应为非空字符串", "must be a non-empty string")
    if not CODE.match(entry["rule"]):
        fail("rule", f"“{entry['rule']}”不是规则代码（如 SUM001）", f"{entry['rule']!r} is not a rule code (e.g. SUM001)")
    table = entry.get("table")
    if table is not None and (not isinstance(table, str) or not table):
        fail("table", "应为表的标识（如 general_budget_expenditure）", "must be a table id (e.g. general_budget_expenditure)")
    shown = entry["figures"]
    if not isinstance(shown, list) or not all(v is None or isinstance(v, str) for v in shown):
        fail("figures", "应为按原样印出的数字的列表，数字加引号（如 \"9,716.698690\"），空单元格写 null",
             "must be a list of the figures as printed, quoted (\"9,716.698690\"); null for an empty cell")
    expires = entry["expires"]
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            pass
    if not isinstance(expires, dt.date) or isinstance(expires, dt.datetime):
        fail("expires", "应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)")
    return Waiver(number, line, entry["document"].strip(), entry["rule"].upper(), table, tuple(shown),
                  entry["reason"].strip(), entry["accepted_by"].strip(), expires)


def apply(documents, waivers: list[Waiver], path: Path, root: Path, today: dt.date) -> None:
    """Mark covered findings waived; a live waiver that covers nothing in a document its glob
    names, or an expired one, becomes a finding of that document. Documents not in this run are
    not judged (a pre-commit run sees only the changed files). Globs are relative to `root`."""
    for doc in documents:
        if doc.status == "error":
            continue
        key = document_key(doc.path, root)
        for waiver in (w for w in waivers if fnmatchcase(key, w.document)):
            covered = [f for f in doc.findings if not is_adoption_finding(f) and waiver.covers(key, f)]
            if waiver.expires < today:
                doc.findings.append(_expired(waiver, path, len(covered)))
                continue
            for finding in covered:
                finding.waiver = waiver.to_dict(path)
            if not covered:
                doc.findings.append(_stale(waiver, path))


TITLES = {"ADO001": {"zh": "豁免未匹配任何问题", "en": "Waiver matches no finding"},
          "ADO002": {"zh": "豁免已过期", "en": "Waiver has expired"}}


def _stale(waiver: Waiver, path: Path) -> Finding:
    where = f"{path}:{waiver.line}"
    return Finding(rule="ADO001", severity="warning", family="ADO", title=TITLES["ADO001"],
                   extra={"waiver_file": str(path), "entry": waiver.number},
                   message={"zh": f"豁免 {where}（第 {waiver.number} 条，{waiver.rule}）未匹配本文件的任何问题："
                                  f"问题已改正，或所列数字已变化（豁免只覆盖审核时的数字）；请更新或删除该条",
                            "en": f"Waiver {where} (entry {waiver.number}, {waiver.rule}) matches no finding of this "
                                  f"document: fixed, or its figures changed (a waiver covers only the figures "
                                  f"reviewed); update or remove it"})


def _expired(waiver: Waiver, path: Path, covered: int) -> Finding:
    where = f"{path}:{waiver.line}"
    day = waiver.expires.isoformat()
    return Finding(rule="ADO002", severity="warning", family="ADO", title=TITLES["ADO002"],
                   extra={"waiver_file": str(path), "entry": waiver.number, "expired": day},
                   message={"zh": f"豁免 {where}（第 {waiver.number} 条，{waiver.rule}）已于 {day} 到期，"
                                  f"不再豁免（涉及 {covered} 个问题）；请重新审核后续期或删除",
                            "en": f"Waiver {where} (entry {waiver.number}, {waiver.rule}) expired on {day} and no "
                                  f"longer applies ({covered} finding(s)); review it again or remove it"})
