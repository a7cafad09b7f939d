"""Reading back the Excel workbook an inspector fills in (written by scoring/outputs/workbooks.py): every
unit × criterion, one appraisal round per workbook; and its layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evidence.excel import blank, header_name, opened_workbook
from rules.errors import InputError, Problem

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
    "Tài liệu kiểm chứng đã xem",
]


def read_appraisal_workbook(path: Path):
    """([(prefix, raw record)], locate) in the shape the YAML appraisal files have."""
    source = str(path)
    with opened_workbook(path) as wb:
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
        header = [header_name(c) for c in next(rows, ())]
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
            if not blank(get["Tài liệu kiểm chứng đã xem"]):
                score["evidence"] = str(get["Tài liệu kiểm chứng đã xem"])
            record["rounds"][0]["scores"][code] = score
            places[(index, "rounds", 0, "scores", code)] = f"sheet '{SHEET}', dòng {r}"
            places[(index,)] = f"sheet '{SHEET}'"
            for i, key in enumerate(("round", "by", "date"), start=2):
                places[(index, "rounds", 0, key)] = f"sheet '{INFO}', dòng {i}"

    def locate(path_: tuple) -> str | None:
        while path_ and path_ not in places:
            path_ = path_[:-1]
        return places.get(path_) or (f"sheet '{INFO}'" if path_ == () else None)

    return [((i,), raw) for i, raw in enumerate(records.values())], locate
