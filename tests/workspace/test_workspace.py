"""The web workspace through Django's test client: every role's flow and every permission."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from django.test import Client

from cli import main
from tests.helpers import ROOT
from tests.workspace.conftest import PASSWORD, login
from web.models import AuditEvent, Submission

EXAMPLES = ROOT / "examples"
SURVEY = ROOT / "surveys" / "2026.yaml"


def score_json(client, code):
    response = client.get(f"/api/units/{code}/score")
    assert response.status_code == 200, response.content
    return response.json()


def test_anonymous_requests_go_to_the_login_page(workspace, client):
    for path in ("/", "/so/", "/don-vi/ttyt-an-phu/", "/api/units", "/api/units/ttyt-an-phu/score", "/tep/1/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), path
    assert client.get("/dang-nhap/").status_code == 200


def test_a_unit_sees_only_its_own_unit(workspace, client):
    login(client, "ttyt-an-phu")
    assert client.get("/").url == "/don-vi/ttyt-an-phu/"
    page = client.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "63,82/73,5" in page and "86,83 — Khá" in page  # the self-score, computed by the library
    for path in ("/don-vi/bv-dktinh/", "/api/units/bv-dktinh/score", "/don-vi/khong-co/"):
        assert client.get(path).status_code == 404, path
    assert client.post("/don-vi/bv-dktinh/luu/", {"cchc_plan.number": "1/KH"}).status_code == 404
    assert [u["unit_id"] for u in client.get("/api/units").json()["units"]] == ["ttyt-an-phu"]
    assert client.get("/so/").status_code == 403 and client.get("/tham-dinh/").status_code == 403


def test_the_api_score_is_the_cli_contract(workspace, client):
    cli = json.loads(
        CliRunner().invoke(main, ["score", str(EXAMPLES), "--survey", str(SURVEY), "--format", "json"]).stdout
    )
    login(client, "so-admin")
    for unit in cli["units"]:
        web = score_json(client, unit["unit_id"])
        for key in ("points", "max_points", "index", "band", "rank", "overall_rank", "provisional"):
            assert web[key] == unit[key], (unit["unit_id"], key)
        assert [(c["code"], c["points"], c["status"], c["explanation"]) for c in web["criteria"]] == [
            (c["code"], c["points"], c["status"], c["explanation"]) for c in unit["criteria"]
        ]
    assert score_json(client, "ttyt-an-phu")["appraised"]["points"] == 55.82  # inspection/2026
    assert "appraised" not in score_json(client, "bv-dktinh")


def test_saving_evidence_rescores_with_vietnamese_numbers(workspace, client):
    login(client, "ttyt-an-phu")
    before = score_json(client, "ttyt-an-phu")
    form = {"cchc_plan.number": "", "cchc_plan.date": "", "cchc_plan.file": ""}  # the plan taken away
    page = client.get("/don-vi/ttyt-an-phu/").content.decode()
    assert 'name="cchc_plan.number" value="401/KH-TTYT"' in page
    submission = Submission.objects.get(unit__code="ttyt-an-phu")
    kept = {k: v for k, v in submission.evidence.items() if k != "cchc_plan"}
    post = {**form, **_as_form(kept), "version": str(submission.version)}
    assert client.post("/don-vi/ttyt-an-phu/luu/", post).status_code == 302
    after = score_json(client, "ttyt-an-phu")
    plan = next(c for c in after["criteria"] if c["code"] == "1.1.1")
    assert plan["points"] == 0 and plan["status"] == "missing_evidence"
    assert after["points"] == round(before["points"] - 1, 2)  # 1.1.1 is worth 1 point
    post["staff_total"] = "1.256"  # a Vietnamese thousands separator, as in files
    post["version"] = str(Submission.objects.get(unit__code="ttyt-an-phu").version)  # the page reloaded
    client.post("/don-vi/ttyt-an-phu/luu/", post)
    assert Submission.objects.get(unit__code="ttyt-an-phu").evidence["staff_total"] == "1.256"
    assert AuditEvent.objects.filter(action="evidence", target="ttyt-an-phu/cchc_plan").exists()


def test_a_bad_value_is_shown_on_its_field(workspace, client):
    login(client, "ttyt-an-phu")
    submission = Submission.objects.get(unit__code="ttyt-an-phu")
    post = {**_as_form(submission.evidence), "staff_total": "một nghìn", "version": str(submission.version)}
    client.post("/don-vi/ttyt-an-phu/luu/", post)
    page = client.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "Ô chưa hợp lệ" in page and "một nghìn" in page
    assert client.post("/don-vi/ttyt-an-phu/nop/").status_code == 302
    assert Submission.objects.get(unit__code="ttyt-an-phu").submitted_at is None  # not submitted while invalid


def test_submission_locks_until_the_admin_reopens(workspace, client):
    login(client, "ttyt-an-phu")
    assert client.post("/don-vi/ttyt-an-phu/nop/").status_code == 302
    assert Submission.objects.get(unit__code="ttyt-an-phu").submitted_at is not None
    assert client.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": "5"}).status_code == 403
    admin = login(Client(), "so-admin")
    assert admin.post("/don-vi/ttyt-an-phu/mo-lai/").status_code == 302
    assert client.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": "5"}).status_code == 302
    actions = list(AuditEvent.objects.filter(target="ttyt-an-phu").values_list("action", "user"))
    assert ("submit", "ttyt-an-phu") in actions and ("reopen", "so-admin") in actions


def test_nothing_changes_past_the_deadline(workspace, client):
    import datetime as dt

    from django.utils import timezone

    workspace.deadline = timezone.now() - dt.timedelta(minutes=1)
    workspace.save()
    login(client, "ttyt-an-phu")
    assert client.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": "5"}).status_code == 403
    assert "đã quá hạn nộp" in client.get("/don-vi/ttyt-an-phu/").content.decode()


def test_the_inspector_appraises_assigned_units_only(workspace, client):
    login(client, "tham-dinh")
    assert client.get("/").url == "/tham-dinh/"
    assert "Trung tâm Y tế huyện An Phú" in client.get("/tham-dinh/").content.decode()
    assert client.get("/don-vi/bv-dktinh/").status_code == 404  # not assigned
    assert client.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": "5"}).status_code == 403  # reads, never edits
    refused = client.post("/don-vi/ttyt-an-phu/tham-dinh/", {"round": "appraisal_2", "code": "1.1.1", "points": "0"})
    assert refused.status_code == 302
    assert score_json(client, "ttyt-an-phu")["appraised"]["points"] == 55.82  # no reason: not recorded
    ok = {"round": "appraisal_2", "code": "1.1.1", "points": "0", "reason": "Kế hoạch ký sau hạn"}
    client.post("/don-vi/ttyt-an-phu/tham-dinh/", ok)
    assert score_json(client, "ttyt-an-phu")["appraised"]["points"] == 54.82
    confirm = {"round": "appraisal_2", "code": "1.1.2", "points": "1"}  # the self-score confirmed: no reason needed
    client.post("/don-vi/ttyt-an-phu/tham-dinh/", confirm)
    assert AuditEvent.objects.filter(action="appraisal", target="ttyt-an-phu/appraisal_2/1.1.2").exists()
    unit = login(Client(), "ttyt-an-phu")
    assert unit.post("/don-vi/ttyt-an-phu/tham-dinh/", ok).status_code == 403  # units never appraise


def test_the_unit_answers_a_finding(workspace, client):
    from web import services

    login(client, "ttyt-an-phu")
    assert 'id="explain"' in client.get("/don-vi/ttyt-an-phu/").content.decode()  # findings to answer
    client.post("/don-vi/ttyt-an-phu/giai-trinh/", {"code": "2.3", "text": "Đã bổ sung kế hoạch", "evidence": "35/KH"})

    scored = services.score(workspace)
    assert (
        "Giải trình của đơn vị: Đã bổ sung kế hoạch (bổ sung: 35/KH)" in scored.appraisal.notes[("ttyt-an-phu", "2.3")]
    )


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_uploads_are_checked_by_content_stored_by_hash_and_served_to_the_unit_only(workspace, client, settings):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    login(client, "ttyt-an-phu")
    upload = SimpleUploadedFile("../../ke hoach.pdf", PDF, content_type="application/pdf")
    assert client.post("/don-vi/ttyt-an-phu/tai-len/", {"field": "cchc_plan", "file": upload}).status_code == 302
    digest = hashlib.sha256(PDF).hexdigest()
    assert (settings.FILES / digest[:2] / digest).read_bytes() == PDF
    item = Submission.objects.get(unit__code="ttyt-an-phu").attachments.get()
    assert item.name == "ke hoach.pdf" and item.kind == "pdf"  # the name is shown, never a path
    response = client.get(f"/tep/{item.pk}/")
    assert response["Content-Disposition"].startswith("attachment") and b"".join(response.streaming_content) == PDF
    fake = SimpleUploadedFile("x.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    client.post("/don-vi/ttyt-an-phu/tai-len/", {"field": "cchc_plan", "file": fake})
    assert Submission.objects.get(unit__code="ttyt-an-phu").attachments.count() == 1  # refused by content
    settings.UPLOAD_MAX_BYTES = 10
    big = SimpleUploadedFile("big.pdf", PDF, content_type="application/pdf")
    client.post("/don-vi/ttyt-an-phu/tai-len/", {"field": "cchc_plan", "file": big})
    assert Submission.objects.get(unit__code="ttyt-an-phu").attachments.count() == 1  # too large
    other = login(Client(), "bv-dktinh")
    assert other.get(f"/tep/{item.pk}/").status_code == 404


def test_export_scores_exactly_as_the_web(workspace, client, tmp_path):
    from web.store import export

    login(client, "tham-dinh")
    client.post(
        "/don-vi/ttyt-an-phu/tham-dinh/", {"round": "final", "code": "1.1.1", "points": "0", "reason": "Sau hạn"}
    )
    export(tmp_path / "ra")
    args = ["compare", str(tmp_path / "ra" / "evidence"), "--appraisal", str(tmp_path / "ra" / "appraisals")]
    result = CliRunner().invoke(main, [*args, "--survey", str(tmp_path / "ra" / "survey.yaml"), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    appraised = {u["unit_id"]: u for u in json.loads(result.stdout)["units"]}
    admin = login(Client(), "so-admin")
    for code in ("ttyt-an-phu", "bv-ydct"):
        web = score_json(admin, code)
        assert appraised[code]["appraised_points"] == web["appraised"]["points"]
        assert appraised[code]["self_points"] == web["points"]
    assert appraised["ttyt-an-phu"]["appraised_points"] == 54.82
    scores = CliRunner().invoke(
        main,
        [
            "score",
            str(tmp_path / "ra" / "evidence"),
            "--survey",
            str(tmp_path / "ra" / "survey.yaml"),
            "--format",
            "json",
        ],
    )
    for u in json.loads(scores.stdout)["units"]:
        assert score_json(admin, u["unit_id"])["points"] == u["points"]


def test_the_audit_log_cannot_be_edited_from_the_web(workspace, client):
    login(client, "ttyt-an-phu")
    client.post("/don-vi/ttyt-an-phu/nop/")
    event = AuditEvent.objects.get(action="submit")
    admin = login(Client(), "so-admin")
    assert admin.get("/admin/web/auditevent/").status_code == 200
    admin.post(f"/admin/web/auditevent/{event.pk}/change/", {"user": "x", "action": "y"})
    admin.post(f"/admin/web/auditevent/{event.pk}/delete/", {"post": "yes"})
    event.refresh_from_db()
    assert (event.user, event.action) == ("ttyt-an-phu", "submit")


def test_logins_are_rate_limited_and_cookies_http_only(workspace, client, settings):
    from web.models import LoginFailure

    for _ in range(settings.LOGIN_ATTEMPTS):
        assert client.post("/dang-nhap/", {"username": "so-admin", "password": "sai"}).status_code == 200
    refused = client.post("/dang-nhap/", {"username": "so-admin", "password": PASSWORD})
    assert refused.status_code == 429 and "quá nhiều lần" in refused.content.decode()
    LoginFailure.objects.update(at=LoginFailure.objects.first().at - dt.timedelta(seconds=settings.LOGIN_WINDOW_S))
    ok = client.post("/dang-nhap/", {"username": "so-admin", "password": PASSWORD})
    assert ok.status_code == 302 and ok.cookies["sessionid"]["httponly"]


def test_every_form_needs_its_csrf_token(workspace):
    client = Client(enforce_csrf_checks=True)
    login(client, "ttyt-an-phu")
    assert client.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": "5"}).status_code == 403


def test_the_secret_key_lives_in_the_data_folder(settings):
    assert (settings.DATA / "secret_key").read_text().strip() == settings.SECRET_KEY
    assert not (ROOT / "web" / "secret_key").exists()


def test_the_admin_dashboard_ranks_and_downloads_reports(workspace, client):
    login(client, "so-admin")
    page = client.get("/so/").content.decode()
    assert "Trung tâm Y tế huyện An Phú (đã thẩm định)" in page and "75,95" in page
    response = client.get("/so/bao-cao/md/")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    client.post("/so/rut-mau/", {"seed": "35", "fraction": "0.3"})
    workspace.refresh_from_db()
    assert [s["unit_id"] for s in workspace.sample["selected"]] == ["bv-ydct", "cc-dskhhgd", "ttyt-an-phu"]
    page = client.get("/so/").content.decode()
    assert "Tự chấm và thẩm định" in page and "86,83 → 75,95" in page  # An Phú, as `cchc compare` says
    assert "Trong mẫu, chưa có kết quả thẩm định: cc-dskhhgd." in page


def _as_form(evidence: dict) -> dict:
    form = {}
    for name, value in evidence.items():
        if isinstance(value, dict):
            for k in ("number", "date", "file"):
                if k in value:
                    form[f"{name}.{k}"] = value[k]
        else:
            form[name] = value
    return form


@pytest.fixture(autouse=True)
def _no_login_limits_between_tests():
    from django.core.cache import cache

    cache.clear()


def test_the_store_is_sqlite_unless_database_url_says_postgresql(db):
    import os

    from django.db import connection

    expected = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == expected


def test_the_demo_has_an_account_for_each_role_and_assigns_the_drawn_units(db, settings, tmp_path):
    from web.commands import load_demo
    from web.models import Assignment

    settings.FILES = tmp_path
    accounts = load_demo()
    names = [name for name, _, _ in accounts]
    assert names[0] == "so-admin" and names[-1] == "tham-dinh" and "ttyt-an-phu" in names and len(names) == 12
    assigned = sorted(a.unit.code for a in Assignment.objects.all())
    assert assigned == ["bv-ydct", "cc-dskhhgd", "ttyt-an-phu"]  # seed 35, as the README says
    client = Client()
    name, _, password = accounts[0]
    assert client.login(username=name, password=password)
    assert "Trung tâm Y tế huyện An Phú (đã thẩm định)" in client.get("/so/").content.decode()


def test_a_unit_uploads_its_filled_workbook(workspace, client, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    book = tmp_path / "an-phu.xlsx"
    args = ["template", "-o", str(book), "--from", str(EXAMPLES / "trung-tam-y-te.yaml"), "--unit", "ttyt-an-phu"]
    assert CliRunner().invoke(main, args).exit_code == 0
    login(client, "ttyt-an-phu")
    before = score_json(client, "ttyt-an-phu")
    emptied = Submission.objects.get(unit__code="ttyt-an-phu")
    emptied.evidence = {}
    emptied.save()
    assert score_json(client, "ttyt-an-phu")["points"] < before["points"]
    upload = SimpleUploadedFile("an-phu.xlsx", book.read_bytes())
    assert client.post("/don-vi/ttyt-an-phu/bieu-mau/", {"workbook": upload}).status_code == 302
    assert score_json(client, "ttyt-an-phu")["points"] == before["points"]  # the same evidence, the same score
    other = tmp_path / "bv.xlsx"
    CliRunner().invoke(main, ["template", "-o", str(other), "--from", str(EXAMPLES / "bv-da-khoa-tinh.yaml")])
    client.post("/don-vi/ttyt-an-phu/bieu-mau/", {"workbook": SimpleUploadedFile("bv.xlsx", other.read_bytes())})
    assert score_json(client, "ttyt-an-phu")["points"] == before["points"]  # another unit's workbook: refused
    assert AuditEvent.objects.filter(action="workbook", target="ttyt-an-phu").count() == 1
