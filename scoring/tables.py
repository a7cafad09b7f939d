"""Plain renderings of a ScoreRun: the terminal table, CSV (one row per unit × criterion), JSON."""

from __future__ import annotations

import csv
import io

from rules import vn
from scoring.output import safe_cell
from scoring.results import ScoreRun

CSV_COLUMNS = ["unit_id", "unit_name", "unit_type", "unit_points", "unit_max_points", "unit_index", "unit_band",
               "unit_rank", "code", "title", "area", "kind", "max_points", "points", "status", "explanation",
               "reference"]


def to_json(run: ScoreRun) -> str:
    return run.model_dump_json(indent=2) + "\n"


def to_csv(run: ScoreRun) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for u in run.units:
        for c in u.criteria:
            row = {"unit_id": u.unit_id, "unit_name": u.unit_name, "unit_type": u.unit_type,
                   "unit_points": u.points, "unit_max_points": u.max_points, "unit_index": u.index,
                   "unit_band": u.band, "unit_rank": u.rank, **c.model_dump(include=set(CSV_COLUMNS))}
            writer.writerow({k: safe_cell(v) if isinstance(v, str) else v for k, v in row.items()})
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads the Vietnamese as UTF-8


def to_table(run: ScoreRun) -> str:
    header = ["Hạng", "Mã đơn vị", "Tên đơn vị", "Loại", "Điểm", "Tối đa", "Chỉ số", "Xếp loại"]
    rows = [[str(u.rank or "—"), u.unit_id, u.unit_name, u.unit_type, vn.number(u.points), vn.number(u.max_points),
             vn.number(u.index) if u.index is not None else "—", u.band or "—"]
            for u in sorted(run.units, key=lambda u: (u.rank is None, u.rank or 0, u.unit_id))]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"Bộ tiêu chí {run.catalog.id} (phiên bản {run.catalog.version}, năm {run.catalog.year})"]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(2, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
