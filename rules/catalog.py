"""The catalog (bộ tiêu chí): a dated tree of areas → criteria → sub-criteria, read from YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from rules.errors import InputError, Problem, pydantic_message
from rules.kinds import Leaf, node_union
from rules.spec import Interval, LeafBase, Strict
from rules.yamlio import Lines, line_of, load_yaml

FIELD_TYPES = ("document", "date", "count", "percent", "yes_no", "choice")
BUNDLED = Path(__file__).parent / "catalogs"
CATALOG_MESSAGES = {
    "extra_forbidden": "khóa không được hỗ trợ ở vị trí này (sai tên tham số, hoặc giá trị có dấu phẩy cần đặt trong "
    "ngoặc kép)"
}


Node = node_union("Group")


class Group(Strict):
    """An area (lĩnh vực) or criterion (tiêu chí) holding other nodes."""

    code: str = Field(min_length=1)
    title: str = Field(min_length=1)
    max_points: float = Field(ge=0)
    children: list[Node] = Field(min_length=1)  # type: ignore[valid-type]


Group.model_rebuild()


class FieldSpec(Strict):
    """An evidence field a unit fills in: the rows of the Excel template."""

    label: str = Field(min_length=1)
    type: Literal["document", "date", "count", "percent", "yes_no", "choice"]
    unit: str = ""  # đơn vị tính
    options: dict[str, str] = {}  # choice: value -> Vietnamese label
    help: str = ""


class SumAtMost(Strict):
    """Cross-field check: the sum of `parts` may not exceed `total` (on time + late ≤ received)."""

    parts: list[str] = Field(min_length=1)
    total: str
    message: str = ""


class Band(Interval):
    """Xếp loại: a named range of the index."""

    name: str = Field(min_length=1)


class Catalog(Strict):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str = Field(min_length=1)
    framework: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)
    version: str = Field(min_length=1)
    valid_from: dt.date
    valid_to: dt.date
    max_points: float = Field(gt=0)
    unit_types: dict[str, str] = Field(min_length=1)  # id -> Vietnamese label
    bands: list[Band] = Field(min_length=1)
    fields: dict[str, FieldSpec] = {}
    checks: list[SumAtMost] = []
    areas: list[Group] = Field(min_length=1)

    # Where it came from, for messages and traceability; not part of the YAML.
    source: str = Field("", exclude=True)
    lines: dict[tuple, int] = Field(default_factory=dict, exclude=True, repr=False)

    def walk(self) -> Iterator[tuple[tuple, Group | LeafBase, Group]]:
        """Every node below the areas with its YAML path and its area, depth first."""

        def visit(node: Group | LeafBase, path: tuple, area: Group) -> Iterator:
            yield path, node, area
            for i, child in enumerate(getattr(node, "children", [])):
                yield from visit(child, path + ("children", i), area)

        for i, area in enumerate(self.areas):
            yield from visit(area, ("areas", i), area)

    @cached_property
    def leaves(self) -> list[Leaf]:
        return [n for _, n, _ in self.walk() if isinstance(n, LeafBase)]

    @cached_property
    def area_of(self) -> dict[str, str]:
        return {n.code: a.code for _, n, a in self.walk()}

    @cached_property
    def leaf(self) -> dict[str, Leaf]:
        return {leaf.code: leaf for leaf in self.leaves}

    def band(self, index: float | None) -> str | None:
        if index is None:
            return None
        return next((b.name for b in self.bands if b.contains(index)), None)

    def where(self, path: tuple) -> str | None:
        line = line_of(self.lines, path)
        return f"dòng {line}" if line else None


def parse_catalog(data: Any, source: str, lines: Lines | None = None) -> Catalog:
    """Validate the structure; semantic checks are in rules.checks."""
    lines = lines or {}
    if not isinstance(data, dict):
        raise InputError(Problem("catalog phải là một bảng (mapping) YAML", source))
    try:
        return Catalog.model_validate({**data, "source": source, "lines": lines})
    except ValidationError as e:
        problems = []
        for err in e.errors():
            line = line_of(lines, err["loc"])
            field = ".".join(str(p) for p in err["loc"])
            problems.append(
                Problem(pydantic_message(err, CATALOG_MESSAGES), source, f"dòng {line}" if line else None, field)
            )
        raise InputError(problems) from None


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
    from rules.checks import check_catalog

    path = resolve(name)
    data, lines = load_yaml(path)
    catalog = parse_catalog(data, str(path), lines)
    problems = check_catalog(catalog)
    if problems:
        raise InputError(problems)
    return catalog
