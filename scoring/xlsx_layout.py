"""How every workbook we write prints and reads: A4 with the width fitted, page numbers in the
footer, and rows as tall as their wrapped text (Excel does not size rows a program wrote)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from openpyxl.worksheet.properties import PageSetupProperties


def print_setup(ws, landscape: bool = True) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0  # as wide as the page, as long as needed
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "Trang &P/&N"


def fit_height(ws, row: int, values: Sequence[Any], widths: Sequence[float]) -> None:
    """Row `row` tall enough for its longest wrapped value, given the columns' widths (characters)."""
    lines = 1
    for value, width in zip(values, widths):
        if value is not None:
            text = str(value)
            lines = max(lines, sum(math.ceil(max(len(part), 1) / max(width * 1.1, 1)) for part in text.split("\n")))
    ws.row_dimensions[row].height = 15 * lines
