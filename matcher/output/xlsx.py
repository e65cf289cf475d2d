"""A small writer of .xlsx workbooks in matcher's own look, for the solution of every run.

Each sheet is a table: a header row in bold on a light blue fill, frozen, with a filter over the
whole table; columns as wide as their content (``matcher.input.workbook.column_width``, the
template's rule); landscape pages, fit to the page width, the header repeated on every page; a
number format per cell. That is all solution.xlsx needs, and it is the look
``matcher.input.workbook.finish_sheet`` gives the template through openpyxl. Writing it here
takes a few milliseconds; openpyxl took 0.1 s to import and 0.15 s to write the national week.
The parts are plain SpreadsheetML (ECMA-376) with shared strings; the file is the same bytes for
the same content (no clock in it).
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from numbers import Integral, Real
from pathlib import Path
from typing import IO, Any, Sequence

from matcher.input.workbook import column_width

HEADER_FILL = "00DDEBF7"
#: Number formats Excel knows by number (ECMA-376 18.8.30); others get ids from 164 on.
_BUILTIN_FORMATS = {"0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: What text and attribute values must escape (xml.sax.saxutils would do it, but takes 10 ms to
#: import: it loads urllib).
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;", "\t": "&#9;"})
_FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/>'


@dataclass(frozen=True)
class Table:
    """One sheet: ``header`` and ``rows`` of values (None: an empty cell), and per row the number
    format of every cell (None: general)."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    formats: Sequence[Sequence[str | None]]


def column_letter(index: int) -> str:
    """The letters of the column at ``index`` (0: A, 26: AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Strings:
    """The shared strings: every text once, cells refer to it by number."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}

    def of(self, text: str) -> int:
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{_text(t)}</t></si>' for t in self.index)
        return f'{_XML}<sst xmlns="{_MAIN}" count="{len(self.index)}" uniqueCount="{len(self.index)}">{items}</sst>'


class _Styles:
    """Cell formats: 0 general, 1 the header, then one per number format in use."""

    def __init__(self) -> None:
        self.style_of: dict[str, int] = {}

    def of(self, number_format: str | None) -> int:
        if not number_format:
            return 0
        return self.style_of.setdefault(number_format, len(self.style_of) + 2)

    def xml(self) -> str:
        custom = [f for f in self.style_of if f not in _BUILTIN_FORMATS]
        ids = _BUILTIN_FORMATS | {f: 164 + i for i, f in enumerate(custom)}
        formats = "".join(f'<numFmt numFmtId="{ids[f]}" formatCode={quoteattr(f)}/>' for f in custom)
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>']
        xfs += [f'<xf numFmtId="{ids[f]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
                for f in self.style_of]
        return (f'{_XML}<styleSheet xmlns="{_MAIN}">'
                + (f'<numFmts count="{len(custom)}">{formats}</numFmts>' if custom else "")
                + f'<fonts count="2"><font>{_FONT}</font><font><b/>{_FONT}</font></fonts>'
                '<fills count="3"><fill><patternFill patternType="none"/></fill>'
                '<fill><patternFill patternType="gray125"/></fill>'
                f'<fill><patternFill patternType="solid"><fgColor rgb="{HEADER_FILL}"/><bgColor indexed="64"/>'
                '</patternFill></fill></fills>'
                '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
                '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
                f'<cellXfs count="{len(xfs)}">{"".join(xfs)}</cellXfs>'
                '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
                '</styleSheet>')


def _text(value: str) -> str:
    return value.translate(_ESCAPE)


def quoteattr(value: str) -> str:
    return f'"{_text(value)}"'


def _cell(ref: str, value: Any, style: int, strings: _Strings) -> str:
    """One cell's XML ('' for an empty one)."""
    s = f' s="{style}"' if style else ""
    if value is None or value == "":
        return f'<c r="{ref}"{s}/>' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, Integral):
        return f'<c r="{ref}"{s}><v>{int(value)}</v></c>'
    if isinstance(value, Real) and math.isfinite(value):
        return f'<c r="{ref}"{s}><v>{float(value)!r}</v></c>'
    return f'<c r="{ref}"{s} t="s"><v>{strings.of(str(value))}</v></c>'


