"""Small wording helpers shared by every message: counts with their noun, "did you mean" hints,
and how sure a saving of one more place is.

``count(n, "unit", "units")`` is an ngettext pair (singular and plural are English message ids,
translated as one plural entry of the catalog; ``tests/test_i18n.py`` extracts them through the
``count`` keyword). ``did_you_mean`` finds the intended value by similarity, ignoring case,
spaces, dashes and underscores, and also through names: a gemeente's name gives its CBS code,
a care type's Dutch name the care type.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping

from matcher.i18n import _, ngettext, number

_NOT_LETTERS = re.compile(r"[^0-9a-z]+")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 unit``, ``3 units`` in the run's language (``plural`` defaults to ``singular + 's'``)."""
    return f"{number(n)} {ngettext(singular, plural or singular + 's', n)}"


def _plain(text: str) -> str:
    """``'s-Gravenhage`` and ``sgravenhage``, ``intensieve-ggz`` and ``intensieve_ggz`` alike."""
    return _NOT_LETTERS.sub("", text.lower())


def closest(value: str, choices: Iterable[str], names: Mapping[str, str] | None = None) -> str | None:
    """The choice most like ``value``, or None when none is close.

    Exact up to case, spaces and punctuation first, then by similarity; ``names`` maps other
    ways of writing a choice (a gemeente's name, a care type's Dutch name) to the choice.
    """
    options = list(choices)
    by_plain: dict[str, str] = {}
    for c in options:
        by_plain.setdefault(_plain(c), c)
    for name, choice in (names or {}).items():
        by_plain.setdefault(_plain(name), choice)
    by_plain.pop("", None)
    key = _plain(value)
    if key in by_plain:
        return by_plain[key]
    near = difflib.get_close_matches(key, list(by_plain), n=1, cutoff=0.75)
    if not near:
        near = difflib.get_close_matches(value.lower(), [c.lower() for c in options], n=1)
        return next((c for c in options if c.lower() == near[0]), None) if near else None
    return by_plain[near[0]]


def did_you_mean(value: str, choices: Iterable[str], names: Mapping[str, str] | None = None,
                 label: Mapping[str, str] | None = None) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, else an empty string.

    ``label`` adds what the choice stands for: `` (did you mean 'GM0344' (Utrecht)?)``.
    """
    near = closest(value, choices, names)
    if near is None or near == value:
        return ""
    if label and near in label:
        return _(" (did you mean '{value}' ({name})?)").format(value=near, name=label[near])
    return _(" (did you mean '{value}'?)").format(value=near)


# --- the value of one more place (summary.json's marginal_capacity rows), in words ---------


def saving_of(row: dict) -> float:
    """The saving to show for a row of summary.json: the re-solved one when there is one."""
    return row["estimated_saving"] if row.get("exact_saving") is None else row["exact_saving"]


def how_known(row: dict) -> str:
    """In words, how sure the saving of a row of summary.json's ``marginal_capacity`` is."""
    return {
        "exact": _("exact (solved again, both proven optimal)"),
        "at_least": _("at least this (solved again within its time limit)"),
        "unproven": _("solved again, not proven optimal"),
    }.get(row.get("proof"), _("relaxation estimate"))


def how_known_short(row: dict) -> str:
    """``how_known`` in a few words, for a table cell."""
    return {
        "exact": _("exact, solved again"),
        "at_least": _("at least, solved again"),
        "unproven": _("solved again, not proven"),
    }.get(row.get("proof"), _("relaxation estimate"))
