"""The Sở's own catalogs in the workspace: upload its decision annex (or a YAML), review the draft as
a tree with its problems beside each criterion, edit a criterion, publish a version as the catalog of
a year, see what changed between versions. The reading, checking and diffing are the library's
(rules.annex, rules.editing, rules.diff), the same as `cchc rules import|check|diff`."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rules import editing
from rules.annex.draft import draft_summary, import_annex, tree
from rules.annex.tables import FORMATS
from rules.catalog import IssuingDecision
from rules.diff import diff_catalogs, diff_text
from rules.errors import InputError
from rules.kinds import LEAF_KINDS
from scoring.outputs.writing import atomic_write
from web.audit import audit
from web.models import Assessment, CatalogVersion, Submission
from web.views import _admin_only


def catalogs(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    versions = list(CatalogVersion.objects.all())
    in_use = {a.catalog: a.year for a in Assessment.objects.all()}
    rows = [(v, in_use.get(v.path), frozen(v)) for v in versions]
    return render(request, "web/catalogs.html", {"rows": rows, "formats": ", ".join(FORMATS + (".yaml",))})


def frozen(version: CatalogVersion) -> bool:
    """Published and scored against: a unit has saved evidence in the year that uses it."""
    return bool(version.path) and Submission.objects.filter(assessment__catalog=version.path).exists()


@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """An annex read into a draft (or a YAML catalog taken as it is), stored as a new version."""
    _admin_only(request)
    uploaded = request.FILES.get("file")
    year = request.POST.get("year", "").strip()
    if uploaded is None or uploaded.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, "Chọn tệp phụ lục (Word, Excel, CSV, PDF) hoặc YAML, tối đa 10 MB.")
        return redirect("catalogs")
    name = Path(uploaded.name).name
    suffix = Path(name).suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            text = uploaded.read().decode("utf-8-sig")
            data = editing.read(text, name)
        elif suffix in FORMATS:
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"phu-luc{suffix}"
                path.write_bytes(uploaded.read())
                data = import_annex(path, int(year) if year.isdigit() else None)
            data["annex"]["place"] = name
        else:
            raise InputError(f"không đọc được loại tệp '{suffix}': cần {', '.join(FORMATS)} hoặc .yaml")
    except (InputError, UnicodeDecodeError) as e:
        problems = e.problems if isinstance(e, InputError) else [f"{name}: tệp YAML phải là UTF-8"]
        messages.error(request, "Không đọc được tệp: " + "; ".join(str(p) for p in problems))
        return redirect("catalogs")
    catalog_id = str(data.get("id") or "bo-tieu-chi")
    version = _new_version(request, catalog_id, editing.write(data, name), name, "")
    audit(request, "catalog_upload", str(version), "", {"source": name})
    if suffix in FORMATS:
        messages.success(request, f"Đã đọc {name}: {draft_summary(data)}.")
    return redirect("catalog", pk=version.pk)


def _new_version(request: HttpRequest, catalog_id: str, text: str, source: str, reason: str) -> CatalogVersion:
    with transaction.atomic():
        last = CatalogVersion.objects.select_for_update().filter(catalog_id=catalog_id).first()
        return CatalogVersion.objects.create(
            catalog_id=catalog_id,
            number=(last.number + 1) if last else 1,
            text=text,
            source=source,
            reason=reason,
            created_by=request.user,
        )


def catalog(request: HttpRequest, pk: int) -> HttpResponse:
    """A version as a tree, each criterion with its problems; publish, edit, compare."""
    _admin_only(request)
    version = get_object_or_404(CatalogVersion, pk=pk)
    data = editing.read(version.text, str(version))
    problems, general = editing.by_criterion(editing.check(version.text), data)
    rows = [(n, depth, problems.get(str(n.get("code")), [])) for n, depth, _ in tree(data)]
    earlier = CatalogVersion.objects.filter(catalog_id=version.catalog_id, number__lt=version.number).first()
    context = {
        "version": version,
        "data": data,
        "tree": rows,
        "general": general,
        "count": sum(len(v) for v in problems.values()) + len(general),
        "frozen": frozen(version),
        "diff": _diff(earlier, version) if earlier else "",
        "earlier": earlier,
        "publish_years": _years(data),
        "decision": _decision_text(data.get("decision")),
    }
    return render(request, "web/catalog.html", context)


def _decision_text(decision) -> str:
    """The Sở's decision as every explanation cites it, or what is wrong with it."""
    if not isinstance(decision, dict):
        return ""
    try:
        return str(IssuingDecision.model_validate(decision))
    except ValueError:
        return "quyết định ban hành chưa đúng (number, date dd/mm/yyyy hoặc yyyy-mm-dd, by)"


