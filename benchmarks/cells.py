"""How a figure looks in a results table: "-" when there is none, a word when it is infinite."""

from __future__ import annotations

import math


def cell(x, spec: str, scale: float = 1.0, infinite: str = "-", unit: str = "") -> str:
    """``x`` (a number, an empty cell or None) formatted with ``spec`` after ``scale``."""
    if x in ("", None) or (isinstance(x, float) and math.isnan(x)):
        return "-"
    value = float(x)
    return infinite if math.isinf(value) else f"{scale * value:{spec}}{unit}"


def seconds(x) -> str:
    """A time that was never reached reads "never"."""
    return cell(x, ".2f", infinite="never")


def millis(x) -> str:
    return cell(x, ".1f", scale=1000)


def megabytes(x) -> str:
    return cell(x, ",.0f")


def percent(x) -> str:
    """A gap; a run without an answer has none."""
    return cell(x, ".4f", scale=100, infinite="no answer", unit=" %")


def amount(x) -> str:
    return cell(x, ",.2f")


def limit(x) -> str:
    return cell(x, "g")
