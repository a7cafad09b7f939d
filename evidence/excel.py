"""Reading back the Excel workbook a unit fills in (written by scoring/outputs/workbooks.py), and its layout.

Sheets: Hướng dẫn (instructions), Đơn vị (who), Tài liệu kiểm chứng (one row per evidence field),
Chấm thủ công (manual criteria), Không áp dụng (criteria a unit may declare N/A), Danh mục (lists).
Every value read back goes through the same checks as YAML evidence, and every error names
sheet, row and field.
"""

from __future__ import annotations

import contextlib
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from evidence.models import UnitEvidence
from evidence.validate import unit_or_error
from evidence.zipped import check_zip
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.yamlio import normalise

UNIT_SHEET, EVIDENCE_SHEET, MANUAL_SHEET, NA_SHEET = "Đơn vị", "Tài liệu kiểm chứng", "Chấm thủ công", "Không áp dụng"
# Names used by workbooks made before "tài liệu kiểm chứng" (the official term) replaced "minh chứng".
LEGACY_NAMES = {
    "Minh chứng": EVIDENCE_SHEET,
    "Nội dung minh chứng": "Nội dung tài liệu kiểm chứng",
    "Minh chứng đã xem": "Tài liệu kiểm chứng đã xem",
}
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
    "Nội dung tài liệu kiểm chứng",
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


# What a workbook may unzip to. A filled template is well under 1 MB, a Sở's survey or appraisal
# sheet a few MB; reading costs about 0.7 s and 6 MB of memory per MB of XML, so a 500 KB file whose
# string table unpacks to 190 MB (a "bomb") is refused before a byte of it is parsed.
MAX_UNZIPPED = 40 * 1024 * 1024
MAX_PART = {"xl/sharedStrings.xml": 5 * 1024 * 1024}
MAX_SHEET = 10 * 1024 * 1024
# What a broken, hostile or renamed file makes the zip and XML readers raise. (defusedxml, which
# openpyxl uses once installed, refuses entity declarations and external references: ValueError.)
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    ValueError,
    EOFError,
    TypeError,
    IndexError,
    AttributeError,
    zlib.error,
    SyntaxError,  # XML that does not parse: ElementTree's ParseError and lxml's XMLSyntaxError
    NotImplementedError,
)


@contextlib.contextmanager
def opened_workbook(path: Path, formulas: bool = False) -> Iterator[Any]:
    """A workbook open for reading, closed after; InputError when the file is no real .xlsx, would
    unzip absurdly large, or fails to parse while it is read (read-only workbooks parse lazily).
    `formulas`: cells hold formulas as written (the unit workbook, where a formula typed in an input
    cell is an error); else the values Excel last computed (the Sở's survey and the inspectors'
    sheets may sum with formulas)."""
    check_zip(path, "Excel .xlsx", MAX_UNZIPPED, MAX_PART, MAX_SHEET, refuse_doctype=True)
    unreadable = "tệp Excel hỏng hoặc có nội dung không cho phép (khai báo DTD, thực thể XML)"
    try:
        wb = load_workbook(path, data_only=not formulas, read_only=True, keep_links=False)
    except UNREADABLE as e:
        raise InputError(Problem(f"{unreadable}: {type(e).__name__}", str(path))) from None
    try:
        yield wb
    except UNREADABLE as e:
        raise InputError(Problem(f"{unreadable}: {type(e).__name__}", str(path))) from None
    finally:
        wb.close()


def read_workbook(path: Path, catalog: Catalog) -> list[tuple[UnitEvidence | None, InputError | None]]:
    """The unit of one filled workbook, checked: [(UnitEvidence, None)] or [(None, its error)]."""
    source = str(path)
    with opened_workbook(path, formulas=True) as wb:
        names = sheet_names(wb)
        missing = [s for s in (UNIT_SHEET, EVIDENCE_SHEET) if s not in names]
        if missing:
            raise InputError(
                Problem(
                    f"thiếu sheet {', '.join(repr(s) for s in missing)}; hãy dùng biểu mẫu tạo bằng `cchc template`",
                    source,
                )
            )
        places: dict[tuple, str] = {}
        raw: dict[str, Any] = {"unit": _read_unit(wb[names[UNIT_SHEET]], catalog, places, source)}
        raw["evidence"] = _read_evidence(wb[names[EVIDENCE_SHEET]], catalog, places, source)
        if MANUAL_SHEET in names:
            raw["manual"] = _read_manual(wb[names[MANUAL_SHEET]], places, source)
        if NA_SHEET in names:
            raw["not_applicable"] = _read_na(wb[names[NA_SHEET]], places, source)

    def locate(sub: tuple) -> str | None:
        while sub and sub not in places:
            sub = sub[:-1]
        return places.get(sub)

    return [unit_or_error(raw, catalog, source, locate)]


def _rows(ws, header: list[str], source: str):
    """(row number, values) under a header row that must start with `header`'s first columns."""
    rows = ws.iter_rows()
    first = [header_name(c.value) for c in next(rows, ())]
    missing = [h for h in header if h not in first]
    if missing:
        raise InputError(
            Problem(f"thiếu cột {', '.join(repr(m) for m in missing)}", source, f"sheet '{ws.title}', dòng 1")
        )
    index = {h: first.index(h) for h in header}
    for r, row in enumerate(rows, start=2):
        for h, i in index.items():
            if i < len(row) and row[i].data_type == "f":
                where = f"sheet '{ws.title}', dòng {r}, cột «{h}»"
                raise InputError(Problem("ô chứa công thức, hãy nhập giá trị", source, where))
        yield r, {h: (_value(row[i]) if i < len(row) else None) for h, i in index.items()}


def header_name(value: Any) -> str:
    text = normalise(str(value)).strip() if value is not None else ""
    return LEGACY_NAMES.get(text, text)


def sheet_names(wb: Any) -> dict[str, str]:
    """Current sheet name -> the name in this workbook (legacy names mapped)."""
    return {LEGACY_NAMES.get(normalise(name), normalise(name)): name for name in wb.sheetnames}


def _value(cell: Any) -> Any:
    """A cell's value as the user sees it: a percent-formatted 0,85 is 85 (%)."""
    value = cell.value
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return round(value * 100, 9)
    return value


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_unit(ws, catalog: Catalog, places: dict, source: str) -> dict[str, Any]:
    """The unit's identity; its type given by its Vietnamese name (as the list offers) or its code."""
    by_label = {_folded(label): code for code, label in catalog.unit_types.items()}
    unit: dict[str, Any] = {}
    for r, row in _rows(ws, ["Thông tin", "Giá trị", "Mã"], source):
        key, value = row["Mã"], row["Giá trị"]
        if key:
            places[("unit", key)] = f"sheet '{ws.title}', dòng {r}"
        if key and not blank(value):
            if key == "year":
                unit[key] = int(value) if isinstance(value, (int, float)) and float(value).is_integer() else value
            elif key == "type":
                unit[key] = by_label.get(_folded(str(value)), str(value).strip())
            else:
                unit[key] = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value).strip()
    places[("unit",)] = f"sheet '{ws.title}'"
    return unit


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


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
                if not blank(row["Giá trị"]):  # "Có" with no số, ngày: a statement, not a document
                    evidence[field] = {"statement": str(row["Giá trị"])}
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
