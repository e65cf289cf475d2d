"""The monitor (issue 27): its figures recompute from the event log, the Kaplan–Meier estimate
matches a hand calculation, the public variant shows no count below 5, and the simulation's
parameters estimated from a register read back as a SIM.toml."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import select

from matcher.register import events as ev
from matcher.register.database import transaction
from matcher.register.fit import censored_lognormal, mean_interval, rate_interval, write_sim_toml
from matcher.register.monitor import kaplan_meier, km_quantile, monitor_of
from matcher.register.schema import events, youths
from matcher.simulation.simfile import parse_params
from register_helpers import cli, decisions, make_register, rows_of

MATCHER_LANG = "en"


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    """A SQLite register run for three weeks: a decline, new requests, a departure, a capacity change."""
    tmp = tmp_path_factory.mktemp("monitor")
    reg = make_register("sqlite", tmp)
    for week in (1, 2, 3):
        if week > 1:
            changes = tmp / f"changes{week}"
            changes.mkdir()
            (changes / "requests.csv").write_text(
                "youth_id,home_gemeente,home_lat,home_lon,care_type,min_setting,age,gender\n"
                f"N{week}a,GM0363,52.37,4.86,driemilieu,residentieel,15,m\n"
                f"N{week}b,GM0344,52.08,5.10,eetstoornis,kleinschalig,16,v\n", encoding="utf-8")
            (changes / "departures.csv").write_text("youth_id,reason\nJ02,ended\n" if week == 2 else "youth_id,reason\n")
            (changes / "capacity.csv").write_text("unit_id,capacity\nUTR-EET,3\n" if week == 3 else "unit_id,capacity\n")
            assert cli("register", "import", reg.writer, str(changes)).exit_code == 0
        out = tmp / f"week{week}"
        assert cli("register", "propose", reg.writer, "--out", str(out), "--time-limit", "5", "--no-map").exit_code == 0
        first = [r["youth_id"] for r in rows_of(out / "proposals.csv")][:1]
        cli("register", "decide", reg.writer, str(decisions(out / "proposals.csv", tmp / f"d{week}.csv",
                                                            {y: "no bed" for y in first})))
        assert cli("register", "close-week", reg.writer).exit_code == 0
    return reg


def _log(db) -> tuple[list, dict]:
    with transaction(db, write=False) as connection:
        log = connection.execute(select(events).order_by(events.c.event_id)).fetchall()
        care = dict(connection.execute(select(youths.c.youth_id, youths.c.care_type)).fetchall())
    return log, care


def test_the_weekly_waiting_list_and_placements_recompute_from_the_log(weeks):
    """For every week and care type: who asked and was neither placed nor gone by the end of the
    week, and who was placed in it, counted event by event, equal the monitor's national figures."""
    log, care = _log(weeks.owner)
    monitor = monitor_of(weeks.reader)
    national = monitor.weekly[monitor.weekly["level"] == "land"].set_index(["week", "care_type"])
    asked = {e.youth_id: e.week for e in log if e.kind in (ev.REQUEST_RECEIVED, ev.WAITING_AT_START)}
    ended = {}
    for e in log:
        if e.kind in (ev.PLACED, ev.LEFT_LIST):
            ended.setdefault(e.youth_id, e.week)
    for week in range(1, 5):
        for care_type in set(care.values()):
            waiting = sum(1 for y, w in asked.items() if care[y] == care_type and w <= week
                          and not (y in ended and ended[y] <= week))
            placed = sum(1 for e in log if e.kind == ev.PLACED and e.week == week and care[e.youth_id] == care_type)
            row = national.loc[(week, care_type)]
            assert (row["waiting"], row["placed"]) == (waiting, placed), (week, care_type)
    assert monitor.declines["declines"].sum() == sum(1 for e in log if e.kind == ev.DECLINED) == 3


def test_waiting_times_count_those_still_waiting(weeks):
    """The completed waits are the placed youths' weeks from request to placement; the
    Kaplan–Meier curve counts every youth who asked, placed or not."""
    log, care = _log(weeks.owner)
    times = monitor_of(weeks.reader).waiting_times.set_index(["level", "care_type"]).loc["land"]
    asked = {e.youth_id: (e.week, e.waiting_weeks) for e in log if e.kind in (ev.REQUEST_RECEIVED, ev.WAITING_AT_START)}
    waits = {e.youth_id: asked[e.youth_id][1] + e.week - asked[e.youth_id][0] for e in log if e.kind == ev.PLACED}
    for care_type, row in times.iterrows():
        mine = [w for y, w in waits.items() if care[y] == care_type]
        assert row["placed"] == len(mine)
        assert row["youths"] == sum(1 for y in asked if care[y] == care_type)
        if mine:
            assert row["mean_wait"] == pytest.approx(np.mean(mine))


