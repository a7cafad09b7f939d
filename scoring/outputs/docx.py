"""Word reports laid out as Nghị định 30/2020/NĐ-CP (Phụ lục I) asks of an administrative document.

A4; margins top and bottom 2 cm, left 3 cm, right 2 cm; Times New Roman; the issuer (cơ quan chủ
quản, cơ quan ban hành with its rule line, số và ký hiệu) beside Quốc hiệu and tiêu ngữ with its
rule line; địa danh and date; tên loại and trích yếu; page numbers from page 2, centred at the top;
the wide score table in a landscape section; nơi nhận and the signer at the end. Who issues and signs
comes from the organisation settings (scoring/outputs/org.py); what they do not say is left blank to fill.
"""

from __future__ import annotations

import io
from functools import cache

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from rules import vn
from scoring.core.results import COVERAGE_NOTE, PROVISIONAL_NOTE, band_text, coverage_text
from scoring.outputs import wordml
from scoring.outputs.book import ReportBook, UnitReport, link_target
from scoring.outputs.org import Issuer

A4 = (Cm(21), Cm(29.7))
MARGINS = {"top": Cm(2), "bottom": Cm(2), "left": Cm(3), "right": Cm(2)}
TEXT_WIDTH = 16.0  # cm between the margins, portrait
WIDE_TEXT_WIDTH = 24.7  # landscape


def _n(x: float | None) -> str:
    return "" if x is None else vn.number(x)


def _doc(book: ReportBook, subject: str, fingerprint: str) -> Document:
    doc = new_document(io.BytesIO(_template()))
    # the fingerprint stays out of the body, in the document's properties
    props = doc.core_properties
    props.title, props.subject, props.author = subject, book.catalog_title, "cchc-score"
    props.comments = fingerprint
    return doc


KEPT_STYLES = {"Normal", "TableGrid", "Header", "Footer"}  # and the defaults, and what numbering.xml names


@cache
def _template() -> bytes:
    """Every report's starting document: python-docx's default template with our page and fonts, less
    the 150 styles (870 KB, a copy of them "with effects" for Word 2010) the reports never use,
    which cost 30 ms to open and save again in every report; Word and LibreOffice supply their own."""
    doc = new_document()
    styles = doc.styles.element
    numbering = doc.part.numbering_part.element
    by_id = {style.get(qn("w:styleId")): style for style in styles.findall(qn("w:style"))}
    wanted = [*KEPT_STYLES, *(el.get(qn("w:val")) for el in numbering.iter(qn("w:pStyle")))]
    wanted += [i for i, style in by_id.items() if style.get(qn("w:default")) == "1"]
    kept: set[str] = set()
    while wanted:  # with the styles they are based on, linked to, or followed by
        style_id = wanted.pop()
        if style_id in by_id and style_id not in kept:
            kept.add(style_id)
            wanted += [
                el.get(qn("w:val"))
                for tag in ("w:basedOn", "w:link", "w:next")
                for el in by_id[style_id].findall(qn(tag))
            ]
    for style_id, style in by_id.items():
        if style_id not in kept:
            styles.remove(style)
    for rel in list(doc.part.rels.values()):
        if rel.reltype.endswith("/stylesWithEffects"):
            doc.part.drop_rel(rel.rId)
    style = doc.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    style.paragraph_format.space_after, style.paragraph_format.line_spacing = Pt(6), 1.0
    section = doc.sections[0]
    section.page_width, section.page_height = A4
    for side, size in MARGINS.items():
        setattr(section, f"{side}_margin", size)
    _page_numbers(section)
    return _bytes(doc)


def _page_numbers(section) -> None:
    """Page number centred in the top margin, not on the first page (Nghị định 30, Phụ lục I)."""
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)
    run.font.size = Pt(13)


def _line(text: str, size: float, look: str = "", before: float | None = None, align: str = "center") -> str:
    """A one-line paragraph, centred unless told, with no space after."""
    return wordml.paragraph([(text, look)], size=size, align=align, before=before, after=0)


def _columns(doc: Document, widths: list[float]) -> list:
    """A one-row borderless table of columns `widths` cm wide (Word reads the cells, LibreOffice the grid)."""
    table = doc.add_table(rows=1, cols=len(widths))
    table.autofit = False
    for column, cell, width in zip(table.columns, table.rows[0].cells, widths):
        column.width = cell.width = Cm(width)
    return list(table.rows[0].cells)


