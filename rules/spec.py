"""Building blocks shared by every catalog leaf: references, intervals, outcomes, observations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal, Protocol, get_args

from pydantic import BaseModel, ConfigDict, Field, model_validator

# What a unit's evidence says about one leaf, before the engine decides. UNVERIFIED: the unit says
# it was done but gives no số, ngày of the document (a statement, not evidence).
OK, MISSING, NA, UNVERIFIED = "ok", "missing", "na", "unverified"
Status = Literal["met", "partial", "not_met", "not_applicable", "missing_evidence", "unverified", "pending"]
STATUSES: tuple[Status, ...] = get_args(Status)
# Statuses that leave both points and maximum: not applicable, or not yet scored by those who score it.
OUT_OF_TOTAL: tuple[Status, ...] = ("not_applicable", "pending")


class Facts(Protocol):
    """What a leaf reads of a unit (evidence.models.UnitEvidence has these)."""

    values: dict[str, Any]  # evidence field -> typed value
    manual: dict[str, Any]  # leaf code -> score entered by a person (points, reason)
    survey: dict[str, dict[str, int]]  # survey question -> answer -> respondents (the Sở's survey)


# The ${names} every template may use, whatever the kind; each kind adds its own (template_vars).
COMMON_VARS = frozenset({"label", "fields", "reason"})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(Strict):
    """Căn cứ: the document (and article or target) a leaf's rule comes from."""

    document: str = Field(min_length=1)  # the legal basis: the law, decree or decision in force
    provision: str = ""  # its article or section
    # Where the number or deadline was taken from when it is not the law's own: a plan the target
    # follows ("chỉ tiêu tham khảo"), cited as such, never as the basis.
    target: str = ""
    note: str = ""

    def __str__(self) -> str:
        basis = ", ".join(p for p in (self.document, self.provision) if p)
        return f"{basis}; chỉ tiêu tham khảo: {self.target}" if self.target else basis


class AnnexNote(Strict):
    """Where a criterion was read from the Sở's decision annex (`cchc rules import`), what was
    proposed and what is still to decide. A catalog scores only when nothing is left to decide."""

    place: str = ""  # "bảng 1, dòng 12"
    text: str = ""  # the annex's rows, quoted
    proposal: str = ""  # the rule kind proposed, and why
    problems: list[str] = []  # what could not be read or does not add up: removed once decided


class Interval(Strict):
    """A range of a percentage, written with the operators durable_rules uses."""

    gte: float | None = None
    gt: float | None = None
    lte: float | None = None
    lt: float | None = None

    @model_validator(mode="after")
    def _one_bound_per_side(self) -> Interval:
        if self.gte is not None and self.gt is not None:
            raise ValueError("chỉ dùng một trong gte/gt")
        if self.lte is not None and self.lt is not None:
            raise ValueError("chỉ dùng một trong lte/lt")
        if (
            self.low is not None
            and self.high is not None
            and (
                self.low > self.high or (self.low == self.high and not (self.gte is not None and self.lte is not None))
            )
        ):
            raise ValueError(f"khoảng rỗng: {self.text()}")
        return self

    @property
    def low(self) -> float | None:
        return self.gte if self.gte is not None else self.gt

    @property
    def high(self) -> float | None:
        return self.lte if self.lte is not None else self.lt

    def conditions(self, prop: str = "v") -> list[dict]:
        ops = (("$gte", self.gte), ("$gt", self.gt), ("$lte", self.lte), ("$lt", self.lt))
        return [{op: {prop: bound}} for op, bound in ops if bound is not None]

    def contains(self, x: float) -> bool:
        return (
            (self.gte is None or x >= self.gte)
            and (self.gt is None or x > self.gt)
            and (self.lte is None or x <= self.lte)
            and (self.lt is None or x < self.lt)
        )

    def text(self) -> str:
        parts = []
        for sym, bound in (("≥", self.gte), (">", self.gt), ("≤", self.lte), ("<", self.lt)):
            if bound is not None:
                parts.append(f"{sym} {bound:g} %")
        return " và ".join(parts) or "mọi giá trị"


@dataclass(frozen=True)
class Outcome:
    """One way a leaf can end: the durable_rules condition on the event, and its points."""

    id: str
    when: list[dict]
    points: float | None = None  # None: computed from the observation (proportional, manual, ...)


@dataclass(slots=True)
class Observation:
    """What the evidence says for one unit × leaf: the engine's input, and the explanation's."""

    state: str  # OK | MISSING | NA
    facts: dict[str, Any] = field(default_factory=dict)  # properties of the durable_rules event
    vars: dict[str, Any] = field(default_factory=dict)  # values the explanation names
    evidence: dict[str, Any] = field(default_factory=dict)  # evidence field -> value used
    warnings: list[str] = field(default_factory=list)


