"""Reading SIM.toml and ``--grid``: every problem at once, each with its file, line and key.

Nothing is simulated or written when any problem is found. The layout of SIM.toml (every table
optional; see instances/simulation/SIM.toml and docs/simulation.md)::

    [rules]                      escalate_after_weeks, leave_after_weeks, siblings,
                                 week_time_limit, check_every_weeks
    [arrivals]                   mean new youths per week, by care type
    [trend]                      per care type, the factor by which its inflow changes in a year
                                 (1 = constant; week w's rate is arrivals x trend ** (w / 52))
    [stay.<care type>]           distribution, mean_weeks, sigma, source
    [stay.<care type>.<setting>] the same, for one setting of that care type
    [factor.<target>]            stay, inflow, cost: a number, or
                                 { distribution = "uniform" | "triangular", low, high, mode }
                                 baseline = true: the factor applies in the baseline too
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import replace
from pathlib import Path

from matcher.domain import CARE_TYPES, SETTINGS
from matcher.i18n import _
from matcher.errors import Problem
from matcher.simulation.parameters import PARAMETERS, RANGE_KINDS, Factor, Range, SimParams, target_of
from matcher.simulation.plan import GridAxis
from matcher.simulation.stays import DISTRIBUTIONS, StayLaw
from matcher.input.toml_lines import key_lines, line_of, syntax_error_position
from matcher.wording import did_you_mean

TOP_KEYS = ("description", "rules", "arrivals", "trend", "stay", "factor")
#: The range of an inflow trend (a factor per year) that matcher takes as meant.
TREND_RANGE = (0.5, 1.5)
RULE_KEYS = {"escalate_after_weeks": "weeks", "leave_after_weeks": "weeks", "siblings": "bool",
             "week_time_limit": "seconds", "check_every_weeks": "weeks"}
STAY_KEYS = ("distribution", "mean_weeks", "sigma", "source")
RANGE_KEYS = ("distribution", "low", "high", "mode")


class ParamsError(Exception):
    """SIM.toml or --grid is not valid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in problems))


class _Collector:
    """Problems of one file, each pinned to the line of its key."""

    def __init__(self, file: str, text: str):
        self.file, self.lines, self.problems = file, key_lines(text), []

    def add(self, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, line_of(self.lines, key) if key else None, key, message))

    def unknown(self, key: str, name: str, known) -> None:
        self.add(key, _("unknown key '{name}'{hint}; SIM.toml knows here: {known}").format(
            name=name, hint=did_you_mean(name, known), known=", ".join(known)))


def load_params(path: str | Path) -> SimParams:
    """SimParams from a SIM.toml file (defaults for everything it leaves out); raises ParamsError."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise ParamsError([Problem(str(path), None, None, _("cannot be read as SIM.toml (a UTF-8 text file)"))]) from None
    return parse_params(text, str(path))


def parse_params(text: str, file: str = "SIM.toml") -> SimParams:
    """SimParams from the text of a SIM.toml; raises ParamsError with every problem in it."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, message = syntax_error_position(str(exc), text)
        raise ParamsError([Problem(file, line, None, _("is not a valid SIM.toml: {error}").format(error=message))]) from None
    out = _Collector(file, text)
    for key in raw:
        if key not in TOP_KEYS:
            out.unknown(key, key, TOP_KEYS)
    params = SimParams()
    rules = _rules(_table(raw, "rules", out), out)
    arrivals = _arrivals(_table(raw, "arrivals", out), out, params.arrivals)
    trend = _trend(_table(raw, "trend", out), out, params.trend)
    stays, setting_stays = _stays(_table(raw, "stay", out), out, params.stays)
    factors = _factors(_table(raw, "factor", out), out)
    if out.problems:
        raise ParamsError(out.problems)
    return replace(params, arrivals=arrivals, trend=trend, stays=stays, setting_stays=setting_stays, factors=factors, **rules)


def _table(raw: dict, key: str, out: _Collector) -> dict:
    value = raw.get(key, {})
    if not isinstance(value, dict):
        out.add(key, _("must be a table, written [{key}]").format(key=key))
        return {}
    return value


def _number(value, key: str, out: _Collector, positive: bool = True) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        out.add(key, _("must be a number, e.g. 0.8"))
        return None
    if value < 0 or (positive and value == 0):
        out.add(key, _("must be a number above 0") if positive else _("must be a number, 0 or more"))
        return None
    return float(value)


