"""The inspection sample (mẫu kiểm tra): stratified by unit type, reproducible for a seed.

Size = ceil(fraction × population), never less than the units forced in. Every type with units
gets at least one place when the size allows; the rest is shared in proportion to the types'
sizes (largest remainder). Within a type, units are drawn at random from their sorted ids, so
the same inputs and seed always give the same sample, whatever the order of the files.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from evidence.models import UnitEvidence
from rules.catalog import Catalog
from rules.errors import InputError
from scoring.core.results import UnitScore

METHOD = (
    "Chọn mẫu ngẫu nhiên phân tầng theo loại đơn vị; mỗi loại có đơn vị được ít nhất 1 suất khi cỡ mẫu cho "
    "phép; phần còn lại chia theo tỷ lệ số đơn vị (phần dư lớn nhất); rút thăm trên danh sách mã đã sắp xếp."
)


@dataclass
class Sample:
    seed: int
    fraction: float
    population: int
    size: int
    strata: dict[str, dict[str, int]]
    selected: list[dict[str, str]] = field(default_factory=list)
    method: str = METHOD

    def to_text(self, type_labels: dict[str, str] | None = None) -> str:
        """The sample as the inspection team reads it, unit types by their Vietnamese names."""
        labels = type_labels or {}
        lines = [
            f"Mẫu kiểm tra: {self.size}/{self.population} đơn vị (tỷ lệ {self.fraction:g}, seed {self.seed})",
            self.method,
            "",
        ]
        lines += [f"  {labels.get(t, t)}: {v['sample']}/{v['population']}" for t, v in self.strata.items()]
        width = max((len(labels.get(s["unit_type"], s["unit_type"])) for s in self.selected), default=0)
        lines += [""] + [
            f"  {s['unit_id']:<16} {labels.get(s['unit_type'], s['unit_type']):<{width}}  {s['reason']}"
            for s in self.selected
        ]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "seed": self.seed,
            "fraction": self.fraction,
            "population": self.population,
            "size": self.size,
            "strata": self.strata,
            "selected": self.selected,
        }


def draw_sample(
    units: dict[str, str],
    fraction: float,
    seed: int,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    forced_reasons: dict[str, str] | None = None,
) -> Sample:
    """`units`: unit id → unit type. `include` ids are always in, `exclude` ids never."""
    forced_reasons = forced_reasons or {}
    if not (math.isfinite(fraction) and 0 < fraction <= 1):
        raise ValueError(f"tỷ lệ rút mẫu phải lớn hơn 0 và không quá 1 (ví dụ 0,3 là 30 %), không phải {fraction:g}")
    unknown = [u for u in [*include, *exclude] if u not in units]
    if unknown:
        raise ValueError(f"không có đơn vị: {', '.join(unknown)}")
    both = set(include) & set(exclude)
    if both:
        raise ValueError(f"đơn vị vừa bắt buộc chọn vừa loại trừ: {', '.join(sorted(both))}")
    eligible = {u: t for u, t in units.items() if u not in exclude}
    size = min(len(eligible), max(math.ceil(fraction * len(units) - 1e-9), len(set(include))))
    by_type: dict[str, list[str]] = {}
    for uid in sorted(eligible):
        by_type.setdefault(eligible[uid], []).append(uid)
    quota = _allocate(
        size,
        {t: len(ids) for t, ids in by_type.items()},
        {t: sum(1 for u in include if eligible.get(u) == t) for t in by_type},
    )
    rng = random.Random(seed)
    selected = []
    for utype in sorted(by_type):
        forced = [u for u in by_type[utype] if u in include]
        for u in forced:
            selected.append(
                {"unit_id": u, "unit_type": utype, "reason": forced_reasons.get(u, "bắt buộc chọn (--include)")}
            )
        pool = [u for u in by_type[utype] if u not in include]
        k = max(0, quota[utype] - len(forced))
        for u in sorted(rng.sample(pool, min(k, len(pool)))):
            selected.append(
                {
                    "unit_id": u,
                    "unit_type": utype,
                    "reason": f"ngẫu nhiên: {quota[utype]}/{len(by_type[utype])} đơn vị cùng loại",
                }
            )
    strata = {
        t: {
            "population": sum(1 for u in units.values() if u == t),
            "eligible": len(by_type.get(t, [])),
            "sample": sum(1 for s in selected if s["unit_type"] == t),
        }
        for t in sorted(set(units.values()))
    }
    return Sample(seed, fraction, len(units), len(selected), strata, selected)


def _allocate(size: int, sizes: dict[str, int], forced: dict[str, int]) -> dict[str, int]:
    """Places per type: forced ones first, at least one per type while places last, then by share."""
    quota = dict(forced)
    left = size - sum(quota.values())
    for t in sorted(sizes, key=lambda t: (-sizes[t], t)):  # larger types first when places are scarce
        if quota[t] == 0 and left > 0:
            quota[t], left = 1, left - 1
    total = sum(sizes.values())
    while left > 0:
        # the type furthest below its proportional share, with room left, gets the next place
        room = [t for t in sizes if quota[t] < sizes[t]]
        t = max(room, key=lambda t: (size * sizes[t] / total - quota[t], sizes[t], t))
        quota[t] += 1
        left -= 1
    return quota


def lowest_units(scores: Sequence[UnitScore], k: int, exclude: Sequence[str] = ()) -> dict[str, str]:
    """The k units with the lowest self-score index (ties by id), with why each is forced in."""
    ranked = sorted(
        (s for s in scores if s.index is not None and s.unit_id not in exclude), key=lambda s: (s.index, s.unit_id)
    )
    return {s.unit_id: f"chỉ số tự chấm thấp (nhóm {k} thấp nhất): {s.index}" for s in ranked[:k]}


def draw_inspection(
    catalog: Catalog,
    units: Sequence[UnitEvidence],
    fraction: float,
    seed: int,
    include: Sequence[str] = (),
    exclude: Sequence[str] = (),
    lowest: int = 0,
) -> Sample:
    """The sample of `cchc sample`: stratified by unit type, `include` always in, `exclude` never,
    and the `lowest` units by self-score index forced in (scored here), each with its reason.
    A bad fraction or an unknown unit is an InputError."""
    reasons: dict[str, str] = {}
    if lowest:
        from scoring.run.scorer import Scorer

        with Scorer(catalog) as scorer:
            scores = scorer.score(units).units
        reasons = {u: r for u, r in lowest_units(scores, lowest, exclude).items() if u not in include}
    try:
        return draw_sample(
            {u.unit.id: u.unit.type for u in units}, fraction, seed, [*include, *reasons], exclude, reasons
        )
    except ValueError as e:
        raise InputError(str(e)) from None
