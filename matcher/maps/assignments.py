"""Reading a solution's assignments.csv back, so a map can be drawn again from a solution folder."""

from __future__ import annotations

import csv
from pathlib import Path

from matcher.result import YouthOutcome


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _float(value: str | None) -> float | None:
    text = _text(value)
    return None if text is None else float(text)


def _int(value: str | None) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def read_assignments(path) -> list[YouthOutcome]:
    """The rows of an assignments.csv (instance format, solution folder), in file order."""
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return [
            YouthOutcome(
                youth_id=row["youth_id"].strip(),
                status=row["status"].strip(),
                unit_id=_text(row.get("unit_id")),
                location_id=_text(row.get("location_id")),
                provider=_text(row.get("provider")),
                distance_km=_float(row.get("distance_km")),
                setting_steps=_int(row.get("setting_steps")),
                home_jeugdregio=(row.get("home_jeugdregio") or "").strip(),
                unit_jeugdregio=_text(row.get("unit_jeugdregio")),
                scope=_text(row.get("scope")),
                cost=_float(row.get("cost")) or 0.0,
                reason=(row.get("reason") or "").strip(),
            )
            for row in csv.DictReader(f)
        ]
