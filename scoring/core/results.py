"""The one result model every reporter reads (the JSON contract of `cchc score`).

Results are frozen: one criterion result or subtotal is shared by every unit with the same values,
so none may be changed in place; a changed copy is made with `model_copy(update=...)`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, SkipValidation, TypeAdapter

from rules.spec import Status

STATUS_LABELS = {
    "met": "Đạt",
    "partial": "Đạt một phần",
    "not_met": "Không đạt",
    "not_applicable": "Không áp dụng",
    "missing_evidence": "Thiếu tài liệu kiểm chứng",
    "unverified": "Chưa kiểm chứng (không có số, ngày văn bản)",
    "pending": "Chờ kết quả (tạm tính)",
}

# Footnotes every ranking (terminal table, reports) puts under units so marked.
PROVISIONAL_NOTE = (
    "* Tạm tính: còn tiêu chí chờ đoàn kiểm tra chấm hoặc chờ kết quả điều tra xã hội học;"
    " điểm và điểm tối đa chưa tính các tiêu chí đó."
)
COVERAGE_NOTE = "TLKC: số tiêu chí có tài liệu kiểm chứng / số tiêu chí đơn vị phải cung cấp; «thiếu»: hồ sơ chưa đủ."


def band_text(band: str | None, provisional: bool) -> str:
    """A band as rankings show it: 'Yếu (tạm tính)' while some criteria are pending."""
    return (band or "—") + (" (tạm tính)" if provisional else "")


def coverage_text(c: Coverage) -> str:
    return f"{c.given}/{c.needed}" + ("" if c.complete else " thiếu")


class Result(BaseModel):
    """Every result model: frozen, so that shared results stay as they were built."""

    model_config = ConfigDict(frozen=True)


class CriterionResult(Result):
    code: str
    title: str
    area: str
    kind: str
    max_points: float
    points: float
    status: Status
    explanation: str
    reference: str
    # The unit's values as given (JSON-ready), and the warnings about them: taken as they are, not
    # copied (a result is built for each unit × criterion that does not share one).
    evidence: SkipValidation[dict[str, Any]]
    outcome: str
    fix: str = ""  # what would earn the lost points, when points were lost
    recoverable: float = 0.0  # points the fix would win back (a deduction: what it took)
    deadline: str | None = None
    warnings: SkipValidation[list[str]] = []


class AreaScore(Result):
    code: str
    title: str
    points: float
    max_points: float


class GroupScore(AreaScore):
    """Subtotal of any group node (area or criterion with sub-criteria), for report tables."""

    depth: int  # 0 for an area


class PendingCriterion(Result):
    """A criterion not yet scored by those who score it (inspection team, the Sở's survey)."""

    code: str
    title: str
    max_points: float


class Coverage(Result):
    """Of the applicable criteria scored from what the unit gives, how many have evidence."""

    given: int
    needed: int
    missing: list[str] = []  # codes without tài liệu kiểm chứng
    unverified: list[str] = []  # codes the unit says were done, with no số, ngày

    @property
    def complete(self) -> bool:
        return self.given == self.needed


class UnitScore(Result):
    unit_id: str
    unit_name: str
    unit_type: str
    group: str = ""  # the catalog's group of like units (ranked together)
    year: int
    base_points: float  # the criteria's points, before bonus and deduction
    adjustment: float = 0.0  # bonus minus deduction, as the criteria give them
    adjustment_applied: float = 0.0  # what the total actually moved (kept within [0, maximum])
    points: float
    max_points: float
    index: float | None
    band: str | None
    rank: int | None = None  # within the group
    overall_rank: int | None = None
    provisional: bool = False  # tạm tính: some criteria are pending
    pending: list[PendingCriterion] = []
    coverage: Coverage
    areas: list[AreaScore]
    criteria: list[CriterionResult]
    groups: list[GroupScore] = []
    source: str = ""
    warnings: list[str] = []


# A unit's JSON is written before the run's ranks are known (units are scored file by file, in
# worker processes): as two JSON objects, the fields before its ranks and those after, which the
# output joins around the ranks once every unit is in (`ranked_json`).
_FIELDS = list(UnitScore.model_fields)
UNIT_HEAD = set(_FIELDS[: _FIELDS.index("rank")])
UNIT_TAIL = set(_FIELDS[_FIELDS.index("overall_rank") + 1 :])
_UNIT_JSON = TypeAdapter(UnitScore)


def unranked_json(score: UnitScore) -> tuple[bytes, bytes]:
    """(the JSON object of the fields before the ranks, that of the fields after them)."""
    return _UNIT_JSON.dump_json(score, include=UNIT_HEAD), _UNIT_JSON.dump_json(score, include=UNIT_TAIL)


def rank_members(rank: int | None, overall_rank: int | None) -> bytes:
    """The ranks as members of a JSON object, in UnitScore's order."""
    return b'"rank":%s,"overall_rank":%s' % (_json_int(rank), _json_int(overall_rank))


def ranked_json(head: bytes, tail: bytes, rank: int | None, overall_rank: int | None) -> bytes:
    """A unit's JSON (as `model_dump_json` of the ranked score) from its two unranked objects."""
    return b"{" + head[1:-1] + b"," + rank_members(rank, overall_rank) + b"," + tail[1:]


def _json_int(value: int | None) -> bytes:
    return b"null" if value is None else b"%d" % value


class CatalogInfo(Result):
    id: str
    version: str
    year: int
    title: str = ""
    framework: str = ""
    unit_types: dict[str, str] = {}  # id -> Vietnamese label
    groups: dict[str, str] = {}  # ranking group id -> Vietnamese label, in the catalog's order


class ScoreRun(Result):
    catalog: CatalogInfo
    units: list[UnitScore]
    errors: list[str] = []  # units that could not be scored, with why

    def unit(self, unit_id: str) -> UnitScore:
        return next(u for u in self.units if u.unit_id == unit_id)

    @property
    def unit_ids(self) -> set[str]:
        return {u.unit_id for u in self.units}

    @property
    def types_by_unit(self) -> dict[str, str]:
        """Each unit's type by its id: what an appraisal is checked against."""
        return {u.unit_id: u.unit_type for u in self.units}


@dataclass(frozen=True, slots=True)
class Summary:
    """A unit's totals without its criteria: what a streamed run keeps in memory to rank."""

    unit_id: str
    unit_name: str
    unit_type: str
    group: str
    points: float
    max_points: float
    index: float | None
    band: str | None
    provisional: bool
    coverage: Coverage
    warnings: list[str]
    rank: int | None = None
    overall_rank: int | None = None

    @classmethod
    def of(cls, s: UnitScore) -> Summary:
        return cls(
            s.unit_id,
            s.unit_name,
            s.unit_type,
            s.group,
            s.points,
            s.max_points,
            s.index,
            s.band,
            s.provisional,
            s.coverage,
            s.warnings,
        )
