"""[tool.budget-audit] in pyproject.toml / budget-audit.toml: found walking up, checked completely,
command-line options win, per-path overrides."""

from __future__ import annotations

from tests.adoption.conftest import findings
from tests.reports.planted import broken_center


def rules_of(report, path):
    return sorted({f["rule"] for f in findings(report, path)})


def test_config_section_sets_options_and_the_command_line_wins(project, cli):
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n[tool.budget-audit]\nignore = ["XT"]\n'
                                            'lang = "en"\n', "utf-8")
    configured = cli("check", "--format", "json", "2026/center.txt").json
    assert rules_of(configured, "2026/center.txt") == ["STR005", "SUM002", "USE002"]
    assert "General public budget" in findings(configured, "2026/center.txt")[0]["message"]  # lang = "en"
    typed = cli("check", "--format", "json", "--ign", "STR005", "--lang", "zh", "2026/center.txt").json
    assert rules_of(typed, "2026/center.txt") == ["SUM002", "USE002", "XT005", "XT006"]
    assert "一般公共预算" in findings(typed, "2026/center.txt")[0]["message"]


def test_own_file_found_walking_up_from_the_checked_file(project, cli, monkeypatch):
    (project / "budget-audit.toml").write_text('fail-on = "warning"\n', "utf-8")
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nfail-on = "error"\n', "utf-8")  # own file first
    monkeypatch.chdir(project.parent)
    assert cli("check", "--quiet", f"{project.name}/clean.txt").code == 1  # warnings fail
    assert cli("check", "--quiet", "--fail-on", "error", f"{project.name}/clean.txt").code == 0


def test_unknown_keys_and_bad_values_name_file_and_key(project, cli):
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nfail_on = "warning"\n', "utf-8")
    bad = cli("check", "--lang", "en", "clean.txt")
    assert bad.code == 2 and bad.out == ""
    assert f"{project / 'pyproject.toml'}: [tool.budget-audit] unknown key 'fail_on'; did you mean 'fail-on'" in bad.err
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nfail-on = "fatal"\n', "utf-8")
    assert "bad value for 'fail-on': 'fatal' (error | warning)" in cli("check", "--lang", "en", "clean.txt").err
    (project / "pyproject.toml").write_text('[[tool.budget-audit.overrides]]\nglob = "2026/*"\nfail-on = "x"\n', "utf-8")
    zh = cli("check", "clean.txt")
    assert zh.code == 2 and "overrides[0] “fail-on”的值无效: 'x' (error | warning)" in zh.err  # checked as at top level


def test_per_path_override_changes_the_rules_of_matching_documents(project, cli):
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nignore = ["STR005"]\n'
                                            '[[tool.budget-audit.overrides]]\nglob = "2026/*"\nignore = ["XT", "STR005"]\n',
                                            "utf-8")
    broken_center(project, "other.txt")  # the same errors outside 2026/
    report = cli("check", "--format", "json", ".").json
    assert rules_of(report, "2026/center.txt") == ["SUM002", "USE002"]
    assert rules_of(report, "other.txt") == ["SUM002", "USE002", "XT005", "XT006"]
    assert rules_of(report, "clean.txt") == []
    (project / "pyproject.toml").write_text('[[tool.budget-audit.overrides]]\nglob = "2026/*"\nselect = ["NOPE1"]\n', "utf-8")
    typo = cli("check", "--lang", "en", ".")
    assert typo.code == 2 and "overrides[0]: --select NOPE1: matches no rule" in typo.err


def test_config_command_says_where_each_value_came_from(project, cli):
    (project / "pyproject.toml").write_text('[tool.budget-audit]\nprofile = "beijing_municipal"\n'
                                            'waivers = "audit/waivers.yaml"\n', "utf-8")
    shown = cli("config", "--lang", "en", "2026/center.txt")
    assert shown.code == 0
    lines = shown.out.splitlines()
    assert lines[0] == f"configuration file: {project / 'pyproject.toml'} [tool.budget-audit]"
    assert any(l.split() == ["profile", "=", "beijing_municipal", "#", "pyproject.toml"] for l in lines)
    assert any(l.split() == ["waivers", "=", str(project / "audit" / "waivers.yaml"), "#", "pyproject.toml"] for l in lines)
    assert any(l.split() == ["fail-on", "=", "error", "#", "default"] for l in lines)


def test_config_command_without_a_file(project, cli):
    shown = cli("config", "--lang", "en")
    assert shown.code == 0 and shown.out.splitlines()[0] == "configuration file: no configuration file found (defaults)"
