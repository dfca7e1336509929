"""Spreadsheets both ways, for every import and export: CSV as Danish Excel reads
and writes it (semicolons, UTF-8 with a BOM or Windows-1252), comma-separated
UTF-8 and .xlsx, read into rows of plain values and written back.

Pure apart from `download()`: no database, and no application needed; the
error's message is only rendered where one is.
"""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from flask import Response
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.errors import DomainError

BOM = "\ufeff"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")
# A cell starting with one of these is a formula to a spreadsheet: the CSV writer
# puts an apostrophe before it (Excel shows the text, and saves it without one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# What the CSV writer guards, and the CSV reader takes the apostrophe off again: a
# text that itself starts with an apostrophe gets one more, so it reads back whole.
GUARDED_STARTS = (*FORMULA_STARTS, "'")


@dataclass(frozen=True)
class Problem:
    """One error in a file: where (row and column, or item and field) and what."""

    row: int
    column: str
    code: str
    value: str = ""


class FileFormatError(DomainError):
    """The file cannot be read; `problems` says where and why, each in the codes
    of the reading area's problem table."""

    messages = {"not_imported": _l("The file was not imported. Nothing is changed.")}

    def __init__(self, problems: list[Problem]):
        super().__init__("not_imported")
        self.problems = problems


Row = tuple[int, dict[str, str]]


def format_of(filename: str) -> str:
    """'xlsx' for an Excel workbook's name, else 'csv'."""
    return "xlsx" if filename.lower().endswith(".xlsx") else "csv"


def decode_text(raw: bytes, *, legacy: bool = True) -> str:
    """UTF-8 (with or without a BOM); with `legacy` (the default), Windows-1252
    when it is not UTF-8, as Excel saves 'CSV (semikolonsepareret)' on a Danish
    Windows. JSON, which is always UTF-8, reads with legacy=False."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if not legacy:
            raise FileFormatError([Problem(1, "", "bad_encoding")]) from exc
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise FileFormatError([Problem(1, "", "bad_encoding")]) from exc
    if "\x00" in text:  # UTF-16 and binary files
        raise FileFormatError([Problem(1, "", "bad_encoding")])
    return text


def _header(names: Iterable[object], aliases: Mapping[str, str] | None) -> list[str]:
    cleaned = [str(name or "").strip().lstrip(BOM) for name in names]
    if aliases is None:
        return cleaned
    return [aliases.get(name.lower(), name.lower()) for name in cleaned]


def _unguard(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in GUARDED_STARTS else value


def _as_is(value: str) -> str:
    return value


def _rows(
    header: list[str],
    records: Iterable[Sequence[object]],
    required: Sequence[str],
    cell=_as_is,
) -> tuple[list[Row], list[Problem]]:
    missing = [column for column in required if column not in header]
    if missing:
        raise FileFormatError([Problem(1, c, "missing_column") for c in missing])
    rows, problems = [], []
    for number, record in enumerate(records, start=2):
        values = [cell("" if v is None else str(v)) for v in record]
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            problems.append(Problem(number, "", "too_many_fields"))
            continue
        if not any(v.strip() for v in values):
            continue  # blank lines are harmless
        values += [""] * (len(header) - len(values))
        rows.append((number, dict(zip(header, values, strict=False))))
    return rows, problems


def delimiter_of(text: str) -> str:
    """';' or ',': whichever the header line has more of (outside quotes), since
    header names hold neither, while descriptions further down may hold both."""
    first = text.split("\n", 1)[0]
    outside = "".join(first.split('"')[::2])
    return ";" if outside.count(";") > outside.count(",") else ","


def csv_table(
    text: str,
    *,
    required: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Row], list[Problem]]:
    """The rows of a comma- or semicolon-separated text as (row number, values),
    row 1 being the header, and the rows that had more fields than the header.

    `aliases` maps lower-cased header names to the columns they stand for (and
    lower-cases the rest); without it the names are only stripped.
    """
    text = text.lstrip(BOM)
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    header = _header(next(records, []), aliases)
    return _rows(header, records, required, _unguard)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel keeps every number as a float
    return str(value)


def xlsx_table(
    raw: bytes,
    *,
    required: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Row], list[Problem]]:
    """The rows of the first sheet of an .xlsx workbook, read as csv_table reads
    but for the formula guard: a workbook's cell holds its text as it is."""
    # A broken upload fails anywhere in openpyxl's reading (zip, XML, styles, cell
    # values), with many kinds of errors; each means the same thing to the user.
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            records = [
                [_cell(v) for v in r] for r in book.active.iter_rows(values_only=True)
            ]
        finally:
            book.close()
    except Exception as exc:
        raise FileFormatError([Problem(1, "", "bad_xlsx")]) from exc
    if not records:
        return _rows([], [], required)
    return _rows(_header(records[0], aliases), records[1:], required)


