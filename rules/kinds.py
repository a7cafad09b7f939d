"""The rule kinds (loại quy tắc): what each reads, its outcomes as durable_rules conditions, its points.

A kind turns a unit's evidence into an Observation (plain numbers on an event), lists its outcomes
as data conditions on that event, and gives each outcome its points. Which outcome holds is decided
by durable_rules (rules/engine.py), never here.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, Literal, Union, get_args

from pydantic import Discriminator, Field, Tag, model_validator

from rules import vn
from rules.spec import MISSING, NA, OK, Interval, LeafBase, Observation, Outcome, Status, Strict

DATE_FIELDS = ("document", "date")
SURVEY_GRADES = {"A": 100.0, "B": 60.0, "C": 20.0, "D": 0.0}

COMMON_TEMPLATES = {
    "missing": "Không có tài liệu kiểm chứng/số liệu: ${fields}",
    "not_applicable": "Không áp dụng: ${reason}",
}


def _percent(numerator: int, denominator: int) -> float:
    # Rounded far below display precision so that 9/10 is exactly 90.0 at a threshold.
    return round(numerator * 100 / denominator, 9)


def _date_of(value: Any) -> tuple[dt.date, str]:
    """A document's (issue date, số ký hiệu), or a bare date's."""
    if isinstance(value, dt.date):
        return value, ""
    return value.date, value.number or ""


class RatioParams(Strict):
    """A percentage, computed from counts when counts are given (counts win), else read as given."""

    numerator: str | None = None
    denominator: str | None = None
    percent: str | None = None
    zero_denominator: Literal["not_applicable", "not_met"] = "not_applicable"

    @model_validator(mode="after")
    def _has_source(self) -> RatioParams:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("numerator và denominator phải đi cùng nhau")
        if self.numerator is None and self.percent is None:
            raise ValueError("cần numerator + denominator (số đếm) hoặc percent (tỷ lệ %)")
        return self


class RatioLeaf(LeafBase):
    """Shared by the kinds that read a percentage: bands, threshold, proportional."""

    params: RatioParams
    template_vars = frozenset({"ratio", "percent", "numerator", "denominator"})

    def fields(self) -> list[str]:
        p = self.params
        return [f for f in (p.numerator, p.denominator, p.percent) if f]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        p = self.params
        types: dict[str, tuple[str, ...]] = {f: ("count",) for f in (p.numerator, p.denominator) if f}
        if p.percent:
            types[p.percent] = ("percent",)
        return types

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        p = self.params
        num = values.get(p.numerator) if p.numerator else None
        den = values.get(p.denominator) if p.denominator else None
        given = values.get(p.percent) if p.percent else None
        obs = Observation(OK)
        if p.numerator and p.denominator and num is not None and den is not None:
            obs.evidence = {p.numerator: num, p.denominator: den}
            if den == 0:
                if p.zero_denominator == "not_applicable":
                    return Observation(NA, vars={"reason": "không phát sinh (mẫu số bằng 0)"}, evidence=obs.evidence)
                pct = 0.0
            else:
                pct = _percent(num, den)
            obs.vars = {"numerator": num, "denominator": den}
            if p.percent and given is not None:
                obs.evidence[p.percent] = given
                if abs(given - pct) > 0.05:
                    obs.warnings.append(
                        f"Tỷ lệ khai {vn.number(given)} % không khớp số liệu {vn.number(num)}/{vn.number(den)}"
                        f" = {vn.number(pct)} %; dùng số liệu."
                    )
        elif p.percent and given is not None:
            pct = given
            obs.evidence = {p.percent: given}
        else:
            return Observation(MISSING)
        obs.facts = {"v": pct}
        shown = f"{vn.number(pct)} %"
        obs.vars["percent"] = pct
        if "numerator" in obs.vars:
            shown = f"{vn.number(num or 0)}/{vn.number(den or 0)} = {shown}"
        obs.vars["ratio"] = shown
        return obs


class PercentBand(Interval):
    points: float = Field(ge=0)


class BandsParams(RatioParams):
    bands: list[PercentBand] = Field(min_length=2)


class PercentBandsLeaf(RatioLeaf):
    """Dải tỷ lệ: e.g. plan completion > 90 % → 2, 70–90 % → 1, < 70 % → 0."""

    kind: Literal["percent_bands"]
    params: BandsParams
    templates = {
        **COMMON_TEMPLATES,
        "band": "Tỷ lệ ${ratio} thuộc khoảng ${band}",
    }
    template_vars = RatioLeaf.template_vars | {"band"}

    def outcome_vars(self, outcome_id: str) -> dict[str, Any]:
        if outcome_id.startswith("band_"):
            return {"band": self.params.bands[int(outcome_id.removeprefix("band_"))].text()}
        return {}

    def outcomes(self) -> list[Outcome]:
        return [Outcome(f"band_{i}", b.conditions(), b.points) for i, b in enumerate(self.params.bands)]

    def template(self, outcome_id: str) -> str:
        return self.explain.get(outcome_id) or self.templates.get(outcome_id) or self.templates["band"]

    def intervals(self) -> list[Interval]:
        return list(self.params.bands)


class ThresholdParams(RatioParams):
    gte: float | None = None
    gt: float | None = None
    points_below: float = Field(0, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> ThresholdParams:
        if (self.gte is None) == (self.gt is None):
            raise ValueError("cần đúng một ngưỡng: gte (≥) hoặc gt (>)")
        return self


class ThresholdLeaf(RatioLeaf):
    """Ngưỡng: full points at or above a target (≥ 90 %, > 80 %), else points_below."""

    kind: Literal["threshold"]
    params: ThresholdParams
    templates = {
        **COMMON_TEMPLATES,
        "pass": "Tỷ lệ ${ratio} đạt chỉ tiêu ${target}",
        "fail": "Tỷ lệ ${ratio} chưa đạt chỉ tiêu ${target}",
    }
    template_vars = RatioLeaf.template_vars | {"target"}

    def intervals(self) -> list[Interval]:
        p = self.params
        return [Interval(gte=p.gte, gt=p.gt), Interval(lt=p.gte, lte=p.gt)]

    def outcomes(self) -> list[Outcome]:
        passing, failing = self.intervals()
        return [
            Outcome("pass", passing.conditions(), self.max_points),
            Outcome("fail", failing.conditions(), self.params.points_below),
        ]

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        obs = super().observe(values, manual)
        obs.vars["target"] = self.intervals()[0].text()
        return obs


class ProportionalParams(RatioParams):
    floor: float = Field(0, ge=0, le=100)  # below this percentage: 0 points
    full_at: float = Field(100, gt=0, le=100)  # at or above this percentage: full points

    @model_validator(mode="after")
    def _floor_below_full(self) -> ProportionalParams:
        if self.floor > self.full_at:
            raise ValueError("floor phải ≤ full_at")
        return self


class ProportionalLeaf(RatioLeaf):
    """Tỷ lệ thuận: points = max × percentage ÷ full_at, 0 below the floor."""

    kind: Literal["proportional"]
    params: ProportionalParams
    templates = {
        **COMMON_TEMPLATES,
        "below_floor": "Tỷ lệ ${ratio} dưới mức sàn ${floor} %",
        "scaled": "Tỷ lệ ${ratio}, tính điểm theo tỷ lệ (đạt tối đa khi ≥ ${full_at} %)",
        "full": "Tỷ lệ ${ratio} đạt mức tối đa (≥ ${full_at} %)",
    }
    template_vars = RatioLeaf.template_vars | {"floor", "full_at"}

    def outcomes(self) -> list[Outcome]:
        p = self.params
        return [
            Outcome("below_floor", [{"$lt": {"v": p.floor}}], 0.0),
            Outcome("scaled", [{"$gte": {"v": p.floor}}, {"$lt": {"v": p.full_at}}]),
            Outcome("full", [{"$gte": {"v": p.full_at}}], self.max_points),
        ]

    def points(self, outcome: Outcome, obs: Observation) -> float:
        if outcome.points is not None:
            return outcome.points
        return round(self.max_points * obs.facts["v"] / self.params.full_at, 2)

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        obs = super().observe(values, manual)
        obs.vars.update(floor=self.params.floor, full_at=self.params.full_at)
        return obs


class FieldParams(Strict):
    field: str


class BinaryLeaf(LeafBase):
    """Có/không: full points or none (e.g. ISO 9001:2015 announced and maintained)."""

    kind: Literal["binary"]
    params: FieldParams
    templates = {
        **COMMON_TEMPLATES,
        "yes": "Đã thực hiện: ${label}",
        "no": "Chưa thực hiện: ${label}",
    }

    def fields(self) -> list[str]:
        return [self.params.field]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        return {self.params.field: ("yes_no", "document")}

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        value = values.get(self.params.field)
        if value is None:
            return Observation(MISSING)
        done = value if isinstance(value, bool) else True  # a document given is the thing done
        return Observation(OK, facts={"v": int(done)}, evidence={self.params.field: value})

    def outcomes(self) -> list[Outcome]:
        return [Outcome("yes", [{"v": 1}], self.max_points), Outcome("no", [{"v": 0}], 0.0)]


class OnTimeParams(FieldParams):
    deadline: dt.date
    points_late: float = Field(ge=0)
    late_until: dt.date | None = None  # after this date the document counts for nothing

    @model_validator(mode="after")
    def _late_after_deadline(self) -> OnTimeParams:
        if self.late_until is not None and self.late_until <= self.deadline:
            raise ValueError("late_until phải sau deadline")
        return self


class OnTimeLeaf(LeafBase):
    """Đúng hạn / trễ / không có: e.g. CCHC plan issued before 31/12 → 1, late → 0.5, none → 0."""

    kind: Literal["on_time"]
    params: OnTimeParams
    templates = {
        **COMMON_TEMPLATES,
        "on_time": "${label} ${document} ngày ${date}, đúng hạn (hạn ${deadline})",
        "late": "${label} ${document} ngày ${date}, trễ ${days_late} ngày so với hạn ${deadline}",
        "too_late": "${label} ${document} ngày ${date}, trễ ${days_late} ngày, quá mốc ${late_until}",
    }
    template_vars = frozenset({"document", "date", "deadline", "days_late", "late_until"})

    def fields(self) -> list[str]:
        return [self.params.field]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        return {self.params.field: DATE_FIELDS}

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        value = values.get(self.params.field)
        if value is None:
            return Observation(MISSING)
        date, number = _date_of(value)
        days_late = (date - self.params.deadline).days
        p = self.params
        return Observation(
            OK,
            facts={"v": days_late},
            vars={
                "date": date,
                "document": number,
                "deadline": p.deadline,
                "days_late": days_late,
                "late_until": p.late_until or "",
            },
            evidence={p.field: value},
        )

    def outcomes(self) -> list[Outcome]:
        p = self.params
        if p.late_until is None:
            return [
                Outcome("on_time", [{"$lte": {"v": 0}}], self.max_points),
                Outcome("late", [{"$gt": {"v": 0}}], p.points_late),
            ]
        window = (p.late_until - p.deadline).days
        return [
            Outcome("on_time", [{"$lte": {"v": 0}}], self.max_points),
            Outcome("late", [{"$gt": {"v": 0}}, {"$lte": {"v": window}}], p.points_late),
            Outcome("too_late", [{"$gt": {"v": window}}], 0.0),
        ]


class Period(Strict):
    field: str
    label: str = Field(min_length=1)
    deadline: dt.date


class PeriodsParams(Strict):
    periods: list[Period] = Field(min_length=1)
    points_some_late: float = Field(0, ge=0)  # every report in, some late


class PeriodDeadlinesLeaf(LeafBase):
    """Báo cáo định kỳ: full only if every report of the period is in on time."""

    kind: Literal["period_deadlines"]
    params: PeriodsParams
    templates = {
        **COMMON_TEMPLATES,
        "all_on_time": "Đủ ${count} báo cáo, tất cả đúng hạn (${detail})",
        "some_late": "Đủ ${count} báo cáo nhưng ${late} báo cáo trễ hạn (${detail})",
        "incomplete": "Thiếu ${missing}/${count} báo cáo (${detail})",
    }
    template_vars = frozenset({"count", "late", "missing", "detail"})

    def fields(self) -> list[str]:
        return [p.field for p in self.params.periods]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        return {f: DATE_FIELDS for f in self.fields()}

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        late = missing = 0
        details, evidence = [], {}
        for period in self.params.periods:
            value = values.get(period.field)
            if value is None:
                missing += 1
                details.append(f"{period.label}: không có")
                continue
            evidence[period.field] = value
            date, _ = _date_of(value)
            days = (date - period.deadline).days
            late += days > 0
            details.append(f"{period.label}: {date:%d/%m/%Y}" + (f" trễ {days} ngày" if days > 0 else " đúng hạn"))
        count = len(self.params.periods)
        if missing == count:
            return Observation(MISSING)
        return Observation(
            OK,
            facts={"late": late, "missing": missing},
            vars={"count": count, "late": late, "missing": missing, "detail": "; ".join(details)},
            evidence=evidence,
        )

    def outcomes(self) -> list[Outcome]:
        return [
            Outcome("all_on_time", [{"late": 0}, {"missing": 0}], self.max_points),
            Outcome("some_late", [{"$gt": {"late": 0}}, {"missing": 0}], self.params.points_some_late),
            Outcome("incomplete", [{"$gt": {"missing": 0}}], 0.0),
        ]


class GradesParams(FieldParams):
    grades: dict[str, float] = Field(min_length=2)  # option -> percent of max

    @model_validator(mode="after")
    def _percentages(self) -> GradesParams:
        bad = [k for k, v in self.grades.items() if not 0 <= v <= 100]
        if bad:
            raise ValueError(f"mức {', '.join(bad)}: tỷ lệ phải trong 0–100")
        return self


class GradedLeaf(LeafBase):
    """Mức độ hoàn thành: e.g. fully / mostly / partly / not done → 100 / 75 / 50 / 0 % of max."""

    kind: Literal["graded"]
    params: GradesParams
    templates = {**COMMON_TEMPLATES, "grade": "${label}: mức «${answer}» = ${share} % số điểm"}
    template_vars = frozenset({"answer", "share"})

    def fields(self) -> list[str]:
        return [self.params.field]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        return {self.params.field: ("choice",)}

    def own_problems(self, options: dict[str, set[str]]) -> list[tuple[str, tuple]]:
        out = super().own_problems(options)
        choices = options.get(self.params.field)
        if choices is not None and choices != set(self.params.grades):
            out.append(
                (
                    f"các mức {sorted(self.params.grades)} phải trùng các lựa chọn của '{self.params.field}' "
                    f"{sorted(choices)}",
                    ("params",),
                )
            )
        return out

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        value = values.get(self.params.field)
        if value is None:
            return Observation(MISSING)
        share = self.params.grades.get(value)
        return Observation(
            OK, facts={"v": value}, vars={"answer": value, "share": share}, evidence={self.params.field: value}
        )

    def outcomes(self) -> list[Outcome]:
        return [
            Outcome(f"grade_{k}", [{"v": k}], round(self.max_points * pct / 100, 2))
            for k, pct in self.params.grades.items()
        ]

    def template(self, outcome_id: str) -> str:
        return self.explain.get(outcome_id) or self.templates.get(outcome_id) or self.templates["grade"]


class SurveyParams(GradesParams):
    grades: dict[str, float] = Field(default_factory=lambda: dict(SURVEY_GRADES), min_length=2)


class SurveyLeaf(GradedLeaf):
    """Điều tra xã hội học: answer A/B/C/D → 100/60/20/0 % of the item's maximum."""

    kind: Literal["survey"]  # type: ignore[assignment]
    params: SurveyParams
    templates = {**COMMON_TEMPLATES, "grade": "${label}: phương án ${answer} = ${share} % số điểm"}


