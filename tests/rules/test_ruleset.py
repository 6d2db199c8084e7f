"""Rule sets: shipped profiles load; a user's file extends and overrides; errors name file, code, key."""

from __future__ import annotations

import pytest

from budget_audit.rules.ruleset import RuleSetError, load_ruleset


def test_profiles_extend_the_base_set():
    base = {r.code for r in load_ruleset("base")}
    district = {r.code for r in load_ruleset("beijing_district")}
    municipal = {r.code for r in load_ruleset("beijing_municipal")}
    assert base < district and base < municipal
    assert "PRF002" in district and "PRF002" not in municipal
    assert "BAL021" in municipal


def write(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text, "utf-8")
    return str(path)


def test_user_file_extends_overrides_and_disables(tmp_path):
    path = write(tmp_path, """
extends: beijing_municipal
rules:
  - code: STR005
    enabled: false
  - code: SUM001
    kind: column-sum
    severity: warning
    title: {zh: 改为警告, en: downgraded}
    params: {table: expenditure_summary, rows: top}
  - code: USR001
    kind: row-identity
    severity: error
    title: {zh: 自定义, en: custom}
    params: {table: basic_expenditure, total: total, parts: [personnel, public]}
""")
    rules = {r.code: r for r in load_ruleset(path)}
    assert "STR005" not in rules
    assert rules["SUM001"].severity == "warning"
    assert rules["USR001"].kind == "row-identity"


@pytest.mark.parametrize("body,words", [
    ("- {code: X1, kind: nope, severity: error, title: {zh: a, en: b}}", ["rule X1", "key 'kind'", "unknown kind 'nope'"]),
    ("- {code: X2, kind: column-sum, severity: error, title: {zh: a, en: b}, params: {table: no_such_table}}",
     ["rule X2", "params.table", "unknown table id 'no_such_table'"]),
    ("- {code: X3, kind: column-sum, title: {zh: a, en: b}, params: {table: basic_expenditure}}", ["rule X3", "missing key 'severity'"]),
    ("- {code: X4, kind: row-identity, severity: error, title: {zh: a, en: b}, params: {table: basic_expenditure, total: total}}",
     ["rule X4", "params.parts", "missing"]),
    ("- {code: X5, kind: column-sum, severity: error, title: {zh: a, en: b}, params: {table: basic_expenditure}}\n"
     "- {code: X5, kind: column-sum, severity: error, title: {zh: a, en: b}, params: {table: basic_expenditure}}",
     ["rule X5", "duplicate code"]),
    ("- {code: X6, kind: column-sum, severity: error, title: {zh: a}, params: {table: basic_expenditure}}", ["rule X6", "key 'title'"]),
    ("- {code: X7, kind: column-sum, severity: error, title: {zh: a, en: b}, colour: red, params: {table: basic_expenditure}}",
     ["rule X7", "unknown key 'colour'"]),
])
def test_errors_name_file_code_and_key(tmp_path, body, words):
    path = write(tmp_path, "rules:\n" + "\n".join("  " + line for line in body.splitlines()))
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    message = str(info.value)
    assert path in message
    for word in words:
        assert word in message


def test_broken_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "rules:\n  - code: [unclosed\n")
    with pytest.raises(RuleSetError, match=r"rules.yaml:\d+: not valid YAML"):
        load_ruleset(path)


def test_shipped_yaml_reads_the_same_with_and_without_libyaml():
    import yaml
    from pathlib import Path

    import budget_audit.loaders as loaders
    import budget_audit.rules as rules

    files = sorted(Path(rules.__file__).parent.joinpath("sets").glob("*.yaml"))
    files.append(Path(loaders.__file__).parent / "catalog.yaml")
    for path in files:
        text = path.read_text("utf-8")
        pure = yaml.load(text, Loader=yaml.SafeLoader)
        assert pure == yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)), path.name


def test_profiles_are_the_shipped_sets_by_file_stem():
    from pathlib import Path

    import budget_audit.rules as rules
    from budget_audit.rules.ruleset import PROFILES, profile_for

    stems = {p.stem for p in Path(rules.__file__).parent.joinpath("sets").glob("*.yaml")} - {"base", "narrative"}
    assert set(PROFILES) == stems and {"beijing_district", "beijing_municipal"} <= stems
    for name in stems:
        assert profile_for(name) == name and load_ruleset(name)
    assert profile_for("no_such_template") == "base" and profile_for(None) == "base"


def test_an_unknown_profile_lists_the_valid_ones():
    with pytest.raises(RuleSetError) as info:
        load_ruleset("beijing_distrct")
    assert "unknown profile 'beijing_distrct'" in str(info.value)
    assert "beijing_district, beijing_municipal" in str(info.value)