def _text_cm(text: str, size: float) -> float:
    """About how wide `text` prints in Times New Roman of `size` pt (bold capitals are wider)."""
    return len(text) * size * (0.022 if text.isupper() else 0.018)


def _date_line(issuer: Issuer) -> str:
    """'Kon Tum, ngày 05 tháng 02 năm 2027' (a zero before days < 10 and months < 3), or blanks."""
    place = issuer.place or "……"
    if issuer.date is None:
        return f"{place}, ngày …… tháng …… năm ……"
    d = issuer.date
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def _heading_block(doc: Document, issuer: Issuer, kind_symbol: str) -> None:
    """Cơ quan chủ quản, cơ quan ban hành, số ký hiệu | Quốc hiệu, tiêu ngữ, địa danh và ngày."""
    left_w, right_w = 6.2, TEXT_WIDTH - 6.2
    left, right = _columns(doc, [left_w, right_w])
    symbol = f"{kind_symbol}-{issuer.symbol}" if issuer.symbol else f"{kind_symbol}-……"
    name = issuer.name.upper()
    wordml.append(
        left,
        (_line(issuer.parent.upper(), 13) if issuer.parent else "")
        + _line(name, 13, "b")
        + wordml.rule(max(_text_cm(name, 13) / 2.5, 1.5), left_w)
        + _line(f"Số: {issuer.number or '      '}/{symbol}", 13),
    )
    motto = "Độc lập - Tự do - Hạnh phúc"
    wordml.append(
        right,
        _line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "b")
        + _line(motto, 13, "b")
        + wordml.rule(_text_cm(motto, 13) * 1.05, right_w)
        + _line(_date_line(issuer), 14, "i", before=6),
    )


def _title(doc: Document, kind: str, subject: str) -> None:
    """Tên loại and trích yếu, bold and centred, a rule under them."""
    xml = _line(kind, 14, "b", before=18) + _line(subject, 14, "b") + wordml.rule(4.5, TEXT_WIDTH)
    wordml.append(doc, xml + wordml.paragraph("", after=0))


def _body(doc: Document, *paragraphs: wordml.Runs) -> None:
    """Body paragraphs: justified, the first line indented 1 cm."""
    wordml.append(doc, "".join(wordml.paragraph(runs, align="both", first_line=1) for runs in paragraphs))


def _landscape(doc: Document) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4[1], A4[0]
    section.different_first_page_header_footer = False  # numbered from its first page, header linked


def _close_and_annex(doc: Document, issuer: Issuer, warnings_title: str, warnings: list[str], annex: str) -> None:
    """The letter's last part (warnings, nơi nhận, signer), then the landscape annex's heading."""
    if warnings:
        _body(doc, [(warnings_title, "b")], *(f"- {w}" for w in warnings))
    _signature(doc, issuer)
    _landscape(doc)
    number = f"(Kèm theo Báo cáo số {issuer.number or '……'}/BC-{issuer.symbol or '……'})"
    wordml.append(doc, _line("PHỤ LỤC", 14, "b") + _line(annex, 14, "b") + _line(number, 13, "i"))


def _signature(doc: Document, issuer: Issuer) -> None:
    """Nơi nhận (left) and the signer's authority, title and name (right)."""
    left, right = _columns(doc, [7.5, TEXT_WIDTH - 7.5])
    recipients = issuer.recipients
    ends = [";"] * (len(recipients) - 1) + ["."]
    wordml.append(
        left,
        wordml.paragraph([("Nơi nhận:", "bi")], size=12)
        + "".join(wordml.paragraph(f"- {r.rstrip(';.')}{end}", size=11, after=0) for r, end in zip(recipients, ends)),
    )
    s = issuer.signer
    lines = [_line(text.upper(), 14, "b") for text in (s.authority, s.title) if text]
    lines.append(_line("(Ký, ghi rõ họ tên, đóng dấu)" if not s.name else "", 13, "i"))
    lines += [_line("", 14)] * 3 + ([_line(s.name, 14, "b")] if s.name else [])
    wordml.append(right, "".join(lines))


