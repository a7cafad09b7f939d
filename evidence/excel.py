"""The Excel workbook a unit fills in (generated from the catalog), and reading it back.

Sheets: Hướng dẫn (instructions), Đơn vị (who), Minh chứng (one row per evidence field),
Chấm thủ công (manual criteria), Không áp dụng (criteria a unit may declare N/A), Danh mục (lists).
Headers and labels are locked; only the cells to fill are open. Every value read back goes
through the same checks as YAML evidence, and every error names sheet, row and field.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from evidence.models import Document, UnitEvidence
from evidence.validate import build_unit
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.kinds import ManualLeaf

UNIT_SHEET, EVIDENCE_SHEET, MANUAL_SHEET, NA_SHEET = "Đơn vị", "Minh chứng", "Chấm thủ công", "Không áp dụng"
LISTS_SHEET, HELP_SHEET = "Danh mục", "Hướng dẫn"
UNIT_ROWS = [
    ("id", "Mã đơn vị (chữ không dấu, số, -)"),
    ("name", "Tên đơn vị"),
    ("type", "Loại đơn vị"),
    ("parent", "Đơn vị chủ quản (mã)"),
    ("year", "Năm đánh giá"),
]
EVIDENCE_HEADER = [
    "Mã trường",
    "Tiêu chí",
    "Nội dung minh chứng",
    "Đơn vị tính",
    "Kiểu",
    "Giá trị",
    "Số ký hiệu",
    "Ngày (dd/mm/yyyy)",
    "Tệp / đường dẫn",
]
MANUAL_HEADER = ["Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm", "Lý do", "Người chấm"]
NA_HEADER = ["Mã tiêu chí", "Nội dung", "Không áp dụng", "Lý do"]
TYPE_LABELS = {
    "document": "Văn bản",
    "date": "Ngày",
    "count": "Số nguyên",
    "percent": "Tỷ lệ %",
    "yes_no": "Có/Không",
    "choice": "Lựa chọn",
}
HEAD = Font(bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor="1F4E78")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
OPEN = Protection(locked=False)
DATE_FORMAT = "DD/MM/YYYY"


def write_template(catalog: Catalog, path: Path, unit: UnitEvidence | None = None) -> None:
    """Write the template; with `unit`, pre-filled with that unit's evidence (a filled example)."""
    from scoring.output import atomic_write

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
    import io

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
    ws.append(names)
    for i, (cell, width) in enumerate(zip(ws[1], widths), start=1):
        cell.font, cell.fill = HEAD, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
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
        f"1. Sheet «{UNIT_SHEET}»: mã, tên, loại đơn vị (chọn trong danh sách), năm đánh giá.",
        f"2. Sheet «{EVIDENCE_SHEET}»: mỗi dòng một minh chứng; chỉ điền các ô màu vàng.",
        "   - Văn bản: ghi Số ký hiệu (ví dụ 01a/KH-SYT), Ngày ban hành, và tệp hoặc đường dẫn.",
        "   - Số nguyên: ghi số (1256 hoặc 1.256); không dùng dấu phẩy cho hàng nghìn.",
        "   - Tỷ lệ %: ghi 88,6 (không cần dấu %).  Ngày: dd/mm/yyyy, ví dụ 08/01/2026.",
        "   - Bỏ trống khi không có minh chứng: tiêu chí đó được 0 điểm (thiếu minh chứng).",
        f"3. Sheet «{MANUAL_SHEET}»: chỉ đoàn kiểm tra/người chấm điền; bắt buộc ghi lý do.",
        f"4. Sheet «{NA_SHEET}»: chọn «Có» và ghi lý do nếu tiêu chí không áp dụng với đơn vị.",
        "",
        "Kiểm tra tệp trước khi nộp:  cchc validate <tệp.xlsx>   —  chấm điểm:  cchc score <tệp.xlsx>",
    ]
    for line in lines:
        ws.append([line])
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 110


