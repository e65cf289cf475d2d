"""An instance's source, a folder of CSV files or one Excel workbook, read by the reader that fits.

The two readers share every rule: the workbook reader turns its sheets into the files of a folder
and hands them to the folder reader (``matcher.input.reading``). Choosing between them here,
one level above both, keeps the dependency one way: workbook -> reading, never back.
"""

from __future__ import annotations

from pathlib import Path

from matcher.errors import InputError, Problem
from matcher.geography.regions import shipped_region_map
from matcher.i18n import _
from matcher.input.reading import Validation, region_map_of_folder, validate_folder
from matcher.input.workbook import is_workbook, validate_workbook, workbook_region_map
from matcher.instance import Instance, RegionMap


def validate_instance(source: str | Path) -> Validation:
    """Check an instance folder (or one .xlsx workbook) against every input rule; never raises
    for bad input."""
    return validate_workbook(source) if is_workbook(source) else validate_folder(source)


def read_instance(source: str | Path) -> Instance:
    """The instance in ``source``; raises ``InputError`` listing every problem when it is not valid."""
    validation = validate_instance(source)
    if validation.errors:
        raise InputError(validation.errors, folder=Path(source).name or str(source))
    assert validation.instance is not None
    return validation.instance


def region_map_in_use(source: str | Path | None = None) -> RegionMap:
    """The instance's own region map (regions.csv or the regions sheet) when it has one, else the
    shipped map. Raises ``InputError`` listing every problem when the source is not valid."""
    if source is None:
        return shipped_region_map()
    return workbook_region_map(source) if is_workbook(source) else region_map_of_folder(source)


def safe_validate(folder: str | Path) -> Validation:
    """``validate_instance`` that turns even an unforeseen failure into a reported problem."""
    try:
        return validate_instance(folder)
    except Exception as exc:  # the last line of defence: a planner sees a message, not a traceback
        message = _("could not be read: {error}").format(error=f"{type(exc).__name__}: {exc}")
        return Validation(None, [Problem(str(folder), None, None, message)], [])
