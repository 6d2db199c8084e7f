"""Output formats. Each module exposes `render(report, lang="zh") -> str`.

Modules are imported only when their format is asked for, so the CLI starts fast.
"""

from __future__ import annotations

import importlib

FORMATS = {
    "rich": "terminal",
    "json": "json",
    "jsonl": "jsonl",
    "html": "html",
    "junit": "junit",
    "sarif": "sarif",
    "github": "github",
    "markdown": "markdown",
    "gx-json": "gx_json",
}


def get(name: str):
    """The format module for a name; raises KeyError naming the unknown format."""
    if name not in FORMATS:
        raise KeyError(f"unknown format {name!r}; known: {', '.join(FORMATS)}")
    return importlib.import_module(f"{__name__}.{FORMATS[name]}")
