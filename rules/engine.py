"""Run units' evidence through a compiled catalog on durable_rules' own Host, and prove completeness.

Facts measured on these machines (see shared/DURABLE_RULES.md) shape this module:
- each Engine owns a fresh `durable.engine.Host`, so two catalogs (or tests) never collide;
- actions may run after `post_batch` returns, so results are counted, then waited for;
- large batches silently lose results, so events go in batches of 50, the size proven safe;
- each result costs a Python action call, so events are sorted by leaf and each rule takes up to
  a batch of matches in one call (`cap`): 1,060,000/1,060,000 results measured this way;
- every unit × leaf gets exactly one result, or the run fails naming the unit and the criterion.
"""

from __future__ import annotations

import functools
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from durable import engine as durable_engine

from rules.catalog import Catalog
from rules.compiler import compile_ruleset, split_rule_name
from rules.errors import EngineError
from rules.spec import NA, LeafBase, Observation

BATCH = 50  # events per post_batch: 250,000/250,000 results measured at this size, losses above it
WAIT_SECONDS = 30.0  # longest wait for actions still running after the last post


@dataclass(slots=True)
class Decision:
    """The engine's answer for one unit × leaf: which outcome of the leaf holds."""

    unit_index: int
    leaf: LeafBase
    outcome_id: str
    observation: Observation


class _Host(durable_engine.Host):
    """durable_rules' Host, with actions looked up by name in our table instead of globally."""

    def __init__(self, actions: dict[str, Callable[[Any], None]]):
        self._actions = actions
        super().__init__()

    def get_action(self, action_name: str) -> Callable[[Any], None]:
        return self._actions[action_name]

    def stop(self) -> None:
        for timer in (getattr(self, "_d_timer", None), getattr(self, "_t_timer", None)):
            if timer is not None:
                timer.cancel()


