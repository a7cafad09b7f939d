"""Finding and loading a catalog: a bundled id or a file, read (with what it extends), turned into
the catalog of one assessment year, validated and checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rules.catalog import Catalog, parse_catalog
from rules.checks import check_catalog
from rules.dated import for_year, years_of
from rules.errors import InputError, Problem
from rules.extend import lines_of_merge, merge
from rules.yamlio import line_of, load_yaml

BUNDLED = Path(__file__).parent / "catalogs"
MAX_EXTENDS = 8  # a chain longer than this is a loop or a mistake


def resolve(name: str | Path | None, beside: Path | None = None) -> Path:
    """A catalog id (bundled) or a file path (relative to `beside` when given); None means the newest
    bundled catalog."""
    if name is None:
        bundled = sorted(BUNDLED.glob("*.yaml"))
        if not bundled:
            raise InputError("không có bộ tiêu chí nào đi kèm")
        return max(bundled, key=lambda p: (_year_of(p), p.name))
    path = Path(name)
    if beside is not None and not path.is_absolute() and (beside / path).exists():
        path = beside / path
    if path.suffix in (".yaml", ".yml") or path.exists():
        if not path.exists():
            raise InputError(Problem("không tìm thấy tệp bộ tiêu chí", str(path)))
        return path
    bundled_path = BUNDLED / f"{name}.yaml"
    if not bundled_path.exists():
        known = ", ".join(p.stem for p in sorted(BUNDLED.glob("*.yaml")))
        raise InputError(f"không có bộ tiêu chí '{name}'; có sẵn: {known}")
    return bundled_path


def _year_of(path: Path) -> int:
    digits = "".join(c if c.isdigit() else " " for c in path.stem).split()
    return max((int(d) for d in digits if len(d) == 4), default=0)


def read_catalog_data(path: Path, depth: int = 0) -> tuple[dict, Any, dict[str, int] | None]:
    """The catalog's data with what it extends applied; its lines; and, for an extension, the
    extension's line of every criterion it touched (None for a plain catalog)."""
    data, lines = load_yaml(path, aliases=True)  # a catalog may share parts with `<<:` merges
    if not isinstance(data, dict) or "extends" not in data:
        return data, lines, None
    if depth >= MAX_EXTENDS:
        raise InputError(Problem(f"chuỗi 'extends' quá dài (vòng lặp?) tại '{data['extends']}'", str(path)))
    base_path = resolve(str(data["extends"]), beside=path.parent)
    base, _, _ = read_catalog_data(base_path, depth + 1)  # lines are the extension's own
    merged, touched, problems = merge(base, data, lines, str(path))
    if problems:
        raise InputError(problems)
    return merged, lines, touched


def catalog_years(name: str | Path | None = None) -> tuple[int, int]:
    """The first and last year a catalog scores."""
    path = resolve(name)
    data, lines, _ = read_catalog_data(path)
    if not isinstance(data, dict):
        parse_catalog(data, str(path), lines)  # refused there, with the reason
    years = years_of(data)
    if years is None:
        raise InputError(Problem("thiếu 'years: {from: ..., until: ...}' (hoặc 'year')", str(path)))
    return years


def load_catalog(name: str | Path | None = None, year: int | None = None) -> Catalog:
    """Read, validate and check the catalog of one assessment year (default: the last year it
    covers); a catalog with any problem never scores anything."""
    path = resolve(name)
    data, lines, touched = read_catalog_data(path)
    if not isinstance(data, dict):
        return parse_catalog(data, str(path), lines)  # refused there, with the reason
    years = years_of(data)
    if years is None:
        raise InputError(Problem("thiếu 'years: {from: ..., until: ...}' (hoặc 'year')", str(path)))
    year = year or years[1]
    if not years[0] <= year <= years[1]:
        raise InputError(
            Problem(f"bộ tiêu chí {data.get('id')} chấm các năm {years[0]}–{years[1]}, không có năm {year}", str(path))
        )
    view = for_year(data, year)
    if touched is None:
        year_lines: Any = _YearLines(lines, view.source_path)
    else:
        year_lines = lines_of_merge(view.data, touched) | {(k,): lines.get((k,)) for k in data if (k,) in lines}
    if view.problems:
        raise InputError(
            [Problem(m, str(path), _where(year_lines, p if touched else view.source_path(p))) for p, m in view.problems]
        )
    _cite(view.data, view.cited)
    catalog = parse_catalog(view.data, str(path), year_lines)
    problems = check_catalog(catalog)
    if problems:
        raise InputError(problems)
    return catalog


def _where(lines: Any, path: tuple) -> str | None:
    line = line_of(lines, path)
    return f"dòng {line}" if line else None


def _cite(data: dict, cited: dict[str, list[str]]) -> None:
    """Give each criterion the references of its dated values (cited in its explanations)."""

    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if "kind" in node and str(node.get("code")) in cited:
            node["cited"] = cited[str(node["code"])]
        for child in node.get("children") or []:
            visit(child)

    for area in data.get("areas") or []:
        visit(area)


class _YearLines:
    """The YAML's lines, looked up by the paths of one year's data."""

    def __init__(self, lines: Any, source_path: Any):
        self._lines, self._source_path = lines, source_path

    def __contains__(self, path: object) -> bool:
        return isinstance(path, tuple) and self._source_path(path) in self._lines

    def get(self, path: tuple, default: Any = None) -> Any:
        return self._lines.get(self._source_path(path), default)


def load_every_year(name: str | Path | None = None) -> tuple[list[Catalog], list[Problem]]:
    """The catalog of each year it covers, and the problems of the years that do not load (each
    message prefixed with its year): what `cchc rules check` reports."""
    first, last = catalog_years(name)
    loaded: list[Catalog] = []
    problems: list[Problem] = []
    for year in range(first, last + 1):
        try:
            loaded.append(load_catalog(name, year))
        except InputError as e:
            problems += [type(p)(f"năm {year}: {p.message}", p.file, p.where, p.field) for p in e.problems]
    return loaded, problems


def load_catalog_at(name: str) -> Catalog:
    """'ID|FILE[@YEAR]' as the catalog of that year (the last it covers without one)."""
    base, at, year = name.rpartition("@")
    if not at or not year.isdigit():
        return load_catalog(name)
    return load_catalog(base, int(year))
