"""The hostile-file corpus of issue 31: each case builds its input in a folder and says which `cchc`
command it is given to, what must come of it and what the message must say. The tests run them
through the CLI (tests/hostile/test_files.py); `python bench/hostile.py` runs each in a process of
its own and prints its time and peak memory."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import EXAMPLES

GOOD_UNIT = EXAMPLES / "trung-tam-y-te.yaml"


@dataclass
class Case:
    name: str
    build: Callable[[Path], list[str]]  # writes its inputs under the folder; the command's arguments
    expect: str  # a phrase of the message (exit 2), or "" for a run that must succeed (exit 0)
    exit_code: int = 2


def unit_yaml(unit_id: str = "bv-thu", evidence: str = "staff_total: 5") -> str:
    return f"unit: {{id: {unit_id}, name: Bệnh viện thử, type: benh_vien, year: 2026}}\nevidence: {{{evidence}}}\n"


def template(folder: Path) -> Path:
    """A filled unit workbook, as `cchc template --from` writes it."""
    from click.testing import CliRunner

    from cli import main

    book = folder / "don-vi.xlsx"
    result = CliRunner().invoke(main, ["template", "-o", str(book), "--from", str(GOOD_UNIT), "--unit", "ttyt-an-phu"])
    assert result.exit_code == 0, result.output
    return book


def rezip(book: Path, out: Path, change: Callable[[str, bytes], bytes | None], add: dict | None = None) -> Path:
    """A copy of a zip package with parts changed (None: left out) and parts added."""
    with zipfile.ZipFile(book) as z, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as o:
        for info in z.infolist():
            data = change(info.filename, z.read(info.filename))
            if data is not None:
                o.writestr(info.filename, data)
        for name, data in (add or {}).items():
            o.writestr(name, data)
    return out


SHARED_STRINGS_REL = (
    b'<Relationship Id="rIdSS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
SHARED_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.sharedStrings+xml"/></Types>'
)


def with_shared_strings(folder: Path, name: str, table: bytes) -> Path:
    def change(part: str, data: bytes) -> bytes:
        if part == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", SHARED_STRINGS_REL)
        if part == "[Content_Types].xml":
            return data.replace(b"</Types>", SHARED_STRINGS_TYPE)
        return data

    return rezip(template(folder), folder / name, change, {"xl/sharedStrings.xml": table})


def string_table_bomb(folder: Path) -> list[str]:
    """About 500 KB on disk, a 190 MB string table once unzipped."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )
    table = head + b"<si><t>aaaaaaaaaa</t></si>" * (190 * 1024 * 1024 // 24) + b"</sst>"
    return [str(with_shared_strings(folder, "bom.xlsx", table))]


def billion_laughs_xlsx(folder: Path) -> list[str]:
    entities = '<!ENTITY a "ha">' + "".join(
        f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi")
    )
    table = (
        f'<?xml version="1.0"?><!DOCTYPE sst [{entities}]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&i;</t></si></sst>'
    ).encode()
    return [str(with_shared_strings(folder, "cuoi.xlsx", table))]


def with_doctype(xml: bytes, doctype: bytes) -> bytes:
    if xml.startswith(b"<?xml"):
        return xml.replace(b"?>", b"?>" + doctype, 1)
    return b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + xml


def doctype_in_sheet(folder: Path) -> list[str]:
    """An external entity (XXE) declared in the evidence sheet, read lazily as rows are read."""

    def change(part: str, data: bytes) -> bytes:
        if part.startswith("xl/worksheets/"):
            return with_doctype(data, b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>')
        return data

    return [str(rezip(template(folder), folder / "xxe.xlsx", change))]


def doctype_in_workbook(folder: Path) -> list[str]:
    def change(part: str, data: bytes) -> bytes:
        return with_doctype(data, b'<!DOCTYPE w [<!ENTITY x "y">]>') if part == "xl/workbook.xml" else data

    return [str(rezip(template(folder), folder / "dtd.xlsx", change))]


def external_link(folder: Path, valid: bool = True) -> list[str]:
    """A workbook that links another workbook: the link is never followed; the unit is read.
    `valid=False`: the link's XML does not parse (a namespace prefix undeclared)."""
    link = (
        b'<?xml version="1.0"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<externalBook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        b"</externalLink>"
    )
    rels = (
        b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'externalLinkPath" Target="file:///\\\\host\\share\\x.xlsx" TargetMode="External"/></Relationships>'
    )

    def change(part: str, data: bytes) -> bytes:
        if part == "xl/_rels/workbook.xml.rels":
            return data.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                b'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
            )
        if part == "xl/workbook.xml":
            prefix = b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ' if valid else b""
            return data.replace(
                b"</workbook>",
                b"<externalReferences><externalReference " + prefix + b'r:id="rIdX"/></externalReferences></workbook>',
            )
        return data

    extra = {"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": rels}
    return [str(rezip(template(folder), folder / "lien-ket.xlsx", change, extra))]


def pdf_as_xlsx(folder: Path) -> list[str]:
    path = folder / "bao-cao.xlsx"
    path.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    return [str(path)]


def huge_json_integer(folder: Path) -> list[str]:
    path = folder / "so-lon.json"
    text = json.dumps({"unit": {"id": "bv-thu", "name": "Bệnh viện", "type": "benh_vien", "year": 2026}})
    path.write_text(text[:-1] + ', "evidence": {"staff_total": ' + "9" * 5000 + "}}", encoding="utf-8")
    return [str(path)]


def reserved_unit_id(folder: Path) -> list[str]:
    (folder / "a.yaml").write_text(unit_yaml("TONG-HOP"), encoding="utf-8")
    return [str(folder / "a.yaml")]


def csv_folder_without_units(folder: Path) -> list[str]:
    (folder / "units.csv").write_text("id,name,type,parent,year\n", encoding="utf-8")
    (folder / "evidence.csv").write_text("unit_id,field,value\n", encoding="utf-8")
    return [str(folder)]


def big_docx_body(folder: Path) -> list[str]:
    """A report whose body unzips to 12 MB: refused before python-docx reads it."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("Đơn vị đã tiếp nhận 120 hồ sơ.")
    buffer = io.BytesIO()
    doc.save(buffer)
    padding = b"<!--" + b" " * (12 * 1024 * 1024) + b"-->"

    def change(part: str, data: bytes) -> bytes:
        return data.replace(b"<w:body>", b"<w:body>" + padding, 1) if part == "word/document.xml" else data

    source = folder / "nguon.docx"
    source.write_bytes(buffer.getvalue())
    return [
        str(rezip(source, folder / "bao-cao.docx", change)),
        "--unit-type",
        "benh_vien",
        "-o",
        str(folder / "d.yaml"),
    ]


def encrypted_pdf(folder: Path) -> list[str]:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="", owner_password="chu", algorithm="RC4-128")
    path = folder / "bao-cao.pdf"
    with path.open("wb") as f:
        writer.write(f)
    return [str(path), "--unit-type", "benh_vien", "-o", str(folder / "d.yaml")]


def long_line_report(folder: Path) -> list[str]:
    """20 KB on one line, no full stop, a field's phrase every few words: the reader stays linear."""
    path = folder / "bao-cao.txt"
    path.write_text(("số hồ sơ tiếp nhận 12 năm 2025 " * 700)[:20_000], encoding="utf-8")
    return [str(path), "--unit-type", "benh_vien", "-o", str(folder / "d.yaml")]


CASES = [
    Case("xlsx-string-table-bomb", lambda f: ["score", *string_table_bomb(f)], "giải nén ra 206 MB"),
    Case("xlsx-billion-laughs", lambda f: ["score", *billion_laughs_xlsx(f)], "có khai báo DTD"),
    Case("xlsx-xxe-in-sheet", lambda f: ["score", *doctype_in_sheet(f)], "có khai báo DTD"),
    Case("xlsx-dtd-in-workbook", lambda f: ["score", *doctype_in_workbook(f)], "có khai báo DTD"),
    Case("xlsx-external-link", lambda f: ["score", *external_link(f)], "", exit_code=0),
    Case("xlsx-xml-does-not-parse", lambda f: ["score", *external_link(f, valid=False)], "XMLSyntaxError"),
    Case("pdf-named-xlsx", lambda f: ["score", *pdf_as_xlsx(f)], "không phải tệp Excel .xlsx hợp lệ"),
    Case("json-integer-5000-digits", lambda f: ["score", *huge_json_integer(f)], "số quá dài"),
    Case("unit-id-tong-hop", lambda f: ["score", *reserved_unit_id(f)], "trùng tên tệp dành riêng"),
    Case("csv-folder-no-unit", lambda f: ["score", *csv_folder_without_units(f)], "không có đơn vị nào"),
    Case("docx-body-12-mb", lambda f: ["extract", *big_docx_body(f)], "phần «word/document.xml»"),
    Case("pdf-encrypted", lambda f: ["extract", *encrypted_pdf(f)], "PDF được mã hóa"),
    Case("txt-20-kb-one-line", lambda f: ["extract", *long_line_report(f)], "", exit_code=0),
]
