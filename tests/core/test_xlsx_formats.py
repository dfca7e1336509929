"""Excel exports keep the header in view and show amounts as kroner."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from core.tables import KRONER, write_xlsx_table


def test_the_header_is_frozen_and_amounts_are_formatted_as_kroner():
    raw = write_xlsx_table(
        ["Kursus", "Pris"],
        [["Samtaleteknik", Decimal("1500.50")], ["=SUM(A1)", 200]],
        title="Plan",
        formats={"Pris": KRONER},
    )
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet["B"]] == ["Pris", 1500.5, 200]
    assert sheet["B1"].number_format == "General"
    assert sheet["B2"].number_format == sheet["B3"].number_format == KRONER
    assert sheet["A3"].value == "=SUM(A1)"
    assert sheet["A3"].data_type == "s"
