"""The records a unit's evidence becomes once read and checked against a catalog."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Unit(Record):
    """Đơn vị: a hospital, health centre, Chi cục or the department's office."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1)
    type: str = Field(min_length=1)
    parent: str | None = None
    year: int


class Document(Record):
    """A văn bản given as evidence: số ký hiệu, issue date, issuer, title, file or link."""

    date: dt.date
    number: str = ""  # số ký hiệu, e.g. "01a/KH-SYT"
    issuer: str = ""
    title: str = ""
    file: str = ""


class ManualScore(Record):
    """A score entered by a person (chấm thủ công); the reason is required."""

    points: float = Field(ge=0)
    reason: str = Field(min_length=1)
    by: str = ""


class UnitEvidence(Record):
    """One unit and its checked evidence: values typed by the catalog's field declarations."""

    unit: Unit
    values: dict[str, Any] = {}  # field id -> int | float | bool | str | date | Document
    manual: dict[str, ManualScore] = {}  # leaf code -> score
    not_applicable: dict[str, str] = {}  # leaf code -> reason given by the unit
    source: str = ""  # the file it came from
    warnings: list[str] = []
