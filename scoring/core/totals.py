"""From the engine's decisions to unit scores: points, subtotals, index, band, rank.

A criterion that does not apply leaves both the points and the maximum (the index is
re-normalised, never penalised). Bonus and deduction leaves move their parent's subtotal,
which is then kept within [0, that parent's applicable maximum].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from evidence.models import Unit, UnitEvidence
from rules import vn
from rules.catalog import Catalog, Group
from rules.engine import Decision, observe
from rules.spec import OUT_OF_TOTAL, LeafBase, Observation
from scoring.core.criteria import ResultBuilder
from scoring.core.results import (
    AreaScore,
    CatalogInfo,
    Coverage,
    CriterionResult,
    GroupScore,
    PendingCriterion,
    UnitScore,
)

S = TypeVar("S", bound=AreaScore)  # a subtotal: AreaScore or GroupScore
CHUNK = 500  # units decided together: bounds the memory of one engine call
# What picks each leaf's outcome: the engine's decide (or the reference evaluator's, in tests).
Decide = Callable[[Iterable[tuple[str, list[tuple[LeafBase, Observation]]]]], list[Decision]]


def catalog_info(catalog: Catalog) -> CatalogInfo:
    return CatalogInfo(
        id=catalog.id,
        version=catalog.version,
        year=catalog.year,
        title=catalog.title,
        framework=catalog.framework,
        unit_types=dict(catalog.unit_types),
        groups={g: spec.label for g, spec in catalog.groups.items()},
    )


def score_chunk(catalog: Catalog, units: Sequence[UnitEvidence], decide: Decide) -> list[UnitScore]:
    """Unranked scores of some units, with `decide` picking each leaf's outcome (the engine's)."""
    decisions = decide((u.unit.id, observe(catalog, u)) for u in units)
    per_unit: dict[int, dict[str, CriterionResult]] = defaultdict(dict)
    result_of = ResultBuilder(catalog)
    for d in decisions:
        per_unit[d.unit_index][d.leaf.code] = result_of(d)
    totals = Totals(catalog)
    return [totals(u.unit, per_unit[i], u.source, u.warnings) for i, u in enumerate(units)]


def unit_score(
    catalog: Catalog, unit: Unit, results: dict[str, CriterionResult], source: str = "", warnings: Sequence[str] = ()
) -> UnitScore:
    """A unit's totals from one result per leaf (the engine's, or an appraisal's)."""
    return Totals(catalog)(unit, results, source, warnings)