def _rules(table: dict, out: _Collector) -> dict:
    rules = {}
    for name, value in table.items():
        key = f"rules.{name}"
        kind = RULE_KEYS.get(name)
        if kind is None:
            out.unknown(key, name, tuple(RULE_KEYS))
        elif kind == "bool":
            if isinstance(value, bool):
                rules[name] = value
            else:
                out.add(key, _("must be true or false (without quotes)"))
        elif kind == "weeks":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                out.add(key, _("must be a whole number of weeks, 0 or more (0: never)"))
            else:
                rules[name] = value
        elif (seconds := _number(value, key, out)) is not None:
            rules[name] = seconds
    return rules


def _trend(table: dict, out: _Collector, defaults: dict[str, float]) -> dict[str, float]:
    """``[trend]``: per care type the factor by which its inflow changes in a year."""
    trend = dict(defaults)
    low, high = TREND_RANGE
    for name, value in table.items():
        key = f"trend.{name}"
        if name not in CARE_TYPES:
            out.unknown(key, name, CARE_TYPES)
        elif (factor := _number(value, key, out)) is not None:
            if low <= factor <= high:
                trend[name] = factor
            else:
                out.add(key, _("must be a factor per year from {low} to {high} (1 = the same inflow every year), "
                               "not {value}").format(low=low, high=high, value=value))
    return trend


def _arrivals(table: dict, out: _Collector, defaults: dict[str, float]) -> dict[str, float]:
    rates = dict(defaults)
    for name, value in table.items():
        if name not in CARE_TYPES:
            out.unknown(f"arrivals.{name}", name, CARE_TYPES)
        elif (rate := _number(value, f"arrivals.{name}", out, positive=False)) is not None:
            rates[name] = rate
    return rates


def _stays(table: dict, out: _Collector, defaults: dict[str, StayLaw]) -> tuple[dict, dict]:
    laws, by_setting = dict(defaults), {}
    for care_type, value in table.items():
        key = f"stay.{care_type}"
        if care_type not in CARE_TYPES:
            out.unknown(key, care_type, CARE_TYPES)
            continue
        if not isinstance(value, dict):
            out.add(key, _("must be a table, written [{key}]").format(key=key))
            continue
        own = {k: v for k, v in value.items() if not isinstance(v, dict)}
        law = _stay_law(own, key, out, laws[care_type]) if own else laws[care_type]
        laws[care_type] = law or laws[care_type]
        for setting, sub in ((k, v) for k, v in value.items() if isinstance(v, dict)):
            if setting not in SETTINGS:
                out.unknown(f"{key}.{setting}", setting, SETTINGS)
            elif (found := _stay_law(sub, f"{key}.{setting}", out, laws[care_type])) is not None:
                by_setting[f"{care_type}.{setting}"] = found
    return laws, by_setting


def _stay_law(table: dict, key: str, out: _Collector, default: StayLaw) -> StayLaw | None:
    before = len(out.problems)
    for name in table:
        if name not in STAY_KEYS:
            out.unknown(f"{key}.{name}", name, STAY_KEYS)
    distribution = table.get("distribution", default.distribution)
    if distribution not in DISTRIBUTIONS:
        out.add(f"{key}.distribution", _("must be one of these: {choices}").format(choices=", ".join(DISTRIBUTIONS)))
    mean = _number(table.get("mean_weeks", default.mean_weeks), f"{key}.mean_weeks", out)
    sigma = 0.0
    if distribution == "lognormal":
        sigma = _number(table.get("sigma", default.sigma or 0.8), f"{key}.sigma", out) or 0.0
    elif "sigma" in table:
        out.add(f"{key}.sigma", _("goes only with distribution = \"lognormal\""))
    source = table.get("source", _("assumption (see docs/simulation.md)"))
    if not isinstance(source, str):
        out.add(f"{key}.source", _("must be a text in quotes"))
    if len(out.problems) > before:
        return None
    return StayLaw(distribution, mean, sigma, source)


def _factors(table: dict, out: _Collector) -> tuple[Factor, ...]:
    factors = []
    for name, value in table.items():
        key = f"factor.{name}"
        target = target_of(name)
        if target is None:
            out.add(key, _("'{name}' is not a care type or a setting{hint}").format(
                name=name, hint=did_you_mean(name, CARE_TYPES + SETTINGS)))
            continue
        if not isinstance(value, dict):
            out.add(key, _("must be a table, written [{key}]").format(key=key))
            continue
        subtables = {k: v for k, v in value.items() if isinstance(v, dict) and k in SETTINGS}
        own = {k: v for k, v in value.items() if k not in subtables}
        if own or not subtables:
            factors += _factor(name, target, own, key, out)
        for setting, sub in subtables.items():
            if target[1] is not None:
                out.add(f"{key}.{setting}", _("a setting goes under a care type, not under a setting"))
                continue
            factors += _factor(f"{name}.{setting}", (target[0], setting), sub, f"{key}.{setting}", out)
    return tuple(factors)


