"""The Excel workbooks people fill in: the unit's self-assessment workbook, generated from the
catalog, and the inspector's appraisal workbook, pre-filled with self-scores. Their readers and
layouts are in evidence/excel.py and evidence/appraisal_excel.py.

Headers and labels are locked; only the cells to fill are open; no cell holds a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from evidence.appraisal_excel import HEADER as APPRAISAL_HEADER
from evidence.appraisal_excel import INFO as APPRAISAL_INFO
from evidence.appraisal_excel import SHEET as APPRAISAL_SHEET
from evidence.excel import (
    EVIDENCE_HEADER,
    EVIDENCE_SHEET,
    HELP_SHEET,
    LISTS_SHEET,
    MANUAL_HEADER,
    MANUAL_SHEET,
    NA_HEADER,
    NA_SHEET,
    TYPE_LABELS,
    UNIT_ROWS,
    UNIT_SHEET,
)
from evidence.models import Document, UnitEvidence
from evidence.rounds import ROUND_LABELS, SCORED_ROUNDS
from rules.catalog import Catalog
from scoring.core.results import ScoreRun
from scoring.outputs.writing import atomic_write
from scoring.outputs.xlsx_layout import fit_height, print_setup

HEAD = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
OPEN = Protection(locked=False)
DATE_FORMAT = "DD/MM/YYYY"
APPRAISAL_WIDTHS = [14, 28, 10, 44, 9, 9, 60, 11, 11, 40, 30]


def write_template(catalog: Catalog, path: Path, unit: UnitEvidence | None = None) -> None:
    """Write the template; with `unit`, pre-filled with that unit's evidence (a filled example)."""
    wb = Workbook()
    _help_sheet(wb.active, catalog)
    lists = wb.create_sheet(LISTS_SHEET)
    _unit_sheet(wb.create_sheet(UNIT_SHEET), catalog, lists, unit)
    _evidence_sheet(wb.create_sheet(EVIDENCE_SHEET), catalog, lists, unit)
    _manual_sheet(wb.create_sheet(MANUAL_SHEET), catalog, unit)
    _na_sheet(wb.create_sheet(NA_SHEET), catalog, lists, unit)
    _no_formulas(wb)
    lists.sheet_state = "hidden"
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(path, buffer.getvalue())


