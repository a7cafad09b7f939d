"""The workspace's only door to the scoring library: stored rows in, the library's checked
evidence, scores, appraisals and reports out. Nothing here decides a point."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Max

from evidence.appraisal import check_record
from evidence.models import AppraisalRecord, UnitEvidence
from evidence.rounds import ROUNDS
from evidence.validate import build_unit
from rules import clock
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from scoring import Scorer, apply_appraisal, load_catalog
from scoring.core.results import ScoreRun
from scoring.inspection.appraised import Appraisal
from scoring.outputs.book import ReportBook, build_book
from scoring.outputs.org import OrgSettings
from web.models import AppraisalEntry, Assessment, ExplanationNote, Publication, Submission, Unit

_lock = threading.Lock()
_scorers: dict[tuple[str, int], tuple[Catalog, Scorer, threading.Lock]] = {}


def _scorer(assessment: Assessment) -> tuple[Catalog, Scorer, threading.Lock]:
    """One catalog and scorer per (catalog, year), kept for the process: loading a catalog and
    compiling its ruleset is the slow part. A scorer's engine takes one call at a time."""
    key = (assessment.catalog, assessment.year)
    with _lock:
        if key not in _scorers:
            catalog = load_catalog(assessment.catalog, assessment.year)
            _scorers[key] = (catalog, Scorer(catalog, workers=1), threading.Lock())
        return _scorers[key]


YEAR = "year"  # the session key of the year chosen in the header


def chosen_assessment(session) -> Assessment | None:
    """The year a person works on: the one chosen in the header (kept in the session), else the
    latest; None before any year exists."""
    chosen = session.get(YEAR) if session is not None else None
    return (Assessment.objects.filter(year=chosen).first() if chosen else None) or Assessment.objects.first()


def catalog(assessment: Assessment) -> Catalog:
    return _scorer(assessment)[0]


def source(unit: Unit) -> str:
    return f"web:{unit.code}"


def unit_evidence(submission: Submission) -> UnitEvidence:
    """The stored self-assessment, checked exactly as an evidence file is; InputError otherwise."""
    evidence = build_unit(submission.raw(), catalog(submission.assessment), source(submission.unit))
    survey = submission.assessment.survey.get(submission.unit.code) if submission.assessment.survey else None
    return evidence.model_copy(update={"survey": survey}) if survey else evidence


def check(submission: Submission) -> list[Problem]:
    try:
        unit_evidence(submission)
    except InputError as e:
        return e.problems
    return []


@dataclass
class Scored:
    """An assessment scored: every unit whose stored evidence checks, and those that do not."""

    catalog: Catalog
    run: ScoreRun
    evidence: list[UnitEvidence]
    appraisal: Appraisal
    problems: dict[str, list[Problem]] = field(default_factory=dict)  # unit code -> why it is not scored

    def book(self, today: dt.date | None = None) -> ReportBook:
        today = today or clock.today()
        return build_book(self.run, self.catalog, self.evidence, today, self.appraisal, org=organisation())


def organisation() -> OrgSettings:
    """Who issues and signs the workspace's reports, as the Sở admin set it (blank until then)."""
    from web.models import Organisation

    row = Organisation.objects.first()
    return OrgSettings.model_validate(row.settings) if row else OrgSettings()


_scored: OrderedDict[tuple, Scored] = OrderedDict()  # the latest results, by what they were computed from
CACHED = 64


def score(
    assessment: Assessment, units: list[Unit] | None = None, cached: bool = True, published_only: bool = False
) -> Scored:
    """Score the submissions of `units` (default: all), ranked together, with the appraisals applied.
    Ranks are among the units scored; the Sở's ranking scores them all. `published_only`: only the
    appraisal rounds published to their units (what a unit may see). A result is reused while no
    submission, appraisal, giải trình or publication of these units has changed (`cached=False`: not)."""
    key = (
        assessment.pk,
        assessment.catalog,
        tuple(sorted(u.code for u in units)) if units is not None else None,
        published_only,
        _stamp(assessment, units),
    )
    with _lock:
        if cached and key in _scored:
            _scored.move_to_end(key)
            return _scored[key]
    result = _score(assessment, units, published_only)
    with _lock:
        _scored[key] = result
        while len(_scored) > CACHED:
            _scored.popitem(last=False)
    return result


def self_scores(assessment: Assessment, unit: Unit) -> dict[str, tuple[float, str]]:
    """The unit's self-score of each criterion (points, status), as its page shows it: read from the
    latest scores (reused while nothing changed), which an appraisal entry is checked against."""
    scored = score(assessment, [unit])
    own = next((s for s in scored.run.units if s.unit_id == unit.code), None)
    return {c.code: (c.points, c.status) for c in own.criteria} if own else {}


