"""Invariants on random evidence, and the engine against the plain-Python reference, for every kind."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.models import Document, ManualScore, Unit, UnitEvidence
from rules.engine import observe
from rules.load import load_catalog
from rules.reference import decide
from scoring import Scorer
from tests.helpers import ALL_KINDS

CATALOG = load_catalog(ALL_KINDS)
SCORER = Scorer(CATALOG, workers=1)  # one host for the whole module, as the CLI and benchmark use it

dates = st.dates(dt.date(2025, 10, 1), dt.date(2027, 3, 31))


def maybe(strategy):
    return st.none() | strategy


@st.composite
def evidence(draw):
    received = draw(st.integers(0, 2000))
    on_time = draw(st.integers(0, received))
    late = draw(st.integers(0, received - on_time))
    total = draw(st.integers(0, 50))
    in_scope = draw(st.integers(0, 30))
    values = {
        "plan": draw(maybe(dates.map(lambda d: Document(date=d, number="01/KH")))),
        **{f"report_q{i}": draw(maybe(dates)) for i in range(1, 5)},
        "tasks_total": total,
        "tasks_done": draw(st.integers(0, total)),
        "task_grade": draw(maybe(st.sampled_from(["full", "mostly", "partly", "none"]))),
        "satisfaction": draw(maybe(st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 2)))),
        "dossiers_received": received,
        "dossiers_on_time": on_time,
        "dossiers_late": late,
        "iso": draw(maybe(st.booleans())),
        "late_no_apology": draw(maybe(st.integers(0, 20))),
        "initiatives": draw(maybe(st.integers(0, 5))),
        "portal": draw(maybe(st.booleans())),
        "tthc_in_scope": in_scope,
        "tthc_online": draw(st.integers(0, in_scope)),
    }
    survey = draw(maybe(st.dictionaries(st.sampled_from("ABCD"), st.integers(0, 300), max_size=4)))
    manual = draw(maybe(st.floats(0, 1, allow_nan=False).map(lambda x: round(x, 2))))
    na = draw(st.booleans())
    unit_type = draw(st.sampled_from(["co_quan_so", "benh_vien"]))
    return UnitEvidence(
        unit=Unit(id="u", name="u", type=unit_type, year=2026),
        values={k: v for k, v in values.items() if v is not None},
        manual={"1.5": ManualScore(points=manual, reason="r")} if manual is not None else {},
        not_applicable={"3.3.1": "không có"} if na else {},
        survey={"3.1": survey} if survey is not None else {},
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(evidence(), min_size=1, max_size=5))
def test_engine_agrees_with_reference(units):
    decisions = SCORER.engine.decide((f"u{i}", observe(CATALOG, u)) for i, u in enumerate(units))
    assert len(decisions) == len(units) * len(CATALOG.leaves)
    for d in decisions:
        assert d.outcome_id == decide(d.leaf, d.observation), d.leaf.code


@settings(max_examples=100, deadline=None)
@given(evidence())
def test_points_stay_within_bounds_and_totals_add_up(unit):
    score = SCORER.score([unit]).units[0]
    for c in score.criteria:
        low, high = CATALOG.leaf[c.code].point_range()
        assert low <= c.points <= high
    for area in score.areas:
        assert 0 <= area.points <= area.max_points
    # the total is the areas' sum plus the bonus/deduction line, kept within [0, maximum]
    assert score.base_points == round(sum(a.points for a in score.areas), 2)
    assert score.points == round(min(max(score.base_points + score.adjustment, 0), score.max_points), 2)
    assert score.adjustment_applied == round(score.points - score.base_points, 2)
    counted = [c for c in score.criteria if c.status not in ("not_applicable", "pending")]
    assert score.max_points == round(sum(c.max_points for c in counted), 2)
    assert score.provisional == any(c.status == "pending" for c in score.criteria)
    assert score.coverage.given <= score.coverage.needed
    if score.max_points:
        assert 0 <= score.index <= 100 and score.band is not None


@settings(max_examples=60, deadline=None)
@given(evidence())
def test_not_applicable_leaves_both_sides(unit):
    """Declaring 3.3.1 not applicable removes exactly its maximum, and only its points.

    Without the bonus: the total is kept within a maximum that N/A makes smaller.
    """
    values = {k: v for k, v in unit.values.items() if k != "initiatives"}
    with_na = unit.model_copy(update={"not_applicable": {"3.3.1": "không có"}, "values": values})
    without = unit.model_copy(update={"not_applicable": {}, "values": {**values, "portal": False}})
    a, b = (SCORER.score([u]).units[0] for u in (with_na, without))
    assert a.max_points == b.max_points - 1
    assert a.points == b.points  # portal=False earns 0, so removing it changes no points
