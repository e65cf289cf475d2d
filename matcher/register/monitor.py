"""The waiting-time monitor, computed from the register's event log and nothing else.

Per week and care type, nationally (``NL``) and per bovenregio and jeugdregio: the waiting list
at the end of the week and the week's placements (by the youth's home region), occupancy (by the
unit's region), the share placed in the own jeugdregio and the mean km. Over the whole history:
waiting time of the placed youths (mean, p90) and the Kaplan–Meier estimate that also counts the
youths still waiting, and those who left the list, as censored; declines per provider and reason.
``public`` applies the privacy rule of every public aggregate: no count below 5 is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.engine import Connection

from matcher.domain import haversine_km
from matcher.maps.privacy import SMALL_BAND, SMALL_COUNT
from matcher.register import events as ev
from matcher.register.database import transaction
from matcher.register.schema import events, locations, register, units, youths

ALL = "NL"
KEYS = ["care_type", "level", "region"]
START_KINDS = (ev.RESIDENT_AT_START, ev.PLACED)
CAPACITY_KINDS = (ev.UNIT_OPENED, ev.CAPACITY_CHANGED, ev.UNIT_CLOSED)
#: Figures of the waiting-times table computed over the youths of a group (left out below 5 in public).
WAIT_FIGURES = ["mean_wait", "p90_wait", "km_median", "km_p90", "own_jeugdregio", "mean_km"]


@dataclass(frozen=True)
class Monitor:
    """The monitor's tables; ``weeks`` are first..open week (the open week so far)."""

    weeks: tuple[int, int]
    weekly: pd.DataFrame
    waiting_times: pd.DataFrame
    declines: pd.DataFrame
    survival: dict[str, pd.DataFrame]  # care type -> Kaplan–Meier curve (weeks, share still waiting)
    public: bool = False
    name: str = ""
    events: int = 0


def _frame(connection: Connection, table) -> pd.DataFrame:
    result = connection.execute(select(table))
    return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _with_regions(frame: pd.DataFrame, gemeente: str, regions) -> pd.DataFrame:
    frame["jeugdregio"] = frame[gemeente].map(regions.jeugdregio_of)
    frame["bovenregio"] = frame["jeugdregio"].map(regions.bovenregio_of)
    return frame