def _unit_sheet(ws, catalog: Catalog, lists, unit: UnitEvidence | None) -> None:
    _header(ws, ["Thông tin", "Giá trị", "Mã"], [34, 50, 10])
    types = _validation(ws, "list", _list_range(lists, "unit_type", list(catalog.unit_types)))
    data = unit.unit.model_dump() if unit else {"year": catalog.year}
    for r, (key, label) in enumerate(UNIT_ROWS, start=2):
        ws.cell(r, 1, label)
        ws.cell(r, 3, key)
        cell = ws.cell(r, 2, data.get(key))
        _open(cell)
        if key == "type":
            types.add(cell)
    ws.column_dimensions["C"].hidden = True
    ws.cell(len(UNIT_ROWS) + 3, 1, "Loại đơn vị: " + "; ".join(f"{k} = {v}" for k, v in catalog.unit_types.items()))


def _evidence_sheet(ws, catalog: Catalog, lists, unit: UnitEvidence | None) -> None:
    _header(ws, EVIDENCE_HEADER, [24, 12, 60, 12, 11, 24, 20, 18, 30])
    ws.column_dimensions["A"].hidden = True
    year = catalog.year
    low, high = dt.date(year - 5, 1, 1), dt.date(year + 1, 12, 31)
    whole, percent = _validation(ws, "whole"), _validation(ws, "decimal", low=0, high=100)
    dates = _validation(ws, "date", low=low, high=high)
    yes_no = _validation(ws, "list", _list_range(lists, "yes_no", ["Có", "Không"]))
    users: dict[str, list[str]] = {}
    for leaf in catalog.leaves:
        for f in leaf.fields():
            users.setdefault(f, []).append(leaf.code)
    ordered = sorted(catalog.fields, key=lambda f: list(users).index(f) if f in users else len(users))
    values = unit.values if unit else {}
    for r, field in enumerate(ordered, start=2):
        spec = catalog.fields[field]
        ws.append([field, ", ".join(users.get(field, [])), spec.label, spec.unit, TYPE_LABELS[spec.type]])
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


def _shown(value: Any, spec) -> Any:
    if spec.type == "yes_no":
        return "Có" if value else "Không"
    if spec.type == "choice":
        return value if len(value) <= 2 else spec.options[value]
    return value


def _manual_sheet(ws, catalog: Catalog, unit: UnitEvidence | None) -> None:
    _header(ws, MANUAL_HEADER, [12, 60, 11, 10, 50, 22])
    for r, leaf in enumerate((x for x in catalog.leaves if isinstance(x, ManualLeaf)), start=2):
        score = unit.manual.get(leaf.code) if unit else None
        ws.append([leaf.code, leaf.title, leaf.max_points])
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


