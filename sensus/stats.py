"""Demographic statistics as pure functions over counts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def ratio(part: float, whole: float) -> float:
    """part / whole, or NaN when the whole is zero."""
    return part / whole if whole else float("nan")


def sex_ratio(male: float, female: float) -> float:
    """Males per 100 females."""
    return 100 * ratio(male, female)


def dependency_ratios(young: float, working: float, old: float) -> dict[str, float]:
    """Young (0-14), old (65+) and total dependants per 100 persons aged 15-64."""
    return {
        "young": 100 * ratio(young, working),
        "old": 100 * ratio(old, working),
        "total": 100 * ratio(young + old, working),
    }


def grouped_median(lower: Sequence[float], upper: Sequence[float | None], counts: Sequence[float]) -> float:
    """The median of a grouped distribution by linear interpolation within the median class:
    L + (N/2 - F) / f * h. Classes are [lower, upper] in whole years, so a class 5-9 spans 5 to 10
    and a single year 7 spans 7 to 8; an open top class (upper None) gives its lower bound."""
    lows = np.asarray(lower, dtype=float)
    highs = pd.to_numeric(pd.Series(list(upper), dtype=object), errors="coerce").to_numpy(dtype=float)
    freq = np.asarray(counts, dtype=float)
    order = np.argsort(lows, kind="stable")
    lows, highs, freq = lows[order], highs[order], freq[order]
    total = freq.sum()
    if total <= 0:
        return float("nan")
    half = total / 2
    below = 0.0
    for low, high, count in zip(lows, highs, freq):
        if count > 0 and below + count >= half:
            if np.isnan(high):
                return float(low)
            return float(low + (half - below) / count * (high + 1 - low))
        below += count
    return float("nan")
