"""The YAML reader: events turned into data and key lines give exactly what PyYAML's node tree gives."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.errors import InputError
from rules.yamlio import _read_events, _read_nodes, _Unusual, load_yaml

# Text that YAML 1.1 reads as something else when plain: numbers, dates, booleans, nulls.
tricky = st.sampled_from(
    ["yes", "No", "on", "~", "null", "0123", "0x1F", "1_000", "190:20:30", "2026-01-05", "1e3", ".inf", "-", "<<", ""]
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False),
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)),
    st.text(max_size=40),
    tricky,
)
keys = st.one_of(st.text(min_size=1, max_size=12), tricky, st.integers(0, 50))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=5), st.dictionaries(keys, inner, max_size=5)),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.sampled_from([False, None, True]), st.booleans(), st.sampled_from([20, 80, 1000]))
def test_events_give_what_the_node_tree_gives(data, flow, unicode, width):
    text = yaml.safe_dump(data, default_flow_style=flow, allow_unicode=unicode, width=width)
    try:
        expected = _read_nodes(text, False, "f.yaml")
    except InputError as e:  # a key written twice: the str "0" and the int 0 are both written 0
        with pytest.raises(InputError) as got:
            _read_events(text, "f.yaml")
        # Both refuse it. With several such keys, the event reader names the first in the file and
        # the node tree the one its walk meets first; one such key is named alike (test below).
        assert "ghi hai lần" in str(e) and "ghi hai lần" in str(got.value)
        return
    try:
        assert _read_events(text, "f.yaml") == expected
    except _Unusual:
        pass  # read by the node tree instead, which is what load_yaml does


@pytest.mark.parametrize(
    "text, where",
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", "dòng 4"),  # a key twice
        ("a: &x [1]\nb: *x\n", "dòng 1"),  # an alias: the anchor's line
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "dòng 51"),  # too deep
    ],
)
def test_problems_name_the_same_line_both_ways(tmp_path, text, where):
    for reader in (lambda: _read_events(text, "f.yaml"), lambda: _read_nodes(text, False, "f.yaml")):
        with pytest.raises(InputError) as got:
            reader()
        assert got.value.problems[0].where == where
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as got:
        load_yaml(path)
    assert got.value.problems[0].where == where


def test_a_syntax_error_after_a_duplicate_key_is_what_is_reported(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text("a: 1\na: 2\nb: [\n", encoding="utf-8")
    with pytest.raises(InputError, match="YAML không hợp lệ"):
        load_yaml(path)


@pytest.mark.parametrize(
    "text, refused",
    [
        ("base: &b {x: 1}\nall:\n  <<: *b\n", "neo/bí danh"),
        ("? [a, b]\n: 1\n", "unhashable"),
        ("a: 1\n---\nb: 2\n", "another document"),
        ("a: !!set {x, y}\n", None),
    ],
)
def test_what_the_event_reader_leaves_to_pyyaml(tmp_path, text, refused):
    with pytest.raises(_Unusual):
        _read_events(text, "f.yaml")
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    if refused is None:
        assert load_yaml(path)[0] == {"a": {"x", "y"}}
    else:
        with pytest.raises(InputError, match=refused):
            load_yaml(path)


def test_lines_of_keys_and_items():
    text = "units:\n- unit:\n    id: a\n  evidence:\n    plan:\n      date: 2026-01-05\n- unit: {id: b}\n"
    data, lines = _read_events(text, "f.yaml")
    assert data["units"][0]["evidence"]["plan"]["date"] == dt.date(2026, 1, 5)
    assert lines[("units", 0)] == 2
    assert lines[("units", 0, "evidence")] == 4
    assert lines[("units", 0, "evidence", "plan", "date")] == 6
    assert lines[("units", 1, "unit", "id")] == 7
