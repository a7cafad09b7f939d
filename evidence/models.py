"""The records a unit's evidence becomes once read and checked against a catalog."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from evidence.rounds import ROUNDS, RoundId

# A unit's id names its report files (<id>.html, …): it may not be the summary's name, nor a name
# Windows keeps for a device (con.html there is the console), in any letter case.
RESERVED_IDS = {"tong-hop", "con", "prn", "aux", "nul"} | {f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)}


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Unit(Record):
    """Đơn vị: a hospital, health centre, Chi cục or the department's office."""

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    name: str = Field(min_length=1)
    type: str = Field(min_length=1)
    parent: str | None = None
    year: int

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value.casefold() in RESERVED_IDS or value.strip(".") == "":
            raise ValueError(f"mã đơn vị «{value}» trùng tên tệp dành riêng của báo cáo; hãy đặt mã khác")
        return value


class Document(Record):
    """A văn bản given as evidence: số ký hiệu, issue date, issuer, title, file or link."""

    date: dt.date
    number: str = ""  # số ký hiệu, e.g. "01a/KH-SYT"
    issuer: str = ""
    title: str = ""
    file: str = ""


class Statement(Record):
    """What a report says was done, with no số, ngày of a document ("đã công bố hệ thống ISO"):
    shown as unverified, worth no points until the document is given."""

    statement: str = Field(min_length=1)


class ManualScore(Record):
    """A score entered by a person (chấm thủ công); the reason is required."""

    points: float = Field(ge=0)
    reason: str = Field(min_length=1)
    by: str = ""


class UnitEvidence(Record):
    """One unit and its checked evidence: values typed by the catalog's field declarations."""

    unit: Unit
    values: dict[str, Any] = {}  # field id -> int | float | bool | str | date | Document | Statement
    manual: dict[str, ManualScore] = {}  # leaf code -> score
    not_applicable: dict[str, str] = {}  # leaf code -> reason given by the unit
    survey: dict[str, dict[str, int]] = {}  # question -> answer -> respondents, from the Sở's survey file
    source: str = ""  # the file it came from
    warnings: list[str] = []


# Appraisal (thẩm định): rounds of inspectors' scores, and the unit's explanation between them
# (evidence/rounds.py).


class AppraisedScore(Record):
    """An inspector's score for one criterion: points, or not applicable. A reason is required for
    a score that differs from the self-score (checked by scoring.inspection.appraised, which knows it) and for
    not applicable; confirming the self-score needs none."""

    points: float | None = None
    status: Literal["not_applicable"] | None = None
    reason: str = ""
    evidence: str = ""  # what the inspector looked at


class ExplanationNote(Record):
    text: str = Field(min_length=1)
    evidence: str = ""  # supplementary evidence the unit added


class Round(Record):
    round: RoundId
    by: str = Field(min_length=1)
    date: dt.date | None = None
    scores: dict[str, AppraisedScore] = {}
    notes: dict[str, ExplanationNote] = {}


class AppraisalRecord(Record):
    unit_id: str = Field(min_length=1)
    rounds: list[Round] = Field(min_length=1)
    source: str = ""
    places: dict[str, str] = {}  # "round index/code" -> where that score is in the source ("dòng 12")

    def latest(self) -> dict[str, tuple[Round, AppraisedScore]]:
        """Per criterion, the score of the latest appraisal round that gives one."""
        out: dict[str, tuple[Round, AppraisedScore]] = {}
        for rnd in sorted(self.rounds, key=lambda r: ROUNDS.index(r.round)):
            for code, score in rnd.scores.items():
                out[code] = (rnd, score)
        return out
