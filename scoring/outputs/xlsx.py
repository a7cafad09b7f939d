"""One Excel workbook: a summary sheet, a chart, the to-do list and a sheet per unit; text never
becomes a formula. Every sheet prints on A4 landscape, as wide as the page, its title rows on top
and its header row repeated on every page.

Written with XlsxWriter, which streams cells into the file: openpyxl, which keeps every cell as
an object and styles it one property at a time, took 7 s for the 300-unit workbook, XlsxWriter 2.
(The unit templates, which are read back, stay with openpyxl: scoring/outputs/workbooks.py.)
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from rules import vn
from scoring.core.results import COVERAGE_NOTE, PROVISIONAL_NOTE, coverage_text
from scoring.outputs.book import ReportBook, UnitReport, link_target
from scoring.outputs.writing import printable
from scoring.outputs.xlsx_layout import row_height, writer_print_setup

TOP = {"text_wrap": True, "valign": "top"}
LOOKS: dict[str, dict[str, Any]] = {  # how each kind of table row looks
    "head": {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F4E78", "text_wrap": True, "valign": "vcenter"},
    "body": TOP,
    "area": {**TOP, "bold": True, "bg_color": "#D9E2F3"},
    "group": {**TOP, "bold": True, "bg_color": "#EEF2F9"},
    "link": {**TOP, "font_color": "#0563C1", "underline": 1},
    "title": {"bold": True, "font_size": 14},
    "subtitle": {"font_size": 11},
    "heading": {"bold": True, "font_size": 13},
    "bold": {"bold": True},
}
CM_PX = 37.8  # pixels per centimetre at 96 dpi, for the chart's size


class Book:
    """The workbook being written, with each look made into an Excel format once."""

    def __init__(self, buffer: io.BytesIO) -> None:
        self.wb = xlsxwriter.Workbook(
            buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        self.formats = {name: self.wb.add_format(look) for name, look in LOOKS.items()}
        self.formats |= {
            f"{name}-number": self.wb.add_format({**look, "num_format": "0.00"}) for name, look in LOOKS.items()
        }
        self._names: set[str] = set()

    def sheet(self, name: str) -> Worksheet:
        """A new sheet named `name`, cut to Excel's 31 characters and made unique (Excel ignores case)."""
        base, n = name[:31], 1
        while name[:31].lower() in self._names:
            n += 1
            name = f"{base[: 31 - len(str(n)) - 1]}~{n}"
        self._names.add(name[:31].lower())
        return self.wb.add_worksheet(name[:31])

    def put(self, ws: Worksheet, row: int, col: int, value, look: str = "") -> None:
        """Write a value (rows and columns from 0): text always as text, even when it starts with
        = + - @; numbers with two decimals in a table."""
        if value is None:
            if look:
                ws.write_blank(row, col, None, self.formats[look])
        elif isinstance(value, str):
            ws.write_string(row, col, printable(value), self.formats.get(look))
        elif isinstance(value, float):
            ws.write_number(row, col, value, self.formats.get(f"{look}-number"))
        else:  # whole numbers (ranks), and anything else as XlsxWriter types it
            ws.write(row, col, value, self.formats.get(look))

    def link(self, ws: Worksheet, row: int, col: int, url: str, text: str) -> None:
        """A link Excel opens from the cell, showing `text`; one Excel cannot hold (over 2,079
        characters) stays as text."""
        if ws.write_url(row, col, printable(url), self.formats["link"], printable(text)) != 0:
            self.put(ws, row, col, text, "body")

    def table(self, ws: Worksheet, header: list[str], rows: list[list], widths: list[int], start: int, looks=None):
        """A table with its header at row `start` (from 0), wrapped text with row heights to
        match, the header repeated on every printed page. `looks`: each row's look (default "body")."""
        for c, (name, width) in enumerate(zip(header, widths)):
            self.put(ws, start, c, name, "head")
            ws.set_column(c, c, width)
        ws.set_row(start, row_height(header, widths))
        for r, values in enumerate(rows, start=start + 1):
            look = looks[r - start - 1] if looks else "body"
            for c, value in enumerate(values):
                self.put(ws, r, c, value, look)
            ws.set_row(r, row_height(values, widths))
        ws.freeze_panes(start + 1, 0)
        ws.repeat_rows(start)
        writer_print_setup(ws)

    def titles(self, ws: Worksheet, *lines: str) -> int:
        """Title lines above a table; returns the row (from 0) its header goes on."""
        for i, text in enumerate(lines):
            self.put(ws, i, 0, text, "title" if i == 0 else "subtitle")
        return len(lines) + 1