class CountParams(FieldParams):
    per_item: float = Field(gt=0)
    cap: float = Field(gt=0)


class AdjustmentLeaf(LeafBase):
    """Shared by bonus and deduction: k points per item, capped; max_points is 0."""

    params: CountParams
    adjusts_parent = True
    template_vars = frozenset({"count", "per_item", "cap", "amount"})
    sign: ClassVar[int] = 1

    def point_range(self) -> tuple[float, float]:
        return (0.0, self.params.cap) if self.sign > 0 else (-self.params.cap, 0.0)

    def own_problems(self, options: dict[str, set[str]]) -> list[tuple[str, tuple]]:
        if self.max_points != 0:
            return [("điểm thưởng/điểm trừ có max_points = 0 (mức trần là params.cap)", ("max_points",))]
        return []  # no fix needed: nothing is lost by not earning a bonus

    def fields(self) -> list[str]:
        return [self.params.field]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        return {self.params.field: ("count", "yes_no")}

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        value = values.get(self.params.field)
        if value is None:
            return Observation(MISSING)
        count = int(value)
        amount = min(count * self.params.per_item, self.params.cap)
        return Observation(
            OK,
            facts={"v": count},
            vars={"count": count, "per_item": self.params.per_item, "cap": self.params.cap, "amount": amount},
            evidence={self.params.field: value},
        )

    def outcomes(self) -> list[Outcome]:
        return [Outcome("none", [{"v": 0}], 0.0), Outcome("applied", [{"$gt": {"v": 0}}])]

    def points(self, outcome: Outcome, obs: Observation) -> float:
        if outcome.points is not None:
            return outcome.points
        return self.sign * round(obs.vars["amount"], 2)