def _years(data: dict) -> list[int]:
    years = data.get("years") or {}
    first, last = years.get("from"), years.get("until")
    return list(range(int(first), int(last) + 1)) if isinstance(first, int) and isinstance(last, int) else []


def _diff(old: CatalogVersion, new: CatalogVersion) -> str:
    """`cchc rules diff` between two versions, for the last year each covers; said so when either
    cannot score yet."""
    try:
        a, b = editing.loaded(old.text), editing.loaded(new.text)
    except InputError:
        return "Chưa so sánh được: một trong hai phiên bản chưa chấm điểm được (còn vấn đề cần quyết định)."
    return diff_text(a, b, diff_catalogs(a, b))


def edit(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    """One criterion's form: title, maximum, kind and its parameters, unit types, basis, fix."""
    _admin_only(request)
    version = get_object_or_404(CatalogVersion, pk=pk)
    data = editing.read(version.text, str(version))
    try:
        target = editing.node(data, code)
    except InputError:
        raise Http404(code) from None
    if request.method == "POST":
        if version.published:
            messages.error(request, "Phiên bản đã công bố không sửa được: tạo phiên bản mới để sửa.")
            return redirect("catalog", pk=pk)
        try:
            changes = _changes(request.POST, target)
        except ValueError as e:
            messages.error(request, f"Chưa lưu {code}: {e}")
            return render(request, "web/criterion.html", _form_context(version, data, target, request.POST))
        old = {k: target.get(k) for k in changes}
        editing.update(data, code, changes, reviewed=request.POST.get("reviewed") == "on")
        version.text = editing.write(data, version.source)
        version.save(update_fields=["text"])
        audit(request, "catalog_edit", f"{version} {code}", old, changes)
        messages.success(request, f"Đã lưu tiêu chí {code}.")
        return redirect(reverse("catalog", args=[pk]) + f"#c-{code}")
    return render(request, "web/criterion.html", _form_context(version, data, target, None))


def _form_context(version: CatalogVersion, data: dict, target: dict, posted) -> dict:
    def text(key: str) -> str:
        if posted is not None:
            return posted.get(key, "")
        value = target.get(key)
        if value is None:
            return ""
        if isinstance(value, (dict, list)):
            return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False)
        return str(value)

    reference = target.get("reference") or {}
    return {
        "version": version,
        "node": target,
        "is_leaf": "kind" in target,
        "kinds": sorted(LEAF_KINDS),
        "unit_types": data.get("unit_types") or {},
        "applies": set(target.get("applies_to") or ["all"]),
        "value": text,
        "reference": {
            k: (posted.get(f"reference_{k}", "") if posted else str(reference.get(k, "")))
            for k in ("document", "provision", "target", "note")
        },  # fmt: skip
        "fields": {
            name: spec for name, spec in (data.get("fields") or {}).items() if name in _names(target.get("params"))
        },
    }


def _names(value) -> set[str]:
    """Every text in a criterion's parameters: the evidence fields it reads are among them."""
    if isinstance(value, dict):
        return {n for v in value.values() for n in _names(v)}
    if isinstance(value, list):
        return {n for v in value for n in _names(v)}
    return {value} if isinstance(value, str) else set()


def _changes(posted, target: dict) -> dict:
    """The form's values, typed; ValueError in words for what is not right."""
    changes: dict = {"title": posted.get("title", "").strip()}
    if not changes["title"]:
        raise ValueError("tên tiêu chí không được để trống")
    try:
        changes["max_points"] = float(posted.get("max_points", "").replace(",", "."))
    except ValueError:
        raise ValueError("điểm tối đa phải là một số (ví dụ 1 hoặc 0,5)") from None
    if "kind" not in target:
        return changes
    changes["kind"] = posted.get("kind", "")
    if changes["kind"] not in LEAF_KINDS:
        raise ValueError("chọn một loại quy tắc")
    try:
        params = yaml.safe_load(posted.get("params", "") or "{}")
    except yaml.YAMLError as e:
        raise ValueError(f"tham số không phải YAML hợp lệ ({getattr(e, 'problem', e)})") from None
    if not isinstance(params, dict):
        raise ValueError("tham số phải là các dòng 'tên: giá trị'")
    changes["params"] = params
    applies = posted.getlist("applies_to")
    changes["applies_to"] = [] if not applies or "all" in applies else applies
    reference = {k: posted.get(f"reference_{k}", "").strip() for k in ("document", "provision", "target", "note")}
    if not reference["document"]:
        raise ValueError("căn cứ (văn bản) không được để trống")
    changes["reference"] = {k: v for k, v in reference.items() if v}
    changes["fix"] = posted.get("fix", "").strip()
    return changes


