"""Appraised scores (điểm thẩm định): the self-score results with the inspectors' latest scores
applied, totalled, indexed and banded exactly as self-scores are."""

from __future__ import annotations

from evidence.appraisal import ROUND_LABELS, AppraisalRecord
from evidence.models import UnitEvidence
from rules import vn
from rules.catalog import Catalog
from scoring.results import CriterionResult, ScoreRun, UnitScore
from scoring.totals import rank, unit_score


def appraise(
    run: ScoreRun, catalog: Catalog, units: list[UnitEvidence], records: list[AppraisalRecord]
) -> tuple[dict[str, UnitScore], dict[tuple[str, str], str]]:
    """(appraised score per appraised unit id, the reason per (unit id, criterion code) changed)."""
    by_id = {u.unit.id: u for u in units}
    selves = {s.unit_id: s for s in run.units}
    appraised: dict[str, UnitScore] = {}
    reasons: dict[tuple[str, str], str] = {}
    for record in records:
        self_score = selves[record.unit_id]
        results = {c.code: c for c in self_score.criteria}
        for code, (rnd, score) in record.latest().items():
            leaf = catalog.leaf[code]
            label = f"{ROUND_LABELS[rnd.round]} ({rnd.by}{', ' + vn.date(rnd.date) if rnd.date else ''})"
            if score.status == "not_applicable":
                points, status = 0.0, "not_applicable"
            else:
                points, status = score.points, leaf.status(score.points)
            note = (
                f"{label}: {vn.number(points)} điểm — {score.reason}"
                if status != "not_applicable"
                else f"{label}: không áp dụng — {score.reason}"
            )
            reasons[(record.unit_id, code)] = note
            results[code] = results[code].model_copy(
                update={
                    "points": points,
                    "status": status,
                    "explanation": f"{note}. Tự chấm: {results[code].explanation}",
                    "evidence": {**results[code].evidence, **({"appraisal": score.evidence} if score.evidence else {})},
                }
            )
        appraised[record.unit_id] = unit_score(catalog, by_id[record.unit_id], results)
    rank(list(appraised.values()))
    return appraised, reasons


def explanation_notes(records: list[AppraisalRecord]) -> dict[tuple[str, str], str]:
    """The units' giải trình per (unit id, criterion code), kept visible in reports and comparisons."""
    notes = {}
    for record in records:
        for rnd in record.rounds:
            for code, note in rnd.notes.items():
                extra = f" (bổ sung: {note.evidence})" if note.evidence else ""
                notes[(record.unit_id, code)] = f"{ROUND_LABELS[rnd.round]}: {note.text}{extra}"
    return notes


def changed(self_score: UnitScore, appraised: UnitScore) -> list[tuple[CriterionResult, CriterionResult]]:
    other = {c.code: c for c in appraised.criteria}
    return [
        (c, other[c.code])
        for c in self_score.criteria
        if (c.points, c.status) != (other[c.code].points, other[c.code].status)
    ]