class LeafBase(Strict):
    """A tiêu chí (thành phần) that is scored: the InSpec control of this project.

    Each kind (rules/kinds.py) subclasses it and says everything particular to it: the fields it
    reads, its outcomes, its points, its point range, how its status is named, what a template
    may name. Nothing outside rules/kinds.py (and the reference evaluator) asks which kind a leaf is.
    """

    kind: str
    params: Strict
    code: str = Field(min_length=1)
    title: str = Field(min_length=1)
    max_points: float = Field(ge=0)
    applies_to: list[str] = ["all"]
    reference: Reference
    fix: str = ""  # what earns the missing points (Vietnamese), shown when points are lost
    deadline: dt.date | None = None  # when that fix is due, where the catalog has one
    allow_na: bool = False  # may a unit declare it not applicable (with a reason)?
    # Not applicable when any of these counts is 0: nothing arose (no dossier, no feedback).
    not_applicable_if_zero: list[str] = []
    explain: dict[str, str] = {}  # outcome id -> template overriding the kind's default
    # The code of a sibling this leaf replaces for other unit types (hospitals' patient satisfaction
    # instead of citizens' satisfaction with TTHC): same maximum, disjoint applies_to, counted once
    # in the parent's maximum.
    alternative_to: str | None = None
    tags: list[str] = []
    review: bool = False  # proposed by `cchc rules import`: a person has not checked it yet
    annex: AnnexNote | None = None
    cited: list[str] = []  # the references of its dated values in force (set when the year is resolved)

    # The kind's default Vietnamese templates, per outcome id; ${...} names come from Observation.vars.
    templates: ClassVar[dict[str, str]] = {}
    template_vars: ClassVar[frozenset[str]] = frozenset()  # what observe() puts in Observation.vars
    adjusts_parent: ClassVar[bool] = False  # bonus and deduction: outside [0, max], clamped by parent
    missing_status: ClassVar[Status] = "missing_evidence"  # the status when nothing was given
    scored_by_hand: ClassVar[bool] = False  # points entered by a person (manual:), not read from evidence
    # Scored from what the unit gives (counts in its evidence coverage); manual and survey are not.
    unit_evidence: ClassVar[bool] = True

    def fields(self) -> list[str]:
        """The evidence fields this leaf reads."""
        return []

    def field_types(self) -> dict[str, tuple[str, ...]]:
        """Each evidence field read, with the field types it accepts."""
        return {}

    def applies(self, unit_type: str) -> bool:
        return "all" in self.applies_to or unit_type in self.applies_to

    def observe(self, unit: Facts) -> Observation:
        raise NotImplementedError

    def outcomes(self) -> list[Outcome]:
        raise NotImplementedError

    def points(self, outcome: Outcome, obs: Observation) -> float:
        return outcome.points if outcome.points is not None else 0.0

    def status(self, points: float) -> Status:
        if points >= self.max_points:
            return "met"
        return "partial" if points > 0 else "not_met"

    def point_range(self) -> tuple[float, float]:
        """The lowest and highest points this leaf can give (an appraiser may give any in between)."""
        return 0.0, self.max_points

    def recoverable(self, points: float) -> float:
        """Points the unit could still win on this leaf, given what it got."""
        return max(self.max_points - points, 0.0)

    def lost(self, points: float, status: Status) -> bool:
        """Were points lost that the unit could have earned?"""
        return status not in OUT_OF_TOTAL and self.recoverable(points) > 0

    def still_earnable(self, points: float, outcome: str, given: set[str], on: dt.date, year_end: dt.date) -> float:
        """Points this leaf can still win by acting on date `on` (`given`: the evidence fields the
        unit gave): none once the fix's deadline (or the assessment year) is past."""
        return self.recoverable(points) if on <= (self.deadline or year_end) else 0.0

    def date_limits(self) -> dict[str, dt.date]:
        """Per document field, the last date this leaf still reads it by (a deadline, a late
        window): the catalog warns of a document dated after the assessment year and all of these."""
        return {f: self.deadline for f in self.fields()} if self.deadline else {}

    def survey_question(self) -> str | None:
        """The question of the Sở's survey this leaf is scored from (survey kinds only)."""
        return None

    def survey_answers(self) -> dict[str, list[str]]:
        """Answer code -> the names a survey file may give it (survey kinds only)."""
        return {}

    def intervals(self) -> list[Interval]:
        """The ranges of a percentage this leaf's outcomes cover (checked for gaps and overlaps)."""
        return []

    def own_problems(self, options: dict[str, set[str]]) -> list[tuple[str, tuple]]:
        """What is wrong with this leaf as its kind sees it: (message, YAML sub-path) pairs.
        `options` gives the options of every choice field of the catalog."""
        out: list[tuple[str, tuple]] = []
        if self.max_points <= 0:
            out.append(("max_points phải > 0", ("max_points",)))
        if not self.fix:
            out.append(("thiếu 'fix': việc cần làm để đạt điểm khi bị mất điểm", ("fix",)))
        return out

    def outcome_vars(self, outcome_id: str) -> dict[str, Any]:
        """Template values that depend on the outcome rather than the evidence."""
        return {}

    def describer(self, labels: dict[str, str]) -> Callable[[Observation], dict[str, Any]] | None:
        """What puts template values in words with the catalog's field labels (e.g. a ratio's
        terms), made once per catalog (`labels`: field -> label); None when the kind has none."""
        return None

    def evidence_needed(self, labels: dict[str, str]) -> list[tuple[str, str]]:
        """(field, label) of what a unit gives for this leaf; `labels` maps catalog fields to labels."""
        return [(f, labels.get(f, f)) for f in self.fields()]

    def template(self, outcome_id: str) -> str:
        return self.explain.get(outcome_id) or self.templates[outcome_id]

    def outcome_ids(self) -> list[str]:
        return [o.id for o in self.outcomes()] + ["missing", "not_applicable", "unverified"]
