"""The Excel workbook an inspector fills in: every unit × criterion, pre-filled with the self-score
and its explanation; one appraisal round per workbook."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from evidence.appraisal import ROUND_LABELS, ROUNDS
from evidence.excel import blank, open_workbook
from rules.errors import InputError, Problem
from scoring.results import ScoreRun

INFO, SHEET = "Thông tin", "Thẩm định"
HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Mã tiêu chí",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Giải thích tự chấm",
    "Điểm thẩm định",
    "Không áp dụng",
    "Lý do",
    "Minh chứng đã xem",
]
WIDTHS = [14, 28, 10, 44, 9, 9, 60, 11, 11, 40, 30]
INPUT = PatternFill("solid", fgColor="FFF2CC")


def write_appraisal_template(run: ScoreRun, path: Path, round_: str = "appraisal_1") -> None:
    from scoring.output import atomic_write

    wb = Workbook()
    info = wb.active
    info.title = INFO
    info.append(["Thông tin", "Giá trị", "Mã"])
    for label, key, value in (
        ("Vòng thẩm định", "round", round_),
        ("Đoàn/người thẩm định", "by", None),
        ("Ngày thẩm định (dd/mm/yyyy)", "date", None),
    ):
        info.append([label, value, key])
        info.cell(info.max_row, 2).protection = Protection(locked=False)
        info.cell(info.max_row, 2).fill = INPUT
    rounds = DataValidation(type="list", formula1='"' + ",".join(r for r in ROUNDS if r != "explanation") + '"')
    info.add_data_validation(rounds)
    rounds.add("B2")
    info.append([])
    info.append(["Vòng: " + "; ".join(f"{k} = {v}" for k, v in ROUND_LABELS.items() if k != "explanation")])
    info.column_dimensions["A"].width, info.column_dimensions["B"].width = 32, 40
    info.column_dimensions["C"].hidden = True
    info.protection.sheet = True

    ws = wb.create_sheet(SHEET)
    ws.append(HEADER)
    for i, (cell, width) in enumerate(zip(ws[1], WIDTHS), start=1):
        cell.font, cell.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E78")
        ws.column_dimensions[get_column_letter(i)].width = width
    yes = DataValidation(type="list", formula1='"Có,Không"', allow_blank=True)
    ws.add_data_validation(yes)
    for u in run.units:
        for c in u.criteria:
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
                ws.cell(r, col).protection, ws.cell(r, col).fill = Protection(locked=False), INPUT
            ws.cell(r, 7).alignment = Alignment(wrap_text=False)
            yes.add(ws.cell(r, 9))
    for row in ws.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:K{ws.max_row}"
    ws.protection.sheet, ws.protection.autoFilter = True, False
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write(path, buffer.getvalue())


def read_appraisal_workbook(path: Path):
    """([(prefix, raw record)], locate) in the shape the YAML appraisal files have."""
    source = str(path)
    wb = open_workbook(path)
    try:
        if INFO not in wb.sheetnames or SHEET not in wb.sheetnames:
            raise InputError(
                Problem(f"cần hai sheet '{INFO}' và '{SHEET}' (tạo bằng `cchc appraise-template`)", source)
            )
        meta = {
            row[2]: row[1]
            for row in wb[INFO].iter_rows(min_row=2, values_only=True)
            if len(row) > 2 and row[2] and not blank(row[1])
        }
        rows = wb[SHEET].iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        missing = [h for h in HEADER if h not in header]
        if missing:
            raise InputError(Problem(f"thiếu cột {', '.join(missing)}", source, f"sheet '{SHEET}', dòng 1"))
        col = {h: header.index(h) for h in HEADER}
        records: dict[str, dict] = {}
        places: dict[tuple, str] = {}
        for r, row in enumerate(rows, start=2):
            get = {h: (row[i] if i < len(row) else None) for h, i in col.items()}
            na = str(get["Không áp dụng"] or "").strip().lower() == "có"
            if blank(get["Mã đơn vị"]) or (blank(get["Điểm thẩm định"]) and not na):
                continue
            uid, code = str(get["Mã đơn vị"]).strip(), str(get["Mã tiêu chí"]).strip()
            index = list(records).index(uid) if uid in records else len(records)
            record = records.setdefault(
                uid,
                {
                    "unit_id": uid,
                    "rounds": [
                        {
                            "round": meta.get("round", "appraisal_1"),
                            "by": str(meta.get("by", "")),
                            **({"date": meta["date"]} if "date" in meta else {}),
                            "scores": {},
                        }
                    ],
                },
            )
            score: dict[str, Any] = {"reason": "" if blank(get["Lý do"]) else str(get["Lý do"])}
            if na:
                score["status"] = "not_applicable"
            else:
                score["points"] = get["Điểm thẩm định"]
            if not blank(get["Minh chứng đã xem"]):
                score["evidence"] = str(get["Minh chứng đã xem"])
            record["rounds"][0]["scores"][code] = score
            places[(index, "rounds", 0, "scores", code)] = f"sheet '{SHEET}', dòng {r}"
            places[(index,)] = f"sheet '{SHEET}'"
            for i, key in enumerate(("round", "by", "date"), start=2):
                places[(index, "rounds", 0, key)] = f"sheet '{INFO}', dòng {i}"
    finally:
        wb.close()

    def locate(path_: tuple) -> str | None:
        while path_ and path_ not in places:
            path_ = path_[:-1]
        return places.get(path_) or (f"sheet '{INFO}'" if path_ == () else None)

    return [((i,), raw) for i, raw in enumerate(records.values())], locate
