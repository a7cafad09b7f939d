"""The YAML reader: events turned into data and key lines give exactly what PyYAML's node tree gives
(the oracle here: PyYAML's safe loader, and the lines of its composed nodes)."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.errors import InputError
from rules.yamlio import _read_events, load_yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_nodes(text: str, aliases: bool, source: str) -> tuple:
    """PyYAML's own reading, with the line of every key path from its node tree (after merges)."""
    loader = SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}

    def collect(node, path):
        lines[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = path + (key.value,)
                lines[child] = key.start_mark.line + 1
                collect(value, child)
                lines[child] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                collect(item, path + (i,))

    if node is not None:
        collect(node, ())
    return data, lines


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
    expected = _read_nodes(text, False, "f.yaml")
    keys = [k for path in expected[1] for k in path if not isinstance(k, int)]
    try:
        got = _read_events(text, "f.yaml")
    except InputError as e:  # a key written twice: the str "0" and the int 0 are both written 0
        assert "ghi hai lần" in str(e) and len(keys) != len(set(expected[1]))
        return
    assert got == expected


@pytest.mark.parametrize(
    "text, where",
    [
        ("a: 1\nb:\n  c: 2\n  c: 3\n", "dòng 4"),  # a key twice
        ("a: &x [1]\nb: *x\n", "dòng 1"),  # an alias: the anchor's line
        ("a:\n" + "".join("  " * i + "- \n" for i in range(1, 60)), "dòng 51"),  # too deep
    ],
)
def test_problems_name_their_line(tmp_path, text, where):
    with pytest.raises(InputError) as got:
        _read_events(text, "f.yaml")
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
        ("a: *nowhere\n", "undefined alias"),
        ("a:\n  <<: 3\n", "expected a mapping or list of mappings for merging"),
        ("a: <<\n", "could not determine a constructor"),
        ("a: !!set {x, y}\n", "could not determine a constructor"),  # no set is ever evidence
    ],
)
def test_what_the_reader_refuses(tmp_path, text, refused):
    path = tmp_path / "u.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=refused):
        load_yaml(path)


@pytest.mark.parametrize(
    "text",
    [
        "base: &b {x: 1, y: {deep: 2}}\nthing:\n  z: 0\n  <<: *b\n  y: 3\n",  # own keys win, merged come first
        "a: &a {x: 1}\nb: &b {x: 2, w: 5}\nc:\n  <<: [*a, *b]\n  q: 1\n",  # of a list, the first wins
        "c:\n  z: 0\n  <<: {x: 1, v: [1, 2]}\n",  # a merge without an alias
        "a: &x [1, {k: 2}]\nb: *x\nc: [*x]\n",  # an alias's lines are the anchor's
    ],
)
def test_catalog_merges_and_aliases_read_as_pyyaml_reads_them(text):
    data, lines = _read_events(text, "f.yaml", aliases=True)
    expected_data, expected_lines = _read_nodes(text, True, "f.yaml")
    assert data == expected_data
    # every path of the data on PyYAML's line (its node tree also keeps a merged key's children
    # where the mapping's own key replaced it: not a path of the data)
    assert {p: expected_lines[p] for p in _paths(data)} == lines


def _paths(value, path: tuple = ()) -> list[tuple]:
    out = [path]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else []
    for key, child in items:
        out += _paths(child, path + (key,))
    return out


def test_lines_of_keys_and_items():
    text = "units:\n- unit:\n    id: a\n  evidence:\n    plan:\n      date: 2026-01-05\n- unit: {id: b}\n"
    data, lines = _read_events(text, "f.yaml")
    assert data["units"][0]["evidence"]["plan"]["date"] == dt.date(2026, 1, 5)
    assert lines[("units", 0)] == 2
    assert lines[("units", 0, "evidence")] == 4
    assert lines[("units", 0, "evidence", "plan", "date")] == 6
    assert lines[("units", 1, "unit", "id")] == 7


def test_many_merges_keep_their_data_when_the_lines_budget_is_spent(monkeypatch):
    """Merges and aliases copy key lines by looking through them all: a file of thousands would be
    quadratic, so the looking is bounded per file; past the bound, data is the same and a line
    names the merged key."""
    import rules.yamlio

    monkeypatch.setattr(rules.yamlio, "LINE_COPY_BUDGET", 10)
    text = "".join(f"k{i}:\n  <<: {{a: 1, b: {{c: 2}}}}\n  z: 3\n" for i in range(50))
    data, lines = _read_events(text, "f.yaml")
    assert data == yaml.safe_load(text)
    assert lines[("k40", "a")] == lines[("k40", "b")] == 122  # the merged keys' own lines, always
    assert ("k40", "b", "c") not in lines  # past the budget: line_of names ("k40", "b")
