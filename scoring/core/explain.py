"""Vietnamese explanation of one leaf result: rule, evidence values, points, reference, and the fix.

An explanation is the leaf's template filled from the observation (`text`), then how many points
and why (`ending`). What does not depend on a unit is prepared once per leaf and outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from string import Template
from typing import Any

from rules import vn
from rules.catalog import Catalog
from rules.spec import LeafBase, Observation, Status


@dataclass(slots=True)
class _Prepared:
    """One leaf × outcome's template, the names it uses, and the values that depend only on leaf
    and outcome."""

    template: Template
    names: list[str]  # the template's ${names}
    fixed: dict[str, Any]
    describe: Callable[[Observation], dict[str, Any]] | None  # the leaf's values put in words


class Explainer:
    """Explanations for one catalog."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._field_labels = {name: spec.label for name, spec in catalog.fields.items()}
        self._prepared: dict[tuple[str, str], _Prepared] = {}
        self.reference = {leaf.code: catalog.basis(leaf) for leaf in catalog.leaves}
        self._fix = {
            leaf.code: f" Để đạt điểm: {leaf.fix}" + (f" (hạn {vn.date(leaf.deadline)})." if leaf.deadline else ".")
            for leaf in catalog.leaves
            if leaf.fix
        }
        self._max = {leaf.code: vn.number(leaf.max_points) for leaf in catalog.leaves}

    def text(self, leaf: LeafBase, outcome_id: str, obs: Observation) -> str:
        """The leaf's template for this outcome, filled from the observation by safe_substitute (a
        name with no value stays as written): text as it is (a blank one as "—"), numbers, dates
        and lists the Vietnamese way, a choice by its label."""
        prepared = self._prepared.get((leaf.code, outcome_id))
        if prepared is None:
            prepared = self._prepared[(leaf.code, outcome_id)] = self._prepare(leaf, outcome_id)
        if not prepared.names:
            return prepared.template.template
        values = {**prepared.fixed, **obs.vars}
        if prepared.describe is not None:
            values.update(prepared.describe(obs))
        words = {}
        for name in prepared.names:
            if name in values:
                value = values[name]
                if name == "answer":
                    words[name] = vn.value(_option_label(self.catalog, leaf, value))
                else:
                    words[name] = (value or "—") if value.__class__ is str else vn.value(value)
        return prepared.template.safe_substitute(words)

    def ending(self, leaf: LeafBase, points: float, status: Status, lost: bool) -> str:
        """What follows the text: the points (or why none count), the reference, and the fix when
        points were lost that the unit could earn (`lost`: leaf.lost)."""
        reference = self.reference[leaf.code]
        if status == "not_applicable":
            return f". Không tính vào điểm tối đa. Căn cứ: {reference}."
        if status == "pending":
            return f": chưa tính vào điểm (tạm tính), tối đa {self._max[leaf.code]} điểm. Căn cứ: {reference}."
        if leaf.adjusts_parent:
            ending = f": {'+' if points > 0 else ''}{vn.number(points)} điểm. Căn cứ: {reference}."
        else:
            ending = f": {vn.number(points)}/{self._max[leaf.code]} điểm. Căn cứ: {reference}."
        return ending + self._fix.get(leaf.code, "") if lost else ending

    def _prepare(self, leaf: LeafBase, outcome_id: str) -> _Prepared:
        labels = [self.catalog.fields[f].label for f in leaf.fields() if f in self.catalog.fields]
        fixed = {
            "label": labels[0] if labels else leaf.title,
            "fields": "; ".join(labels) or leaf.title,
            "reason": "",
            **leaf.outcome_vars(outcome_id),
        }
        template = Template(leaf.template(outcome_id))
        return _Prepared(template, template.get_identifiers(), fixed, leaf.describer(self._field_labels))


def _option_label(catalog: Catalog, leaf: LeafBase, key: str) -> str:
    """A choice as the unit saw it: 'B (Tốt)' for a survey letter, else the option's label."""
    spec = catalog.fields.get(leaf.fields()[0]) if leaf.fields() else None
    label = spec.options.get(key, key) if spec else key
    return f"{key} ({label})" if len(key) <= 2 and label != key else label
