"""How every workbook we write prints and reads: A4 with the width fitted, page numbers in the
footer, and rows as tall as their wrapped text (Excel does not size rows a program wrote)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from openpyxl.worksheet.properties import PageSetupProperties

MARGINS = {"left": 0.5, "right": 0.5, "top": 0.6, "bottom": 0.6}  # inches
FOOTER = "Trang &P/&N"


def print_setup(ws, landscape: bool = True) -> None:
    """An openpyxl sheet's page."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as wide as the page, as long as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    for side, inches in MARGINS.items():
        setattr(ws.page_margins, side, inches)
    ws.oddFooter.center.text = FOOTER


def writer_print_setup(ws, landscape: bool = True) -> None:
    """The same page for an XlsxWriter sheet."""
    if landscape:
        ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.set_margins(**MARGINS)
    ws.set_footer(f"&C{FOOTER}")


def row_height(values: Sequence[Any], widths: Sequence[float]) -> float:
    """Points tall enough for the longest wrapped value of a row, given the columns' widths (characters)."""
    lines = 1
    for value, width in zip(values, widths):
        if value is not None:
            text = str(value)
            lines = max(lines, sum(math.ceil(max(len(part), 1) / max(width * 1.1, 1)) for part in text.split("\n")))
    return 15 * lines


def fit_height(ws, row: int, values: Sequence[Any], widths: Sequence[float]) -> None:
    """Row `row` of an openpyxl sheet as tall as `row_height`."""
    ws.row_dimensions[row].height = row_height(values, widths)
