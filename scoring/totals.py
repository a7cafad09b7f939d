"""From the engine's decisions to unit scores: points, subtotals, index, band, rank.

A criterion that does not apply leaves both the points and the maximum (the index is
re-normalised, never penalised). Bonus and deduction leaves move their parent's subtotal,
which is then kept within [0, that parent's applicable maximum].
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Sequence

from evidence.models import UnitEvidence
from rules.catalog import Catalog, Group
from rules.engine import Decision, Engine, observe
from rules.spec import LeafBase
from scoring.explain import Explainer, lost
from scoring.results import AreaScore, CatalogInfo, CriterionResult, GroupScore, ScoreRun, UnitScore

CHUNK = 500  # units decided together: bounds the memory of one engine call


def score_units(catalog: Catalog, units: Sequence[UnitEvidence], engine: Engine | None = None) -> ScoreRun:
    """Score every unit through durable_rules, ranked together: on the engine given, else on a fresh
    one, in worker processes when there are many units and several cores."""
    own = engine is None
    if engine is None and len(units) > 4 * CHUNK and (os.cpu_count() or 1) > 1:
        from rules.parallel import ParallelEngine

        engine = ParallelEngine(catalog, os.cpu_count() or 1)
    engine = engine or Engine(catalog)
    try:
        scores = [
            s
            for start in range(0, len(units), CHUNK)
            for s in score_chunk(catalog, units[start : start + CHUNK], engine.decide)
        ]
    finally:
        if own:
            engine.close()
    rank(scores)
    return ScoreRun(catalog=catalog_info(catalog), units=scores)


def catalog_info(catalog: Catalog) -> CatalogInfo:
    return CatalogInfo(id=catalog.id, version=catalog.version, year=catalog.year, title=catalog.title)


def score_chunk(catalog: Catalog, units: Sequence[UnitEvidence], decide: Callable) -> list[UnitScore]:
    """Unranked scores of some units, with `decide` picking each leaf's outcome (the engine's)."""
    decisions = decide((u.unit.id, observe(catalog, u)) for u in units)
    per_unit: dict[int, dict[str, CriterionResult]] = defaultdict(dict)
    explainer = Explainer(catalog)
    outcomes = {(leaf.code, o.id): o for leaf in catalog.leaves for o in leaf.outcomes()}
    for d in decisions:
        per_unit[d.unit_index][d.leaf.code] = criterion_result(catalog, d, explainer, outcomes)
    return [unit_score(catalog, u, per_unit[i]) for i, u in enumerate(units)]


def criterion_result(catalog: Catalog, d: Decision, explain: Explainer, outcomes: dict) -> CriterionResult:
    leaf, obs = d.leaf, d.observation
    if d.outcome_id == "not_applicable":
        points, status = 0.0, "not_applicable"
    elif d.outcome_id == "missing":
        points, status = 0.0, ("pending_manual" if leaf.kind == "manual" else "missing_evidence")
    else:
        points = leaf.points(outcomes[(leaf.code, d.outcome_id)], obs)
        status = leaf.status(points)
    lost_points = lost(leaf, points, status)
    # Built without re-validation: every field comes from checked catalog data and the engine.
    return CriterionResult.model_construct(
        code=leaf.code,
        title=leaf.title,
        area=catalog.area_of[leaf.code],
        kind=leaf.kind,
        max_points=leaf.max_points,
        points=points,
        status=status,
        explanation=explain(leaf, d.outcome_id, obs, points, status),
        reference=str(leaf.reference),
        evidence={k: _plain(v) for k, v in obs.evidence.items()},
        outcome=d.outcome_id,
        fix=leaf.fix if lost_points else "",
        deadline=leaf.deadline.isoformat() if leaf.deadline and lost_points else None,
        warnings=obs.warnings,
    )


def unit_score(catalog: Catalog, unit: UnitEvidence, results: dict[str, CriterionResult]) -> UnitScore:
    missing = [leaf.code for leaf in catalog.leaves if leaf.code not in results]
    if missing:  # the engine proves completeness; this guards the aggregation itself
        raise AssertionError(f"{unit.unit.id}: no result for {missing}")
    groups: list[GroupScore] = []
    subtotals = {area.code: subtotal(area, results, groups) for area in catalog.areas}
    points = round(sum(p for p, _ in subtotals.values()), 2)
    max_points = round(sum(m for _, m in subtotals.values()), 2)
    index = round(points / max_points * 100, 2) if max_points > 0 else None
    criteria = [results[leaf.code] for leaf in catalog.leaves]
    order = {node.code: i for i, (_, node, _) in enumerate(catalog.walk())}
    return UnitScore(
        unit_id=unit.unit.id,
        unit_name=unit.unit.name,
        unit_type=unit.unit.type,
        points=points,
        max_points=max_points,
        index=index,
        band=catalog.band(index),
        areas=[
            AreaScore(code=a.code, title=a.title, points=subtotals[a.code][0], max_points=subtotals[a.code][1])
            for a in catalog.areas
        ],
        criteria=criteria,
        groups=sorted(groups, key=lambda g: order[g.code]),
        source=unit.source,
        warnings=unit.warnings + [f"{c.code}: {w}" for c in criteria for w in c.warnings],
    )


def subtotal(
    node: Group | LeafBase, results: dict[str, CriterionResult], groups: list[GroupScore], depth: int = 0
) -> tuple[float, float]:
    """(points, applicable maximum) of a node; each group's subtotal is also added to `groups`."""
    if isinstance(node, LeafBase):
        r = results[node.code]
        return (0.0, 0.0) if r.status == "not_applicable" else (r.points, node.max_points)
    parts = [subtotal(child, results, groups, depth + 1) for child in node.children]
    points = sum(p for p, _ in parts)
    max_points = round(sum(m for _, m in parts), 2)
    if any(isinstance(c, LeafBase) and c.adjusts_parent for c in node.children):
        points = min(max(points, 0.0), max_points)
    points = round(points, 2)
    groups.append(GroupScore(code=node.code, title=node.title, points=points, max_points=max_points, depth=depth))
    return points, max_points


def rank(scores: list) -> None:
    """Competition ranking by index (1, 2, 2, 4): ties share a rank; units without an index get none."""
    ranked = sorted((s for s in scores if s.index is not None), key=lambda s: -s.index)
    for position, s in enumerate(ranked, start=1):
        previous = ranked[position - 2] if position > 1 else None
        s.rank = previous.rank if previous is not None and previous.index == s.index else position


def _plain(value: object) -> object:
    """Evidence as JSON-ready values: documents as mappings, dates as ISO strings."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_defaults=True)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value
