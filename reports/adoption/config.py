"""Project configuration: [tool.budget-audit] in pyproject.toml or budget-audit.toml (#16).

The nearest file found walking up from the checked paths is used; a pyproject.toml without a
[tool.budget-audit] table is passed over (as linters do). Options typed on the command line win.

Where each setting can be given (the same names and checks everywhere; `fail-on` one of error |
warning, `lang` one of zh | en):
- top level: profile, ruleset, select, ignore, fail-on, lang, waivers, baseline;
- [[overrides]] (by `glob`, later overrides win): profile, ruleset, select, ignore, fail-on: what
  can differ by document (`fail-on` decides that document's status; the run exits 1 when any
  document fails). lang, waivers and baseline belong to the whole run.
"""

from __future__ import annotations

from budget_audit.reports.adoption import say as _say

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

OWN_FILE = "budget-audit.toml"
# key in the file -> (attribute of the check arguments, command-line option, argparse default)
KEYS = {"profile": ("profile", "--profile", None), "ruleset": ("ruleset", "--ruleset", None),
        "select": ("select", "--select", ""), "ignore": ("ignore", "--ignore", ""),
        "fail-on": ("fail_on", "--fail-on", "error"), "lang": ("lang", "--lang", "zh"),
        "waivers": ("waivers", "--waivers", None), "baseline": ("baseline", "--baseline", None)}
OVERRIDE_KEYS = ("glob", "profile", "ruleset", "select", "ignore", "fail-on")  # what can differ by document
CHOICES = {"fail-on": ("error", "warning"), "lang": ("zh", "en")}
PATH_KEYS = ("ruleset", "waivers", "baseline")  # resolved against the config file's folder
CHECK_OPTIONS = ("--format", "--output", "--jobs", "--dask", "--engine", "--write-baseline", "--quiet",
                 "--skip-other", *(option for _, option, _ in KEYS.values()))


class ConfigError(Exception):
    """A configuration file is wrong: the message names the file, the key and the reason."""


@dataclass
class Config:
    """The [tool.budget-audit] settings of one file, checked and with paths made absolute."""

    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)  # file key -> value as args expect it
    overrides: list[dict[str, Any]] = field(default_factory=list)  # each with "glob": [patterns]

    @property
    def folder(self) -> Path:
        return self.path.parent if self.path else Path(os.getcwd())

    @property
    def label(self) -> str:
        if self.path is None:
            return ""
        return f"{self.path} [tool.budget-audit]" if self.path.name == "pyproject.toml" else str(self.path)


def find(paths: Sequence[str], lang: str = "zh") -> Config:
    """The configuration of the checked paths (walking up from each); one project per run."""
    found: dict[Path, Path | None] = {}
    memo: dict[Path, Path | None] = {}  # by folder: a batch of a thousand files reads each file once
    for start in (paths or ["."]):
        absolute = Path(os.path.abspath(start))
        folder = absolute if absolute.is_dir() else absolute.parent
        if folder not in memo:
            memo[folder] = _nearest(folder)
        found[Path(start)] = memo[folder]
    files = set(found.values())
    if len(files) > 1:
        listed = "; ".join(f"{p} -> {f or '-'}" for p, f in found.items())
        raise ConfigError(_say(lang, f"所查文件属于不同的项目配置，请按项目分别运行：{listed}",
                               f"the checked paths belong to different project configurations; run once per "
                               f"project: {listed}"))
    path = files.pop() if files else None
    return read(path, lang) if path else Config()


def _nearest(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / OWN_FILE).is_file():
            return candidate / OWN_FILE
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file() and "budget-audit" in _load(pyproject, "zh").get("tool", {}):
            return pyproject
    return None


def _load(path: Path, lang: str) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: {_say(lang, '无法读取', 'cannot be read')} ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {_say(lang, '不是有效的 TOML', 'not valid TOML')} ({exc})") from None


def read(path: Path, lang: str = "zh") -> Config:
    """Read and check one configuration file completely."""
    data = _load(path, lang)
    section = data.get("tool", {}).get("budget-audit", {}) if path.name == "pyproject.toml" else data
    where = "[tool.budget-audit]" if path.name == "pyproject.toml" else ""
    config = Config(path=Path(os.path.abspath(path)))
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: {where} {_say(lang, '应为表', 'must be a table')}")
    for key, value in section.items():
        if key == "overrides":
            if not isinstance(value, list) or not all(isinstance(o, dict) for o in value):
                raise ConfigError(f"{path}: {where} overrides: "
                                  + _say(lang, "应写成 [[...overrides]] 表的数组", "must be [[...overrides]] tables"))
            config.overrides = [_override(path, where, i, o, config.folder, lang) for i, o in enumerate(value)]
            continue
        _known(path, where, key, list(KEYS) + ["overrides"], lang)
        config.values[key] = _value(path, where, key, value, config.folder, lang)
    return config


