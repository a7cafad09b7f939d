"""From the engine's decisions to unit scores: points, subtotals, index, band, rank.

A criterion that does not apply leaves both the points and the maximum (the index is
re-normalised, never penalised). Bonus and deduction leaves move their parent's subtotal,
which is then kept within [0, that parent's applicable maximum].
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from evidence.models import Unit, UnitEvidence
from rules.catalog import Catalog, Group, Node
from rules.engine import Decision, observe
from rules.spec import LeafBase, Observation, Outcome, Status
from scoring.explain import Explainer
from scoring.results import AreaScore, CatalogInfo, CriterionResult, GroupScore, Summary, UnitScore

CHUNK = 500  # units decided together: bounds the memory of one engine call
# What picks each leaf's outcome: the engine's decide (or the reference evaluator's, in tests).
Decide = Callable[[Iterable[tuple[str, list[tuple[LeafBase, Observation]]]]], list[Decision]]


def catalog_info(catalog: Catalog) -> CatalogInfo:
    return CatalogInfo(
        id=catalog.id, version=catalog.version, year=catalog.year, title=catalog.title, framework=catalog.framework
    )


def score_chunk(catalog: Catalog, units: Sequence[UnitEvidence], decide: Decide) -> list[UnitScore]:
    """Unranked scores of some units, with `decide` picking each leaf's outcome (the engine's)."""
    decisions = decide((u.unit.id, observe(catalog, u)) for u in units)
    per_unit: dict[int, dict[str, CriterionResult]] = defaultdict(dict)
    explainer = Explainer(catalog)
    outcomes = {(leaf.code, o.id): o for leaf in catalog.leaves for o in leaf.outcomes()}
    for d in decisions:
        per_unit[d.unit_index][d.leaf.code] = criterion_result(catalog, d, explainer, outcomes)
    return [unit_score(catalog, u.unit, per_unit[i], u.source, u.warnings) for i, u in enumerate(units)]


def criterion_result(
    catalog: Catalog, d: Decision, explain: Explainer, outcomes: dict[tuple[str, str], Outcome]
) -> CriterionResult:
    leaf, obs = d.leaf, d.observation
    status: Status
    if d.outcome_id == "not_applicable":
        points, status = 0.0, "not_applicable"
    elif d.outcome_id == "missing":
        points, status = 0.0, leaf.missing_status
    else:
        points = leaf.points(outcomes[(leaf.code, d.outcome_id)], obs)
        status = leaf.status(points)
    lost_points = leaf.lost(points, status)
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
        recoverable=round(leaf.recoverable(points), 2) if lost_points else 0.0,
        deadline=leaf.deadline.isoformat() if leaf.deadline and lost_points else None,
        warnings=obs.warnings,
    )


def unit_score(
    catalog: Catalog, unit: Unit, results: dict[str, CriterionResult], source: str = "", warnings: Sequence[str] = ()
) -> UnitScore:
    """A unit's totals from one result per leaf (the engine's, or an appraisal's)."""
    missing = [leaf.code for leaf in catalog.leaves if leaf.code not in results]
    if missing:  # the engine proves completeness; this guards the aggregation itself
        raise AssertionError(f"{unit.id}: no result for {missing}")
    groups: list[GroupScore] = []
    subtotals = {area.code: subtotal(area, results, groups) for area in catalog.areas}
    points = round(sum(p for p, _ in subtotals.values()), 2)
    max_points = round(sum(m for _, m in subtotals.values()), 2)
    index = round(points / max_points * 100, 2) if max_points > 0 else None
    criteria = [results[leaf.code] for leaf in catalog.leaves]
    order = {node.code: i for i, (_, node, _) in enumerate(catalog.walk())}
    return UnitScore(
        unit_id=unit.id,
        unit_name=unit.name,
        unit_type=unit.type,
        year=unit.year,
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
        source=source,
        warnings=[*warnings, *(f"{c.code}: {w}" for c in criteria for w in c.warnings)],
    )


def subtotal(
    node: Node, results: dict[str, CriterionResult], groups: list[GroupScore], depth: int = 0
) -> tuple[float, float]:
    """(points, applicable maximum) of a node; each group's subtotal is also added to `groups`."""
    if not isinstance(node, Group):
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


def rank(scores: Sequence[UnitScore | Summary]) -> None:
    """Competition ranking by index (1, 2, 2, 4): ties share a rank; units without an index get none."""
    ranked = sorted((s for s in scores if s.index is not None), key=lambda s: -(s.index or 0.0))
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
