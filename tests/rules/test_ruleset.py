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


# ---- review item 2: a user rule set is validated completely before any document is read ----
RULE = "  - {{code: U1, kind: {kind}, severity: error, title: {{zh: a, en: b}}, params: {params}}}\n"


def _refused(tmp_path, kind, params, words):
    """A one-rule set extending base is refused before reading, naming file, rule and key."""
    path = write(tmp_path, "extends: base\nrules:\n" + RULE.format(kind=kind, params=params))
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert path in str(info.value) and "rule U1" in str(info.value)
    for word in words:
        assert word in str(info.value), str(info.value)


@pytest.mark.parametrize("kind,params,words", [
    ("row-identity", "{table: basic_expenditure, total: totl, parts: [personnel, public]}",
     ["params.total", "basic_expenditure has no column 'totl'"]),
    ("column-sum", "{table: expenditure_summary, columns: [total, basik]}", ["params.columns[1]", "no column 'basik'"]),
    ("cross-table", "{left: {table: income_expenditure_summary, where: {sid: income}, column: amount},"
                    " right: {table: expenditure_summary, where: {is_total: true}, column: total}}",
     ["params.left.where.sid", "income_expenditure_summary has no column 'sid'"]),
    ("cross-table", "{left: {table: fiscal_appropriation_summary, where: {side: income, item: grand_totl}, column: amount},"
                    " right: {table: expenditure_summary, where: {is_total: true}, column: total}}",
     ["params.left.where.item", "prints no row 'grand_totl'"]),
    ("item-identity", "{table: three_public_funds, total: {item: total}, parts: [{item: overseas}, {item: receptoin}]}",
     ["params.parts[1].item", "three_public_funds prints no row 'receptoin'"]),
    ("group-sum", "{detail: {table: expenditure_summary, key: [clas_code], column: total},"
                  " summary: {table: income_expenditure_summary, key: [code], column: amount}}",
     ["params.detail.key[0]", "no column 'clas_code'"]),
    ("row-identity", "[table, basic_expenditure]", ["key 'params'", "must be a mapping"]),
])
def test_columns_and_row_filters_checked_against_the_catalog(tmp_path, kind, params, words):
    _refused(tmp_path, kind, params, words)


@pytest.mark.parametrize("text,words", [
    ("extends: base\nrule:\n  - {code: STR005, enabled: false}\n", ["unknown key 'rule'"]),
    ("name: [a]\nrules: []\n", ["key 'name'", "must be a string"]),
    ("extends: base\nrules:\n  - {code: STR005, enabled: 'no'}\n", ["rule STR005", "key 'enabled'", "true or false"]),
    ("rules:\n  - {code: 12, kind: column-sum, severity: error, title: {zh: a, en: b}, params: {table: basic_expenditure}}\n",
     ["key 'code'", "non-empty string"]),
    ("rules:\n  - {code: U2, kind: column-sum, severity: error, family: [X], title: {zh: a, en: b},"
     " params: {table: basic_expenditure}}\n", ["rule U2", "key 'family'"]),
    ("extends: base\nrules:\n  - {code: NOPE999, enabled: false}\n", ["rule NOPE999", "unknown code"]),
])
def test_set_keys_types_and_disabled_codes(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    for word in words:
        assert word in str(info.value), str(info.value)


def test_extends_resolves_beside_the_rule_set_and_names_a_cycle(tmp_path):
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "shared.yaml").write_text("extends: base\nrules:\n  - {code: SUM002, enabled: false}\n", "utf-8")
    mine = tmp_path / "team" / "mine.yaml"
    mine.write_text("extends: shared.yaml\nrules: []\n", "utf-8")
    codes = {r.code for r in load_ruleset(str(mine))}
    assert "SUM002" not in codes and "SUM001" in codes
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nrules: []\n", "utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nrules: []\n", "utf-8")
    with pytest.raises(RuleSetError, match="a cycle"):
        load_ruleset(str(tmp_path / "a.yaml"))


def test_shipped_sets_name_only_what_the_catalog_has():
    """Every shipped rule's columns and row filters pass the same catalog check a user's file gets."""
    from budget_audit.rules.kinds.columns import check_params
    from budget_audit.rules.ruleset import PROFILES, SHARED

    for name in [*PROFILES, *SHARED]:
        for rule in load_ruleset(name):
            assert check_params(rule.kind, rule.params) is None, (name, rule.code)


