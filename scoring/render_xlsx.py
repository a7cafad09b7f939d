"""One Excel workbook: a summary sheet and a sheet per unit; text never becomes a formula."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from scoring.report import ReportBook, UnitReport

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
    rows = [
        [u.score.rank, u.score.unit_id, u.score.unit_name, u.unit_type_label]
        + [a.points for a in u.score.areas]
        + [u.score.points, u.score.max_points, u.score.index, u.score.band]
        for u in book.ranked
    ]
    _table(
        summary,
        ["Hạng", "Mã đơn vị", "Tên đơn vị", "Loại"] + area_heads + ["Điểm", "Tối đa", "Chỉ số", "Xếp loại"],
        rows,
        [7, 16, 40, 22] + [8] * len(area_heads) + [9, 9, 9, 12],
    )
    for u in book.ranked:
        _unit_sheet(wb.create_sheet(u.score.unit_id[:31]), u, appraisal)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _unit_sheet(ws, u: UnitReport, appraisal: bool) -> None:
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định"] if appraisal else [])
        + ["Tình trạng", "Ghi chú / căn cứ", "Tài liệu kiểm chứng"]
    )
    rows = []
    for r in u.rows:
        rows.append(
            [r.stt, r.title, r.max_points, r.points]
            + ([r.appraised] if appraisal else [])
            + [r.status_label, r.explanation, r.evidence]
        )
    rows.append(
        ["", "Tổng cộng", u.score.max_points, u.score.points]
        + ([u.appraised_total] if appraisal else [])
        + [u.score.band, f"Chỉ số {u.score.index}", ""]
    )
    _put(ws, 1, 1, f"{u.score.unit_name} ({u.score.unit_id}) — {u.unit_type_label}").font = Font(bold=True, size=13)
    _table(ws, header, rows, [8, 50, 10, 10] + ([10] if appraisal else []) + [14, 70, 50], start=3)
    for i, r in enumerate(u.rows, start=4):
        if r.is_group:
            for cell in ws[i]:
                cell.font, cell.fill = Font(bold=True), AREA_FILL if r.depth == 0 else GROUP_FILL
