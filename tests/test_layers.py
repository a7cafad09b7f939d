"""Imports go one way: rules ← evidence ← scoring ← cli.py and web/, and inside scoring/,
core ← run ← inspection ← outputs (bench/imports.py draws the graph)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from imports import graph  # noqa: E402

LAYERS = ["rules", "evidence", "scoring", "cli", "web"]
PARTS = ["core", "run", "inspection", "outputs"]  # of scoring/, each may use those before it


def test_packages_import_only_those_below_them():
    for package in ("rules", "evidence", "scoring"):
        for module, targets in graph(package).items():
            above = {t for t in targets if LAYERS.index(t.split(".")[0]) > LAYERS.index(package)}
            assert not above, f"{module} imports {sorted(above)}"


def test_the_parts_of_scoring_import_only_those_before_them():
    for module, targets in graph("scoring").items():
        part = module.split(".")[1] if module.count(".") >= 2 else None
        if part is None:  # scoring/__init__.py: the public API, over every part
            continue
        later = {t for t in targets if t.startswith("scoring.") and PARTS.index(t.split(".")[1]) > PARTS.index(part)}
        assert not later, f"{module} imports {sorted(later)}"


def test_the_graph_sees_imports_inside_functions():
    # cli.py and the library import lazily; the graph must count those imports too
    assert "scoring.run.scorer" in graph("scoring")["scoring.inspection.draw"]