class Totals:
    """A catalog's tree laid flat once, then added up for unit after unit. Not applicable and
    pending criteria leave both points and maximum; bonus and deduction leaves are left out of
    their parents' subtotals (they are the total's own line)."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.leaves = [leaf.code for leaf in catalog.leaves]
        self.adjusting = frozenset(leaf.code for leaf in catalog.leaves if leaf.adjusts_parent)
        self.evidenced = frozenset(
            leaf.code for leaf in catalog.leaves if leaf.unit_evidence and not leaf.adjusts_parent
        )
        # Every group in the catalog's order (a group before its children, as reports list them),
        # each with its parts: the index of a child group, or a child leaf's (code, max points).
        self.groups: list[tuple[Group, int, list[int | tuple[str, float]]]] = []
        self.areas = [self._lay(area, 0) for area in catalog.areas]
        self._group_of: dict[str, str] = {}
        self._subtotals: dict[tuple[type, int, float, float], Any] = {}  # (model, group, points, maximum)

    def _lay(self, group: Group, depth: int) -> int:
        at = len(self.groups)
        parts: list[int | tuple[str, float]] = []
        self.groups.append((group, depth, parts))
        for child in group.children:
            parts.append(self._lay(child, depth + 1) if isinstance(child, Group) else (child.code, child.max_points))
        return at

    def subtotals(self, results: dict[str, CriterionResult]) -> list[tuple[float, float]]:
        """(points, applicable maximum) of every group, in the order of `groups` (worked out from the
        last, so that a group's children are done before it)."""
        adjusting = self.adjusting
        out: list[tuple[float, float]] = [(0.0, 0.0)] * len(self.groups)
        for at in range(len(self.groups) - 1, -1, -1):
            points = max_points = 0.0
            for part in self.groups[at][2]:
                if isinstance(part, int):
                    p, m = out[part]
                else:
                    code, m = part
                    r = results[code]
                    if r.status in OUT_OF_TOTAL or code in adjusting:
                        continue
                    p = r.points
                points += p
                max_points += m
            out[at] = (round(points, 2), round(max_points, 2))
        return out

    def _subtotal(self, model: type[S], at: int, points: float, max_points: float) -> S:
        """A group's subtotal as an AreaScore or a GroupScore, one for all units with the same (scores
        are never changed): most groups have only a few."""
        key = (model, at, points, max_points)
        score = self._subtotals.get(key)
        if score is None:
            group, depth, _ = self.groups[at]
            values = {"code": group.code, "title": group.title, "points": points, "max_points": max_points}
            if model is GroupScore:
                values["depth"] = depth
            score = self._subtotals[key] = model.model_validate(values)
        return score

    def __call__(
        self, unit: Unit, results: dict[str, CriterionResult], source: str = "", warnings: Sequence[str] = ()
    ) -> UnitScore:
        catalog = self.catalog
        try:
            criteria = [results[code] for code in self.leaves]
        except KeyError:  # the engine proves completeness; this guards the aggregation itself
            missing = [code for code in self.leaves if code not in results]
            raise AssertionError(f"{unit.id}: no result for {missing}") from None
        subtotals = self.subtotals(results)
        areas = [subtotals[at] for at in self.areas]
        base = round(sum(p for p, _ in areas), 2)
        max_points = round(sum(m for _, m in areas), 2)
        # Bonus and deduction points are their own line on the total, which stays within [0, maximum].
        adjustment = round(sum(c.points for c in criteria if c.code in self.adjusting), 2)
        points = round(min(max(base + adjustment, 0.0), max_points), 2)
        index = round(points / max_points * 100, 2) if max_points > 0 else None
        if adjustment != points - base:
            criteria = [_as_applied(catalog, c, points - base, adjustment) for c in criteria]
        pending = [c for c in criteria if c.status == "pending"]
        evidenced = [c for c in criteria if c.code in self.evidenced and c.status not in OUT_OF_TOTAL]
        missing_evidence = [c.code for c in evidenced if c.status == "missing_evidence"]
        unverified = [c.code for c in evidenced if c.status == "unverified"]
        coverage = {
            "given": len(evidenced) - len(missing_evidence) - len(unverified),
            "needed": len(evidenced),
            "missing": missing_evidence,
            "unverified": unverified,
        }
        group = self._group_of.get(unit.type)
        if group is None:
            group = self._group_of[unit.type] = catalog.group_of(unit.type)
        return UnitScore.model_validate(
            {
                "unit_id": unit.id,
                "unit_name": unit.name,
                "unit_type": unit.type,
                "group": group,
                "year": unit.year,
                "base_points": base,
                "adjustment": adjustment,
                "adjustment_applied": round(points - base, 2),
                "points": points,
                "max_points": max_points,
                "index": index,
                "band": catalog.band(index),
                "rank": None,
                "overall_rank": None,
                "provisional": bool(pending),
                "pending": [PendingCriterion(code=c.code, title=c.title, max_points=c.max_points) for c in pending],
                "coverage": Coverage.model_validate(coverage),
                "areas": [self._subtotal(AreaScore, at, p, m) for at, (p, m) in zip(self.areas, areas)],
                "criteria": criteria,
                "groups": [self._subtotal(GroupScore, at, p, m) for at, (p, m) in enumerate(subtotals)],
                "source": source,
                "warnings": [*warnings, *(f"{c.code}: {w}" for c in criteria for w in c.warnings)],
            },
        )


def unit_warnings(score: UnitScore) -> list[str]:
    """The warnings about the unit's files as a whole, without those of its criteria."""
    of_criteria = {f"{c.code}: {w}" for c in score.criteria for w in c.warnings}
    return [w for w in score.warnings if w not in of_criteria]


def _as_applied(catalog: Catalog, c: CriterionResult, applied: float, nominal: float) -> CriterionResult:
    """A bonus or deduction cut short by the total's bounds says what it really moved."""
    if not catalog.leaf[c.code].adjusts_parent or c.points == 0:
        return c
    note = (
        f" Tổng điểm được giữ trong [0, tối đa] nên điểm thưởng/điểm trừ thực tế áp dụng là "
        f"{vn.number(round(applied, 2))} (thay vì {vn.number(nominal)})."
    )
    recoverable = min(c.recoverable, max(0.0, -applied))
    return c.model_copy(update={"explanation": c.explanation + note, "recoverable": round(recoverable, 2)})