def read_table(
    raw: bytes,
    fmt: str,
    *,
    required: Sequence[str] = (),
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[Row], list[Problem]]:
    """An uploaded spreadsheet's rows, whatever Excel or another program saved:
    .xlsx (fmt 'xlsx'), or CSV in UTF-8 or Windows-1252 with commas or semicolons."""
    if fmt == "xlsx":
        return xlsx_table(raw, required=required, aliases=aliases)
    return csv_table(decode_text(raw), required=required, aliases=aliases)


def _guard(value: object) -> object:
    if isinstance(value, str) and value.startswith(GUARDED_STARTS):
        return "'" + value
    return value


def write_csv_table(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: Danish Excel opens it with æøå intact,
    and runs no cell as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([_guard(v) for v in row] for row in rows)
    return (BOM + out.getvalue()).encode("utf-8")


# Number formats for write_xlsx_table's `formats`; Excel shows them the reader's
# way (a Danish Excel: '1.500,00 kr.').
KRONER = '#,##0.00 "kr."'
WHOLE = "0"
LEVEL = "0.0"  # a level on the scale, or an average of levels
NUMBERS = (int, float, Decimal)
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its sheet's title, header, rows and the number
    format of columns by name (see write_xlsx_table)."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]]
    formats: Mapping[str, str] = field(default_factory=dict)


def write_xlsx_table(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    title: str,
    formats: Mapping[str, str] | None = None,
) -> bytes:
    """One sheet with a header row that stays in view (frozen panes); text stays
    text, even when it starts with '='; `formats` gives columns, by name, a
    number format (KRONER, WHOLE or any of Excel's)."""
    return write_xlsx_book([Sheet(title, columns, list(rows), formats or {})])


def write_xlsx_book(sheets: Sequence[Sheet]) -> bytes:
    """One sheet per table, each written as write_xlsx_table writes its one; sheet
    titles are cut to Excel's 31 characters and made unique."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in sheets:
        _fill(book.create_sheet(_sheet_title(table.title, used)), table)
    if not sheets:
        book.create_sheet("-")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel refuses these characters in a sheet's name, and names longer than 31.
    base = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()[:31] or "-"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]} {n}"
    used.add(name.lower())
    return name


def _fill(sheet, table: Sheet) -> None:
    for values in [list(table.columns), *table.rows]:
        sheet.append(list(values))
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = BOLD
    for i, name in enumerate(table.columns):
        longest = max([len(str(name))] + [len(str(r[i] or "")) for r in table.rows])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(60, longest + 2)
    numbered = {
        i: table.formats[name]
        for i, name in enumerate(table.columns)
        if name in table.formats
    }
    for number, line in enumerate(sheet.iter_rows()):
        for i, cell in enumerate(line):
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
            elif number and i in numbered and isinstance(cell.value, NUMBERS):
                cell.number_format = numbered[i]


def download(
    fmt: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    name: str,
    title: str,
    formats: Mapping[str, str] | None = None,
) -> Response | None:
    """The table as a file the browser saves as `name`.csv or `name`.xlsx (with
    `formats`, see write_xlsx_table); None for another format (the view answers
    404)."""
    if fmt == "csv":
        body, mimetype = write_csv_table(columns, rows), CSV_TYPE
    elif fmt == "xlsx":
        body = write_xlsx_table(columns, rows, title=title, formats=formats)
        mimetype = XLSX_TYPE
    else:
        return None
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'},
    )
