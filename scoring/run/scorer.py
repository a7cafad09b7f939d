"""The Scorer: one catalog, its durable_rules engine and worker processes, scoring units on demand.

    with Scorer(catalog) as scorer:
        run = scorer.score(units)            # a ranked ScoreRun

A scorer holds no module state: any number of them, for any catalogs, may run in one process and
from several threads. Its engine is used one call at a time (durable_rules' host collects the
results of one call), and worker processes are started only for runs large enough to repay them.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections.abc import Iterator, Sequence
from multiprocessing.pool import Pool
from pathlib import Path
from types import TracebackType

from evidence.loaders import claim_id, evidence_files
from evidence.models import UnitEvidence
from evidence.survey import Survey
from rules.catalog import Catalog
from rules.engine import Engine
from rules.errors import InputError
from rules.parallel import ParallelEngine
from scoring.core.ranking import ranked
from scoring.core.results import ScoreRun, Summary, UnitScore
from scoring.core.totals import CHUNK, catalog_info, score_chunk
from scoring.run.pipeline import (
    PARALLEL_BYTES,
    FileScores,
    StoredLine,
    file_pool,
    score_file,
    score_file_in_worker,
    total_size,
)


class Scorer:
    """Scores units' evidence against one catalog through durable_rules.

    `workers`: processes for large runs (default: one per core; 1 keeps everything in this process).
    `survey`: the Sở's survey results for `score_files` (units given to `score` carry their own).
    """

    parallel_units = 4 * CHUNK  # in-memory runs above this many units use worker processes
    parallel_bytes = PARALLEL_BYTES  # file runs above this much evidence use worker processes

    def __init__(self, catalog: Catalog, workers: int | None = None, survey: Survey | None = None):
        self.catalog = catalog
        self.survey = survey  # the Sở's survey results, attached to the units of score_files
        self.workers = workers or os.cpu_count() or 1
        self._lock = threading.Lock()  # guards the lazily started engine and pools
        self._engine: Engine | None = None
        self._parallel: ParallelEngine | None = None
        self._files: Pool | None = None
        self._spool_dir: tempfile.TemporaryDirectory | None = None

    def __enter__(self) -> Scorer:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    @property
    def engine(self) -> Engine:
        """This scorer's own engine (its own durable_rules host), started on first use."""
        with self._lock:
            if self._engine is None:
                self._engine = Engine(self.catalog)
            return self._engine

    def score(self, units: Sequence[UnitEvidence]) -> ScoreRun:
        """Every unit scored and ranked together."""
        return ScoreRun(catalog=catalog_info(self.catalog), units=ranked(self.score_unranked(units)))

    def score_unranked(self, units: Sequence[UnitEvidence]) -> list[UnitScore]:
        decide = self._parallel_engine().decide if len(units) > self.parallel_units else self.engine.decide
        return [
            s
            for start in range(0, len(units), CHUNK)
            for s in score_chunk(self.catalog, units[start : start + CHUNK], decide)
        ]

    def _parallel_engine(self) -> Engine | ParallelEngine:
        if self.workers < 2:
            return self.engine
        with self._lock:
            if self._parallel is None:
                self._parallel = ParallelEngine(self.catalog, self.workers)
            return self._parallel

    def score_files(self, paths: Sequence[Path], failures: list[InputError]) -> Iterator[tuple[StoredLine, Summary]]:
        """(where its UnitScore lies as a line of UTF-8 JSON, its summary) of every good unit, file by
        file, unranked; bad files, units and duplicate ids go to `failures`. Memory stays flat whatever
        the number of files; the lines stay readable until the scorer closes."""
        files = evidence_files(list(paths))
        spool = self._spool()
        results: Iterator[FileScores]
        if self.workers > 1 and len(files) > 1 and total_size(files) >= self.parallel_bytes:
            results = self._file_pool().imap(score_file_in_worker, files)
        else:
            decide = self.engine.decide
            results = (score_file(f, self.catalog, decide, spool, self.survey) for f in files)
        seen: dict[str, str] = {}
        for path, result in zip(files, results):
            failures += [InputError(problems) for problems in result.problems]
            for summary, line in result.units:
                duplicate = claim_id(seen, summary.unit_id, str(path))
                if duplicate is not None:
                    failures.append(duplicate)
                    continue
                yield line, summary

    def _spool(self) -> Path:
        """A folder for the results of files being scored, removed with the scorer."""
        with self._lock:
            if self._spool_dir is None:
                self._spool_dir = tempfile.TemporaryDirectory(prefix="cchc-")
            return Path(self._spool_dir.name)

    def _file_pool(self) -> Pool:
        spool = self._spool()
        with self._lock:
            if self._files is None:
                self._files = file_pool(self.catalog, self.workers, spool, self.survey)
            return self._files

    def close(self) -> None:
        """Stop the engine's timers and the worker processes."""
        with self._lock:
            if self._engine is not None:
                self._engine.close()
            if self._parallel is not None:
                self._parallel.close()
            if self._files is not None:
                self._files.terminate()
                self._files.join()
            if self._spool_dir is not None:
                self._spool_dir.cleanup()
            self._engine = self._parallel = self._files = self._spool_dir = None
