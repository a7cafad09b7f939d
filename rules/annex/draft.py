"""An annex read into a draft catalog: the YAML a Sở reviews, edits and publishes. Every proposal
is marked `review: true` with the text it was read from; every problem is listed at its criterion.
`cchc rules check` on the draft lists what is still to decide; the draft scores nothing until then."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from rules.annex.layout import COLUMN_LABELS
from rules.annex.propose import propose
from rules.annex.reader import Node, read_annex
from rules.annex.tables import read_document
from rules.annex.words import fold, slug
from rules.basis import framework_of
from rules.errors import InputError, Problem
from rules.vn import number as vn

# What a Sở decides for the whole catalog that an annex seldom says: proposed, to review.
UNIT_TYPES = {
    "co_quan_so": "Cơ quan Sở Y tế",
    "chi_cuc": "Chi cục",
    "benh_vien": "Bệnh viện",
    "trung_tam_y_te": "Trung tâm Y tế",
    "don_vi_su_nghiep_khac": "Đơn vị sự nghiệp khác",
}
BANDS = [
    {"name": "Tốt", "gte": 90},
    {"name": "Khá", "gte": 80, "lt": 90},
    {"name": "Trung bình", "gte": 65, "lt": 80},
    {"name": "Yếu", "lt": 65},
]


def import_annex(path: Path, year: int | None = None, catalog_id: str | None = None) -> dict[str, Any]:
    """The draft catalog of an annex file, as YAML data."""
    annex = read_annex(read_document(path))
    if not annex.areas:
        raise InputError([Problem(message, str(path), place) for place, message in annex.problems])
    decision = decision_of(annex.heading)
    year = year or _year_of(annex.heading, decision) or dt.date.today().year
    fields: dict[str, dict[str, Any]] = {}
    areas = [_node(area, fields, year) for area in annex.areas]
    total = sum(a["max_points"] for a in areas if isinstance(a.get("max_points"), (int, float)))
    file_problems = [f"{place}: {message}" for place, message in annex.problems]
    if annex.total is not None and abs(annex.total - total) > 1e-9:
        file_problems.append(f"dòng «Tổng cộng» ghi {vn(annex.total)} điểm, tổng các lĩnh vực là {vn(total)}")
    title = next((h for h in annex.heading if re.search(r"tiêu chí|chỉ số", h, re.IGNORECASE)), "")
    data: dict[str, Any] = {
        "id": catalog_id or slug(Path(path).stem, 8).replace("_", "-"),
        "title": title or f"Bộ tiêu chí đánh giá, chấm điểm CCHC năm {year} (nhập từ {Path(path).name})",
        "framework": framework_of(year).short,
        "years": {"from": year, "until": year},
        "version": f"{year}.0-draft",
    }
    if decision:
        data["decision"] = decision
    data |= {
        "max_points": total,
        "unit_types": UNIT_TYPES,
        "bands": BANDS,
        "fields": fields,
        "review": [
            "unit_types: các loại đơn vị đề xuất theo mẫu — sửa theo các đơn vị trực thuộc của Sở",
            "bands: thang xếp loại đề xuất (Tốt ≥ 90, Khá ≥ 80, Trung bình ≥ 65) — sửa theo quyết định của Sở",
            *([] if decision else ["decision: phụ lục không ghi quyết định ban hành — điền số, ngày, người ký"]),
        ],
        "annex": {
            "place": Path(path).name,
            "text": "; ".join(f"{COLUMN_LABELS.get(k, k)}: «{v}»" for k, v in annex.columns.items()),
            "proposal": f"đọc {annex.rows_read} dòng, {sum(1 for a in annex.areas for _ in a.walk())} mục",
            "problems": file_problems,
        },
        "areas": areas,
    }
    return _tidy(data)


def tree(data: dict[str, Any]) -> list[tuple[dict[str, Any], int, str]]:
    """Every area, criterion and leaf of a catalog's data, depth first, with its depth (0: an area)
    and its YAML path ('areas.0.children.1')."""
    out: list[tuple[dict[str, Any], int, str]] = []

    def visit(node: dict[str, Any], depth: int, path: str) -> None:
        out.append((node, depth, path))
        for i, child in enumerate(node.get("children") or []):
            visit(child, depth + 1, f"{path}.children.{i}")

    for i, area in enumerate(data.get("areas") or []):
        visit(area, 0, f"areas.{i}")
    return out


def nodes(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every area, criterion and leaf of a catalog's data, depth first."""
    return [node for node, _, _ in tree(data)]