def _sheet_xml(table: Table, strings: _Strings, styles: _Styles) -> str:
    n_cols = len(table.header)
    letters = [column_letter(i) for i in range(n_cols)]
    last = f"{letters[-1]}{len(table.rows) + 1}" if n_cols else "A1"
    rows = ['<row r="1">' + "".join(_cell(f"{c}1", v, 1, strings) for c, v in zip(letters, table.header)) + "</row>"]
    for r, (values, formats) in enumerate(zip(table.rows, table.formats), start=2):
        cells = "".join(_cell(f"{c}{r}", v, styles.of(f), strings) for c, v, f in zip(letters, values, formats))
        rows.append(f'<row r="{r}">{cells}</row>')
    columns = zip(table.header, *table.rows) if table.rows else ([h] for h in table.header)
    widths = "".join(f'<col min="{i}" max="{i}" width="{column_width(values)}" customWidth="1"/>'
                     for i, values in enumerate(columns, start=1))
    return (f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<sheetPr><outlinePr summaryBelow="1" summaryRight="1"/><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'<dimension ref="A1:{last}"/>'
            '<sheetViews><sheetView workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            '<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{widths}</cols>" if widths else "")
            + f'<sheetData>{"".join(rows)}</sheetData>'
            f'<autoFilter ref="A1:{last}"/>'
            '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/>'
            '<pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>'
            "</worksheet>")


def _workbook_xml(tables: Sequence[Table]) -> str:
    sheets, names = [], []
    for i, table in enumerate(tables):
        sheets.append(f'<sheet name={quoteattr(table.title)} sheetId="{i + 1}" r:id="rId{i + 1}"/>')
        quoted = _text("'" + table.title.replace("'", "''") + "'")
        last = f"${column_letter(max(len(table.header), 1) - 1)}${len(table.rows) + 1}"
        names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                     f"{quoted}!$A$1:{last}</definedName>")
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">{quoted}!$1:$1</definedName>')
    return (f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f'<sheets>{"".join(sheets)}</sheets><definedNames>{"".join(names)}</definedNames></workbook>')


def _package(n_sheets: int) -> dict[str, str]:
    """The parts that say what is where: content types and relationships, and the properties."""
    sheet_types = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_TYPE}.worksheet+xml"/>'
                          for i in range(1, n_sheets + 1))
    sheet_rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                         for i in range(1, n_sheets + 1))
    return {
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPE}.sheet.main+xml"/>{sheet_types}'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPE}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>'),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">'
            f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
            f'<Relationship Id="rId3" Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        "docProps/core.xml": (
            f'{_XML}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>matcher</dc:creator></cp:coreProperties>'),
        "docProps/app.xml": (
            f'{_XML}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            '<Application>matcher</Application></Properties>'),
        "xl/_rels/workbook.xml.rels": (
            f'{_XML}<Relationships xmlns="{_PKG_REL}">{sheet_rels}'
            f'<Relationship Id="rId{n_sheets + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId{n_sheets + 2}" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
    }


def write_tables(tables: Sequence[Table], path: str | Path | IO[bytes]) -> None:
    """Write ``tables`` as the sheets of the workbook ``path``, in order."""
    strings, styles = _Strings(), _Styles()
    sheets = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(t, strings, styles) for i, t in enumerate(tables, start=1)}
    parts = {**_package(len(tables)), "xl/workbook.xml": _workbook_xml(tables), **sheets,
             "xl/styles.xml": styles.xml(), "xl/sharedStrings.xml": strings.xml()}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as book:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16  # rw-r--r-- when unpacked
            book.writestr(info, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
