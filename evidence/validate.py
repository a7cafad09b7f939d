"""Check raw evidence (from any loader) against a catalog and type every value."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from evidence import parse
from evidence.models import Document, ManualScore, Statement, Unit, UnitEvidence
from rules import clock, vn
from rules.catalog import Catalog, FieldSpec
from rules.errors import InputError, Problem, pydantic_message

_DOCUMENT_FIELDS = frozenset(Document.model_fields)  # read for each of a unit's documents

# Where a raw key came from: (section, key) -> "dòng 12" / "sheet 'Số liệu', dòng 7".
Locate = Callable[[tuple], "str | None"]


def build_unit(
    raw: dict[str, Any],
    catalog: Catalog,
    source: str,
    locate: Locate = lambda _: None,
    today: dt.date | None = None,
) -> UnitEvidence:
    """Typed evidence for one unit, or InputError listing every problem found (file, place, field).

    A document dated after `today` (default: rules.clock.today()) is an error: it cannot have been
    issued yet, so the date is mistyped. Rule tests pass dt.date.max: they score any year, any day.
    """
    problems: list[Problem] = []
    today = today or clock.today()

    def bad(path: tuple, message: str) -> None:
        problems.append(Problem(message, source, locate(path), ".".join(str(p) for p in path)))

    def warn(key: str, message: str) -> None:
        place = locate(("evidence", key))
        warnings.append(f"{catalog.fields[key].label}{f' ({place})' if place else ''}: {message}")

    if not isinstance(raw, dict):
        raise InputError(Problem("mỗi đơn vị phải là một bảng (mapping) có unit, evidence", source, locate(())))
    unknown = set(raw) - {"unit", "evidence", "manual", "not_applicable", "reviewed", "draft"}
    for key in sorted(unknown, key=str):
        bad((key,), "mục không được hỗ trợ; dùng unit, evidence, manual, not_applicable")
    if "reviewed" in raw and not isinstance(raw["reviewed"], bool):
        bad(("reviewed",), "reviewed: ghi true (đơn vị đã rà soát bản nháp) hoặc false")
    unit = _unit(raw.get("unit"), catalog, bad)
    year = unit.year if unit else catalog.year
    earliest, latest = dt.date(year - 5, 1, 1), dt.date(year + 1, 12, 31)
    values = {}
    warnings: list[str] = []
    for key, value in _mapping(raw.get("evidence"), ("evidence",), bad).items():
        spec = catalog.fields.get(str(key))
        if spec is None:
            bad(("evidence", key), "trường tài liệu kiểm chứng không có trong bộ tiêu chí " + catalog.id)
        elif value is not None and value != "":
            try:
                values[str(key)] = typed = _typed(value, spec, earliest, latest)
            except ValueError as e:
                bad(("evidence", key), f"{spec.label}: {e}")
                continue
            if isinstance(typed, Document):
                dated = _dated_problem(typed.date, today, catalog.dated_until[str(key)], year)
                if dated and dated[0]:
                    bad(("evidence", key), f"{spec.label}: {dated[1]}")
                    continue
                if dated:
                    warn(str(key), dated[1])
            if spec.type == "percent" and 0 < typed < 1:
                meant = vn.number(typed * 100)
                warn(str(key), f"{vn.number(typed)} % rất nhỏ; nếu là {meant} %, hãy ghi «{meant}%»")
    if raw.get("reviewed") is False:  # a draft from `cchc extract`: never scored as if confirmed
        warnings.append(
            "bản nháp trích từ báo cáo, đơn vị chưa rà soát (reviewed: false): kiểm tra từng giá trị với "
            "báo cáo, sửa nếu cần, rồi đặt reviewed: true"
        )
    manual = _manual(raw.get("manual"), catalog, unit.type if unit else None, bad)
    not_applicable = _not_applicable(raw.get("not_applicable"), catalog, bad)
    for check in catalog.checks:
        if all(f in values for f in check.parts + [check.total]):
            parts = sum(values[f] for f in check.parts)
            if parts > values[check.total]:
                labels = " + ".join(catalog.fields[f].label for f in check.parts)
                bad(
                    ("evidence", check.parts[0]),
                    check.message
                    or f"{labels} = {parts} lớn hơn {catalog.fields[check.total].label} = {values[check.total]}",
                )
    if problems or unit is None:
        raise InputError(problems or [Problem("thiếu thông tin đơn vị", source)])
    return UnitEvidence(
        unit=unit, values=values, manual=manual, not_applicable=not_applicable, source=source, warnings=warnings
    )


def unit_or_error(
    raw: dict[str, Any], catalog: Catalog, source: str, locate: Locate
) -> tuple[UnitEvidence | None, InputError | None]:
    """(the unit, None) or (None, why not): how a file's loader keeps each unit it reads. The
    error is kept without its traceback, which would hold the unit's frames and all they hold
    alive, in reference cycles, for as long as the error lives."""
    try:
        return build_unit(raw, catalog, source, locate), None
    except InputError as e:
        return None, e.with_traceback(None)


def _dated_problem(date: dt.date, today: dt.date, last: dt.date, year: int) -> tuple[bool, str] | None:
    """(is it an error, message) for a document's date: after today it cannot have been issued;
    after the assessment year (and any later deadline for it) it is likely a mistyped year."""
    if date > today:
        return True, (
            f"ngày {vn.date(date)} sau ngày hôm nay ({vn.date(today)}): văn bản chưa thể được ban hành; "
            "kiểm tra lại ngày, tháng, năm"
        )
    if date > last:
        return False, (
            f"ngày {vn.date(date)} sau năm đánh giá {year}"
            + (f" và sau mốc {vn.date(last)}" if last.year > year else "")
            + "; nếu gõ nhầm năm, hãy sửa"
        )
    return None


def _mapping(raw: Any, path: tuple, bad: Callable) -> dict:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        bad(path, "phải là một bảng (mapping) tên → giá trị")
        return {}
    return raw


def _unit(raw: Any, catalog: Catalog, bad: Callable) -> Unit | None:
    if not isinstance(raw, dict):
        bad(("unit",), "thiếu mục unit (id, name, type, year)")
        return None
    try:
        unit = Unit.model_validate({"year": catalog.year, **raw})
    except ValidationError as e:
        for err in e.errors():
            bad(("unit", *err["loc"]), pydantic_message(err))
        return None
    if unit.type not in catalog.unit_types:
        bad(("unit", "type"), f"loại đơn vị '{unit.type}' không có; dùng một trong: {', '.join(catalog.unit_types)}")
        return None
    if unit.year != catalog.year:
        bad(
            ("unit", "year"),
            f"năm đánh giá {unit.year} khác năm đang chấm ({catalog.year}); mỗi lần chấm một năm: "
            f"tách tệp theo năm hoặc dùng --year {unit.year}",
        )
        return None
    return unit


def _typed(value: Any, spec: FieldSpec, earliest: dt.date, latest: dt.date) -> Any:
    if spec.type == "count":
        return parse.count(value)
    if spec.type == "percent":
        return parse.percent(value)
    if spec.type == "yes_no":
        return parse.yes_no(value)
    if spec.type == "date":
        return parse.date(value, earliest, latest)
    if spec.type == "choice":
        return _choice(value, spec)
    if isinstance(value, dict) and "statement" in value and not value.get("date") and not value.get("number"):
        return Statement(statement=str(value["statement"]))
    if isinstance(value, bool) or (isinstance(value, str) and _says_done(value)):
        if value is False:
            raise ValueError("văn bản: ghi số ký hiệu và ngày, hoặc để trống nếu chưa có")
        return Statement(statement=str(value) if isinstance(value, str) else "có")
    if isinstance(value, dict):
        fields = {k: ("" if v is None else str(v)) for k, v in value.items() if k != "date"}
        unknown = fields.keys() - _DOCUMENT_FIELDS
        if unknown:
            raise ValueError(f"thông tin văn bản không hỗ trợ: {', '.join(sorted(unknown))}")
        if "date" not in value:
            raise ValueError("văn bản thiếu ngày ban hành (date)")
        return Document(date=parse.date(value["date"], earliest, latest), **fields)
    return Document(date=parse.date(value, earliest, latest))


def _says_done(text: str) -> bool:
    """'có', 'x', 'đã thực hiện', 'đã công bố ...': a statement that something was done."""
    words = text.strip().lower()
    return words in parse.YES or words.startswith("đã ")


def _choice(value: Any, spec: FieldSpec) -> str:
    text = str(value).strip()
    for key, label in spec.options.items():
        if text.casefold() in (key.casefold(), label.casefold()):
            return key
    raise ValueError(f"'{value}' không phải một lựa chọn: {', '.join(spec.options)}")


def _manual(raw: Any, catalog: Catalog, unit_type: str | None, bad: Callable) -> dict[str, ManualScore]:
    out = {}
    for code, entry in _mapping(raw, ("manual",), bad).items():
        code = str(code)
        if code not in catalog.leaf:
            bad(("manual", code), "không có tiêu chí chấm thủ công mã này")
            continue
        try:
            leaf = catalog.leaf_for(code, unit_type)
        except ValueError as e:
            bad(("manual", code), str(e))
            continue
        if not leaf.scored_by_hand:
            bad(("manual", code), f"tiêu chí {code} chấm theo quy tắc ({leaf.kind}), không chấm thủ công")
            continue
        if not isinstance(entry, dict):
            bad(("manual", code), "cần points và reason")
            continue
        try:
            points = parse.decimal(entry.get("points"))
        except ValueError as e:
            bad(("manual", code, "points"), str(e))
            continue
        try:
            score = ManualScore.model_validate({**entry, "points": points})
        except ValidationError as e:
            for err in e.errors():
                bad(("manual", code, *err["loc"]), pydantic_message(err))
            continue
        if score.points > leaf.max_points:
            given, top = vn.number(score.points), vn.number(leaf.max_points)
            bad(("manual", code, "points"), f"{given} điểm vượt điểm tối đa {top}")
            continue
        out[code] = score
    return out


def _not_applicable(raw: Any, catalog: Catalog, bad: Callable) -> dict[str, str]:
    out = {}
    for code, reason in _mapping(raw, ("not_applicable",), bad).items():
        code = str(code)
        leaf = catalog.leaf.get(code)
        if leaf is None:
            bad(("not_applicable", code), "không có tiêu chí mã này")
        elif not leaf.allow_na:
            bad(("not_applicable", code), f"tiêu chí {code} không được khai «không áp dụng»")
        elif not reason or not str(reason).strip():
            bad(("not_applicable", code), "cần ghi lý do không áp dụng")
        else:
            out[code] = str(reason).strip()
    return out
