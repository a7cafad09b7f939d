"""The evidence form, generated from the catalog's field declarations, and the checks on uploads.
Values are kept as typed (Vietnamese numbers and dates, as in files): the library parses them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from rules import vn
from rules.catalog import Catalog, FieldSpec
from rules.errors import Problem


@dataclass
class FormField:
    name: str
    spec: FieldSpec
    criteria: list[str]  # "1.1.1 title (tối đa 1 điểm)" of the criteria it serves
    value: Any
    errors: list[str]

    @property
    def document(self) -> dict:
        return self.value if isinstance(self.value, dict) else {}


def form_fields(catalog: Catalog, unit_type: str, evidence: dict, problems: list[Problem]) -> list[FormField]:
    """The fields the unit's criteria read, in the catalog's order, with any problem found on each."""
    users: dict[str, list[str]] = {}
    for leaf in catalog.leaves:
        if leaf.applies(unit_type):
            for f in leaf.fields():
                users.setdefault(f, []).append(f"{leaf.code} {leaf.title} (tối đa {vn.number(leaf.max_points)} điểm)")
    errors: dict[str, list[str]] = {}
    for p in problems:
        parts = (p.field or "").split(".")
        if len(parts) >= 2 and parts[0] == "evidence":
            errors.setdefault(parts[1], []).append(p.message)
    return [
        FormField(name, catalog.fields[name], criteria, evidence.get(name), errors.get(name, []))
        for name, criteria in users.items()
        if name in catalog.fields
    ]


def form_text(value: Any) -> Any:
    """A value as the form shows and sends it back (1256 -> "1.256", 88.6 -> "88,6"), so that
    imported evidence saved unchanged from the form is unchanged, and not logged as a change."""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (int, float)):
        return vn.number(value, decimals=9)
    return value


def read_form(catalog: Catalog, names: list[str], post: Any) -> dict[str, Any]:
    """The evidence entered in the form: blanks left out, text as typed."""
    out: dict[str, Any] = {}
    for name in names:
        spec = catalog.fields[name]
        if spec.type == "document":
            doc = {k: post.get(f"{name}.{k}", "").strip() for k in ("number", "date", "file")}
            doc = {k: v for k, v in doc.items() if v}
            if doc:
                out[name] = doc
        else:
            value = post.get(name, "").strip()
            if value:
                out[name] = value
    return out


# What an upload may be, told by its first bytes (never by its name or the browser's word).
SIGNATURES = {b"%PDF-": "pdf", b"\xff\xd8\xff": "jpg", b"\x89PNG\r\n\x1a\n": "png"}
OFFICE = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


def upload_kind(data: bytes) -> str | None:
    """pdf, docx, xlsx, jpg or png from the content; None for anything else."""
    for magic, kind in SIGNATURES.items():
        if data.startswith(magic):
            return kind
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            return None
        if any(name.endswith("vbaProject.bin") for name in names):
            return None  # a macro-enabled document (.xlsm, .docm) renamed: never stored
        for marker, kind in OFFICE.items():
            if marker in names:
                return kind
    return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def problem_text(catalog: Catalog, problem: Problem) -> str:
    """A problem with the unit's evidence said with the field's Vietnamese name, never its key
    ("evidence.staff_informed")."""
    section, _, rest = (problem.field or "").partition(".")
    key = rest.split(".")[0]
    if section == "evidence" and key in catalog.fields:
        place = catalog.fields[key].label
    elif section == "manual":
        place = f"Chấm thủ công, tiêu chí {key}"
    elif section == "not_applicable":
        place = f"Không áp dụng, tiêu chí {key}"
    elif section == "unit":
        place = "Thông tin đơn vị"
    else:
        return problem.message
    return problem.message if problem.message.startswith(place) else f"{place}: {problem.message}"
