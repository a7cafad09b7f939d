"""Synthetic but realistic units for a catalog: every unit type, strong to weak, some gaps."""

from __future__ import annotations

import datetime as dt
import random

from evidence.models import Document, ManualScore, Unit, UnitEvidence
from rules.catalog import Catalog
from rules.kinds import ManualLeaf


def scored_on(catalog: Catalog) -> str:
    """The day (CCHC_TODAY) synthetic units written to files are scored on: after their year, as an
    inspection is, since their documents run into January."""
    return f"{catalog.year + 1}-03-31"


def synthetic_units(catalog: Catalog, n: int, seed: int = 0, first: int = 0) -> list[UnitEvidence]:
    """`n` units numbered from `first`."""
    rng = random.Random(seed)
    types = list(catalog.unit_types)
    deadlines = _deadlines(catalog)
    units = []
    for i in range(first, first + n):
        strength = rng.random()  # 1 = strong unit, 0 = weak unit
        values: dict = {}
        totals: dict[str, int] = {}
        for check in catalog.checks:  # totals first, so parts can be drawn below them
            totals.setdefault(check.total, rng.randint(0, 2000) if rng.random() > 0.05 else 0)
        for name, spec in catalog.fields.items():
            if rng.random() < 0.12 * (1 - strength):
                continue  # missing evidence, more often for weak units
            if spec.type in ("document", "date"):
                due = deadlines.get(name, dt.date(catalog.year, 6, 30))
                day = due + dt.timedelta(days=int(rng.gauss(-10 * strength + 4, 12)))
                values[name] = (
                    Document(date=day, number=f"{rng.randint(1, 999)}/KH") if spec.type == "document" else day
                )
            elif spec.type == "count":
                values[name] = totals.get(name, rng.randint(0, 3))
            elif spec.type == "percent":
                values[name] = round(min(100.0, max(0.0, rng.gauss(70 + 25 * strength, 8))), 1)
            elif spec.type == "yes_no":
                values[name] = rng.random() < 0.4 + 0.55 * strength
            else:
                options = list(spec.options)
                values[name] = options[min(len(options) - 1, int((1 - strength) * len(options) * rng.random() * 1.5))]
        for check in catalog.checks:  # parts within their total, with a sum that fits
            room = values.get(check.total, 0) if check.total in values else None
            for part in check.parts:
                if part in values and room is not None:
                    values[part] = min(room, int(room * min(1.0, rng.gauss(0.75 + 0.25 * strength, 0.1))))
                    room -= values[part]
        manual = {
            leaf.code: ManualScore(points=round(leaf.max_points * rng.choice([0, 0.5, 1]), 2), reason="tổng hợp")
            for leaf in catalog.leaves
            if isinstance(leaf, ManualLeaf) and rng.random() < 0.8
        }
        na = {leaf.code: "không phát sinh" for leaf in catalog.leaves if leaf.allow_na and rng.random() < 0.1}
        unit = Unit(id=f"u{i:06d}", name=f"Đơn vị {i}", type=types[i % len(types)], year=catalog.year)
        survey = {  # the Sở's survey, for most units: respondents per answer, better for stronger units
            q: {a: rng.randint(0, int(60 * (strength if i == 0 else 1 - strength)) + 2) for i, a in enumerate(answers)}
            for leaf in catalog.leaves
            if (q := leaf.survey_question()) and (answers := list(leaf.survey_answers())) and rng.random() < 0.8
        }
        units.append(UnitEvidence(unit=unit, values=values, manual=manual, not_applicable=na, survey=survey))
    return units


def _deadlines(catalog: Catalog) -> dict[str, dt.date]:
    out = {}
    for leaf in catalog.leaves:
        params = getattr(leaf, "params", None)
        if hasattr(params, "deadline"):
            out[params.field] = params.deadline
        for period in getattr(params, "periods", []):
            out[period.field] = period.deadline
    return out


def to_yaml_dict(unit: UnitEvidence) -> dict:
    """The evidence as a unit would write it in YAML (dates day first)."""

    def plain(v):
        if isinstance(v, Document):
            return {"number": v.number, "date": v.date.strftime("%d/%m/%Y")}
        if isinstance(v, dt.date):
            return v.strftime("%d/%m/%Y")
        return v

    return {
        "unit": unit.unit.model_dump(exclude_none=True),
        "evidence": {k: plain(v) for k, v in unit.values.items()},
        "manual": {k: m.model_dump(exclude_defaults=True) for k, m in unit.manual.items()},
        "not_applicable": dict(unit.not_applicable),
    }
