"""A catalog as people read it: `cchc rules list` (table or JSON) and the web's catalog page."""

from __future__ import annotations

from typing import Any

from rules.catalog import Catalog


def leaf_rows(catalog: Catalog) -> list[dict[str, Any]]:
    """One row per scored criterion: what it is, how it scores, what evidence it needs, its basis."""
    labels = {name: spec.label for name, spec in catalog.fields.items()}
    return [
        {
            "code": leaf.code,
            "title": leaf.title,
            "area": catalog.area_of[leaf.code],
            "kind": leaf.kind,
            "max_points": leaf.max_points,
            "applies_to": leaf.applies_to,
            "tags": leaf.tags,
            "reference": catalog.basis(leaf),
            "evidence": [{"field": f, "label": label} for f, label in leaf.evidence_needed(labels)],
        }
        for leaf in catalog.leaves
    ]


def leaves_text(catalog: Catalog) -> str:
    rows = leaf_rows(catalog)
    lines = [f"{catalog.id} ({catalog.framework}): {len(rows)} tiêu chí, tổng {catalog.max_points:g} điểm"]
    lines += [f"{r['code']:<8} {r['max_points']:>5g}  {r['kind']:<16} {r['title']}" for r in rows]
    return "\n".join(lines) + "\n"
