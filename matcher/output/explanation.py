"""One youth's explanation (``matcher.analysis.explain``) in a planner's words, for ``matcher explain``.

The units the rules allow, cheapest first, each cost split into its terms; for every cheaper unit
why it was not used; and which rules refused the other units. Only formatting happens here.
"""

from __future__ import annotations

from matcher.domain import CARE_TYPE_LABEL, URGENCY_LABEL
from matcher.analysis.explain import (
    COST_TOLERANCE, MOVES_NOT_ALLOWED, AgeSpread, ContraIndication, CostTerms, Explanation, Full, Obstacle,
    Option, Refusal, Resident, ResidentsInConflict, SiblingsElsewhere,
)
from matcher.i18n import _, ngettext, number
from matcher.wording_reasons import (
    MAX_NAMED_UNITS, both, care_text, either, gender_text, km_text,
)


#: Refused units shown one by one; the rest is counted.
MAX_REFUSED_SHOWN = 10


def _points(value: float) -> str:
    return number(value, 1)


# --- formatting -------------------------------------------------------------------------------


def resident_text(r: Resident) -> str:
    """``J02 (16 jaar, urgentie 1 regulier, woont er al)``."""
    where = _("lives there already") if r.stays else _("placed in this run")
    return _("{id} (age {age}, urgency {urgency} {label}, {where})").format(
        id=r.youth_id, age=r.age, urgency=r.urgency, label=URGENCY_LABEL[r.urgency], where=where)


def obstacle_text(x: Obstacle) -> str:
    """One obstacle in words, naming the residents or siblings it is about."""
    if isinstance(x, Full):
        return ngettext("full ({n} place): {who}", "full ({n} places): {who}", x.capacity).format(
            n=x.capacity, who=both([resident_text(r) for r in x.residents]))
    if isinstance(x, AgeSpread):
        return ngettext(
            "age spread: {who} sets the range; with this youth the ages would span {span} years, more than the {max} this unit allows",
            "age spread: {who} set the range; with this youth the ages would span {span} years, more than the {max} this unit allows",
            len(x.setters),
        ).format(who=both([resident_text(r) for r in x.setters]), span=x.span, max=x.max_age_spread)
    if isinstance(x, ContraIndication):
        return _("contra-indication with {who}").format(who=both([resident_text(r) for r in x.partners]))
    if isinstance(x, ResidentsInConflict):
        pairs = "; ".join(both(list(p)) for p in x.pairs)
        return _("its residents already include a contra-indicated pair ({pairs}), so it takes nobody in").format(pairs=pairs)
    if isinstance(x, SiblingsElsewhere):
        where = both([_("{id} in {unit} at {location}").format(id=y, unit=u, location=loc) for y, u, loc in x.placed])
        return _("sibling group {group}: the brothers and sisters live at another location ({where})").format(
            group=x.group, where=where)
    return ngettext(
        "sibling group {group}: {who} has no place, and brothers and sisters are placed all together or not at all",
        "sibling group {group}: {who} have no place, and brothers and sisters are placed all together or not at all",
        len(x.waiting),
    ).format(group=x.group, who=both(list(x.waiting)))


def terms_text(terms: CostTerms, option: Option) -> str:
    """``afstand 3,1 km: 3,1 + setting 1 stap zwaarder: 50,0`` — the nonzero terms of a cost."""
    parts = [(_("distance {km} km").format(km=number(option.distance_km, 1)), terms.km)]
    steps = option.setting_steps
    setting = ngettext("setting {n} step heavier", "setting {n} steps heavier", steps).format(n=steps)
    parts.append((setting, terms.setting_steps))
    parts.append((_("outside own jeugdregio"), terms.outside_jeugdregio))
    parts.append((_("outside own bovenregio"), terms.outside_bovenregio))
    parts.append((_("alternative care type {care}").format(care=CARE_TYPE_LABEL[option.care_type]), terms.alt_care_type))
    parts.append((_("move"), terms.move))
    shown = [f"{label}: {_points(v)}" for label, v in parts if v != 0]
    return " + ".join(shown) if shown else _("staying costs nothing")


