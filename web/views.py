"""Pages and the JSON API. Who may see and change what is decided here (`_unit_for`); scores come
from web/services.py; every change is written to the audit log."""

from __future__ import annotations

import dataclasses
import io
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rules.errors import InputError
from scoring.core.ranking import by_group
from scoring.inspection.compare import compare, summary_lines
from scoring.inspection.draw import draw_sample
from scoring.outputs.book import facts as headline
from scoring.outputs.folder import FORMATS, SUMMARY, write_reports
from web import accounts, services
from web.accounts import normalise_username
from web.audit import audit
from web.forms import (
    AppraisalForm,
    EvidenceForm,
    ExplanationForm,
    NewYearForm,
    PublishForm,
    SampleForm,
    UploadForm,
    WorkbookForm,
    form_errors,
    form_fields,
    problem_text,
    read_form,
    sha256,
    upload_kind,
)
from web.models import (
    APPRAISAL_ROUNDS,
    AppraisalEntry,
    Assessment,
    Assignment,
    Attachment,
    ExplanationNote,
    Notice,
    Publication,
    Submission,
    Unit,
)


def role(user) -> str:
    profile = getattr(user, "profile", None)
    if user.is_superuser:
        return "admin"
    return profile.role if profile else ""


def current(request: HttpRequest) -> Assessment:
    """The year this person works on (services.chosen_assessment); 404 before any year exists."""
    assessment = services.chosen_assessment(request.session)
    if assessment is None:
        raise Http404("Chưa có đợt đánh giá nào")
    return assessment


def choose_year(request: HttpRequest) -> HttpResponse:
    """The header's year selector: later pages show that year's assessment."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = 0
    if Assessment.objects.filter(year=year).exists():
        request.session[services.YEAR] = year
    else:
        request.session.pop(services.YEAR, None)
    return redirect("home")


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
        if not Assignment.objects.filter(inspector=request.user, unit=unit, assessment=current(request)).exists():
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
        assigned = Assignment.objects.filter(inspector=request.user, assessment=current(request))
        return [a.unit for a in assigned.select_related("unit")]
    return []


# ---- login, home -------------------------------------------------------------------------------


class LoginForm(AuthenticationForm):
    """Django's login form, the name read in its one normal form (web/accounts.py)."""

    def clean_username(self) -> str:
        return normalise_username(self.cleaned_data.get("username") or "")


