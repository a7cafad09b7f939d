"""A catalog edited as data (the workspace's criteria editor): its YAML read into a tree, one
criterion changed, its problems found and put beside the criterion they belong to, the YAML written
back. The catalog is checked by the same code as `cchc rules check`."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from rules.annex.draft import catalog_yaml, nodes, tree
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.load import load_catalog, load_every_year

# What a person may change of a criterion in the editor; the rest of it is kept as it is.
EDITABLE = ("title", "max_points", "kind", "params", "applies_to", "reference", "fix", "deadline", "allow_na")


def read(text: str, source: str = "bộ tiêu chí") -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"dòng {mark.line + 1}" if mark else None
        raise InputError(Problem(f"YAML không hợp lệ: {getattr(e, 'problem', e)}", source, where)) from None
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise InputError(Problem("không phải bộ tiêu chí: cần một bảng YAML có 'areas'", source))
    return data


def write(data: dict[str, Any], source: str) -> str:
    note = f"# Bộ tiêu chí của Sở, soạn trong không gian làm việc{f' từ {source}' if source else ''}.\n"
    return note + catalog_yaml(data)


def node(data: dict[str, Any], code: str) -> dict[str, Any]:
    found = next((n for n in nodes(data) if str(n.get("code")) == code), None)
    if found is None:
        raise InputError(f"không có tiêu chí mã '{code}'")
    return found


def update(data: dict[str, Any], code: str, changes: dict[str, Any], reviewed: bool) -> None:
    """Change one criterion; `reviewed`: a person has checked it (its review mark and the problems
    listed from the annex are cleared)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    _apply(node(data, code), changes, reviewed)


CATALOG_KEYS = ("title", "decision", "years", "unit_types", "groups", "bands")


def update_catalog(data: dict[str, Any], changes: dict[str, Any], reviewed: bool) -> None:
    """Change what holds for the whole catalog (title, decision, years, unit types, groups, bands);
    `reviewed`: the decisions it asked for are taken (its review list and the annex's problems go)."""
    unknown = set(changes) - set(CATALOG_KEYS)
    if unknown:
        raise ValueError(", ".join(sorted(unknown)))
    _apply(data, changes, reviewed)


def _apply(target: dict[str, Any], changes: dict[str, Any], reviewed: bool) -> None:
    """Set each value (an empty one removes the key); a review mark and the annex's problems go
    once a person says it is reviewed."""
    for key, value in changes.items():
        if value in (None, "", [], {}):
            target.pop(key, None)
        else:
            target[key] = value
    if reviewed:
        target.pop("review", None)
        if isinstance(target.get("annex"), dict):
            target["annex"].pop("problems", None)


@contextmanager
def as_file(text: str) -> Iterator[Path]:
    """The catalog's text as a file the loader reads (it resolves years and lines from a file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bo-tieu-chi.yaml"
        path.write_text(text, encoding="utf-8")
        yield path


def check(text: str) -> list[Problem]:
    """Every problem of the catalog in every year it covers (none: it can score)."""
    with as_file(text) as path:
        try:
            _, problems = load_every_year(path)
        except InputError as e:
            problems = e.problems
    return [Problem(p.message, None, p.where, p.field) for p in problems]


def loaded(text: str) -> Catalog:
    """The catalog of the last year it covers; InputError when it cannot score."""
    with as_file(text) as path:
        return load_catalog(path)


_CODE = re.compile(r"^(?:năm \d{4}: )?(?P<code>[0-9A-Za-zĐđ.-]+): ")


def by_criterion(problems: list[Problem], data: dict[str, Any]) -> tuple[dict[str, list[str]], list[str]]:
    """Problems beside the criterion they name (by its code, or by the YAML path of the field);
    the rest are the catalog's."""
    codes = {str(n.get("code")) for n in nodes(data)}
    paths = _paths(data)
    mine: dict[str, list[str]] = {}
    rest: list[str] = []
    for p in problems:
        m = _CODE.match(p.message)
        code = m["code"] if m and m["code"] in codes else None
        if code is None and p.field:
            code = next((c for prefix, c in paths if p.field.startswith(prefix)), None)
        message = _CODE.sub("", p.message) if code and m and m["code"] == code else p.message
        if code:
            mine.setdefault(code, []).append(message)
        else:
            rest.append(str(p))
    return mine, rest


def _paths(data: dict[str, Any]) -> list[tuple[str, str]]:
    """(YAML path prefix, code) of every node, deepest first: 'areas.0.children.1.' -> '1.2'."""
    return sorted(((path + ".", str(n.get("code"))) for n, _, path in tree(data)), key=lambda pc: -len(pc[0]))
