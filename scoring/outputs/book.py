"""What a justification report shows, built once from a ScoreRun; every format renders this.

A reporter never recomputes a score: rows, subtotals, the headline facts and the to-do list come
from the results, so every format shows the same content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence.models import UnitEvidence
from rules import clock, vn
from rules.catalog import Catalog, Group, decision_citation
from rules.spec import LeafBase
from scoring.core.ranking import by_group, ranked
from scoring.core.results import STATUS_LABELS, CriterionResult, ScoreRun, UnitScore
from scoring.core.todo import ToDo, todo
from scoring.inspection.appraised import Appraisal
from scoring.outputs.org import OrgSettings
from scoring.outputs.writing import printable

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Row:
    """One line of the scoring table: an area or criterion group (with its subtotal), a leaf, or
    one of the closing lines (bonus/deduction, total; code "adjustment", "total")."""

    is_group: bool
    depth: int
    stt: str
    code: str
    title: str
    max_points: float | None
    points: float | None  # None: not applicable
    appraised: float | None = None
    status: str = ""
    status_label: str = ""
    explanation: str = ""
    evidence: str = ""
    reference: str = ""
    appraisal_reason: str = ""
    applies: bool = True  # False: a criterion for other unit types (not applicable by the unit's type)
    files: list[tuple[str, str]] = field(default_factory=list)  # (what, file or link) the unit attached


@dataclass
class Attachment:
    """A file the unit named as evidence, looked up in the attachments folder (`--attachments`)."""

    what: str  # the document's label and số ký hiệu
    file: str  # as the unit wrote it
    sha256: str | None  # of the file found; None when it was not found
    problem: str = ""  # why it was not found

    @property
    def status(self) -> str:
        return f"SHA-256 {self.sha256}" if self.sha256 else self.problem


@dataclass
class UnitReport:
    score: UnitScore  # the self-score
    final: UnitScore  # the score that stands (appraised where appraised), ranked among all units
    unit_type_label: str
    evidence_sha256: str
    rows: list[Row]
    facts: list[tuple[str, str]]  # the headline: (label, value), the same in every format
    todo: ToDo
    warnings: list[str]
    appraised_total: float | None = None
    appraised_index: float | None = None
    appraised_band: str | None = None
    attachments: list[Attachment] | None = None  # None: no attachments folder was given

    ATTACHMENTS_TITLE = "Tệp tài liệu kiểm chứng đính kèm"

    @property
    def appraised(self) -> UnitScore | None:
        """The appraised score (ranked among all units' final results), where the unit was appraised."""
        return self.final if self.appraised_total is not None else None

    ATTACHMENTS_HEADER = ["Tài liệu", "Tệp", "Dấu vân tay SHA-256 / tình trạng"]

    @property
    def listed_name(self) -> str:
        """The unit's name as a summary lists it, marked when its result is an appraised one."""
        return self.score.unit_name + (" (đã thẩm định)" if self.appraised_total is not None else "")

    @property
    def printed_rows(self) -> list[Row]:
        """The rows a printed report shows: criteria for other unit types are named in one line
        (`other_types_note`) instead, and a group left with none of its criteria goes with them."""
        shown = []
        for i, r in enumerate(self.rows):
            if not r.is_group:
                if r.applies:
                    shown.append(r)
                continue
            inside = []
            for later in self.rows[i + 1 :]:
                if later.depth <= r.depth:
                    break
                inside.append(later)
            if r.code in ("adjustment", "total") or not inside or any(not x.is_group and x.applies for x in inside):
                shown.append(r)
        return shown

    @property
    def other_types_note(self) -> str:
        codes = [r.code for r in self.rows if not r.is_group and not r.applies]
        if not codes:
            return ""
        return (
            f"Các tiêu chí không áp dụng với {self.unit_type_label} (không tính vào điểm tối đa): "
            + ", ".join(codes)
            + "."
        )


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
    groups: dict[str, str] = field(default_factory=dict)  # ranking group id -> label
    band_counts: list[tuple[str, int]] = field(default_factory=list)  # of the final results
    errors: list[str] = field(default_factory=list)
    appraised: bool = False  # were any units appraised? Then ranks, totals and bands are final results
    org: OrgSettings = field(default_factory=OrgSettings)  # who issues and signs (Word reports)
    decision: str = ""  # the Sở's decision issuing the catalog, as cited first in every "Căn cứ"

    @property
    def decision_note(self) -> str:
        """Printed once above a unit's table, so that no row repeats the decision."""
        return f"Căn cứ chung của mọi tiêu chí: {self.decision}." if self.decision else ""

    def printed_explanation(self, r: Row) -> str:
        """A row's explanation with the Sở's decision, cited once in `decision_note`, left out."""
        return (
            r.explanation.replace(decision_citation(self.decision, r.code) + "; ", "")
            if self.decision
            else r.explanation
        )

    @property
    def ranked(self) -> list[UnitReport]:
        """Every unit in overall order of the final results."""
        return sorted(self.units, key=lambda u: _rank_key(u.final.overall_rank, u))

    @property
    def by_group(self) -> list[tuple[str, list[UnitReport]]]:
        """(group label, its units ranked within it by final result), in the catalog's order of groups."""
        groups = by_group(self.groups, self.units, lambda u: u.final.group)
        return [(label, sorted(units, key=lambda u: _rank_key(u.final.rank, u))) for label, units in groups]

    @property
    def provisional(self) -> bool:
        return any(u.final.provisional for u in self.units)

    @property
    def incomplete(self) -> bool:
        return any(not u.score.coverage.complete for u in self.units)

    @property
    def heading_note(self) -> str:
        """Says what the ranking ranks, when appraisal changed some results."""
        if not self.appraised:
            return ""
        n = sum(u.appraised_total is not None for u in self.units)
        return (
            f"Xếp hạng theo kết quả cuối cùng: điểm thẩm định với {n} đơn vị được thẩm định, "
            "điểm tự chấm với các đơn vị còn lại; cột «Tự chấm» giữ điểm, chỉ số đơn vị tự chấm."
        )


def _rank_key(rank: int | None, u: UnitReport) -> tuple:
    return (rank is None, rank or 0, u.score.unit_id)


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
    org: OrgSettings | None = None,
    attachments: Path | None = None,
) -> ReportBook:
    """Everything the reports show. `attachments`: the folder of the units' evidence files; each file
    named in the evidence is looked up there and its SHA-256 recorded, a missing one is a warning."""
    by_id = {u.unit.id: u for u in evidence}
    appraisal = appraisal or Appraisal()
    today = today or clock.today()
    sizes = {g: sum(1 for s in run.units if s.group == g) for g in {s.group for s in run.units}}
    finals = {s.unit_id: appraisal.final(s) for s in run.units}
    if appraisal.scores:  # appraised and self-scored units ranked together
        finals = dict(zip(finals, ranked(list(finals.values()))))
    units = [_unit_report(s, finals[s.unit_id], catalog, by_id[s.unit_id], appraisal, today, sizes) for s in run.units]
    if attachments is not None:
        for u in units:
            u.attachments = check_attachments(u.rows, attachments)
            u.warnings = u.warnings + [f"{a.what}: tệp «{a.file}» {a.problem}" for a in u.attachments if not a.sha256]
    counts = [(b.name, sum(1 for f in finals.values() if f.band == b.name)) for b in catalog.bands]
    return ReportBook(
        catalog_id=catalog.id,
        catalog_title=catalog.title,
        catalog_version=catalog.version,
        year=catalog.year,
        catalog_sha256=sha256_file(catalog.source),
        generated=today,
        units=units,
        areas=[(a.code, a.title) for a in catalog.areas],
        groups={g: spec.label for g, spec in catalog.groups.items()},
        band_counts=counts,
        errors=list(run.errors),
        appraised=bool(appraisal.scores),
        org=org or OrgSettings(),
        decision=str(catalog.decision) if catalog.decision else "",
    )


