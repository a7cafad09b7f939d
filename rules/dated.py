"""One catalog for many years, as OpenFisca keeps parameters: the catalog's YAML data is turned into
the catalog of one assessment year before it is validated, so every kind sees plain values.

- `years: {from: 2019, until: 2026}` says which years a catalog scores (an old single `year:` is a
  range of one).
- A value given by date, anywhere (a target, a tier table, a maximum, the Sở's decision):

      gte:
        - {from: 2019-01-01, value: 80, reference: "KH-TH2021, Mục I.1"}
        - {from: 2023-01-01, value: 90, reference: "Nghị định 42/2022/NĐ-CP"}

  takes the entry in force on 1 January of the assessment year; its reference is cited in the
  criterion's explanation.
- A deadline relative to the assessment year N: "31/12 năm trước", "31/01 năm sau", "15/11",
  "dd/mm/N-1", "cuối tháng 02" (28 or 29), "cuối quý I", "ngày 02 tháng cuối quý III".
- `from_year` / `until_year` on a criterion or area: outside those years it is not part of that
  year's catalog (its points leave the maximum, as a criterion not applicable does).
- `{N}`, `{N-1}`, `{N+1}` in any text become the years ("Kế hoạch CCHC năm {N}").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from rules import vn
from rules.errors import Problem

DATE_KEYS = ("deadline", "late_until", "issued_from")  # keys whose text is read as a date relative to the year
ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_PLACEHOLDER = re.compile(r"\{N([+-]\d+)?\}")
_SHIFT = {"năm trước": -1, "năm sau": 1, "": 0}


@dataclass
class YearView:
    """The data of one year, and what resolving it found (the references of dated values, per node
    code; problems with their YAML paths)."""

    data: Any
    cited: dict[str, list[str]] = field(default_factory=dict)
    problems: list[tuple[tuple, str]] = field(default_factory=list)
    # How paths of the year's data map back to the YAML's (for line numbers): lists that lost items
    # (old path -> old indices kept) and dated values (old path -> index of the entry in force).
    kept: dict[tuple, list[int]] = field(default_factory=dict)
    chosen: dict[tuple, int] = field(default_factory=dict)

    def source_path(self, path: tuple) -> tuple:
        """The YAML path of a path in the year's data."""
        old: tuple = ()
        for part in path:
            if old in self.chosen:
                old += (self.chosen[old], "value")
            if isinstance(part, int) and old in self.kept:
                part = self.kept[old][part] if part < len(self.kept[old]) else part
            old += (part,)
        return old + ((self.chosen[old], "value") if old in self.chosen else ())


def years_of(data: dict) -> tuple[int, int] | None:
    """The first and last year a catalog scores, from `years:` or a single `year:`."""
    years = data.get("years")
    if isinstance(years, dict) and isinstance(years.get("from"), int):
        until = years.get("until", years["from"])
        return (years["from"], until) if isinstance(until, int) else None
    year = data.get("year")
    return (year, year) if isinstance(year, int) else None


def for_year(data: dict, year: int) -> YearView:
    """The catalog data of one assessment year (a new structure; `data` is left as it was)."""
    view = YearView(data=None)
    out = _resolve(data, year, (), view, code="")
    out["year"] = year
    out.setdefault("valid_from", dt.date(year, 1, 1))
    out.setdefault("valid_to", dt.date(year, 12, 31))
    if "years" not in out:
        out["years"] = {"from": year, "until": year}
    view.data = out
    return view


def _resolve(value: Any, year: int, path: tuple, view: YearView, code: str) -> Any:
    if _is_dated(value):
        chosen = _in_force(value, year, path, view)
        if chosen is None:
            return None
        entry, index = chosen
        view.chosen[path] = index
        if entry.get("reference"):
            since = entry["from"] if isinstance(entry["from"], int) else vn.date(entry["from"])
            name = next((str(p) for p in reversed(path) if not isinstance(p, int)), "")
            reference = _text(str(entry["reference"]), year)
            if name in ("title", "label", "fix") or isinstance(entry["value"], (dict, list)):
                view.cited.setdefault(code, []).append(f"{reference} (áp dụng từ {since})")
            else:
                shown = vn.value(entry["value"])
                view.cited.setdefault(code, []).append(f"{name} = {shown}: {reference} (áp dụng từ {since})")
        return _resolve(entry["value"], year, path + (index, "value"), view, code)
    if isinstance(value, dict):
        code = str(value.get("code", code))
        out = {}
        for key, item in value.items():
            if key in ("from_year", "until_year"):
                continue
            resolved = _resolve(item, year, path + (key,), view, code)
            if key in DATE_KEYS and isinstance(resolved, str):
                try:
                    resolved = relative_date(resolved, year)
                except ValueError as e:
                    view.problems.append((path + (key,), str(e)))
            out[key] = resolved
        return out
    if isinstance(value, list):
        kept = [i for i, item in enumerate(value) if _exists(item, year)]
        if len(kept) < len(value):
            view.kept[path] = kept
        return [_resolve(value[i], year, path + (i,), view, code) for i in kept]
    if isinstance(value, str):
        return _text(value, year)
    return value


