"""The one result model every reporter reads (the JSON contract of `cchc score`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from rules.spec import Status


class CriterionResult(BaseModel):
    code: str
    title: str
    area: str
    kind: str
    max_points: float
    points: float
    status: Status
    explanation: str
    reference: str
    evidence: dict[str, Any]
    outcome: str
    fix: str = ""  # what would earn the lost points, when points were lost
    recoverable: float = 0.0  # points the fix would win back (a deduction: what it took)
    deadline: str | None = None
    warnings: list[str] = []


class AreaScore(BaseModel):
    code: str
    title: str
    points: float
    max_points: float


class GroupScore(AreaScore):
    """Subtotal of any group node (area or criterion with sub-criteria), for report tables."""

    depth: int  # 0 for an area


class UnitScore(BaseModel):
    unit_id: str
    unit_name: str
    unit_type: str
    year: int
    points: float
    max_points: float
    index: float | None
    band: str | None
    rank: int | None = None
    areas: list[AreaScore]
    criteria: list[CriterionResult]
    groups: list[GroupScore] = []
    source: str = ""
    warnings: list[str] = []


class CatalogInfo(BaseModel):
    id: str
    version: str
    year: int
    title: str = ""
    framework: str = ""


class ScoreRun(BaseModel):
    catalog: CatalogInfo
    units: list[UnitScore]
    errors: list[str] = []  # units that could not be scored, with why

    def unit(self, unit_id: str) -> UnitScore:
        return next(u for u in self.units if u.unit_id == unit_id)

    @property
    def unit_ids(self) -> set[str]:
        return {u.unit_id for u in self.units}


@dataclass
class Summary:
    """A unit's totals without its criteria: what a streamed run keeps in memory to rank."""

    unit_id: str
    unit_name: str
    unit_type: str
    points: float
    max_points: float
    index: float | None
    band: str | None
    rank: int | None = None

    @classmethod
    def of(cls, s: UnitScore) -> Summary:
        return cls(s.unit_id, s.unit_name, s.unit_type, s.points, s.max_points, s.index, s.band)