def _unit_report(
    score: UnitScore,
    final: UnitScore,
    catalog: Catalog,
    unit: UnitEvidence,
    appraisal: Appraisal,
    today: dt.date,
    sizes: dict[str, int],
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
                    node.applies(score.unit_type),
                )
            )
    rows += closing_rows(score, appraised)
    return UnitReport(
        score=score,
        final=final,
        unit_type_label=catalog.unit_types.get(score.unit_type, score.unit_type),
        evidence_sha256=sha256_evidence(unit),
        rows=rows,
        facts=facts(score, catalog, sizes, appraised and final),
        todo=todo(appraisal.final(score), catalog, today),
        warnings=(appraised or score).warnings,
        appraised_total=appraised.points if appraised else None,
        appraised_index=appraised.index if appraised else None,
        appraised_band=appraised.band if appraised else None,
    )


def closing_rows(score: UnitScore, appraised: UnitScore | None) -> list[Row]:
    """The table's last lines: bonus/deduction as applied (when any), then the total and index."""
    rows = []
    if score.adjustment or (appraised and appraised.adjustment):
        note = ""
        if score.adjustment_applied != score.adjustment:
            note = f"Theo tiêu chí {vn.signed(score.adjustment)}; tổng điểm giữ trong [0, tối đa]"
        other = appraised.adjustment_applied if appraised else None
        title = "Điểm thưởng / điểm trừ"
        rows.append(Row(True, 0, "", "adjustment", title, None, score.adjustment_applied, other, explanation=note))
    mark = " (tạm tính)" if score.provisional else ""
    rows.append(
        Row(
            True,
            0,
            "",
            "total",
            "Tổng cộng",
            score.max_points,
            score.points,
            appraised.points if appraised else None,
            explanation=f"Chỉ số {vn.index(score.index)} — {score.band or 'chưa xếp loại'}{mark}",
        )
    )
    return rows


