"""Vietnamese explanation of one leaf result: rule, evidence values, points, reference, and the fix."""

from __future__ import annotations

from string import Template
from typing import Any

from rules import vn
from rules.catalog import Catalog
from rules.spec import LeafBase, Observation, Status


class Explainer:
    """Explanations for one catalog. What does not depend on a unit is prepared once per leaf and
    outcome: the template cut into text and names, the outcome's values, the reference, the fix."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._field_labels = {name: spec.label for name, spec in catalog.fields.items()}
        self._prepared: dict[tuple[str, str], tuple[list[str], list[tuple[str, str]], dict[str, Any]]] = {}
        self.reference = {leaf.code: catalog.basis(leaf) for leaf in catalog.leaves}
        # The first fields of each of the leaf's results (scoring.results.CriterionResult).
        self.header = {
            leaf.code: {
                "code": leaf.code,
                "title": leaf.title,
                "area": catalog.area_of[leaf.code],
                "kind": leaf.kind,
                "max_points": leaf.max_points,
            }
            for leaf in catalog.leaves
        }
        self._fix = {
            leaf.code: f" Để đạt điểm: {leaf.fix}" + (f" (hạn {vn.date(leaf.deadline)})." if leaf.deadline else ".")
            for leaf in catalog.leaves
            if leaf.fix
        }
        self._max = {leaf.code: vn.number(leaf.max_points) for leaf in catalog.leaves}

    def _prepare(self, leaf: LeafBase, outcome_id: str) -> tuple[list[str], list[tuple[str, str]], dict[str, Any]]:
        """(text pieces, the (name, as written) between them, the values that depend only on leaf
        and outcome)."""
        template = Template(leaf.template(outcome_id))
        pieces: list[str] = []
        names: list[tuple[str, str]] = []
        last = 0
        for m in template.pattern.finditer(template.template):
            named = m.group("named") or m.group("braced")
            if named is None:  # "$$" or a lone "$": kept as safe_substitute keeps them
                continue
            pieces.append(template.template[last : m.start()])
            names.append((named, m.group(0)))
            last = m.end()
        pieces.append(template.template[last:])
        labels = [self.catalog.fields[f].label for f in leaf.fields() if f in self.catalog.fields]
        fixed = {
            "label": labels[0] if labels else leaf.title,
            "fields": "; ".join(labels) or leaf.title,
            "reason": "",
            **leaf.outcome_vars(outcome_id),
        }
        return pieces, names, fixed

    def __call__(
        self, leaf: LeafBase, outcome_id: str, obs: Observation, points: float, status: Status, lost: bool
    ) -> str:
        """The explanation; `lost`: were points lost that the unit could earn (leaf.lost)?"""
        key = (leaf.code, outcome_id)
        prepared = self._prepared.get(key)
        if prepared is None:
            prepared = self._prepared[key] = self._prepare(leaf, outcome_id)
        pieces, names, fixed = prepared
        values = {**fixed, **obs.vars, **leaf.described(obs, self._field_labels)} if names else fixed
        parts = [pieces[0]]
        for (name, written), piece in zip(names, pieces[1:], strict=True):
            if name not in values:
                parts.append(written)  # as safe_substitute leaves a name it has no value for
            elif name == "answer":
                parts.append(vn.value(_option_label(self.catalog, leaf, values[name])))
            else:
                parts.append(vn.value(values[name]))
            parts.append(piece)
        text = "".join(parts)
        reference = self.reference[leaf.code]
        if status == "not_applicable":
            return f"{text}. Không tính vào điểm tối đa. Căn cứ: {reference}."
        if status == "pending":
            return f"{text}: chưa tính vào điểm (tạm tính), tối đa {self._max[leaf.code]} điểm. Căn cứ: {reference}."
        if leaf.adjusts_parent:
            sentence = f"{text}: {'+' if points > 0 else ''}{vn.number(points)} điểm. Căn cứ: {reference}."
        else:
            sentence = f"{text}: {vn.number(points)}/{self._max[leaf.code]} điểm. Căn cứ: {reference}."
        if lost:
            sentence += self._fix.get(leaf.code, "")
        return sentence


def _option_label(catalog: Catalog, leaf: LeafBase, key: str) -> str:
    """A choice as the unit saw it: 'B (Tốt)' for a survey letter, else the option's label."""
    spec = catalog.fields.get(leaf.fields()[0]) if leaf.fields() else None
    label = spec.options.get(key, key) if spec else key
    return f"{key} ({label})" if len(key) <= 2 and label != key else label