def _by_level(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` three times: nationally, per bovenregio and per jeugdregio (columns level, region)."""
    return pd.concat([frame.assign(level="land", region=ALL), frame.assign(level="bovenregio", region=frame["bovenregio"]),
                      frame.assign(level="jeugdregio", region=frame["jeugdregio"])], ignore_index=True)


def present_at_week_end(deltas: pd.DataFrame, weeks: np.ndarray, name: str) -> pd.Series:
    """How much is present at the end of each week, per care type and region: the running sum of
    ``delta`` (+ when something arrives, - when it leaves) over the weeks."""
    if deltas.empty:
        return pd.Series(dtype=float, name=name)
    summed = _by_level(deltas).groupby(KEYS + ["week"])["delta"].sum()
    table = summed.unstack("week", fill_value=0).reindex(columns=weeks, fill_value=0).cumsum(axis=1)
    return table.stack().rename(name)


def _requests(log: pd.DataFrame, people: pd.DataFrame, unit_at: pd.DataFrame, road_factor: float) -> pd.DataFrame:
    """One row per youth who asked for a place: when, how long already, when placed or left, how far."""
    asked = log[log.kind.isin(ev.ON_THE_LIST)].drop_duplicates("youth_id").set_index("youth_id")
    out = people.reindex(asked.index)[["care_type", "jeugdregio", "bovenregio", "home_lat", "home_lon"]].copy()
    out["requested"], out["waited"] = asked["week"], asked["waiting_weeks"].fillna(0).astype(int)
    placed = log[log.kind == ev.PLACED].drop_duplicates("youth_id").set_index("youth_id")
    out["placed"] = placed["week"].reindex(out.index)
    out["left"] = log[log.kind == ev.LEFT_LIST].drop_duplicates("youth_id").set_index("youth_id")["week"].reindex(out.index)
    at = unit_at.reindex(placed["unit_id"].reindex(out.index))
    out["unit_jeugdregio"] = at["jeugdregio"].to_numpy()
    out["km"] = road_factor * haversine_km(out["home_lat"].to_numpy(float), out["home_lon"].to_numpy(float),
                                           at["lat"].to_numpy(float), at["lon"].to_numpy(float))
    out["wait"] = out["waited"] + out["placed"] - out["requested"]
    return out


def _capacity_deltas(log: pd.DataFrame, unit_at: pd.DataFrame) -> pd.DataFrame:
    """Each change of a unit's places as +/- places in its week."""
    changes = log[log.kind.isin(CAPACITY_KINDS)].copy()
    changes["places"] = changes["capacity"].where(changes.kind != ev.UNIT_CLOSED, 0).fillna(0)
    changes["delta"] = changes["places"] - changes.groupby("unit_id")["places"].shift(fill_value=0)
    return changes.join(unit_at[["care_type", "jeugdregio", "bovenregio"]], on="unit_id")


def _resident_deltas(log: pd.DataFrame, unit_at: pd.DataFrame) -> pd.DataFrame:
    """+1 when a youth moves into a unit, -1 in the week it leaves."""
    start = log[log.kind.isin(START_KINDS)].assign(delta=1)
    end = log[log.kind == ev.DEPARTED].assign(delta=-1)
    both = pd.concat([start, end])[["week", "unit_id", "delta"]]
    return both.join(unit_at[["care_type", "jeugdregio", "bovenregio"]], on="unit_id")


def _weekly(req: pd.DataFrame, log: pd.DataFrame, unit_at: pd.DataFrame, weeks: np.ndarray) -> pd.DataFrame:
    """The weekly table: waiting list, placements, wait of the placed, own jeugdregio, km, occupancy."""
    ended = req[["placed", "left"]].min(axis=1)
    arrive = req.assign(week=req["requested"], delta=1)
    leave = req.assign(week=ended, delta=-1).dropna(subset=["week"])
    waiting = present_at_week_end(pd.concat([arrive, leave]), weeks, "waiting")
    done = _by_level(req.dropna(subset=["placed"]).assign(week=lambda f: f["placed"].astype(int)))
    done["own_jeugdregio"] = (done["unit_jeugdregio"] == done["jeugdregio"]).astype(float)
    per_week = done.groupby(KEYS + ["week"]).agg(placed=("wait", "size"), mean_wait=("wait", "mean"),
                                                  own_jeugdregio=("own_jeugdregio", "mean"), mean_km=("km", "mean"))
    residents = present_at_week_end(_resident_deltas(log, unit_at), weeks, "residents")
    capacity = present_at_week_end(_capacity_deltas(log, unit_at), weeks, "capacity")
    table = pd.concat([waiting, residents, capacity], axis=1).join(per_week, how="outer")
    counts = ["waiting", "residents", "capacity", "placed"]
    table[counts] = table[counts].fillna(0).astype(int)
    table["occupancy"] = table["residents"] / table["capacity"].where(table["capacity"] > 0)
    return table.reset_index().sort_values(["week", "care_type", "level", "region"], kind="stable")


def kaplan_meier(durations: np.ndarray, placed: np.ndarray) -> pd.DataFrame:
    """The share still waiting after t weeks (Kaplan–Meier): at each t where somebody was placed,
    S(t) = S(t-) * (1 - placed at t / still waiting at t); censored youths count until they drop out."""
    times = np.unique(durations[placed])
    at_risk = np.array([(durations >= t).sum() for t in times])
    events_at = np.array([((durations == t) & placed).sum() for t in times])
    survival = np.cumprod(1 - events_at / at_risk)
    return pd.DataFrame({"weeks": times, "still_waiting": survival, "at_risk": at_risk})


def km_quantile(curve: pd.DataFrame, share_placed: float) -> float:
    """The weeks by which ``share_placed`` of the youths were placed, NaN when not reached."""
    reached = curve[curve["still_waiting"] <= 1 - share_placed + 1e-12]
    return float(reached["weeks"].iloc[0]) if len(reached) else float("nan")


def _waiting_times(req: pd.DataFrame, open_week: int) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Per care type and region: completed waits (mean, p90) and the Kaplan–Meier median and p90."""
    ended = req[["placed", "left"]].min(axis=1).fillna(open_week)
    req = req.assign(duration=(req["waited"] + ended - req["requested"]).astype(float), done=req["placed"].notna())
    rows, curves = [], {}
    for (care_type, level, region), group in _by_level(req).groupby(KEYS):
        curve = kaplan_meier(group["duration"].to_numpy(), group["done"].to_numpy())
        if level == "land":
            curves[care_type] = curve
        placed = group[group["done"]]
        waits = placed["duration"]
        rows.append({"care_type": care_type, "level": level, "region": region, "youths": len(group),
                     "placed": len(placed), "censored": int((~group["done"]).sum()),
                     "mean_wait": waits.mean() if len(waits) else np.nan,
                     "p90_wait": waits.quantile(0.9) if len(waits) else np.nan,
                     "km_median": km_quantile(curve, 0.5), "km_p90": km_quantile(curve, 0.9),
                     "own_jeugdregio": (placed["unit_jeugdregio"] == placed["jeugdregio"]).mean() if len(placed) else np.nan,
                     "mean_km": placed["km"].mean() if len(placed) else np.nan})
    return pd.DataFrame(rows), curves


def compute_monitor(connection: Connection, public: bool = False) -> Monitor:
    """The monitor over the register's whole history (``public``: no count below 5)."""
    from matcher.register.state import register_regions

    info = connection.execute(select(register)).one()
    regions, road_factor = register_regions(info)
    log = _frame(connection, events).sort_values("event_id", kind="stable")
    people = _with_regions(_frame(connection, youths), "home_gemeente", regions).set_index("youth_id")
    where = _frame(connection, locations)
    unit_at = _with_regions(_frame(connection, units).merge(where, on="location_id"), "gemeente", regions).set_index("unit_id")
    weeks = np.arange(int(log["week"].min()), info.week + 1)
    req = _requests(log, people, unit_at, road_factor)
    weekly = _weekly(req, log, unit_at, weeks)
    times, curves = _waiting_times(req, info.week)
    declined = log[log.kind == ev.DECLINED].join(unit_at[["provider"]], on="unit_id")
    declines = declined.groupby(["provider", "reason"]).size().rename("declines").reset_index()
    monitor = Monitor((int(weeks[0]), info.week), weekly, times, declines, curves, False, info.name, len(log))
    return suppress_small_counts(monitor) if public else monitor


def _small(n: pd.Series) -> pd.Series:
    return (n > 0) & (n < SMALL_COUNT)


def suppress_small_counts(monitor: Monitor) -> Monitor:
    """The public variant: counts of 1-4 become the band "1-4", and a figure over fewer than 5
    youths (a mean, a p90, a share, a curve) is left out."""
    weekly = monitor.weekly.astype({c: object for c in ("waiting", "placed", "residents")})
    weekly.loc[monitor.weekly["placed"] < SMALL_COUNT, ["mean_wait", "own_jeugdregio", "mean_km"]] = np.nan
    weekly.loc[_small(monitor.weekly["residents"]), "occupancy"] = np.nan
    for count in ("waiting", "placed", "residents"):
        weekly.loc[_small(monitor.weekly[count]), count] = SMALL_BAND
    times = monitor.waiting_times.astype({c: object for c in ("youths", "placed", "censored")})
    few = monitor.waiting_times["youths"] < SMALL_COUNT
    times.loc[few | (monitor.waiting_times["placed"] < SMALL_COUNT), WAIT_FIGURES] = np.nan
    for count in ("youths", "placed", "censored"):
        times.loc[_small(monitor.waiting_times[count]), count] = SMALL_BAND
    declines = monitor.declines[monitor.declines["declines"] >= SMALL_COUNT]
    curves = {c: k[k["at_risk"] >= SMALL_COUNT] for c, k in monitor.survival.items()}
    return Monitor(monitor.weeks, weekly, times, declines.reset_index(drop=True), curves, True, monitor.name,
                   monitor.events)


def monitor_of(db, public: bool = False) -> Monitor:
    """The monitor of the register ``db`` (read only)."""
    with transaction(db, write=False) as connection:
        return compute_monitor(connection, public)
