"""A report's tables as plain data, so one object is the page's table, the CSV
and the Excel sheet: the numbers cannot differ between them.

Each report builds a list of `Table`s from its figures (learning.reports.demand
and .figures); the templates draw them with `templates/learning/reports/
_table.html`, and `download()` writes one as CSV or all as one workbook, a
sheet per table, with kroner and levels formatted for a Danish Excel.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask import Response

from core.tables import (
    KRONER,
    LEVEL,
    WHOLE,
    XLSX_TYPE,
    Sheet,
    download,
    write_xlsx_book,
)

TEXT, COUNT, MONEY, LEVELS = "text", "count", "money", "levels"
EXCEL_FORMATS = {COUNT: WHOLE, MONEY: KRONER, LEVELS: LEVEL}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT  # TEXT, COUNT, MONEY or LEVELS: how the value is shown


@dataclass
class Table:
    """One table of a report. `links` holds, row by row, an address for the
    row's first cell on the page (the drill-down), or None."""

    key: str  # names the table in an export's address: ?tabel=competences
    title: str
    columns: Sequence[Column]
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    caption: str = ""  # a sentence under the title, on the page only
    on_page: int | None = None  # rows the page shows; the exports have every one

    @property
    def page_rows(self) -> list[list]:
        return self.rows[: self.on_page] if self.on_page else self.rows

    def link(self, index: int) -> str | None:
        return self.links[index] if index < len(self.links) else None


def _sheet(table: Table) -> Sheet:
    return Sheet(
        table.title,
        [c.name for c in table.columns],
        table.rows,
        {c.name: EXCEL_FORMATS[c.kind] for c in table.columns if c.kind != TEXT},
    )


def export(tables: Sequence[Table], fmt: str, name: str, key: str | None):
    """The tables as `name`.xlsx (a sheet each), or the one named `key` (the
    first without one) as `name`.csv; None for another format or an unknown
    table (the view answers 404)."""
    if fmt == "xlsx":
        return Response(
            write_xlsx_book([_sheet(t) for t in tables]),
            mimetype=XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
        )
    chosen = [t for t in tables if key in (None, t.key)][:1]
    if not chosen:
        return None
    table = chosen[0]
    return download(
        fmt,
        [c.name for c in table.columns],
        table.rows,
        name=f"{name}-{table.key}",
        title=table.title,
    )
