"""The evidence form, generated from the catalog's field declarations, and the checks on uploads.
Values are kept as typed (Vietnamese numbers and dates, as in files): the library parses them."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms

from evidence import parse
from evidence.appraisal import appraisal_problem
from rules import vn
from rules.catalog import Catalog, FieldSpec
from rules.errors import Problem
from web.models import APPRAISAL_ROUNDS


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


# ---- the workspace's small forms: every value read and checked here, by the library's parsers ----


class VietnameseNumber(forms.CharField):
    """A number typed the Vietnamese way ("0,4", "1.256,5") or the other ("0.4"), read by the
    library's parser (evidence/parse.py), never by float()."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return parse.decimal(value)
        except ValueError as e:
            raise forms.ValidationError(str(e)) from None


def form_errors(form: forms.Form) -> str:
    """A refused form's errors as one Vietnamese sentence, each with its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts += [f"{label}: {e}" if label else str(e) for e in errors]
    return "; ".join(parts)


class EvidenceForm(forms.Form):
    """The unit's evidence form: its version (a form opened on an older one is refused); the values
    themselves are read by `read_form` and checked by the library as an evidence file is."""

    version = forms.IntegerField(min_value=0, label="Phiên bản hồ sơ")


class UploadForm(forms.Form):
    field = forms.ChoiceField(label="Tài liệu")
    file = forms.FileField(label="Tệp")

    def __init__(self, *args, fields: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [(f, f) for f in fields]


class WorkbookForm(forms.Form):
    workbook = forms.FileField(label="Biểu mẫu Excel (.xlsx)")


class ExplanationForm(forms.Form):
    code = forms.CharField(max_length=32, label="Tiêu chí")
    text = forms.CharField(label="Nội dung giải trình")
    evidence = forms.CharField(required=False, label="Tài liệu bổ sung")
    file = forms.FileField(required=False, label="Tệp kèm theo")


class AppraisalForm(forms.Form):
    """One appraisal entry; the library says whether it may stand (evidence/appraisal.py)."""

    round = forms.ChoiceField(choices=APPRAISAL_ROUNDS, label="Vòng thẩm định")
    code = forms.CharField(max_length=32, label="Tiêu chí")
    points = VietnameseNumber(required=False, label="Điểm thẩm định")
    not_applicable = forms.BooleanField(required=False, label="Không áp dụng")
    reason = forms.CharField(required=False, label="Lý do")
    evidence = forms.CharField(required=False, label="Tài liệu kiểm chứng đã xem")

    def __init__(self, *args, catalog: Catalog, unit_type: str, self_scores: Mapping[str, tuple[float, str]], **kwargs):
        """`self_scores`: the unit's self-score of each criterion (points, status), which an entry
        that changes it must give a reason for."""
        super().__init__(*args, **kwargs)
        self.catalog, self.unit_type, self.self_scores = catalog, unit_type, self_scores

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        na = data["not_applicable"]
        if not na and data.get("points") is None:
            self.add_error("points", "cần số điểm, hoặc đánh dấu «Không áp dụng»")
            return data
        points = None if na else data["points"]
        data["points"] = points
        status = "not_applicable" if na else None
        own = self.self_scores.get(data["code"])
        problem = appraisal_problem(self.catalog, self.unit_type, data["code"], points, status, data["reason"], own)
        if problem:
            self.add_error(None, problem[1])
        return data


class PublishForm(forms.Form):
    round = forms.ChoiceField(choices=APPRAISAL_ROUNDS, label="Vòng thẩm định")


class SampleForm(forms.Form):
    seed = forms.IntegerField(label="Seed", error_messages={"invalid": "cần một số nguyên"})
    fraction = VietnameseNumber(required=False, label="Tỷ lệ")

    def clean_fraction(self) -> float:
        return 0.3 if self.cleaned_data["fraction"] is None else self.cleaned_data["fraction"]


class NewYearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, label="Năm mới")
    catalog = forms.CharField(required=False, max_length=200, label="Bộ tiêu chí")
