"""Why a youth is left unplaced, in words a planner can act on, from plain facts.

The facts are counts and ids, not solver objects: how many units each placement rule left in
turn (``Narrowing``), and what kept the units that were left closed in the final assignment
(``Blockage``). The solver's reasons (``matcher.solver.reasons``) and ``matcher explain`` build them
each their own way and share this wording, so that both say the same thing. A reason first
names what narrowed the choice (setting, age, gender, distance, excluded locations), then what
closed the rest ("1 passende unit is vol").
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.lists import format_list

from matcher.domain import CARE_TYPE_LABEL, SETTING_RANK, SETTINGS
from matcher.i18n import _, locale, ngettext, number

#: Units named by id in a reason when no more than this many are left.
MAX_NAMED_UNITS = 3


@dataclass(frozen=True)
class Narrowing:
    """How many units each placement rule (1-6) left for one youth, applied in turn.

    ``limits_km`` are the distance limits that applied (the youth's own when ``own_limit``,
    else those of the care types of the units still in the running); ``nearest_km`` is the
    nearest unit that kept every rule but the distance limit (``None``: there was none).
    """

    care_types: tuple[str, ...]
    min_setting: str
    machtiging: bool
    age: int
    gender: str
    offered: int
    after_setting: int
    after_age: int
    after_gender: int
    after_distance: int
    after_exclusion: int
    limits_km: tuple[float, ...] = ()
    own_limit: bool = False
    nearest_km: float | None = None


@dataclass(frozen=True)
class Blockage:
    """What kept the units the rules left closed to this youth in the final assignment.

    ``fitting`` are the ids of those units, nearest first; ``full`` of them had no free place;
    ``blocked`` had one, but taking this youth would break the age spread or a
    contra-indication (or their current residents already break a rule). ``sibling_group`` is
    set when the youth's brothers and sisters could not be placed together with it.
    """

    fitting: tuple[str, ...]
    full: int
    blocked: int
    sibling_group: str | None = None
    sibling_count: int = 0


def km_text(km: float) -> str:
    """A distance for a sentence: whole km, or one decimal below 10 km and for fractions."""
    whole = abs(km - round(km)) < 1e-9
    return number(km, 0 if whole or km >= 10 else 1)


def either(words: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a or b``, ``a, b or c`` in the run's language (Babel's list patterns)."""
    return format_list(list(words), style="or", locale=locale()) if words else ""


def both(words: tuple[str, ...] | list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c`` in the run's language (Babel's list patterns)."""
    return format_list(list(words), style="standard", locale=locale()) if words else ""


def care_text(care_types: tuple[str, ...]) -> str:
    """The care types by their Dutch names: ``intensieve jeugd-GGZ of eetstoornis-expertisezorg``."""
    return either([CARE_TYPE_LABEL[c] for c in care_types])


def gender_text(gender: str) -> str:
    """Whom a unit would have to take: boys, girls, or youths of gender x."""
    return {"m": _("boys"), "v": _("girls"), "x": _("youths of gender x")}[gender]


def setting_range_text(min_setting: str, machtiging: bool) -> str:
    """The settings that meet the need: from ``min_setting`` up, closed only with a machtiging."""
    heaviest = SETTINGS[-1] if machtiging else SETTINGS[-2]
    if min_setting == heaviest or SETTING_RANK[min_setting] > SETTING_RANK[heaviest]:
        return _("setting {setting}").format(setting=min_setting)
    if machtiging:
        return _("setting {setting} or heavier").format(setting=min_setting)
    return _("setting {setting} to {heaviest}").format(setting=min_setting, heaviest=heaviest)


def limit_text(n: Narrowing) -> str:
    """``within 150 km``, ``within the youth's own limit of 3 km``, ``within 150 or 250 km``."""
    limits = sorted(set(n.limits_km))
    if n.own_limit and limits:
        return _("within the youth's own limit of {km} km").format(km=km_text(limits[0]))
    return _("within {km} km").format(km=either([km_text(k) for k in limits]))


