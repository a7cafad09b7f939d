"""Rule tests as data (OpenFisca style): YAML cases of evidence and expected points per criterion.

A file is a list of cases:
    - name: kế hoạch trễ 1 ngày
      catalog: ../catalogs/all-kinds.yaml   # a path relative to the file, or a bundled catalog id
      unit: {type: benh_vien}
      evidence: {plan: 01/01/2026}
      expect:
        "1.1": {points: 0.5, status: partial}
      expect_unit: {points: 0.5, max_points: 19, index: 2.63, band: Yếu}

Instead of `unit`/`evidence`, a case may name an evidence file (`file:`, relative to the test file)
and, for a file of many units, `unit_id`. The Sở's survey results come as `survey:` (question ->
answer -> respondents) or `survey_file:`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence.loaders import load_file
from evidence.models import UnitEvidence
from evidence.survey import load_survey
from evidence.validate import build_unit
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.load import load_catalog
from rules.yamlio import line_of, load_yaml
from scoring.run.scorer import Scorer

TOLERANCE = 0.005


@dataclass
class Case:
    name: str
    file: str
    line: int | None
    catalog: str
    raw: dict[str, Any]


@dataclass
class Outcome:
    case: Case
    failures: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures


def collect(paths: list[Path]) -> list[Case]:
    files = [p for path in paths for p in (sorted(path.rglob("*.yaml")) if path.is_dir() else [path])]
    cases = []
    for file in files:
        data, lines = load_yaml(file)
        if not isinstance(data, list):
            raise InputError(Problem("tệp kiểm thử phải là danh sách các trường hợp", str(file)))
        for i, raw in enumerate(data):
            if not isinstance(raw, dict) or "name" not in raw or "expect" not in raw:
                raise InputError(
                    Problem("mỗi trường hợp cần name và expect", str(file), f"dòng {line_of(lines, (i,))}")
                )
            catalog = str(raw.get("catalog", ""))
            if catalog.endswith((".yaml", ".yml")):
                catalog = str((file.parent / catalog).resolve())
            cases.append(Case(str(raw["name"]), str(file), line_of(lines, (i,)), catalog or "", raw))
    return cases


def run_cases(cases: list[Case]) -> list[Outcome]:
    catalogs: dict[str, tuple[Catalog, Scorer]] = {}
    outcomes = []
    try:
        for case in cases:
            if case.catalog not in catalogs:
                catalog = load_catalog(case.catalog or None)
                catalogs[case.catalog] = (catalog, Scorer(catalog, workers=1))
            outcomes.append(run_case(case, *catalogs[case.catalog]))
    finally:
        for _, scorer in catalogs.values():
            scorer.close()
    return outcomes


def run_case(case: Case, catalog: Catalog, scorer: Scorer) -> Outcome:
    raw = case.raw
    try:
        unit = _unit_of(case, catalog)
    except InputError as e:
        expected_error = raw.get("expect_error")
        if expected_error and expected_error in str(e):
            return Outcome(case, [])
        return Outcome(case, [f"tài liệu kiểm chứng bị từ chối: {e}"])
    if raw.get("expect_error"):
        return Outcome(case, [f"cần lỗi chứa «{raw['expect_error']}» nhưng tài liệu kiểm chứng được chấp nhận"])
    score = scorer.score([unit]).units[0]
    by_code = {c.code: c for c in score.criteria}
    failures = []
    for code, expected in (raw.get("expect") or {}).items():
        result = by_code.get(str(code))
        if result is None:
            failures.append(f"{code}: không có tiêu chí này")
            continue
        failures += _compare(str(code), result.model_dump(), expected)
    failures += _compare("đơn vị", score.model_dump(), raw.get("expect_unit") or {})
    return Outcome(case, failures)


def _unit_of(case: Case, catalog: Catalog) -> UnitEvidence:
    raw = case.raw
    if "file" in raw:
        path = Path(case.file).parent / str(raw["file"])
        units = [u for u, _ in load_file(path, catalog) if u is not None]
        wanted = [u for u in units if raw.get("unit_id") in (None, u.unit.id)]
        if len(wanted) != 1:
            raise InputError(Problem(f"cần đúng một đơn vị hợp lệ (unit_id: {raw.get('unit_id')})", str(path)))
        return _with_survey(wanted[0], raw, case, catalog)
    unit_raw: dict[str, Any] = {"id": "test-unit", "name": case.name, "year": catalog.year, **(raw.get("unit") or {})}
    entry: dict[str, Any] = {"unit": unit_raw}
    entry.update({k: raw[k] for k in ("evidence", "manual", "not_applicable") if k in raw})
    return _with_survey(build_unit(entry, catalog, case.file, today=dt.date.max), raw, case, catalog)


def _with_survey(unit: UnitEvidence, raw: dict[str, Any], case: Case, catalog: Catalog) -> UnitEvidence:
    """A case's survey results, as the Sở's survey file gives them: `survey:` (question -> answer ->
    respondents) or `survey_file:` (relative to the test file)."""
    survey = {str(q): dict(a) for q, a in (raw.get("survey") or {}).items()}
    if "survey_file" in raw:
        survey = load_survey(Path(case.file).parent / str(raw["survey_file"]), catalog).get(unit.unit.id, {})
    return unit.model_copy(update={"survey": survey}) if survey else unit


def _compare(label: str, actual: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    failures: list[str] = []
    for key, want in expected.items():
        got = actual.get(key)
        if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(want, bool):
            ok = abs(got - want) <= TOLERANCE
        elif key == "explanation":
            ok = isinstance(got, str) and str(want) in got
        else:
            ok = got == want
        if not ok:
            failures.append(f"{label}.{key}: cần {want!r}, được {got!r}")
    return failures
