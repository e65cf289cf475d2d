"""An empty folder of change files for ``matcher register import``, with a README in the run's language."""

from __future__ import annotations

from pathlib import Path

from matcher.i18n import _
from matcher.input.instance_writer import LOCATION_HEADER, UNIT_HEADER, YOUTH_HEADER, csv_text
from matcher.register.changes import (
    CAPACITY,
    CHANGE_FILE_WORDS,
    CHANGE_FILES,
    DEPARTURES,
    NEW_LOCATIONS,
    NEW_UNITS,
    REQUESTS,
    WITHDRAWALS,
)

HEADERS = {
    NEW_LOCATIONS: LOCATION_HEADER, NEW_UNITS: UNIT_HEADER,
    CAPACITY: ("unit_id", "capacity"),
    REQUESTS: tuple(c for c in YOUTH_HEADER if c != "current_unit_id"),
    DEPARTURES: ("youth_id", "reason"), WITHDRAWALS: ("youth_id", "reason"),
}


def write_change_template(folder: str | Path) -> Path:
    """Write every change file with its header only, and a README that says what goes where."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in CHANGE_FILES:
        (folder / name).write_text(csv_text(HEADERS[name], ()), encoding="utf-8")
    lines = [_("# This week's changes"), "",
             _("Fill in the files that have changes this week, leave the others with their header only, and "
               "record them with `matcher register import DB FOLDER`. The same files are never imported twice."),
             ""]
    lines += [f"- `{name}`: {_(CHANGE_FILE_WORDS[name])}" for name in CHANGE_FILES]
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder
