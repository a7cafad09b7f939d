"""Catalog checks (`cchc rules check`): a catalog with any problem here never scores anything."""

from __future__ import annotations

from collections.abc import Sequence
from string import Template

from rules.catalog import Catalog, Group
from rules.errors import Problem
from rules.spec import COMMON_VARS, Interval, LeafBase

EPS = 1e-9


def check_catalog(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: tuple, message: str, field: str | None = None) -> None:
        problems.append(Problem(message, catalog.source, catalog.where(path), field))

    if catalog.valid_from > catalog.valid_to:
        add(("valid_from",), "valid_from phải trước valid_to")
    total = sum(a.max_points for a in catalog.areas)
    if abs(total - catalog.max_points) > EPS:
        add(("max_points",), f"tổng điểm tối đa các lĩnh vực là {total:g}, khác max_points = {catalog.max_points:g}")
    for message in coverage(catalog.bands, high=100.0):
        add(("bands",), f"xếp loại: {message}")
    if catalog.groups:
        for unit_type in catalog.unit_types:
            homes = [g for g, spec in catalog.groups.items() if unit_type in spec.unit_types]
            if len(homes) != 1:
                add(("groups",), f"loại đơn vị '{unit_type}' phải thuộc đúng một nhóm xếp hạng (đang ở {len(homes)})")
        for g, spec in catalog.groups.items():
            for unit_type in spec.unit_types:
                if unit_type not in catalog.unit_types:
                    add(("groups", g), f"nhóm {g}: loại đơn vị '{unit_type}' không có trong unit_types")
    for i, check in enumerate(catalog.checks):
        for name in check.parts + [check.total]:
            if catalog.fields.get(name) is None or catalog.fields[name].type != "count":
                add(("checks", i), f"kiểm tra chéo dùng '{name}': không phải trường số đếm (count) đã khai báo")

    for i, item in enumerate(catalog.review):
        add(("review", i), f"cần quyết định: {item}")
    if catalog.annex:
        for i, message in enumerate(catalog.annex.problems):
            add(("annex", "problems", i), f"phụ lục: {message}")
    seen: dict[str, tuple] = {}
    for path, node, _ in catalog.walk():
        problems.extend(_review_problems(catalog, node, path))
        if node.code in seen:
            add(path + ("code",), f"mã '{node.code}' bị trùng (đã dùng ở {catalog.where(seen[node.code]) or '?'})")
        seen.setdefault(node.code, path)
        if isinstance(node, Group):
            problems.extend(_check_alternatives(catalog, node, path))
            parts = sum(c.max_points for c in node.children if getattr(c, "alternative_to", None) is None)
            if abs(parts - node.max_points) > EPS:
                add(
                    path + ("max_points",),
                    f"{node.code}: tổng điểm tối đa các tiêu chí con là {parts:g}, khác {node.max_points:g}",
                )
        else:
            problems.extend(_check_leaf(catalog, node, path))
    return problems


def _review_problems(catalog: Catalog, node: Group | LeafBase, path: tuple) -> list[Problem]:
    """What an imported draft still asks a person to decide about this node."""
    out = []
    if node.review:
        proposal = f" (đề xuất: {node.annex.proposal})" if node.annex and node.annex.proposal else ""
        message = f"{node.code}: chưa xem lại{proposal}; xem xong thì bỏ 'review: true'"
        out.append(Problem(message, catalog.source, catalog.where(path + ("review",))))
    for i, message in enumerate(node.annex.problems if node.annex else []):
        where = catalog.where(path + ("annex", "problems", i))
        out.append(Problem(f"{node.code}: {message}", catalog.source, where))
    return out


def _check_alternatives(catalog: Catalog, group: Group, path: tuple) -> list[Problem]:
    """A leaf given as another's alternative scores the same thing for other unit types."""
    out: list[Problem] = []
    siblings = {c.code: c for c in group.children}
    for i, child in enumerate(group.children):
        other_code = getattr(child, "alternative_to", None)
        if other_code is None:
            continue
        where = catalog.where(path + ("children", i, "alternative_to"))
        other = siblings.get(other_code)
        if not isinstance(other, LeafBase) or other.alternative_to is not None or not isinstance(child, LeafBase):
            message = (
                f"{child.code}: alternative_to '{other_code}' phải là một tiêu chí cùng cấp (không phải phương án khác)"
            )
        elif abs(other.max_points - child.max_points) > EPS:
            message = f"{child.code}: điểm tối đa {child.max_points:g} khác {other_code} ({other.max_points:g})"
        elif "all" in child.applies_to or "all" in other.applies_to or set(child.applies_to) & set(other.applies_to):
            message = f"{child.code}: applies_to phải tách rời với {other_code} (mỗi loại đơn vị chấm một phương án)"
        else:
            continue
        out.append(Problem(message, catalog.source, where))
    return out