def _leaf_row(
    catalog: Catalog,
    leaf: LeafBase,
    r: CriterionResult,
    depth: int,
    stt: str,
    other: CriterionResult | None,
    reason: str,
    applies: bool = True,
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
        applies=applies,
        files=evidence_files(catalog, r.evidence),
    )


def facts(
    score: UnitScore,
    catalog: Catalog,
    sizes: dict[str, int],
    appraised: UnitScore | None = None,
    ranked: bool = True,
) -> list[tuple[str, str]]:
    """The headline of a unit's report: total, bonus/deduction, index, rank, evidence coverage,
    pending criteria and the appraised result with its rank among all units' final results, as
    (label, value) lines. `sizes`: the number of units in each ranking group. `ranked`: False
    leaves the ranks out (a page scoring one unit, whose ranks need every unit)."""
    mark = " (tạm tính)" if score.provisional else ""
    out = [("Tổng điểm", f"{vn.number(score.points)}/{vn.number(score.max_points)}{mark}")]
    if score.adjustment:
        applied = vn.signed(score.adjustment_applied)
        if score.adjustment_applied != score.adjustment:
            applied += f" (theo tiêu chí {vn.signed(score.adjustment)}; tổng điểm giữ trong [0, tối đa])"
        out += [("Điểm các tiêu chí", vn.number(score.base_points)), ("Điểm thưởng / điểm trừ", applied)]
    out.append(("Chỉ số", f"{vn.index(score.index)} — {score.band or 'chưa xếp loại'}{mark}"))
    if ranked and score.rank is not None:
        out.append(("Xếp hạng", _ranks(score, catalog, sizes) + mark))
    c = score.coverage
    cover = f"có tài liệu kiểm chứng {c.given}/{c.needed} tiêu chí"
    if c.missing:
        cover += f"; thiếu: {', '.join(c.missing)}"
    if c.unverified:
        cover += f"; chưa có số, ngày văn bản: {', '.join(c.unverified)}"
    out.append(("Tài liệu kiểm chứng", cover))
    if score.pending:
        waiting = "; ".join(f"{p.code} {p.title} ({vn.number(p.max_points)} điểm)" for p in score.pending)
        total = vn.number(round(sum(p.max_points for p in score.pending), 2))
        out.append(("Chờ chấm, chưa tính", f"{waiting} — tổng {total} điểm"))
    if appraised is not None:
        result = (
            f"{vn.number(appraised.points)}/{vn.number(appraised.max_points)} điểm, chỉ số "
            f"{vn.index(appraised.index)} — {appraised.band or 'chưa xếp loại'}"
        )
        if ranked and appraised.rank is not None:
            result += f"; xếp hạng sau thẩm định {_ranks(appraised, catalog, sizes)}"
        out.append(("Kết quả thẩm định", result))
    return out


