"""One Excel workbook: a summary sheet and a sheet per unit; text never becomes a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from rules import vn
from scoring.report import ReportBook, UnitReport
from scoring.results import COVERAGE_NOTE, PROVISIONAL_NOTE, coverage_text

HEAD = (Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78"))
AREA_FILL, GROUP_FILL = PatternFill("solid", fgColor="D9E2F3"), PatternFill("solid", fgColor="EEF2F9")


def _put(ws, row: int, col: int, value):
    """Write a value; text is always stored as text, even when it starts with = + - @."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _table(ws, header: list[str], rows: list[list], widths: list[int], start: int = 1) -> None:
    for c, name in enumerate(header, start=1):
        cell = _put(ws, start, c, name)
        cell.font, cell.fill = HEAD
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    for r, values in enumerate(rows, start=start + 1):
        for c, value in enumerate(values, start=1):
            _put(ws, r, c, value).alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = ws.cell(start + 1, 1)


def workbook(book: ReportBook, appraisal: bool = False) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Tổng hợp"
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
    _table(summary, header, rows, widths + [9, 9, 9, 12, 10, 10])
    notes = [n for n, shown in ((PROVISIONAL_NOTE, book.provisional), (COVERAGE_NOTE, book.incomplete)) if shown]
    notes += [book.heading_note] if book.appraised else []
    notes += [f"{u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    for i, note in enumerate(notes, start=len(rows) + 3):
        _put(summary, i, 1, note)
    _todo_sheet(wb.create_sheet("Việc cần làm"), book)
    for u in book.ranked:
        _unit_sheet(wb.create_sheet(u.score.unit_id[:31]), u, appraisal)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _todo_sheet(ws, book: ReportBook) -> None:
    """Every unit's to-do list in one filterable table."""
    rows = [
        [u.score.unit_id, u.score.unit_name, title, f.code, f.title, f.points, f.status_label, f.action, f.deadline]
        for u in book.ranked
        for title, fixes in u.todo.sections()
        for f in fixes
    ]
    header = ["Mã đơn vị", "Đơn vị", "Loại việc", "Tiêu chí", "Tên tiêu chí", "Điểm", "Tình trạng"]
    _put(ws, 1, 1, f"Việc cần làm, tính đến ngày {vn.date(book.generated)}").font = Font(bold=True, size=13)
    _table(ws, header + ["Việc cần làm", "Thời hạn"], rows, [16, 30, 22, 8, 40, 7, 18, 70, 11], start=3)
    ws.auto_filter.ref = f"A3:I{len(rows) + 3}"


def _unit_sheet(ws, u: UnitReport, appraisal: bool) -> None:
    _put(ws, 1, 1, f"{u.score.unit_name} ({u.score.unit_id}) — {u.unit_type_label}").font = Font(bold=True, size=13)
    for i, (label, value) in enumerate(u.facts, start=2):
        _put(ws, i, 1, f"{label}:").font = Font(bold=True)
        _put(ws, i, 2, value)
    start = len(u.facts) + 3
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định", "Lý do thẩm định / giải trình"] if appraisal else [])
        + ["Tình trạng", "Ghi chú / căn cứ", "Tài liệu kiểm chứng"]
    )
    rows = [
        [r.stt, r.title, r.max_points, r.points]
        + ([r.appraised, r.appraisal_reason] if appraisal else [])
        + [r.status_label, r.explanation, r.evidence]
        for r in u.rows
    ]
    widths = [8, 50, 10, 10] + ([10, 40] if appraisal else []) + [14, 70, 50]
    _table(ws, header, rows, widths, start=start)
    for i, r in enumerate(u.rows, start=start + 1):
        if r.is_group:
            for cell in ws[i]:
                cell.font, cell.fill = Font(bold=True), AREA_FILL if r.depth == 0 else GROUP_FILL
    row = start + len(u.rows)
    if u.warnings:
        row += 2
        _put(ws, row, 1, "Cảnh báo về số liệu").font = Font(bold=True)
        for w in u.warnings:
            row += 1
            _put(ws, row, 2, w)
