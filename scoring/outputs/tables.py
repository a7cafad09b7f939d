"""The score outputs of `cchc score`: terminal table, JSON (the contract) and CSV (one row per
unit × criterion), written as the units stream by.

Each unit's result is spooled to a temporary file as soon as it is scored, with only a small
summary kept in memory; ranks need every unit, so the output is written once all are in, each
unit copied from its spool file with its ranks filled in.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import TextIO

from rules import vn
from scoring.core.ranking import by_group, ranked_summaries
from scoring.core.results import (
    COVERAGE_NOTE,
    PROVISIONAL_NOTE,
    CatalogInfo,
    Summary,
    band_text,
    coverage_text,
    rank_members,
)
from scoring.outputs.writing import safe_cell
from scoring.run.pipeline import StoredLine
from scoring.run.spool import RawOutput, SpoolReader

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
    fmt: str,
    info: CatalogInfo,
    scores: Iterable[tuple[StoredLine, Summary]],
    errors: Callable[[], list[str]],
    out: TextIO,
) -> None:
    """Write units, each given as (where its UnitScore lies as a line of UTF-8 JSON, its summary),
    as `fmt` (table, json, csv); `errors` is asked once every unit has been read."""
    given = list(scores)  # summaries and places: a few hundred bytes a unit
    summaries = ranked_summaries([summary for _, summary in given])
    units = [(line, summary) for (line, _), summary in zip(given, summaries)]
    if fmt == "table":
        out.write(_table(info, summaries))
        return
    with SpoolReader() as spool:
        if fmt == "json":
            _json(info, units, spool, errors(), out)
        else:
            _csv(units, spool, out)


def _json(
    info: CatalogInfo, units: list[tuple[StoredLine, Summary]], spool: SpoolReader, errors: list[str], out: TextIO
) -> None:
    out.write('{"catalog": ' + info.model_dump_json() + ',\n"units": [\n')
    raw = RawOutput(out)
    for i, (line, summary) in enumerate(units):
        # ranked_json(head, tail, ranks), with the tail (the criteria, 40 KB) copied from the spool
        head = spool.read(line, 0, line.head)
        ranks = rank_members(summary.rank, summary.overall_rank)
        raw.write((b",\n" if i else b"") + b"{" + head[1:-1] + b"," + ranks + b",")
        raw.copy(spool, line, line.head + 1, line.tail - 1)  # the tail's members and its closing brace
    raw.flush()
    out.write('\n],\n"errors": ' + json.dumps(errors, ensure_ascii=False) + "}\n")


def _csv(units: list[tuple[StoredLine, Summary]], spool: SpoolReader, out: TextIO) -> None:
    out.write("\ufeff")  # BOM: Excel then reads the Vietnamese as UTF-8
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for line, summary in units:
        u = json.loads(spool.read(line, 0, line.head)) | json.loads(spool.read(line, line.head, line.tail))
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
    """Units ranked within their group; provisional scores, incomplete evidence and warnings marked."""
    header = ["Hạng", "Chung", "Mã đơn vị", "Tên đơn vị", "Loại", "Điểm", "Tối đa", "Chỉ số", "Xếp loại", "TLKC"]
    lines = [f"Bộ tiêu chí {info.id} ({info.framework}, phiên bản {info.version}, năm {info.year})"]
    for label, members in by_group(info.groups, summaries, lambda u: u.group):
        members.sort(key=lambda u: (u.rank is None, u.rank or 0, u.unit_id))
        rows = [
            [
                _mark(u.rank, u.provisional),
                _mark(u.overall_rank, u.provisional),
                u.unit_id,
                u.unit_name,
                info.unit_types.get(u.unit_type, u.unit_type),
                vn.number(u.points),
                vn.number(u.max_points),
                vn.index(u.index),
                band_text(u.band, u.provisional),
                coverage_text(u.coverage),
            ]
            for u in members
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
        lines += ["", label]
        lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows]]
        lines.insert(len(lines) - len(rows), "  ".join("-" * w for w in widths))
    if any(u.provisional for u in summaries):
        lines += ["", PROVISIONAL_NOTE]
    if any(not u.coverage.complete for u in summaries):
        lines += [COVERAGE_NOTE]
    warnings = [f"  - {u.unit_id}: {w}" for u in summaries for w in u.warnings]
    if warnings:
        lines += ["", "Cảnh báo:", *warnings]
    return "\n".join(lines) + "\n"


def _mark(rank: int | None, provisional: bool) -> str:
    return "—" if rank is None else f"{rank}{'*' if provisional else ''}"
