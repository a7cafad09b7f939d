"""Precision and recall of `cchc extract` on hand-labelled reports.

    python bench/extract.py [--labels tests/extract/labels.yaml]

Each report named in the labels file (beside it) is read, values extracted with the default
catalog, and compared with the labels: a value equal to the label is right; a value that differs,
or a value for a field the report does not give, is wrong (precision); a labelled field without a
value is missed (recall). Printed per field kind (document, count, percent) and overall, ending with
RESULT precision=P recall=R right=N wrong=W missed=M.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from evidence.extract import extract  # noqa: E402
from evidence.report_text import read_report  # noqa: E402
from rules.load import load_catalog  # noqa: E402

LABELS = Path(__file__).resolve().parent.parent / "tests" / "extract" / "labels.yaml"


def measure(labels_file: Path = LABELS, catalog_name: str = "syt-2026") -> tuple[Counter, list[str]]:
    """Counts of (kind, right|wrong|missed) over all labelled reports, and a line per mistake."""
    labels = yaml.safe_load(labels_file.read_text(encoding="utf-8"))
    catalog = load_catalog(catalog_name)
    counts: Counter = Counter()
    mistakes = []
    for name, label in labels.items():
        path = labels_file.parent / name
        found = extract([(name, p) for p in read_report(path, catalog.year)], catalog, catalog.year)
        expected = label["fields"]
        for field, f in found.items():
            kind = catalog.fields[field].type
            want = expected.get(field)
            if f.value is None:
                if want is not None:
                    counts[kind, "missed"] += 1
                    mistakes.append(f"{name}: {field} bỏ sót (đúng: {want})")
            elif _same(f.value, want):
                counts[kind, "right"] += 1
            else:
                counts[kind, "wrong"] += 1
                mistakes.append(f"{name}: {field} = {f.value} (đúng: {want})")
        for field in set(expected) - set(found):
            counts[catalog.fields[field].type, "missed"] += 1
            mistakes.append(f"{name}: {field} bỏ sót, trường không khai báo find")
    return counts, mistakes


def _same(value, want) -> bool:
    if isinstance(value, dict) or isinstance(want, dict):
        return (
            isinstance(value, dict)
            and isinstance(want, dict)
            and {k: str(v) for k, v in value.items()} == {k: str(v) for k, v in want.items()}
        )
    return want is not None and float(value) == float(want)


def rates(counts: Counter, kinds: tuple[str, ...]) -> tuple[float, float, int, int, int]:
    right = sum(counts[k, "right"] for k in kinds)
    wrong = sum(counts[k, "wrong"] for k in kinds)
    missed = sum(counts[k, "missed"] for k in kinds)
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = right / (right + missed) if right + missed else 1.0
    return precision, recall, right, wrong, missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labels", type=Path, default=LABELS)
    args = parser.parse_args()
    counts, mistakes = measure(args.labels)
    for kind in ("document", "count", "percent"):
        p, r, right, wrong, missed = rates(counts, (kind,))
        print(f"  {kind:<9} precision {p:6.1%}  recall {r:6.1%}  (right {right}, wrong {wrong}, missed {missed})")
    p, r, right, wrong, missed = rates(counts, ("document", "count", "percent"))
    for line in mistakes:
        print("  -", line)
    print(f"RESULT precision={p:.3f} recall={r:.3f} right={right} wrong={wrong} missed={missed}")


if __name__ == "__main__":
    main()
