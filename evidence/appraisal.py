"""Appraisal records (thẩm định): per unit, rounds of inspectors' scores with reasons, and the
unit's explanation (giải trình) with supplementary evidence between rounds.

    unit_id: bv-dktinh
    rounds:
      - round: appraisal_1          # appraisal_1 → explanation → appraisal_2 → final
        by: Đoàn kiểm tra Sở Y tế
        date: 20/10/2026
        scores:
          "1.1.1": {points: 0.5, reason: Kế hoạch ban hành 08/01/2026, evidence: Công văn gửi Sở}
          "7.4.1": {status: not_applicable, reason: Đơn vị chưa thuộc diện áp dụng ISO}
      - round: explanation
        by: Bệnh viện Đa khoa tỉnh
        notes:
          "1.1.1": {text: Kế hoạch ký ngày 29/12/2025, evidence: Sổ văn bản đi trang 12}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from evidence import parse
from evidence.appraisal_excel import read_appraisal_workbook
from evidence.models import AppraisalRecord
from evidence.rounds import ROUNDS
from rules import vn
from rules.catalog import Catalog
from rules.errors import InputError, Problem, pydantic_message
from rules.yamlio import Lines, line_of, load_json, load_yaml


def load_appraisals(folder: str | Path, catalog: Catalog, units: Mapping[str, str]) -> list[AppraisalRecord]:
    """Every appraisal file under a folder (or one file), checked against the catalog and the units
    (`units`: each unit's id and type; an appraisal names only criteria that apply to its unit)."""
    folder = Path(folder)
    files = (
        sorted(
            p
            for p in folder.rglob("*")
            if p.suffix.lower() in (".yaml", ".yml", ".json", ".xlsx") and not p.name.startswith((".", "~$"))
        )
        if folder.is_dir()
        else [folder]
    )
    if not files:
        raise InputError(Problem("không có tệp thẩm định (.yaml, .json, .xlsx)", str(folder)))
    records: list[AppraisalRecord] = []
    problems: list[Problem] = []
    for path in files:
        if not path.exists():
            raise InputError(Problem("không tìm thấy tệp hoặc thư mục thẩm định", str(path)))
        try:
            if path.suffix.lower() == ".xlsx":
                raws, locate = read_appraisal_workbook(path)
            else:
                data, lines = (load_json(path), {}) if path.suffix.lower() == ".json" else load_yaml(path)
                raws, locate = _entries(data, lines)
            for prefix, raw in raws:
                records.append(
                    check_record(raw, catalog, units, str(path), lambda sub, p=prefix, at=locate: at(p + sub))
                )
        except InputError as e:
            problems += e.problems
    seen: dict[str, str] = {}
    for r in records:
        if r.unit_id in seen:
            problems.append(Problem(f"đơn vị {r.unit_id} đã có hồ sơ thẩm định trong {seen[r.unit_id]}", r.source))
        seen.setdefault(r.unit_id, r.source)
    if problems:
        raise InputError(problems)
    return records


def _entries(data: Any, lines: Lines):
    def locate(path: tuple) -> str | None:
        line = line_of(lines, path)
        return f"dòng {line}" if line else None

    if isinstance(data, dict) and "appraisals" in data and isinstance(data["appraisals"], list):
        return [(("appraisals", i), raw) for i, raw in enumerate(data["appraisals"])], locate
    return [((), data)], locate


def check_record(raw: Any, catalog: Catalog, units: Mapping[str, str], source: str, locate) -> AppraisalRecord:
    problems: list[Problem] = []

    def bad(path: tuple, message: str) -> None:
        problems.append(Problem(message, source, locate(path), ".".join(str(p) for p in path)))

    if not isinstance(raw, dict):
        raise InputError(Problem("hồ sơ thẩm định phải là một bảng có unit_id và rounds", source, locate(())))
    for i, rnd in enumerate(raw.get("rounds") or []):
        if isinstance(rnd, dict) and rnd.get("date") is not None and not isinstance(rnd["date"], dt.date):
            try:
                rnd["date"] = parse.date(
                    rnd["date"], dt.date(catalog.year - 1, 1, 1), dt.date(catalog.year + 2, 12, 31)
                )
            except ValueError as e:
                bad(("rounds", i, "date"), str(e))
        scores = rnd.get("scores") if isinstance(rnd, dict) else None
        if not isinstance(scores, dict):
            continue
        for code, score in list(scores.items()):
            if isinstance(score, dict) and isinstance(score.get("points"), str):
                try:
                    score["points"] = parse.decimal(score["points"])
                except ValueError as e:
                    bad(("rounds", i, "scores", code, "points"), str(e))
                    del scores[code]  # reported; the rest is still checked, so every error shows at once
    try:
        record = AppraisalRecord.model_validate({**raw, "source": source})
    except ValidationError as e:
        for err in e.errors():
            message = (
                "bắt buộc ghi lý do"
                if err["loc"][-1:] == ("reason",)
                else pydantic_message(
                    err,
                    {"literal_error": "vòng phải là một trong: " + ", ".join(ROUNDS)}
                    if err["loc"][-1:] == ("round",)
                    else None,
                )
            )
            bad(tuple(err["loc"]), message)
        raise InputError(problems) from None
    unit_type = units.get(record.unit_id)
    if unit_type is None:
        bad(("unit_id",), f"đơn vị '{record.unit_id}' không có trong tài liệu kiểm chứng đã nạp")
    for i, rnd in enumerate(record.rounds):
        if rnd.round == "explanation" and rnd.scores:
            bad(("rounds", i, "scores"), "vòng giải trình chỉ ghi notes; điểm do đoàn thẩm định chấm")
        for code, score in rnd.scores.items():
            where = ("rounds", i, "scores", code)
            record.places[f"{i}/{code}"] = locate(where) or ""
            problem = appraisal_problem(catalog, unit_type, code, score.points, score.status, score.reason)
            if problem:
                bad(where + problem[0], problem[1])
        for code in rnd.notes:
            try:
                catalog.leaf_for(code, unit_type)
            except ValueError as e:
                bad(("rounds", i, "notes", code), str(e))
    if problems:
        raise InputError(problems)
    return record


def appraisal_problem(
    catalog: Catalog,
    unit_type: str | None,
    code: str,
    points: float | None,
    status: str | None,
    reason: str,
    self_score: tuple[float, str] | None = None,
) -> tuple[tuple, str] | None:
    """What is wrong with one appraisal entry, as (sub-field, message), or None: the criterion must
    apply to the unit, the entry gives points within the criterion's range or says not applicable
    with a reason, and points that change the self-score (`self_score`: its points and status, when
    known) give a reason. The one check the appraisal files, the workbooks, the scoring of an
    appraisal and the workspace all use."""
    try:
        leaf = catalog.leaf_for(code, unit_type)
    except ValueError as e:
        return (), str(e)
    if (points is None) == (status is None):
        return (), "ghi đúng một trong: points (điểm) hoặc status: not_applicable"
    if points is not None:
        low, high = leaf.point_range()
        if not low <= points <= high:
            return ("points",), f"{vn.number(points)} điểm ngoài khoảng [{vn.number(low)}, {vn.number(high)}]"
        if self_score is not None and (points, leaf.status(points)) != self_score and not reason.strip():
            return ("reason",), f"điểm thẩm định {vn.number(points)} khác điểm tự chấm: bắt buộc ghi lý do"
    elif not reason.strip():
        return ("reason",), "bắt buộc ghi lý do khi xác định tiêu chí không áp dụng"
    return None
