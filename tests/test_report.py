"""report.md: the new sections (care given and not given, units per care type and setting, where
one more place helps most) on a solved tiny instance, in Dutch and in English."""

from __future__ import annotations

import pytest

from matcher.analysis.check import check
from matcher.i18n import use_language
from matcher.input.source import read_instance
from matcher.output.report import render_report
from matcher.solver.solve import solve
from matcher.analysis.analysis import analyse
from matcher.output.writing import summary_of
from strategies import make_instance, make_location, make_unit, make_youth
from test_i18n import VOORBEELD, _words, language_words
from test_marginal import full_unit_case


@pytest.fixture(scope="module")
def solved():
    """The tiny case with one full unit and two youths waiting for it, solved and checked."""
    instance = full_unit_case()
    result = solve(instance, time_limit=5)
    report = check(instance, result.unit_of)
    analysis = analyse(instance, result, report)
    return instance, analysis.outcomes, summary_of(analysis)


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


# --- who goes where, and who waits --------------------------------------------------------------


def _solved(instance, time_limit: float = 10):
    """(instance, outcomes with reasons, summary) of a solved and checked instance."""
    result = solve(instance, time_limit=time_limit)
    report = check(instance, result.unit_of)
    analysis = analyse(instance, result, report)
    return instance, analysis.outcomes, summary_of(analysis)


def _report_of(instance, lang: str = "nl") -> str:
    with use_language(lang):
        return render_report(*_solved(instance))


def moving_case():
    """Y1 sits in U1 (Groningen) and may have intensieve jeugd-GGZ in Amsterdam; Y2 fits only U1."""
    instance = make_instance(
        locations=[make_location("L1", gemeente="GM0014", provider="Aanbieder Noord"),
                   make_location("L2", gemeente="GM0363", provider="Aanbieder West")],
        units=[make_unit("U1", "L1", capacity=1), make_unit("U2", "L2", care_type="intensieve_ggz", capacity=1)],
        youths=[make_youth("Y1", current_unit_id="U1", alt_care_types=("intensieve_ggz",)),
                make_youth("Y2", home_gemeente="GM0014")],
        allow_moves=True,
    )
    names = {"L1": "De Noorderhoeve", "L2": "Het Westerhuis"}
    return instance.model_copy(update={"locations": tuple(
        loc.model_copy(update={"name": names[loc.location_id]}) for loc in instance.locations)})


def _section(text: str, heading: str) -> list[str]:
    """The lines under ``heading`` up to the next heading of any level."""
    lines = text.splitlines()
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("#")), len(lines))
    return lines[start:end]


def test_the_report_lists_moves_and_new_placements_per_bovenregio_with_names():
    """The move and the new placement stand under the bovenregio of their unit, with the unit left,
    the unit, location and provider names, the distance and both jeugdregio's by name."""
    instance = moving_case()
    text = _report_of(instance)
    names = instance.regions.jeugdregio_name
    regions = instance.regions
    west = regions.bovenregio_of[regions.jeugdregio_of["GM0363"]]
    north = regions.bovenregio_of[regions.jeugdregio_of["GM0014"]]
    moved = next(line for line in _section(text, f"### Bovenregio {west}: 0 nieuwe plaatsingen, 1 verhuizing")
                 if line.startswith("| Y1 |"))
    assert moved.startswith("| Y1 | intensieve jeugd-GGZ (in plaats van 3-milieuvoorziening) | U1 | U2 |"
                            " Het Westerhuis (L2) | Aanbieder West |")
    amsterdam = regions.jeugdregio_of["GM0363"]
    assert f"| {names[amsterdam]} ({amsterdam}) | {names[amsterdam]} ({amsterdam}) |" in moved
    placed = next(line for line in _section(text, f"### Bovenregio {north}: 1 nieuwe plaatsing, 0 verhuizingen")
                  if line.startswith("| Y2 |"))
    groningen = regions.jeugdregio_of["GM0014"]
    assert placed.startswith("| Y2 | 3-milieuvoorziening | – | U1 | De Noorderhoeve (L1) | Aanbieder Noord |")
    assert f"{names[groningen]} ({groningen})" in placed


def waiting_case():
    """One driemilieu place in Amsterdam for five youths: urgency 3 takes it, four wait (weeks and
    urgencies chosen so that waiting weeks and urgency order them differently); one youth from Groningen."""
    youths = [make_youth("Y1", urgency=3, waiting_weeks=1),
              make_youth("Y2", urgency=1, waiting_weeks=9),
              make_youth("Y3", urgency=2, waiting_weeks=4),
              make_youth("Y4", urgency=1, waiting_weeks=4),
              make_youth("Y5", "GM0014", urgency=2, waiting_weeks=12, max_km=5.0)]
    return make_instance([make_location("L1", "GM0363")], [make_unit("U1", "L1", capacity=1)], youths)


