"""Pages and the JSON API. Who may see and change what is decided here (`_unit_for`); scores come
from web/services.py; every change is written to the audit log."""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from evidence import parse
from rules.errors import InputError
from scoring.compare import compare, to_text
from scoring.reports import FORMATS, write_reports
from scoring.sampling import draw_sample
from web import services
from web.forms import form_fields, read_form, sha256, upload_kind
from web.models import (
    APPRAISAL_ROUNDS,
    AppraisalEntry,
    Assessment,
    Assignment,
    Attachment,
    AuditEvent,
    ExplanationNote,
    Submission,
    Unit,
)


def audit(request: HttpRequest, action: str, target: str, old: object = "", new: object = "") -> None:
    def text(v: object) -> str:
        return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)

    AuditEvent.objects.create(
        user=request.user.get_username(), action=action, target=target, old=text(old), new=text(new)
    )


def role(user) -> str:
    profile = getattr(user, "profile", None)
    if user.is_superuser:
        return "admin"
    return profile.role if profile else ""


def current() -> Assessment:
    assessment = Assessment.objects.first()  # the latest year
    if assessment is None:
        raise Http404("Chưa có đợt đánh giá nào")
    return assessment


def _unit_for(request: HttpRequest, code: str, write: str = "") -> Unit:
    """The unit, if this user may see it (404 otherwise, so other units' codes are not revealed);
    `write`: "self" (its own self-assessment) or "appraisal" (an assigned inspector) must be allowed too."""
    unit = Unit.objects.filter(code=code).first()
    who = role(request.user)
    if unit is None:
        raise Http404
    if who == "unit":
        if request.user.profile.unit_id != unit.id:
            raise Http404
    elif who == "inspector":
        if not Assignment.objects.filter(inspector=request.user, unit=unit, assessment=current()).exists():
            raise Http404
    elif who != "admin":
        raise Http404
    if write == "self" and who != "unit":
        raise PermissionDenied("Chỉ đơn vị được sửa hồ sơ tự đánh giá của mình")
    if write == "appraisal" and who != "inspector":
        raise PermissionDenied("Chỉ thành viên đoàn thẩm định được phân công mới chấm thẩm định")
    return unit


def _visible_units(request: HttpRequest) -> list[Unit]:
    who = role(request.user)
    if who == "admin":
        return list(Unit.objects.all())
    if who == "unit":
        return [request.user.profile.unit]
    if who == "inspector":
        return [
            a.unit
            for a in Assignment.objects.filter(inspector=request.user, assessment=current()).select_related("unit")
        ]
    return []


