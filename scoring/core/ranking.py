"""Ranks: competition ranking by index (1, 2, 2, 4) within each group of like units and over all
units, worked out before anything is written (scores are frozen: ranked copies are made)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from scoring.core.results import Summary, UnitScore

T = TypeVar("T")
Ranks = tuple[int | None, int | None]  # (within the unit's group, over all units)


class Rankable(Protocol):
    @property
    def group(self) -> str: ...

    @property
    def index(self) -> float | None: ...


def ranks(items: Sequence[Rankable]) -> list[Ranks]:
    """Each item's (rank in its group, overall rank), in the items' order; ties share a rank and
    items without an index get none."""
    within: dict[int, int] = {}
    members: dict[str, list[int]] = defaultdict(list)
    for at, item in enumerate(items):
        members[item.group].append(at)
    for group in members.values():
        within.update(_competition(items, group))
    overall = _competition(items, range(len(items)))
    return [(within.get(at), overall.get(at)) for at in range(len(items))]


def _competition(items: Sequence[Rankable], among: Iterable[int]) -> dict[int, int]:
    ranked = sorted((at for at in among if items[at].index is not None), key=lambda at: -(items[at].index or 0.0))
    out: dict[int, int] = {}
    for position, at in enumerate(ranked, start=1):
        before = ranked[position - 2] if position > 1 else None
        same = before is not None and items[before].index == items[at].index
        out[at] = out[before] if same and before is not None else position
    return out


def ranked(scores: Sequence[UnitScore]) -> list[UnitScore]:
    """Copies of the scores with their ranks."""
    return [s.model_copy(update={"rank": r, "overall_rank": o}) for s, (r, o) in zip(scores, ranks(scores))]


def ranked_summaries(summaries: Sequence[Summary]) -> list[Summary]:
    return [dataclasses.replace(s, rank=r, overall_rank=o) for s, (r, o) in zip(summaries, ranks(summaries))]


def by_group(labels: dict[str, str], items: Iterable[T], group_of: Callable[[T], str]) -> list[tuple[str, list[T]]]:
    """Items split by ranking group: (label, items), groups in the catalog's order, then any other;
    a catalog without groups gives one, "Tất cả đơn vị"."""
    split: dict[str, list[T]] = defaultdict(list)
    for item in items:
        split[group_of(item)].append(item)
    order = [g for g in labels if g in split] + sorted(set(split) - set(labels))
    other = "Đơn vị khác" if labels else "Tất cả đơn vị"
    return [(labels.get(g) or other, split[g]) for g in order]