def _exists(item: Any, year: int) -> bool:
    """Is this list item (a criterion or area) part of the year's catalog?"""
    if not isinstance(item, dict):
        return True
    first, last = item.get("from_year"), item.get("until_year")
    return (not isinstance(first, int) or year >= first) and (not isinstance(last, int) or year <= last)


def _is_dated(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and {"from", "value"} <= set(v) <= {"from", "value", "reference"} for v in value)
    )


def _in_force(entries: list[dict], year: int, path: tuple, view: YearView) -> tuple[dict, int] | None:
    start = dt.date(year, 1, 1)
    best: tuple[dt.date, dict, int] | None = None
    for i, entry in enumerate(entries):
        since = _as_date(entry["from"])
        if since is None:
            view.problems.append(
                (path + (i, "from"), f"'from' phải là ngày (YYYY-MM-DD) hoặc năm, không phải {entry['from']!r}")
            )
            return None
        if since <= start and (best is None or since > best[0]):
            best = (since, entry, i)
    if best is None:
        view.problems.append(
            (path, f"không có giá trị áp dụng cho năm {year} (giá trị sớm nhất từ {entries[0]['from']})")
        )
        return None
    return best[1], best[2]


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and 1900 < value < 2200:
        return dt.date(value, 1, 1)
    return None


def _text(text: str, year: int) -> str:
    return _PLACEHOLDER.sub(lambda m: str(year + int(m.group(1) or 0)), text)


_DAY_MONTH = re.compile(r"^(?:ngày\s+)?(\d{1,2})/(\d{1,2})(?:/n([+-]\d)?)?\s*(năm trước|năm sau)?$")
_END_OF_MONTH = re.compile(r"^(?:cuối\s+)?tháng\s+(\d{1,2})\s*(năm trước|năm sau)?$")
_END_OF_QUARTER = re.compile(r"^cuối\s+quý\s+(i{1,3}|iv|[1-4])\s*(năm trước|năm sau)?$")
_DAY_OF_QUARTER_END = re.compile(r"^ngày\s+(\d{1,2})\s+tháng\s+cuối\s+quý\s+(i{1,3}|iv|[1-4])$")


def relative_date(text: str, year: int) -> dt.date:
    """A deadline written relative to the assessment year, as the date it is in `year`."""
    s = " ".join(text.strip().lower().split())
    if m := _DAY_MONTH.match(s):
        shift = int(m.group(3) or 0) + _SHIFT[m.group(4) or ""]
        return _date(year + shift, int(m.group(2)), int(m.group(1)), text)
    if m := _END_OF_MONTH.match(s):
        y, month = year + _SHIFT[m.group(2) or ""], int(m.group(1))
        return _date(y, month, _last_day(y, month, text), text)
    if m := _END_OF_QUARTER.match(s):
        y, month = year + _SHIFT[m.group(2) or ""], 3 * ROMAN_QUARTERS[m.group(1)]
        return _date(y, month, calendar.monthrange(y, month)[1], text)
    if m := _DAY_OF_QUARTER_END.match(s):
        return _date(year, 3 * ROMAN_QUARTERS[m.group(2)], int(m.group(1)), text)
    raise ValueError(
        f"không hiểu thời hạn '{text}': dùng YYYY-MM-DD, 'dd/mm' (năm đánh giá), 'dd/mm năm trước', "
        "'dd/mm năm sau', 'dd/mm/N-1', 'cuối tháng mm', 'cuối quý I' hoặc 'ngày dd tháng cuối quý I'"
    )


def _last_day(year: int, month: int, text: str) -> int:
    if not 1 <= month <= 12:
        raise ValueError(f"thời hạn '{text}': không có tháng {month}")
    return calendar.monthrange(year, month)[1]


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"thời hạn '{text}': ngày {day:02d}/{month:02d} không có trong năm {year}") from None


def year_problems(view: YearView, source: str, where) -> list[Problem]:
    """The view's problems as Problems, located with `where(path)`."""
    return [Problem(message, source, where(path)) for path, message in view.problems]