# ---- review item 3: every kind declares its params; unknown keys and bad values are refused ----
@pytest.mark.parametrize("kind,params,words", [
    ("column-sum", "{table: expenditure_summary, colums: [total]}",
     ["params.colums", "unknown key", "did you mean 'columns'"]),
    ("column-sum", "{table: expenditure_summary, rows: everything}",
     ["params.rows", "top, all or a row filter", "'everything'"]),
    ("column-sum", "{table: expenditure_summary, columns: [[total], basic]}", ["params.columns", "a list of strings"]),
    ("column-sum", "{table: expenditure_summary, rows: {code: {prefx: '201'}}}", ["params.rows.code", "operator"]),
    ("row-identity", "{table: basic_expenditure, total: total, parts: [personnel], relaton: ge}",
     ["params.relaton", "did you mean 'relation'"]),
    ("row-identity", "{table: basic_expenditure, total: total, parts: [personnel], missing_is_zero: 'yes'}",
     ["params.missing_is_zero", "true or false"]),
    ("cross-table", "{left: {table: expenditure_summary, colum: total}, right: {table: expenditure_summary, column: total}}",
     ["params.left.colum", "did you mean 'column'"]),
    ("group-sum", "{detail: {table: budget_detail, key: code, column: total},"
                  " summary: {table: general_budget_expenditure, key: [code], column: total}}",
     ["params.detail.key", "a list of strings"]),
    ("hierarchy-sum", "{table: general_budget_expenditure, scheme: function, colour: red}",
     ["params.colour", "unknown key", "hierarchy-sum has columns, levels, scheme, table"]),
    ("structure", "{check: template-residue, patterns: ['20(']}", ["params.patterns[0]", "not a regular expression"]),
    ("item-identity", "{table: three_public_funds, total: {item: total}, parts: {item: overseas}}",
     ["params.parts", "a list of row filters"]),
    ("empty-table-note", "{tables: {government_fund_expenditure: 政府性基金}, notes: 无}",
     ["params.notes", "did you mean 'note'"]),
    ("wording", "{check: phrases, phrase: []}", ["params.phrase", "did you mean 'phrases'"]),
    ("narrative-claim", "{check: table-amount, figure: {}}", ["params.figure", "did you mean 'figures'"]),
    # both passed validation and crashed at run time (TypeError), in the check and again in stats()
    ("narrative-claim", "{check: table-amount, figures: {基本支出: {table: expenditure_summary, column: [basic]}}}",
     ["params.figures.基本支出.column", "no column ['basic']"]),
    ("narrative-claim", "{check: table-amount, figures: {基本支出: {table: general_budget_expenditure,"
                        " where: {code: {prefix: [[201]]}}, column: total}}}",
     ["params.figures.基本支出.where.code", "a value or a list of values"]),
])
def test_params_keys_and_values_are_declared_by_each_kind(tmp_path, kind, params, words):
    _refused(tmp_path, kind, params, words)


def test_every_kind_declares_what_its_shipped_rules_use():
    """Each kind declares PARAMS; the shipped sets pass it."""
    from budget_audit.rules.kinds import KINDS, params
    from budget_audit.rules.ruleset import PROFILES, SHARED

    assert all(isinstance(getattr(m, "PARAMS", None), dict) for m in KINDS.values())
    for name in [*PROFILES, *SHARED]:
        for rule in load_ruleset(name):
            assert params.check(rule.kind, KINDS[rule.kind], rule.params) is None, (name, rule.code)


def test_the_kinds_own_checks_left_to_params_still_refuse(tmp_path):
    """Domains moved from the kinds' validate() to PARAMS: relation, scheme, note."""
    for kind, params, key in (("row-identity", "{table: basic_expenditure, total: total, parts: [public], relation: gt}",
                               "params.relation"),
                              ("cross-table", "{left: {table: expenditure_summary, column: total}, relation: lt,"
                                              " right: {table: expenditure_summary, column: total}}", "params.relation"),
                              ("hierarchy-sum", "{table: general_budget_expenditure, scheme: tree}", "params.scheme"),
                              ("empty-table-note", "{tables: {three_public_funds: 三公}, note: '(('}", "params.note")):
        path = write(tmp_path, "rules:\n" + RULE.format(kind=kind, params=params))
        with pytest.raises(RuleSetError, match=key.replace(".", r"\.")):
            load_ruleset(path)


def test_every_rule_case_uses_only_declared_params():
    from pathlib import Path

    import yaml

    from budget_audit.rules.kinds import KINDS, params

    cases = Path(__file__).parent.parent / "data" / "rule_cases"
    for path in sorted(cases.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text("utf-8")):
            kind = case["rule"]["kind"]
            assert params.check(kind, KINDS[kind], case["rule"]["params"]) is None, (path.name, case["name"])


def test_structure_checks_are_an_explicit_table():
    from budget_audit.rules.kinds import structure

    assert set(structure.CHECK) == set(structure.CHECKS)
    assert all(callable(f) and f.__module__ == structure.__name__ for f in structure.CHECK.values())


def test_every_not_applicable_reason_of_the_kinds_reads_in_chinese():
    """Each NotApplicable the kinds raise (f-strings filled with a table id) has its zh wording."""
    import ast
    import re
    from pathlib import Path

    import budget_audit.rules.kinds as kinds
    from budget_audit.rules.kinds.reasons import reason_text

    def sample(node):
        if isinstance(node, ast.Constant):
            return str(node.value)
        return "".join(str(v.value) if isinstance(v, ast.Constant) else "expenditure_summary" for v in node.values)

    reasons = [sample(call.args[0]) for path in Path(kinds.__file__).parent.glob("*.py")
               for call in ast.walk(ast.parse(path.read_text("utf-8")))
               if isinstance(call, ast.Call) and getattr(call.func, "id", "") == "NotApplicable" and call.args]
    assert len(reasons) >= 15
    untranslated = [r for r in reasons if re.search(r"[A-Za-z]{3,}", reason_text(r, "zh").replace("expenditure_summary", ""))]
    assert not untranslated, untranslated
    assert reason_text("expenditure_summary prints no total row", "en") == "Expenditure summary prints no total row"
