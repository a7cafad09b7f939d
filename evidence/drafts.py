"""A unit's draft evidence read from the reports it already writes (`cchc extract`): which unit,
the values found with their sources, and the draft as a YAML file or as typed evidence for the
unit workbook."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence.extract import Found, checks, draft, extract
from evidence.models import UnitEvidence
from evidence.report_text import read_report
from evidence.validate import build_unit
from rules.catalog import Catalog
from rules.errors import InputError
from rules.yamlio import dump_yaml


def unit_type_of(catalog: Catalog, given: str | None) -> str:
    """A unit type named by its id or its Vietnamese label (any case)."""
    labels = {label.lower(): key for key, label in catalog.unit_types.items()}
    kind = given if given in catalog.unit_types else labels.get((given or "").lower())
    if kind is None:
        names = ", ".join(f"{k} ({v})" for k, v in catalog.unit_types.items())
        raise InputError(f"--unit-type: cần loại đơn vị của bộ tiêu chí {catalog.id}: {names}")
    return kind


@dataclass
class ReportDraft:
    reports: list[Path]
    unit: dict[str, Any]  # id, name, type, year
    found: dict[str, Found]  # every field looked for, with what was found
    values: dict[str, Any]  # the fields given a value
    content: dict[str, Any]  # the draft evidence file: unit, evidence, and `draft` (sources, checks)

    @property
    def conflicts(self) -> int:
        return sum(1 for f in self.found.values() if f.conflict)

    def yaml_text(self) -> str:
        header = (
            f"# Bản nháp tài liệu kiểm chứng, trích tự động từ: {', '.join(p.name for p in self.reports)}\n"
            "# Đơn vị đối chiếu từng giá trị với báo cáo (draft.found: câu trích, vị trí, độ tin cậy),\n"
            "# sửa nếu cần, bổ sung phần còn thiếu (draft.not_found), rồi đặt reviewed: true.\n"
            "# Chưa rà soát thì điểm chỉ để tham khảo.\n"
        )
        return header + dump_yaml(self.content)

    def typed(self, catalog: Catalog, source: str) -> UnitEvidence:
        """The values as evidence for the unit workbook; values that contradict each other are left
        for the unit to fill."""
        try:
            return build_unit({"unit": self.unit, "evidence": self.values}, catalog, source, today=dt.date.max)
        except InputError as e:
            named = {(p.field or "").removeprefix("evidence.") for p in e.problems}
            kept = {k: v for k, v in self.values.items() if k not in named}
            return build_unit({"unit": self.unit, "evidence": kept}, catalog, source, today=dt.date.max)

    def summary(self, output: Path) -> str:
        draft_info = self.content["draft"]
        return (
            f"Đã ghi bản nháp {output}: {len(self.values)}/{len(self.found)} trường có giá trị, "
            f"{self.conflicts} mâu thuẫn, {len(draft_info['not_found'])} không tìm thấy, "
            f"{len(draft_info['checks'])} cảnh báo đối chiếu"
        )


def draft_from_reports(
    reports: list[Path], catalog: Catalog, unit_id: str | None, unit_type: str | None, unit_name: str | None
) -> ReportDraft:
    """The draft of one unit's evidence from its reports (.txt, .md, .docx, text .pdf); the unit's
    id defaults to the first report's file name."""
    kind = unit_type_of(catalog, unit_type)
    ident = unit_id or re.sub(r"[^A-Za-z0-9_.-]+", "-", reports[0].stem).strip("-") or "don-vi"
    unit = {"id": ident, "name": unit_name or ident, "type": kind, "year": catalog.year}
    passages = [(path.name, p) for path in reports for p in read_report(path, catalog.year)]
    found = extract(passages, catalog, catalog.year)
    values = {name: f.value for name, f in found.items() if f.value is not None}
    content = draft(found, catalog, unit, [str(p) for p in reports], checks(values, catalog, unit))
    return ReportDraft(reports, unit, found, values, content)
