"""What `budget-audit config` prints: the effective configuration and where each value came from."""

from __future__ import annotations

from budget_audit.reports.adoption.config import KEYS, Config

WORDS = {"zh": {"default": "默认值", "none": "未找到配置文件（使用默认值）",
                "file": "配置文件", "overrides": "按路径覆盖",
                "cli_wins": "（命令行选项优先于配置文件）"},
         "en": {"default": "default", "none": "no configuration file found (defaults)",
                "file": "configuration file", "overrides": "per-path overrides",
                "cli_wins": "(command-line options win over the file)"}}


def render(config: Config, lang: str = "zh") -> str:
    """One line per key (value, then its source), then the per-path overrides."""
    words = WORDS[lang]
    lines = [f"{words['file']}: {config.label or words['none']}"]
    for key, (_, _, default) in KEYS.items():
        if key in config.values:
            value, source = config.values[key], config.path.name if config.path else ""
        else:
            value, source = default, words["default"]
        shown = "" if value is None else value
        lines.append(f"  {key:<9} = {shown!s:<40} # {source}")
    if config.overrides:
        lines.append(f"{words['overrides']}:")
        for override in config.overrides:
            settings = ", ".join(f"{k} = {v}" for k, v in override.items() if k != "glob")
            lines.append(f"  {' | '.join(override['glob'])}: {settings}")
    lines.append(words["cli_wins"])
    return "\n".join(lines) + "\n"
