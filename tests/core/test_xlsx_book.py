"""A workbook of several tables: one sheet each, as Excel accepts their names."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from core.tables import KRONER, LEVEL, Sheet, write_xlsx_book


def test_each_table_gets_its_own_sheet_with_header_and_formats():
    raw = write_xlsx_book(
        [
            Sheet(
                "Kompetencer/gab: mest manglende i jobcentret i år",
                ["Kompetence", "Gennemsnit"],
                [["Samtaler", 2.5]],
                {"Gennemsnit": LEVEL},
            ),
            Sheet("Hold", ["Kursus", "Pris"], [["Jura", Decimal("1250.50")]]),
            Sheet("Hold", ["Kursus", "Pris"], [], {"Pris": KRONER}),
        ]
    )
    book = load_workbook(io.BytesIO(raw))
    assert book.sheetnames == [
        "Kompetencer gab  mest manglende",
        "Hold",
        "Hold 2",
    ]
    first = book.worksheets[0]
    assert first.freeze_panes == "A2"
    assert first["A1"].font.bold
    assert (first["B2"].value, first["B2"].number_format) == (2.5, LEVEL)
    assert book["Hold"]["B2"].value == 1250.5


def test_a_book_without_tables_still_opens():
    assert load_workbook(io.BytesIO(write_xlsx_book([]))).sheetnames == ["-"]