class DeductionLeaf(AdjustmentLeaf):
    """Điểm trừ: minus per_item for each item (e.g. late dossier without apology), at most cap."""

    kind: Literal["deduction"]
    sign: ClassVar[int] = -1
    templates = {
        **COMMON_TEMPLATES,
        "none": "${label}: 0, không bị trừ điểm",
        "applied": "${label}: ${count} × ${per_item} điểm, trừ ${amount} điểm (tối đa ${cap})",
    }

    def status(self, points: float) -> Status:
        return "not_met" if points < 0 else "met"

    def recoverable(self, points: float) -> float:
        return -points  # what the deduction took


class BonusLeaf(AdjustmentLeaf):
    """Điểm thưởng: plus per_item for each item (e.g. initiative recognised), at most cap."""

    kind: Literal["bonus"]
    templates = {
        **COMMON_TEMPLATES,
        "none": "${label}: không có, không được cộng điểm",
        "applied": "${label}: ${count} × ${per_item} điểm, cộng ${amount} điểm (tối đa ${cap})",
    }

    def status(self, points: float) -> Status:
        return "met" if points > 0 else "not_met"

    def recoverable(self, points: float) -> float:
        return 0.0  # a bonus is earned, never owed


class ManualParams(Strict):
    guidance: str = ""  # what the scorer looks at