# ---- login, home -------------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's login, refusing a user name from one address after too many failures."""

    template_name = "web/login.html"

    def post(self, request, *args, **kwargs):
        key = f"login:{request.META.get('REMOTE_ADDR', '')}:{request.POST.get('username', '').lower()}"
        if cache.get(key, 0) >= settings.LOGIN_ATTEMPTS:
            form = self.get_form()
            form.add_error(None, "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        response = super().post(request, *args, **kwargs)
        if response.status_code != 302:
            cache.set(key, cache.get(key, 0) + 1, settings.LOGIN_WINDOW_S)
        else:
            cache.delete(key)
        return response


def home(request: HttpRequest) -> HttpResponse:
    who = role(request.user)
    if who == "unit":
        return redirect("unit", code=request.user.profile.unit.code)
    if who == "inspector":
        return redirect("inspector")
    if who == "admin":
        return redirect("dashboard")
    raise PermissionDenied("Tài khoản chưa được gán vai trò")


# ---- a unit's page: evidence, score, explanations, to-do, appraisal ---------------------------


def unit_page(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code)
    assessment = current()
    submission, _ = Submission.objects.get_or_create(assessment=assessment, unit=unit)
    # Only this unit is scored here (fast after every save); ranks need every unit and are shown
    # on the Sở's ranking, so the headline leaves them out.
    scored = services.score(assessment, [unit])
    problems = scored.problems.get(unit.code, [])  # why its evidence does not check, if it does not
    report = next(iter(scored.book().units), None)
    facts = [(k, v.split("; xếp hạng")[0]) for k, v in report.facts if k != "Xếp hạng"] if report else []
    catalog = scored.catalog
    appraised_codes = {e.code for e in AppraisalEntry.objects.filter(assessment=assessment, unit=unit)}
    return render(
        request,
        "web/unit.html",
        {
            "unit": unit,
            "assessment": assessment,
            "submission": submission,
            "report": report,
            "facts": facts,
            "problems": problems,
            "fields": form_fields(catalog, unit.unit_type, submission.evidence, problems),
            "editable": role(request.user) == "unit" and not submission.locked,
            "can_appraise": role(request.user) == "inspector",
            "is_unit": role(request.user) == "unit",
            "leaves": [leaf for leaf in catalog.leaves if leaf.applies(unit.unit_type)],
            "rounds": APPRAISAL_ROUNDS,
            "appraised_codes": appraised_codes,
            "notes": {n.code: n for n in ExplanationNote.objects.filter(assessment=assessment, unit=unit)},
            "attachments": submission.attachments.order_by("field", "uploaded_at"),
            "type_label": catalog.unit_types.get(unit.unit_type, unit.unit_type),
        },
    )


def _field_names(submission: Submission) -> list[str]:
    """The evidence fields the unit's form shows (those its type's criteria read)."""
    catalog = services.catalog(submission.assessment)
    return [f.name for f in form_fields(catalog, submission.unit.unit_type, {}, [])]


def _editable_submission(request: HttpRequest, code: str) -> Submission:
    unit = _unit_for(request, code, write="self")
    submission, _ = Submission.objects.get_or_create(assessment=current(), unit=unit)
    if submission.locked:
        raise PermissionDenied("Hồ sơ tự đánh giá đã nộp hoặc đã quá hạn: không sửa được nữa")
    return submission


@require_POST
def save_evidence(request: HttpRequest, code: str) -> HttpResponse:
    submission = _editable_submission(request, code)
    names = _field_names(submission)
    entered = read_form(services.catalog(submission.assessment), names, request.POST)
    kept = {k: v for k, v in submission.evidence.items() if k not in names}  # fields the form does not show
    old, new = submission.evidence, {**kept, **entered}
    if old != new:
        with transaction.atomic():
            submission.evidence = new
            submission.save()
            for name in sorted(set(old) | set(new)):
                if old.get(name) != new.get(name):
                    audit(request, "evidence", f"{code}/{name}", old.get(name, ""), new.get(name, ""))
    problems = services.check(submission)
    if problems:
        messages.warning(request, f"Đã lưu; còn {len(problems)} ô chưa hợp lệ (xem bên dưới).")
    else:
        messages.success(request, "Đã lưu và chấm lại điểm.")
    return redirect("unit", code=code)


@require_POST
def submit(request: HttpRequest, code: str) -> HttpResponse:
    submission = _editable_submission(request, code)
    problems = services.check(submission)
    if problems:
        messages.error(request, "Chưa nộp được: còn ô chưa hợp lệ.")
        return redirect("unit", code=code)
    submission.submitted_at = timezone.now()
    submission.save()
    audit(request, "submit", code, "", submission.submitted_at.isoformat())
    messages.success(request, "Đã nộp hồ sơ tự đánh giá; hồ sơ đã khóa.")
    return redirect("unit", code=code)


@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    submission = _editable_submission(request, code)
    field = request.POST.get("field", "")
    uploaded = request.FILES.get("file")
    if field not in _field_names(submission) or uploaded is None:
        messages.error(request, "Chọn tài liệu và tệp cần tải lên.")
        return redirect("unit", code=code)
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, f"Tệp quá lớn (tối đa {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB).")
        return redirect("unit", code=code)
    data = uploaded.read(settings.UPLOAD_MAX_BYTES + 1)
    kind = upload_kind(data)
    if kind is None:
        messages.error(request, "Chỉ nhận tệp PDF, DOCX, XLSX, JPG, PNG (kiểm tra theo nội dung tệp).")
        return redirect("unit", code=code)
    digest = sha256(data)
    path = _stored(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
        Path(tmp.name).replace(path)
    name = Path(uploaded.name or "tep").name[:200]
    Attachment.objects.create(
        submission=submission,
        field=field,
        sha256=digest,
        name=name,
        kind=kind,
        size=len(data),
        uploaded_by=request.user,
    )
    audit(request, "upload", f"{code}/{field}", "", f"{name} sha256={digest}")
    messages.success(request, f"Đã tải lên {name}.")
    return redirect("unit", code=code)


@require_POST
def upload_workbook(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's filled `cchc template` workbook replaces its evidence, read and checked as the
    command line reads it; every problem is shown with its sheet and row, and nothing is kept then."""
    from evidence.excel import read_workbook
    from evidence.raw import raw_evidence
    from web.forms import form_text

    submission = _editable_submission(request, code)
    uploaded = request.FILES.get("workbook")
    if uploaded is None or uploaded.size > settings.UPLOAD_MAX_BYTES:
        messages.error(request, "Chọn tệp Excel (.xlsx) của biểu mẫu tự đánh giá.")
        return redirect("unit", code=code)
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as tmp:
        tmp.write(uploaded.read())
        tmp.flush()
        ((unit, error),) = read_workbook(Path(tmp.name), services.catalog(submission.assessment))
    if error is not None or unit is None:
        problems = error.problems if error else []
        messages.error(
            request, "Chưa nhập được biểu mẫu: " + "; ".join(f"{p.where or ''} {p.message}" for p in problems)
        )
        return redirect("unit", code=code)
    if unit.unit.id != code:
        messages.error(request, f"Biểu mẫu là của đơn vị '{unit.unit.id}', không phải '{code}'.")
        return redirect("unit", code=code)
    raw = raw_evidence(unit)
    old = submission.raw()
    submission.evidence = {name: form_text(v) for name, v in raw["evidence"].items()}
    submission.manual, submission.not_applicable = raw.get("manual", {}), raw.get("not_applicable", {})
    submission.save()
    audit(request, "workbook", code, {k: old[k] for k in ("evidence", "manual", "not_applicable")}, submission.raw())
    messages.success(request, f"Đã nhập biểu mẫu {Path(uploaded.name or '').name} và chấm lại điểm.")
    return redirect("unit", code=code)


def _stored(digest: str) -> Path:
    return settings.FILES / digest[:2] / digest


def attachment(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Attachment.objects.select_related("submission__unit"), pk=pk)
    _unit_for(request, item.submission.unit.code)  # 404 unless this user may see the unit
    content_types = {
        "pdf": "application/pdf",
        "jpg": "image/jpeg",
        "png": "image/png",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = FileResponse(
        _stored(item.sha256).open("rb"), as_attachment=True, filename=item.name, content_type=content_types[item.kind]
    )
    return response


@require_POST
def explain(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's giải trình on an appraisal finding (allowed after submission: that is its point)."""
    unit = _unit_for(request, code, write="self")
    assessment = current()
    criterion = request.POST.get("code", "")
    text = request.POST.get("text", "").strip()
    if not AppraisalEntry.objects.filter(assessment=assessment, unit=unit, code=criterion).exists() or not text:
        messages.error(request, "Chỉ giải trình tiêu chí đã có kết quả thẩm định, và phải ghi nội dung.")
        return redirect("unit", code=code)
    note, _ = ExplanationNote.objects.get_or_create(
        assessment=assessment, unit=unit, code=criterion, defaults={"text": text}
    )
    old = {"text": note.text, "evidence": note.evidence} if note.pk else {}
    note.text, note.evidence = text, request.POST.get("evidence", "").strip()
    note.by, note.date = request.user, timezone.localdate()
    note.save()
    audit(request, "explanation", f"{code}/{criterion}", old, {"text": note.text, "evidence": note.evidence})
    messages.success(request, f"Đã ghi giải trình tiêu chí {criterion}.")
    return redirect("unit", code=code)


@require_POST
def appraise(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code, write="appraisal")
    assessment = current()
    catalog = services.catalog(assessment)
    criterion, round_ = request.POST.get("code", ""), request.POST.get("round", "")
    leaf = catalog.leaf.get(criterion)
    if leaf is None or round_ not in dict(APPRAISAL_ROUNDS):
        messages.error(request, "Tiêu chí hoặc vòng thẩm định không hợp lệ.")
        return redirect("unit", code=code)
    na = request.POST.get("not_applicable") == "on"
    points = None
    if not na:
        try:
            points = parse.decimal(request.POST.get("points", ""))
        except ValueError as e:
            messages.error(request, f"Điểm tiêu chí {criterion}: {e}")
            return redirect("unit", code=code)
        low, high = leaf.point_range()
        if not low <= points <= high:
            messages.error(request, f"Điểm tiêu chí {criterion} phải trong khoảng [{low:g}, {high:g}].")
            return redirect("unit", code=code)
    reason, seen = request.POST.get("reason", "").strip(), request.POST.get("evidence", "").strip()
    with transaction.atomic():
        entry, _ = AppraisalEntry.objects.get_or_create(assessment=assessment, unit=unit, round=round_, code=criterion)
        old = {"points": entry.points, "not_applicable": entry.not_applicable, "reason": entry.reason}
        entry.points, entry.not_applicable, entry.reason, entry.evidence = points, na, reason, seen
        entry.by, entry.date = request.user, timezone.localdate()
        entry.save()
        try:
            services.score(assessment, [unit])  # a changed score with no reason is refused here, as in files
        except InputError as e:
            transaction.set_rollback(True)
            messages.error(request, "Chưa ghi: " + "; ".join(p.message for p in e.problems))
            return redirect("unit", code=code)
        audit(
            request,
            "appraisal",
            f"{code}/{round_}/{criterion}",
            old,
            {"points": points, "not_applicable": na, "reason": reason},
        )
    messages.success(request, f"Đã ghi điểm thẩm định tiêu chí {criterion}.")
    return redirect("unit", code=code)


# ---- inspector, Sở ----------------------------------------------------------------------------


def inspector(request: HttpRequest) -> HttpResponse:
    if role(request.user) != "inspector":
        raise PermissionDenied
    assessment, units = current(), _visible_units(request)
    scored = services.score(assessment, units) if units else None
    return render(request, "web/inspector.html", {"book": scored.book() if scored else None, "assessment": assessment})


def _admin_only(request: HttpRequest) -> None:
    if role(request.user) != "admin":
        raise PermissionDenied("Chỉ quản trị Sở Y tế")


def dashboard(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    assessment = current()
    scored = services.score(assessment)
    submissions = {s.unit_id: s for s in Submission.objects.filter(assessment=assessment)}
    status = [(u, submissions.get(u.id)) for u in Unit.objects.all()]
    drawn = [s["unit_id"] for s in assessment.sample.get("selected", [])] or None
    comparison = compare(scored.run.units, scored.appraisal, drawn) if scored.appraisal.scores else None
    return render(
        request,
        "web/dashboard.html",
        {
            "assessment": assessment,
            "book": scored.book(),
            "status": status,
            "problems": scored.problems,
            "formats": FORMATS,
            "comparison": comparison,
            "comparison_text": to_text(comparison) if comparison else "",
        },
    )


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    _admin_only(request)
    submission = get_object_or_404(Submission, assessment=current(), unit__code=code)
    old = submission.submitted_at.isoformat() if submission.submitted_at else ""
    submission.submitted_at = None
    submission.save()
    audit(request, "reopen", code, old, "")
    messages.success(request, f"Đã mở lại hồ sơ của {submission.unit}.")
    return redirect("dashboard")


@require_POST
def draw(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    assessment = current()
    try:
        seed, fraction = int(request.POST.get("seed", "")), float(request.POST.get("fraction", "0.3"))
        sample = draw_sample({u.code: u.unit_type for u in Unit.objects.all()}, fraction, seed)
    except ValueError as e:
        messages.error(request, f"Không rút được mẫu: {e}")
        return redirect("dashboard")
    old, assessment.sample = assessment.sample, sample.as_dict()
    assessment.save()
    audit(request, "sample", str(assessment.year), old, assessment.sample)
    messages.success(request, f"Đã rút mẫu {sample.size}/{sample.population} đơn vị (seed {seed}).")
    return redirect("dashboard")


def reports(request: HttpRequest, fmt: str) -> HttpResponse:
    """Every report of one format, zipped: the same files `cchc report` writes."""
    _admin_only(request)
    if fmt not in FORMATS:
        raise Http404
    assessment = current()
    scored = services.score(assessment)
    with tempfile.TemporaryDirectory() as tmp:
        written = write_reports(scored.book(), Path(tmp), (fmt,), appraisal=bool(scored.appraisal.scores))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
            for path in written:
                z.write(path, path.name)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-cchc-{assessment.year}-{fmt}.zip"'
    return response


# ---- JSON API ----------------------------------------------------------------------------------


def api_units(request: HttpRequest) -> JsonResponse:
    units = [{"unit_id": u.code, "unit_name": u.name, "unit_type": u.unit_type} for u in _visible_units(request)]
    return JsonResponse({"year": current().year, "units": units})


def api_score(request: HttpRequest, code: str) -> JsonResponse:
    """The unit in the contract of `cchc score --format json` (ranked among all units), plus its
    appraised score when it has one."""
    unit = _unit_for(request, code)
    scored = services.score(current())
    if code in scored.problems:
        return JsonResponse({"unit_id": code, "errors": [str(p) for p in scored.problems[code]]}, status=422)
    score = next(s for s in scored.run.units if s.unit_id == unit.code)
    body = {"catalog": scored.run.catalog.model_dump(mode="json"), **score.model_dump(mode="json")}
    appraised = scored.appraisal.scores.get(code)
    if appraised is not None:
        body["appraised"] = appraised.model_dump(mode="json")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