def _no_formulas(wb: Workbook) -> None:
    """Text from a unit or a catalog that starts with '=' stays text: a spreadsheet never runs it."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"


def _header(ws, names: list[str], widths: list[int]) -> None:
    """The header row, locked, frozen and printed on every page; the sheet on A4."""
    ws.append(names)
    for i, (cell, width) in enumerate(zip(ws[1], widths), start=1):
        cell.font, cell.fill = HEAD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    print_setup(ws)
    ws.protection.sheet = True  # headers and labels locked; input cells are opened one by one


def _open(cell) -> None:
    cell.protection, cell.fill = OPEN, INPUT_FILL


def _list_range(lists, name: str, values: list[str]) -> str:
    """A column of the hidden list sheet holding `values`; returns its absolute range."""
    col = lists.max_column + 1 if lists["A1"].value is not None else 1
    lists.cell(1, col, name)
    for r, v in enumerate(values, start=2):
        lists.cell(r, col, v)
    letter = get_column_letter(col)
    return f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(values) + 1}"


def _validation(ws, kind: str, formula: str | None = None, low: Any = None, high: Any = None) -> DataValidation:
    if kind == "list":
        dv = DataValidation(type="list", formula1=formula, allow_blank=True)
    elif kind == "whole":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    elif kind == "decimal":
        dv = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high), allow_blank=True)
    else:
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=f"DATE({low.year},{low.month},{low.day})",
            formula2=f"DATE({high.year},{high.month},{high.day})",
            allow_blank=True,
        )
    dv.error, dv.errorTitle, dv.showErrorMessage = "Giá trị không hợp lệ cho ô này", "Sai dữ liệu", True
    ws.add_data_validation(dv)
    return dv


def _help_sheet(ws, catalog: Catalog) -> None:
    ws.title = HELP_SHEET
    lines = [
        f"Biểu mẫu tự đánh giá CCHC — {catalog.title}",
        f"Bộ tiêu chí {catalog.id}, phiên bản {catalog.version}, năm {catalog.year}.",
        "",
        "Cách điền:",
        "Chỉ điền vào các ô màu vàng; các ô khác đã khóa. Di chuột vào tên tài liệu để xem hướng dẫn riêng.",
        "",
        f"1. Sheet «{UNIT_SHEET}»: mã đơn vị (do Sở cấp), tên, loại đơn vị (chọn trong danh sách), năm đánh giá.",
        f"2. Sheet «{EVIDENCE_SHEET}»: mỗi dòng một tài liệu kiểm chứng. Cột «Tiêu chí» cho biết tài liệu dùng "
        "để chấm tiêu chí nào, điểm tối đa và yêu cầu để đạt điểm.",
        "   - Văn bản: ghi Số ký hiệu (ví dụ 01a/KH-SYT), Ngày ban hành, và tên tệp hoặc đường dẫn tới văn bản.",
        "   - Số nguyên: ghi số (1256 hoặc 1.256); không dùng dấu phẩy cho hàng nghìn.",
        "   - Tỷ lệ %: ghi 88,6 (không cần dấu %).  Ngày: dd/mm/yyyy, ví dụ 08/01/2026.",
        "   - Có/Không, Lựa chọn: chọn trong danh sách của ô.",
        "   - Bỏ trống khi không có tài liệu kiểm chứng: tiêu chí đó được 0 điểm (thiếu tài liệu kiểm chứng).",
        f"3. Sheet «{MANUAL_SHEET}»: các tiêu chí không tính được từ số liệu; đơn vị tự chấm điểm, bắt buộc ghi "
        "lý do và tài liệu kiểm chứng trong lý do. Đoàn thẩm định sẽ xem xét lại.",
        f"4. Sheet «{NA_SHEET}»: chọn «Có» và ghi lý do nếu tiêu chí không áp dụng với đơn vị.",
        "",
        "Khi điền xong, lưu tệp (giữ định dạng .xlsx, không đổi tên sheet, không thêm bớt cột) và gửi về Sở Y tế "
        "cùng các tệp tài liệu kiểm chứng. Sở sẽ báo lại nếu ô nào chưa hợp lệ, kèm tên sheet và số dòng.",
    ]
    for line in lines:
        ws.append([line])
        ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        fit_height(ws, ws.max_row, [line], [100])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 100
    print_setup(ws, landscape=False)


def _unit_sheet(ws, catalog: Catalog, lists, unit: UnitEvidence | None) -> None:
    _header(ws, ["Thông tin", "Giá trị", "Mã"], [34, 50, 10])
    # shown and chosen by its Vietnamese name; the reader takes the name (or the code) back
    types = _validation(ws, "list", _list_range(lists, "unit_type", list(catalog.unit_types.values())))
    data: dict[str, Any] = unit.unit.model_dump() if unit else {"year": catalog.year}
    if unit is not None:
        data["type"] = catalog.unit_types.get(unit.unit.type, unit.unit.type)
    for r, (key, label) in enumerate(UNIT_ROWS, start=2):
        ws.cell(r, 1, label)
        ws.cell(r, 3, key)
        cell = ws.cell(r, 2, data.get(key))
        _open(cell)
        if key == "type":
            types.add(cell)
    ws.column_dimensions["C"].hidden = True
    print_setup(ws, landscape=False)


def _evidence_sheet(ws, catalog: Catalog, lists, unit: UnitEvidence | None) -> None:
    widths = [24, 52, 40, 10, 11, 20, 18, 14, 30]
    _header(ws, EVIDENCE_HEADER, widths)
    ws.column_dimensions["A"].hidden = True
    year = catalog.year
    low, high = dt.date(year - 5, 1, 1), dt.date(year + 1, 12, 31)
    whole, percent = _validation(ws, "whole"), _validation(ws, "decimal", low=0, high=100)
    dates = _validation(ws, "date", low=low, high=high)
    yes_no = _validation(ws, "list", _list_range(lists, "yes_no", ["Có", "Không"]))
    users: dict[str, list[str]] = {}
    for leaf in catalog.leaves:
        if unit is None or leaf.applies(unit.unit.type):
            for f in leaf.fields():
                users.setdefault(f, []).append(_criterion_line(catalog, leaf, unit is None))
    ordered = sorted(catalog.fields, key=lambda f: list(users).index(f) if f in users else len(users))
    values = unit.values if unit else {}
    for r, field in enumerate(ordered, start=2):
        spec = catalog.fields[field]
        used = "\n".join(users.get(field, [])) or "Không dùng để chấm với loại đơn vị này"
        ws.append([field, used, spec.label, spec.unit, TYPE_LABELS[spec.type]])
        for col in (2, 3):
            ws.cell(r, col).alignment = Alignment(wrap_text=True, vertical="top")
        fit_height(ws, r, [None, used, spec.label], widths)
        if spec.help:  # the catalog's guidance on this field, shown when the label cell is hovered
            ws.cell(r, 3).comment = Comment(spec.help, "cchc-score")
        value = values.get(field)
        if spec.type == "document":
            for col in (7, 8, 9):
                _open(ws.cell(r, col))
            dates.add(ws.cell(r, 8))
            ws.cell(r, 8).number_format = DATE_FORMAT
            if isinstance(value, Document):
                ws.cell(r, 7, value.number or None)
                ws.cell(r, 8, value.date)
                ws.cell(r, 9, value.file or None)
            continue
        cell = ws.cell(r, 6)
        _open(cell)
        if spec.type == "count":
            whole.add(cell)
        elif spec.type == "percent":
            percent.add(cell)
        elif spec.type == "date":
            dates.add(cell)
            cell.number_format = DATE_FORMAT
        elif spec.type == "yes_no":
            yes_no.add(cell)
        elif spec.type == "choice":
            shown = [k if len(k) <= 2 else label for k, label in spec.options.items()]
            _validation(ws, "list", _list_range(lists, field, shown)).add(cell)
        if value is not None:
            cell.value = _shown(value, spec)
    ws.print_title_rows = "1:1"
    print_setup(ws)


def _criterion_line(catalog: Catalog, leaf, every_type: bool) -> str:
    """What a piece of evidence is for: the criterion, its maximum and what earns it."""
    text = f"{leaf.code} {leaf.title} (tối đa {leaf.max_points:g} điểm)"
    if leaf.fix:
        text += f". Yêu cầu: {leaf.fix}"
    if every_type and "all" not in leaf.applies_to:
        text += ". Chỉ áp dụng: " + ", ".join(catalog.unit_types.get(t, t) for t in leaf.applies_to)
    return text


def _shown(value: Any, spec) -> Any:
    if spec.type == "yes_no":
        return "Có" if value else "Không"
    if spec.type == "choice":
        return value if len(value) <= 2 else spec.options[value]
    return value


def _manual_sheet(ws, catalog: Catalog, unit: UnitEvidence | None) -> None:
    _header(ws, MANUAL_HEADER, [12, 60, 11, 10, 50, 22])
    for r, leaf in enumerate((x for x in catalog.leaves if x.scored_by_hand), start=2):
        score = unit.manual.get(leaf.code) if unit else None
        ws.append([leaf.code, leaf.title, leaf.max_points])
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")
        for col in (4, 5, 6):
            _open(ws.cell(r, col))
        _validation(ws, "decimal", low=0, high=leaf.max_points).add(ws.cell(r, 4))
        if score:
            ws.cell(r, 4, score.points)
            ws.cell(r, 5, score.reason)
            ws.cell(r, 6, score.by or None)


def _na_sheet(ws, catalog: Catalog, lists, unit: UnitEvidence | None) -> None:
    _header(ws, NA_HEADER, [12, 60, 14, 60])
    yes_no = _validation(ws, "list", _list_range(lists, "na", ["Có", "Không"]))
    for r, leaf in enumerate((x for x in catalog.leaves if x.allow_na), start=2):
        ws.append([leaf.code, leaf.title])
        for col in (3, 4):
            _open(ws.cell(r, col))
        yes_no.add(ws.cell(r, 3))
        reason = unit.not_applicable.get(leaf.code) if unit else None
        if reason:
            ws.cell(r, 3, "Có")
            ws.cell(r, 4, reason)


def write_appraisal_template(run: ScoreRun, catalog: Catalog, path: Path, round_: str = "appraisal_1") -> None:
    """The inspector's workbook for one round: every unit × criterion that applies to the unit's
    type, with its self-score (criteria of other unit types have nothing to appraise)."""
    wb = Workbook()
    info = wb.active
    assert info is not None
    info.title = APPRAISAL_INFO
    info.append(["Thông tin", "Giá trị", "Mã"])
    for label, key, value in (
        ("Vòng thẩm định", "round", round_),
        ("Đoàn/người thẩm định", "by", None),
        ("Ngày thẩm định (dd/mm/yyyy)", "date", None),
    ):
        info.append([label, value, key])
        info.cell(info.max_row, 2).protection = Protection(locked=False)
        info.cell(info.max_row, 2).fill = INPUT_FILL
    rounds = DataValidation(type="list", formula1='"' + ",".join(SCORED_ROUNDS) + '"')
    info.add_data_validation(rounds)
    rounds.add("B2")
    info.append([])
    info.append(["Vòng: " + "; ".join(f"{k} = {v}" for k, v in ROUND_LABELS.items() if k != "explanation")])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 32, 40
    info.column_dimensions["C"].hidden = True
    info.cell(info.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    info.merge_cells(start_row=info.max_row, start_column=1, end_row=info.max_row, end_column=2)
    fit_height(info, info.max_row, [info.cell(info.max_row, 1).value], [72])
    print_setup(info, landscape=False)
    info.protection.sheet = True

    ws = wb.create_sheet(APPRAISAL_SHEET)
    ws.append(APPRAISAL_HEADER)
    for i, (cell, width) in enumerate(zip(ws[1], APPRAISAL_WIDTHS), start=1):
        cell.font, cell.fill = HEAD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    yes = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    ws.add_data_validation(yes)
    for u in run.units:
        for c in u.criteria:
            if not catalog.leaf[c.code].applies(u.unit_type):
                continue
            ws.append(
                [
                    u.unit_id,
                    u.unit_name,
                    c.code,
                    c.title,
                    c.max_points,
                    None if c.status == "not_applicable" else c.points,
                    c.explanation,
                ]
            )
            r = ws.max_row
            for col in (8, 9, 10, 11):
                ws.cell(r, col).protection, ws.cell(r, col).fill = OPEN, INPUT_FILL
            for col in range(1, len(APPRAISAL_HEADER) + 1):
                ws.cell(r, col).alignment = Alignment(wrap_text=col in (2, 4, 7, 10, 11), vertical="top")
            fit_height(ws, r, [None, u.unit_name, None, c.title, None, None, c.explanation], APPRAISAL_WIDTHS)
            yes.add(ws.cell(r, 9))
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    ws.freeze_panes = "C2"
    ws.print_title_rows = "1:1"
    print_setup(ws)
    ws.auto_filter.ref = f"A1:K{ws.max_row}"
    ws.protection.sheet, ws.protection.autoFilter = True, False
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(path, buffer.getvalue())