def unit_docx(book: ReportBook, u: UnitReport, appraisal: bool = False) -> bytes:
    issuer = book.org.unit_issuer(u.score.unit_id, u.score.unit_name)
    subject = f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {book.year}"
    fingerprint = f"SHA-256 tài liệu kiểm chứng: {u.evidence_sha256}; bộ tiêu chí: {book.catalog_sha256}"
    doc = _doc(book, subject, fingerprint)
    _heading_block(doc, issuer, "BC")
    _title(doc, "BÁO CÁO", subject)
    _body(
        doc,
        f"Căn cứ {book.catalog_title} (bộ tiêu chí {book.catalog_id}, phiên bản {book.catalog_version}), "
        f"{u.score.unit_name} báo cáo kết quả tự đánh giá, chấm điểm như sau:",
    )
    _body(
        doc,
        [("I. KẾT QUẢ CHUNG", "b")],
        *([(f"- {label}: ", "b"), (value, "")] for label, value in u.facts),
        "Kết quả chấm từng tiêu chí tại Phụ lục kèm theo.",
        [(f"II. VIỆC CẦN LÀM (tính đến ngày {vn.date(book.generated)})", "b")],
    )
    if not u.todo:
        _body(doc, "Đơn vị đạt điểm tối đa ở mọi tiêu chí áp dụng.")
    for title, fixes in u.todo.sections():
        due = [f" (hạn {f.deadline})" if f.deadline else "" for f in fixes]
        lines = [
            f"- {f.code} {f.title}: {_n(f.points)} điểm — {f.status_label}. {f.action}{d}." for f, d in zip(fixes, due)
        ]
        _body(doc, [(title, "i")], *lines)
    _close_and_annex(
        doc,
        issuer,
        "III. CẢNH BÁO VỀ SỐ LIỆU",
        u.warnings,
        f"Kết quả chấm điểm từng tiêu chí năm {book.year} — {u.score.unit_name}",
    )
    if book.decision:
        # said once here rather than in every row: the annex prints on a few pages, not on twenty
        wordml.append(doc, _line(book.decision_note, 12, "i"))
    wordml.append(doc, wordml.paragraph(""))
    header = (
        ["STT", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm"]
        + (["Điểm thẩm định, lý do"] if appraisal else [])
        + ["Giải thích, căn cứ", "Tài liệu kiểm chứng"]
    )
    printed = u.printed_rows
    rows = []
    for r in printed:
        title = r.title if r.is_group else f"{r.title} ({r.status_label})"
        other = [_n(r.appraised) + (f"\n{r.appraisal_reason}" if r.appraisal_reason else "")]
        cells = [r.stt, title, _n(r.max_points), _n(r.points)] + (other if appraisal else [])
        files = "".join(f"\n{what}: {file}" for what, file in r.files)
        rows.append((cells + [book.printed_explanation(r), r.evidence + files], r.is_group))
    widths = [1.2, 4.6, 1.3, 1.3] + ([3.6, 8.4] if appraisal else [12.0]) + [4.3]
    table = _grid(doc, header, rows, widths, size=10)
    for tr, r in zip(table.rows[1:], printed):
        for what, file in r.files:  # the file named in the cell becomes a link Word opens
            target = link_target(file)
            if target:
                _hyperlink(tr.cells[-1], f"{what}: {file}", target)
    if u.other_types_note:
        wordml.append(doc, wordml.paragraph(u.other_types_note, size=11))
    if u.attachments:
        wordml.append(doc, _line(u.ATTACHMENTS_TITLE, 12, "b"))
        found = [([a.what, a.file, a.status], False) for a in u.attachments]
        _grid(doc, u.ATTACHMENTS_HEADER, found, [7.0, 6.0, 11.5], size=9)
    return _bytes(doc)


def _hyperlink(cell, text: str, target: str) -> None:
    """Turn the run reading `text` in `cell` into a hyperlink to `target` (python-docx has no API)."""
    for p in cell.paragraphs:
        for run in p.runs:
            if text not in run.text:
                continue
            before, after = run.text.split(text, 1)
            run.text = before
            rel = p.part.relate_to(target, RT.HYPERLINK, is_external=True)
            link = OxmlElement("w:hyperlink")
            link.set(qn("r:id"), rel)
            new = OxmlElement("w:r")
            props = OxmlElement("w:rPr")
            for tag, value in (("w:color", "0563C1"), ("w:u", "single"), ("w:sz", "20")):
                el = OxmlElement(tag)
                el.set(qn("w:val"), value)
                props.append(el)
            new.append(props)
            t = OxmlElement("w:t")
            t.set(qn("xml:space"), "preserve")
            t.text = text
            new.append(t)
            link.append(new)
            run._r.addnext(link)
            if after:
                tail = p.add_run(after)
                link.addnext(tail._r)
            return


def _grid(doc: Document, header: list[str], rows: list[tuple[list[str], bool]], widths: list[float], size: float = 11):
    """A bordered table in `size` pt, columns `widths` cm wide, its header row repeated on every page:
    header and bold rows (groups, totals) in bold.

    The rows are written as text (scoring/outputs/wordml.py): python-docx's object model, one property at a
    time, cost a third of a second per unit report."""
    table = doc.add_table(rows=0, cols=len(header))
    table._tbl.tblPr.style = "TableGrid"  # by id: python-docx's lookup by name costs 7 ms a table
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):  # LibreOffice reads the column's width
        column.width = Cm(width)
    twips = [Cm(w).twips for w in widths]  # Word reads each cell's
    xml = wordml.row(header, True, twips, size, header=True)
    xml += "".join(wordml.row(values, bold, twips, size) for values, bold in rows)
    table._tbl.extend(wordml.parse(xml))
    return table


