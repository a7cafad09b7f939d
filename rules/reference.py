"""A plain-Python evaluator of the same catalogs: the test oracle and the benchmark's baseline.

It decides each leaf's outcome straight from the kind's parameters, without durable_rules and
without the compiled conditions, so a compiler or engine fault shows up as a disagreement.
"""

from __future__ import annotations

from collections.abc import Callable

from rules.spec import MISSING, NA, UNVERIFIED, LeafBase, Observation


def decide(leaf: LeafBase, obs: Observation) -> str:
    if obs.state == NA:
        return "not_applicable"
    if obs.state == MISSING:
        return "missing"
    if obs.state == UNVERIFIED:
        return "unverified"
    return _DECIDERS[leaf.kind](leaf, obs.facts)


def _on_time(leaf, f) -> str:
    p, days = leaf.params, f["v"]
    until = p.late_until
    if p.issued_from is not None and days < (p.issued_from - p.deadline).days:
        return "too_early"
    if days <= 0:
        return "on_time"
    if until is None or days <= (until - p.deadline).days:
        return "late"
    return "too_late"


def _periods(leaf, f) -> str:
    if f["missing"] > 0:
        return "incomplete"
    return "some_late" if f["late"] > 0 else "all_on_time"


def _bands(leaf, f) -> str:
    v = f["v"]
    for i, band in enumerate(leaf.params.bands):
        low_ok = (band.gte is None or v >= band.gte) and (band.gt is None or v > band.gt)
        high_ok = (band.lte is None or v <= band.lte) and (band.lt is None or v < band.lt)
        if low_ok and high_ok:
            return f"band_{i}"
    raise ValueError(f"{leaf.code}: no band holds {v}")


def _threshold(leaf, f) -> str:
    p, v = leaf.params, f["v"]
    return "pass" if (v >= p.gte if p.gte is not None else v > p.gt) else "fail"


def _proportional(leaf, f) -> str:
    v = f["v"]
    if v < leaf.params.floor:
        return "below_floor"
    return "full" if v >= leaf.params.full_at else "scaled"


_DECIDERS: dict[str, Callable] = {
    "binary": lambda leaf, f: "yes" if f["v"] == 1 else "no",
    "on_time": _on_time,
    "period_deadlines": _periods,
    "percent_bands": _bands,
    "threshold": _threshold,
    "proportional": _proportional,
    "graded": lambda leaf, f: f"grade_{f['v']}",
    "survey": lambda leaf, f: "scored",
    "deduction": lambda leaf, f: "none" if f["v"] == 0 else "applied",
    "bonus": lambda leaf, f: "none" if f["v"] == 0 else "applied",
    "manual": lambda leaf, f: "scored",
}


def decide_all(units) -> list:
    """Engine.decide's contract without durable_rules: [(unit id, [(leaf, obs)...])...] → Decisions."""
    from rules.engine import Decision

    return [Decision(i, leaf, decide(leaf, obs), obs) for i, (_, pairs) in enumerate(units) for leaf, obs in pairs]
