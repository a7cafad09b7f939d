"""Benchmark: the durable_rules engine path against a plain-Python reference of the same catalog.

    python bench/run.py --units 2000 [--catalog syt-2026] [--seed 0] [--files 2000]

Measures in one run, on the same synthetic units (all unit types, strong to weak, some N/A and
missing evidence):
- observing the evidence (shared by both evaluators, so reported apart);
- decisions through durable_rules, in this process and on worker processes (rules/parallel.py);
- decisions by the plain-Python reference evaluator (rules/reference.py);
- full scoring (observe, decisions, points, explanations, totals) with either evaluator, in
  chunks of 500 units as `cchc score` does, each chunk's results compared and let go;
- `cchc score` end to end from YAML files of 1,000 units each (--files N units; 0 skips it);
- `cchc report` of --report-units units in its default formats (html, xlsx, docx, md; 0 skips it).
It checks that both evaluators agree on every unit × criterion and ends with
RESULT units=N results=M engine_results_per_s=X reference_results_per_s=Y ratio=Y/X
score_results_per_s=S e2e_20k_s=E report_300_s=R identical=... peak_mb=Z
where X is the durable_rules decision rate on worker processes, Y the reference decision rate,
S the full scoring rate through durable_rules in one process, E and R the end-to-end seconds
(named for the default sizes; the line says the sizes run when they differ).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from bench.synth import scored_on, synthetic_units, to_yaml_dict  # noqa: E402
from rules.engine import Engine, observe  # noqa: E402
from rules.load import load_catalog  # noqa: E402
from rules.parallel import ParallelEngine, tune_collector_for_batch  # noqa: E402
from rules.reference import decide_all  # noqa: E402
from scoring.core.totals import CHUNK, score_chunk  # noqa: E402


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def timed(func, *args):
    gc.collect()  # no collection of an earlier step's garbage inside this step's time
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def end_to_end(catalog, count: int, seed: int, tmp: Path) -> tuple[float, int, int]:
    for i in range(0, count, 1000):  # generated file by file, so the benchmark itself stays small
        units = synthetic_units(catalog, min(1000, count - i), seed + i, first=i)
        text = yaml.dump(
            {"units": [to_yaml_dict(u) for u in units]},
            allow_unicode=True,
            Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        )
        (tmp / f"units-{i // 1000:03d}.yaml").write_text(text, encoding="utf-8")
    cchc = Path(sys.executable).with_name("cchc")
    out = tmp / "out.json"
    start = time.perf_counter()
    done = subprocess.run(
        [str(cchc), "score", str(tmp), "--catalog", catalog.id, "--format", "json", "-o", str(out)],
        capture_output=True,
        text=True,
        env={**os.environ, "CCHC_TODAY": scored_on(catalog)},
    )
    seconds = time.perf_counter() - start
    scored = 0
    if out.exists():  # one unit per line: counted without loading 20,000 units into this process
        with out.open(encoding="utf-8") as lines:
            scored = sum(1 for line in lines if line.startswith('{"unit_id":'))
    return seconds, scored, done.returncode


def report_run(catalog, count: int, seed: int, tmp: Path) -> tuple[float, int]:
    """Seconds for `cchc report` of `count` units (one YAML file) in its default formats."""
    units = synthetic_units(catalog, count, seed)
    data = tmp / "units.yaml"
    data.write_text(yaml.safe_dump({"units": [to_yaml_dict(u) for u in units]}, allow_unicode=True), encoding="utf-8")
    cchc = Path(sys.executable).with_name("cchc")
    start = time.perf_counter()
    done = subprocess.run(
        [str(cchc), "report", str(data), "--catalog", catalog.id, "-o", str(tmp / "out"), "--quiet"],
        capture_output=True,
        text=True,
        env={**os.environ, "CCHC_TODAY": scored_on(catalog)},
    )
    return time.perf_counter() - start, done.returncode


def full_scoring(catalog, units, engine: Engine) -> tuple[float, float, bool]:
    """Seconds of full scoring through durable_rules and through the reference, chunk by chunk as
    production scores (CHUNK units at a time), and whether every result was identical."""
    t_engine = t_reference = 0.0
    identical = True
    for start in range(0, len(units), CHUNK):
        chunk = units[start : start + CHUNK]
        scored, seconds = timed(score_chunk, catalog, chunk, engine.decide)
        t_engine += seconds
        by_reference, seconds = timed(score_chunk, catalog, chunk, decide_all)
        t_reference += seconds
        identical = identical and [s.model_dump() for s in scored] == [s.model_dump() for s in by_reference]
    return t_engine, t_reference, identical


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--catalog", default="syt-2026")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", type=int, default=2000, help="units for the end-to-end run from files")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--report-units", type=int, default=300, help="units for the `cchc report` run")
    args = parser.parse_args()

    tune_collector_for_batch()  # as `cchc` does: the in-process rows measure what the command runs
    catalog = load_catalog(args.catalog)
    e2e = None
    if args.files:  # first, so that the children's peak memory is the cchc run's
        with tempfile.TemporaryDirectory() as tmp:
            e2e = end_to_end(catalog, args.files, args.seed + 1, Path(tmp))
        e2e_mb = peak_mb(resource.RUSAGE_CHILDREN)
    units = synthetic_units(catalog, args.units, args.seed)
    results = len(units) * len(catalog.leaves)

    observed, t_observe = timed(lambda: [(u.unit.id, observe(catalog, u)) for u in units])
    engine = Engine(catalog)
    single, t_single = timed(engine.decide, observed)
    parallel_engine = ParallelEngine(catalog, args.workers)
    parallel_engine.decide(observed[:5])  # workers started and warm, as in a long run
    parallel, t_parallel = timed(parallel_engine.decide, observed)
    parallel_engine.close()
    reference, t_reference = timed(decide_all, observed)

    def outcomes(decisions):
        return [(d.unit_index, d.leaf.code, d.outcome_id) for d in decisions]

    identical = len(single) == results and outcomes(single) == outcomes(reference) == outcomes(parallel)
    del single, parallel, reference, observed
    t_score, t_score_ref, same_scores = full_scoring(catalog, units, engine)
    engine.close()
    identical = identical and same_scores
    report = None
    if args.report_units:
        with tempfile.TemporaryDirectory() as tmp:
            report = report_run(catalog, args.report_units, args.seed + 2, Path(tmp))

    rows = [
        ("observe evidence (shared by both)", t_observe),
        ("durable_rules decisions, 1 process", t_single),
        (f"durable_rules decisions, {args.workers} worker processes", t_parallel),
        ("reference decisions (plain Python)", t_reference),
        ("full scoring with durable_rules, 1 process", t_score),
        ("full scoring with the reference", t_score_ref),
    ]
    # The interpreter's build matters: a default pyenv build (no PGO or LTO) scores 10 to 20 % slower.
    print(f"Python {platform.python_version()} ({sys.executable}), {os.cpu_count()} cores")
    print(f"catalog {catalog.id}: {len(catalog.leaves)} criteria × {len(units)} units = {results} results")
    for name, seconds in rows:
        print(f"  {name:<52} {seconds:8.3f} s  {results / seconds:>12,.0f} results/s")
    if e2e is not None:
        seconds, count, code = e2e
        print(
            f"  cchc score end to end, {args.files} units from YAML files of 1,000: {seconds:.2f} s ({count} scored, "
            f"exit {code}, largest process {e2e_mb:.0f} MB)"
        )
    if report is not None:
        print(
            f"  cchc report, {args.report_units} units, html + xlsx + docx + md: {report[0]:.2f} s (exit {report[1]})"
        )
    engine_rate, reference_rate = results / t_parallel, results / t_reference
    sizes = (
        ""
        if (args.files, args.report_units) == (20000, 300)
        else f" e2e_units={args.files} report_units={args.report_units}"
    )
    print(
        f"RESULT units={len(units)} results={results} engine_results_per_s={engine_rate:.0f} "
        f"reference_results_per_s={reference_rate:.0f} ratio={reference_rate / engine_rate:.2f} "
        f"score_results_per_s={results / t_score:.0f} e2e_20k_s={e2e[0] if e2e else 0:.1f} "
        f"report_300_s={report[0] if report else 0:.1f}{sizes} "
        f"identical={'true' if identical else 'false'} peak_mb={peak_mb():.0f}"
    )


if __name__ == "__main__":
    main()
