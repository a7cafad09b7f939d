"""An annex's criteria table read into a tree: areas, criteria, sub-criteria, each with its maximum,
the tiers that say how its points are given, its place in the file and the text it was read from.
Nothing here is fatal: what could not be read is a problem listed at its place."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rules.annex.layout import Layout, find_layout, is_header_again, is_numbering_row
from rules.annex.tables import Document, Row
from rules.annex.words import Code, Tier, code, fold, points, split_code, tier, tier_lines

EPS = 1e-9


@dataclass
class Node:
    label: str  # the code as the annex writes it ("II", "1.2", "a"; "" for none)
    style: tuple
    title: str
    max_points: float | None
    place: str
    quote: list[str] = field(default_factory=list)  # the rows it was read from, as written
    tiers: list[Tier] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how it is scored, in words, where not tiers
    evidence: list[str] = field(default_factory=list)  # tài liệu kiểm chứng
    survey: bool = False  # scored by the Sở's survey (ĐT XHH)
    problems: list[str] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    code: str = ""

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Annex:
    """What was read: the tree, and what a person checks about the reading itself."""

    path: str
    heading: list[str]
    areas: list[Node]
    columns: dict[str, str]  # role -> header as written
    total: float | None  # the "Tổng cộng" row's maximum, when there is one
    rows_read: int
    problems: list[tuple[str, str]]  # (place, message) about the file rather than a criterion


def read_annex(document: Document) -> Annex:
    root = Node("", ("root",), "", None, document.path)
    heading = list(document.heading)
    stack: list[Node] = [root]
    problems: list[tuple[str, str]] = []
    layout: Layout | None = None
    total: float | None = None
    rows_read = 0
    for table in document.tables:
        found = find_layout(table)
        if found is not None:
            if layout is None:  # rows above the first header: the annex's title, its decision
                heading += [" ".join(c for c in r.cells if c) for r in table.rows[: found.at] if any(r.cells)]
            layout, rows = found, table.rows[found.at + found.header_rows :]
        elif layout is not None and table.rows and len(table.rows[0].cells) >= max(layout.columns.values()) + 1:
            rows = table.rows  # a table continuing the one before (a page break in Word)
        else:
            problems.append((table.name, "bảng không có dòng tiêu đề (STT, tiêu chí, điểm tối đa): bỏ qua"))
            continue
        for row in rows:
            if not any(row.cells) or is_numbering_row(row) or is_header_again(row, layout):
                continue
            rows_read += 1
            outcome = _read_row(row, layout, stack, problems)
            if outcome is not None:
                total = outcome
    if layout is None:
        problems.append((document.path, "không tìm thấy bảng tiêu chí: cần cột tiêu chí (nội dung) và cột điểm"))
    areas = root.children
    _tiers_from_children(root)
    _number(areas)
    _check(areas, problems)
    columns = dict(layout.headers) if layout else {}
    return Annex(document.path, heading, areas, columns, total, rows_read, problems)


def _cell(row: Row, layout: Layout, role: str) -> str:
    c = layout.columns.get(role)
    return row.cells[c] if c is not None and c < len(row.cells) else ""


def _read_row(row: Row, layout: Layout, stack: list[Node], problems: list[tuple[str, str]]) -> float | None:
    """One row into the tree; the maximum of a total row ("Tổng cộng"), else None."""
    code_cell, title = _cell(row, layout, "code"), _cell(row, layout, "title")
    max_cell = _cell(row, layout, "max")
    found: Code | None = code(code_cell) if code_cell else None
    if code_cell and found is None and not title:  # a heading merged across the row: "I. CÔNG TÁC ..."
        title = code_cell
    if found is None:
        found, title = split_code(title)
    if re.fullmatch(r"(?:tong cong|tong|cong|tong so)(?: diem)?(?: toi da)?(?: \(.*\))?:?", fold(title)):
        return points(max_cell)
    maximum = points(max_cell) if max_cell else None
    unread = max_cell and maximum is None and not tier(max_cell)
    if unread and (found is None or found.style == ("bullet",)):
        problems.append((row.place, f"điểm tối đa «{max_cell}» không đọc được thành số"))
    survey_cell = _cell(row, layout, "survey")
    survey_points = points(survey_cell) if survey_cell else None
    current = stack[-1]
    if found is None or found.style == ("bullet",):
        _add_to(current, row, title, maximum, layout)
        return None
    head, tiers = _title_and_tiers(title)
    node = Node(
        found.label,
        found.style,
        head,
        maximum if maximum is not None else survey_points,
        row.place,
        [row.text()],
        survey=bool(survey_cell) and (survey_points is not None or fold(survey_cell) in ("x", "co", "v", "✓")),
    )
    node.tiers += tiers
    if unread:
        node.problems.append(f"điểm tối đa «{max_cell}» không đọc được thành số")
    _method_and_evidence(node, row, layout)
    _place(node, stack)
    return None


def _title_and_tiers(cell: str) -> tuple[str, list[Tier]]:
    """A criterion's title and the tiers written in the same cell, on their own lines or after it:
    "Tuyên truyền: Hoàn thành đầy đủ: 1; Một phần: 0,5; Không thực hiện: 0"."""
    head: list[str] = []
    tiers: list[Tier] = []
    for line in tier_lines(cell):
        t = tier(line)
        if t is None:
            head.append(line)
            continue
        lead, colon, rest = t.text.partition(":")
        if colon and not tiers and rest.strip():  # the title, then the first tier
            head.append(lead)
            t = Tier(rest.strip(), t.points)
        tiers.append(t)
    title = _join(head)
    if not title and tiers:  # a cell that is only tiers: the first names the criterion
        title = cell.replace("\n", " ")
    return title, tiers


def _add_to(node: Node, row: Row, title: str, maximum: float | None, layout: Layout) -> None:
    """A row without a code: a tier of the criterion above (its points in the points column or in
    the text), the rest of its wrapped title, or a note on how it is scored."""
    node.quote.append(row.text())
    if not title and not maximum:
        _method_and_evidence(node, row, layout)
        return
    text = title.replace("\n", " ").strip().lstrip("-+•*–").strip()
    if maximum is not None and text:
        node.tiers.append(Tier(text.rstrip(":"), maximum))
    elif any(tier(line) for line in tier_lines(title)):
        for line in tier_lines(title):
            t = tier(line)
            if t is not None:
                node.tiers.append(t)
            elif line.strip():
                node.notes.append(line.strip())
    elif node.title and not node.tiers and _continues(node.title, text):
        node.title = f"{node.title} {text}"
    elif text:
        node.notes.append(text)
    _method_and_evidence(node, row, layout)


def _continues(title: str, text: str) -> bool:
    """Is `text` the rest of a title wrapped onto the next row?"""
    return text[:1].islower() or title.rstrip()[-1:] in (",", "-", "(") or fold(title).split()[-1] in _JOINERS


_JOINERS = {"va", "cua", "cho", "theo", "tai", "ve", "voi", "tren", "trong", "duoc", "cac", "nhung", "hoac"}


def _method_and_evidence(node: Node, row: Row, layout: Layout) -> None:
    for line in tier_lines(_cell(row, layout, "method")):
        t = tier(line)
        if t is not None:
            node.tiers.append(t)
        else:
            node.notes.append(line)
    evidence = _cell(row, layout, "evidence")
    if evidence:
        node.evidence.append(evidence.replace("\n", "; "))


def _join(lines: list[str]) -> str:
    return " ".join(line.strip() for line in lines if line.strip())


def _place(node: Node, stack: list[Node]) -> None:
    """A code of a style already open closes what is below it (a sibling); a new style opens a level."""
    styles = [n.style for n in stack]
    if node.style in styles:
        del stack[styles.index(node.style) :]
    parent = stack[-1]
    if node.style[0] == "dotted" and node.style[1] > 1 and parent.style[0] == "dotted":
        if not node.label.startswith(parent.label + "."):
            node.problems.append(f"mã {node.label} nằm dưới {parent.label}: sai thứ tự hoặc thiếu dòng")
    siblings = parent.children
    if siblings and not _follows(siblings[-1].label, node.label):
        node.problems.append(f"mã {node.label} sau {siblings[-1].label}: không liền số thứ tự")
    siblings.append(node)
    stack.append(node)


_ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]


def _follows(before: str, after: str) -> bool:
    if before in _ROMANS and after in _ROMANS:
        return _ROMANS.index(after) == _ROMANS.index(before) + 1
    if re.fullmatch(r"[\d.]+", before) and re.fullmatch(r"[\d.]+", after):
        a, b = before.split("."), after.split(".")
        return len(a) == len(b) and a[:-1] == b[:-1] and int(b[-1]) == int(a[-1]) + 1
    if len(before) == len(after) == 1 and before.isalpha():
        return ord(after) == ord(before) + 1 or (before, after) == ("d", "đ") or (before, after) == ("đ", "e")
    return True


def _tiers_from_children(node: Node) -> None:
    """Lettered rows under a criterion that are exclusive ways of scoring it (Đúng hạn: 1 / Chậm: 0,5
    / Không ban hành: 0) are its tiers, not sub-criteria: one of them is 0, or they do not add up
    to the maximum while the best equals it."""
    for child in node.children:
        _tiers_from_children(child)
    kids = node.children
    if not kids or node.max_points is None or any(k.children or k.tiers for k in kids):
        return
    if not all(k.style in (("letter",), ("bullet",)) and k.max_points is not None for k in kids):
        return
    values = [k.max_points for k in kids if k.max_points is not None]
    exclusive = (min(values) == 0 or abs(sum(values) - node.max_points) > EPS) and abs(
        max(values) - node.max_points
    ) <= EPS
    if exclusive:
        node.tiers = [Tier(k.title, k.max_points or 0) for k in kids]
        node.quote += [q for k in kids for q in k.quote]
        node.children = []


def _number(nodes: list[Node], parent: Node | None = None) -> None:
    """Catalog codes: the annex's own where they already say the path (1, 1.1, 1.1.1), else the
    parent's code and the label (I, I.1, I.1.a)."""
    for n, node in enumerate(nodes, 1):
        label = node.label if node.style != ("bullet",) else str(n)
        if parent is None or label.startswith(parent.code + "."):
            node.code = label
        else:
            node.code = f"{parent.code}.{label.rsplit('.', 1)[-1]}"
        _number(node.children, node)


def _check(areas: list[Node], problems: list[tuple[str, str]]) -> None:
    seen: dict[str, Node] = {}
    for area in areas:
        for node in area.walk():
            if node.code in seen:
                node.problems.append(f"mã {node.code} trùng với mã ở {seen[node.code].place}")
                node.code = f"{node.code}-{node.place.rsplit(' ', 1)[-1]}"
            seen[node.code] = node
        _maxima(area)


def _maxima(node: Node) -> None:
    """A missing maximum is the sum of the parts, said so; parts that do not add up are said too."""
    for child in node.children:
        _maxima(child)
    parts = [c.max_points for c in node.children if c.max_points is None or c.max_points >= 0]  # not deductions
    known = [p for p in parts if p is not None]
    if node.max_points is None:
        if node.children and len(known) == len(parts):
            node.max_points = sum(known)
            node.problems.append(f"thiếu điểm tối đa: lấy tổng các tiêu chí con ({node.max_points:g})")
        else:
            node.problems.append("thiếu điểm tối đa")
    elif node.children and len(known) == len(parts) and abs(sum(known) - node.max_points) > EPS:
        node.problems.append(f"tổng điểm tối đa các tiêu chí con là {sum(known):g}, khác {node.max_points:g}")
