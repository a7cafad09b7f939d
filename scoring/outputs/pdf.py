"""PDF reports: the HTML reports laid out on A4 by WeasyPrint (page size, margins and the
"Trang x/y" footer come from the templates' @page rule, so the browser's print matches)."""

from __future__ import annotations

import logging

from scoring.outputs.book import ReportBook, UnitReport
from scoring.outputs.html import summary_html, unit_html

# WeasyPrint logs every CSS property it does not implement (e.g. `word-break`) as a warning.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads Pango, which only this format needs

    return HTML(string=html).write_pdf()


def unit_pdf(book: ReportBook, unit: UnitReport, appraisal: bool = False) -> bytes:
    return pdf_from_html(unit_html(book, unit, appraisal))


def summary_pdf(book: ReportBook) -> bytes:
    return pdf_from_html(summary_html(book))
