"""Large runs: worker processes give exactly what one process gives, in the same order."""

import sys

import yaml

from rules.catalog import load_catalog
from scoring import pipeline
from tests.conftest import ROOT


def test_workers_give_the_same_lines_as_one_process(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT))
    from bench.synth import synthetic_units, to_yaml_dict

    catalog = load_catalog("syt-2026")
    units = synthetic_units(catalog, 120, seed=11)
    for i in range(0, 120, 40):
        (tmp_path / f"u{i:03d}.yaml").write_text(
            yaml.safe_dump({"units": [to_yaml_dict(u) for u in units[i : i + 40]]}, allow_unicode=True),
            encoding="utf-8")
    (tmp_path / "dup.yaml").write_text(yaml.safe_dump(to_yaml_dict(units[0]), allow_unicode=True), encoding="utf-8")
    one_failures, many_failures = [], []
    one = list(pipeline.score_files([tmp_path], catalog, one_failures, workers=1))
    monkeypatch.setattr(pipeline, "PARALLEL_BYTES", 0)
    many = list(pipeline.score_files([tmp_path], catalog, many_failures, workers=2))
    assert len(one) == 120 and [line for line, _ in one] == [line for line, _ in many]
    assert [str(f) for f in one_failures] == [str(f) for f in many_failures]
    assert "trùng" in str(one_failures[0])


def test_parallel_engine_scores_like_one_process(monkeypatch):
    sys.path.insert(0, str(ROOT))
    from bench.synth import synthetic_units
    from rules.engine import Engine
    from scoring import totals

    catalog = load_catalog("syt-2026")
    units = synthetic_units(catalog, 60, seed=5)
    engine = Engine(catalog)
    try:
        alone = totals.score_units(catalog, units, engine)
    finally:
        engine.close()
    monkeypatch.setattr(totals, "CHUNK", 10)  # 60 units > 4 chunks: worker processes decide
    shared = totals.score_units(catalog, units)
    assert alone.model_dump() == shared.model_dump()
