"""Appraised scores (điểm thẩm định): the self-score results with the inspectors' latest scores
applied, totalled, indexed and banded exactly as self-scores are. One function, `apply_appraisal`,
used by `cchc report`, `cchc compare` and the web workspace alike."""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.appraisal import appraisal_problem
from evidence.models import AppraisalRecord, Unit
from evidence.rounds import ROUND_LABELS
from rules import vn
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.spec import Status
from scoring.core.criteria import what_to_fix
from scoring.core.ranking import ranked
from scoring.core.results import CriterionResult, ScoreRun, UnitScore
from scoring.core.totals import unit_score, unit_warnings


@dataclass
class Appraisal:
    """The outcome of the appraisal rounds over a run."""

    scores: dict[str, UnitScore] = field(default_factory=dict)  # unit id -> appraised score
    reasons: dict[tuple[str, str], str] = field(default_factory=dict)  # (unit, code) -> inspectors' reason
    notes: dict[tuple[str, str], str] = field(default_factory=dict)  # (unit, code) -> the unit's giải trình

    def final(self, self_score: UnitScore) -> UnitScore:
        """The score that stands: the appraised one where the unit was appraised."""
        return self.scores.get(self_score.unit_id, self_score)

    def remark(self, unit_id: str, code: str) -> str:
        """The inspectors' reason and the unit's giải trình on one criterion, as one text."""
        return ". ".join(t for t in (self.reasons.get((unit_id, code)), self.notes.get((unit_id, code))) if t)


def apply_appraisal(run: ScoreRun, catalog: Catalog, records: list[AppraisalRecord]) -> Appraisal:
    """Each appraised unit's results with the latest appraisal round's scores, totalled and ranked
    among the appraised units; the reasons and the units' explanations kept beside them."""
    out = Appraisal()
    selves = {s.unit_id: s for s in run.units}
    unexplained: list[Problem] = []
    for record in records:
        self_score = selves[record.unit_id]
        results = {c.code: c for c in self_score.criteria}
        for code, (rnd, score) in record.latest().items():
            leaf = catalog.leaf[code]
            label = f"{ROUND_LABELS[rnd.round]} ({rnd.by}{', ' + vn.date(rnd.date) if rnd.date else ''})"
            status: Status
            if score.status == "not_applicable" or score.points is None:
                points, status = 0.0, "not_applicable"
                note = f"{label}: không áp dụng — {score.reason}"
            else:
                points, status = score.points, leaf.status(score.points)
                own = results[code]
                problem = appraisal_problem(
                    catalog, self_score.unit_type, code, points, None, score.reason, (own.points, own.status)
                )
                if problem:
                    where = record.places.get(f"{record.rounds.index(rnd)}/{code}")
                    unexplained.append(Problem(problem[1], record.source, where, f"tiêu chí {code}"))
                note = f"{label}: {vn.number(points)} điểm — {score.reason.strip() or 'xác nhận điểm tự chấm'}"
            out.reasons[(record.unit_id, code)] = note
            results[code] = results[code].model_copy(
                update={
                    "points": points,
                    "status": status,
                    "explanation": f"{note}. Tự chấm: {results[code].explanation}",
                    "evidence": {**results[code].evidence, **({"appraisal": score.evidence} if score.evidence else {})},
                    **what_to_fix(leaf, points, status),
                }
            )
        identity = Unit(
            id=self_score.unit_id, name=self_score.unit_name, type=self_score.unit_type, year=self_score.year
        )
        out.scores[record.unit_id] = unit_score(
            catalog, identity, results, self_score.source, unit_warnings(self_score)
        )
        for rnd in record.rounds:
            for code, explanation in rnd.notes.items():
                extra = f" (bổ sung: {explanation.evidence})" if explanation.evidence else ""
                out.notes[(record.unit_id, code)] = f"{ROUND_LABELS[rnd.round]}: {explanation.text}{extra}"
    if unexplained:
        raise InputError(unexplained)
    out.scores = dict(zip(out.scores, ranked(list(out.scores.values()))))
    return out


def changed(self_score: UnitScore, appraised: UnitScore) -> list[tuple[CriterionResult, CriterionResult]]:
    other = {c.code: c for c in appraised.criteria}
    return [
        (c, other[c.code])
        for c in self_score.criteria
        if (c.points, c.status) != (other[c.code].points, other[c.code].status)
    ]
