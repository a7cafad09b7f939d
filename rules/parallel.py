"""durable_rules on several cores: the same decisions as Engine, from worker processes.

durable_rules runs its actions in Python under the GIL, so threads do not help; processes do.
The parent observes the evidence and builds the events; each worker owns an Engine (its own
durable_rules host) and returns only event id → rule name, so little crosses between processes.
Workers are spawned, not forked: a forked copy of a process running durable_rules' timer threads
is not safe.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
import threading
import weakref
from collections.abc import Callable, Iterable
from multiprocessing.pool import Pool
from typing import Any

from rules.catalog import Catalog
from rules.engine import Decision, Engine, build_events, decisions_from
from rules.spec import LeafBase, Observation

SLICES_PER_WORKER = 4  # enough slices to keep every process busy, few enough to keep overhead low
_engine: Engine | None = None  # the worker's own


def spawn_pool(workers: int, initializer: Callable[..., None], *args: Any) -> Pool:
    """Spawned worker processes, each started with `initializer(*args)`, the arguments given through
    a file (removed with the pool). A spawned worker reads what it is given from a pipe only once it
    has imported the parent's main module, and the parent waits as soon as the pipe (64 KB) is
    full: a catalog (150 KB) given as an argument made each worker start only once the one before
    had imported everything, 1 s each. Given through a file, they all start at once."""
    fd, path = tempfile.mkstemp(prefix="cchc-workers-", suffix=".pickle")
    with os.fdopen(fd, "wb") as f:
        pickle.dump((initializer, args), f, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_start_from, initargs=(path,))
    except BaseException:
        os.remove(path)
        raise
    weakref.finalize(pool, os.remove, path)  # a worker the pool starts again reads it again
    return pool


def _start_from(path: str) -> None:
    with open(path, "rb") as f:
        initializer, args = pickle.load(f)
    initializer(*args)
    # A worker is a process of its own that only scores: what it loaded (the catalog, the engine)
    # is left out of the collector's walks, and the collector runs once after each task
    # (`task_done`) instead of every 700 allocations, when it walked the task's living results
    # again and again (a third of scoring's time).
    gc.freeze()
    gc.disable()


def task_done() -> None:
    """In a worker: the task's cyclic garbage (durable_rules' closures, about 50 objects a unit)
    collected, once."""
    gc.collect()


BATCH_COLLECTION_THRESHOLD = 500_000  # allocations between two runs of the young generation (Python: 700)


def tune_collector_for_batch() -> None:
    """For the process of a command that scores and ends (`cchc score`, `cchc report`, the
    benchmark), never for a server's: Python's cycle collector runs every 500,000 allocations
    instead of 700. Scoring makes many objects that live on (units, results) and little cyclic
    garbage, and at 700 the collector walked the living again and again: a third of scoring's time;
    at 50,000 still 15 to 25 %, at 500,000 as little as with the collector off (2,000 units,
    process time, 5 runs each)."""
    gc.set_threshold(BATCH_COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


def _start(catalog: Catalog) -> None:
    global _engine
    _engine = Engine(catalog)


def _run(events: list[dict]) -> tuple[dict[int, str], int, int]:
    assert _engine is not None
    try:
        return _engine.run_events(events)
    finally:
        task_done()


class ParallelEngine:
    """Engine's `decide`, with the events shared out to `workers` processes."""

    def __init__(self, catalog: Catalog, workers: int = 2):
        self.catalog = catalog
        self.workers = workers
        self._next_id = 1
        self._turn = threading.Lock()  # event ids are numbered per call, so calls take turns
        self._pool = spawn_pool(workers, _start, catalog)
        self.events_posted = 0

    def decide(self, units: Iterable[tuple[str, list[tuple[LeafBase, Observation]]]]) -> list[Decision]:
        """Pipelined: while workers run one slice of units, this process prepares the next one and
        checks the slices already back."""
        with self._turn:
            return self._decide(list(units))

    def _decide(self, units: list) -> list[Decision]:
        step = max(1, -(-len(units) // (self.workers * SLICES_PER_WORKER)))
        slices: list[list] = []

        def prepared():
            for start in range(0, len(units), step):
                events, pending = build_events(units[start : start + step], self._next_id, first_unit=start)
                self._next_id += len(events)
                self.events_posted += len(events)
                slices.append(pending)
                yield events

        decisions: list[Decision] = []
        for i, (results, unmatched, duplicates) in enumerate(self._pool.imap(_run, prepared())):
            pending = slices[i]
            decisions += decisions_from(results, pending, unmatched, duplicates)
        return decisions

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()
