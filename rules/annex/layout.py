"""Which column of an annex table holds what: the code, the title, the maximum, how points are given,
the evidence asked for, and the columns the scorers fill (Tự đánh giá, Thẩm định, ĐT XHH)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rules.annex.tables import Row, Table
from rules.annex.words import fold

# Column role -> what its header says (folded). The first role that matches a header wins, so
# the specific ones ("diem tu danh gia") come before the general ("diem").
ROLES: list[tuple[str, tuple[str, ...]]] = [
    ("survey", ("dt xhh", "dtxhh", "dieu tra xa hoi hoc", "xhh")),
    ("self", ("tu danh gia", "tu cham", "tu dg", "don vi tu")),
    ("appraisal", ("tham dinh", "hoi dong", "so cham", "diem danh gia", "ket qua danh gia")),
    (
        "method",
        (
            "cach cham",
            "cach tinh",
            "huong dan cham",
            "phuong phap",
            "cach danh gia",
        ),
    ),
    ("evidence", ("tai lieu kiem chung", "kiem chung", "tai lieu", "ho so", "minh chung")),
    ("max", ("diem toi da", "diem chuan", "thang diem", "diem quy dinh", "toi da", "diem so", "diem")),
    ("code", ("stt", "tt", "ma so", "ma", "so thu tu", "ky hieu", "so tt")),
    ("title", ("linh vuc", "tieu chi", "noi dung", "chi so", "ten tieu chi")),
    ("applies", ("ap dung", "doi tuong")),
    ("note", ("ghi chu",)),
]
COLUMN_LABELS = {
    "code": "STT / mã",
    "title": "Lĩnh vực, tiêu chí",
    "max": "Điểm tối đa",
    "method": "Cách chấm điểm",
    "evidence": "Tài liệu kiểm chứng",
    "self": "Tự đánh giá",
    "appraisal": "Thẩm định",
    "survey": "Điều tra xã hội học",
    "applies": "Đối tượng áp dụng",
    "note": "Ghi chú",
}


@dataclass
class Layout:
    columns: dict[str, int]  # role -> column index
    header_rows: int  # rows the header takes (1 or 2)
    at: int  # the header's row in its table
    headers: dict[str, str] = field(default_factory=dict)  # role -> the header as written


def role_of(header: str) -> str | None:
    text = fold(header)
    if not text:
        return None
    for role, words in ROLES:
        if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text) for w in words):
            return role
    return None


def find_layout(table: Table, scan: int = 15) -> Layout | None:
    """The header of a table: the first row naming a title column and a points column (a second
    header row below a merged "Điểm" cell is read with it)."""
    for i, row in enumerate(table.rows[:scan]):
        roles = _roles(row)
        if "title" not in roles or not ({"max", "survey", "self"} & set(roles)):
            continue
        columns = dict(roles)
        headers = {r: row.cells[c] for r, c in columns.items()}
        rows = 1
        if i + 1 < len(table.rows):
            below = table.rows[i + 1]
            below_roles = _roles(below)
            filled = [c for c in below.cells if c]
            if filled and all(role_of(c) for c in filled):
                for role, c in below_roles.items():
                    if role not in columns or role in ("self", "appraisal", "survey", "max"):
                        columns[role] = c
                        headers[role] = below.cells[c]
                rows = 2
        return Layout(columns, rows, i, headers)
    return None


def _roles(row: Row) -> dict[str, int]:
    """role -> column, for the first column of each role in a row of headers."""
    out: dict[str, int] = {}
    for c, cell in enumerate(row.cells):
        role = role_of(cell) if len(cell) < 80 else None
        if role and role not in out:
            out[role] = c
    return out


def is_numbering_row(row: Row) -> bool:
    """The row of column numbers under a header: (1) (2) (3) or 1 2 3 4."""
    cells = [c for c in row.cells if c]
    return len(cells) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?|[A-Z]", c) for c in cells)


def is_header_again(row: Row, layout: Layout) -> bool:
    """A header repeated at the top of a page or a continuation table."""
    return all(role_of(row.cells[c]) == role for role, c in layout.columns.items() if c < len(row.cells))
