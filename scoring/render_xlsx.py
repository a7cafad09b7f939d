"""One Excel workbook: a summary sheet, a chart, the to-do list and a sheet per unit; text never
becomes a formula. Every sheet prints on A4 landscape, as wide as the page, its title rows on top
and its header row repeated on every page."""

from __future__ import annotations

import io
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from rules import vn
from scoring.report import ReportBook, UnitReport, link_target
from scoring.results import COVERAGE_NOTE, PROVISIONAL_NOTE, coverage_text
from scoring.xlsx_layout import fit_height, print_setup

BOLD = Font(bold=True)
TOP = Alignment(wrap_text=True, vertical="top")
LOOKS: dict[str, dict[str, Any]] = {  # how each kind of table row looks
    "head": {
        "font": Font(bold=True, color="FFFFFF"),
        "fill": PatternFill("solid", fgColor="1F4E78"),
        "alignment": Alignment(wrap_text=True, vertical="center"),
    },
    "body": {"alignment": TOP},
    "area": {"alignment": TOP, "font": BOLD, "fill": PatternFill("solid", fgColor="D9E2F3")},
    "group": {"alignment": TOP, "font": BOLD, "fill": PatternFill("solid", fgColor="EEF2F9")},
}


class Looks:
    """One workbook's cell looks, each styled once and then copied as a whole, as openpyxl's own
    worksheet copy does: assigning font, fill and alignment objects cell by cell hashes and
    compares each of them every time (a third of the workbook's time)."""

    def __init__(self) -> None:
        self._styled: dict[tuple[str, bool], StyleArray] = {}

    def put(self, ws, row: int, col: int, value, look: str):
        """Write `value` (as `_put` does) in the row look `look`; numbers with two decimals."""
        cell = _put(ws, row, col, value)
        key = (look, isinstance(value, float))
        styled = self._styled.get(key)
        if styled is None:
            for name, style in LOOKS[look].items():
                setattr(cell, name, style)
            if key[1]:
                cell.number_format = "0.00"
            self._styled[key] = copy(cell._style)
        else:
            cell._style = copy(styled)
        return cell


def _put(ws, row: int, col: int, value):
    """Write a value; text is always stored as text, even when it starts with = + - @."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _table(
    ws, looks: Looks, header: list[str], rows: list[list], widths: list[int], start: int = 1, row_looks=None
) -> None:
    """A table with its header at row `start`: points with two decimals, wrapped text with row
    heights to match, the header repeated on every printed page. `row_looks`: each row's look
    (default "body")."""
    for c, name in enumerate(header, start=1):
        looks.put(ws, start, c, name, "head")
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    fit_height(ws, start, header, widths)
    for r, values in enumerate(rows, start=start + 1):
        look = row_looks[r - start - 1] if row_looks else "body"
        for c, value in enumerate(values, start=1):
            looks.put(ws, r, c, value, look)
        fit_height(ws, r, values, widths)
    ws.freeze_panes = ws.cell(start + 1, 1)
    ws.print_title_rows = f"{start}:{start}"
    print_setup(ws)


def _titles(ws, *lines: str) -> int:
    """Title lines above a table; returns the row its header goes on."""
    for i, text in enumerate(lines, start=1):
        _put(ws, i, 1, text).font = Font(bold=i == 1, size=14 if i == 1 else 11)
    return len(lines) + 2


def workbook(book: ReportBook, appraisal: bool = False) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Tổng hợp"
    start = _titles(
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
    looks = Looks()
    _table(summary, looks, header, rows, widths + [9, 9, 9, 12, 10, 10], start=start)
    notes = [n for n, shown in ((PROVISIONAL_NOTE, book.provisional), (COVERAGE_NOTE, book.incomplete)) if shown]
    notes += [book.heading_note] if book.appraised else []
    notes += [f"{u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    for i, note in enumerate(notes, start=start + len(rows) + 2):
        _put(summary, i, 1, note)
    summary.auto_filter.ref = f"A{start}:{get_column_letter(len(header))}{start + len(rows)}"
    _chart(summary, header, start, len(rows))
    _todo_sheet(wb.create_sheet("Việc cần làm"), looks, book)
    if any(u.attachments for u in book.units):
        _attachments_sheet(wb.create_sheet("Tệp đính kèm"), looks, book)
    for u in book.ranked:
        _unit_sheet(wb.create_sheet(u.score.unit_id[:31]), looks, u, appraisal)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _chart(ws, header: list[str], start: int, n: int) -> None:
    """The index of every unit as bars, beside the summary table (openpyxl draws Excel's own chart)."""
    chart = BarChart()
    chart.type, chart.style = "bar", 10
    chart.title = "Chỉ số CCHC" + (" (kết quả cuối cùng)" if "Tự chấm" in header else "")
    chart.y_axis.title, chart.y_axis.scaling.min, chart.y_axis.scaling.max = "Chỉ số", 0, 100
    index_col, name_col = header.index("Chỉ số") + 1, header.index("Tên đơn vị") + 1
    chart.add_data(Reference(ws, min_col=index_col, min_row=start, max_row=start + n), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=name_col, min_row=start + 1, max_row=start + n))
    chart.legend = None
    chart.height, chart.width = max(7.5, 0.7 * n + 3), 18
    ws.add_chart(chart, f"A{start + n + 8}")


