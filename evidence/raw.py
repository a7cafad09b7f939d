"""Checked evidence back in the shape an evidence file holds (the inverse of evidence.validate):
what the web workspace stores and what `cchc export` writes, so that reading it again gives the
same UnitEvidence and the same scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from evidence.models import Document, Statement, UnitEvidence


def raw_value(value: Any) -> Any:
    if isinstance(value, Document):
        doc = value.model_dump(exclude_defaults=True)
        doc["date"] = value.date.strftime("%d/%m/%Y")
        return doc
    if isinstance(value, Statement):
        return {"statement": value.statement}
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def raw_evidence(unit: UnitEvidence) -> dict[str, Any]:
    raw: dict[str, Any] = {
        "unit": unit.unit.model_dump(exclude_none=True),
        "evidence": {name: raw_value(v) for name, v in unit.values.items()},
    }
    if unit.manual:
        raw["manual"] = {code: m.model_dump(exclude_defaults=True) for code, m in unit.manual.items()}
    if unit.not_applicable:
        raw["not_applicable"] = dict(unit.not_applicable)
    return raw