def _stamp(assessment: Assessment, units: list[Unit] | None) -> tuple:
    """What the scores of `units` depend on, in small queries: the latest change and the row count
    of the units themselves, their submissions, appraisal entries and giải trình (a count catches a
    deletion); the assessment's last change (its survey); and the day, since a document dated in
    the future is refused until that day comes."""
    out: list = [clock.today(), Assessment.objects.filter(pk=assessment.pk).values_list("updated_at").first()]
    for model, changed in (
        (Submission, "updated_at"),
        (AppraisalEntry, "at"),
        (ExplanationNote, "at"),
        (Publication, "at"),
    ):
        rows = model.objects.filter(assessment=assessment)
        if units is not None:
            rows = rows.filter(unit__in=units)
        out += list(rows.aggregate(Max(changed), Count("id")).values())
    # A unit's name or type changed (in the admin site) changes its scores too.
    changed_units = Unit.objects.filter(code__in=[u.code for u in units]) if units is not None else Unit.objects
    out += list(changed_units.aggregate(Max("updated_at"), Count("id")).values())
    return tuple(out)


def _score(assessment: Assessment, units: list[Unit] | None, published_only: bool = False) -> Scored:
    cat, scorer, engine_lock = _scorer(assessment)
    submissions = Submission.objects.filter(assessment=assessment).select_related("unit", "assessment")
    if units is not None:
        submissions = submissions.filter(unit__in=units)
    evidence, problems = [], {}
    for sub in submissions:
        try:
            evidence.append(unit_evidence(sub))
        except InputError as e:
            problems[sub.unit.code] = e.problems
    with engine_lock:
        run = scorer.score(evidence)
    records = appraisal_records(assessment, cat, run.types_by_unit, published_only)
    return Scored(cat, run, evidence, apply_appraisal(run, cat, records), problems)


def appraisal_records(
    assessment: Assessment, cat: Catalog, units: dict[str, str], published_only: bool = False
) -> list[AppraisalRecord]:
    """The stored appraisal entries and giải trình, as the appraisal files hold them, checked alike.
    `published_only`: the rounds published to their units, and nothing else."""
    raws: dict[str, dict] = {}
    entries = AppraisalEntry.objects.filter(assessment=assessment, unit__code__in=units).select_related("unit", "by")
    published = set(Publication.objects.filter(assessment=assessment).values_list("unit_id", "round"))
    for e in entries.order_by("at"):
        if published_only and (e.unit_id, e.round) not in published:
            continue
        rounds = raws.setdefault(e.unit.code, {"unit_id": e.unit.code, "rounds": {}})["rounds"]
        rnd = rounds.setdefault(e.round, {"round": e.round, "by": set(), "dates": set(), "scores": {}})
        rnd["by"].add(_name(e.by, e.by_name))
        rnd["dates"].add(e.date)
        rnd["scores"][e.code] = {
            **({"status": "not_applicable"} if e.not_applicable else {"points": e.points}),
            "reason": e.reason,
            "evidence": e.evidence,
        }
    notes = ExplanationNote.objects.filter(assessment=assessment, unit__code__in=units).select_related("unit", "by")
    for n in notes:
        rounds = raws.setdefault(n.unit.code, {"unit_id": n.unit.code, "rounds": {}})["rounds"]
        rnd = rounds.setdefault("explanation", {"round": "explanation", "by": set(), "dates": set(), "notes": {}})
        rnd["by"].add(_name(n.by, n.by_name))
        rnd["dates"].add(n.date)
        rnd["notes"][n.code] = {"text": n.text, "evidence": n.evidence}
    records = []
    for code, raw in raws.items():
        rounds = [raw["rounds"][r] for r in ROUNDS if r in raw["rounds"]]
        for rnd in rounds:
            rnd["by"] = ", ".join(sorted(rnd["by"]))
            dates = sorted(d for d in rnd.pop("dates") if d is not None)
            if dates:
                rnd["date"] = dates[-1]  # the round's last day
        records.append(check_record({"unit_id": code, "rounds": rounds}, cat, units, f"web:{code}", lambda _: None))
    return records


def appraisal_file(record: AppraisalRecord) -> dict:
    """An appraisal record as an appraisal YAML file holds it (for `cchc export`)."""
    return record.model_dump(mode="json", exclude={"source", "places"}, exclude_defaults=True)


def _name(user, imported: str = "") -> str:
    if user is None:
        return imported or "Đoàn thẩm định"
    return user.get_full_name() or user.username
