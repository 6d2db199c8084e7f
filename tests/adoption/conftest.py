"""A bureau's project folder for the adoption tests, and the CLI run in-process (as `budget-audit`)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import CENTER
from tests.reports.planted import broken_center

PLANTED = "9,716.698690"  # broken_center's 合计 of 预算05表


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict:
        return json.loads(self.out)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """tmp/: 2026/center.txt (4 planted errors), clean.txt; the working directory."""
    (tmp_path / "2026").mkdir()
    broken_center(tmp_path / "2026", "center.txt")
    shutil.copy(CENTER, tmp_path / "clean.txt")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli(capsys):
    """budget-audit ARGS..., in this process (exit status, stdout, stderr)."""
    from budget_audit.reports.cli import main

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def findings(report: dict, path: str) -> list[dict]:
    return next(d for d in report["documents"] if d["path"] == path)["findings"]
