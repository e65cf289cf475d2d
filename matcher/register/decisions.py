"""``decide``: the providers' answers to this week's proposals, from proposals.csv filled in.

A row per youth: ``decision`` is ``accepted`` or ``declined`` (also ``geaccepteerd``/``afgewezen``,
``ja``/``nee``); a decline needs the provider's ``reason``. Rows left empty are not decided yet.
A declined youth–location pair is never proposed again for that youth.
"""

from __future__ import annotations

from pathlib import Path

from matcher.errors import InputError
from matcher.i18n import N_, _
from matcher.input.reading import CellError, Column, Problems, read_table
from matcher.register import events as ev
from matcher.register.database import Open, bump, seen, transaction
from matcher.register.state import State, load_state

DECISION_WORDS = {"accepted": ev.ACCEPTED, "geaccepteerd": ev.ACCEPTED, "ja": ev.ACCEPTED, "yes": ev.ACCEPTED,
                  "declined": ev.DECLINED, "afgewezen": ev.DECLINED, "nee": ev.DECLINED, "no": ev.DECLINED}


class DecisionsError(InputError):
    """The decisions file breaks a rule; ``problems`` holds every problem found."""

    subject = N_("the decisions file")


def decision(raw: str) -> str:
    word = raw.strip().lower()
    if word not in DECISION_WORDS:
        raise CellError(_("'{value}' is not a decision: write accepted or declined").format(value=raw))
    return DECISION_WORDS[word]


DECISION_COLUMNS = (Column("youth_id", str, required=True), Column("unit_id", str), Column("decision", decision),
                    Column("reason", str))


def read_decisions(path: Path, state: State) -> tuple[list[tuple[str, str, str | None]], Problems]:
    """The decided rows of ``path`` as (youth, decision, reason), checked against this week's
    open proposals, with every problem."""
    problems = Problems()
    table = read_table(path.parent, path.name, DECISION_COLUMNS, problems)
    decided, seen_at = [], {}
    for row in table.ok_rows():
        youth, word, reason = row.get("youth_id"), row.get("decision"), row.get("reason")
        proposal = state.proposals.get(youth)
        if word is None:
            continue
        if youth in seen_at:
            problems.add(table.file, row.line, "youth_id", _("youth '{id}' is decided on line {line} already")
                         .format(id=youth, line=seen_at[youth]))
        elif proposal is None:
            problems.add(table.file, row.line, "youth_id", _("youth '{id}' has no proposal in week {week}")
                         .format(id=youth, week=state.week))
        elif proposal.decision is not None:
            problems.add(table.file, row.line, "decision", _("the proposal for youth '{id}' was {decision} already")
                         .format(id=youth, decision=_(ev.KINDS[proposal.decision])))
        elif row.get("unit_id") not in (None, proposal.unit_id):
            problems.add(table.file, row.line, "unit_id", _("youth '{id}' was proposed for unit '{unit}', not '{given}'")
                         .format(id=youth, unit=proposal.unit_id, given=row.get("unit_id")))
        elif word == ev.DECLINED and not reason:
            problems.add(table.file, row.line, "reason", _("a decline needs the provider's reason"))
        else:
            decided.append((youth, word, reason))
        seen_at.setdefault(youth, row.line)
    return decided, problems


def decide(db: str | Path, path: str | Path, user: str | None = None) -> dict[str, int]:
    """Record the decisions in ``path``; returns how many were accepted and declined. Raises
    ``InputError`` with every problem (and records nothing) when a row breaks a rule."""
    path = Path(path)
    with transaction(db) as connection:
        before = seen(connection)
        state = load_state(connection)
        decided, problems = read_decisions(path, state)
        if problems:
            raise DecisionsError(problems)
        log = ev.Log(before.week, user)
        for youth, word, reason in decided:
            p = state.proposals[youth]
            log.add(word, youth_id=youth, unit_id=p.unit_id, location_id=p.location_id, round=p.round, reason=reason)
        log.write(connection)
        bump(connection, Open(before.week, before.version))
    return {ev.ACCEPTED: sum(1 for d in decided if d[1] == ev.ACCEPTED),
            ev.DECLINED: sum(1 for d in decided if d[1] == ev.DECLINED)}