class Engine:
    """A catalog compiled once into its own durable_rules host. `decide` may be called many times
    and from several threads: calls take turns, since the host's results are collected per call."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.ruleset = compile_ruleset(catalog, cap=BATCH)
        self._name = f"cchc_{catalog.id}_{uuid.uuid4().hex[:8]}"
        self._next_id = 1
        self._lock = threading.Lock()  # guards the results the actions record
        self._turn = threading.Lock()  # one decide/run_events call at a time
        self._results: dict[int, str] = {}
        self._duplicates: list[int] = []
        actions = {name: self._recorder(name) for name in self.ruleset}
        self._host = _Host(actions)
        self._host.set_rulesets({self._name: self.ruleset})
        self.events_posted = 0  # what went through durable_rules, for tests and the benchmark

    def _recorder(self, name: str) -> Callable[[Any], None]:
        def record(c: Any) -> None:
            matches = c.m if isinstance(c.m, list) else [c.m]
            with self._lock:
                for m in matches:
                    event_id = m["id"]
                    if event_id in self._results:
                        self._duplicates.append(event_id)
                    else:
                        self._results[event_id] = name
            if matches is c.m:
                # durable_rules keeps the closure `c` in a reference cycle until the collector runs;
                # its matches, read now, are let go at once instead of waiting with it.
                matches.clear()

        return record

    def close(self) -> None:
        self._host.stop()

    def decide(self, units: Iterable[tuple[str, list[tuple[LeafBase, Observation]]]]) -> list[Decision]:
        """For each (unit id, [(leaf, observation)...]), the outcome durable_rules picks for every leaf."""
        with self._turn:
            events, pending = build_events(units, self._next_id)
            self._next_id += len(events)
            results, unmatched, duplicates = self._run(events)
        return decisions_from(results, pending, unmatched, duplicates)

    def run_events(self, events: list[dict]) -> tuple[dict[int, str], int, int]:
        """Post events (sorted by leaf) and wait for their results: (id → rule, unmatched, duplicates)."""
        with self._turn:
            return self._run(events)

    def _run(self, events: list[dict]) -> tuple[dict[int, str], int, int]:
        unmatched = self._post(events)
        results = self._collect([e["id"] for e in events])
        with self._lock:
            duplicates, self._duplicates = len(self._duplicates), []
        self.events_posted += len(events)
        return results, unmatched, duplicates

    def _post(self, events: list[dict]) -> int:
        unmatched = 0
        for start in range(0, len(events), BATCH):
            try:
                self._host.post_batch(self._name, events[start : start + BATCH])
            except durable_engine.MessageNotHandledException:
                unmatched += 1  # the completeness check below names what got no result
        return unmatched

    def _collect(self, ids: list[int]) -> dict[int, str]:
        """The results of these event ids, once all are in (or the wait is over)."""
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            with self._lock:
                complete = len(self._results) >= len(ids) and all(i in self._results for i in ids)
                if complete or time.monotonic() > deadline:
                    results, self._results = self._results, {}
                    return results
            time.sleep(0.001)


def build_events(
    units: Iterable[tuple[str, list[tuple[LeafBase, Observation]]]], first: int, first_unit: int = 0
) -> tuple[list[dict], list[tuple[int, int, str, LeafBase, Observation]]]:
    """One durable_rules event per distinct (leaf, state, facts), ids from `first`, grouped by leaf
    (same-leaf events share rules, so one action call takes a batch of them). A rule reads only the
    leaf, the state and the facts, so units whose facts are the same share one decision: each
    pending unit × leaf names the event that decides it."""
    pending: list[tuple[int, int, str, LeafBase, Observation]] = []
    by_leaf: dict[str, list[dict]] = {}
    ids: dict[tuple, int] = {}
    event_id = first
    for unit_index, (unit_id, observations) in enumerate(units, start=first_unit):
        for leaf, obs in observations:
            key = (leaf.code, obs.state, *obs.facts.items())
            known = ids.get(key)
            if known is None:
                known = ids[key] = event_id
                event = {"id": event_id, "leaf": leaf.code, "state": obs.state}
                event.update(obs.facts)
                bucket = by_leaf.get(leaf.code)
                if bucket is None:
                    bucket = by_leaf[leaf.code] = []
                bucket.append(event)
                event_id += 1
            pending.append((known, unit_index, unit_id, leaf, obs))
    return [e for code in sorted(by_leaf) for e in by_leaf[code]], pending


def decisions_from(
    results: dict[int, str],
    pending: list[tuple[int, int, str, LeafBase, Observation]],
    unmatched: int,
    duplicates: int,
) -> list[Decision]:
    """Decisions in unit order, after proving exactly one result per event and one per unit × leaf."""
    decisions = []
    missing = []
    outcome_of = _outcome_of
    for event_id, unit_index, unit_id, leaf, obs in pending:
        name = results.get(event_id)
        if name is None:
            missing.append((unit_index, unit_id, leaf, obs))
            continue
        code, outcome_id = outcome_of(name)
        if code != leaf.code:
            raise EngineError(f"quy tắc của {code} khớp sự kiện của {leaf.code}")
        decisions.append(Decision(unit_index, leaf, outcome_id, obs))
    if missing or duplicates:
        raise EngineError(_completeness_message(missing, duplicates, unmatched))
    return decisions


@functools.lru_cache(maxsize=4096)
def _outcome_of(rule: str) -> tuple[str, str]:
    return split_rule_name(rule)


def _completeness_message(missing: list[tuple], duplicates: int, unmatched: int) -> str:
    lines = [f"Động cơ luật không trả đủ kết quả: thiếu {len(missing)}, trùng {duplicates}."]
    if unmatched:
        lines.append(f"{unmatched} lô sự kiện không khớp quy tắc nào.")
    lines += [
        f"- đơn vị {unit_id}, tiêu chí {leaf.code} (trạng thái {obs.state})" for _, unit_id, leaf, obs in missing[:20]
    ]
    return "\n".join(lines)


def not_applicable(reason: str) -> Observation:
    return Observation(NA, vars={"reason": reason})


def observe(catalog: Catalog, unit: Any) -> list[tuple[LeafBase, Observation]]:
    """What a unit's evidence says for every leaf: N/A by unit type, by the unit's declaration, or
    because nothing arose (a count the catalog names is 0); else what the leaf's kind reads."""
    out: list[tuple[LeafBase, Observation]] = []
    label = catalog.unit_types.get(unit.unit.type, unit.unit.type)
    values = unit.values
    for leaf in catalog.leaves:
        idle = leaf.not_applicable_if_zero and [f for f in leaf.not_applicable_if_zero if values.get(f) == 0]
        if not leaf.applies(unit.unit.type):
            obs = not_applicable(f"tiêu chí không áp dụng cho {label}")
        elif leaf.code in unit.not_applicable:
            obs = not_applicable(f"đơn vị khai: {unit.not_applicable[leaf.code]}")
        elif idle:
            obs = not_applicable(f"không phát sinh ({catalog.fields[idle[0]].label}: 0)")
            obs.evidence = {idle[0]: 0}
        else:
            obs = leaf.observe(unit)
        out.append((leaf, obs))
    return out
