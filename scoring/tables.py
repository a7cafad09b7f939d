"""The score outputs of `cchc score`: terminal table, JSON (the contract) and CSV (one row per
unit × criterion), written as the units stream by.

Each unit's result is spooled to a temporary file as soon as it is scored, with only a small
summary kept in memory; ranks need every unit, so the output is written once all are in.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Iterable
from typing import TextIO

from rules import vn
from scoring.output import safe_cell
from scoring.results import CatalogInfo, Summary
from scoring.totals import rank

CSV_COLUMNS = [
    "unit_id",
    "unit_name",
    "unit_type",
    "unit_points",
    "unit_max_points",
    "unit_index",
    "unit_band",
    "unit_rank",
    "code",
    "title",
    "area",
    "kind",
    "max_points",
    "points",
    "status",
    "explanation",
    "reference",
]


def write_scores(
    fmt: str, info: CatalogInfo, scores: Iterable[tuple[str, Summary]], errors: Callable[[], list[str]], out: TextIO
) -> None:
    """Write units, each given as (its UnitScore as a JSON line, its summary), as `fmt` (table, json,
    csv); `errors` is asked once every unit has been read."""
    summaries: list[Summary] = []
    with tempfile.TemporaryFile("w+", encoding="utf-8") as spool:
        for line, summary in scores:
            summaries.append(summary)
            if fmt != "table":
                spool.write(line + "\n")
        rank(summaries)
        spool.seek(0)
        if fmt == "table":
            out.write(_table(info, summaries))
        elif fmt == "json":
            _json(info, spool, summaries, errors(), out)
        else:
            _csv(spool, summaries, out)


def _json(info: CatalogInfo, spool: TextIO, summaries: list[Summary], errors: list[str], out: TextIO) -> None:
    out.write('{"catalog": ' + info.model_dump_json() + ',\n"units": [\n')
    for i, (line, summary) in enumerate(zip(spool, summaries)):
        # the unit was serialised before ranks were known; its top-level "rank" is the first one
        unit = line.rstrip("\n").replace('"rank":null', f'"rank":{json.dumps(summary.rank)}', 1)
        out.write((",\n" if i else "") + unit)
    out.write('\n],\n"errors": ' + json.dumps(errors, ensure_ascii=False) + "}\n")


def _csv(spool: TextIO, summaries: list[Summary], out: TextIO) -> None:
    out.write("\ufeff")  # BOM: Excel then reads the Vietnamese as UTF-8
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for line, summary in zip(spool, summaries):
        u = json.loads(line)
        unit = {
            "unit_id": u["unit_id"],
            "unit_name": u["unit_name"],
            "unit_type": u["unit_type"],
            "unit_points": u["points"],
            "unit_max_points": u["max_points"],
            "unit_index": u["index"],
            "unit_band": u["band"],
            "unit_rank": summary.rank,
        }
        for c in u["criteria"]:
            row = {**unit, **{k: c[k] for k in CSV_COLUMNS if k in c}}
            writer.writerow({k: safe_cell(v) if isinstance(v, str) else v for k, v in row.items()})


def _table(info: CatalogInfo, summaries: list[Summary]) -> str:
    header = ["Hạng", "Mã đơn vị", "Tên đơn vị", "Loại", "Điểm", "Tối đa", "Chỉ số", "Xếp loại"]
    rows = [
        [
            str(u.rank or "—"),
            u.unit_id,
            u.unit_name,
            u.unit_type,
            vn.number(u.points),
            vn.number(u.max_points),
            vn.number(u.index) if u.index is not None else "—",
            u.band or "—",
        ]
        for u in sorted(summaries, key=lambda u: (u.rank is None, u.rank or 0, u.unit_id))
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [f"Bộ tiêu chí {info.id} (phiên bản {info.version}, năm {info.year})"]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
    lines.insert(2, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