def _attachments_sheet(ws, looks: Looks, book: ReportBook) -> None:
    """Every unit's evidence files as found in the attachments folder, with their fingerprints."""
    rows = [[u.score.unit_id, a.what, a.file, a.status] for u in book.ranked for a in u.attachments or []]
    header = ["Mã đơn vị", *UnitReport.ATTACHMENTS_HEADER]
    _table(ws, looks, header, rows, [16, 40, 36, 70], start=_titles(ws, UnitReport.ATTACHMENTS_TITLE))


def _todo_sheet(ws, looks: Looks, book: ReportBook) -> None:
    """Every unit's to-do list in one filterable table."""
    rows = [
        [u.score.unit_id, u.score.unit_name, title, f.code, f.title, f.points, f.status_label, f.action, f.deadline]
        for u in book.ranked
        for title, fixes in u.todo.sections()
        for f in fixes
    ]
    header = ["Mã đơn vị", "Đơn vị", "Loại việc", "Tiêu chí", "Tên tiêu chí", "Điểm", "Tình trạng"]
    _put(ws, 1, 1, f"Việc cần làm, tính đến ngày {vn.date(book.generated)}").font = Font(bold=True, size=13)
    _table(ws, looks, header + ["Việc cần làm", "Thời hạn"], rows, [16, 30, 22, 8, 40, 7, 18, 70, 11], start=3)
    ws.auto_filter.ref = f"A3:I{len(rows) + 3}"


def _unit_sheet(ws, looks: Looks, u: UnitReport, appraisal: bool) -> None:
    _put(ws, 1, 1, f"{u.score.unit_name} ({u.score.unit_id}) — {u.unit_type_label}").font = Font(bold=True, size=13)
    ws.oddHeader.center.text = f"Kết quả chấm điểm CCHC năm {u.score.year}: {u.score.unit_name}"
    for i, (label, value) in enumerate(u.facts, start=2):
        _put(ws, i, 1, f"{label}:").font = BOLD
        _put(ws, i, 2, value)
    start = len(u.facts) + 3
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định", "Lý do thẩm định / giải trình"] if appraisal else [])
        + ["Tình trạng", "Ghi chú / căn cứ", "Tài liệu kiểm chứng", "Tệp / đường dẫn"]
    )
    rows = [
        [r.stt, r.title, r.max_points, r.points]
        + ([r.appraised, r.appraisal_reason] if appraisal else [])
        + [r.status_label, r.explanation, r.evidence, "\n".join(file for _, file in r.files) or None]
        for r in u.rows
    ]
    widths = [8, 50, 10, 10] + ([10, 40] if appraisal else []) + [14, 70, 50, 30]
    row_looks = [("area" if r.depth == 0 else "group") if r.is_group else "body" for r in u.rows]
    _table(ws, looks, header, rows, widths, start=start, row_looks=row_looks)
    for i, r in enumerate(u.rows, start=start + 1):
        target = link_target(r.files[0][1]) if r.files else None
        if target:  # the first file opens from the cell; all are listed in it
            cell = ws.cell(i, len(header))
            cell.hyperlink, cell.style, cell.alignment = target, "Hyperlink", TOP
    row = start + len(u.rows)
    if u.warnings:
        row += 2
        _put(ws, row, 1, "Cảnh báo về số liệu").font = BOLD
        for w in u.warnings:
            row += 1
            _put(ws, row, 2, w)
