"""A rule kind proposed for each criterion from the tiers its annex row gives, with the evidence
fields it reads: a proposal, quoted and marked for review, never a decision."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rules.annex.reader import Node
from rules.annex.words import Tier, fold, number, slug
from rules.checks import coverage
from rules.spec import Interval
from rules.vn import number as vn

N = r"(\d+(?:[.,]\d+)?)"
# A tier's condition on a percentage, folded: the first pattern that matches says the bounds.
_RANGES: list[tuple[str, tuple[str, ...]]] = [
    (rf"tren {N}\s*%? (?:den|toi|-) duoi {N}\s*%", ("gt", "lt")),
    (rf"tren {N}\s*%? (?:den|toi|-) {N}\s*%", ("gt", "lte")),
    (rf"(?:tu )?{N}\s*%? (?:den|toi|-|–) (?:duoi|<) ?{N}\s*%", ("gte", "lt")),
    (rf"(?:tu )?{N}\s*%? (?:den|toi|-|–) {N}\s*%", ("gte", "lte")),
    (rf"(?:tu |dat )?{N}\s*% tro len", ("gte",)),
    (rf"(?:>=|≥|khong duoi|toi thieu|it nhat|tu) ?{N}\s*%", ("gte",)),
    (rf"(?:>|tren|hon|vuot) ?{N}\s*%", ("gt",)),
    (rf"(?:<|duoi|thap hon|chua dat|khong dat) ?{N}\s*%", ("lt",)),
    (rf"(?:<=|≤|den|khong qua|toi da) ?{N}\s*%", ("lte",)),
    (rf"(?:dat )?{N}\s*%", ("gte",)),
]

_ON_TIME = ("dung han", "dung thoi han", "kip thoi", "dung thoi gian", "truoc ngay", "dung quy dinh ve thoi gian")
_LATE = ("cham", "tre", "qua han", "khong dung han", "khong dung thoi han", "khong kip thoi", "sau thoi han")
_NONE = ("khong ban hanh", "khong co", "khong thuc hien", "khong gui", "khong xay dung", "khong to chuc")
_MET = ("dat", "co", "thuc hien", "hoan thanh", "day du", "ban hanh", "co ban hanh", "duy tri")
_DOCUMENT_WORDS = ("ban hanh", "ke hoach", "bao cao", "quyet dinh", "quy che", "van ban", "chuong trinh", "de an")
_DEDUCTION = ("diem tru", "tru diem", "bi tru", "moi truong hop", "moi ho so", "moi vu")
_BONUS = ("diem thuong", "cong diem", "diem cong", "khen thuong")


@dataclass
class Proposal:
    kind: str
    params: dict[str, Any]
    why: str  # the proposal in words, for the reviewer
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # new evidence fields
    problems: list[str] = field(default_factory=list)
    fix: str = ""
    max_points: float | None = None  # set where the kind needs its own (a bonus or deduction: 0, its cap in params)


def propose(node: Node, taken: set[str]) -> Proposal:
    """The kind for a leaf read from an annex; `taken` holds the field names already used."""
    base = _field_name(node, taken)
    title = fold(node.title)
    tiers = node.tiers
    if node.survey:
        return Proposal("survey", {}, "chấm qua điều tra xã hội học (cột ĐT XHH)", fix=node.title)
    if (node.max_points or 0) < 0 or any(w in title for w in _DEDUCTION):
        return _adjustment("deduction", node, base, tiers)
    if any(w in title for w in _BONUS):
        return _adjustment("bonus", node, base, tiers)
    if not tiers:
        return _manual(node, "không có cách chấm điểm theo mức trong phụ lục: người chấm cho điểm")
    bands = [_band(t) for t in tiers]
    if all(b is not None for b in bands):
        return _percent_bands(node, base, tiers, [b for b in bands if b is not None])
    if any(b is not None for b in bands):
        return _manual(node, "một số mức theo tỷ lệ %, một số không: cần viết lại các mức")
    kinds = [_timing(t) for t in tiers]
    if "late" in kinds and "on_time" in kinds:
        return _on_time(node, base, tiers, kinds)
    if len(tiers) == 2 and {t.points for t in tiers} == {0, node.max_points} and all(_yes_no(t) for t in tiers):
        return _binary(node, base, tiers)
    return _graded(node, base, tiers)


def _field_name(node: Node, taken: set[str]) -> str:
    name = slug(node.title)
    if name in taken or name[0].isdigit():
        name = f"tc_{node.code.replace('.', '_').lower()}_{name}"
    taken.add(name)
    return name


def _band(t: Tier) -> dict[str, float] | None:
    text = fold(t.text)
    if "%" not in text and "phan tram" not in text:
        return None
    text = text.replace("phan tram", "%")
    for pattern, ops in _RANGES:
        m = re.search(pattern, text)
        if m:
            values = [number(g) for g in m.groups()]
            return {op: v for op, v in zip(ops, values) if v is not None}
    return None


def _percent_bands(node: Node, base: str, tiers: list[Tier], bands: list[dict[str, float]]) -> Proposal:
    rows = [{**b, "points": t.points} for b, t in zip(bands, tiers)]
    problems = [f"các mức tỷ lệ: {m}" for m in coverage([Interval(**b) for b in bands])]
    if len(rows) < 2:
        problems.append("chỉ có một mức tỷ lệ: thêm mức còn lại (dưới ngưỡng: 0 điểm)")
    fields = {
        f"{base}_so": {"label": f"Số đạt yêu cầu — {node.title}", "type": "count"},
        f"{base}_tong": {"label": f"Tổng số phải thực hiện — {node.title}", "type": "count"},
    }
    params = {"numerator": f"{base}_so", "denominator": f"{base}_tong", "bands": rows}
    best = max(tiers, key=lambda t: t.points)
    why = "các mức theo tỷ lệ % → percent_bands (tử số, mẫu số đề xuất: xem lại tên và nhãn)"
    return Proposal("percent_bands", params, why, fields, problems, fix=f"Đạt mức: {best.text}")


def _timing(t: Tier) -> str:
    text = fold(t.text)
    if any(w in text for w in _NONE):
        return "none"
    if any(w in text for w in _LATE):
        return "late"
    if any(w in text for w in _ON_TIME):
        return "on_time"
    return "other"


_DATE = re.compile(r"(?:truoc|cham nhat|han|trong)?\s*(?:ngay\s*)?(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?")


def _on_time(node: Node, base: str, tiers: list[Tier], kinds: list[str]) -> Proposal:
    late = max(t.points for t, k in zip(tiers, kinds) if k == "late")
    params: dict[str, Any] = {"field": base, "points_late": late}
    problems = []
    text = " ".join(fold(x) for x in [node.title, *(t.text for t in tiers), *node.notes])
    m = _DATE.search(text)
    if m:
        day, month = int(m[1]), int(m[2])
        deadline = f"{day:02d}/{month:02d}"
        if month >= 10 and ("ke hoach" in text or "nam sau" in text):
            deadline += " năm trước"
            problems.append(f"thời hạn {day:02d}/{month:02d}: đọc là năm trước năm đánh giá (kế hoạch cho năm sau)")
        params["deadline"] = deadline
    else:
        problems.append("phụ lục không ghi thời hạn: điền deadline (vd. 31/12, 15/01, cuối quý I)")
    if not any(k == "none" for k in kinds):
        problems.append("không có mức «không ban hành»: ngầm hiểu là 0 điểm")
    fields = {base: {"label": node.title, "type": "document"}}
    why = "các mức đúng hạn / chậm / không ban hành → on_time"
    return Proposal("on_time", params, why, fields, problems, fix=f"{node.title} đúng thời hạn")


def _yes_no(t: Tier) -> bool:
    text = fold(t.text)
    return any(text.startswith(w) or text.startswith("khong " + w) or text.startswith("chua " + w) for w in _MET)


def _binary(node: Node, base: str, tiers: list[Tier]) -> Proposal:
    is_document = any(w in fold(node.title) for w in _DOCUMENT_WORDS)
    fields = {base: {"label": node.title, "type": "document" if is_document else "yes_no"}}
    why = "hai mức đạt / không đạt → binary" + (" (văn bản có số, ngày)" if is_document else " (có / không)")
    met = next(t for t in tiers if t.points)
    return Proposal("binary", {"field": base}, why, fields, fix=met.text)


def _graded(node: Node, base: str, tiers: list[Tier]) -> Proposal:
    """Named tiers that are not a percentage nor a deadline: a choice the unit makes, each worth
    its share of the maximum."""
    options: dict[str, str] = {}
    grades: dict[str, float] = {}
    top = node.max_points or max(t.points for t in tiers) or 1
    for n, t in enumerate(tiers, 1):
        key = slug(t.text, 4)
        key = key if key not in options and not key[0].isdigit() else f"muc_{n}"
        options[key] = t.text
        grades[key] = round(t.points / top * 100, 4)
    fields = {base: {"label": node.title, "type": "choice", "options": options}}
    why = f"{len(tiers)} mức theo lời (không theo tỷ lệ, không theo thời hạn) → graded: đơn vị chọn một mức"
    problems = [] if len(tiers) > 1 else ["chỉ có một mức: thêm các mức còn lại"]
    best = max(tiers, key=lambda t: t.points)
    return Proposal("graded", {"field": base, "grades": grades}, why, fields, problems, fix=best.text)


def _adjustment(kind: str, node: Node, base: str, tiers: list[Tier]) -> Proposal:
    said = re.search(rf"(?:tru|cong|thuong)\s*{N}\s*(?:diem|d)\b", " ".join(fold(x) for x in [node.title, *node.notes]))
    per_item = number(said[1]) if said else next((abs(t.points) for t in tiers if t.points), None)
    cap = abs(node.max_points or 0) or per_item
    params: dict[str, Any] = {"field": base}
    problems = []
    if per_item:
        params["per_item"] = per_item
    else:
        problems.append("không đọc được số điểm mỗi trường hợp: điền per_item")
    if cap:
        params["cap"] = cap
    word = "trừ" if kind == "deduction" else "cộng"
    fields = {base: {"label": f"Số trường hợp — {node.title}", "type": "count"}}
    why = f"điểm {word} theo số trường hợp → {kind} (mỗi trường hợp {vn(per_item or 0)}, tối đa {vn(cap or 0)})"
    return Proposal(kind, params, why, fields, problems, fix=node.title, max_points=0)


def _manual(node: Node, why: str) -> Proposal:
    guidance = "; ".join([*(f"{t.text}: {vn(t.points)} điểm" for t in node.tiers), *node.notes])
    return Proposal("manual", {"guidance": guidance} if guidance else {}, why, fix=node.title)
