"""Self-score against appraisal (tự chấm ↔ thẩm định): per criterion, per unit, over the sample,
and an estimate of how inflated the unsampled units' self-scores are likely to be."""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from typing import Any

from rules import vn
from scoring.core.results import UnitScore
from scoring.inspection.appraised import Appraisal, changed

# Two-sided 95 % Student t quantiles by degrees of freedom (beyond 30: the normal 1.96).
T95 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
}


def compare(selves: list[UnitScore], appraisal: Appraisal, drawn: list[str] | None = None) -> dict[str, Any]:
    """Self-score against appraised score, per criterion changed and per unit, over the sample;
    with the drawn sample, which drawn units are not appraised yet and which appraised ones were
    not drawn (kept in the figures, but said)."""
    by_id = {s.unit_id: s for s in selves}
    units: list[dict[str, Any]] = []
    over_units: dict[str, float] = defaultdict(float)
    over_criteria: Counter[str] = Counter()
    total_criteria = changed_criteria = 0
    for uid, other in sorted(appraisal.scores.items()):
        mine = by_id[uid]
        diffs = changed(mine, other)
        total_criteria += len(mine.criteria)
        changed_criteria += len(diffs)
        rows = []
        for a, b in diffs:
            delta = round(b.points - a.points, 2)
            if delta < 0:
                over_units[uid] += -delta
                over_criteria[a.code] += 1
            rows.append(
                {
                    "code": a.code,
                    "title": a.title,
                    "self_points": a.points,
                    "self_status": a.status,
                    "appraised_points": b.points,
                    "appraised_status": b.status,
                    "difference": delta,
                    "reason": appraisal.reasons.get((uid, a.code), ""),
                    "explanation": appraisal.notes.get((uid, a.code), ""),
                }
            )
        units.append(
            {
                "unit_id": uid,
                "unit_name": mine.unit_name,
                "unit_type": mine.unit_type,
                "self_points": mine.points,
                "appraised_points": other.points,
                "self_index": mine.index,
                "appraised_index": other.index,
                "index_change": _sub(other.index, mine.index),
                "self_band": mine.band,
                "appraised_band": other.band,
                "criteria": rows,
            }
        )
    inflation = [
        u["self_index"] - u["appraised_index"]
        for u in units
        if u["self_index"] is not None and u["appraised_index"] is not None
    ]
    return {
        "units": units,
        "sample": {
            "appraised_units": len(units),
            "population": len(selves),
            "mean_self_index": _mean([u["self_index"] for u in units]),
            "mean_appraised_index": _mean([u["appraised_index"] for u in units]),
            "criteria_changed_share": round(changed_criteria / total_criteria * 100, 2) if total_criteria else None,
            "most_over_scored_units": [{"unit_id": u, "points": round(p, 2)} for u, p in _largest(over_units)],
            "most_over_scored_criteria": [{"code": c, "units": n} for c, n in over_criteria.most_common(5)],
            **(
                {
                    "drawn": drawn,
                    "drawn_not_appraised": [u for u in drawn if u not in appraisal.scores],
                    "appraised_not_drawn": [u for u in sorted(appraisal.scores) if u not in drawn],
                }
                if drawn is not None
                else {}
            ),
        },
        "unsampled_estimate": estimate(inflation, len(selves)),
    }


def _largest(points: dict[str, float], n: int = 5) -> list[tuple[str, float]]:
    return sorted(points.items(), key=lambda item: (-item[1], item[0]))[:n]


def _sub(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 2)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(statistics.fmean(present), 2) if present else None