def test_kaplan_meier_matches_a_hand_calculation():
    """Waits 1, 2, 2+, 3, 4+, 5 (+ = still waiting): S = 5/6, 4/6, 4/9, 0 at 1, 2, 3, 5 weeks."""
    curve = kaplan_meier(np.array([1, 2, 2, 3, 4, 5.0]), np.array([1, 1, 0, 1, 0, 1], dtype=bool))
    assert curve["weeks"].tolist() == [1, 2, 3, 5]
    assert curve["still_waiting"].tolist() == pytest.approx([5 / 6, 4 / 6, 4 / 9, 0.0])
    assert km_quantile(curve, 0.5) == 3 and km_quantile(curve, 0.9) == 5
    assert math.isnan(km_quantile(kaplan_meier(np.array([1.0, 9.0]), np.array([1, 0], dtype=bool)), 0.9))


def test_the_public_monitor_shows_no_count_below_five(weeks, tmp_path):
    """In the public folder every count of 1-4 is the band "1-4", and declines below 5 are left out."""
    assert cli("monitor", weeks.reader, "--public", "--out", str(tmp_path / "pub")).exit_code == 0
    weekly = pd.read_csv(tmp_path / "pub" / "weekly.csv", dtype=str)
    for column in ("waiting", "placed", "residents"):
        values = set(weekly[column].dropna())
        assert not values & {"1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"}, column
        assert "1-4" in values
    assert pd.read_csv(tmp_path / "pub" / "declines.csv").empty
    report = (tmp_path / "pub" / "report.md").read_text(encoding="utf-8")
    assert "Public version" in report and "J0" not in report and "N2a" not in report


def test_the_report_speaks_the_runs_language(weeks, tmp_path):
    """Dutch by default, English with --lang en; charts and tables beside it."""
    assert cli("monitor", weeks.reader, "--out", str(tmp_path / "en")).exit_code == 0
    from click.testing import CliRunner

    from matcher.cli import main

    dutch = CliRunner().invoke(main, ["monitor", weeks.reader, "--out", str(tmp_path / "nl")], env={"MATCHER_LANG": None})
    assert dutch.exit_code == 0
    assert "Waiting-time monitor" in (tmp_path / "en" / "report.md").read_text(encoding="utf-8")
    assert "Wachttijdmonitor" in (tmp_path / "nl" / "report.md").read_text(encoding="utf-8")
    for name in ("waiting_list.png", "waiting_time.png", "occupancy.png", "weekly.csv", "waiting_times.csv"):
        assert (tmp_path / "nl" / name).stat().st_size > 0


def test_the_censored_lognormal_fit_finds_the_stay_law():
    """Stays drawn from a lognormal (mean 27 weeks, sigma 1.0), a third still going on: the fit
    that counts them as censored finds the law; dropping them would make stays look shorter."""
    rng = np.random.default_rng(7)
    mu, sigma = math.log(27) - 0.5, 1.0
    stays = rng.lognormal(mu, sigma, 3000)
    seen = rng.uniform(0, 80, 3000)
    ended = stays <= seen
    observed = np.where(ended, stays, seen)
    found_mu, found_sigma = censored_lognormal(observed, ended)
    assert found_mu == pytest.approx(mu, abs=0.08) and found_sigma == pytest.approx(sigma, abs=0.08)
    naive = np.log(observed[ended]).mean()
    assert naive < mu - 0.3
    low, high = mean_interval(observed, ended, found_mu, found_sigma)
    assert low < 27 < high and high - low < 6


def test_the_intervals_cover_the_truth_as_often_as_they_say():
    """Over 200 samples of 300 stays (a third censored) the mean's 95 % interval holds the true
    mean in 90-99 % of them; the Poisson rate interval of 0 arrivals in 10 weeks is 0 to 0.37."""
    rng = np.random.default_rng(11)
    mu, sigma = math.log(20), 0.8
    hits = 0
    for _ in range(200):
        stays, seen = rng.lognormal(mu, sigma, 300), rng.uniform(0, 90, 300)
        ended = stays <= seen
        observed = np.where(ended, stays, seen)
        low, high = mean_interval(observed, ended, *censored_lognormal(observed, ended))
        hits += low < math.exp(mu + sigma ** 2 / 2) < high
    assert 180 <= hits <= 198
    assert rate_interval(0, 10) == pytest.approx((0.0, 0.3689), abs=1e-4)


def test_the_estimated_parameters_read_back_as_a_sim_toml(weeks, tmp_path):
    """The SIM.toml written from the register is one ``matcher simulate`` reads, labelled as estimated."""
    path = write_sim_toml(weeks.reader, tmp_path / "SIM.toml")
    text = path.read_text(encoding="utf-8")
    params = parse_params(text, "SIM.toml")
    assert "estimated from the register" in text
    # two requests of each in the three closed weeks (the starting list is stock, not arrivals)
    assert params.arrivals["driemilieu"] == pytest.approx(2 / 3, abs=1e-3) == params.arrivals["eetstoornis"]
