"""The catalog (bộ tiêu chí): a dated tree of areas → criteria → sub-criteria, read from YAML."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Union

from pydantic import Field, ValidationError

from rules.errors import InputError, Problem, pydantic_message
from rules.kinds import Leaf, node_union
from rules.spec import AnnexNote, Interval, LeafBase, Strict
from rules.yamlio import Lines, line_of

FIELD_TYPES = ("document", "date", "count", "percent", "yes_no", "choice")
CATALOG_MESSAGES = {
    "extra_forbidden": "khóa không được hỗ trợ ở vị trí này (sai tên tham số, hoặc giá trị có dấu phẩy cần đặt trong "
    "ngoặc kép)"
}


if TYPE_CHECKING:
    Node = Union["Group", Leaf]  # noqa: UP007
else:
    Node = node_union("Group")


class Group(Strict):
    """An area (lĩnh vực) or criterion (tiêu chí) holding other nodes."""

    code: str = Field(min_length=1)
    title: str = Field(min_length=1)
    max_points: float = Field(ge=0)
    children: list[Node] = Field(min_length=1)
    review: bool = False
    annex: AnnexNote | None = None


Group.model_rebuild()


class FieldSpec(Strict):
    """An evidence field a unit fills in: the rows of the Excel template."""

    label: str = Field(min_length=1)
    type: Literal["document", "date", "count", "percent", "yes_no", "choice"]
    unit: str = ""  # đơn vị tính
    options: dict[str, str] = {}  # choice: value -> Vietnamese label
    help: str = ""
    # For `cchc extract`: the phrases that introduce this field in a unit's report, and for a
    # document the ký hiệu codes it carries (KH, BC, QĐ). See evidence/extract.py.
    find: list[str] = []
    codes: list[str] = []


class SumAtMost(Strict):
    """Cross-field check: the sum of `parts` may not exceed `total` (on time + late ≤ received)."""

    parts: list[str] = Field(min_length=1)
    total: str
    message: str = ""


class Band(Interval):
    """Xếp loại: a named range of the index."""

    name: str = Field(min_length=1)


class UnitGroup(Strict):
    """Like units, ranked together (khối quản lý nhà nước, bệnh viện, ...)."""

    label: str = Field(min_length=1)
    unit_types: list[str] = Field(min_length=1)


class YearRange(Strict):
    """The assessment years a catalog scores."""

    from_: int = Field(alias="from", ge=2000, le=2100)
    until: int = Field(ge=2000, le=2100)


class IssuingDecision(Strict):
    """The Sở's decision that issues the catalog (whose rules these are): cited first in every
    explanation. A Sở fills its number and date; until then they print as placeholders."""

    number: str = "…/QĐ-SYT"
    date: dt.date | None = None
    by: str = "Giám đốc Sở Y tế"
    title: str = ""

    def __str__(self) -> str:
        when = f"ngày {self.date:%d/%m/%Y}" if self.date else "ngày … tháng … năm …"
        return f"Quyết định số {self.number} {when} của {self.by}"  # the title is for the header, not each citation


class Catalog(Strict):
    id: str = Field(min_length=1, pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    title: str = Field(min_length=1)
    framework: str = Field(min_length=1)
    year: int = Field(ge=2000, le=2100)  # the assessment year this catalog was resolved for
    years: YearRange  # every year the catalog's file scores
    decision: IssuingDecision | None = None
    version: str = Field(min_length=1)
    valid_from: dt.date
    valid_to: dt.date
    max_points: float = Field(gt=0)
    unit_types: dict[str, str] = Field(min_length=1)  # id -> Vietnamese label
    bands: list[Band] = Field(min_length=1)
    groups: dict[str, UnitGroup] = {}  # none: every unit in one ranking
    fields: dict[str, FieldSpec] = {}
    checks: list[SumAtMost] = []
    areas: list[Group] = Field(min_length=1)
    # Read from an annex by `cchc rules import`: what is still to decide about the whole catalog.
    review: list[str] = []
    annex: AnnexNote | None = None

    # Where it came from, for messages and traceability; not part of the YAML.
    source: str = Field("", exclude=True)
    lines: Any = Field(default_factory=dict, exclude=True, repr=False)  # path -> line, looked up on error

    def walk(self) -> Iterator[tuple[tuple, Node, Group]]:
        """Every node below the areas with its YAML path and its area, depth first."""

        def visit(node: Node, path: tuple, area: Group) -> Iterator[tuple[tuple, Node, Group]]:
            yield path, node, area
            for i, child in enumerate(getattr(node, "children", [])):
                yield from visit(child, path + ("children", i), area)

        for i, area in enumerate(self.areas):
            yield from visit(area, ("areas", i), area)

    @cached_property
    def leaves(self) -> list[Leaf]:
        return [n for _, n, _ in self.walk() if not isinstance(n, Group)]

    @cached_property
    def area_of(self) -> dict[str, str]:
        return {n.code: a.code for _, n, a in self.walk()}

    @cached_property
    def leaf(self) -> dict[str, Leaf]:
        return {leaf.code: leaf for leaf in self.leaves}

    @cached_property
    def dated_until(self) -> dict[str, dt.date]:
        """Per document field, the last date a document for this assessment year may bear: the end
        of the year, or a later deadline or late window the catalog sets for it (thi đua in January)."""
        out: dict[str, dt.date] = {}
        for leaf in self.leaves:
            for field, last in leaf.date_limits().items():
                out[field] = max(out.get(field, last), last)
        year_end = dt.date(self.year, 12, 31)
        return {f: max(out.get(f, year_end), year_end) for f in self.fields}

    def leaf_for(self, code: str, unit_type: str | None) -> Leaf:
        """The criterion `code` as an inspector or a unit may score it by hand for a unit of
        `unit_type` (None: type unknown, not checked); ValueError, in words, when there is no such
        criterion or it does not apply to that type: its points are in neither total."""
        leaf = self.leaf.get(code)
        if leaf is None:
            raise ValueError(f"không có tiêu chí mã '{code}' trong {self.id}")
        if unit_type is not None and not leaf.applies(unit_type):
            label = self.unit_types.get(unit_type, unit_type)
            raise ValueError(f"tiêu chí {code} không áp dụng cho loại đơn vị «{label}»: không chấm điểm tiêu chí này")
        return leaf

    def basis(self, leaf: LeafBase) -> str:
        """Căn cứ of a criterion: the Sở's decision first, then the plan or law it comes from, then
        the references of its dated values in force."""
        decision = [decision_citation(str(self.decision), leaf.code)] if self.decision else []
        return "; ".join([*decision, str(leaf.reference), *leaf.cited])

    def group_of(self, unit_type: str) -> str:
        return next((g for g, spec in self.groups.items() if unit_type in spec.unit_types), "")

    def band(self, index: float | None) -> str | None:
        if index is None:
            return None
        return next((b.name for b in self.bands if b.contains(index)), None)

    def where(self, path: tuple) -> str | None:
        line = line_of(self.lines, path)
        return f"dòng {line}" if line else None


def decision_citation(decision: str, code: str) -> str:
    """How a criterion cites the Sở's decision first in its "Căn cứ"."""
    return f"{decision} (tiêu chí {code})"


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
