"""One leaf's result for one unit (CriterionResult), from the engine's decision: points, status,
explanation, evidence, and what would earn the points lost."""

from __future__ import annotations

from typing import Any

from rules.catalog import Catalog
from rules.engine import Decision
from rules.spec import LeafBase, Status
from scoring.core.explain import Explainer
from scoring.core.results import CriterionResult

_AS_IS = frozenset({str, int, float, bool, type(None)})
NOTHING_TO_FIX: dict[str, Any] = {"fix": "", "recoverable": 0.0, "deadline": None}  # only ever unpacked


class ResultBuilder:
    """Results for the units of one chunk. What depends only on the leaf, the outcome and the
    points (status, reference, the explanation's ending, the fix) is worked out once; units whose
    observations hold the same plain values share one result (results are frozen)."""

    def __init__(self, catalog: Catalog):
        self.explain = Explainer(catalog)
        self.catalog = catalog
        self._outcomes = {(leaf.code, o.id): o for leaf in catalog.leaves for o in leaf.outcomes()}
        # (leaf, outcome, points) -> (a result's fields, but for those a unit gives; the explanation's ending)
        self._scored: dict[tuple[str, str, float], tuple[dict[str, Any], str]] = {}
        self._shared: dict[tuple, CriterionResult] = {}

    def __call__(self, d: Decision) -> CriterionResult:
        key = _plain_key(d)
        if key is None:
            return self._build(d)
        result = self._shared.get(key)
        if result is None:
            result = self._shared[key] = self._build(d)
        return result

    def _build(self, d: Decision) -> CriterionResult:
        leaf, obs, outcome_id = d.leaf, d.observation, d.outcome_id
        if outcome_id in _UNSCORED:
            points = 0.0
        else:
            points = leaf.points(self._outcomes[(leaf.code, outcome_id)], obs)
        scored = self._scored.get((leaf.code, outcome_id, points))
        if scored is None:
            scored = self._scored[(leaf.code, outcome_id, points)] = self._score(leaf, outcome_id, points)
        fields, ending = scored
        values = fields.copy()  # in CriterionResult's order, which its JSON follows
        values["explanation"] = self.explain.text(leaf, outcome_id, obs) + ending
        evidence = obs.evidence
        values["evidence"] = {k: _plain(v) for k, v in evidence.items()} if evidence else {}
        values["warnings"] = obs.warnings
        return CriterionResult.model_validate(values)

    def _score(self, leaf: LeafBase, outcome_id: str, points: float) -> tuple[dict[str, Any], str]:
        """(the fields of a result with these points on this outcome, but for the explanation, the
        evidence and the warnings; the explanation's ending)."""
        status: Status
        if outcome_id == "missing":
            status = leaf.missing_status
        else:
            status = _STATUS_OF.get(outcome_id) or leaf.status(points)
        fields = {
            "code": leaf.code,
            "title": leaf.title,
            "area": self.catalog.area_of[leaf.code],
            "kind": leaf.kind,
            "max_points": leaf.max_points,
            "points": points,
            "status": status,
            "explanation": "",
            "reference": self.explain.reference[leaf.code],
            "evidence": {},
            "outcome": outcome_id,
            **what_to_fix(leaf, points, status),
            "warnings": [],
        }
        return fields, self.explain.ending(leaf, points, status, leaf.lost(points, status))


# The outcomes every kind has, which score nothing; the status of two of them ("missing": the kind's).
_UNSCORED = frozenset({"not_applicable", "unverified", "missing"})
_STATUS_OF: dict[str, Status] = {"not_applicable": "not_applicable", "unverified": "unverified"}


def what_to_fix(leaf: LeafBase, points: float, status: Status) -> dict[str, Any]:
    """A result's fix, recoverable points and deadline: set only where points were lost."""
    return _fix(leaf, points) if leaf.lost(points, status) else NOTHING_TO_FIX


def _fix(leaf: LeafBase, points: float) -> dict[str, Any]:
    return {
        "fix": leaf.fix,
        "recoverable": round(leaf.recoverable(points), 2),
        "deadline": leaf.deadline.isoformat() if leaf.deadline else None,
    }


def _plain_key(d: Decision) -> tuple | None:
    """What a result depends on (leaf, outcome, observed values), when the observation holds only
    plain values: N/A, nothing given, yes/no, a choice, a small count, a stated rate. Many units
    share these, and share one result; dates, documents and counts, which rarely repeat, get None
    and a result of their own."""
    obs = d.observation
    if obs.warnings:
        return None
    key: list = [d.leaf.code, d.outcome_id]
    for values in (obs.vars, obs.evidence):
        key.append(len(values))
        for name, value in values.items():
            kind = value.__class__
            if kind not in _AS_IS:
                return None
            key += (name, kind, value)  # the type too: 1, 1.0 and True read differently
    return tuple(key)


def _plain(value: object) -> object:
    """Evidence as JSON-ready values: documents as mappings, dates as ISO strings."""
    if value.__class__ in _AS_IS:
        return value
    serializer = getattr(value, "__pydantic_serializer__", None)
    if serializer is not None:  # a document, a statement: model_dump's own call, without its wrapper
        return serializer.to_python(value, mode="json", exclude_defaults=True)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
