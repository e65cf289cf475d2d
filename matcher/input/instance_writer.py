"""Writing an instance folder in the instance format, so that it reads back as the same instance.

A planner who builds or changes an instance in Python (a scenario, a generated test week) gets
a folder that any spreadsheet can open and that ``matcher.input.source.read_instance`` reads back
unchanged. The output is deterministic (same instance, same bytes) and the folder is never left
half-written: everything is written into a temporary folder beside the target first.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import tomli_w

from matcher.domain import CARE_TYPES
from matcher.instance import Instance

LOCATION_HEADER = ("location_id", "provider", "name", "gemeente", "lat", "lon")
UNIT_HEADER = (
    "unit_id", "location_id", "care_type", "setting", "capacity",
    "age_min", "age_max", "gender", "max_age_spread", "cost_per_day",
)
YOUTH_HEADER = (
    "youth_id", "home_gemeente", "home_lat", "home_lon", "care_type", "alt_care_types",
    "min_setting", "machtiging", "age", "gender", "urgency", "waiting_weeks", "max_km",
    "sibling_group", "excluded_locations", "current_unit_id",
)
CONFLICT_HEADER = ("youth_a", "youth_b")
REGION_HEADER = ("gemeente", "jeugdregio", "bovenregio")

#: The files an instance folder may hold; a rewrite removes the optional ones it does not write.
INSTANCE_FILES = ("instance.toml", "locations.csv", "units.csv", "youths.csv", "conflicts.csv", "regions.csv")


def cell(value: Any) -> str:
    """One CSV cell as the format spells it: empty for None, true/false, ';'-lists, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return ";".join(cell(v) for v in value)
    return str(value)  # ints as 3, floats as their shortest exact form (52.123, 150.0)


def csv_text(header: tuple[str, ...], rows: Iterable[Mapping[str, Any]]) -> str:
    """A CSV file as text: header, then one line per row, '\\n' line ends, quoting only when needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(row.get(column)) for column in header])
    return buffer.getvalue()


def settings_toml(instance: Instance) -> str:
    """instance.toml with every setting and weight written out, in the order of the format."""
    s = instance.settings
    w = s.weights
    document = {
        "name": s.name,
        "allow_moves": s.allow_moves,
        "road_factor": float(s.road_factor),
        "max_km": {care_type: float(s.max_km[care_type]) for care_type in CARE_TYPES},
        "weights": {
            "unplaced": [float(v) for v in w.unplaced],
            "waiting_week": float(w.waiting_week),
            "km": float(w.km),
            "setting_step": float(w.setting_step),
            "outside_jeugdregio": float(w.outside_jeugdregio),
            "outside_bovenregio": float(w.outside_bovenregio),
            "alt_care_type": float(w.alt_care_type),
            "move": float(w.move),
        },
    }
    return tomli_w.dumps(document)


def regions_rows(instance: Instance) -> list[dict[str, str]]:
    """The region map as regions.csv rows, sorted by gemeente code."""
    regions = instance.regions
    return [
        {"gemeente": g, "jeugdregio": j, "bovenregio": regions.bovenregio_of[j]}
        for g, j in sorted(regions.jeugdregio_of.items())
    ]


def instance_files(instance: Instance) -> dict[str, str]:
    """File name -> text of every file the instance needs (conflicts/regions only when used)."""
    files = {
        "instance.toml": settings_toml(instance),
        "locations.csv": csv_text(LOCATION_HEADER, (l.model_dump() for l in instance.locations)),
        "units.csv": csv_text(UNIT_HEADER, (u.model_dump() for u in instance.units)),
        "youths.csv": csv_text(YOUTH_HEADER, (y.model_dump() for y in instance.youths)),
    }
    if instance.conflicts:
        pairs = ({"youth_a": a, "youth_b": b} for a, b in instance.conflicts)
        files["conflicts.csv"] = csv_text(CONFLICT_HEADER, pairs)
    if instance.regions.source != "shipped":
        files["regions.csv"] = csv_text(REGION_HEADER, regions_rows(instance))
    return files


def write_instance(instance: Instance, folder: str | Path, extra_files: Mapping[str, str] | None = None) -> Path:
    """Write ``instance`` as an instance folder; returns the folder.

    ``extra_files`` (name -> text, e.g. a README.md) are written alongside. All files are first
    written into a temporary folder beside ``folder``. A new folder is then put in place with
    one rename; an existing folder gets each file replaced by a rename, and loses the optional
    instance files (conflicts.csv, regions.csv) this instance does not have. Other files in an
    existing folder are left alone. A failure while writing leaves ``folder`` untouched.
    """
    folder = Path(folder)
    files = instance_files(instance)
    for name, text in (extra_files or {}).items():
        if name in files or Path(name).name != name:
            raise ValueError(f"extra file '{name}' must be a plain file name that is not an instance file")
        files[name] = text
    if folder.exists() and not folder.is_dir():
        raise NotADirectoryError(f"{folder} exists and is not a folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))
    try:
        os.chmod(staging, 0o777 & ~_umask())  # a normal folder, not mkdtemp's private 0700
        for name, text in files.items():
            with open(staging / name, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        if not folder.exists():
            os.rename(staging, folder)
            return folder
        for name in files:
            os.replace(staging / name, folder / name)
        for name in INSTANCE_FILES:
            if name not in files and (folder / name).is_file():
                (folder / name).unlink()
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return folder


def _umask() -> int:
    """The process umask (reading it means setting it, so it is set straight back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