def _ranks(score: UnitScore, catalog: Catalog, sizes: dict[str, int]) -> str:
    """'3/3 Khối quản lý nhà nước; 8/10 chung'."""
    overall = f"{score.overall_rank}/{sum(sizes.values())} chung"
    if score.group not in catalog.groups:
        return overall
    return f"{score.rank}/{sizes[score.group]} {catalog.groups[score.group].label}; {overall}"


def check_attachments(rows: list[Row], folder: Path) -> list[Attachment]:
    """Each local file the rows name, once, found under `folder` (never outside it) and fingerprinted.
    Web addresses are not files to check."""
    root = folder.resolve()
    out: list[Attachment] = []
    seen: set[str] = set()
    for r in rows:
        for what, file in r.files:
            if file in seen or re.match(r"^[a-z][a-z0-9+.-]*://", file, re.I):
                continue
            seen.add(file)
            relative = file.replace("\\", "/")
            if re.match(r"^[A-Za-z]:/|^/", relative):
                out.append(
                    Attachment(what, file, None, "là đường dẫn tuyệt đối: hãy ghi đường dẫn trong thư mục tệp nộp")
                )
                continue
            path = (root / relative).resolve()
            if not path.is_relative_to(root):
                out.append(Attachment(what, file, None, "nằm ngoài thư mục tệp đính kèm"))
            elif not path.is_file():
                out.append(Attachment(what, file, None, "không có trong thư mục tệp đính kèm"))
            else:
                out.append(Attachment(what, file, sha256_file(path)))
    return out


def evidence_files(catalog: Catalog, evidence: dict[str, Any]) -> list[tuple[str, str]]:
    """The "Tệp / đường dẫn" of each document given: (its label and số ký hiệu, the file or link)."""
    out = []
    for name, value in evidence.items():
        if isinstance(value, dict) and value.get("file"):
            label = catalog.fields[name].label if name in catalog.fields else name
            out.append((" ".join(p for p in (label, value.get("number", "")) if p), value["file"]))
    return out


def link_target(file: str) -> str | None:
    """A link a browser, Word or Excel can open: a web address (http, https) or a path relative to
    the report's folder (where a unit keeps its tài liệu kiểm chứng, the attachments folder), never
    leaving it. None for anything else (javascript:, data:, a drive or UNC path, an absolute path,
    "..", control characters): it is shown as text and never made a link."""
    text = file.strip().replace("\\", "/")
    if printable(text) != text or not text:
        return None
    if re.match(r"https?://[^/\s]", text, re.IGNORECASE):
        return text
    parts = text.split("/")
    if text.startswith("/") or ":" in text or ".." in parts:
        return None
    return text


EVIDENCE_LABELS = {"manual": "Chấm thủ công", "survey": "Điều tra xã hội học của Sở", "appraisal": "Tài liệu thẩm định"}


def evidence_text(catalog: Catalog, evidence: dict[str, Any]) -> str:
    """'Label: value; Label: value' with documents as 'số ký hiệu ngày dd/mm/yyyy'."""
    parts = []
    for name, value in evidence.items():
        label = catalog.fields[name].label if name in catalog.fields else EVIDENCE_LABELS.get(name, name)
        if name == "survey" and isinstance(value, dict):
            answers = {k: v for k, v in value.items() if k != "question"}
            shown = (
                f"{sum(answers.values())} người trả lời (" + ", ".join(f"{k}: {v}" for k, v in answers.items()) + ")"
            )
        elif isinstance(value, dict) and "date" in value:
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