def summary_docx(book: ReportBook) -> bytes:
    issuer = book.org.summary_issuer()
    subject = f"Tổng hợp kết quả chấm điểm Chỉ số cải cách hành chính năm {book.year}"
    doc = _doc(book, subject, f"SHA-256 bộ tiêu chí: {book.catalog_sha256}")
    _heading_block(doc, issuer, "BC")
    _title(doc, "BÁO CÁO", subject)
    _body(
        doc,
        f"Căn cứ {book.catalog_title} (bộ tiêu chí {book.catalog_id}, phiên bản {book.catalog_version}), "
        f"{issuer.short or issuer.name} tổng hợp kết quả chấm điểm của {len(book.units)} đơn vị: "
        + "; ".join(f"{name}: {n} đơn vị" for name, n in book.band_counts)
        + ". Bảng xếp hạng theo khối tại Phụ lục kèm theo.",
    )
    if book.appraised:
        _body(doc, book.heading_note)
    tops = [(label, units[0].final) for label, units in book.by_group if units]
    leaders = [
        f"- {label}: dẫn đầu {t.unit_name}, chỉ số {vn.index(t.index)} ({t.band})."
        for label, t in tops
        if t.index is not None
    ]
    _body(doc, *leaders)
    warned = [f"{u.score.unit_id}: {w}" for u in book.units for w in u.warnings]
    _close_and_annex(
        doc, issuer, "Cảnh báo về số liệu:", warned, f"Bảng xếp hạng Chỉ số cải cách hành chính năm {book.year}"
    )
    own = ["Tự chấm", "Chỉ số tự chấm"] if book.appraised else []
    header = ["Hạng", "Chung", "Đơn vị", "Loại", *own, "Điểm", "Tối đa", "Chỉ số", "Xếp loại", "TLKC"]
    widths = [1.4, 1.7, 6.0, 4.0, *([1.6, 1.7] if book.appraised else []), 1.6, 1.5, 1.6, 2.6, 2.0]
    widths[2] += WIDE_TEXT_WIDTH - sum(widths)
    for label, units in book.by_group:
        wordml.append(doc, _line(label, 13, "b", before=8, align="left"))
        rows = []
        for u in units:
            f = u.final
            mark = "*" if f.provisional else ""
            name = u.listed_name
            selves = [_n(u.score.points), vn.index(u.score.index)] if book.appraised else []
            values = [f"{f.rank or '—'}{mark}", f"{f.overall_rank or '—'}{mark}", name, u.unit_type_label, *selves]
            values += [_n(f.points), _n(f.max_points), vn.index(f.index), band_text(f.band, f.provisional)]
            rows.append((values + [coverage_text(u.score.coverage)], False))
        _grid(doc, header, rows, widths)
    for note, shown in ((PROVISIONAL_NOTE, book.provisional), (COVERAGE_NOTE, book.incomplete)):
        if shown:
            wordml.append(doc, wordml.paragraph(note, size=11))
    return _bytes(doc)


def _bytes(doc: Document) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
