"""Markdown reports for quick reading: one per unit and a summary."""

from __future__ import annotations

from rules import vn
from scoring.core.results import COVERAGE_NOTE, PROVISIONAL_NOTE, band_text, coverage_text
from scoring.outputs.book import ReportBook, UnitReport, link_target
from scoring.outputs.writing import printable


def _n(x: float | None) -> str:
    return "" if x is None else vn.number(x)


def _safe(markdown: str) -> str:
    """The report as Markdown text: no control characters, and no raw HTML that a unit's text could
    carry into a viewer (our own Markdown writes none, so every <, > and & is the user's)."""
    return printable(markdown).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def unit_md(book: ReportBook, u: UnitReport, appraisal: bool = False) -> str:
    s = u.score
    lines = [
        f"# Kết quả chấm điểm CCHC năm {book.year}: {s.unit_name}",
        "",
        f"- Mã đơn vị: {s.unit_id} — loại: {u.unit_type_label}",
        f"- Bộ tiêu chí: {book.catalog_id} (phiên bản {book.catalog_version}), lập ngày {vn.date(book.generated)}",
    ]
    lines += [f"- {label}: {value}" for label, value in u.facts]
    lines += [
        f"- SHA-256 tài liệu kiểm chứng: `{u.evidence_sha256}`",
        f"- SHA-256 bộ tiêu chí: `{book.catalog_sha256}`",
        "",
        "## Bảng điểm",
        "",
    ]
    if book.decision_note:
        lines += [f"*{book.decision_note}*", ""]
    head = ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"] + (["Điểm thẩm định"] if appraisal else []) + ["Ghi chú"]
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in u.printed_rows:
        title = f"**{_cell(r.title)}**" if r.is_group else f"{_cell(r.title)} ({r.status_label})"
        note = _cell(book.printed_explanation(r)) + (
            f" — Tài liệu kiểm chứng: {_cell(r.evidence)}" if r.evidence else ""
        )
        for what, file in r.files:
            target = link_target(file)
            note += (
                f" — [{_cell(what)}]({target.replace(' ', '%20')})" if target else f" — {_cell(what)}: {_cell(file)}"
            )
        other = [_n(r.appraised) + (f" — {_cell(r.appraisal_reason)}" if r.appraisal_reason else "")]
        cells = [r.stt, title, _n(r.max_points), _n(r.points)] + (other if appraisal else []) + [note]
        lines.append("| " + " | ".join(cells) + " |")
    if u.other_types_note:
        lines += ["", u.other_types_note]
    lines += ["", f"## Việc cần làm (tính đến ngày {vn.date(book.generated)})", ""]
    if not u.todo:
        lines.append("Đơn vị đạt điểm tối đa ở mọi tiêu chí áp dụng.")
    for title, fixes in u.todo.sections():
        lines += [f"### {title}", ""]
        for f in fixes:
            due = f" (hạn {f.deadline})" if f.deadline else ""
            lines.append(f"1. **{f.code}** {f.title}: {_n(f.points)} điểm — {f.status_label}. {f.action}{due}")
        lines.append("")
    if u.attachments:
        lines += ["", f"## {u.ATTACHMENTS_TITLE}", "", "| " + " | ".join(u.ATTACHMENTS_HEADER) + " |", "|---|---|---|"]
        lines += [f"| {_cell(a.what)} | {_cell(a.file)} | {_cell(a.status)} |" for a in u.attachments]
    if u.warnings:
        lines += ["", "## Cảnh báo về số liệu", ""] + [f"- {w}" for w in u.warnings]
    return _safe("\n".join(lines) + "\n")


def summary_md(book: ReportBook) -> str:
    lines = [
        f"# Tổng hợp chấm điểm CCHC năm {book.year}",
        "",
        f"{book.catalog_title} — bộ tiêu chí {book.catalog_id}, lập ngày {vn.date(book.generated)}",
        "",
        "| Xếp loại | Số đơn vị |",
        "|---|---|",
    ]
    lines += [f"| {name} | {n} |" for name, n in book.band_counts]
    if book.appraised:
        lines += ["", book.heading_note]
    own = ["Tự chấm", "Chỉ số tự chấm"] if book.appraised else []
    header = ["Hạng", "Chung", "Đơn vị", "Loại", *own, "Điểm", "Tối đa", "Chỉ số", "Xếp loại", "TLKC"]
    for label, units in book.by_group:
        lines += ["", f"## {label}", ""]
        lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for u in units:
            f = u.final
            mark = "*" if f.provisional else ""
            name = _cell(u.listed_name)
            selves = [_n(u.score.points), vn.index(u.score.index)] if book.appraised else []
            cells = [f"{f.rank or '—'}{mark}", f"{f.overall_rank or '—'}{mark}", name, u.unit_type_label, *selves]
            cells += [_n(f.points), _n(f.max_points), vn.index(f.index), band_text(f.band, f.provisional)]
            lines.append("| " + " | ".join([*cells, coverage_text(u.score.coverage)]) + " |")
    lines.append("")
    if book.provisional:
        lines.append(PROVISIONAL_NOTE)
    if book.incomplete:
        lines.append(COVERAGE_NOTE)
    warned = [f"- {u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    if warned:
        lines += ["", "## Cảnh báo về số liệu", "", *warned]
    if book.errors:
        lines += ["", "## Đơn vị/tệp chưa chấm được", "", *(f"- {e}" for e in book.errors)]
    return _safe("\n".join(lines) + "\n")