def no_unit_reason(n: Narrowing) -> str:
    """The reason when the rules leave no unit at all: the first rule that removed the last ones."""
    care = care_text(n.care_types)
    if n.offered == 0:
        return _("no compatible unit: there is no unit for {care} at all").format(care=care)
    if n.after_setting == 0:
        if n.min_setting == SETTINGS[-1] and not n.machtiging:
            return _("no compatible unit: only a gesloten setting meets the need, and there is no machtiging")
        text = _("no compatible unit: no unit for {care} has {settings}").format(
            care=care, settings=setting_range_text(n.min_setting, n.machtiging))
        return text if n.machtiging else text + _(" (closed units need a machtiging)")
    if n.after_age == 0:
        return _("no compatible unit: no unit for {care} with a suitable setting takes age {age}").format(
            care=care, age=n.age)
    if n.after_gender == 0:
        return _("no compatible unit: no unit for {care} with a suitable setting for age {age} takes {who}").format(
            care=care, age=n.age, who=gender_text(n.gender))
    if n.after_distance == 0:
        nearest = "" if n.nearest_km is None else _(" (nearest at {km} km)").format(km=km_text(n.nearest_km))
        return _("no compatible unit: no unit for {care} {within} takes age {age} with a suitable setting").format(
            care=care, within=limit_text(n), age=n.age) + nearest
    return _("no compatible unit: every suitable unit within reach is at an excluded location")


def narrowing_clauses(n: Narrowing, fitting: tuple[str, ...] = ()) -> list[str]:
    """What narrowed the choice, one clause per kind of rule that removed units (none: nothing did).

    ``fitting`` are the ids of the units left at the end; when few, the distance clause names them.
    """
    clauses: list[str] = []
    what = []
    if n.after_setting < n.offered:
        what.append(setting_range_text(n.min_setting, n.machtiging))
    if n.after_age < n.after_setting:
        what.append(_("age {age}").format(age=n.age))
    if n.after_gender < n.after_age:
        what.append(gender_text(n.gender))
    if what:
        clauses.append(ngettext(
            "only {n} of the {total} units for {care} fits {what}",
            "only {n} of the {total} units for {care} fit {what}", n.after_gender,
        ).format(n=n.after_gender, total=n.offered, care=care_text(n.care_types), what=both(what)))
    if n.after_distance < n.after_gender:
        within = limit_text(n)
        if fitting and len(fitting) == n.after_distance == n.after_exclusion and len(fitting) <= MAX_NAMED_UNITS:
            clauses.append(_("{within} only {units}").format(within=within, units=both(fitting)))
        else:
            clauses.append(_("{within} {n} of them").format(within=within, n=n.after_distance))
    excluded = n.after_distance - n.after_exclusion
    if excluded:
        clauses.append(ngettext(
            "{n} of them is at an excluded location", "{n} of them are at an excluded location", excluded,
        ).format(n=excluded))
    return clauses


def blockage_clause(b: Blockage) -> str:
    """What closed the units the rules left: siblings, full, age spread or contra-indication, cost."""
    left = len(b.fitting)
    if b.sibling_group is not None and b.full < left:
        return _("sibling group {group} ({n} members) could not be placed together at one location").format(
            group=b.sibling_group, n=b.sibling_count)
    if b.full == left:
        return ngettext("{n} fitting unit is full", "all {n} fitting units are full", left).format(n=left)
    parts = []
    if b.full:
        parts.append(ngettext("{n} of them is full", "{n} of them are full", b.full).format(n=b.full))
    if b.blocked:
        parts.append(ngettext(
            "{n} with a free place would break its age spread or a contra-indication, or its residents already break a rule",
            "{n} with a free place would break their age spread or a contra-indication, or their residents already break a rule",
            b.blocked,
        ).format(n=b.blocked))
    if b.full + b.blocked < left:
        parts.append(_("the remaining places would cost more than leaving this youth unplaced (check the weights)"))
    return "; ".join(parts)


def unplaced_reason(n: Narrowing, b: Blockage) -> str:
    """The one sentence for an unplaced youth: what narrowed the choice, then what closed the rest."""
    if n.after_exclusion == 0 or not b.fitting:
        return no_unit_reason(n)
    return "; ".join([*narrowing_clauses(n, b.fitting), blockage_clause(b)])