def draft_summary(data: dict[str, Any]) -> str:
    """What was read, in one line: areas, leaves by proposed kind, problems to look at."""
    leaves = [n for n in nodes(data) if "kind" in n]
    kinds: dict[str, int] = {}
    for leaf in leaves:
        kinds[leaf["kind"]] = kinds.get(leaf["kind"], 0) + 1
    problems = sum(len(n.get("annex", {}).get("problems", [])) for n in nodes(data))
    problems += len(data.get("annex", {}).get("problems", []))
    proposed = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    return (
        f"{len(data['areas'])} lĩnh vực, {len(leaves)} tiêu chí chấm điểm, tổng {vn(data['max_points'])} điểm; "
        f"đề xuất: {proposed}; {problems} vấn đề cần xem"
    )


def _tidy(value: Any) -> Any:
    """Whole numbers written as the annex writes them: 3, not 3.0."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    return value


def _node(node: Node, fields: dict[str, dict[str, Any]], year: int) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title or f"(không có tên: {node.place})"}
    out["max_points"] = node.max_points if node.max_points is not None else 0
    annex: dict[str, Any] = {"place": node.place, "text": " / ".join(node.quote)}
    if node.children:
        out["children"] = [_node(child, fields, year) for child in node.children]
        if node.problems:
            out["review"] = True
            annex["problems"] = node.problems
        out["annex"] = annex
        return out
    proposal = propose(node, set(fields))
    if proposal.max_points is not None:
        out["max_points"] = proposal.max_points
    out["kind"] = proposal.kind
    if proposal.params:
        out["params"] = proposal.params
    fields.update(proposal.fields)
    framework = framework_of(year)
    out["reference"] = {
        "document": framework.citation,
        "provision": f"phụ lục bộ tiêu chí của Sở, mục {node.label or node.code}",
        **({"note": "Tài liệu kiểm chứng: " + "; ".join(node.evidence)} if node.evidence else {}),
    }
    out["fix"] = proposal.fix or node.title
    out["review"] = True
    annex["proposal"] = proposal.why
    problems = node.problems + proposal.problems
    if problems:
        annex["problems"] = problems
    out["annex"] = annex
    return out


_NUMBER = re.compile(r"số\s*:?\s*(\d+[\w./-]*/(?:QĐ|QÐ)-[\wĐÐ-]+)", re.IGNORECASE)
_DATE = re.compile(r"ngày\s+(\d{1,2})\s*(?:/|tháng)\s*(\d{1,2})\s*(?:/|năm)\s*(\d{4})", re.IGNORECASE)
_BY = re.compile(r"của\s+((?:Giám đốc|Ủy ban|UBND|Chủ tịch)[^)(;]*?)\s*(?:\)|$|;|về)", re.IGNORECASE)


def decision_of(heading: list[str]) -> dict[str, Any] | None:
    """The decision an annex is attached to, from its heading: '(Kèm theo Quyết định số 15/QĐ-SYT
    ngày 10/01/2025 của Giám đốc Sở Y tế)'."""
    for line in heading:
        m = _NUMBER.search(line)
        if not m or "quyết định" not in line.lower():
            continue
        out: dict[str, Any] = {"number": m[1].replace("Ð", "Đ")}
        if d := _DATE.search(line[m.end() :]):
            try:
                out["date"] = dt.date(int(d[3]), int(d[2]), int(d[1]))
            except ValueError:
                pass
        if b := _BY.search(line[m.end() :]):
            out["by"] = b[1].strip()
        return out
    return None


def _year_of(heading: list[str], decision: dict[str, Any] | None) -> int | None:
    for line in heading:
        if "năm" in line.lower() and (m := re.search(r"năm\s+(20\d\d)\b", line, re.IGNORECASE)):
            if "quyet dinh" not in fold(line) or "tieu chi" in fold(line):
                return int(m[1])
    if decision and isinstance(decision.get("date"), dt.date):
        return decision["date"].year
    return None


HEADER = """\
# Bản dự thảo bộ tiêu chí, đọc từ phụ lục {source} bằng `cchc rules import`.
# Mỗi tiêu chí có `review: true` và `annex:` (dòng của phụ lục, đề xuất, vấn đề cần quyết định).
# Xem lại từng tiêu chí, sửa cho đúng, xóa `review: true` và các vấn đề đã giải quyết;
# `cchc rules check {target}` liệt kê những gì còn phải quyết định. Chưa chấm điểm được cho đến khi hết.
"""


def draft_yaml(data: dict[str, Any], source: str, target: str) -> str:
    return HEADER.format(source=source, target=target) + catalog_yaml(data)


def catalog_yaml(data: dict[str, Any]) -> str:
    """A catalog's data as YAML a person reads: its keys in their order, short lists on one line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def short_lists(dumper: yaml.SafeDumper, value: list) -> yaml.Node:
        flow = all(isinstance(v, (int, float, str)) and len(str(v)) < 40 for v in value) and len(value) < 8
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    Dumper.add_representer(list, short_lists)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=110)
