"""report.md: the new sections (care given and not given, units per care type and setting, where
one more place helps most) on a solved tiny instance, in Dutch and in English."""

from __future__ import annotations

import pytest

from matcher.check import check
from matcher.i18n import use_language
from matcher.report import render_report
from matcher.solve import solve
from matcher.writing import summary_of, with_reasons
from test_marginal import full_unit_case


@pytest.fixture(scope="module")
def solved():
    """The tiny case with one full unit and two youths waiting for it, solved and checked."""
    instance = full_unit_case()
    result = solve(instance, time_limit=5)
    report = check(instance, result.unit_of)
    outcomes = with_reasons(report, result)
    return instance, outcomes, summary_of(instance, result, report, outcomes)


def test_the_report_says_where_one_more_place_helps_most_in_dutch(solved):
    """Dutch by default: the section title of the issue, the unit U1, and 'exact' for its re-solved saving."""
    with use_language("nl"):
        text = render_report(*solved)
    assert "## Waar helpt één plek extra het meest" in text
    row = next(line for line in text.splitlines() if line.startswith("| U1 |"))
    assert "exact (opnieuw opgelost, beide bewezen optimaal)" in row and "1.000,0" in row
    assert "keer opnieuw opgelost" in text


def test_the_report_shows_care_not_given_beside_its_cost(solved):
    """Youths without a place, youth-days without care and the waiting weeks stand beside the cost."""
    instance, outcomes, summary = solved
    with use_language("en"):
        text = render_report(instance, outcomes, summary)
    assert f"youths without a place: {summary['unplaced']}" in text
    assert f"youth-days without care per year {365 * summary['unplaced']}" in text
    assert "| 3-milieuvoorziening | kleinschalig | 1 | 1 | 1.0 |" in text


def test_without_a_valid_solution_the_section_says_why(solved):
    """A summary without marginal capacity gets one sentence instead of a table."""
    instance, outcomes, summary = solved
    with use_language("en"):
        text = render_report(instance, outcomes, {**summary, "marginal_capacity": None})
    assert "Not computed: there is no valid solution to start from." in text