def _check_leaf(catalog: Catalog, leaf: LeafBase, path: tuple) -> list[Problem]:
    out: list[Problem] = []

    def add(message: str, sub: tuple = ()) -> None:
        out.append(Problem(f"{leaf.code}: {message}", catalog.source, catalog.where(path + sub)))

    for message, sub in leaf.own_problems({name: set(spec.options) for name, spec in catalog.fields.items()}):
        add(message, sub)
    for t in leaf.applies_to:
        if t != "all" and t not in catalog.unit_types:
            add(f"applies_to: loại đơn vị '{t}' không có trong unit_types", ("applies_to",))
    for name in leaf.not_applicable_if_zero:
        if catalog.fields.get(name) is None or catalog.fields[name].type != "count":
            add(
                f"not_applicable_if_zero dùng '{name}': không phải trường số đếm (count) đã khai báo",
                ("not_applicable_if_zero",),
            )
    for name, accepted in leaf.field_types().items():
        spec = catalog.fields.get(name)
        if spec is None:
            add(f"trường tài liệu kiểm chứng '{name}' chưa khai báo trong fields", ("params",))
        elif spec.type not in accepted:
            add(f"trường '{name}' kiểu {spec.type}, loại {leaf.kind} cần {' hoặc '.join(accepted)}", ("params",))
    outcome_ids = leaf.outcome_ids()
    for key in leaf.explain:
        if key not in outcome_ids:
            add(f"explain.{key}: không phải kết quả của loại {leaf.kind} ({', '.join(outcome_ids)})", ("explain",))
    for oid in outcome_ids:
        template = leaf.template(oid)
        unknown = set(Template(template).get_identifiers()) - COMMON_VARS - leaf.template_vars
        if not Template(template).is_valid() or unknown:
            add(
                f"mẫu giải thích '{oid}' dùng biến không có: {', '.join(sorted(unknown)) or 'cú pháp $ sai'}",
                ("explain",),
            )
    for outcome in leaf.outcomes():
        if outcome.points is not None and not 0 <= outcome.points <= leaf.max_points + EPS:
            add(f"kết quả '{outcome.id}' cho {outcome.points:g} điểm, ngoài [0, {leaf.max_points:g}]", ("params",))
    intervals = leaf.intervals()
    if intervals:
        for message in coverage(intervals):
            add(f"các khoảng tỷ lệ: {message}", ("params",))
        fixed = [o.points for o in leaf.outcomes() if o.points is not None]
        if fixed and abs(max(fixed) - leaf.max_points) > EPS:
            add(f"mức cao nhất cho {max(fixed):g} điểm, khác max_points = {leaf.max_points:g}", ("params",))
    return out


def coverage(intervals: Sequence[Interval], low: float = 0.0, high: float | None = None) -> list[str]:
    """Gaps and overlaps over [low, high], tested at every bound and between bounds.

    high=None means unbounded above: a ratio of two counts may pass 100 % (staff over quota).
    """
    inner = {b for i in intervals for b in (i.low, i.high) if b is not None and b > low and (high is None or b < high)}
    top = high if high is not None else max(inner | {100.0}) + 1
    bounds = sorted({low, top} | inner)
    probes = bounds + [(a + b) / 2 for a, b in zip(bounds, bounds[1:])] + ([1e12] if high is None else [])
    messages = []
    for x in sorted(probes):
        hits = sum(i.contains(x) for i in intervals)
        if hits == 0:
            messages.append(f"hở tại {x:g} % (không khoảng nào chứa)")
        elif hits > 1:
            messages.append(f"chồng lấn tại {x:g} % ({hits} khoảng cùng chứa)")
    return messages