def why_not_text(e: Explanation, option: Option) -> str:
    """Why a cheaper unit (or any unit of an unplaced youth) was not used."""
    if option.obstacles:
        return "; ".join(obstacle_text(x) for x in option.obstacles)
    if e.status == "unplaced" and option.cost >= e.unplaced.total - COST_TOLERANCE:
        return _("had room, but costs more than leaving the youth unplaced")
    return _("had room and broke no rule; the search ended before it found this (the solution is not proven optimal)")


def refusal_text(r: Refusal, e: Explanation) -> str:
    """The units one rule refuses, summarised in words."""
    y, n = e.youth, len(r.unit_ids)
    texts = {
        "care_type_is_offered": lambda: ngettext(
            "{n} unit offers other care than {care}", "{n} units offer other care than {care}", n,
        ).format(n=n, care=care_text((y.care_type, *y.alt_care_types))),
        "setting_not_below_min_setting": lambda: ngettext(
            "{n} unit is lighter than {setting}, the lightest setting that meets the need",
            "{n} units are lighter than {setting}, the lightest setting that meets the need", n,
        ).format(n=n, setting=y.min_setting),
        "closed_unit_needs_machtiging": lambda: ngettext(
            "{n} unit is closed, and the youth has no machtiging",
            "{n} units are closed, and the youth has no machtiging", n,
        ).format(n=n),
        "age_within_unit_range": lambda: ngettext(
            "{n} unit does not take age {age}", "{n} units do not take age {age}", n).format(n=n, age=y.age),
        "gender_fits_unit": lambda: ngettext(
            "{n} unit does not take {who}", "{n} units do not take {who}", n).format(n=n, who=gender_text(y.gender)),
        "within_distance_limit": lambda: _distance_refusal(r, y.max_km is not None),
        "location_not_excluded": lambda: ngettext(
            "{n} unit is at a location excluded for this youth",
            "{n} units are at a location excluded for this youth", n,
        ).format(n=n),
        MOVES_NOT_ALLOWED: lambda: ngettext(
            "{n} other unit: the youth stays in {unit}, moves are not allowed this week",
            "{n} other units: the youth stays in {unit}, moves are not allowed this week", n,
        ).format(n=n, unit=y.current_unit_id),
    }
    text = texts[r.rule]()
    return text + (f" ({', '.join(r.unit_ids)})" if n <= MAX_NAMED_UNITS else "")


def unit_rule_text(rule: str, o: Option, e: Explanation) -> str:
    """Why one rule refuses this unit to this youth, in words."""
    y = e.youth
    unit = o.unit
    if rule == "setting_not_below_min_setting":
        return _("setting {setting} is lighter than {needed}, the lightest that meets the need").format(
            setting=o.setting, needed=y.min_setting)
    if rule == "closed_unit_needs_machtiging":
        return _("a closed unit, and the youth has no machtiging")
    if rule == "age_within_unit_range":
        return _("takes ages {lo} to {hi}, the youth is {age}").format(lo=unit.age_min, hi=unit.age_max, age=y.age)
    if rule == "gender_fits_unit":
        return {"jongens": _("a unit for boys only"), "meisjes": _("a unit for girls only")}.get(
            unit.gender, _("a unit that does not take {who}").format(who=gender_text(y.gender)))
    if rule == "within_distance_limit":
        limit = o.limit_km
        text = _("{km} km, beyond the youth's own limit of {limit} km") if y.max_km is not None else _(
            "{km} km, beyond the limit of {limit} km")
        return text.format(km=number(o.distance_km, 1), limit=km_text(limit))
    if rule == "location_not_excluded":
        return _("location {location} is excluded for this youth").format(location=o.location_id)
    return _("moves are not allowed this week")


def _distance_refusal(r: Refusal, own: bool) -> str:
    n = len(r.unit_ids)
    limit = either([km_text(k) for k in r.limits_km])
    if own:
        text = ngettext(
            "{n} unit refused because of the youth's own distance limit of {limit} km, nearest at {km} km",
            "{n} units refused because of the youth's own distance limit of {limit} km, nearest at {km} km", n)
    else:
        text = ngettext(
            "{n} unit refused because of the distance limit of {limit} km, nearest at {km} km",
            "{n} units refused because of the distance limit of {limit} km, nearest at {km} km", n)
    return text.format(n=n, limit=limit, km=km_text(r.nearest_km))


