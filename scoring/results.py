"""The one result model every reporter reads (the JSON contract of `cchc score`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class CriterionResult(BaseModel):
    code: str
    title: str
    area: str
    kind: str
    max_points: float
    points: float
    status: str  # met | partial | not_met | not_applicable | missing_evidence | pending_manual
    explanation: str
    reference: str
    evidence: dict[str, Any]
    outcome: str
    fix: str = ""  # what would earn the lost points, when points were lost
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


class ScoreRun(BaseModel):
    catalog: CatalogInfo
    units: list[UnitScore]
    errors: list[str] = []  # units that could not be scored, with why
