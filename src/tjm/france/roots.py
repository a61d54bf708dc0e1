"""Bracketing root finders for the one-value solves, so that a floor needs no scipy.optimize
(slow to import)."""

from __future__ import annotations

import math
from collections.abc import Callable


def first_whole(reaches: Callable[[float], bool], low: float, high: float) -> int:
    """Return the smallest whole number in (low, high] where `reaches` holds, given that it
    fails at `low` (not checked) and, once true, stays true as the number grows."""
    failing, holding = math.floor(low), math.ceil(high)
    if not reaches(holding):
        raise ValueError("expected reaches(high) to hold")
    while holding - failing > 1:
        middle = (failing + holding) // 2
        if reaches(middle):
            holding = middle
        else:
            failing = middle
    return holding


def bracketed_root(f: Callable[[float], float], low: float, high: float, xtol: float) -> float:
    """Return a root of an increasing f between low and high, to within xtol.

    False position (the Illinois variant): a bisection's bracket, each step cut where the chord
    crosses zero, so a nearly straight f (the self-employed contributions) takes a handful of
    steps where bisection takes forty.
    """
    f_low, f_high = f(low), f(high)
    if f_low == 0:
        return low
    if f_high == 0:
        return high
    if f_low > 0 or f_high < 0:
        raise ValueError("expected f(low) <= 0 <= f(high)")
    side = 0  # which end moved last: -1 low, 1 high
    while high - low > xtol:
        middle = high - f_high * (high - low) / (f_high - f_low)
        if not low < middle < high:  # rounding put the chord's zero on an end: bisect
            middle = (low + high) / 2
            if middle in (low, high):  # no float left between them
                break
        f_middle = f(middle)
        if f_middle == 0:
            return middle
        if f_middle < 0:
            low, f_low = middle, f_middle
            if side < 0:  # the same end twice: halve the other's weight, so it moves too
                f_high /= 2
            side = -1
        else:
            high, f_high = middle, f_middle
            if side > 0:
                f_low /= 2
            side = 1
    return (low + high) / 2


GOLDEN = (math.sqrt(5) - 1) / 2  # the share of a bracket the golden-section search keeps


def golden_maximum(f: Callable[[float], float], low: float, high: float, xtol: float) -> float:
    """Return where f is highest between low and high, to within xtol, for an f with one peak
    there (the grid around it found the peak's region): a golden-section search, which
    evaluates f once a step and keeps the better inner point's side."""
    inner_low, inner_high = high - GOLDEN * (high - low), low + GOLDEN * (high - low)
    f_low, f_high = f(inner_low), f(inner_high)
    while high - low > xtol:
        if f_low >= f_high:  # the peak is left of inner_high
            high, inner_high, f_high = inner_high, inner_low, f_low
            inner_low = high - GOLDEN * (high - low)
            f_low = f(inner_low)
        else:
            low, inner_low, f_low = inner_low, inner_high, f_high
            inner_high = low + GOLDEN * (high - low)
            f_high = f(inner_high)
    return inner_low if f_low >= f_high else inner_high
