"""Self-contained HTML reports (jinja2, autoescaped): one page per unit and a summary page."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from rules import vn
from scoring.core.results import COVERAGE_NOTE, PROVISIONAL_NOTE, coverage_text
from scoring.outputs.book import ReportBook, UnitReport, link_target
from scoring.outputs.writing import printable

BAND_COLORS = {"Tốt": "#1b7f3b", "Khá": "#1f4e78", "Trung bình": "#c28f00", "Yếu": "#b3261e"}


@cache  # one environment, so each template is compiled once per process
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("scoring.outputs", "templates"),
        autoescape=select_autoescape(["j2", "html"]),
        finalize=lambda value: printable(value) if isinstance(value, str) else value,
    )
    env.filters["num"] = lambda x: "" if x is None else vn.number(x)
    env.filters["vdate"] = vn.date
    env.filters["idx"] = vn.index
    env.filters["coverage"] = coverage_text
    env.filters["link"] = link_target
    return env


def unit_html(book: ReportBook, unit: UnitReport, appraisal: bool = False) -> str:
    return _env().get_template("unit.html.j2").render(book=book, u=unit, appraisal=appraisal)


def summary_html(book: ReportBook) -> str:
    notes = {"provisional": PROVISIONAL_NOTE, "coverage": COVERAGE_NOTE}
    return _env().get_template("summary.html.j2").render(book=book, colors=BAND_COLORS, notes=notes)
