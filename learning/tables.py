"""The shared spreadsheet reader and writer, as learning's areas name it: it
lives in core.tables, where courses' exports use it too."""

from core.tables import (
    BOM,
    FileFormatError,
    Problem,
    Row,
    csv_table,
    decode_text,
    read_table,
    write_csv_table,
    write_xlsx_table,
    xlsx_table,
)

__all__ = [
    "BOM",
    "FileFormatError",
    "Problem",
    "Row",
    "csv_table",
    "decode_text",
    "read_table",
    "write_csv_table",
    "write_xlsx_table",
    "xlsx_table",
]
