"""From one row per tier, seed and method to what the tables report.

* ``ratios``: per tier and seed, matcher against the plain MIP (time to the same proven gap) and
  against greedy (objective, unplaced, km);
* ``summarise``: per tier and method, the median and the worst over the seeds of the time to
  the final status, the time to a proven optimum, both gaps and the peak memory;
* ``speedups``: per tier, the plain MIP's time to matcher's proven gap over matcher's time,
  median and worst over the seeds where the plain MIP got there.

A missing figure (no assignment, hence no gap; no proof, hence no time to it) counts as
infinitely bad, so that it shows in the worst case and pulls the median when it is common; a
figure that no seed has (greedy's own gap) is nan, shown as "-".
"""

from __future__ import annotations

import math
import statistics
from typing import Callable, Iterable, Sequence

#: An own gap at or under this is a proof of optimality (matcher's tolerance, and HiGHS's is tighter).
PROVEN_GAP = 1e-6
#: The figures ``summarise`` reports, each as ``<name>_median`` and ``<name>_worst``.
SUMMARY_FIGURES = ("wall_s", "solve_s", "proven_s", "own_gap", "gap_to_best_bound", "peak_mb")
SUMMARY_COLUMNS = ("tier", "method", "seeds", "statuses", "proven", "checked") + tuple(
    f"{f}_{w}" for f in SUMMARY_FIGURES for w in ("median", "worst"))


def median_worst(values: Iterable[float], worst: Callable = max) -> tuple[float, float]:
    """Median and worst of the figures (``worst=min`` where more is better); nan when there are none."""
    values = list(values)
    if not values:
        return math.nan, math.nan
    return float(statistics.median(values)), float(worst(values))


def number(x, missing: float = math.inf) -> float:
    """A table cell as a float; an empty cell is ``missing``."""
    return missing if x in ("", None) else float(x)


def proven_seconds(row: dict) -> float:
    """The method's solve time when it proved its checked answer optimal, else infinity."""
    proven = row.get("check_ok") is True and row.get("own_gap") not in ("", None) and float(row["own_gap"]) <= PROVEN_GAP
    return number(row.get("solve_s")) if proven else math.inf


def summarise(rows: Sequence[dict]) -> list[dict]:
    """One row per tier and method: median and worst over its seeds."""
    out = []
    for tier, method in dict.fromkeys((r["tier"], r["method"]) for r in rows):
        mine = [r for r in rows if r["tier"] == tier and r["method"] == method]
        statuses: dict[str, int] = {}
        for r in mine:
            statuses[r["status"]] = statuses.get(r["status"], 0) + 1
        summary = {"tier": tier, "method": method, "seeds": len(mine),
                   "statuses": ", ".join(f"{s} {n}/{len(mine)}" for s, n in statuses.items()),
                   "proven": sum(math.isfinite(proven_seconds(r)) for r in mine),
                   "checked": sum(r.get("check_ok") is True for r in mine)}
        for figure in SUMMARY_FIGURES:
            source = "own_gap" if figure == "proven_s" else figure
            if all(r.get(source) in ("", None) for r in mine):  # never measured (greedy proves nothing)
                values = []
            else:
                values = [proven_seconds(r) if figure == "proven_s" else number(r.get(figure)) for r in mine]
            summary[f"{figure}_median"], summary[f"{figure}_worst"] = median_worst(values)
        out.append(summary)
    return out


def time_to_gap(trajectory: Sequence[Sequence[float]], gap: float) -> float:
    """When a run's own gap first fell to ``gap`` or below, from its (seconds, objective, bound)
    points (``None`` for none yet); infinity when it never did."""
    for seconds, objective, bound in trajectory:
        if objective is not None and bound is not None and math.isfinite(objective) and math.isfinite(bound):
            if max(0.0, objective - bound) / max(abs(objective), 1.0) <= gap:
                return float(seconds)
    return math.inf


def speedup(matcher: dict, mip: dict) -> tuple[float, bool]:
    """The plain MIP's time to matcher's final proven gap (at least ``PROVEN_GAP``) over matcher's
    solve time, and whether the plain MIP got there; when it did not, the ratio of its whole
    solve time is a lower bound."""
    own = number(matcher.get("own_gap"))
    target = max(own, PROVEN_GAP) if matcher.get("check_ok") is True else math.inf
    reached = number(mip.get("time_to_matcher_gap_s"))
    mine = number(matcher.get("solve_s"), missing=math.nan)
    if not mine > 0 or not math.isfinite(target):
        return math.nan, False
    if math.isfinite(reached):
        return reached / mine, True
    ran = number(mip.get("solve_s"), missing=number(mip.get("wall_s"), missing=math.nan))  # killed: its wall time
    return ran / mine, False


