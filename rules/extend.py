"""Catalogs that extend catalogs: a province's own set is a short file over a bundled one.

    id: syt-quang-tri-2026
    extends: syt-2026            # a bundled id, or a file beside this one
    title: ...                   # any top-level key replaces the base's (fields, unit_types and
                                 # groups are merged key by key)
    remove: ["3.1.3"]            # criteria (or areas) dropped, by code
    override:                    # merged into the criterion: mappings key by key, the rest replaced
      "8.1": {params: {gte: 85}}
    add:                         # new criteria under a group, by the group's code ("areas": a new area)
      "7": [{code: "7.6", title: ..., max_points: 1, kind: binary, ...}]

Whatever the extension leaves inconsistent (maxima that no longer add up, a duplicate code) is
found by the same checks as any catalog, located on the extension's own lines.
"""

from __future__ import annotations

import copy
from typing import Any

from rules.errors import Problem
from rules.yamlio import Lines

EXTENSION_KEYS = ("extends", "remove", "override", "add")
MERGED_KEYS = ("fields", "unit_types", "groups")


def merge(base: dict, ext: dict, lines: Lines, source: str) -> tuple[dict, dict[str, int], list[Problem]]:
    """The base with the extension applied; the extension's line for each criterion it touched
    (by code); and what in the extension could not be applied."""
    out = copy.deepcopy(base)
    problems: list[Problem] = []
    touched: dict[str, int] = {}

    def problem(path: tuple, message: str) -> None:
        line = lines.get(path)
        problems.append(Problem(message, source, f"dòng {line}" if line else None))

    for key, value in ext.items():
        if key in EXTENSION_KEYS:
            continue
        if key in MERGED_KEYS and isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    base_id = base.get("id", "?")
    nodes = _index(out.get("areas") or [])
    for i, code in enumerate(_list(ext.get("remove"))):
        if str(code) not in nodes:
            problem(("remove", i), f"remove: không có tiêu chí mã '{code}' trong {base_id}")
            continue
        siblings, node, parent = nodes.pop(str(code))
        siblings.remove(node)
        touched.setdefault(parent, lines.get(("remove", i)) or 0)  # its maximum now lacks the removed one
    for code, patch in _mapping(ext.get("override")).items():
        if str(code) not in nodes:
            problem(("override", code), f"override: không có tiêu chí mã '{code}' trong {base_id}")
        elif not isinstance(patch, dict):
            problem(("override", code), f"override '{code}': cần một bảng (mapping) các khóa thay đổi")
        else:
            _deep_merge(nodes[str(code)][1], patch)
            touched[str(code)] = lines.get(("override", code)) or 0
    for parent, added in _mapping(ext.get("add")).items():
        target = out.get("areas") if parent == "areas" else nodes.get(str(parent), (None, {}, ""))[1].get("children")
        if not isinstance(target, list):
            problem(("add", parent), f"add: không có nhóm tiêu chí mã '{parent}' trong {base_id} để thêm vào")
            continue
        for j, node in enumerate(_list(added)):
            target.append(node)
            for code in _index([node]):
                touched[code] = lines.get(("add", parent, j)) or 0
    return out, touched, problems


def lines_of_merge(data: dict, touched: dict[str, int]) -> dict[tuple, int | None]:
    """Lines of a merged (and year-resolved) catalog: the extension's line for every criterion it
    touched, and for each group above one (where a changed maximum shows); none for the rest."""
    lines: dict[tuple, int | None] = {("areas",): None}

    def visit(node: Any, path: tuple) -> int | None:
        if not isinstance(node, dict):
            return None
        found = touched.get(str(node.get("code"))) or None
        for i, child in enumerate(node.get("children") or []):
            below = visit(child, path + ("children", i))
            found = found or below
        lines[path] = found
        for key in node:
            lines[path + (key,)] = found
        lines[path + ("children",)] = found
        return found

    for i, area in enumerate(data.get("areas") or []):
        visit(area, ("areas", i))
    return lines


def _index(nodes: list, parent: str = "") -> dict[str, tuple[list, dict, str]]:
    """code -> (the list holding it, the node, its parent's code), over a tree of nodes."""
    out: dict[str, tuple[list, dict, str]] = {}
    for node in nodes:
        if isinstance(node, dict) and "code" in node:
            out[str(node["code"])] = (nodes, node, parent)
            out.update(_index(node.get("children") or [], str(node["code"])))
    return out


def _deep_merge(target: dict, patch: dict) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}
