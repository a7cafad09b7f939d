"""The durable_rules path: it really runs, proves completeness, and keeps catalogs apart."""

import pytest
from durable import engine as durable_engine

from bench.synth import synthetic_units
from evidence.validate import build_unit
from rules.compiler import compile_ruleset
from rules.engine import Engine, observe
from rules.errors import EngineError
from rules.load import load_catalog
from scoring import Scorer
from scoring.core.totals import score_chunk
from tests.helpers import ALL_KINDS, score_units


def unit(catalog, uid="u1", type_="benh_vien", **evidence):
    return build_unit({"unit": {"id": uid, "name": uid, "type": type_}, "evidence": evidence}, catalog, "test")


def test_ruleset_is_plain_data_with_one_rule_per_outcome(all_kinds):
    ruleset = compile_ruleset(all_kinds)
    leaf = all_kinds.leaf["1.3"]
    names = [n for n in ruleset if n.startswith("1.3|")]
    assert sorted(names) == [
        "1.3|band_0",
        "1.3|band_1",
        "1.3|band_2",
        "1.3|missing",
        "1.3|not_applicable",
        "1.3|unverified",
    ]
    assert ruleset["1.3|band_0"] == {
        "all": [{"m": {"$and": [{"leaf": "1.3"}, {"state": "ok"}, {"$gt": {"v": 90.0}}]}}],
        "run": "1.3|band_0",
    }
    assert len(leaf.outcomes()) == 3


def test_decisions_come_from_durable_rules(all_kinds, monkeypatch):
    posted = []
    original = durable_engine.Host.post_batch

    def spy(self, name, messages, complete=None):
        posted.extend(messages)
        return original(self, name, messages, complete)

    monkeypatch.setattr(durable_engine.Host, "post_batch", spy)
    with Scorer(all_kinds, workers=1) as scorer:
        units = [unit(all_kinds, f"u{i}", tasks_done=i, tasks_total=10) for i in range(11)]
        run = scorer.score(units)
        assert len(posted) == scorer.engine.events_posted
    assert {e["leaf"] for e in posted} == set(all_kinds.leaf)
    # One event per distinct (leaf, state, facts): 1.3 reads tasks done / total, different in each
    # unit; every other leaf sees the same facts in all 11 units, so one event decides them all.
    assert sorted(e["v"] for e in posted if e["leaf"] == "1.3") == [i * 10.0 for i in range(11)]
    assert len(posted) == len(all_kinds.leaves) - 1 + 11
    points = [next(c.points for c in u.criteria if c.code == "1.3") for u in run.units]
    assert points == [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2]


def test_every_unit_gets_exactly_one_result_per_leaf(all_kinds):
    units = [unit(all_kinds, f"u{i}", satisfaction=i % 101) for i in range(120)]
    run = score_units(all_kinds, units)
    assert len(run.units) == 120
    for u in run.units:
        assert [c.code for c in u.criteria] == [leaf.code for leaf in all_kinds.leaves]


def test_lost_result_is_an_error_naming_unit_and_criterion(all_kinds, monkeypatch):
    engine = Engine(all_kinds)
    monkeypatch.setattr("rules.engine.WAIT_SECONDS", 0.2)
    actions = engine._host.get_ruleset(engine._name)._actions
    actions["2.1|pass"] = durable_engine.Promise(lambda c: None)  # an action that drops its result
    try:
        lost = unit(all_kinds, "don-vi-x", satisfaction=95)
        with pytest.raises(EngineError, match=r"đơn vị don-vi-x, tiêu chí 2\.1"):
            engine.decide([(lost.unit.id, observe(all_kinds, lost))])
    finally:
        engine.close()


def test_two_catalogs_in_one_process_do_not_collide(all_kinds, syt, tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(ALL_KINDS.read_text(encoding="utf-8"), encoding="utf-8")
    twin = load_catalog(copy)  # same id, same rule names
    a, b = Engine(all_kinds), Engine(twin)
    try:
        u = unit(all_kinds, satisfaction=95)
        first = a.decide([("u1", observe(all_kinds, u))])
        second = b.decide([("u1", observe(twin, u))])
        assert [d.outcome_id for d in first] == [d.outcome_id for d in second]
    finally:
        a.close()
        b.close()
    run = score_units(syt, [])
    assert run.units == []


def test_engine_is_reusable_across_calls(all_kinds):
    with Scorer(all_kinds, workers=1) as scorer:
        for n in (1, 3, 60):
            units = [unit(all_kinds, f"u{i}").model_copy(update={"survey": {"3.1": {"B": 9}}}) for i in range(n)]
            run = scorer.score(units)
            assert [c.points for u in run.units for c in u.criteria if c.code == "3.1"] == [1.2] * n


def test_units_scored_together_get_what_each_gets_alone(syt):
    """Results shared by units with the same plain observation change nothing."""
    units = synthetic_units(syt, 40, seed=3)
    with Scorer(syt, workers=1) as scorer:
        together = score_chunk(syt, units, scorer.engine.decide)
        alone = [score_chunk(syt, [u], scorer.engine.decide)[0] for u in units]
    assert [s.model_dump_json() for s in together] == [s.model_dump_json() for s in alone]
    shared = {id(c) for s in together for c in s.criteria}
    assert len(shared) < 40 * len(syt.leaves)  # some results really are shared
