"""A unit's to-do list at a date: what evidence to add, what results to improve, and which lost
points can no longer be earned (their deadline, or the assessment year, is past).

Built from the results a reporter shows (self-scores, or the appraised ones where the unit was
appraised); the kind of each criterion says what can still be earned (`LeafBase.still_earnable`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from rules import vn
from rules.catalog import Catalog
from rules.spec import LeafBase
from scoring.core.results import STATUS_LABELS, CriterionResult, UnitScore

NEEDS_EVIDENCE = ("missing_evidence", "unverified")


@dataclass
class Fix:
    """A criterion where points were lost, and what would recover them."""

    code: str
    title: str
    points: float  # what acting now would win (for a closed one: what was lost)
    status_label: str
    action: str
    deadline: str  # dd/mm/yyyy, or ""


@dataclass
class ToDo:
    evidence: list[Fix] = field(default_factory=list)  # bổ sung tài liệu kiểm chứng
    results: list[Fix] = field(default_factory=list)  # cải thiện kết quả, still possible
    closed: list[Fix] = field(default_factory=list)  # lost for this assessment year

    def __bool__(self) -> bool:
        return bool(self.evidence or self.results or self.closed)

    def sections(self) -> list[tuple[str, list[Fix]]]:
        """The non-empty parts, titled as every report format shows them."""
        parts = [
            ("Bổ sung tài liệu kiểm chứng", self.evidence),
            ("Cải thiện kết quả", self.results),
            ("Điểm không còn khắc phục được trong năm đánh giá", self.closed),
        ]
        return [(title, fixes) for title, fixes in parts if fixes]

    @property
    def open_points(self) -> float:
        return round(sum(f.points for f in self.evidence + self.results), 2)


def todo(score: UnitScore, catalog: Catalog, on: dt.date) -> ToDo:
    out = ToDo()
    year_end = dt.date(score.year, 12, 31)
    labels = {name: spec.label for name, spec in catalog.fields.items()}
    for c in score.criteria:
        if not c.fix or c.recoverable <= 0:
            continue  # nothing lost (a deduction the total's bounds absorbed takes nothing)
        leaf = catalog.leaf[c.code]
        deadline = vn.date(dt.date.fromisoformat(c.deadline)) if c.deadline else ""
        earnable = round(leaf.still_earnable(c.points, c.outcome, set(c.evidence), on, year_end), 2)
        if c.status in NEEDS_EVIDENCE:
            out.evidence.append(_fix(c, c.recoverable, _add_evidence(c, leaf, labels, earnable), deadline))
            continue
        if earnable > 0:
            out.results.append(_fix(c, earnable, c.fix, deadline))
        else:
            why = f"đã quá hạn {deadline}" if deadline and on > dt.date.fromisoformat(c.deadline or "") else ""
            why = why or ("năm đánh giá đã kết thúc" if on > year_end else "kết quả trong năm đã xác định")
            out.closed.append(_fix(c, c.recoverable, f"Không còn khắc phục được ({why}); rút kinh nghiệm: {c.fix}", ""))
    for fixes in (out.evidence, out.results, out.closed):
        fixes.sort(key=lambda f: (-f.points, [int(p) if p.isdigit() else p for p in f.code.split(".")]))
    return out


def _add_evidence(c: CriterionResult, leaf: LeafBase, labels: dict[str, str], earnable: float) -> str:
    """What to send when evidence is missing or undated; and, if the thing was never done, what
    doing it now would still earn."""
    needed = ", ".join(label for _, label in leaf.evidence_needed(labels))
    what = "Bổ sung số, ngày văn bản" if c.status == "unverified" else "Bổ sung tài liệu kiểm chứng"
    if earnable <= 0:
        otherwise = "nếu chưa thực hiện thì không còn đạt điểm trong năm đánh giá"
    elif earnable < c.recoverable:
        otherwise = f"nếu chưa: {c.fix} (thực hiện bây giờ đạt tối đa {vn.number(earnable)} điểm)"
    else:
        otherwise = f"nếu chưa: {c.fix}"
    return f"{what} ({needed}) nếu đã thực hiện; {otherwise}"


def _fix(c: CriterionResult, points: float, action: str, deadline: str) -> Fix:
    return Fix(c.code, c.title, points, STATUS_LABELS[c.status], action, deadline)
