"""Vietnamese explanation of one leaf result: rule, evidence values, points, reference, and the fix."""

from __future__ import annotations

from string import Template

from rules import vn
from rules.catalog import Catalog
from rules.spec import LeafBase, Observation


def explain(catalog: Catalog, leaf: LeafBase, outcome_id: str, obs: Observation, points: float, status: str) -> str:
    labels = [catalog.fields[f].label for f in leaf.fields() if f in catalog.fields]
    values = {"label": labels[0] if labels else leaf.title, "fields": "; ".join(labels) or leaf.title,
              "reason": "", **obs.vars}
    if "answer" in values:
        values["answer"] = _option_label(catalog, leaf, values["answer"])
    if "band" not in values and hasattr(leaf, "params") and outcome_id.startswith("band_"):
        values["band"] = leaf.params.bands[int(outcome_id.removeprefix("band_"))].text()
    text = Template(leaf.template(outcome_id)).safe_substitute({k: vn.value(v) for k, v in values.items()})
    if status == "not_applicable":
        return f"{text}. Không tính vào điểm tối đa. Căn cứ: {leaf.reference}."
    if status == "pending_manual":
        return f"{text}. Căn cứ: {leaf.reference}."
    sentence = f"{text}: {vn.number(points)}/{vn.number(leaf.max_points)} điểm. Căn cứ: {leaf.reference}."
    if leaf.adjusts_parent:
        sentence = f"{text}: {'+' if points > 0 else ''}{vn.number(points)} điểm. Căn cứ: {leaf.reference}."
    if lost(leaf, points, status) and leaf.fix:
        due = f" (hạn {vn.date(leaf.deadline)})" if leaf.deadline else ""
        sentence += f" Để đạt điểm: {leaf.fix}{due}."
    return sentence


def lost(leaf: LeafBase, points: float, status: str) -> bool:
    """Were points lost that the unit could have earned?"""
    if status in ("not_applicable", "pending_manual"):
        return False
    return points < 0 if leaf.kind == "deduction" else points < leaf.max_points


def _option_label(catalog: Catalog, leaf: LeafBase, key: str) -> str:
    """A choice as the unit saw it: 'B (Tốt)' for a survey letter, else the option's label."""
    spec = catalog.fields.get(leaf.fields()[0]) if leaf.fields() else None
    label = spec.options.get(key, key) if spec else key
    return f"{key} ({label})" if len(key) <= 2 and label != key else label
