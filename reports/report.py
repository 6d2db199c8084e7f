"""One AuditReport object; every output format reads only from it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from budget_audit import __version__
from budget_audit.rules.findings import SEVERITY_RANK, Finding

SCHEMA_VERSION = 1

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
COUNT_WORDS = {"zh": {"document": "个文件", "error": "个错误", "warning": "个警告", "info": "个提示",
                      "check": "项检查", "unreadable": "个无法读取"},
               "en": {"document": ("document", "documents"), "error": ("error", "errors"),
                      "warning": ("warning", "warnings"), "info": ("note", "notes"),
                      "check": ("check", "checks"), "unreadable": ("unreadable", "unreadable")}}


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


def is_active(finding: Finding) -> bool:
    """A finding that counts: not waived, not in the baseline."""
    return not finding.waiver and not finding.baselined


@dataclass
class TableSummary:
    """What was read of one standard table (for the report's `tables` list)."""

    id: str
    title: str
    label: str | None
    rows: int
    unit: str | None
    line: int | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract's `table` object."""
        out: dict[str, Any] = {"id": self.id, "title": self.title, "label": self.label,
                               "rows": self.rows, "unit": self.unit}
        if self.line:
            out["source"] = {"line": self.line}
        return out


@dataclass
class CheckRecord:
    """One rule evaluated on one document (for coverage views and JUnit)."""

    rule: str
    family: str
    title: dict[str, str]
    severity: str
    failed: bool
    tables: tuple[str, ...] = ()
    skipped: str | None = None  # why the rule did not run on this document (NotApplicable)


@dataclass
class DocumentResult:
    """The outcome for one input file."""

    path: str
    status: str  # pass | fail | error
    template: str | None = None
    profile: str | None = None
    unit: str | None = None
    load_error: str | None = None
    load_error_line: int | None = None
    load_reason: str | None = None  # the reason alone (load_error is "path[:line]: reason")
    tables: list[TableSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    checks: list[CheckRecord] = field(default_factory=list)
    claims: dict[str, int] = field(default_factory=dict)
    document: Any = None  # the loaded Document, for formats that show table excerpts
    rules: list[Any] = field(default_factory=list, repr=False)  # the rules run (for the likely causes)
    _causes: list[Any] | None = field(default=None, repr=False)

    @property
    def causes(self) -> list[Any]:
        """The cells most likely wrong (rules.root_cause.Cause, likeliest first), computed on first
        use so that a check nobody reads pays nothing; a failure there loses no finding."""
        if self._causes is None:
            self._causes = []
            if self.document is not None and self.rules and self.findings:
                from budget_audit.rules import root_cause

                try:
                    self._causes = root_cause.find(self.document, self.rules, self.findings)
                except Exception:  # noqa: BLE001 - a summary of the findings, never a reason to lose them
                    self._causes = []
        return self._causes

    @property
    def checks_run(self) -> int:
        """How many rules were evaluated (skipped ones are listed in `checks` but did not run)."""
        return sum(1 for c in self.checks if c.skipped is None)

    @property
    def checks_failed(self) -> int:
        """How many rules produced at least one warning or error."""
        return sum(1 for c in self.checks if c.failed)

    @property
    def checks_skipped(self) -> list[CheckRecord]:
        """The rules that did not apply to this document, each with its reason."""
        return [c for c in self.checks if c.skipped is not None]

    @property
    def is_disclosure(self) -> bool:
        """False when the file could not be read because it is no disclosure at all."""
        return not (self.status == "error" and self.load_reason
                    and self.load_reason.startswith(NOT_A_DISCLOSURE))

    def error_text(self, lang: str = "zh") -> str:
        """The load error in the UI language: 'path[:line]: reason', the path said once."""
        if not self.load_reason:
            return self.load_error or ""
        where = f"{self.path}:{self.load_error_line}" if self.load_error_line else self.path
        return f"{where}: {translate_reason(self.load_reason, lang)}"

    def count(self, severity: str) -> int:
        """Findings of one severity that still count (neither waived nor in the baseline)."""
        return sum(1 for f in self.findings if f.severity == severity and is_active(f))

    @property
    def waived(self) -> int:
        """Findings a reviewed waiver covers."""
        return sum(1 for f in self.findings if f.waiver)

    @property
    def baselined(self) -> int:
        """Findings recorded in the baseline (and not waived)."""
        return sum(1 for f in self.findings if f.baselined and not f.waiver)

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON contract's `document` object."""
        return {
            "path": self.path,
            "status": self.status,
            "load_error": self.load_error,
            "template": self.template,
            "profile": self.profile,
            "unit": self.unit,
            "tables": [t.to_dict() for t in self.tables],
            "findings": [f.to_dict(lang) for f in self.findings],
            "checks_run": self.checks_run,
            "checks_failed": self.checks_failed,
            "checks_skipped": [{"rule": c.rule, "reason": c.skipped} for c in self.checks_skipped],
            "claims": self.claims or None,
            "causes": [c.to_dict(self.findings, lang) for c in self.causes],
        }


@dataclass
class AuditReport:
    """All documents of one run."""

    documents: list[DocumentResult] = field(default_factory=list)
    fail_on: str = "error"
    skipped: list[DocumentResult] = field(default_factory=list)  # files that are no disclosure (--skip-other)
    siblings: list[Any] = field(default_factory=list)  # rules.siblings.Relation: which documents were compared
    baseline_fixed: int = 0  # baseline entries no longer found (set by reports/adoption)
    batch_errors: list[str] = field(default_factory=list)  # a --relate / siblings.yaml that cannot be read

    @property
    def errors(self) -> int:
        """Error findings over all documents."""
        return sum(d.count("error") for d in self.documents)

    @property
    def warnings(self) -> int:
        """Warning findings over all documents."""
        return sum(d.count("warning") for d in self.documents)

    @property
    def infos(self) -> int:
        """Info findings (notes) over all documents."""
        return sum(d.count("info") for d in self.documents)

    @property
    def unreadable(self) -> int:
        """Documents that could not be read."""
        return sum(1 for d in self.documents if d.status == "error")

    def settle(self) -> None:
        """Each readable document's status from the findings that still count: a document whose
        every error is waived or in the baseline passes (waivers are applied after the check)."""
        floor = SEVERITY_RANK[self.fail_on]
        for doc in self.documents:
            if doc.status != "error":
                failing = any(SEVERITY_RANK[f.severity] >= floor and is_active(f) for f in doc.findings)
                doc.status = "fail" if failing else "pass"

    def is_failing(self) -> bool:
        """True when any finding is at or above the fail-on severity."""
        floor = SEVERITY_RANK[self.fail_on]
        return any(SEVERITY_RANK[f.severity] >= floor and is_active(f) for d in self.documents for f in d.findings)

    def exit_code(self) -> int:
        """0 clean, 1 findings at or above fail-on (waived and baselined ones aside), 2 when an input
        could not be read or the batch step failed (a --relate / siblings.yaml that cannot be read)."""
        if any(d.status == "error" for d in self.documents) or not (self.documents or self.skipped) or self.batch_errors:
            return 2
        return 1 if self.is_failing() else 0

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        """The JSON report (contract: tests/data/report.schema.json)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "tool": {"name": "budget-audit", "version": __version__},
            "documents": [d.to_dict(lang) for d in self.documents],
            "summary": {
                "documents": len(self.documents),
                "errors": self.errors,
                "warnings": self.warnings,
                "checks_run": sum(d.checks_run for d in self.documents),
                "checks_failed": sum(d.checks_failed for d in self.documents),
                "infos": self.infos,
                "unreadable": self.unreadable,
                "checks_skipped": sum(len(d.checks_skipped) for d in self.documents),
                "not_disclosures": len(self.skipped),
                "waived": sum(d.waived for d in self.documents),
                "baselined": sum(d.baselined for d in self.documents),
                "baseline_fixed": self.baseline_fixed,
            },
            "not_disclosures": [{"path": d.path, "reason": d.load_reason or d.load_error} for d in self.skipped],
            "siblings": [r.to_dict() for r in self.siblings],
            "batch_errors": list(self.batch_errors),
        }