def workbook(book: ReportBook, appraisal: bool = False) -> bytes:
    buffer = io.BytesIO()
    out = Book(buffer)
    summary = out.sheet("Tổng hợp")
    start = out.titles(
        summary,
        f"Tổng hợp kết quả chấm điểm Chỉ số cải cách hành chính năm {book.year}",
        f"{book.catalog_title} — bộ tiêu chí {book.catalog_id}, phiên bản {book.catalog_version}; "
        f"lập ngày {vn.date(book.generated)}",
    )
    area_heads = [f"LV {code}" for code, _ in book.areas]
    rows = []
    for label, units in book.by_group:
        for u in units:
            f = u.final
            rows.append(
                [label, f.rank, f.overall_rank, f.unit_id, f.unit_name, u.unit_type_label]
                + [a.points for a in f.areas]
                + (
                    [u.score.points, u.score.index, "đã thẩm định" if u.appraised_total is not None else ""]
                    if book.appraised
                    else []
                )
                + [f.points, f.max_points, f.index, f.band, "tạm tính" if f.provisional else ""]
                + [coverage_text(u.score.coverage)]
            )
    own = ["Tự chấm", "Chỉ số tự chấm", "Thẩm định"] if book.appraised else []
    header = ["Khối", "Hạng", "Chung", "Mã đơn vị", "Tên đơn vị", "Loại"] + area_heads + own
    header += ["Điểm", "Tối đa", "Chỉ số", "Xếp loại", "Tạm tính", "TLKC"]
    widths = [24, 7, 7, 16, 40, 22] + [8] * len(area_heads) + ([9, 9, 13] if book.appraised else [])
    out.table(summary, header, rows, widths + [9, 9, 9, 12, 10, 10], start=start)
    notes = [n for n, shown in ((PROVISIONAL_NOTE, book.provisional), (COVERAGE_NOTE, book.incomplete)) if shown]
    notes += [book.heading_note] if book.appraised else []
    notes += [f"{u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    for i, note in enumerate(notes, start=start + len(rows) + 2):
        out.put(summary, i, 0, note)
    summary.autofilter(start, 0, start + len(rows), len(header) - 1)
    _chart(out, summary, header, start, len(rows))
    _todo_sheet(out, book)
    if any(u.attachments for u in book.units):
        _attachments_sheet(out, book)
    for u in book.ranked:
        _unit_sheet(out, u, appraisal)
    out.wb.close()
    return buffer.getvalue()


def _chart(out: Book, ws: Worksheet, header: list[str], start: int, n: int) -> None:
    """The index of every unit as bars, under the summary table (Excel's own chart)."""
    chart = out.wb.add_chart({"type": "bar"})
    index_col, name_col = header.index("Chỉ số"), header.index("Tên đơn vị")
    chart.add_series(
        {
            "name": [ws.name, start, index_col],
            "values": [ws.name, start + 1, index_col, start + n, index_col],
            "categories": [ws.name, start + 1, name_col, start + n, name_col],
        }
    )
    chart.set_title({"name": "Chỉ số CCHC" + (" (kết quả cuối cùng)" if "Tự chấm" in header else "")})
    chart.set_x_axis({"name": "Chỉ số", "min": 0, "max": 100})  # a bar chart's values run along x
    chart.set_legend({"none": True})
    chart.set_style(10)
    chart.set_size({"width": 18 * CM_PX, "height": max(7.5, 0.7 * n + 3) * CM_PX})
    ws.insert_chart(start + n + 7, 0, chart)


def _attachments_sheet(out: Book, book: ReportBook) -> None:
    """Every unit's evidence files as found in the attachments folder, with their fingerprints."""
    ws = out.sheet("Tệp đính kèm")
    rows = [[u.score.unit_id, a.what, a.file, a.status] for u in book.ranked for a in u.attachments or []]
    header = ["Mã đơn vị", *UnitReport.ATTACHMENTS_HEADER]
    out.table(ws, header, rows, [16, 40, 36, 70], start=out.titles(ws, UnitReport.ATTACHMENTS_TITLE))


def _todo_sheet(out: Book, book: ReportBook) -> None:
    """Every unit's to-do list in one filterable table."""
    ws = out.sheet("Việc cần làm")
    rows = [
        [u.score.unit_id, u.score.unit_name, title, f.code, f.title, f.points, f.status_label, f.action, f.deadline]
        for u in book.ranked
        for title, fixes in u.todo.sections()
        for f in fixes
    ]
    header = ["Mã đơn vị", "Đơn vị", "Loại việc", "Tiêu chí", "Tên tiêu chí", "Điểm", "Tình trạng"]
    out.put(ws, 0, 0, f"Việc cần làm, tính đến ngày {vn.date(book.generated)}", "heading")
    out.table(ws, header + ["Việc cần làm", "Thời hạn"], rows, [16, 30, 22, 8, 40, 7, 18, 70, 11], start=2)
    ws.autofilter(2, 0, 2 + len(rows), 8)


def _unit_sheet(out: Book, u: UnitReport, appraisal: bool) -> None:
    ws = out.sheet(u.score.unit_id)
    out.put(ws, 0, 0, f"{u.score.unit_name} ({u.score.unit_id}) — {u.unit_type_label}", "heading")
    ws.set_header("&C" + f"Kết quả chấm điểm CCHC năm {u.score.year}: {u.score.unit_name}".replace("&", "&&"))
    for i, (label, value) in enumerate(u.facts, start=1):
        out.put(ws, i, 0, f"{label}:", "bold")
        out.put(ws, i, 1, value)
    start = len(u.facts) + 2
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định", "Lý do thẩm định / giải trình"] if appraisal else [])
        + ["Tình trạng", "Ghi chú / căn cứ", "Tài liệu kiểm chứng", "Tệp / đường dẫn"]
    )
    rows = [
        [r.stt, r.title, r.max_points, r.points]
        + ([r.appraised, r.appraisal_reason] if appraisal else [])
        + [r.status_label, r.explanation, r.evidence, _files(r) or None]
        for r in u.rows
    ]
    widths = [8, 50, 10, 10] + ([10, 40] if appraisal else []) + [14, 70, 50, 30]
    looks = [("area" if r.depth == 0 else "group") if r.is_group else "body" for r in u.rows]
    out.table(ws, header, rows, widths, start=start, looks=looks)
    for i, r in enumerate(u.rows, start=start + 1):
        target = link_target(r.files[0][1]) if r.files else None
        if target:  # the first file opens from the cell; all are listed in it
            url = target if "://" in target else f"external:{target}"  # a path relative to the workbook
            out.link(ws, i, len(header) - 1, url, _files(r))
    row = start + len(u.rows)
    if u.warnings:
        row += 2
        out.put(ws, row, 0, "Cảnh báo về số liệu", "bold")
        for w in u.warnings:
            row += 1
            out.put(ws, row, 1, w)


def _files(r) -> str:
    return "\n".join(file for _, file in r.files)