def open_workbook(path: Path):
    """A workbook opened for reading values, or InputError when the file is no real .xlsx."""
    try:
        return load_workbook(path, data_only=True, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as e:
        raise InputError(Problem(f"không phải tệp Excel .xlsx hợp lệ ({type(e).__name__})", str(path))) from None


def read_workbook(path: Path, catalog: Catalog) -> list[tuple[UnitEvidence | None, InputError | None]]:
    """The unit of one filled workbook, checked: [(UnitEvidence, None)] or [(None, its error)]."""
    source = str(path)
    wb = open_workbook(path)
    try:
        missing = [s for s in (UNIT_SHEET, EVIDENCE_SHEET) if s not in wb.sheetnames]
        if missing:
            raise InputError(
                Problem(
                    f"thiếu sheet {', '.join(repr(s) for s in missing)}; hãy dùng biểu mẫu tạo bằng `cchc template`",
                    source,
                )
            )
        places: dict[tuple, str] = {}
        raw: dict[str, Any] = {"unit": _read_unit(wb[UNIT_SHEET], places, source)}
        raw["evidence"] = _read_evidence(wb[EVIDENCE_SHEET], catalog, places, source)
        if MANUAL_SHEET in wb.sheetnames:
            raw["manual"] = _read_manual(wb[MANUAL_SHEET], places, source)
        if NA_SHEET in wb.sheetnames:
            raw["not_applicable"] = _read_na(wb[NA_SHEET], places, source)
    finally:
        wb.close()

    def locate(sub: tuple) -> str | None:
        while sub and sub not in places:
            sub = sub[:-1]
        return places.get(sub)

    try:
        return [(build_unit(raw, catalog, source, locate), None)]
    except InputError as e:
        return [(None, e)]


def _rows(ws, header: list[str], source: str):
    """(row number, values) under a header row that must start with `header`'s first columns."""
    rows = ws.iter_rows(values_only=True)
    first = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    missing = [h for h in header if h not in first]
    if missing:
        raise InputError(
            Problem(f"thiếu cột {', '.join(repr(m) for m in missing)}", source, f"sheet '{ws.title}', dòng 1")
        )
    index = {h: first.index(h) for h in header}
    for r, row in enumerate(rows, start=2):
        yield r, {h: (row[i] if i < len(row) else None) for h, i in index.items()}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_unit(ws, places: dict, source: str) -> dict[str, Any]:
    unit: dict[str, Any] = {}
    for r, row in _rows(ws, ["Thông tin", "Giá trị", "Mã"], source):
        key, value = row["Mã"], row["Giá trị"]
        if key:
            places[("unit", key)] = f"sheet '{ws.title}', dòng {r}"
        if key and not blank(value):
            if key == "year":
                unit[key] = int(value) if isinstance(value, (int, float)) and float(value).is_integer() else value
            else:
                unit[key] = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    places[("unit",)] = f"sheet '{ws.title}'"
    return unit


def _read_evidence(ws, catalog: Catalog, places: dict, source: str) -> dict[str, Any]:
    evidence: dict[str, Any] = {}
    for r, row in _rows(ws, EVIDENCE_HEADER, source):
        field = row["Mã trường"]
        if blank(field):
            continue
        places[("evidence", field)] = f"sheet '{ws.title}', dòng {r}"
        spec = catalog.fields.get(field)
        if spec is not None and spec.type == "document":
            if all(blank(row[c]) for c in ("Số ký hiệu", "Ngày (dd/mm/yyyy)", "Tệp / đường dẫn")):
                continue
            doc = {"number": row["Số ký hiệu"], "file": row["Tệp / đường dẫn"]}
            evidence[field] = {"date": row["Ngày (dd/mm/yyyy)"], **{k: v for k, v in doc.items() if not blank(v)}}
            if blank(row["Ngày (dd/mm/yyyy)"]):
                evidence[field].pop("date")
        elif not blank(row["Giá trị"]):
            evidence[field] = row["Giá trị"]
    return evidence


def _read_manual(ws, places: dict, source: str) -> dict[str, Any]:
    manual = {}
    for r, row in _rows(ws, MANUAL_HEADER, source):
        if blank(row["Mã tiêu chí"]) or all(blank(row[c]) for c in ("Điểm", "Lý do")):
            continue
        code = str(row["Mã tiêu chí"])
        places[("manual", code)] = f"sheet '{ws.title}', dòng {r}"
        entry = {"points": row["Điểm"], "reason": "" if blank(row["Lý do"]) else str(row["Lý do"])}
        if not blank(row["Người chấm"]):
            entry["by"] = str(row["Người chấm"])
        manual[code] = entry
    return manual


def _read_na(ws, places: dict, source: str) -> dict[str, Any]:
    declared = {}
    for r, row in _rows(ws, NA_HEADER, source):
        flag = row["Không áp dụng"]
        if blank(row["Mã tiêu chí"]) or blank(flag) or str(flag).strip().lower() in ("không", "khong", "no"):
            continue
        code = str(row["Mã tiêu chí"])
        places[("not_applicable", code)] = f"sheet '{ws.title}', dòng {r}"
        declared[code] = "" if blank(row["Lý do"]) else str(row["Lý do"])
    return declared
