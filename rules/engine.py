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

import itertools
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


@dataclass
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
    """A catalog compiled once into its own durable_rules host; `decide` may be called many times."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.ruleset = compile_ruleset(catalog, cap=BATCH)
        self._name = f"cchc_{catalog.id}_{uuid.uuid4().hex[:8]}"
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._results: dict[int, str] = {}
        self._duplicates: list[int] = []
        self._outcome_of = {name: split_rule_name(name) for name in self.ruleset}
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

        return record

    def close(self) -> None:
        self._host.stop()

    def decide(self, units: Iterable[tuple[str, list[tuple[LeafBase, Observation]]]]) -> list[Decision]:
        """For each (unit id, [(leaf, observation)...]), the outcome durable_rules picks for every leaf."""
        pending: dict[int, tuple[int, str, LeafBase, Observation]] = {}
        events: list[dict] = []
        for unit_index, (unit_id, observations) in enumerate(units):
            for leaf, obs in observations:
                event_id = next(self._ids)
                pending[event_id] = (unit_index, unit_id, leaf, obs)
                events.append({"id": event_id, "leaf": leaf.code, "state": obs.state, **obs.facts})
        events.sort(key=lambda e: e["leaf"])  # same-leaf events share rules: one action call per batch
        unmatched = self._post(events)
        results = self._collect(pending)
        with self._lock:
            duplicates, self._duplicates = len(self._duplicates), []
        missing = [pending[i] for i in pending if i not in results]
        if missing or duplicates:
            raise EngineError(_completeness_message(missing, duplicates, unmatched))
        decisions = []
        for event_id, (unit_index, _, leaf, obs) in pending.items():
            code, outcome_id = self._outcome_of[results[event_id]]
            if code != leaf.code:
                raise EngineError(f"quy tắc của {code} khớp sự kiện của {leaf.code}")
            decisions.append(Decision(unit_index, leaf, outcome_id, obs))
        self.events_posted += len(events)
        return decisions

    def _post(self, events: list[dict]) -> int:
        unmatched = 0
        for start in range(0, len(events), BATCH):
            try:
                self._host.post_batch(self._name, events[start : start + BATCH])
            except durable_engine.MessageNotHandledException:
                unmatched += 1  # the completeness check below names what got no result
        return unmatched

    def _collect(self, pending: dict[int, Any]) -> dict[int, str]:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            with self._lock:
                done = all(i in self._results for i in pending)
                if done or time.monotonic() > deadline:
                    return {i: self._results.pop(i) for i in pending if i in self._results}
            time.sleep(0.001)


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
    """What a unit's evidence says for every leaf, N/A by unit type or by the unit's declaration."""
    out = []
    label = catalog.unit_types.get(unit.unit.type, unit.unit.type)
    for leaf in catalog.leaves:
        if not leaf.applies(unit.unit.type):
            obs = not_applicable(f"tiêu chí không áp dụng cho {label}")
        elif leaf.code in unit.not_applicable:
            obs = not_applicable(f"đơn vị khai: {unit.not_applicable[leaf.code]}")
        else:
            obs = leaf.observe(unit.values, unit.manual)
        out.append((leaf, obs))
    return out
