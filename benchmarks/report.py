"""The results markdown of one run: targets first, then medians and worsts, then every run."""

from __future__ import annotations

from benchmarks.cells import amount as _fmt
from benchmarks.cells import limit as _limit
from benchmarks.cells import megabytes as _mb
from benchmarks.cells import millis as _ms
from benchmarks.cells import percent as _pct
from benchmarks.cells import seconds as _sec
from benchmarks.instances import FULL_TIERS, TIERS
from benchmarks.aggregate import SPEEDUP_KEYS
from benchmarks.targets import PEER_WORDS, Figures, targets


def markdown(rows: list[dict], ratio_rows: list[dict], figures: Figures, context: dict) -> str:
    """All tables of one run, ready to paste into the README. ``context`` holds the command,
    machine, seconds, seeds and mode of the run."""
    machine = context["machine"]
    lines = [
        f"Command: `{context['command']}` ({context['seconds'] / 60:.1f} min in all); seeds "
        f"{', '.join(str(s) for s in context['seeds'])}.",
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB memory; Python "
        f"{machine['python']}, highspy {machine['highspy']}, ortools {machine['ortools']}; matcher at commit "
        f"{machine['revision']}; load average {machine['load_average_start']} at the start, "
        f"{machine.get('load_average_end', '-')} at the end.",
        "",
        "#### Targets (issue 13)",
        "",
        "| target | measured | met |",
        "|---|---|---|",
    ]
    lines += [f"| {t} | {m} | {ok} |" for t, m, ok in targets(figures, _tiers_with_mip(context["mode"]))]
    lines += ["", *summary_table(figures), "", *speedup_table(rows, ratio_rows), "", *in_process_table(figures),
              "", *reproduce_table(rows, context), "", *runs_table(rows), "", *greedy_table(ratio_rows)]
    return "\n".join(lines) + "\n"


def _tiers_with_mip(mode: str) -> tuple[str, ...]:
    """The tiers the speed-up target names: every tier of the full run with a plain MIP."""
    return tuple(t for t in FULL_TIERS if TIERS[t].limits(mode).plain_mip is not None)


