"""The rule kinds (loại quy tắc): what each reads, its outcomes as durable_rules conditions, its points.

A kind turns a unit's evidence into an Observation (plain numbers on an event), lists its outcomes
as data conditions on that event, and gives each outcome its points. Which outcome holds is decided
by durable_rules (rules/engine.py), never here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache, cached_property
from typing import Annotated, Any, ClassVar, Literal, Union, get_args

from pydantic import Discriminator, Field, Tag, model_validator

from rules import vn
from rules.spec import MISSING, NA, OK, UNVERIFIED, Facts, Interval, LeafBase, Observation, Outcome, Status, Strict

DATE_FIELDS = ("document", "date")
SURVEY_GRADES = {"A": 100.0, "B": 60.0, "C": 20.0, "D": 0.0}

COMMON_TEMPLATES = {
    "missing": "Không có tài liệu kiểm chứng/số liệu: ${fields}",
    "not_applicable": "Không áp dụng: ${reason}",
    "unverified": "Đơn vị nêu đã thực hiện nhưng không có số, ngày văn bản (${fields}): chưa kiểm chứng được",
}


def _percent(numerator: int, denominator: int) -> float:
    # Rounded far below display precision so that 9/10 is exactly 90.0 at a threshold.
    return round(numerator * 100 / denominator, 9)


def _date_of(value: Any) -> tuple[dt.date | None, str]:
    """A document's (issue date, số ký hiệu), a bare date's, or (None, "") for a statement that
    something was done with no số, ngày (evidence.models.Statement)."""
    if isinstance(value, dt.date):
        return value, ""
    return getattr(value, "date", None), getattr(value, "number", "") or ""


def _agrees(stated: float, computed: float) -> bool:
    """Does a stated rate agree with the counts, up to the rounding of the stated figure?"""
    text = f"{stated:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.partition(".")[2])
    return abs(round(computed, decimals) - stated) < 10**-decimals / 2 + 1e-9


@cache  # a catalog's labels: a few hundred strings, asked for in every explanation of a rate
def words(label: str) -> str:
    """A field's label as the words after a number: 'Số hồ sơ tiếp nhận' -> 'hồ sơ tiếp nhận'."""
    text = label.removeprefix("Số ").removeprefix("số ")
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


class RatioWords(Strict):
    """How an explanation names the terms of a ratio ('hồ sơ đúng hạn' / 'hồ sơ đã giải quyết')."""

    numerator: str = Field(min_length=1)
    denominator: str = Field(min_length=1)


class RatioParams(Strict):
    """A percentage, computed from counts when counts are given (counts win over a stated rate),
    else read as the unit states it."""

    numerator: str | None = None
    denominator: str | list[str] | None = None  # a list is summed: on time + late = settled
    percent: str | None = None  # the rate as the unit's report states it
    words: RatioWords | None = None  # default: the fields' labels
    context: list[str] = []  # counts reported beside the rate, not part of it (dossiers pending)
    zero_denominator: Literal["not_applicable", "not_met"] = "not_applicable"

    @model_validator(mode="after")
    def _has_source(self) -> RatioParams:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("numerator và denominator phải đi cùng nhau")
        if self.numerator is None and self.percent is None:
            raise ValueError("cần numerator + denominator (số đếm) hoặc percent (tỷ lệ %)")
        return self

    @cached_property  # read for every unit
    def denominators(self) -> tuple[str, ...]:
        d = self.denominator
        return () if d is None else (d,) if isinstance(d, str) else tuple(d)


