"""Project configuration: [tool.budget-audit] in pyproject.toml or budget-audit.toml (#16)."""

from __future__ import annotations


class ConfigError(Exception):
    """A configuration file is wrong: the message names the file, the key and the reason."""


def apply_config(args, argv) -> None:
    """Fill the options the command line did not give from the project configuration."""


def cmd_config(args) -> int:
    """`budget-audit config`: the effective configuration and where each value came from."""
    print("budget-audit: config is not available yet")
    return 2