def estimate(inflation: list[float], population: int) -> dict:
    """Mean self − appraised index of the sample, with a 95 % t-interval (finite population corrected),
    read as the likely inflation of the unsampled units' self-scores, and how far to trust it."""
    n = len(inflation)
    if n == 0:
        return {
            "n": 0,
            "mean": None,
            "low": None,
            "high": None,
            "confidence": "Chưa có đơn vị nào được thẩm định: không ước lượng được.",
        }
    mean = statistics.fmean(inflation)
    if n == 1:
        return {
            "n": 1,
            "mean": round(mean, 2),
            "low": None,
            "high": None,
            "confidence": "Chỉ 1 đơn vị được thẩm định: không tính được khoảng tin cậy; con số chỉ để tham khảo.",
        }
    sd = statistics.stdev(inflation)
    fpc = math.sqrt(max(0.0, 1 - n / population)) if population > n else 0.0
    half = T95.get(n - 1, 1.96) * sd / math.sqrt(n) * fpc
    low, high = round(mean - half, 2), round(mean + half, 2)
    if n < 5 or half > 10:
        trust = "thấp: mẫu nhỏ hoặc chênh lệch giữa các đơn vị lớn, chỉ nên dùng để định hướng kiểm tra"
    elif half > 3:
        trust = "trung bình: khoảng tin cậy còn rộng"
    else:
        trust = "khá: khoảng tin cậy hẹp"
    direction = "cao hơn" if mean > 0 else "thấp hơn"
    text = (
        f"Với {n} đơn vị được thẩm định, chỉ số tự chấm trung bình {direction} kết quả thẩm định "
        f"{vn.number(abs(mean))} điểm; khoảng tin cậy 95 %: {vn.number(low)} đến {vn.number(high)} điểm. "
        f"Độ tin cậy của ước lượng cho các đơn vị chưa được thẩm định: {trust}."
    )
    return {"n": n, "mean": round(mean, 2), "low": low, "high": high, "confidence": text}


def to_text(result: dict) -> str:
    """The comparison as a terminal report (Vietnamese)."""

    def n(x):
        return "—" if x is None else vn.number(x)

    lines = []
    for u in result["units"]:
        band = u["self_band"] if u["self_band"] == u["appraised_band"] else f"{u['self_band']} → {u['appraised_band']}"
        lines.append(
            f"{u['unit_id']} ({u['unit_name']}): tự chấm {n(u['self_points'])} → thẩm định "
            f"{n(u['appraised_points'])} điểm; chỉ số {n(u['self_index'])} → {n(u['appraised_index'])} "
            f"({'+' if (u['index_change'] or 0) > 0 else ''}{n(u['index_change'])}); xếp loại {band}"
        )
        for c in u["criteria"]:
            lines.append(
                f"    {c['code']:<8} {n(c['self_points'])} → {n(c['appraised_points'])} "
                f"({'+' if c['difference'] > 0 else ''}{n(c['difference'])}) {c['reason']}"
            )
            if c["explanation"]:
                lines.append(f"             {c['explanation']}")
    return "\n".join([*lines, "", *summary_lines(result)]) + "\n"


def summary_lines(result: dict) -> list[str]:
    """The sample's summary as sentences (Vietnamese): what the workspace's dashboard lists."""

    def n(x):
        return "—" if x is None else vn.number(x)

    s = result["sample"]
    lines = [
        f"Đã thẩm định {s['appraised_units']}/{s['population']} đơn vị; chỉ số trung bình tự chấm "
        f"{n(s['mean_self_index'])}, thẩm định {n(s['mean_appraised_index'])}; "
        f"{n(s['criteria_changed_share'])} % tiêu chí bị điều chỉnh.",
    ]
    if "drawn" in s:
        lines.append(f"Mẫu kiểm tra: {len(s['drawn'])} đơn vị ({', '.join(s['drawn'])}).")
        if s["drawn_not_appraised"]:
            lines.append("Trong mẫu, chưa có kết quả thẩm định: " + ", ".join(s["drawn_not_appraised"]) + ".")
        if s["appraised_not_drawn"]:
            lines.append("Đã thẩm định nhưng không thuộc mẫu: " + ", ".join(s["appraised_not_drawn"]) + ".")
    if s["most_over_scored_units"]:
        lines.append(
            "Tự chấm cao hơn nhiều nhất: "
            + ", ".join(f"{x['unit_id']} ({n(x['points'])} điểm)" for x in s["most_over_scored_units"])
        )
    if s["most_over_scored_criteria"]:
        lines.append(
            "Tiêu chí hay bị chấm cao: "
            + ", ".join(f"{x['code']} ({x['units']} đơn vị)" for x in s["most_over_scored_criteria"])
        )
    lines.append(result["unsampled_estimate"]["confidence"])
    return lines