class LoginView(auth_views.LoginView):
    """Django's login, refused before any password is checked when the name or the address has
    failed too often, or when another password check holds the server's turn."""

    template_name = "web/login.html"
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        name = normalise_username(request.POST.get("username", ""))
        address = request.META.get("REMOTE_ADDR", "")
        if accounts.login_refused(name, address):
            return self._refused("Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.")
        if not accounts.password_check_slot():
            return self._refused("Hệ thống đang bận xử lý đăng nhập; hãy thử lại sau giây lát.")
        try:
            response = super().post(request, *args, **kwargs)
        finally:
            accounts.release_password_check_slot()
        if response.status_code == 302:
            accounts.login_succeeded(name, address)
        else:
            accounts.login_failed(name, address)
        return response

    def _refused(self, message: str) -> HttpResponse:
        form = self.get_form()
        form.add_error(None, message)
        return self.render_to_response(self.get_context_data(form=form), status=429)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose security token is missing or old (a page left open past its session)."""
    message = "Phiên làm việc đã hết hạn hoặc trang đã mở quá lâu: hãy tải lại trang rồi thao tác lại."
    return render(request, "403.html", {"exception": message}, status=403)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Anyone changes their own password (Django's validators apply); the change is audited."""

    template_name = "web/password.html"
    success_url = "/"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit(self.request, "password", self.request.user.get_username())  # never the password itself
        messages.success(self.request, "Đã đổi mật khẩu.")
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
    assessment = current(request)
    submission, _ = Submission.objects.get_or_create(assessment=assessment, unit=unit)
    # Only this unit is scored here (fast after every save); ranks need every unit and are shown
    # on the Sở's ranking, so the headline leaves them out.
    scored = services.score(assessment, [unit], published_only=_published_only(request))
    problems = scored.problems.get(unit.code, [])  # why its evidence does not check, if it does not
    report = next(iter(scored.book().units), None)
    catalog = scored.catalog
    facts = headline(report.score, catalog, {}, report.appraised, ranked=False) if report else []
    published = set(Publication.objects.filter(assessment=assessment, unit=unit).values_list("round", flat=True))
    entries = AppraisalEntry.objects.filter(assessment=assessment, unit=unit)
    appraised_codes = {e.code for e in entries if e.round in published or not _published_only(request)}
    notices = []
    if role(request.user) == "unit":  # shown once, then marked seen
        notices = list(Notice.objects.filter(unit=unit, seen_at__isnull=True))
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(seen_at=timezone.now())
    appraised_rounds = sorted({e.round for e in entries}, key=[r for r, _ in APPRAISAL_ROUNDS].index)
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
            "problem_texts": [problem_text(catalog, p) for p in problems],
            "fields": form_fields(catalog, unit.unit_type, submission.evidence, problems),
            "editable": role(request.user) == "unit" and not submission.locked,
            "can_appraise": role(request.user) == "inspector",
            "is_unit": role(request.user) == "unit",
            "leaves": [leaf for leaf in catalog.leaves if leaf.applies(unit.unit_type)],
            "rounds": APPRAISAL_ROUNDS,
            "appraised_codes": [leaf.code for leaf in catalog.leaves if leaf.code in appraised_codes],
            "history": _history(request, unit),
            "notices": notices,
            "can_publish": role(request.user) in ("inspector", "admin"),
            "publishable": [(r, dict(APPRAISAL_ROUNDS)[r], r in published) for r in appraised_rounds],
            "titles": {leaf.code: leaf.title for leaf in catalog.leaves},
            "draft": request.session.pop(DRAFT, None) if role(request.user) == "inspector" else None,
            "notes": {n.code: n for n in ExplanationNote.objects.filter(assessment=assessment, unit=unit)},
            "attachments": [
                (attachment_label(catalog, a.field), a) for a in submission.attachments.order_by("field", "uploaded_at")
            ],
            "type_label": catalog.unit_types.get(unit.unit_type, unit.unit_type),
        },
    )


def _history(request: HttpRequest, unit: Unit) -> list[dict]:
    """The unit's results in every year it has a self-assessment, each scored by that year's rules:
    its index and each area's share of its maximum (the unit page's chart)."""
    out = []
    for assessment in Assessment.objects.filter(submission__unit=unit).order_by("year"):
        scored = services.score(assessment, [unit], published_only=_published_only(request))
        score = next((u for u in scored.run.units if u.unit_id == unit.code), None)
        if score is None:
            out.append({"year": assessment.year, "score": None})
            continue
        areas = [(a.title, 100 * a.points / a.max_points if a.max_points else None) for a in score.areas]
        out.append({"year": assessment.year, "score": score, "areas": areas})
    return out


def _field_names(assessment: Assessment, unit: Unit) -> list[str]:
    """The evidence fields the unit's form shows (those its type's criteria read)."""
    return [f.name for f in form_fields(services.catalog(assessment), unit.unit_type, {}, [])]


def _editable_submission(request: HttpRequest, code: str) -> Submission:
    """The unit's own self-assessment, read again under a write lock (the caller holds a
    transaction): whatever another request saved or submitted meanwhile is what is checked and
    changed, never a copy read before it."""
    unit = _unit_for(request, code, write="self")
    assessment = current(request)
    Submission.objects.get_or_create(assessment=assessment, unit=unit)
    locked = Submission.objects.select_for_update().select_related("unit", "assessment")
    submission = locked.get(assessment=assessment, unit=unit)
    if submission.locked:
        raise PermissionDenied("Hồ sơ tự đánh giá đã nộp hoặc đã quá hạn: không sửa được nữa")
    return submission


def _store(submission: Submission, *fields: str) -> None:
    """Save these fields of a submission and raise its version (forms opened before are stale)."""
    submission.version += 1
    submission.save(update_fields=[*fields, "version", "updated_at"])


