"""fail-on in [[tool.budget-audit.overrides]]: that document's status; the run exits 1 when any
document fails; --fail-on typed wins; a bad value is refused as at top level."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CENTER = ROOT / "samples" / "beijing-zhengwu-center-2026-budget.txt"  # warnings only (3 STR005)
CLI = str(Path(sys.executable).parent / "budget-audit")


def _cli(*args, cwd):
    return subprocess.run([CLI, *args], capture_output=True, text=True, cwd=cwd, timeout=300)


@pytest.fixture
def project(tmp_path):
    for folder in ("strict", "loose"):
        (tmp_path / folder).mkdir()
        shutil.copyfile(CENTER, tmp_path / folder / "center.txt")
    (tmp_path / "budget-audit.toml").write_text('[[overrides]]\nglob = "strict/*"\nfail-on = "warning"\n', "utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_override_fails_its_documents_on_warnings(project, fmt):
    run = _cli("check", "--format", fmt, "loose", cwd=project)
    assert run.returncode == 0, run.stderr
    run = _cli("check", "--format", fmt, "strict", "loose", cwd=project)
    assert run.returncode == 1, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()] if fmt == "jsonl" else json.loads(run.stdout)["documents"]
    assert {Path(d["path"]).parent.name: d["status"] for d in lines if "path" in d} == {"strict": "fail", "loose": "pass"}


def test_quiet_verdicts_follow_each_documents_fail_on(project):
    run = _cli("check", "--quiet", "--lang", "en", "strict", "loose", cwd=project)
    assert run.returncode == 1
    verdicts = {line.split()[1].split("/")[0]: line.split()[0] for line in run.stdout.splitlines()}
    assert verdicts == {"strict": "FAIL", "loose": "WARN"}


def test_the_typed_option_wins(project):
    assert _cli("check", "--fail-on", "error", "strict", cwd=project).returncode == 0
    assert _cli("check", "--fail-on", "warning", "loose", cwd=project).returncode == 1


def test_a_bad_value_is_refused_like_at_top_level(project):
    (project / "budget-audit.toml").write_text('[[overrides]]\nglob = "strict/*"\nfail-on = "info"\n', "utf-8")
    run = _cli("check", "--lang", "en", "strict", cwd=project)
    assert run.returncode == 2 and "overrides[0] bad value for 'fail-on': 'info' (error | warning)" in run.stderr


def test_jsonl_keeps_an_overrides_rules(project):
    (project / "budget-audit.toml").write_text('[[overrides]]\nglob = "strict/*"\nignore = ["STR"]\n', "utf-8")
    run = _cli("check", "--format", "jsonl", "strict", cwd=project)
    first, summary = [json.loads(line) for line in run.stdout.splitlines()]
    assert [f["rule"] for f in first["findings"]] == [] and summary["summary"]["warnings"] == 0
