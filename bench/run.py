"""Benchmark: the durable_rules engine path against a plain-Python reference of the same catalog.

    python bench/run.py --units 2000 [--catalog syt-2026] [--seed 0] [--files 0]

Measures in one run: engine results per second (observe + durable_rules decisions), the plain
Python reference on the same observations, whether both agree on every unit × criterion, and
`cchc score` end to end from YAML files (--files N units; 0 skips it). The last line is
RESULT units=N results=M engine_results_per_s=X reference_results_per_s=Y ratio=Y/X identical=... peak_mb=Z
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from bench.synth import synthetic_units, to_yaml_dict  # noqa: E402
from rules.catalog import load_catalog  # noqa: E402
from rules.engine import Engine, observe  # noqa: E402
from rules.reference import decide, decide_all  # noqa: E402
from scoring.totals import score_chunk  # noqa: E402


def peak_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--catalog", default="syt-2026")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--files", type=int, default=1000, help="units for the end-to-end run from files")
    args = parser.parse_args()

    catalog = load_catalog(args.catalog)
    units = synthetic_units(catalog, args.units, args.seed)
    results = len(units) * len(catalog.leaves)

    t0 = time.perf_counter()
    observed = [(u.unit.id, observe(catalog, u)) for u in units]
    t_observe = time.perf_counter() - t0

    engine = Engine(catalog)
    t0 = time.perf_counter()
    decisions = engine.decide(observed)
    t_engine = time.perf_counter() - t0
    engine.close()

    t0 = time.perf_counter()
    reference = [decide(leaf, obs) for _, pairs in observed for leaf, obs in pairs]
    t_reference = time.perf_counter() - t0

    by_engine = {(d.unit_index, d.leaf.code): d.outcome_id for d in decisions}
    expected = {(i, leaf.code): ref for i, ((_, pairs)) in enumerate(observed)
                for (leaf, _), ref in zip(pairs, reference[i * len(pairs):(i + 1) * len(pairs)])}
    identical = len(decisions) == results and by_engine == expected

    engine = Engine(catalog)
    t0 = time.perf_counter()
    scored = score_chunk(catalog, units, engine.decide)
    t_score_engine = time.perf_counter() - t0
    engine.close()
    t0 = time.perf_counter()
    scored_ref = score_chunk(catalog, units, decide_all)
    t_score_reference = time.perf_counter() - t0
    identical = identical and [u.model_dump() for u in scored] == [u.model_dump() for u in scored_ref]

    engine_rate = results / (t_observe + t_engine)
    reference_rate = results / (t_observe + t_reference)
    rows = [
        ("observe (shared by both)", t_observe, results / t_observe),
        ("durable_rules decisions", t_engine, results / t_engine),
        ("reference decisions", t_reference, results / t_reference),
        ("engine path (observe + durable_rules)", t_observe + t_engine, engine_rate),
        ("reference path (observe + Python)", t_observe + t_reference, reference_rate),
        ("full scoring, durable_rules (+ points, text)", t_score_engine, results / t_score_engine),
        ("full scoring, reference", t_score_reference, results / t_score_reference),
    ]
    print(f"catalog {catalog.id}: {len(catalog.leaves)} criteria × {len(units)} units = {results} results")
    for name, seconds, rate in rows:
        print(f"  {name:<46} {seconds:8.3f} s  {rate:>12,.0f} results/s")

    if args.files:
        e2e_units = synthetic_units(catalog, args.files, args.seed + 1)
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "units.yaml").write_text(
                yaml.safe_dump({"units": [to_yaml_dict(u) for u in e2e_units]}, allow_unicode=True), encoding="utf-8")
            cchc = Path(sys.executable).with_name("cchc")
            t0 = time.perf_counter()
            done = subprocess.run([str(cchc), "score", tmp, "--catalog", args.catalog, "--format", "json",
                                   "-o", str(Path(tmp) / "out.json"), "--keep-going"], capture_output=True, text=True)
            t_e2e = time.perf_counter() - t0
            scored = len(json.loads((Path(tmp) / "out.json").read_text(encoding="utf-8"))["units"]) \
                if done.returncode == 0 else 0
        print(f"  cchc score end to end, {args.files} units from YAML: {t_e2e:.2f} s "
              f"({scored} scored, exit {done.returncode}, peak {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB)")
    print(f"RESULT units={len(units)} results={results} engine_results_per_s={engine_rate:.0f} "
          f"reference_results_per_s={reference_rate:.0f} ratio={reference_rate / engine_rate:.2f} "
          f"identical={'true' if identical else 'false'} peak_mb={peak_mb():.0f}")


if __name__ == "__main__":
    main()
