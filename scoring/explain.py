"""Vietnamese explanation of one leaf result: rule, evidence values, points, reference, and the fix."""

from __future__ import annotations

from string import Template

from rules import vn
from rules.catalog import Catalog
from rules.spec import LeafBase, Observation, Status


class Explainer:
    """Explanations for one catalog; what does not depend on a unit is prepared once per leaf."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._templates: dict[tuple[str, str], tuple[Template, set[str]]] = {}
        self._labels: dict[str, tuple[str, str]] = {}
        self._field_labels = {name: spec.label for name, spec in catalog.fields.items()}
        self._reference = {leaf.code: catalog.basis(leaf) for leaf in catalog.leaves}
        self._fix = {
            leaf.code: f" Để đạt điểm: {leaf.fix}" + (f" (hạn {vn.date(leaf.deadline)})." if leaf.deadline else ".")
            for leaf in catalog.leaves
            if leaf.fix
        }

    def _template(self, leaf: LeafBase, outcome_id: str) -> tuple[Template, set[str]]:
        key = (leaf.code, outcome_id)
        if key not in self._templates:
            template = Template(leaf.template(outcome_id))
            self._templates[key] = (template, set(template.get_identifiers()))
        return self._templates[key]

    def _label(self, leaf: LeafBase) -> tuple[str, str]:
        if leaf.code not in self._labels:
            labels = [self.catalog.fields[f].label for f in leaf.fields() if f in self.catalog.fields]
            self._labels[leaf.code] = (labels[0] if labels else leaf.title, "; ".join(labels) or leaf.title)
        return self._labels[leaf.code]

    def __call__(self, leaf: LeafBase, outcome_id: str, obs: Observation, points: float, status: Status) -> str:
        template, names = self._template(leaf, outcome_id)
        label, fields = self._label(leaf)
        values = {
            "label": label,
            "fields": fields,
            "reason": "",
            **leaf.outcome_vars(outcome_id),
            **obs.vars,
            **leaf.described(obs, self._field_labels),
        }
        if "answer" in names:
            values["answer"] = _option_label(self.catalog, leaf, values["answer"])
        text = template.safe_substitute({k: vn.value(values[k]) for k in names if k in values})
        reference = self._reference[leaf.code]
        if status == "not_applicable":
            return f"{text}. Không tính vào điểm tối đa. Căn cứ: {reference}."
        if status == "pending":
            return (
                f"{text}: chưa tính vào điểm (tạm tính), tối đa {vn.number(leaf.max_points)} điểm. Căn cứ: {reference}."
            )
        if leaf.adjusts_parent:
            sentence = f"{text}: {'+' if points > 0 else ''}{vn.number(points)} điểm. Căn cứ: {reference}."
        else:
            sentence = f"{text}: {vn.number(points)}/{vn.number(leaf.max_points)} điểm. Căn cứ: {reference}."
        if leaf.lost(points, status):
            sentence += self._fix.get(leaf.code, "")
        return sentence


def _option_label(catalog: Catalog, leaf: LeafBase, key: str) -> str:
    """A choice as the unit saw it: 'B (Tốt)' for a survey letter, else the option's label."""
    spec = catalog.fields.get(leaf.fields()[0]) if leaf.fields() else None
    label = spec.options.get(key, key) if spec else key
    return f"{key} ({label})" if len(key) <= 2 and label != key else label