def test_the_longest_waiting_youths_come_first():
    """Unplaced youths by waiting weeks (longest first), then urgency (highest first)."""
    text = _report_of(waiting_case())
    rows = [line.split(" | ")[0].strip("| ") for line in _section(text, "### Wie het langst wacht eerst")
            if line.startswith("| Y")]
    assert rows == ["Y5", "Y2", "Y3", "Y4"]


def test_the_unplaced_are_counted_per_bovenregio_and_jeugdregio_of_home():
    """Per bovenregio and per home jeugdregio: how many wait, how many of them urgently, the longest wait."""
    instance = waiting_case()
    regions = instance.regions
    text = _report_of(instance)
    table = _section(text, "### Per bovenregio en woonjeugdregio")
    amsterdam, groningen = regions.jeugdregio_of["GM0363"], regions.jeugdregio_of["GM0014"]
    west, north = regions.bovenregio_of[amsterdam], regions.bovenregio_of[groningen]
    assert f"| {west} | 3 | 1 | 9 |" in table and f"| {north} | 1 | 1 | 12 |" in table
    names = regions.jeugdregio_name
    assert f"| {west} | {names[amsterdam]} ({amsterdam}) | 3 | 1 | 9 |" in table
    assert f"| {north} | {names[groningen]} ({groningen}) | 1 | 1 | 12 |" in table


def test_the_report_shows_no_home_point():
    """Ids are in the report, home coordinates are not (in either decimal notation)."""
    instance = week_with_odd_homes()
    for lang in ("nl", "en"):
        text = _report_of(instance, lang)
        assert "Y2" in text
        for y in instance.youths:
            for value in (y.home_lat, y.home_lon):
                assert f"{value}" not in text and f"{value}".replace(".", ",") not in text


def week_with_odd_homes():
    """Youths at home points with uncommon decimals, one of them left waiting."""
    return make_instance(
        [make_location("L1", "GM0363")], [make_unit("U1", "L1", capacity=1)],
        [make_youth("Y1", home_lat=52.3812, home_lon=4.8977, urgency=2),
         make_youth("Y2", home_lat=52.3655, home_lon=4.9121)],
    )


# --- one language per report -------------------------------------------------------------------


def _without_data(text: str, instance, outcomes=()) -> str:
    """``text`` without what the input and the solver wrote: the instance's name, location and
    provider names, and the reasons (matcher.solver.reasons speaks for itself, tested there)."""
    data = {instance.name, *(loc.name for loc in instance.locations if loc.name),
            *(loc.provider for loc in instance.locations), *(o.reason for o in outcomes if o.reason)}
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    return text


def _foreign_words(text: str, lang: str) -> set[str]:
    """Words of ``text`` that only the other language's texts use (tests/test_i18n.py's helper)."""
    dutch_only, english_only = language_words()
    return _words(text) & (dutch_only if lang == "en" else english_only)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_report_speaks_one_language(lang):
    """report.md of weeks with a move, new placements, unplaced youths and marginal capacity has no
    word that only the other language's catalog uses (what the input and the solver wrote aside)."""
    texts = []
    for case in (moving_case(), waiting_case(), read_instance(VOORBEELD)):
        instance, outcomes, summary = _solved(case)
        with use_language(lang):
            texts.append(_without_data(render_report(instance, outcomes, summary), instance, outcomes))
    text = "\n".join(texts)
    assert len(_words(text)) > 50
    assert _foreign_words(text, lang) == set(), text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_comparison_speaks_one_language(lang, tmp_path):
    """comparison.md as `matcher scenario` writes it (intro, table, cost notes, a section per scenario)
    and the terminal table, for a scenario that closes a unit, have no word that only the other
    language's catalog uses (the column names are the solution folders' names)."""
    from matcher.scenario.compare import terminal_table
    from matcher.scenario.run import BASELINE, run_scenarios

    scenario = tmp_path / "dicht.toml"
    scenario.write_text('name = "dicht"\n[[step]]\nop = "close"\nwhere = { unit = "AMS-3M" }\n', encoding="utf-8")
    with use_language(lang):
        run = run_scenarios(VOORBEELD, [scenario], tmp_path / "out", time_limit=5, jobs=1)
        text = (tmp_path / "out" / "comparison.md").read_text(encoding="utf-8") + "\n" + terminal_table(run.comparison)
    text += (tmp_path / "out" / "dicht" / "instance" / "README.md").read_text(encoding="utf-8")
    text += (tmp_path / "out" / BASELINE / "instance" / "README.md").read_text(encoding="utf-8")
    assert "dicht" in text and len(_words(text)) > 50
    assert _foreign_words(text.replace(BASELINE, ""), lang) == set(), text