STALE_FORM = (
    "Chưa lưu: hồ sơ đã được thay đổi (ở cửa sổ khác hoặc bởi người khác) sau khi anh/chị mở trang này, "
    "hoặc biểu mẫu gửi lên không đầy đủ. Hãy tải lại trang, kiểm tra rồi nhập lại."
)


@require_POST
def save_evidence(request: HttpRequest, code: str) -> HttpResponse:
    with transaction.atomic():
        submission = _editable_submission(request, code)
        form = EvidenceForm(request.POST)
        if not form.is_valid() or form.cleaned_data["version"] != submission.version:
            # A stale form, or a body that did not arrive whole (an empty form would erase the evidence).
            messages.error(request, STALE_FORM)
            return redirect("unit", code=code)
        names = _field_names(submission.assessment, submission.unit)
        entered = read_form(services.catalog(submission.assessment), names, request.POST)
        kept = {k: v for k, v in submission.evidence.items() if k not in names}  # fields the form does not show
        old, new = submission.evidence, {**kept, **entered}
        if old != new:
            submission.evidence = new
            _store(submission, "evidence")
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
    with transaction.atomic():
        submission = _editable_submission(request, code)
        if services.check(submission):
            messages.error(request, "Chưa nộp được: còn ô chưa hợp lệ.")
            return redirect("unit", code=code)
        submission.submitted_at = timezone.now()
        _store(submission, "submitted_at")
        audit(request, "submit", code, "", submission.submitted_at.isoformat())
    messages.success(request, "Đã nộp hồ sơ tự đánh giá; hồ sơ đã khóa.")
    return redirect("unit", code=code)


def _refused(request: HttpRequest, code: str, message: str) -> HttpResponse:
    """An upload refused: the unit's page again, the reason on it, with status 400."""
    messages.error(request, message)
    response = unit_page(request, code)
    response.status_code = 400
    return response


def _kept_upload(uploaded) -> tuple[str, str, str, int] | str:
    """An uploaded file checked by its content and stored under its SHA-256: (name, kind, digest,
    size), or why it is refused. The name carries the extension of what the file is."""
    if uploaded.size > settings.UPLOAD_MAX_BYTES:
        return f"Tệp quá lớn (tối đa {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB)."
    data = uploaded.read(settings.UPLOAD_MAX_BYTES + 1)
    kind = upload_kind(data)
    if kind is None:
        return "Chỉ nhận tệp PDF, DOCX, XLSX (không có macro), JPG, PNG (kiểm tra theo nội dung tệp)."
    digest = sha256(data)
    path = _stored(digest)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
            tmp.write(data)
        Path(tmp.name).replace(path)
    # Shown and served with the extension of what the file is, never the uploader's (.html, .svg).
    return f"{Path(uploaded.name or 'tep').stem[:190] or 'tep'}.{kind}", kind, digest, len(data)