def edit_catalog(request: HttpRequest, pk: int) -> HttpResponse:
    """What holds for the whole catalog: its title, the Sở's decision (number, date, signer), the
    years it scores, the unit types, ranking groups and bands, each as YAML a person reads."""
    _admin_only(request)
    version = get_object_or_404(CatalogVersion, pk=pk)
    data = editing.read(version.text, str(version))
    values = {k: _yaml_text(data.get(k)) for k in editing.CATALOG_KEYS}
    if request.method == "POST" and not version.published:
        values = {k: request.POST.get(k, "") for k in editing.CATALOG_KEYS}
        try:
            changes = {k: yaml.safe_load(v) if k != "title" else v.strip() for k, v in values.items()}
        except yaml.YAMLError as e:
            messages.error(request, f"Chưa lưu: không phải YAML hợp lệ ({getattr(e, 'problem', e)})")
        else:
            old = {k: data.get(k) for k in editing.CATALOG_KEYS}
            editing.update_catalog(data, changes, reviewed=request.POST.get("reviewed") == "on")
            version.text = editing.write(data, version.source)
            version.save(update_fields=["text"])
            audit(request, "catalog_edit", f"{version} (chung)", old, changes)
            messages.success(request, "Đã lưu phần chung của bộ tiêu chí.")
            return redirect("catalog", pk=pk)
    review = data.get("review") or []
    context = {"version": version, "values": values, "review": review, "annex": data.get("annex") or {}}
    return render(request, "web/catalog_settings.html", context)


def _yaml_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False)


@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """A published (or frozen) version copied into a new draft, to change."""
    _admin_only(request)
    version = get_object_or_404(CatalogVersion, pk=pk)
    copy = _new_version(request, version.catalog_id, version.text, version.source, "")
    audit(request, "catalog_version", str(copy), str(version), "")
    return redirect("catalog", pk=copy.pk)


@require_POST
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """The version becomes the catalog of a year: written once to DATA/catalogs/ID/vN.yaml, and that
    year's assessment scores with it. Refused while anything is left to decide; a change to a year
    whose units have saved evidence needs a reason."""
    _admin_only(request)
    version = get_object_or_404(CatalogVersion, pk=pk)
    year_text = request.POST.get("year", "")
    reason = request.POST.get("reason", "").strip()
    if version.published or not year_text.isdigit():
        messages.error(request, "Phiên bản này đã công bố, hoặc chưa chọn năm áp dụng.")
        return redirect("catalog", pk=pk)
    year = int(year_text)
    data = editing.read(version.text, str(version))
    data["version"] = f"{year}.{version.number}"
    text = editing.write(data, version.source)
    if year not in _years(data):
        messages.error(
            request, f"Bộ tiêu chí này chấm các năm {', '.join(map(str, _years(data)))}, không có năm {year}."
        )
        return redirect("catalog", pk=pk)
    problems = [
        p for p in editing.check(text) if not re.match(r"năm \d{4}: ", p.message) or f"năm {year}: " in p.message
    ]
    if problems:
        messages.error(request, f"Chưa công bố được: còn {len(problems)} vấn đề cần quyết định (xem bên dưới).")
        return redirect("catalog", pk=pk)
    assessment = Assessment.objects.filter(year=year).first()
    scored = assessment is not None and Submission.objects.filter(assessment=assessment).exists()
    if scored and not reason:
        messages.error(request, f"Năm {year} đã có đơn vị nhập liệu: ghi lý do thay đổi bộ tiêu chí.")
        return redirect("catalog", pk=pk)
    path = settings.DATA / "catalogs" / version.catalog_id / f"v{version.number}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)
    with transaction.atomic():
        old = assessment.catalog if assessment else ""
        if assessment is None:
            assessment = Assessment(year=year)
        assessment.catalog = str(path)
        assessment.full_clean()
        assessment.save()
        version.text, version.year, version.path, version.reason = text, year, str(path), reason
        version.published_by, version.published_at = request.user, timezone.now()
        version.save()
        audit(request, "catalog_publish", f"{version} → năm {year}", old, {"catalog": str(path), "reason": reason})
    messages.success(request, f"Đã công bố {version} làm bộ tiêu chí năm {year}.")
    return redirect("catalog", pk=pk)


def download(request: HttpRequest, pk: int) -> HttpResponse:
    _admin_only(request)
    version = get_object_or_404(CatalogVersion, pk=pk)
    response = HttpResponse(version.text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.catalog_id}-v{version.number}.yaml"'
    return response