class RatioLeaf(LeafBase):
    """Shared by the kinds that read a percentage: bands, threshold, proportional."""

    params: RatioParams
    template_vars = frozenset({"ratio", "percent", "numerator", "denominator", "context"})

    def fields(self) -> list[str]:
        p = self.params
        return [f for f in (p.numerator, *p.denominators, p.percent, *p.context) if f]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        p = self.params
        types: dict[str, tuple[str, ...]] = {f: ("count",) for f in (p.numerator, *p.denominators, *p.context) if f}
        if p.percent:
            types[p.percent] = ("percent",)
        return types

    def observe(self, unit: Facts) -> Observation:
        p, values = self.params, unit.values
        num = values.get(p.numerator) if p.numerator else None
        parts = [values.get(f) for f in p.denominators]
        den = sum(int(n) for n in parts if n is not None) if parts and None not in parts else None
        given = values.get(p.percent) if p.percent else None
        context = {f: values[f] for f in p.context if values.get(f) is not None}
        if den == 0 and p.zero_denominator == "not_applicable":
            evidence = {f: values[f] for f in p.denominators}
            return Observation(NA, vars={"reason": "không phát sinh (mẫu số bằng 0)"}, evidence=evidence)
        obs = Observation(OK, evidence=dict(context))
        if p.numerator and num is not None and den is not None:
            obs.evidence.update({p.numerator: num, **{f: values[f] for f in p.denominators}})
            pct = _percent(num, den) if den else 0.0
            obs.vars = {"numerator": num, "denominator": den}
            if p.percent and given is not None:
                obs.evidence[p.percent] = given
                if not _agrees(given, pct):
                    obs.warnings.append(
                        f"Tỷ lệ đơn vị nêu {vn.number(given)} % không khớp số liệu {vn.number(num)}/{vn.number(den)}"
                        f" = {vn.number(pct)} %; điểm tính theo số liệu."
                    )
        elif p.percent and given is not None:
            pct = given
            obs.evidence[p.percent] = given
        else:
            return Observation(MISSING)
        obs.facts = {"v": pct}
        obs.vars["percent"] = pct
        obs.vars["context"] = context
        return obs

    def describer(self, labels: dict[str, str]) -> Callable[[Observation], dict[str, Any]]:
        p = self.params
        num_words = p.words.numerator if p.words else words(labels.get(p.numerator or "", ""))
        den_words = p.words.denominator if p.words else " + ".join(words(labels.get(f, f)) for f in p.denominators)
        context_words = {f: words(labels.get(f, f)) for f in p.context}
        number = vn.number

        def described(obs: Observation) -> dict[str, Any]:
            v = obs.vars
            if "percent" not in v:
                return {}
            if "numerator" in v:
                shown = f"{number(v['numerator'])} {num_words} / {number(v['denominator'])} {den_words} = "
                shown += f"{number(v['percent'])} %"
            else:
                shown = f"{number(v['percent'])} % (tỷ lệ đơn vị nêu, không có số liệu)"
            context = v.get("context")
            if context:
                listed = "; ".join(f"{context_words[f]}: {number(n)}" for f, n in context.items())
                shown += f" (ngoài ra {listed})"
            return {"ratio": shown}

        return described


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

    def observe(self, unit: Facts) -> Observation:
        obs = super().observe(unit)
        obs.vars["target"] = self._target
        return obs

    @cached_property
    def _target(self) -> str:
        return self.intervals()[0].text()


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

    def observe(self, unit: Facts) -> Observation:
        obs = super().observe(unit)
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

    def observe(self, unit: Facts) -> Observation:
        value = unit.values.get(self.params.field)
        if value is None:
            return Observation(MISSING)
        if not isinstance(value, bool) and _date_of(value)[0] is None:
            return Observation(UNVERIFIED, evidence={self.params.field: value})
        done = value if isinstance(value, bool) else True  # a document given is the thing done
        return Observation(OK, facts={"v": int(done)}, evidence={self.params.field: value})

    def outcomes(self) -> list[Outcome]:
        return [Outcome("yes", [{"v": 1}], self.max_points), Outcome("no", [{"v": 0}], 0.0)]