def header_lines(e: Explanation) -> list[str]:
    """Who the youth is (no home point) and where it ended up, at what cost."""
    y = e.youth
    need = CARE_TYPE_LABEL[y.care_type]
    if y.alt_care_types:
        need += " " + _("(also accepts {care})").format(care=care_text(y.alt_care_types))
    machtiging = _(", with a machtiging") if y.machtiging else ""
    lines = [_("Youth {id}: age {age}, gender {gender}, needs {care}, at least setting {setting}{machtiging}; "
               "urgency {urgency} ({label})").format(
        id=y.youth_id, age=y.age, gender=y.gender, care=need, setting=y.min_setting, machtiging=machtiging,
        urgency=y.urgency, label=URGENCY_LABEL[y.urgency])]
    chosen = e.chosen
    if chosen is None:
        lines.append(_("Unplaced: {points} points.").format(points=_points(e.cost)))
    else:
        where = {
            "placed": _("Placed in {unit} ({provider}, location {location}): {points} points."),
            "moved": _("Moved from {current} to {unit} ({provider}, location {location}): {points} points."),
            "stays": _("Stays in {unit} ({provider}, location {location}): {points} points."),
        }[e.status]
        lines.append(where.format(unit=chosen.unit_id, provider=chosen.provider, location=chosen.location_id,
                                  points=_points(e.cost), current=y.current_unit_id))
    u = e.unplaced
    if y.is_occupant:
        lines.append(_("An occupant is never left without a place."))
        return lines
    lines.append(ngettext(
        "Leaving this youth unplaced costs {total} points: {base} for urgency {urgency} + {waiting} for {weeks} week waiting.",
        "Leaving this youth unplaced costs {total} points: {base} for urgency {urgency} + {waiting} for {weeks} weeks waiting.",
        u.waiting_weeks,
    ).format(total=_points(u.total), base=_points(u.unplaced), urgency=u.urgency, waiting=_points(u.waiting),
             weeks=u.waiting_weeks))
    if e.reason:
        lines.append(_("Reason: {reason}").format(reason=e.reason))
    return lines


def explanation_text(e: Explanation) -> str:
    """The whole explanation as the command prints it."""
    lines = header_lines(e) + [""]
    if e.options:
        lines.append(_("Units the rules allow, cheapest first:"))
    else:
        lines.append(_("No unit is allowed by the rules."))
    why = {o.unit_id for o in e.cheaper} | ({o.unit_id for o in e.options} if e.status == "unplaced" else set())
    for rank, o in enumerate(e.options, start=1):
        mark = "  <- " + _("chosen") if o.chosen else ""
        lines.append(f"  {rank}. {o.unit_id}: {_points(o.cost)} = {terms_text(o.terms, o)}{mark}")
        if o.refused_by:
            rules = "; ".join(unit_rule_text(rule, o, e) for rule in o.refused_by)
            lines.append("     " + _("breaks a rule: {rules}").format(rules=rules))
        if o.unit_id in why:
            lines.append("     " + _("not used: {why}").format(why=why_not_text(e, o)))
    if e.refused_cheaper:
        lines += ["", _("Cheaper units that the rules refuse, nearest first:")]
        for o in e.refused_cheaper[:MAX_REFUSED_SHOWN]:
            rules = "; ".join(unit_rule_text(rule, o, e) for rule in o.refused_by)
            lines.append(f"  - {o.unit_id} ({number(o.distance_km, 1)} km): {rules}")
        more = len(e.refused_cheaper) - MAX_REFUSED_SHOWN
        if more > 0:
            lines.append("  " + ngettext("... and {n} more", "... and {n} more", more).format(n=more))
    if e.refusals:
        lines += ["", _("Refused by the rules:")]
        lines += [f"  - {refusal_text(r, e)}" for r in e.refusals]
    return "\n".join(lines)
