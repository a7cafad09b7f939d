"""Random and mutated evidence gives a score or a clean error; a killed run leaves old output intact."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from evidence.validate import build_unit
from rules.errors import InputError
from rules.load import load_catalog
from tests.helpers import ROOT, score_units

SYT = load_catalog("syt-2026")
FIELDS = sorted(SYT.fields)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**9),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["1.256", "88,6%", "31/02/2026", "08/01/2026", "có", "A"]),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.dictionaries(st.text(max_size=6), inner, max_size=3) | st.lists(inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    evidence=st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), values, max_size=12),
    manual=st.dictionaries(st.sampled_from(["1.6", "5.7", "1.1.1", "x"]), values, max_size=2),
    unit_type=st.sampled_from(list(SYT.unit_types) + ["", "khac"]),
)
def test_random_evidence_scores_or_fails_cleanly(evidence, manual, unit_type):
    raw = {"unit": {"id": "u", "name": "U", "type": unit_type, "year": 2026}, "evidence": evidence, "manual": manual}
    try:
        unit = build_unit(raw, SYT, "random.yaml")
    except InputError as e:
        assert e.problems and all(p.file == "random.yaml" for p in e.problems)
        return
    score = score_units(SYT, [unit]).units[0]
    assert 0 <= score.points <= score.max_points
    assert len(score.criteria) == len(SYT.leaves)


def test_killed_run_leaves_previous_output_intact(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT))
    from bench.synth import scored_on, synthetic_units, to_yaml_dict

    monkeypatch.setenv("CCHC_TODAY", scored_on(SYT))

    units = synthetic_units(SYT, 1500, seed=3)
    data = tmp_path / "in"
    data.mkdir()
    (data / "units.yaml").write_text(
        yaml.safe_dump({"units": [to_yaml_dict(u) for u in units]}, allow_unicode=True), encoding="utf-8"
    )
    out = tmp_path / "out" / "scores.json"
    out.parent.mkdir()
    out.write_text("previous report", encoding="utf-8")
    cchc = Path(sys.executable).with_name("cchc")
    proc = subprocess.Popen(
        [str(cchc), "score", str(data), "--format", "json", "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert out.read_text(encoding="utf-8") == "previous report"
