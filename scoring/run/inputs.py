"""What a run reads before it scores: the catalog of the assessment year, the survey and the
evidence, as every command reads them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evidence.loaders import Loaded, first_year, load_paths
from evidence.survey import Survey, load_survey
from rules.catalog import Catalog
from rules.errors import InputError, Problem
from rules.load import catalog_years, load_catalog


def catalog_for(name: str | None, year: int | None, paths: Sequence[str | Path] = ()) -> Catalog:
    """The catalog of the assessment year: `year`, else the year of the first unit read from
    `paths`, else the last year the catalog covers. A unit's year outside the catalog's is refused."""
    if year is None and paths and (found := first_year([Path(p) for p in paths])):
        year, source = found
        first, last = catalog_years(name)
        if not first <= year <= last:
            message = f"năm đánh giá {year} ngoài các năm bộ tiêu chí chấm ({first}–{last})"
            raise InputError(Problem(message, str(source), field="unit.year"))
    return load_catalog(name, year)


def load_inputs(
    name: str | None,
    year: int | None,
    paths: Sequence[str | Path],
    survey_file: Path | None,
    strict: bool = True,
) -> tuple[Catalog, Survey | None, Loaded]:
    """The catalog, the survey, and the evidence with the survey attached; every unit must load
    when `strict`."""
    catalog = catalog_for(name, year, paths)
    survey = load_survey(survey_file, catalog) if survey_file else None
    loaded = load_paths(paths, catalog, survey)
    if strict:
        loaded.all_or_error()
    return catalog, survey, loaded
