"""Finding and loading a catalog: a bundled id or a file, read, validated and checked."""

from __future__ import annotations

from pathlib import Path

from rules.catalog import Catalog, parse_catalog
from rules.checks import check_catalog
from rules.errors import InputError, Problem
from rules.yamlio import load_yaml

BUNDLED = Path(__file__).parent / "catalogs"


def resolve(name: str | Path | None) -> Path:
    """A catalog id (bundled) or a file path; None means the newest bundled catalog."""
    if name is None:
        bundled = sorted(BUNDLED.glob("*.yaml"))
        if not bundled:
            raise InputError("không có bộ tiêu chí nào đi kèm")
        return max(bundled, key=lambda p: (_year_of(p), p.name))
    path = Path(name)
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


def load_catalog(name: str | Path | None = None) -> Catalog:
    """Read, validate and check a catalog; a catalog with any problem never scores anything."""
    path = resolve(name)
    data, lines = load_yaml(path)
    catalog = parse_catalog(data, str(path), lines)
    problems = check_catalog(catalog)
    if problems:
        raise InputError(problems)
    return catalog
