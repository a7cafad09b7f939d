"""Large runs: worker processes give exactly what one process gives, in the same order."""

import gc
import io
import json
import os
import tempfile

import yaml

from bench.synth import scored_on, synthetic_units, to_yaml_dict
from rules.load import load_catalog
from rules.parallel import spawn_pool
from scoring import Scorer
from scoring.core.ranking import ranks as rank_positions
from scoring.core.totals import catalog_info
from scoring.outputs.tables import write_scores


def test_workers_give_the_same_lines_as_one_process(tmp_path, monkeypatch):
    catalog = load_catalog("syt-2026")
    monkeypatch.setenv("CCHC_TODAY", scored_on(catalog))
    units = synthetic_units(catalog, 120, seed=11)
    for i in range(0, 120, 40):
        (tmp_path / f"u{i:03d}.yaml").write_text(
            yaml.safe_dump({"units": [to_yaml_dict(u) for u in units[i : i + 40]]}, allow_unicode=True),
            encoding="utf-8",
        )
    (tmp_path / "dup.yaml").write_text(yaml.safe_dump(to_yaml_dict(units[0]), allow_unicode=True), encoding="utf-8")
    one_failures, many_failures = [], []
    with Scorer(catalog, workers=1) as scorer:
        one = list(scorer.score_files([tmp_path], one_failures))
        one = [(line.read(), summary) for line, summary in one]
    with Scorer(catalog, workers=2) as scorer:
        scorer.parallel_bytes = 0
        many = list(scorer.score_files([tmp_path], many_failures))
        assert scorer._files is not None  # the pool really ran
        spool = scorer._spool()
        many = [(line.read(), summary) for line, summary in many]  # readable until the scorer closes
        assert len(list(spool.iterdir())) == 4  # one spool file per evidence file
    assert not spool.exists()
    assert len(one) == 120 and [line for line, _ in one] == [line for line, _ in many]
    assert [str(f) for f in one_failures] == [str(f) for f in many_failures]
    assert "trùng" in str(one_failures[0])
    # the duplicate (first unit of u000.yaml) was skipped and the lines after it kept their units
    assert [json.loads(line)["unit_id"] for line, _ in one] == [summary.unit_id for _, summary in one]
    assert [s.unit_id for _, s in one[:2]] == [units[0].unit.id, units[1].unit.id]  # dup.yaml comes first


_given: list[bytes] = []  # in a worker: what spawn_pool gave its initializer


def _keep(payload: bytes) -> None:
    _given.append(payload)


def _given_size(_: int) -> list[int]:
    return [len(p) for p in _given]


def test_workers_get_a_large_argument_through_a_file_removed_with_the_pool(tmp_path, monkeypatch):
    """Larger than a pipe holds (64 KB), as a catalog is: each worker gets it once, whole."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    pool = spawn_pool(2, _keep, os.urandom(200_000))
    try:
        assert [f.name.startswith("cchc-workers-") for f in tmp_path.iterdir()] == [True]
        assert pool.map(_given_size, range(4), chunksize=1) == [[200_000]] * 4
    finally:
        pool.terminate()
        pool.join()
    del pool
    gc.collect()
    assert list(tmp_path.iterdir()) == []


def test_parallel_engine_scores_like_one_process():
    catalog = load_catalog("syt-2026")
    units = synthetic_units(catalog, 60, seed=5)
    with Scorer(catalog, workers=1) as scorer:
        alone = scorer.score(units)
    with Scorer(catalog, workers=2) as scorer:
        scorer.parallel_units = 10  # 60 units: worker processes decide
        shared = scorer.score(units)
        assert scorer._parallel is not None
    assert alone.model_dump() == shared.model_dump()


def test_json_output_is_the_same_through_a_file_a_buffer_and_text(tmp_path, monkeypatch):
    """A file gets the lines copied by the kernel (sendfile), an in-memory output through this
    process: both give the same JSON, ranks filled in."""
    catalog = load_catalog("syt-2026")
    monkeypatch.setenv("CCHC_TODAY", scored_on(catalog))
    units = synthetic_units(catalog, 30, seed=3)
    for i in range(0, 30, 10):
        data = {"units": [to_yaml_dict(u) for u in units[i : i + 10]]}
        (tmp_path / f"u{i:03d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    outputs = []
    with Scorer(catalog, workers=1) as scorer:
        scored = list(scorer.score_files([tmp_path], []))
        with (tmp_path / "out.json").open("w", encoding="utf-8") as f:
            write_scores("json", catalog_info(catalog), scored, list, f)
        outputs.append((tmp_path / "out.json").read_text(encoding="utf-8"))
        buffered = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        write_scores("json", catalog_info(catalog), scored, list, buffered)
        buffered.flush()
        outputs.append(buffered.buffer.getvalue().decode("utf-8"))
        text = io.StringIO()
        write_scores("json", catalog_info(catalog), scored, list, text)
        outputs.append(text.getvalue())
        stored = [json.loads(line.read()) for line, _ in scored]
    assert outputs[0] == outputs[1] == outputs[2]
    got = json.loads(outputs[0])["units"]
    # summaries are frozen: write_scores ranked copies of them, as `ranks` does
    ranks = [(s.unit_id, *r) for (_, s), r in zip(scored, rank_positions([s for _, s in scored]))]
    assert [(u["unit_id"], u["rank"], u["overall_rank"]) for u in got] == ranks
    assert {overall for _, _, overall in ranks} >= {1, 2} and all(r is not None for _, r, _ in ranks)
    assert [{**u, "rank": None, "overall_rank": None} for u in got] == stored  # all else as spooled


def test_bad_units_of_a_file_leave_no_reference_cycles(tmp_path, monkeypatch):
    """A large run pauses Python's cycle collector while it reads a file: every unit's error must be
    kept without the frames of the check that raised it, or each would hold its unit's data alive
    in a reference cycle (about 230 objects a unit)."""
    import gc

    from evidence.loaders import load_file

    catalog = load_catalog("syt-2026")
    monkeypatch.setenv("CCHC_TODAY", f"{catalog.year}-01-02")  # every later document: "not issued yet"
    units = synthetic_units(catalog, 30, seed=3)
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump({"units": [to_yaml_dict(u) for u in units]}, allow_unicode=True), encoding="utf-8")
    gc.collect()
    gc.disable()
    try:
        loaded = load_file(path, catalog)
        errors = [error for _, error in loaded if error is not None]
        assert len(errors) >= 25 and all(e.__traceback__ is None for e in errors)
        del loaded, errors
        assert gc.collect() < 30  # unreachable objects in cycles; 7,000 when tracebacks were kept
    finally:
        gc.enable()
