"""Scoring evidence files at any scale: read, checked, scored and serialised one file at a time, in
worker processes when the run is large, so memory stays flat and both cores work.

Each worker process owns a durable_rules engine for the catalog its pool was started with; only
finished JSON lines and small summaries come back. Workers are spawned, not forked (a forked copy
of a process running durable_rules' timer threads is not safe), so a pool is started only when
the run is large enough to repay its start-up.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path

from evidence.loaders import load_file
from evidence.survey import Survey
from rules.catalog import Catalog
from rules.engine import Engine
from rules.errors import InputError, Problem
from rules.parallel import spawn_pool, task_done
from scoring.core.results import Summary, ranked_json, unranked_json
from scoring.core.totals import CHUNK, Decide, score_chunk

PARALLEL_BYTES = 2_000_000  # about 800 units of YAML: below this a pool costs more than it saves


@dataclass(frozen=True, slots=True)
class StoredLine:
    """Where one unit's result lies in a spool file: its two unranked JSON objects (UTF-8, see
    `unranked_json`) one after the other, then a newline. The output is copied from there, never
    through this process's memory (a unit is 40 KB of JSON)."""

    path: Path
    start: int
    head: int  # the length of the object of the fields before the ranks
    tail: int  # the length of the object of those after them

    def read(self) -> bytes:
        """The unit's JSON, its ranks not yet known (null)."""
        with self.path.open("rb") as f:
            f.seek(self.start)
            return ranked_json(f.read(self.head), f.read(self.tail), None, None)


@dataclass
class FileScores:
    """What one evidence file gave: each good unit's summary and where its result lies (in
    order), and the problems. Results go through a file, not back through memory or a pipe."""

    units: list[tuple[Summary, StoredLine]] = field(default_factory=list)
    problems: list[list[Problem]] = field(default_factory=list)


def score_file(path: Path, catalog: Catalog, decide: Decide, spool: Path, survey: Survey | None = None) -> FileScores:
    """Every unit of one file scored (unranked), their results written to a new file in the folder
    `spool` (kept until the scorer closes); or the file's and units' problems."""
    out = FileScores()
    try:
        loaded = load_file(path, catalog, survey)
    except InputError as e:
        out.problems.append(e.problems)
        return out
    good = [u for u, error in loaded if u is not None]
    out.problems += [error.problems for _, error in loaded if error is not None]
    del loaded
    with tempfile.NamedTemporaryFile("wb", dir=spool, suffix=".jsonl", delete=False) as lines:
        where, at = Path(lines.name), 0
        for start in range(0, len(good), CHUNK):
            for s in score_chunk(catalog, good[start : start + CHUNK], decide):
                head, tail = unranked_json(s)
                lines.write(head + tail + b"\n")
                out.units.append((Summary.of(s), StoredLine(where, at, len(head), len(tail))))
                at += len(head) + len(tail) + 1
    return out


def file_pool(catalog: Catalog, workers: int, spool: Path, survey: Survey | None) -> Pool:
    """Worker processes, each scoring whole files against `catalog` on its own engine, writing
    results into the folder `spool`."""
    return spawn_pool(workers, _start_worker, catalog, spool, survey)


# Only ever set inside a spawned worker process, which serves the one pool (one catalog) it was made for.
_worker_state: dict = {}


def _start_worker(catalog: Catalog, spool: Path, survey: Survey | None) -> None:
    _worker_state.update(catalog=catalog, engine=Engine(catalog), spool=spool, survey=survey)


def score_file_in_worker(path: Path) -> FileScores:
    state = _worker_state
    try:
        return score_file(path, state["catalog"], state["engine"].decide, state["spool"], state["survey"])
    finally:
        task_done()


def total_size(files: list[Path]) -> int:
    return sum(
        sum(p.stat().st_size for p in f.rglob("*") if p.is_file()) if f.is_dir() else f.stat().st_size for f in files
    )
