"""`cchc score` at any scale: evidence files are read, checked, scored and serialised one file at
a time, in worker processes when the run is large, so memory stays flat and both cores work.

Each worker owns a durable_rules engine; only finished JSON lines and small summaries come back.
Workers are spawned, not forked (a forked copy of a process running durable_rules' timer threads
is not safe), so a pool is started only when the run is large enough to repay its start-up.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from evidence.loaders import claim_id, evidence_files, load_file
from rules.catalog import Catalog
from rules.engine import Engine
from rules.errors import InputError, Problem
from scoring.tables import Summary
from scoring.totals import CHUNK, score_chunk

PARALLEL_BYTES = 2_000_000  # about 800 units of YAML: below this a pool costs more than it saves


@dataclass
class FileScores:
    """What one evidence file gave: each good unit as (id, JSON line, summary), and the problems."""

    units: list[tuple[str, str, Summary]] = field(default_factory=list)
    problems: list[list[Problem]] = field(default_factory=list)


_worker: dict = {}  # this process's catalog and engine


def _start(catalog: Catalog) -> None:
    _worker["catalog"] = catalog


def _score_file(path: Path) -> FileScores:
    catalog = _worker["catalog"]
    if "engine" not in _worker:
        _worker["engine"] = Engine(catalog)
    out = FileScores()
    try:
        loaded = load_file(path, catalog)
    except InputError as e:
        out.problems.append(e.problems)
        return out
    good = [u for u, error in loaded if error is None]
    out.problems += [error.problems for _, error in loaded if error is not None]
    for start in range(0, len(good), CHUNK):
        for s in score_chunk(catalog, good[start : start + CHUNK], _worker["engine"].decide):
            summary = Summary(s.unit_id, s.unit_name, s.unit_type, s.points, s.max_points, s.index, s.band)
            out.units.append((s.unit_id, s.model_dump_json(), summary))
    return out


def score_files(
    paths: list[Path], catalog: Catalog, failures: list[InputError], workers: int | None = None
) -> Iterator[tuple[str, Summary]]:
    """(JSON line, summary) of every good unit, in file order; bad files, units and duplicate ids go
    to `failures`."""
    files = evidence_files(paths)
    workers = workers or os.cpu_count() or 1
    size = sum(_size(f) for f in files)
    seen: dict[str, str] = {}
    if workers > 1 and len(files) > 1 and size >= PARALLEL_BYTES:
        pool = multiprocessing.get_context("spawn").Pool(workers, initializer=_start, initargs=(catalog,))
        results = pool.imap(_score_file, files)
    else:
        pool = None
        _start(catalog)
        results = map(_score_file, files)
    try:
        for path, result in zip(files, results):
            failures += [InputError(problems) for problems in result.problems]
            for unit_id, line, summary in result.units:
                duplicate = claim_id(seen, unit_id, str(path))
                if duplicate is not None:
                    failures.append(duplicate)
                    continue
                yield line, summary
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        engine = _worker.pop("engine", None)
        if engine is not None:
            engine.close()


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else path.stat().st_size