def speedups(ratio_rows: Sequence[dict], peer: str = "plain_mip") -> list[dict]:
    """Per tier with the peer run: the speed-up's median and worst where the peer reached
    matcher's gap, and the lowest lower bound where it did not."""
    key, reached_key = SPEEDUP_KEYS[peer]
    out = []
    for tier in dict.fromkeys(q["tier"] for q in ratio_rows):
        mine = [q for q in ratio_rows if q["tier"] == tier and q.get(key) not in ("", None)]
        if not mine:
            continue
        reached = [float(q[key]) for q in mine if q[reached_key] is True]
        short = [float(q[key]) for q in mine if q[reached_key] is not True]
        median, worst = median_worst(reached, worst=min)
        out.append({"tier": tier, "peer": peer, "seeds": len(mine), "reached": len(reached), "speedup_median": median,
                    "speedup_worst": worst, "lower_bound_worst": min(short) if short else math.nan})
    return out


def ratios(rows: Sequence[dict]) -> list[dict]:
    """Per tier and seed: matcher against the plain MIP (time, and time to the same proven gap)
    and against the best objective and greedy (objective, unplaced, km, setting steps)."""
    out = []
    for tier, seed in dict.fromkeys((r["tier"], r["seed"]) for r in rows):
        by = {r["method"]: r for r in rows if r["tier"] == tier and r["seed"] == seed}
        m, g, p, c = by.get("matcher"), by.get("greedy"), by.get("plain_mip"), by.get("cpsat")
        p, c = (None if r is not None and r.get("wall_s") in ("", None) else r for r in (p, c))  # not run on this seed
        valid = [float(r["objective"]) for r in by.values() if r.get("check_ok") is True]
        best = min(valid) if valid else None

        def over_best(r):
            return "" if best is None or r is None or r["check_ok"] is not True else round(float(r["objective"]) / best, 6)

        def diff(key):
            if g is None or m is None or g[key] in ("", None) or m[key] in ("", None):
                return ""
            return round(float(g[key]) - float(m[key]), 3)

        row = {"tier": tier, "seed": seed, "best_objective": "" if best is None else round(best, 6),
               "matcher_over_best": over_best(m), "plain_mip_over_best": over_best(p), "cpsat_over_best": over_best(c), "greedy_over_best": over_best(g),
               **{f"greedy_minus_matcher_{k}": diff(c) for k, c in (("unplaced", "unplaced"), ("mean_km", "mean_km_new"),
                                                                    ("total_km", "total_km_new"),
                                                                    ("mean_setting_steps", "mean_setting_steps_new"))},
               "matcher_own_gap": m["own_gap"] if m else "", "matcher_gap_to_best_bound": m["gap_to_best_bound"] if m else ""}
        out.append(dict(row, **_against_plain_mip(m, p), **_against_cpsat(m, c)))
    return out


#: The exact peers, and the ratio rows' keys of matcher's speed-up over each (and whether the
#: peer reached matcher's gap).
SPEEDUP_KEYS = {"plain_mip": ("speedup", "plain_mip_reached_matcher_gap"),
                "cpsat": ("cpsat_speedup", "cpsat_reached_matcher_gap")}


def _against_cpsat(m: dict | None, c: dict | None) -> dict:
    """matcher's solve time over CP-SAT's, and the speed-up to the same gap."""
    if m is None or c is None:
        return {"cpsat_status": "" if c is None else c["status"]}
    ratio, reached = speedup(m, c)
    return {"cpsat_status": c["status"], "cpsat_solve_s": c.get("solve_s", ""),
            "cpsat_time_to_matcher_gap_s": c.get("time_to_matcher_gap_s", ""),
            "cpsat_reached_matcher_gap": reached, "cpsat_speedup": "" if math.isnan(ratio) else round(ratio, 3)}


def _against_plain_mip(m: dict | None, p: dict | None) -> dict:
    """matcher's time over the plain MIP's (process and solve only) and the speed-up to the same gap."""
    if m is None or p is None:
        return {"plain_mip_status": "" if p is None else p["status"]}
    mine, theirs = number(m.get("solve_s"), math.nan), number(p.get("solve_s"), math.nan)
    ratio, reached = speedup(m, p)
    return {
        "matcher_wall_s": m["wall_s"], "plain_mip_wall_s": p["wall_s"],
        "matcher_over_plain_mip_time": round(m["wall_s"] / p["wall_s"], 4) if p["wall_s"] else "",
        "matcher_solve_s": m.get("solve_s", ""), "plain_mip_solve_s": p.get("solve_s", ""),
        "matcher_over_plain_mip_solve_time": round(mine / theirs, 4) if theirs > 0 and math.isfinite(mine) else "",
        "plain_mip_status": p["status"], "plain_mip_time_to_matcher_gap_s": p.get("time_to_matcher_gap_s", ""),
        "plain_mip_reached_matcher_gap": reached, "speedup": "" if math.isnan(ratio) else round(ratio, 3),
    }
