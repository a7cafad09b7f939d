"""WordprocessingML written as text: the paragraphs and table rows of the Word reports.

python-docx builds a document one element and one property at a time, each looking up where the
schema puts it among its siblings: 90 ms for a unit's report, most of it in paragraphs and table
rows. The same XML written as text and parsed once per block costs a few ms. python-docx still
opens the template, adds the sections and tables, and saves the package.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm
from docx.table import _Cell

from scoring.outputs.writing import printable

Runs = str | list[tuple[str, str]]  # a paragraph's text, or its runs as (text, look): look has "b" bold, "i" italic


def text(value: str) -> str:
    """A run's text as python-docx writes it: a line break for each newline."""
    lines = printable(value).split("\n")
    return "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)


def run(value: str, look: str = "", size: float | None = None) -> str:
    props = ("<w:b/>" if "b" in look else "") + ("<w:i/>" if "i" in look else "")
    props += f'<w:sz w:val="{round(size * 2)}"/>' if size else ""
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{text(value)}</w:r>"


def paragraph(
    runs: Runs,
    size: float | None = None,
    align: str | None = None,
    before: float | None = None,
    after: float | None = None,
    first_line: float | None = None,
    indent: float | None = None,
) -> str:
    """A paragraph: `size`, `before`, `after` in points; `first_line`, `indent` (both sides) in cm;
    `align` "center", "left" or "both". Empty runs are left out."""
    pieces = [(runs, "")] if isinstance(runs, str) else runs
    sides = (("before", before), ("after", after))
    spacing = "".join(f' w:{side}="{round(pt * 20)}"' for side, pt in sides if pt is not None)
    props = f"<w:spacing{spacing}/>" if spacing else ""
    ind = f' w:left="{Cm(indent).twips}" w:right="{Cm(indent).twips}"' if indent is not None else ""
    ind += f' w:firstLine="{Cm(first_line).twips}"' if first_line is not None else ""
    props += f"<w:ind{ind}/>" if ind else ""
    props += f'<w:jc w:val="{align}"/>' if align else ""
    body = "".join(run(piece, look, size) for piece, look in pieces if piece)
    return f"<w:p>{f'<w:pPr>{props}</w:pPr>' if props else ''}{body}</w:p>"


def rule(length_cm: float, width_cm: float) -> str:
    """A solid rule `length_cm` long, centred in `width_cm`: a tiny paragraph with a top border."""
    indent = Cm(max((width_cm - length_cm) / 2, 0)).twips
    border = '<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    props = f'{border}<w:spacing w:before="40" w:after="0"/><w:ind w:left="{indent}" w:right="{indent}"/>'
    return f'<w:p><w:pPr>{props}</w:pPr><w:r><w:rPr><w:sz w:val="4"/></w:rPr></w:r></w:p>'  # a 2 pt run


def row(values: list[str], bold: bool, twips: list[int], size: float, header: bool = False) -> str:
    """A table row as python-docx writes `cell.text`, in `size` pt; `header`: repeated on every page."""
    weight = "<w:b/>" if bold else '<w:b w:val="0"/>'
    look = f'<w:rPr>{weight}<w:sz w:val="{round(size * 2)}"/></w:rPr>'
    cells = "".join(
        f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>'
        f'<w:p><w:pPr><w:spacing w:after="0"/></w:pPr><w:r>{look}{text(value)}</w:r></w:p></w:tc>'
        for value, width in zip(values, twips)
    )
    repeat = '<w:trPr><w:tblHeader w:val="true"/></w:trPr>' if header else ""
    return f"<w:tr>{repeat}{cells}</w:tr>"


def parse(xml: str) -> list:
    """Elements written as text, parsed into python-docx's element classes."""
    return list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>"))


def append(container: Document | _Cell, xml: str) -> None:
    """Add paragraphs at the end of a document's body (before its last section's properties, as
    python-docx does) or of a table cell (replacing the empty paragraph a new cell holds)."""
    if isinstance(container, _Cell):
        tc = container._tc
        paragraphs = tc.findall(qn("w:p"))
        if len(paragraphs) == 1 and paragraphs[0].find(qn("w:r")) is None:
            tc.remove(paragraphs[0])
        tc.extend(parse(xml))
        return
    end = container.element.body.sectPr
    for element in parse(xml):
        end.addprevious(element)