@require_POST
def upload(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code, write="self")  # before the upload is read or stored
    form = UploadForm(request.POST, request.FILES, fields=_field_names(current(request), unit))
    if not form.is_valid():
        return _refused(request, code, "Chọn tài liệu và tệp cần tải lên. " + form_errors(form))
    field, uploaded = form.cleaned_data["field"], form.cleaned_data["file"]
    kept = _kept_upload(uploaded)
    if isinstance(kept, str):
        return _refused(request, code, kept)
    name, kind, digest, size = kept
    with transaction.atomic():
        submission = _editable_submission(request, code)
        Attachment.objects.create(
            submission=submission, field=field, sha256=digest, name=name, kind=kind, size=size, uploaded_by=request.user
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

    _unit_for(request, code, write="self")  # before the upload is read
    form = WorkbookForm(request.POST, request.FILES)
    uploaded = form.cleaned_data["workbook"] if form.is_valid() else None
    if uploaded is None or uploaded.size > settings.UPLOAD_MAX_BYTES:
        return _refused(request, code, "Chọn tệp Excel (.xlsx) của biểu mẫu tự đánh giá.")
    name = Path(uploaded.name or "bieu-mau.xlsx").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bieu-mau.xlsx"  # the upload's name is shown, never used as a path
        with path.open("wb") as out:
            for chunk in uploaded.chunks():
                out.write(chunk)
        try:
            ((unit, error),) = read_workbook(path, services.catalog(current(request)))
        except InputError as e:  # not a workbook, a bomb, a DTD, a formula: said, never a 500
            error, unit = e, None
    if error is not None or unit is None:
        problems = error.problems if error else []
        where = "; ".join(
            " ".join(x for x in (p.where, f"[{p.field}]" if p.field else "", p.message) if x) for p in problems
        )
        return _refused(request, code, f"Chưa nhập được biểu mẫu «{name}»: {where}")
    if unit.unit.id != code:
        return _refused(request, code, f"Biểu mẫu là của đơn vị '{unit.unit.id}', không phải '{code}'.")
    raw = raw_evidence(unit)
    with transaction.atomic():
        submission = _editable_submission(request, code)
        old = submission.raw()
        submission.evidence = {name: form_text(v) for name, v in raw["evidence"].items()}
        submission.manual, submission.not_applicable = raw.get("manual", {}), raw.get("not_applicable", {})
        _store(submission, "evidence", "manual", "not_applicable")
        keys = ("evidence", "manual", "not_applicable")
        audit(request, "workbook", code, {k: old[k] for k in keys}, {k: submission.raw()[k] for k in keys})
    messages.success(request, f"Đã nhập biểu mẫu {name} và chấm lại điểm.")
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
    name = f"{Path(item.name).stem or 'tep'}.{item.kind}"  # files stored before names carried their type
    return FileResponse(
        _stored(item.sha256).open("rb"), as_attachment=True, filename=name, content_type=content_types[item.kind]
    )


@require_POST
def explain(request: HttpRequest, code: str) -> HttpResponse:
    """The unit's giải trình on an appraisal finding, with a file if it adds one (allowed after
    submission: that is its point)."""
    unit = _unit_for(request, code, write="self")
    assessment = current(request)
    form = ExplanationForm(request.POST, request.FILES)
    criterion = form.cleaned_data["code"] if form.is_valid() else ""
    published = Publication.objects.filter(assessment=assessment, unit=unit).values_list("round", flat=True)
    findings = AppraisalEntry.objects.filter(assessment=assessment, unit=unit, code=criterion, round__in=published)
    if not form.is_valid() or not findings.exists():
        return _refused(request, code, "Chỉ giải trình tiêu chí đã có kết quả thẩm định, và phải ghi nội dung.")
    text, added, uploaded = form.cleaned_data["text"], form.cleaned_data["evidence"], form.cleaned_data["file"]
    kept = _kept_upload(uploaded) if uploaded is not None else None
    if isinstance(kept, str):
        return _refused(request, code, f"Chưa ghi giải trình tiêu chí {criterion}: {kept}")
    with transaction.atomic():
        submission, _ = Submission.objects.get_or_create(assessment=assessment, unit=unit)
        if kept is not None:
            name, kind, digest, size = kept
            field = f"{EXPLANATION_FILE}{criterion}"
            Attachment.objects.create(
                submission=submission,
                field=field,
                sha256=digest,
                name=name,
                kind=kind,
                size=size,
                uploaded_by=request.user,
            )
            audit(request, "upload", f"{code}/{field}", "", f"{name} sha256={digest}")
            added = "; ".join(x for x in (added, f"tệp {name} (SHA-256 {digest[:12]}…)") if x)
        note, _ = ExplanationNote.objects.get_or_create(
            assessment=assessment, unit=unit, code=criterion, defaults={"text": text}
        )
        old = {"text": note.text, "evidence": note.evidence} if note.pk else {}
        note.text, note.evidence = text, added
        note.by, note.date = request.user, timezone.localdate()
        note.save()
        audit(request, "explanation", f"{code}/{criterion}", old, {"text": note.text, "evidence": note.evidence})
    messages.success(request, f"Đã ghi giải trình tiêu chí {criterion}.")
    return redirect("unit", code=code)


EXPLANATION_FILE = "giai-trinh:"  # an attachment's field for a file added to the giải trình of a criterion


def attachment_label(catalog, field: str) -> str:
    """What an attachment is for, in words: the evidence field's name, or the giải trình's criterion."""
    if field.startswith(EXPLANATION_FILE):
        return f"Giải trình tiêu chí {field.removeprefix(EXPLANATION_FILE)}"
    spec = catalog.fields.get(field)
    return spec.label if spec else field


def _published_only(request: HttpRequest) -> bool:
    """A unit sees the appraisal rounds published to it; inspectors and the Sở see every round."""
    return role(request.user) == "unit"


@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    """An appraisal round made visible to the unit (công bố), which is told so on its page."""
    unit = _unit_for(request, code)  # an inspector only for the units assigned to them
    if role(request.user) not in ("inspector", "admin"):
        raise PermissionDenied("Chỉ đoàn thẩm định hoặc quản trị Sở công bố kết quả thẩm định")
    assessment, form = current(request), PublishForm(request.POST)
    round_ = form.cleaned_data["round"] if form.is_valid() else ""
    label = dict(APPRAISAL_ROUNDS).get(round_)
    if label is None or not AppraisalEntry.objects.filter(assessment=assessment, unit=unit, round=round_).exists():
        messages.error(request, "Chỉ công bố vòng thẩm định đã có điểm chấm.")
        return redirect("unit", code=code)
    with transaction.atomic():
        _, created = Publication.objects.get_or_create(
            assessment=assessment, unit=unit, round=round_, defaults={"by": request.user}
        )
        if created:
            count = AppraisalEntry.objects.filter(assessment=assessment, unit=unit, round=round_).count()
            Notice.objects.create(
                unit=unit,
                text=f"Đã công bố kết quả {label.lower()} năm {assessment.year}: {count} tiêu chí được chấm. "
                "Xem bảng điểm; đơn vị có thể giải trình từng tiêu chí.",
            )
            audit(request, "publish", f"{code}/{round_}", "", label)
    messages.success(request, f"Đã công bố {label.lower()} cho {unit.name}.")
    return redirect("unit", code=code)


DRAFT = "appraisal_draft"  # the session key of an appraisal entry refused, shown again in the form


@require_POST
def appraise(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit_for(request, code, write="appraisal")
    assessment = current(request)
    catalog = services.catalog(assessment)
    posted = request.POST.get("code", "")
    criterion = posted if posted in catalog.leaf else ""  # named in messages and the page's anchor

    def refused(message: str) -> HttpResponse:
        """The entry refused: said with its criterion, and what was typed kept for the form."""
        messages.error(request, message)
        draft = {k: request.POST.get(k, "") for k in ("round", "code", "points", "reason", "evidence")}
        request.session[DRAFT] = {**draft, "not_applicable": request.POST.get("not_applicable") == "on", "why": message}
        return redirect(reverse("unit", args=[code]) + f"#tc-{criterion}")  # back on the criterion's row

    self_scores = services.self_scores(assessment, unit)
    form = AppraisalForm(request.POST, catalog=catalog, unit_type=unit.unit_type, self_scores=self_scores)
    if not form.is_valid():
        return refused(f"Chưa ghi điểm tiêu chí {criterion}: {form_errors(form)}.")
    criterion, round_ = form.cleaned_data["code"], form.cleaned_data["round"]
    na, points = form.cleaned_data["not_applicable"], form.cleaned_data["points"]
    reason, seen = form.cleaned_data["reason"], form.cleaned_data["evidence"]
    with transaction.atomic():
        entry, _ = AppraisalEntry.objects.get_or_create(assessment=assessment, unit=unit, round=round_, code=criterion)
        old = {"points": entry.points, "not_applicable": entry.not_applicable, "reason": entry.reason}
        entry.points, entry.not_applicable, entry.reason, entry.evidence = points, na, reason, seen
        entry.by, entry.date = request.user, timezone.localdate()
        entry.save()
        audit(
            request,
            "appraisal",
            f"{code}/{round_}/{criterion}",
            old,
            {"points": points, "not_applicable": na, "reason": reason},
        )
    messages.success(request, f"Đã ghi điểm thẩm định tiêu chí {criterion}.")
    return redirect(reverse("unit", args=[code]) + f"#tc-{criterion}")


# ---- inspector, Sở ----------------------------------------------------------------------------


def inspector(request: HttpRequest) -> HttpResponse:
    if role(request.user) != "inspector":
        raise PermissionDenied
    assessment, units = current(request), _visible_units(request)
    scored = services.score(assessment, units) if units else None
    catalog = services.catalog(assessment)
    # progress: of the criteria that apply to each unit, how many any round has appraised
    done: dict[str, set[str]] = {}
    for unit_code, criterion in AppraisalEntry.objects.filter(assessment=assessment, unit__in=units).values_list(
        "unit__code", "code"
    ):
        done.setdefault(unit_code, set()).add(criterion)
    progress = {
        u.code: (len(done.get(u.code, set())), sum(1 for leaf in catalog.leaves if leaf.applies(u.unit_type)))
        for u in units
    }
    context = {"book": scored.book() if scored else None, "assessment": assessment, "progress": progress}
    return render(request, "web/inspector.html", context)


def _admin_only(request: HttpRequest) -> None:
    if role(request.user) != "admin":
        raise PermissionDenied("Chỉ quản trị Sở Y tế")


def dashboard(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    assessment = current(request)
    scored = services.score(assessment)
    submissions = {s.unit_id: s for s in Submission.objects.filter(assessment=assessment)}
    status = [(u, submissions.get(u.id)) for u in Unit.objects.all()]
    drawn = [s["unit_id"] for s in assessment.sample.get("selected", [])] or None
    comparison = compare(scored.run.units, scored.appraisal, drawn) if scored.appraisal.scores else None
    book = scored.book()
    # Units whose evidence does not check yet are not scored, but never left out of the ranking:
    # each stands at the end of its group, with how many fields are still invalid.
    unscored = dict(
        by_group(
            book.groups,
            [u for u in Unit.objects.all() if u.code in scored.problems],
            lambda u: scored.catalog.group_of(u.unit_type),
        )
    )
    ranking = [(label, ranked, unscored.pop(label, [])) for label, ranked in book.by_group]
    ranking += [(label, [], units) for label, units in unscored.items()]
    return render(
        request,
        "web/dashboard.html",
        {
            "assessment": assessment,
            "book": book,
            "status": status,
            "problems": scored.problems,
            "ranking": ranking,
            "formats": FORMATS,
            "comparison": comparison,
            "comparison_summary": summary_lines(comparison) if comparison else [],
        },
    )


@require_POST
def reopen(request: HttpRequest, code: str) -> HttpResponse:
    _admin_only(request)
    with transaction.atomic():
        rows = Submission.objects.select_for_update()
        submission = get_object_or_404(rows, assessment=current(request), unit__code=code)
        old = submission.submitted_at.isoformat() if submission.submitted_at else ""
        submission.submitted_at = None
        _store(submission, "submitted_at")
        audit(request, "reopen", code, old, "")
    messages.success(request, f"Đã mở lại hồ sơ của {submission.unit}.")
    return redirect("dashboard")


@require_POST
def new_year(request: HttpRequest) -> HttpResponse:
    """A new year's assessment, its catalog and the inspectors' assignments carried over from the
    latest year (units and accounts are kept across years)."""
    _admin_only(request)
    latest = Assessment.objects.first()
    form = NewYearForm(request.POST)
    year = form.cleaned_data["year"] if form.is_valid() else 0
    if not year or Assessment.objects.filter(year=year).exists():
        messages.error(request, "Năm mới phải là một năm chưa có đợt đánh giá (ví dụ 2027).")
        return redirect("dashboard")
    catalog = form.cleaned_data["catalog"].strip() or (latest.catalog if latest else "syt-2026")
    created = Assessment(year=year, catalog=catalog)
    try:
        created.full_clean()
    except ValidationError as e:
        messages.error(request, f"Chưa tạo được năm {year}: " + " ".join(e.messages))
        return redirect("dashboard")
    with transaction.atomic():
        created.save()
        copied = 0
        if latest is not None:
            for a in Assignment.objects.filter(assessment=latest):
                Assignment.objects.create(assessment=created, inspector=a.inspector, unit=a.unit)
                copied += 1
        audit(request, "new_year", str(year), "", {"catalog": catalog, "assignments": copied})
    request.session[services.YEAR] = year
    messages.success(request, f"Đã tạo đợt đánh giá năm {year} ({catalog}); chép {copied} phân công thẩm định.")
    return redirect("dashboard")


@require_POST
def draw(request: HttpRequest) -> HttpResponse:
    _admin_only(request)
    assessment = current(request)
    form = SampleForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Không rút được mẫu: {form_errors(form)}")
        return redirect("dashboard")
    seed, fraction = form.cleaned_data["seed"], form.cleaned_data["fraction"]
    try:
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
    assessment = current(request)
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


UNIT_FORMATS = {  # a unit's own report, as `cchc report` writes it for that unit
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def unit_report(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """One unit's justification report (PDF, Word or Excel), ranked among all units, for anyone
    who may see the unit: the unit itself, its inspectors, the Sở."""
    unit = _unit_for(request, code)
    if fmt not in UNIT_FORMATS:
        raise Http404
    assessment = current(request)
    scored = services.score(assessment, published_only=_published_only(request))
    book = scored.book()
    mine = [u for u in book.units if u.score.unit_id == unit.code]
    if not mine:
        messages.error(request, "Chưa lập được báo cáo: hồ sơ còn ô chưa hợp lệ.")
        return redirect("unit", code=code)
    with tempfile.TemporaryDirectory() as tmp:
        written = write_reports(
            dataclasses.replace(book, units=mine), Path(tmp), (fmt,), appraisal=bool(scored.appraisal.scores)
        )
        path = next(p for p in written if p.name != f"{SUMMARY}.{fmt}")
        data = path.read_bytes()
    response = HttpResponse(data, content_type=UNIT_FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="cchc-{assessment.year}-{unit.code}.{fmt}"'
    return response


def unit_template(request: HttpRequest, code: str) -> HttpResponse:
    """The Excel workbook the unit fills in (`cchc template`), pre-filled with what it has saved
    when that checks; otherwise the blank workbook of the whole catalog."""
    from scoring.outputs.workbooks import write_template

    unit = _unit_for(request, code)
    assessment = current(request)
    submission, _ = Submission.objects.get_or_create(assessment=assessment, unit=unit)
    try:
        evidence = services.unit_evidence(submission)
    except InputError:
        evidence = None  # not pre-filled: the saved evidence does not check yet
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bieu-mau.xlsx"
        write_template(services.catalog(assessment), path, evidence)
        data = path.read_bytes()
    response = HttpResponse(data, content_type=UNIT_FORMATS["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="bieu-mau-{assessment.year}-{unit.code}.xlsx"'
    return response


# ---- JSON API ----------------------------------------------------------------------------------


def api_units(request: HttpRequest) -> JsonResponse:
    units = [{"unit_id": u.code, "unit_name": u.name, "unit_type": u.unit_type} for u in _visible_units(request)]
    return JsonResponse({"year": current(request).year, "units": units})


def api_score(request: HttpRequest, code: str) -> JsonResponse:
    """The unit in the contract of `cchc score --format json` (ranked among all units), plus its
    appraised score when it has one."""
    unit = _unit_for(request, code)
    scored = services.score(current(request), published_only=_published_only(request))
    if code in scored.problems:
        return JsonResponse({"unit_id": code, "errors": [str(p) for p in scored.problems[code]]}, status=422)
    score = next(s for s in scored.run.units if s.unit_id == unit.code)
    body = {"catalog": scored.run.catalog.model_dump(mode="json"), **score.model_dump(mode="json")}
    appraised = scored.appraisal.scores.get(code)
    if appraised is not None:
        body["appraised"] = appraised.model_dump(mode="json")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
