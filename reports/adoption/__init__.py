"""Adopting the tool in a repository: project configuration, reviewed waivers, a baseline (#16)."""

from __future__ import annotations


class AdoptionError(Exception):
    """A waiver or baseline file cannot be used: the message names the file, the place, the reason."""


def prepare(args) -> None:
    """Read and validate waiver and baseline files before any document is read."""
    for option in ("waivers", "baseline", "write_baseline"):
        if getattr(args, option, None):
            raise AdoptionError(f"--{option.replace('_', '-')} is not available yet")


def apply(report, args) -> None:
    """Mark waived and baselined findings in `report` (and write a baseline when asked)."""