class OnTimeParams(FieldParams):
    deadline: dt.date
    points_late: float = Field(ge=0)
    late_until: dt.date | None = None  # after this date the document counts for nothing
    # A document dated before this was not made for the assessment year (last year's rules, an old
    # plan): it counts for nothing, and issuing a new one is what the unit must do.
    issued_from: dt.date | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> OnTimeParams:
        if self.late_until is not None and self.late_until <= self.deadline:
            raise ValueError("late_until phải sau deadline")
        if self.issued_from is not None and self.issued_from > self.deadline:
            raise ValueError("issued_from phải trước hoặc bằng deadline")
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
        "too_early": "${label} ${document} ngày ${date}, ban hành trước ${issued_from}: không phải văn bản "
        "của năm đánh giá, cần ban hành (kiện toàn) lại",
    }
    template_vars = frozenset({"document", "date", "deadline", "days_late", "late_until", "issued_from"})

    def fields(self) -> list[str]:
        return [self.params.field]

    def field_types(self) -> dict[str, tuple[str, ...]]:
        return {self.params.field: DATE_FIELDS}

    def observe(self, unit: Facts) -> Observation:
        value = unit.values.get(self.params.field)
        if value is None:
            return Observation(MISSING)
        date, number = _date_of(value)
        if date is None:
            return Observation(UNVERIFIED, evidence={self.params.field: value})
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
                "issued_from": p.issued_from or "",
            },
            evidence={p.field: value},
        )

    def date_limits(self) -> dict[str, dt.date]:
        return {self.params.field: self.params.late_until or self.params.deadline}

    def still_earnable(self, points: float, outcome: str, given: set[str], on: dt.date, year_end: dt.date) -> float:
        if outcome not in ("missing", "too_early"):
            return 0.0  # the document's date is what it is: a late one stays late
        if on <= self.params.deadline:
            return self.recoverable(points)
        late_window_open = self.params.late_until is None or on <= self.params.late_until
        return max(self.params.points_late - points, 0.0) if late_window_open and on <= year_end else 0.0

    def outcomes(self) -> list[Outcome]:
        # v = days after the deadline (negative: before it)
        p = self.params
        early: list[Outcome] = []
        on_time = [{"$lte": {"v": 0}}]
        if p.issued_from is not None:
            earliest = (p.issued_from - p.deadline).days
            early = [Outcome("too_early", [{"$lt": {"v": earliest}}], 0.0)]
            on_time = [{"$gte": {"v": earliest}}, *on_time]
        if p.late_until is None:
            return [
                *early,
                Outcome("on_time", on_time, self.max_points),
                Outcome("late", [{"$gt": {"v": 0}}], p.points_late),
            ]
        window = (p.late_until - p.deadline).days
        return [
            *early,
            Outcome("on_time", on_time, self.max_points),
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

    def observe(self, unit: Facts) -> Observation:
        late = missing = stated = 0
        details, evidence = [], {}
        for period in self.params.periods:
            value = unit.values.get(period.field)
            if value is None:
                missing += 1
                details.append(f"{period.label}: không có")
                continue
            evidence[period.field] = value
            date, _ = _date_of(value)
            if date is None:  # said to be sent, with no số, ngày: not evidence of being on time
                missing, stated = missing + 1, stated + 1
                details.append(f"{period.label}: đơn vị nêu đã gửi, không có số, ngày")
                continue
            days = (date - period.deadline).days
            late += days > 0
            details.append(f"{period.label}: {date:%d/%m/%Y}" + (f" trễ {days} ngày" if days > 0 else " đúng hạn"))
        count = len(self.params.periods)
        if missing == count:
            return Observation(UNVERIFIED, evidence=evidence) if stated else Observation(MISSING)
        return Observation(
            OK,
            facts={"late": late, "missing": missing},
            vars={"count": count, "late": late, "missing": missing, "detail": "; ".join(details)},
            evidence=evidence,
        )

    def date_limits(self) -> dict[str, dt.date]:
        return {p.field: p.deadline for p in self.params.periods}

    def still_earnable(self, points: float, outcome: str, given: set[str], on: dt.date, year_end: dt.date) -> float:
        if outcome not in ("incomplete", "missing") or on > year_end:
            return 0.0  # every report is in: the late ones stay late
        owed = [p for p in self.params.periods if p.field not in given]
        if all(on <= p.deadline for p in owed):
            return self.recoverable(points)
        return max(self.params.points_some_late - points, 0.0)

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

    def observe(self, unit: Facts) -> Observation:
        value = unit.values.get(self.params.field)
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


class SurveyParams(Strict):
    question: str | None = None  # the question's id in the Sở's survey file; default: the leaf's code
    grades: dict[str, float] = Field(default_factory=lambda: dict(SURVEY_GRADES), min_length=2)
    labels: dict[str, list[str]] = {}  # answer -> other names a survey file may use (Likert labels)

    @model_validator(mode="after")
    def _percentages(self) -> SurveyParams:
        bad = [k for k, v in self.grades.items() if not 0 <= v <= 100]
        if bad:
            raise ValueError(f"phương án {', '.join(bad)}: tỷ lệ phải trong 0–100")
        unknown = set(self.labels) - set(self.grades)
        if unknown:
            raise ValueError(f"labels cho phương án không có trong grades: {', '.join(sorted(unknown))}")
        return self


class SurveyLeaf(LeafBase):
    """Điều tra xã hội học, run by the Sở: points = max × the respondents' mean answer weight
    (A/B/C/D = 100/60/20/0 % under 876/QĐ-BNV). Until the survey is in, the criterion is pending:
    never 0, never the unit's own grade."""

    kind: Literal["survey"]
    params: SurveyParams = SurveyParams()
    templates = {
        **COMMON_TEMPLATES,
        "missing": "Chờ kết quả điều tra xã hội học của Sở (câu hỏi ${question})",
        "scored": "Điều tra xã hội học: ${respondents} người trả lời (${distribution}), bình quân ${share} % số điểm",
    }
    template_vars = frozenset({"question", "respondents", "distribution", "share"})
    missing_status = "pending"
    unit_evidence = False

    def survey_question(self) -> str | None:
        return self.params.question or self.code

    def evidence_needed(self, labels: dict[str, str]) -> list[tuple[str, str]]:
        return [("survey", f"Kết quả điều tra xã hội học của Sở, câu hỏi {self.survey_question()}")]

    def survey_answers(self) -> dict[str, list[str]]:
        return {k: [k, *self.params.labels.get(k, [])] for k in self.params.grades}

    def observe(self, unit: Facts) -> Observation:
        question = self.survey_question()
        counts = unit.survey.get(question or "")
        respondents = sum(counts.values()) if counts else 0
        if not counts or respondents == 0:
            return Observation(MISSING, vars={"question": question})
        share = round(sum(n * self.params.grades[a] for a, n in counts.items()) / respondents, 9)
        distribution = ", ".join(f"{a}: {vn.number(counts.get(a, 0))}" for a in self.params.grades)
        return Observation(
            OK,
            facts={"v": share},
            vars={"question": question, "respondents": respondents, "distribution": distribution, "share": share},
            evidence={"survey": {"question": question, **counts}},
        )

    def outcomes(self) -> list[Outcome]:
        return [Outcome("scored", [{"$gte": {"v": 0}}])]

    def points(self, outcome: Outcome, obs: Observation) -> float:
        return round(self.max_points * obs.facts["v"] / 100, 2)


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

    def observe(self, unit: Facts) -> Observation:
        value = unit.values.get(self.params.field)
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

    def still_earnable(self, points: float, outcome: str, given: set[str], on: dt.date, year_end: dt.date) -> float:
        return 0.0  # what happened in the year is counted; the fix is for the years to come


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
        "missing": "Chờ đoàn kiểm tra chấm${guidance}",
        "scored": "Chấm thủ công ${points_given} điểm; lý do: ${reason}",
    }
    template_vars = frozenset({"points_given", "guidance"})
    missing_status = "pending"
    scored_by_hand = True
    unit_evidence = False

    def evidence_needed(self, labels: dict[str, str]) -> list[tuple[str, str]]:
        return [("manual", "Điểm chấm thủ công kèm lý do")]

    def observe(self, unit: Facts) -> Observation:
        score = unit.manual.get(self.code)
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
