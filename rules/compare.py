"""Rounding-aware comparison (DOMAIN.md §3), in integer 分.

A printed value v with ulp u stands for [v − u/2, v + u/2]. `total` and `Σ items` agree when
|total − Σ items| <= u_total/2 + Σ u_i/2. Everything is doubled so no fraction appears.
Blank cells are exact zeros (ulp 0): nothing was printed that could have been rounded.
"""

from __future__ import annotations

from dataclasses import dataclass

PASS, ROUNDING, FAIL = "pass", "rounding", "fail"


@dataclass(frozen=True)
class Outcome:
    """How an expected and an actual value compare."""

    verdict: str
    expected: int
    actual: int
    slack2: int  # twice the admissible difference

    @property
    def difference(self) -> int:
        """actual − expected, in 分."""
        return self.actual - self.expected


def compare(expected: int, expected_ulp: int, actual: int, actual_ulp: int) -> Outcome:
    """Compare two figures, each with the sum of the ulps it was built from."""
    diff2 = 2 * abs(actual - expected)
    slack2 = expected_ulp + actual_ulp
    if diff2 == 0:
        verdict = PASS
    elif diff2 <= slack2:
        verdict = ROUNDING
    else:
        verdict = FAIL
    return Outcome(verdict, expected, actual, slack2)


def compare_arrays(expected, expected_ulp, actual, actual_ulp):
    """Vectorised verdicts: numpy arrays in, arrays of 0 pass / 1 rounding / 2 fail out."""
    import numpy as np

    diff2 = 2 * np.abs(actual - expected)
    slack2 = expected_ulp + actual_ulp
    return np.where(diff2 == 0, 0, np.where(diff2 <= slack2, 1, 2))