def _factor(name: str, target: tuple, table: dict, key: str, out: _Collector) -> list[Factor]:
    values, baseline = {}, False
    for parameter, value in table.items():
        if parameter == "baseline":
            if isinstance(value, bool):
                baseline = value
            else:
                out.add(f"{key}.baseline", _("must be true or false (without quotes)"))
        elif parameter not in PARAMETERS:
            out.unknown(f"{key}.{parameter}", parameter, PARAMETERS + ("baseline",))
        elif (r := _range(value, f"{key}.{parameter}", out)) is not None:
            values[parameter] = r
    if not values:
        return []
    return [Factor(name, target[0], target[1], values, baseline)]


def _range(value, key: str, out: _Collector) -> Range | None:
    if not isinstance(value, dict):
        number = _number(value, key, out)
        return None if number is None else Range("fixed", number, number)
    before = len(out.problems)
    for name in value:
        if name not in RANGE_KEYS:
            out.unknown(f"{key}.{name}", name, RANGE_KEYS)
    kind = value.get("distribution", "uniform")
    if kind not in RANGE_KINDS:
        out.add(f"{key}.distribution", _("must be one of these: {choices}").format(choices=", ".join(RANGE_KINDS)))
    low = _number(value.get("low"), f"{key}.low", out) if "low" in value else None
    high = _number(value.get("high", low), f"{key}.high", out) if "high" in value or low is not None else None
    if low is None and "low" not in value:
        out.add(key, _("needs low (and high)"))
    mode = _number(value["mode"], f"{key}.mode", out) if "mode" in value else None
    if low is not None and high is not None and low > high:
        out.add(f"{key}.high", _("must not be below low ({low:g})").format(low=low))
    if mode is not None and low is not None and high is not None and not low <= mode <= high:
        out.add(f"{key}.mode", _("must lie between low and high"))
    if "mode" in value and kind != "triangular":
        out.add(f"{key}.mode", _("goes only with distribution = \"triangular\""))
    if len(out.problems) > before:
        return None
    return Range(kind, low, high, mode)


def parse_grid(texts: list[str] | tuple[str, ...]) -> tuple[GridAxis, ...]:
    """``--grid NAME=LO:HI:STEPS`` options as axes; raises ParamsError with every problem."""
    axes, problems = factor_options(texts, "--grid", _axis, _("'{name}' is swept twice"))
    if problems:
        raise ParamsError(problems)
    return tuple(axes)


def factor_options(texts, option: str, parse_one, twice: str) -> tuple[list, list[Problem]]:
    """Every ``option`` NAME=... read by ``parse_one``: the values, and every problem (a name twice too)."""
    problems, found, seen = [], [], set()
    for text in texts:
        item, problem = parse_one(text)
        if problem:
            problems.append(Problem(option, None, text, problem))
        elif item.name in seen:
            problems.append(Problem(option, None, text, twice.format(name=item.name)))
        else:
            seen.add(item.name)
            found.append(item)
    return found, problems


def _axis(text: str) -> tuple[GridAxis | None, str | None]:
    form = _("write NAME=LO:HI:STEPS, e.g. kleinschalig.stay=0.6:1.0:5")
    name, target, parameter, values, problem = split_factor_option(text, form)
    if problem:
        return None, problem
    parts = values.split(":")
    try:
        lo, hi, steps = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        return None, form
    if not (0 < lo <= hi) or steps < 1 or (steps == 1 and lo != hi) or not math.isfinite(hi):
        return None, _("needs 0 < LO <= HI and STEPS >= 1 (STEPS = 1 only when LO = HI)")
    values = tuple(round(lo + (hi - lo) * i / (steps - 1), 10) for i in range(steps)) if steps > 1 else (lo,)
    return GridAxis(name, target, parameter, values), None


def split_factor_option(text: str, form: str) -> tuple[str, str, str, str, str | None]:
    """``NAME=VALUES`` of --grid or --explore as (name, target, parameter, values, problem)."""
    name, eq, values = text.partition("=")
    name = name.strip()
    target, _dot, parameter = name.rpartition(".")
    if not eq:
        return name, target, parameter, values, form
    if parameter not in PARAMETERS:
        return name, target, parameter, values, _("'{name}' must end in .stay, .inflow or .cost; {form}").format(
            name=name, form=form)
    if target_of(target) is None:
        return name, target, parameter, values, _("'{target}' is not a care type or a setting{hint}").format(
            target=target, hint=did_you_mean(target, CARE_TYPES + SETTINGS))
    return name, target, parameter, values, None
