"""What a unit's evidence leaves open, before any scoring: criteria without tài liệu kiểm chứng,
statements without số, ngày, stated rates that disagree with the counts, other warnings.
`cchc validate` prints it (warnings, or errors with --strict); the web shows it beside the form."""

from __future__ import annotations

from dataclasses import dataclass, field

from evidence.models import UnitEvidence
from rules.catalog import Catalog
from rules.engine import observe
from rules.spec import MISSING, NA, UNVERIFIED


@dataclass(frozen=True)
class GapLine:
    text: str
    is_gap: bool  # missing evidence (an error under --strict), not just a warning


@dataclass
class Gaps:
    needed: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)  # (code, title)
    unverified: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        given = self.needed - len(self.missing) - len(self.unverified)
        return f"có tài liệu kiểm chứng {given}/{self.needed} tiêu chí"

    def lines(self) -> list[GapLine]:
        out = [GapLine(f"{code} {title}: thiếu tài liệu kiểm chứng", True) for code, title in self.missing]
        out += [
            GapLine(f"{code} {title}: đơn vị nêu đã thực hiện nhưng không có số, ngày văn bản", True)
            for code, title in self.unverified
        ]
        return out + [GapLine(w, False) for w in self.warnings]


def evidence_gaps(catalog: Catalog, unit: UnitEvidence) -> Gaps:
    gaps = Gaps(warnings=list(unit.warnings))
    for leaf, obs in observe(catalog, unit):
        gaps.warnings += [f"{leaf.code}: {w}" for w in obs.warnings]
        if not leaf.unit_evidence or leaf.adjusts_parent or obs.state == NA:
            continue
        gaps.needed += 1
        if obs.state == MISSING:
            gaps.missing.append((leaf.code, leaf.title))
        elif obs.state == UNVERIFIED:
            gaps.unverified.append((leaf.code, leaf.title))
    return gaps
