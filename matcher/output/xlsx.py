"""Tables written as the sheets of an .xlsx workbook through XlsxWriter, in matcher's own look.

Each sheet is a table: a header row in bold on a light blue fill, frozen, with a filter over the
whole table; columns as wide as their content (``matcher.input.workbook.column_width``, the
template's rule); landscape pages, fit to the page width, the header repeated on every page; a
number format per cell. That is the look ``matcher.input.workbook.finish_sheet`` gives the
template through openpyxl. XlsxWriter only writes, and is quicker to import and to write than
openpyxl. The file holds no clock: the same tables give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any, Sequence

from xlsxwriter import Workbook

from matcher.input.workbook import column_width

HEADER_FORMAT = {"bold": True, "pattern": 1, "bg_color": "#DDEBF7"}
#: The creation time the workbook records (XlsxWriter would take the clock's).
CREATED = datetime(2000, 1, 1, tzinfo=timezone.utc)
#: Pixels per character of column width: a digit of Calibri 11, Excel's default font. Widths are
#: set in pixels so that a column is stored as wide as openpyxl stores the template's
#: (``set_column`` would add Excel's cell padding of 5 pixels).
PIXELS_PER_CHARACTER = 7
#: Text stays text (no formulas or links made of it); a NaN or infinity shows as Excel's error.
OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
           "nan_inf_to_errors": True}


@dataclass(frozen=True)
class Table:
    """One sheet: ``header`` and ``rows`` of values (None: an empty cell), and per row the number
    format of every cell (None: general)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[Sequence[str | None]]


def write_tables(tables: Sequence[Table], path: str | Path | IO[bytes]) -> None:
    """Write ``tables`` as the sheets of the workbook ``path``, in order."""
    book = Workbook(path, OPTIONS)
    book.set_properties({"author": "matcher", "created": CREATED})
    header = book.add_format(HEADER_FORMAT)
    number_formats: dict[str, Any] = {}

    def format_of(number_format: str | None):
        if not number_format:
            return None
        if number_format not in number_formats:
            number_formats[number_format] = book.add_format({"num_format": number_format})
        return number_formats[number_format]

    for table in tables:
        ws = book.add_worksheet(table.title)
        ws.write_row(0, 0, table.header, header)
        for r, (values, formats) in enumerate(zip(table.rows, table.formats), start=1):
            for c, (value, number_format) in enumerate(zip(values, formats)):
                ws.write(r, c, value, format_of(number_format))
        columns = zip(table.header, *table.rows) if table.rows else ([h] for h in table.header)
        for c, values in enumerate(columns):
            ws.set_column_pixels(c, c, column_width(values) * PIXELS_PER_CHARACTER)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, len(table.rows), max(len(table.header), 1) - 1)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(0)
    book.close()
