"""Small wording helpers shared by every message: counts with their noun, "did you mean" hints."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def count(n: int, word: str, plural: str | None = None) -> str:
    """``1 unit``, ``3 units`` (``plural`` for irregular nouns)."""
    return f"{n} {word}" if n == 1 else f"{n} {plural or word + 's'}"


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice most like ``value`` (case-insensitive similarity), or None when none is close."""
    options = list(choices)
    by_lower = {c.lower(): c for c in options}
    if value.lower() in by_lower:
        return by_lower[value.lower()]
    near = difflib.get_close_matches(value.lower(), list(by_lower), n=1)
    return by_lower[near[0]] if near else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, else an empty string."""
    near = closest(value, choices)
    return f" (did you mean '{near}'?)" if near is not None and near != value else ""
