"""What changed between two catalogs, or two years of one (`cchc rules diff`), in Vietnamese:
criteria added and removed, titles, maxima, targets and other parameters, deadlines."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from rules import vn
from rules.catalog import Catalog, Group


@dataclass
class Change:
    code: str  # "" for the catalog itself
    what: str  # added | removed | title | max_points | kind | params.<name> | deadline | applies_to | ...
    old: Any
    new: Any

    def __str__(self) -> str:
        label = {
            "added": "thêm",
            "removed": "bỏ",
            "title": "tên",
            "max_points": "điểm tối đa",
            "kind": "cách chấm",
            "deadline": "thời hạn khắc phục",
            "applies_to": "áp dụng cho",
            "decision": "quyết định ban hành",
        }.get(self.what, self.what.replace("params.", "tham số "))
        where = f"{self.code}: " if self.code else "Bộ tiêu chí: "
        if self.what == "added":
            return f"+ {where}thêm «{self.new}»"
        if self.what == "removed":
            return f"- {where}bỏ «{self.old}»"
        return f"~ {where}{label} {_show(self.old)} → {_show(self.new)}"


def diff_catalogs(old: Catalog, new: Catalog) -> list[Change]:
    """Changes from `old` to `new`. Between two years, what only moved with the year (a deadline
    "31/12 năm trước", a title "năm {N}") is not a change."""
    out: list[Change] = []
    shift = new.year - old.year

    def differ(a: Any, b: Any) -> bool:
        return _moved(a, shift, old.year) != b

    if old.max_points != new.max_points:
        out.append(Change("", "max_points", old.max_points, new.max_points))
    if str(old.decision) != str(new.decision):
        out.append(Change("", "decision", old.decision and str(old.decision), new.decision and str(new.decision)))
    before = {n.code: n for _, n, _ in old.walk()}
    after = {n.code: n for _, n, _ in new.walk()}
    for code, node in after.items():
        if code not in before:
            out.append(Change(code, "added", None, f"{node.title} ({vn.number(node.max_points)} điểm)"))
    for code, node in before.items():
        if code not in after:
            out.append(Change(code, "removed", f"{node.title} ({vn.number(node.max_points)} điểm)", None))
            continue
        other = after[code]
        for what in ("title", "max_points", "kind", "deadline", "applies_to"):
            a, b = getattr(node, what, None), getattr(other, what, None)
            if differ(a, b):
                out.append(Change(code, what, a, b))
        if isinstance(node, Group) or type(node) is not type(other):  # a new kind: its params are new too
            continue
        a_params, b_params = _flat(node.params.model_dump()), _flat(other.params.model_dump())
        for name in sorted(set(a_params) | set(b_params)):
            if differ(a_params.get(name), b_params.get(name)):
                out.append(Change(code, f"params.{name}", a_params.get(name), b_params.get(name)))
    order = {code: i for i, code in enumerate([*before, *(c for c in after if c not in before)])}
    return sorted(out, key=lambda c: (order.get(c.code, -1), c.what != "added"))


def _moved(value: Any, shift: int, year: int) -> Any:
    """`value` as it reads `shift` years later: dates and the years N-1, N, N+1 in texts move along."""
    if not shift:
        return value
    if isinstance(value, dt.date):
        target = value.year + shift
        last = calendar.monthrange(value.year, value.month)[1]
        day = calendar.monthrange(target, value.month)[1] if value.day == last else value.day  # cuối tháng 02
        return value.replace(year=target, day=min(day, calendar.monthrange(target, value.month)[1]))
    if isinstance(value, str):
        # a year followed by "/" is part of a document's number (90/2020/NĐ-CP), not the year scored
        return re.sub(
            r"\b(\d{4})\b(?!/)", lambda m: str(int(m[1]) + shift) if abs(int(m[1]) - year) <= 1 else m[1], value
        )
    return value


def diff_text(old: Catalog, new: Catalog, changes: list[Change]) -> str:
    head = f"So sánh {old.id} năm {old.year} → {new.id} năm {new.year}"
    if old.year != new.year:
        head += " (thời hạn, tên tính theo năm đánh giá dời theo năm: không kể là thay đổi)"
    if not changes:
        return f"{head}: không có thay đổi.\n"
    added = sum(c.what == "added" for c in changes)
    removed = sum(c.what == "removed" for c in changes)
    lines = [f"{head}: {added} tiêu chí thêm, {removed} tiêu chí bỏ, {len(changes) - added - removed} thay đổi", ""]
    return "\n".join(lines + [str(c) for c in changes]) + "\n"


def _flat(value: Any, prefix: str = "") -> dict[str, Any]:
    """A parameter tree as 'name' / 'name.sub' / 'name.0.sub' -> value."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flat(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        out = {}
        for i, item in enumerate(value):
            out.update(_flat(item, f"{prefix}.{i}"))
        return out
    return {prefix: value}


def _show(value: Any) -> str:
    if value is None:
        return "(không có)"
    if isinstance(value, dt.date):
        return vn.date(value)
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return (
        vn.value(value) if isinstance(value, (int, float)) else f"«{value}»" if isinstance(value, str) else str(value)
    )
