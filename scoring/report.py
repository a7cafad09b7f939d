"""What a justification report shows, built once from a ScoreRun; every format renders this.

A reporter never recomputes a score: rows, subtotals and the fix list come from the results.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence.models import UnitEvidence
from rules import vn
from rules.catalog import Catalog, Group
from rules.spec import LeafBase
from scoring.appraisal import Appraisal
from scoring.results import CriterionResult, ScoreRun, UnitScore

STATUS_LABELS = {
    "met": "Đạt",
    "partial": "Đạt một phần",
    "not_met": "Không đạt",
    "not_applicable": "Không áp dụng",
    "missing_evidence": "Thiếu tài liệu kiểm chứng",
    "unverified": "Chưa kiểm chứng (không có số, ngày văn bản)",
    "pending": "Chờ kết quả (tạm tính)",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Row:
    """One line of the scoring table: an area or criterion group (with its subtotal), or a leaf."""

    is_group: bool
    depth: int
    stt: str
    code: str
    title: str
    max_points: float
    points: float | None  # None: not applicable
    appraised: float | None = None
    status: str = ""
    status_label: str = ""
    explanation: str = ""
    evidence: str = ""
    reference: str = ""
    appraisal_reason: str = ""


@dataclass
class Fix:
    """A criterion where points were lost, and what would recover them."""

    code: str
    title: str
    recoverable: float
    status_label: str
    action: str
    deadline: str


@dataclass
class UnitReport:
    score: UnitScore
    unit_type_label: str
    evidence_sha256: str
    rows: list[Row]
    fixes: list[Fix]
    warnings: list[str]
    appraised_total: float | None = None
    appraised_index: float | None = None
    appraised_band: str | None = None


@dataclass
class ReportBook:
    catalog_id: str
    catalog_title: str
    catalog_version: str
    year: int
    catalog_sha256: str
    generated: dt.date
    units: list[UnitReport]
    areas: list[tuple[str, str]]  # (code, title) of every area
    band_counts: list[tuple[str, int]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ranked(self) -> list[UnitReport]:
        return sorted(self.units, key=lambda u: (u.score.rank is None, u.score.rank or 0, u.score.unit_id))


def sha256_file(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def sha256_evidence(unit: UnitEvidence) -> str:
    """A fingerprint of the evidence content, whatever file format it came in."""
    canonical = unit.model_dump_json(include={"unit", "values", "manual", "not_applicable"})
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def build_book(
    run: ScoreRun,
    catalog: Catalog,
    evidence: list[UnitEvidence],
    today: dt.date | None = None,
    appraisal: Appraisal | None = None,
) -> ReportBook:
    by_id = {u.unit.id: u for u in evidence}
    appraisal = appraisal or Appraisal()
    units = [_unit_report(s, catalog, by_id[s.unit_id], appraisal) for s in run.units]
    counts = [(b.name, sum(1 for u in run.units if u.band == b.name)) for b in catalog.bands]
    return ReportBook(
        catalog_id=catalog.id,
        catalog_title=catalog.title,
        catalog_version=catalog.version,
        year=catalog.year,
        catalog_sha256=sha256_file(catalog.source),
        generated=today or dt.date.today(),
        units=units,
        areas=[(a.code, a.title) for a in catalog.areas],
        band_counts=counts,
        errors=list(run.errors),
    )


def _unit_report(
    score: UnitScore,
    catalog: Catalog,
    unit: UnitEvidence,
    appraisal: Appraisal,
) -> UnitReport:
    appraised = appraisal.scores.get(score.unit_id)
    results = {c.code: c for c in score.criteria}
    groups = {g.code: g for g in score.groups}
    other_results = {c.code: c for c in appraised.criteria} if appraised else {}
    other_groups = {g.code: g for g in appraised.groups} if appraised else {}
    rows: list[Row] = []
    for path, node, _ in catalog.walk():
        depth = sum(1 for p in path if p == "children")
        stt = ROMAN[path[1]] if depth == 0 and path[1] < len(ROMAN) else node.code
        if isinstance(node, Group):
            g = groups[node.code]
            other = other_groups.get(node.code)
            rows.append(
                Row(True, depth, stt, node.code, node.title, g.max_points, g.points, other.points if other else None)
            )
        else:
            rows.append(
                _leaf_row(
                    catalog,
                    node,
                    results[node.code],
                    depth,
                    stt,
                    other_results.get(node.code),
                    appraisal.remark(score.unit_id, node.code),
                )
            )
    return UnitReport(
        score=score,
        unit_type_label=catalog.unit_types.get(score.unit_type, score.unit_type),
        evidence_sha256=sha256_evidence(unit),
        rows=rows,
        fixes=fixes(score.criteria),
        warnings=score.warnings,
        appraised_total=appraised.points if appraised else None,
        appraised_index=appraised.index if appraised else None,
        appraised_band=appraised.band if appraised else None,
    )


def _leaf_row(
    catalog: Catalog,
    leaf: LeafBase,
    r: CriterionResult,
    depth: int,
    stt: str,
    other: CriterionResult | None,
    reason: str,
) -> Row:
    na = r.status == "not_applicable"
    return Row(
        False,
        depth,
        stt,
        r.code,
        r.title,
        r.max_points,
        None if na else r.points,
        appraised=other.points if other and other.status != "not_applicable" else None,
        status=r.status,
        status_label=STATUS_LABELS[r.status],
        explanation=r.explanation,
        evidence=evidence_text(catalog, r.evidence),
        reference=r.reference,
        appraisal_reason=reason,
    )


def fixes(criteria: list[CriterionResult]) -> list[Fix]:
    """Lost points first where most can be recovered; deductions count what they took."""
    out = []
    for c in criteria:
        if not c.fix:
            continue
        deadline = vn.date(dt.date.fromisoformat(c.deadline)) if c.deadline else ""
        out.append(Fix(c.code, c.title, c.recoverable, STATUS_LABELS[c.status], c.fix, deadline))
    return sorted(out, key=lambda f: (-f.recoverable, [int(p) if p.isdigit() else p for p in f.code.split(".")]))


def evidence_text(catalog: Catalog, evidence: dict[str, Any]) -> str:
    """'Label: value; Label: value' with documents as 'số ký hiệu ngày dd/mm/yyyy'."""
    parts = []
    for name, value in evidence.items():
        label = (
            catalog.fields[name].label if name in catalog.fields else ("Chấm thủ công" if name == "manual" else name)
        )
        if isinstance(value, dict) and "date" in value:
            shown = " ".join(
                p for p in (value.get("number", ""), "ngày " + vn.date(dt.date.fromisoformat(value["date"]))) if p
            )
        elif isinstance(value, dict):
            shown = f"{vn.number(value.get('points', 0))} điểm — {value.get('reason', '')}"
        elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
            shown = vn.date(dt.date.fromisoformat(value))
        else:
            spec = catalog.fields.get(name)
            shown = spec.options.get(value, value) if spec and spec.type == "choice" else vn.value(value)
        parts.append(f"{label}: {shown}")
    return "; ".join(parts)
