"""Write the report files of a ReportBook into a folder, each atomically.

A large run writes the units' files on worker processes, PER_JOB units of one format at a time,
while this process writes the files made of the whole book (the summaries and the Excel workbook).
Workers are spawned (see scoring/run/pipeline.py) and get only the units they write.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Callable
from pathlib import Path

from scoring.outputs.book import ReportBook
from scoring.outputs.writing import atomic_write, folder_lock

FORMATS = ("html", "xlsx", "docx", "md", "pdf")
DEFAULT_FORMATS = ("html", "xlsx", "docx", "md")
SUMMARY = "tong-hop"
WORKBOOK = "bao-cao-cchc.xlsx"
PER_JOB = 25  # units' files of one format written by one job
PARALLEL_UNITS = 100  # below this, starting worker processes costs more than it saves

UnitJob = tuple[ReportBook, Path, str, bool]  # (the book with only the job's units, folder, format, appraisal)


def report_count(book: ReportBook, formats: tuple[str, ...]) -> int:
    """How many files `write_reports` writes."""
    return sum(1 if f == "xlsx" else len(book.units) + 1 for f in set(formats))


def write_reports(
    book: ReportBook,
    out: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    appraisal: bool = False,
    on_written: Callable[[Path], None] | None = None,
    workers: int = 1,
) -> list[Path]:
    """Per unit `<unit_id>.<ext>` plus `tong-hop.<ext>`; Excel is one workbook `bao-cao-cchc.xlsx`.
    `on_written` is told of each file as it is written (a progress line). `workers`: processes for
    a large run (a web server keeps the default, 1: it starts no processes per request)."""
    with folder_lock(out):
        written: list[Path] = []

        def done(paths: list[Path]) -> None:
            written.extend(paths)
            if on_written is not None:
                for path in paths:
                    on_written(path)

        jobs: list[UnitJob] = [
            (dataclasses.replace(book, units=book.units[start : start + PER_JOB]), out, fmt, appraisal)
            for fmt in FORMATS
            if fmt in formats and fmt != "xlsx"
            for start in range(0, len(book.units), PER_JOB)
        ]
        if workers > 1 and jobs and len(book.units) >= PARALLEL_UNITS:
            with multiprocessing.get_context("spawn").Pool(min(workers, len(jobs))) as pool:
                results = pool.imap_unordered(_unit_files, jobs)
                done(_book_files(book, out, formats, appraisal))
                for paths in results:
                    done(paths)
        else:
            for job in jobs:
                done(_unit_files(job))
            done(_book_files(book, out, formats, appraisal))
        return written


def _unit_files(job: UnitJob) -> list[Path]:
    """Write each unit's file of one format; their paths."""
    book, out, fmt, appraisal = job
    render = _renderers(fmt)[0]
    return [_save(out / f"{u.score.unit_id}.{fmt}", render(book, u, appraisal)) for u in book.units]


def _book_files(book: ReportBook, out: Path, formats: tuple[str, ...], appraisal: bool) -> list[Path]:
    """Write the summaries and the workbook; their paths."""
    paths = [_save(out / f"{SUMMARY}.{f}", _renderers(f)[1](book)) for f in FORMATS if f in formats and f != "xlsx"]
    if "xlsx" in formats:
        from scoring.outputs.xlsx import workbook

        paths.append(_save(out / WORKBOOK, workbook(book, appraisal)))
    return paths


def _save(path: Path, data: str | bytes) -> Path:
    atomic_write(path, data)
    return path


def _renderers(fmt: str) -> tuple[Callable, Callable]:
    """(unit renderer, summary renderer) of a format, imported only when asked for."""
    if fmt == "html":
        from scoring.outputs.html import summary_html, unit_html

        return unit_html, summary_html
    if fmt == "md":
        from scoring.outputs.md import summary_md, unit_md

        return unit_md, summary_md
    if fmt == "docx":
        from scoring.outputs.docx import summary_docx, unit_docx

        return unit_docx, summary_docx
    from scoring.outputs.pdf import summary_pdf, unit_pdf

    return unit_pdf, summary_pdf
