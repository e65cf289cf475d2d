"""The region map: gemeente -> jeugdregio -> bovenregio, shipped or from an instance's regions.csv."""

from __future__ import annotations

import csv
import io
from functools import lru_cache
from importlib import resources

from matcher.instance import RegionMap

DATA = resources.files("matcher") / "data"


@lru_cache(maxsize=1)
def shipped_region_map() -> RegionMap:
    """The shipped map: CBS gemeente -> jeugdregio (2024), grouped into approximate bovenregio's."""
    with (DATA / "gemeente_jeugdregio.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    with (DATA / "bovenregios.csv").open(encoding="utf-8") as f:
        boven = {r["jeugdregio_code"]: r["bovenregio"] for r in csv.DictReader(f)}
    return RegionMap(
        jeugdregio_of={r["gemeentecode"]: r["jeugdregio_code"] for r in rows},
        bovenregio_of=boven,
        jeugdregio_name={r["jeugdregio_code"]: r["jeugdregio_naam"] for r in rows},
        source="shipped",
    )


@lru_cache(maxsize=1)
def gemeente_names() -> dict[str, str]:
    """CBS code -> gemeente name, for reports."""
    with (DATA / "gemeente_jeugdregio.csv").open(encoding="utf-8") as f:
        return {r["gemeentecode"]: r["gemeentenaam"] for r in csv.DictReader(f)}


def region_csv(region_map: RegionMap, names: bool = False) -> str:
    """The map as CSV ``gemeente,jeugdregio,bovenregio``, one line per gemeente, sorted by code;
    ``names`` puts ``gemeente_name`` and ``jeugdregio_name`` beside their codes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    gemeente_name = gemeente_names()
    if names:
        writer.writerow(("gemeente", "gemeente_name", "jeugdregio", "jeugdregio_name", "bovenregio"))
    else:
        writer.writerow(("gemeente", "jeugdregio", "bovenregio"))
    for gemeente, jeugdregio in sorted(region_map.jeugdregio_of.items()):
        bovenregio = region_map.bovenregio_of[jeugdregio]
        if names:
            writer.writerow((gemeente, gemeente_name.get(gemeente, ""), jeugdregio,
                             region_map.jeugdregio_name.get(jeugdregio, ""), bovenregio))
        else:
            writer.writerow((gemeente, jeugdregio, bovenregio))
    return out.getvalue()