def summary_table(figures: Figures) -> list[str]:
    """Per tier and method, median and worst over the seeds."""
    lines = [
        "#### Median and worst over the seeds",
        "",
        "Time to the final status = the method's own solve time (matcher: `summary.json` `wall_seconds`; the peers: "
        "after reading the folder); CLI wall = the whole process; time to the proof = the solve time where the "
        "own gap is <= 1e-6, never otherwise.",
        "",
        "| tier | method | seeds | statuses | time to final status s (median / worst) | process wall s | "
        "time to the proof s | own gap | gap to best bound | peak MB |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s in figures.summary:
        lines.append(
            f"| {s['tier']} | {s['method']} | {s['seeds']} | {s['statuses']} | {_pair(s, 'solve_s', _sec)} "
            f"| {_pair(s, 'wall_s', _sec)} | {_pair(s, 'proven_s', _sec)} | {_pair(s, 'own_gap', _pct)} "
            f"| {_pair(s, 'gap_to_best_bound', _pct)} | {_pair(s, 'peak_mb', _mb)} |")
    return lines


def speedup_table(rows: list[dict], ratio_rows: list[dict]) -> list[str]:
    """Per tier and seed: matcher's proof against each exact peer's time to the same gap."""
    lines = [
        "#### matcher against the plain MIP and CP-SAT, per seed",
        "",
        "Speed-up = the peer's time to matcher's final own gap (at least 1e-6; from its log or its solution and bound "
        "callbacks, to their resolution) / matcher's solve time; \"at least\" where the peer did not get there "
        "within its run.",
        "",
        "| tier | seed | matcher status | matcher solve s | matcher own gap | peer | peer status | peer limit s "
        "| peer solve s | peer to matcher's gap s | speed-up |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    by = {(r["tier"], r["seed"], r["method"]): r for r in rows}
    for q in ratio_rows:
        for peer, (key, reached) in SPEEDUP_KEYS.items():
            m, p = by.get((q["tier"], q["seed"], "matcher")), by.get((q["tier"], q["seed"], peer))
            if m is None or p is None or p["status"] == "NOT_RUN":
                continue
            if q.get(key) in ("", None):
                ratio = "-"
            else:
                ratio = f"{float(q[key]):.1f}x" if q[reached] else f"at least {float(q[key]):.1f}x"
            lines.append(
                f"| {q['tier']} | {q['seed']} | {m['status']} | {m['solve_s']} | {_pct(m['own_gap'])} | {PEER_WORDS[peer]} "
                f"| {p['status']} | {_limit(p['time_limit_s'])} | {p['solve_s'] or p['wall_s'] or '-'} "
                f"| {p['time_to_matcher_gap_s'] or '-'} | {ratio} |")
    return lines


def in_process_table(figures: Figures) -> list[str]:
    """``solve(read_instance(...))`` in one process, after a warm-up."""
    if not figures.in_process:
        return ["#### In-process solve", "", "No tier of this run is timed in-process."]
    lines = [
        "#### In-process solve (after one warm-up; the process start excluded)",
        "",
        "| tier | solver seed | runs | solve ms median | solve ms worst | read_instance ms median | statuses "
        "| worst gap | process peak MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for t in figures.in_process:
        lines.append(
            f"| {t['tier']} | {t['seed']} | {t['repeats']} | {_ms(t.get('solve_s_median'))} | {_ms(t.get('solve_s_worst'))} "
            f"| {_ms(t.get('read_s_median'))} | {t['statuses']} | {_pct(t.get('gap_worst'))} | {t['peak_mb']} |")
    return lines


def reproduce_table(rows: list[dict], context: dict) -> list[str]:
    """The instance of every tier and the command that runs just that tier."""
    seeds = ",".join(str(s) for s in context["seeds"])
    lines = ["#### Reproduce one tier", "", "| tier | instance | command |", "|---|---|---|"]
    for tier in dict.fromkeys(r["tier"] for r in rows):
        lines.append(f"| {tier} | {TIERS[tier].description} "
                     f"| `python -m benchmarks.run --{context['mode']} --sizes {tier} --seeds {seeds}` |")
    return lines


def runs_table(rows: list[dict]) -> list[str]:
    """Every tier, seed and method as measured."""
    lines = [
        "#### Every run",
        "",
        "| tier | seed | youths (new / occ.) | units | short (care type: requests > free places; bovenregio cells) "
        "| pairs | method | limit s | wall s | solve s | peak MB | status | objective | gap to best bound | own gap "
        "| placed | moved | unplaced | mean km new | mean steps new | check |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        check = "ok" if r["check_ok"] is True else ("FAILED" if r["check_ok"] is False else "-")
        short = f"{r['short_care_types'] or 'none'}; {r['short_regions']}"
        lines.append(
            f"| {r['tier']} | {r['seed']} | {r['youths']} ({r['new_youths']} / {r['occupants']})"
            f"{' moves' if r['allow_moves'] else ''} | {r['units']} | {short} | {r['candidate_pairs']} | {r['method']} "
            f"| {_limit(r['time_limit_s'])} | {r['wall_s'] or '-'} | {r['solve_s'] or '-'} | {r['peak_mb'] or '-'} "
            f"| {r['status']} | {_fmt(r['objective'])} | {_pct(r['gap_to_best_bound'])} | {_pct(r['own_gap'])} "
            f"| {r['placed']} | {r['moved']} | {r['unplaced']} | {r['mean_km_new']} | {r['mean_setting_steps_new']} "
            f"| {check}{' (' + r['note'] + ')' if r['note'] else ''} |")
    return lines


def greedy_table(ratio_rows: list[dict]) -> list[str]:
    """Per tier and seed: objectives over the best, and what the desk's greedy does differently."""
    lines = [
        "| tier | seed | best objective | matcher / best | plain MIP / best | greedy / best | greedy − matcher unplaced "
        "| greedy − matcher mean km | greedy − matcher total km | greedy − matcher mean setting steps |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for q in ratio_rows:
        lines.append(
            f"| {q['tier']} | {q['seed']} | {_fmt(q['best_objective'])} | {q['matcher_over_best']} "
            f"| {q['plain_mip_over_best']} | {q['greedy_over_best']} | {q['greedy_minus_matcher_unplaced']} "
            f"| {q['greedy_minus_matcher_mean_km']} | {q['greedy_minus_matcher_total_km']} "
            f"| {q['greedy_minus_matcher_mean_setting_steps']} |")
    return lines


def _pair(s: dict, figure: str, fmt) -> str:
    return f"{fmt(s[f'{figure}_median'])} / {fmt(s[f'{figure}_worst'])}"
