"""A CSV folder of evidence: units.csv, evidence.csv (one row per unit × field), and optionally
manual.csv and not_applicable.csv. The shape a spreadsheet export or another system produces.

    units.csv           id, name, type, parent, year
    evidence.csv        unit_id, field, value, number, date, file   (documents use number/date/file)
    manual.csv          unit_id, code, points, reason, by
    not_applicable.csv  unit_id, code, reason
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pandas as pd

from evidence.models import UnitEvidence
from evidence.validate import unit_or_error
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.yamlio import MAX_BYTES, normalise

COLUMNS = {
    "units.csv": ["id", "name", "type"],
    "evidence.csv": ["unit_id", "field", "value"],
    "manual.csv": ["unit_id", "code", "points", "reason"],
    "not_applicable.csv": ["unit_id", "code", "reason"],
}


def is_csv_folder(path: Path) -> bool:
    return path.is_dir() and (path / "units.csv").is_file()


def csv_text(path: Path) -> str:
    """A CSV file's text, NFC: UTF-8 with or without BOM, or UTF-16 with BOM (Excel's "Unicode
    text"); anything else (CP1258, Windows-1252) gets a message saying how to save it."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(Problem(f"tệp quá lớn (tối đa {MAX_BYTES // 1048576} MB)", str(path)))
        data = path.read_bytes()
    except OSError as e:
        raise InputError(Problem(f"không đọc được tệp: {e.strerror}", str(path))) from None
    try:
        text = data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = (
            "tệp không phải UTF-8 (có thể là CP1258/Windows-1258): trong Excel chọn Lưu thành → "
            "«CSV UTF-8 (Comma delimited)»"
        )
        raise InputError(Problem(message, str(path))) from None
    return normalise(text).replace("\r\n", "\n")


def _table(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / name
    if not path.exists():
        if name == "units.csv":
            raise InputError(Problem("thiếu tệp units.csv", str(folder)))
        return None
    text = csv_text(path)
    header = text.split("\n", 1)[0]
    try:
        table = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            sep=";" if header.count(";") > header.count(",") else ",",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise InputError(Problem(f"CSV không đọc được: {e}", str(path))) from None
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in COLUMNS[name] if c not in table.columns]
    if missing:
        raise InputError(Problem(f"thiếu cột {', '.join(missing)}", str(path), "dòng 1"))
    return table


def read_csv_folder(folder: Path, catalog: Catalog) -> list[tuple[UnitEvidence | None, InputError | None]]:
    units = _table(folder, "units.csv")
    assert units is not None  # _table raises when units.csv is missing
    if units.empty:
        raise InputError(Problem("units.csv không có đơn vị nào (chỉ có dòng tiêu đề)", str(folder / "units.csv")))
    raws: dict[str, dict[str, Any]] = {}
    places: dict[str, dict[tuple, str]] = {}
    for i, (_, row) in enumerate(units.iterrows()):
        uid = row["id"].strip()
        unit = {k: row[k].strip() for k in ("id", "name", "type", "parent", "year") if k in row and row[k].strip()}
        raws[uid] = {"unit": unit, "evidence": {}, "manual": {}, "not_applicable": {}}
        places[uid] = {("unit",): f"units.csv, dòng {i + 2}"}
    problems: list[Problem] = []

    def rows(name: str):
        table = _table(folder, name)
        for i, (_, row) in enumerate([] if table is None else table.iterrows()):
            uid = row["unit_id"].strip()
            if uid not in raws:
                problems.append(
                    Problem(
                        f"mã đơn vị '{uid}' không có trong units.csv", str(folder / name), f"dòng {i + 2}", "unit_id"
                    )
                )
                continue
            yield uid, f"{name}, dòng {i + 2}", row

    for uid, where, row in rows("evidence.csv"):
        field = row["field"].strip()
        places[uid][("evidence", field)] = where
        spec = catalog.fields.get(field)
        if spec is not None and spec.type == "document":
            doc = {k: row[k].strip() for k in ("number", "date", "file") if k in row and row[k].strip()}
            if doc:
                raws[uid]["evidence"][field] = doc
        elif row["value"].strip():
            raws[uid]["evidence"][field] = row["value"].strip()
    for uid, where, row in rows("manual.csv"):
        places[uid][("manual", row["code"])] = where
        raws[uid]["manual"][row["code"]] = {k: row[k] for k in ("points", "reason", "by") if k in row and row[k]}
    for uid, where, row in rows("not_applicable.csv"):
        places[uid][("not_applicable", row["code"])] = where
        raws[uid]["not_applicable"][row["code"]] = row["reason"]
    if problems:
        raise InputError(problems)

    out: list[tuple[UnitEvidence | None, InputError | None]] = []
    for uid, raw in raws.items():

        def locate(sub: tuple, where: dict = places[uid]) -> str | None:
            while sub and sub not in where:
                sub = sub[:-1]
            return where.get(sub) or where[("unit",)]

        out.append(unit_or_error(raw, catalog, str(folder), locate))
    return out
