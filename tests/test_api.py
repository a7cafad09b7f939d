"""The library API a server calls: scorers hold no shared state, are safe from threads, and the
package layers import in one direction only."""

import ast
import threading
from pathlib import Path

import yaml

from bench.synth import scored_on, synthetic_units, to_yaml_dict
from rules.kinds import LEAF_KINDS
from rules.load import load_catalog
from rules.reference import _DECIDERS
from scoring import Scorer, apply_appraisal, load_appraisals, load_evidence
from tests.helpers import ALL_KINDS, EXAMPLES, ROOT

LAYERS = {"rules": 0, "evidence": 1, "scoring": 2, "cli": 3, "web": 3}


def _write_units(folder: Path, catalog, n: int, seed: int, per_file: int = 5) -> None:
    folder.mkdir()
    units = synthetic_units(catalog, n, seed=seed)
    for i in range(0, n, per_file):
        data = {"units": [to_yaml_dict(u) for u in units[i : i + per_file]]}
        (folder / f"u{i:03d}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _lines(scorer: Scorer, folder: Path) -> list[str]:
    failures: list = []
    lines = [line.read() for line, _ in scorer.score_files([folder], failures)]
    assert failures == []
    return lines


def test_two_scorers_interleaved_give_the_results_of_separate_runs(tmp_path, monkeypatch):
    """The generators of two catalogs advanced alternately: each file is checked against its own."""
    monkeypatch.setenv("CCHC_TODAY", scored_on(load_catalog("syt-2026")))
    syt, kinds = load_catalog("syt-2026"), load_catalog(ALL_KINDS)
    _write_units(tmp_path / "syt", syt, 30, seed=1)
    _write_units(tmp_path / "kinds", kinds, 30, seed=2)
    with Scorer(syt, workers=1) as a, Scorer(kinds, workers=1) as b:
        alone_a, alone_b = _lines(a, tmp_path / "syt"), _lines(b, tmp_path / "kinds")
    with Scorer(syt, workers=1) as a, Scorer(kinds, workers=1) as b:
        fa, fb = [], []
        gen_a, gen_b = a.score_files([tmp_path / "syt"], fa), b.score_files([tmp_path / "kinds"], fb)
        mixed_a, mixed_b = [], []
        for line_a, line_b in zip(gen_a, gen_b):
            mixed_a.append(line_a[0].read())
            mixed_b.append(line_b[0].read())
    assert fa == [] and fb == []
    assert mixed_a == alone_a and mixed_b == alone_b and len(alone_a) == 30


def test_one_scorer_shared_by_threads_gives_the_sequential_results():
    catalog = load_catalog("syt-2026")
    batches = [synthetic_units(catalog, 25, seed=s, first=100 * s) for s in range(6)]
    with Scorer(catalog, workers=1) as scorer:
        expected = [scorer.score(b).model_dump() for b in batches]
        got: dict[int, dict] = {}

        def work(i: int) -> None:
            got[i] = scorer.score(batches[i]).model_dump()

        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(batches))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert [got[i] for i in range(len(batches))] == expected


def test_public_api_scores_and_appraises_the_examples():
    from scoring import load_catalog as api_load_catalog

    catalog = api_load_catalog("syt-2026")
    loaded = load_evidence([EXAMPLES], catalog)
    assert loaded.problems == []
    with Scorer(catalog) as scorer:
        run = scorer.score(loaded.units)
    assert len(run.units) == 10 and run.unit("syt-co-quan").rank == 1
    records = load_appraisals(ROOT / "inspection" / "2026", catalog, run.types_by_unit)
    final = apply_appraisal(run, catalog, records)
    appraised = set(final.scores)
    assert appraised and appraised <= run.unit_ids
    for uid in appraised:
        assert final.final(run.unit(uid)) is final.scores[uid]
        assert any(final.remark(uid, c.code) for c in run.unit(uid).criteria)


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> dict[str, Path]:
    files = {"cli": ROOT / "cli.py"}
    for package in ("rules", "evidence", "scoring", "web"):
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            files[".".join(p for p in parts if p != "__init__")] = path
    return files


def test_layers_import_in_one_direction_without_circles():
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        layer = LAYERS[name.split(".")[0]]
        deps = {i for i in _imports(path) if i.split(".")[0] in LAYERS}
        for dep in deps:
            assert LAYERS[dep.split(".")[0]] <= layer, f"{name} imports {dep}: against rules ← evidence ← scoring ← cli"
        graph[name] = {d for d in deps if d in modules and d != name and not name.startswith(d + ".")}
    # no circle between modules (a package's __init__ re-exporting its own modules is not a circle)
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for dep in graph.get(node, ()):
            if state.get(dep) == 1:
                raise AssertionError("import circle: " + " → ".join([*trail, node, dep]))
            if dep not in state:
                visit(dep, [*trail, node])
        state[node] = 2

    for name in graph:
        if name not in state:
            visit(name, [])


def test_only_kinds_and_the_reference_know_which_kind_a_leaf_is():
    """Adding a kind touches rules/kinds.py and rules/reference.py only."""
    assert set(_DECIDERS) == set(LEAF_KINDS)
    for name, path in _modules().items():
        if name in ("rules.kinds", "rules.reference"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Compare) and any(
                isinstance(side, ast.Attribute) and side.attr == "kind" for side in [node.left, *node.comparators]
            ):
                raise AssertionError(f"{path}:{node.lineno} compares a leaf's kind")
            if (
                isinstance(node, ast.Name)
                and node.id.endswith("Leaf")
                and node.id != "LeafBase"
                and node.id[:-4]
                and name.split(".")[0] != "rules"
            ):
                raise AssertionError(f"{path}:{node.lineno} names the kind class {node.id}")