def _known(path: Path, where: str, key: str, allowed: list[str], lang: str) -> None:
    if key in allowed:
        return
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = _say(lang, f"，是否应为“{close[0]}”", f"; did you mean '{close[0]}'") if close else ""
    raise ConfigError(f"{path}: {where} " + _say(lang, f"未知配置项“{key}”{hint}（可用：{'、'.join(allowed)}）",
                                                 f"unknown key '{key}'{hint} (known: {', '.join(allowed)})"))


def _override(path: Path, where: str, index: int, table: dict, folder: Path, lang: str) -> dict[str, Any]:
    place = f"{where} overrides[{index}]"
    for key in table:
        _known(path, place, key, list(OVERRIDE_KEYS), lang)
    globs = table.get("glob")
    globs = [globs] if isinstance(globs, str) else globs
    if not globs or not all(isinstance(g, str) and g for g in globs):
        raise ConfigError(f"{path}: {place} glob: " + _say(lang, "必须给出路径模式（字符串或字符串数组）",
                                                           "a path pattern (string or array of strings) is required"))
    out: dict[str, Any] = {"glob": globs}
    for key, value in table.items():
        if key != "glob":
            out[key] = _value(path, place, key, value, folder, lang)
    return out


def _value(path: Path, where: str, key: str, value: Any, folder: Path, lang: str) -> Any:
    """The value as the check arguments hold it (select/ignore a comma string, paths absolute)."""
    bad = _say(lang, f"“{key}”的值无效", f"bad value for '{key}'")
    if key in ("select", "ignore"):
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(f"{path}: {where} {bad}: " + _say(lang, "应为规则代码或类别的数组",
                                                                 "expected an array of rule codes or families"))
        return ",".join(i.strip() for i in items if i.strip())
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{path}: {where} {bad}: " + _say(lang, "应为非空字符串", "expected a non-empty string"))
    if key in CHOICES and value not in CHOICES[key]:
        raise ConfigError(f"{path}: {where} {bad}: {value!r} ({' | '.join(CHOICES[key])})")
    if key in PATH_KEYS and (key != "ruleset" or "/" in value or value.endswith((".yaml", ".yml"))):
        return str((folder / value).resolve())
    return value


def typed_options(argv: Sequence[str]) -> set[str]:
    """The long options the user typed (argparse accepts unambiguous prefixes: --prof)."""
    typed = set()
    for arg in argv:
        if arg == "--":
            break
        if arg.startswith("--"):
            name = arg.split("=", 1)[0]
            matches = [o for o in CHECK_OPTIONS if o.startswith(name)]
            if len(matches) == 1 or name in matches:
                typed.add(name if name in matches else matches[0])
    return typed


def apply_config(args, argv) -> None:
    """Fill the options the command line did not give from the project configuration."""
    config = find(args.paths, _lang_of(args, argv))
    typed = typed_options(argv)
    sources: dict[str, str] = {}
    for key, (attr, option, _) in KEYS.items():
        if option in typed:
            sources[key] = "cli"
        elif key in config.values:
            setattr(args, attr, config.values[key])
            sources[key] = "file"
    args.config = config  # adoption.apply resolves the per-path overrides on each document
    args.config_typed = {key for key, (_, option, _) in KEYS.items() if option in typed}
    args.config_sources = sources


def _lang_of(args, argv) -> str:
    return "en" if getattr(args, "lang", "zh") == "en" else "zh"


def override_for(config: Config, path: str) -> dict[str, Any]:
    """The override settings that apply to one document (later overrides win); '*' crosses folders."""
    from fnmatch import fnmatchcase

    if not config.overrides:
        return {}
    absolute = Path(os.path.abspath(path))
    try:
        relative = absolute.relative_to(config.folder).as_posix()
    except ValueError:
        relative = absolute.as_posix()
    merged: dict[str, Any] = {}
    for override in config.overrides:
        if any(fnmatchcase(relative, g) or fnmatchcase(relative, g.rstrip("/") + "/*") for g in override["glob"]):
            merged.update({k: v for k, v in override.items() if k != "glob"})
    return merged


def cmd_config(args) -> int:
    """`budget-audit config`: the effective configuration and where each value came from."""
    import sys

    from budget_audit.reports.adoption.config_view import render
    from budget_audit.reports.output import write_stdout

    try:
        config = find(args.paths, args.lang)
    except ConfigError as exc:
        print(f"budget-audit: {exc}", file=sys.stderr)
        return 2
    write_stdout(render(config, args.lang))
    return 0
