"""Find evidence files under paths and read them into checked UnitEvidence records.

A file may hold one unit (`unit:` at the top) or many (`units: [...]`). A bad file or unit is
reported with its place and does not stop the others from loading.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence.csvfolder import is_csv_folder, read_csv_folder
from evidence.models import UnitEvidence
from evidence.validate import unit_or_error
from rules import vn
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.yamlio import Lines, line_of, load_json, load_yaml, scan_yaml

if TYPE_CHECKING:  # the survey reader pulls in openpyxl; loading YAML needs neither
    from evidence.survey import Survey

SUFFIXES = (".yaml", ".yml", ".json", ".xlsx")


@dataclass
class Loaded:
    units: list[UnitEvidence] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.failures for p in f.problems]

    def all_or_error(self) -> list[UnitEvidence]:
        """The units, when every file and unit was good; else InputError listing every problem."""
        if self.failures:
            raise InputError(self.problems)
        return self.units


def evidence_files(paths: list[Path]) -> list[Path]:
    """The evidence files named, or found (sorted) in the folders named."""
    files: list[Path] = []
    for path in paths:
        if is_csv_folder(path):
            files.append(path)
        elif path.is_dir():
            csv_sets = sorted(p.parent for p in path.rglob("units.csv"))
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
            )
            found = sorted(csv_sets + found)
            if not found:
                raise InputError(
                    Problem(
                        f"thư mục không có tệp tài liệu kiểm chứng ({', '.join(SUFFIXES)}, "
                        "hoặc thư mục CSV có units.csv)",
                        str(path),
                    )
                )
            files += found
        elif path.is_file():
            if path.suffix.lower() not in SUFFIXES:
                raise InputError(Problem(f"loại tệp không hỗ trợ; dùng {', '.join(SUFFIXES)}", str(path)))
            files.append(path)
        else:
            raise InputError(Problem("không tìm thấy tệp hoặc thư mục", str(path)))
    return files


def first_year(paths: list[Path]) -> tuple[int, Path] | None:
    """The assessment year of the first unit in the first YAML or JSON evidence file (and that file),
    read without a catalog (the year picks the catalog's values); None when there is none to read."""
    for path in evidence_files(paths):
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            continue
        try:
            year = _json_year(path) if path.suffix.lower() == ".json" else _yaml_year(path)
        except InputError:
            continue  # reported when the file is loaded for real
        if isinstance(year, int):
            return year, path
    return None


def _yaml_year(path: Path) -> Any:
    """The first unit's year, reading no further than the first unit (a file may hold thousands)."""
    for where, value in scan_yaml(path):
        if where in (("unit", "year"), ("units", 0, "unit", "year")):
            return value
        if where[:2] == ("units", 1):
            return None
    return None


def _json_year(path: Path) -> Any:
    data = load_json(path)
    units = data.get("units") if isinstance(data, dict) else None
    first = units[0] if isinstance(units, list) and units else data
    unit = first.get("unit") if isinstance(first, dict) else None
    return unit.get("year") if isinstance(unit, dict) else None


def iter_units(
    paths: list[Path], catalog: Catalog, failures: list[InputError], survey: Survey | None = None
) -> Iterator[UnitEvidence]:
    """The good units, file by file, as they are read; each bad file or unit goes to `failures`.

    Only one file's units are held at a time, so a national run does not hold all evidence at once.
    """
    seen: dict[str, str] = {}
    for path in evidence_files(paths):
        try:
            units = load_file(path, catalog, survey)
        except InputError as e:
            failures.append(e)
            continue
        for unit, error in units:
            if error is not None:
                failures.append(error)
            elif (duplicate := claim_id(seen, unit.unit.id, unit.source)) is not None:
                failures.append(duplicate)
            else:
                yield unit


def claim_id(seen: dict[str, str], unit_id: str, source: str) -> InputError | None:
    """Record where a unit id was first seen; a second unit with that id is an error."""
    if unit_id in seen:
        return InputError(
            Problem(f"mã đơn vị '{unit_id}' trùng với đơn vị trong {seen[unit_id]}", source, field="unit.id")
        )
    seen[unit_id] = source
    return None


def load_paths(paths: Sequence[str | Path], catalog: Catalog, survey: Survey | None = None) -> Loaded:
    """Every unit of the files and folders named, checked against the catalog, with its results of
    the Sở's survey when one is given; bad files and units in `failures`."""
    loaded = Loaded()
    loaded.units = list(iter_units([Path(p) for p in paths], catalog, loaded.failures, survey))
    return loaded


# A province has a few hundred units; a file of more is a generated or a broken one.
MAX_UNITS_PER_FILE = 20_000


def load_file(path: Path, catalog: Catalog, survey: Survey | None = None) -> list[tuple[Any, InputError | None]]:
    """Each unit of one file (or CSV folder), checked: (UnitEvidence, None) or (None, its error),
    with the unit's results of the Sở's survey attached."""
    units = _read_file(path, catalog)
    if survey:
        for unit, _ in units:
            if unit is not None:
                unit.survey = survey.get(unit.unit.id, {})
    return units


def _read_file(path: Path, catalog: Catalog) -> list[tuple[Any, InputError | None]]:
    if is_csv_folder(path):
        return read_csv_folder(path, catalog)
    if path.suffix.lower() == ".xlsx":
        from evidence.excel import read_workbook

        return read_workbook(path, catalog)
    lines: Lines = {}
    if path.suffix.lower() == ".json":
        data = load_json(path)
    else:
        data, lines = load_yaml(path)
    if isinstance(data, dict) and "units" in data:
        if not isinstance(data["units"], list) or set(data) != {"units"}:
            raise InputError(Problem("'units' phải là danh sách đơn vị, không kèm mục khác", str(path)))
        if len(data["units"]) > MAX_UNITS_PER_FILE:
            many, most = vn.number(len(data["units"])), vn.number(MAX_UNITS_PER_FILE)
            message = f"tệp có {many} đơn vị (tối đa {most} một tệp): hãy chia thành nhiều tệp"
            raise InputError(Problem(message, str(path)))
        entries: list[tuple[tuple, Any]] = [(("units", i), entry) for i, entry in enumerate(data["units"])]
    else:
        entries = [((), data)]
    out: list[tuple[Any, InputError | None]] = []
    for prefix, entry in entries:

        def locate(sub: tuple, prefix: tuple = prefix) -> str | None:
            line = line_of(lines, prefix + sub)
            return f"dòng {line}" if line else None

        out.append(unit_or_error(entry, catalog, str(path), locate))
    return out


def one_unit(units: list[UnitEvidence], unit_id: str | None, source: str | Path) -> UnitEvidence:
    """The unit `unit_id` of those read from `source`, or its only unit when no id is given."""
    if unit_id is not None:
        units = [u for u in units if u.unit.id == unit_id]
        if not units:
            raise InputError(f"{source}: không có đơn vị mã '{unit_id}'")
    elif len(units) != 1:
        ids = ", ".join(u.unit.id for u in units)
        raise InputError(f"{source}: có {len(units)} đơn vị ({ids}); chọn một bằng --unit MÃ")
    return units[0]
