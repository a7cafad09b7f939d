"""Points, totals, index, bands, ranks, explanations and reports, from the engine's decisions.

The library API, used alike by `cli.py` and the web workspace:

    from scoring import Scorer, apply_appraisal, load_appraisals, load_catalog, load_evidence

    catalog = load_catalog("syt-2026")
    loaded = load_evidence(["examples/"], catalog)    # .units, and .problems for bad files
    with Scorer(catalog) as scorer:
        run = scorer.score(loaded.units)               # ScoreRun: ranked UnitScores
    records = load_appraisals("inspection/2026", catalog, run.types_by_unit)
    final = apply_appraisal(run, catalog, records)     # appraised scores, reasons, giải trình
"""

from evidence.appraisal import load_appraisals
from evidence.loaders import load_paths as load_evidence
from rules.load import load_catalog
from scoring.core.results import CriterionResult, ScoreRun, UnitScore
from scoring.inspection.appraised import Appraisal, apply_appraisal
from scoring.run.scorer import Scorer

__all__ = [
    "Appraisal",
    "CriterionResult",
    "ScoreRun",
    "Scorer",
    "UnitScore",
    "apply_appraisal",
    "load_appraisals",
    "load_catalog",
    "load_evidence",
]
