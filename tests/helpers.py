"""Paths and small helpers shared by the tests (imported as `tests.helpers`; pytest puts the repo root
on sys.path, see pyproject's pythonpath)."""

from pathlib import Path

from scoring import Scorer

ROOT = Path(__file__).resolve().parent.parent
ALL_KINDS = ROOT / "tests" / "catalogs" / "all-kinds.yaml"
EXAMPLES = ROOT / "examples"


def score_units(catalog, units, scorer=None):
    """A ranked ScoreRun, on the scorer given or on a fresh one-process scorer."""
    if scorer is not None:
        return scorer.score(units)
    with Scorer(catalog, workers=1) as own:
        return own.score(units)