class ManualLeaf(LeafBase):
    """Chấm thủ công: a score entered by a person, with a required reason."""

    kind: Literal["manual"]
    params: ManualParams = ManualParams()
    templates = {
        **COMMON_TEMPLATES,
        "missing": "Chưa chấm${guidance}: cần nhập điểm kèm lý do",
        "scored": "Chấm thủ công ${points_given} điểm; lý do: ${reason}",
    }
    template_vars = frozenset({"points_given", "guidance"})
    missing_status = "pending_manual"
    scored_by_hand = True

    def evidence_needed(self, labels: dict[str, str]) -> list[tuple[str, str]]:
        return [("manual", "Điểm chấm thủ công kèm lý do")]

    def observe(self, values: dict[str, Any], manual: dict[str, Any]) -> Observation:
        score = manual.get(self.code)
        if score is None:
            guidance = f" ({self.params.guidance})" if self.params.guidance else ""
            return Observation(MISSING, vars={"guidance": guidance})
        return Observation(
            OK,
            facts={"v": score.points},
            vars={"points_given": score.points, "reason": score.reason},
            evidence={"manual": {"points": score.points, "reason": score.reason}},
        )

    def outcomes(self) -> list[Outcome]:
        return [Outcome("scored", [{"$gte": {"v": 0}}, {"$lte": {"v": self.max_points}}])]

    def points(self, outcome: Outcome, obs: Observation) -> float:
        return float(obs.facts["v"])


