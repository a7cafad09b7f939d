"""A CSV folder of evidence: units.csv, evidence.csv (one row per unit × field), and optionally
manual.csv and not_applicable.csv. The shape a spreadsheet export or another system produces.

    units.csv           id, name, type, parent, year
    evidence.csv        unit_id, field, value, number, date, file   (documents use number/date/file)
    manual.csv          unit_id, code, points, reason, by
    not_applicable.csv  unit_id, code, reason
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from evidence.models import UnitEvidence
from evidence.validate import build_unit
from rules.catalog import Catalog
from rules.errors import InputError, Problem

COLUMNS = {
    "units.csv": ["id", "name", "type"],
    "evidence.csv": ["unit_id", "field", "value"],
    "manual.csv": ["unit_id", "code", "points", "reason"],
    "not_applicable.csv": ["unit_id", "code", "reason"],
}


def is_csv_folder(path: Path) -> bool:
    return path.is_dir() and (path / "units.csv").is_file()


def _table(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / name
    if not path.exists():
        if name == "units.csv":
            raise InputError(Problem("thiếu tệp units.csv", str(folder)))
        return None
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(Problem("tệp không phải UTF-8", str(path))) from None
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

        try:
            out.append((build_unit(raw, catalog, str(folder), locate), None))
        except InputError as e:
            out.append((None, e))
    return out