# Every kind; adding one means a class above, a line here, and a decider in rules/reference.py.
Leaf = (
    BinaryLeaf
    | OnTimeLeaf
    | PeriodDeadlinesLeaf
    | PercentBandsLeaf
    | ThresholdLeaf
    | ProportionalLeaf
    | GradedLeaf
    | SurveyLeaf
    | DeductionLeaf
    | BonusLeaf
    | ManualLeaf
)
LEAF_KINDS: dict[str, type[LeafBase]] = {
    get_args(cls.model_fields["kind"].annotation)[0]: cls for cls in get_args(Leaf)
}


def _node_tag(value: Any) -> str | None:
    if isinstance(value, dict):
        kind = value.get("kind", "group" if "children" in value else None)
        return kind if kind == "group" or kind in LEAF_KINDS else None
    return getattr(value, "kind", "group")


def node_union(group: str) -> Any:
    """The annotated type of a tree node: a group of nodes (named by its forward reference), or a
    leaf of one of the kinds."""
    members = [Annotated[group, Tag("group")]] + [Annotated[cls, Tag(k)] for k, cls in LEAF_KINDS.items()]
    return Annotated[
        Union[tuple(members)],  # noqa: UP007 - a runtime-built union
        Discriminator(
            _node_tag,
            custom_error_type="unknown_kind",
            custom_error_message="loại quy tắc (kind) không hợp lệ hoặc thiếu; dùng một trong: "
            + ", ".join(LEAF_KINDS)
            + " (hoặc children cho nhóm tiêu chí)",
        ),
    ]
