"""Issue 31, the red team's attacks on the workspace: each failed before its fix."""

import io
import os
import stat
import threading
import zipfile

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rules.errors import InputError
from tests.hostile import corpus
from tests.workspace.conftest import PASSWORD, login
from web import accounts
from web.models import AuditEvent, LoginFailure, Submission, Unit
from web.store import add_user

WRONG = "sai-mat-khau-0"


def test_variants_of_a_name_share_its_lockout(workspace, client, settings):
    for _ in range(settings.LOGIN_ATTEMPTS):
        client.post("/dang-nhap/", {"username": "ttyt-an-phu", "password": WRONG})
    for variant in (" ttyt-an-phu", "ＴＴＹＴ-an-phu", "TTYT-AN-PHU\t"):  # spaces, full-width, case
        refused = client.post("/dang-nhap/", {"username": variant, "password": PASSWORD})
        assert refused.status_code == 429, variant
    assert LoginFailure.objects.filter(username="ttyt-an-phu").count() == settings.LOGIN_ATTEMPTS


def test_a_name_logs_in_in_any_of_its_forms(workspace, client):
    response = client.post("/dang-nhap/", {"username": " ＴＴＹＴ-An-Phu ", "password": PASSWORD})
    assert response.status_code == 302


def test_guessing_across_names_from_one_address_is_refused(workspace, client, settings):
    settings.LOGIN_ATTEMPTS_PER_ADDRESS = 6
    for i in range(6):
        client.post("/dang-nhap/", {"username": f"khong-co-{i}", "password": WRONG})
    assert client.post("/dang-nhap/", {"username": "so-admin", "password": PASSWORD}).status_code == 429


def test_a_login_flood_waits_for_no_password_check(workspace, client, monkeypatch):
    monkeypatch.setattr(accounts, "CHECK_WAIT_S", 0.05)
    assert accounts.password_check_slot()  # another login is being checked
    try:
        response = client.post("/dang-nhap/", {"username": "so-admin", "password": PASSWORD})
    finally:
        accounts.release_password_check_slot()
    assert response.status_code == 429 and "đang bận" in response.content.decode()


@pytest.mark.parametrize(
    "name,password,message",
    [
        ("bv-moi", "12345678", "mật khẩu không đạt"),
        ("bv-moi", "password", "mật khẩu không đạt"),
        ("bv-moi", "bv-moi-1", "mật khẩu không đạt"),  # too like the name
        ("bv-moi", "ngan", "mật khẩu không đạt"),
        ("bv moi", "Mat-khau-dai-9", "tên đăng nhập «bv moi» không hợp lệ"),
        ("<script>", "Mat-khau-dai-9", "không hợp lệ"),
    ],
)
def test_user_add_refuses_weak_passwords_and_odd_names(db, name, password, message):
    with pytest.raises(InputError, match=message):
        add_user(name, "inspector", password)
    assert not User.objects.exists()


def test_user_add_stores_the_normal_form_of_a_name(db):
    add_user(" Tham-Dinh-2 ", "inspector", "Mat-khau-dai-9")
    assert User.objects.get().username == "tham-dinh-2"


def _workbook_upload(client, name, data):
    return client.post("/don-vi/ttyt-an-phu/bieu-mau/", {"workbook": SimpleUploadedFile(name, data)})


def _hostile_workbooks(tmp_path):
    yield "bao-cao.pdf", b"%PDF-1.4\n%%EOF\n"
    yield "rac.xlsx", b"not a zip at all"
    for make in (corpus.doctype_in_sheet, corpus.doctype_in_workbook, corpus.billion_laughs_xlsx):
        folder = tmp_path / make.__name__
        folder.mkdir()
        path = make(folder)[0]
        yield make.__name__ + ".xlsx", open(path, "rb").read()
    folder = tmp_path / "broken"
    folder.mkdir()
    yield "broken.xlsx", open(corpus.external_link(folder, valid=False)[0], "rb").read()


def test_a_hostile_workbook_upload_is_a_message_never_a_500(workspace, client, tmp_path):
    login(client, "ttyt-an-phu")
    before = Submission.objects.get(unit__code="ttyt-an-phu").evidence
    for name, data in _hostile_workbooks(tmp_path):
        response = _workbook_upload(client, name, data)
        assert response.status_code == 400 and "Chưa nhập được biểu mẫu" in response.content.decode(), name
    assert Submission.objects.get(unit__code="ttyt-an-phu").evidence == before


def test_a_formula_in_an_uploaded_workbook_is_named_by_sheet_and_row(workspace, client, tmp_path):
    from openpyxl import load_workbook

    login(client, "ttyt-an-phu")
    book = corpus.template(tmp_path)
    wb = load_workbook(book)
    ws = wb["Tài liệu kiểm chứng"]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "staff_total")
    row[5].value = "=1+1"
    wb.save(book)
    response = _workbook_upload(client, "bm.xlsx", book.read_bytes())
    page = response.content.decode()
    assert response.status_code == 400 and f"dòng {row[0].row}" in page and "công thức" in page


def test_a_stale_save_cannot_unlock_a_submitted_self_assessment(workspace, client):
    login(client, "ttyt-an-phu")
    opened = Submission.objects.get(unit__code="ttyt-an-phu")
    assert client.post("/don-vi/ttyt-an-phu/nop/").status_code == 302
    stale = {"staff_total": "5", "version": str(opened.version)}
    assert client.post("/don-vi/ttyt-an-phu/luu/", stale).status_code == 403
    after = Submission.objects.get(unit__code="ttyt-an-phu")
    assert after.submitted_at is not None and after.evidence == opened.evidence
    assert not AuditEvent.objects.filter(action="reopen").exists()


def test_a_form_opened_before_another_save_is_refused(workspace, client):
    login(client, "ttyt-an-phu")
    version = Submission.objects.get(unit__code="ttyt-an-phu").version
    evidence = Submission.objects.get(unit__code="ttyt-an-phu").evidence
    first = {"staff_total": "11", "version": str(version)}
    client.post("/don-vi/ttyt-an-phu/luu/", first)
    client.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": "22", "version": str(version)})  # the other window
    stored = Submission.objects.get(unit__code="ttyt-an-phu")
    assert stored.evidence["staff_total"] == "11" and stored.version == version + 1
    logged = AuditEvent.objects.filter(action="evidence", target="ttyt-an-phu/staff_total").get()
    assert (logged.old, logged.new) == (evidence.get("staff_total", ""), "11")


def test_a_broken_multipart_body_erases_nothing(workspace, client):
    login(client, "ttyt-an-phu")
    before = Submission.objects.get(unit__code="ttyt-an-phu")
    body = b'--xx\r\nContent-Disposition: form-data; name="staff_total"\r\n\r\n5'  # cut off, no end boundary
    response = client.generic("POST", "/don-vi/ttyt-an-phu/luu/", body, content_type="multipart/form-data; boundary=xx")
    assert response.status_code in (302, 400, 403)
    after = Submission.objects.get(unit__code="ttyt-an-phu")
    assert after.evidence == before.evidence and after.version == before.version


@pytest.mark.django_db(transaction=True)
def test_saves_racing_a_submit_leave_it_submitted_and_the_log_true(workspace):
    """12 saves and a submit at once: the submission stays locked, and the log's last new value of
    each field is what is stored. (On SQLite each write waits for the one before; on PostgreSQL the
    row is locked.)"""
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("the test database is SQLite in memory, one connection's: .ci/run races on PostgreSQL")
    version = Submission.objects.get(unit__code="ttyt-an-phu").version
    barrier = threading.Barrier(13)

    def save(i):
        c = login(Client(), "ttyt-an-phu")
        barrier.wait()
        c.post("/don-vi/ttyt-an-phu/luu/", {"staff_total": str(100 + i), "version": str(version)})
        connection.close()

    def submit():
        c = login(Client(), "ttyt-an-phu")
        barrier.wait()
        c.post("/don-vi/ttyt-an-phu/nop/")
        connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(12)] + [threading.Thread(target=submit)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stored = Submission.objects.get(unit__code="ttyt-an-phu")
    assert stored.submitted_at is not None
    saved = AuditEvent.objects.filter(action="evidence", target="ttyt-an-phu/staff_total").order_by("id")
    assert saved.count() <= 1  # one save of the version the forms were opened on, at most
    if saved:
        assert saved.last().new == stored.evidence["staff_total"]


def test_an_inspector_cannot_appraise_a_criterion_that_does_not_apply(workspace, client):
    login(client, "tham-dinh")
    before = client.get("/api/units/ttyt-an-phu/score").json()["appraised"]["max_points"]
    response = client.post(
        "/don-vi/ttyt-an-phu/tham-dinh/", {"round": "appraisal_2", "code": "2.1", "points": "1", "reason": "x"}
    )
    assert response.status_code == 302
    assert "không áp dụng cho loại đơn vị" in client.get("/don-vi/ttyt-an-phu/").content.decode()
    assert client.get("/api/units/ttyt-an-phu/score").json()["appraised"]["max_points"] == before == 73.5


def test_an_admin_site_edit_is_audited_and_rescored(workspace, client):
    admin = login(client, "so-admin")
    before = admin.get("/api/units/ttyt-an-phu/score").json()
    unit = Unit.objects.get(code="ttyt-an-phu")
    form = {"code": unit.code, "name": unit.name, "unit_type": "benh_vien", "parent": unit.parent}
    assert admin.post(f"/admin/web/unit/{unit.pk}/change/", form).status_code == 302
    logged = AuditEvent.objects.get(action="admin:unit:change")
    assert "trung_tam_y_te" in logged.old and "benh_vien" in logged.new and logged.user == "so-admin"
    after = admin.get("/api/units/ttyt-an-phu/score").json()
    assert after["unit_type"] == "benh_vien" and after["max_points"] != before["max_points"]


def test_a_password_set_in_the_admin_site_is_validated_and_audited(workspace, client):
    admin = login(client, "so-admin")
    user = User.objects.get(username="tham-dinh")
    url = f"/admin/auth/user/{user.pk}/password/"
    weak = admin.post(url, {"password1": "12345678", "password2": "12345678", "usable_password": "true"})
    assert weak.status_code == 200  # the form again, with the validators' errors
    strong = {"password1": "Mot-mat-khau-moi-7", "password2": "Mot-mat-khau-moi-7", "usable_password": "true"}
    assert admin.post(url, strong).status_code == 302
    assert AuditEvent.objects.filter(action="admin:user:password", target="tham-dinh").exists()


def test_a_polyglot_upload_is_stored_and_served_as_what_it_is(workspace, client):
    login(client, "ttyt-an-phu")
    pdf = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"
    client.post("/don-vi/ttyt-an-phu/tai-len/", {"field": "cchc_plan", "file": SimpleUploadedFile("x.html", pdf)})
    item = Submission.objects.get(unit__code="ttyt-an-phu").attachments.get()
    assert item.name == "x.pdf"
    response = client.get(f"/tep/{item.pk}/")
    assert 'filename="x.pdf"' in response["Content-Disposition"] and response["Content-Type"] == "application/pdf"


def test_a_macro_workbook_upload_is_refused(workspace, client):
    login(client, "ttyt-an-phu")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/vbaProject.bin", b"\x00macro")
    upload = SimpleUploadedFile("bang.xlsm", buffer.getvalue())
    client.post("/don-vi/ttyt-an-phu/tai-len/", {"field": "cchc_plan", "file": upload})
    assert not Submission.objects.get(unit__code="ttyt-an-phu").attachments.exists()


@pytest.mark.parametrize("fraction,drawn", [("inf", False), ("nan", False), ("1e309", False), ("0,4", True)])
def test_a_sample_fraction_is_read_as_a_vietnamese_number_or_refused(workspace, client, fraction, drawn):
    login(client, "so-admin")
    response = client.post("/so/rut-mau/", {"seed": "7", "fraction": fraction})
    assert response.status_code == 302
    workspace.refresh_from_db()
    assert (workspace.sample.get("seed") == 7) == drawn, fraction


def test_serve_limits_request_bodies_before_spooling(db, monkeypatch, tmp_path):
    import waitress
    from click.testing import CliRunner

    from cli import main

    seen = {}
    monkeypatch.setattr(waitress, "serve", lambda app, **options: seen.update(options))
    result = CliRunner().invoke(main, ["serve", "--data", str(tmp_path / "du-lieu")])
    assert result.exit_code == 0, result.output
    from django.conf import settings

    assert seen["max_request_body_size"] == settings.UPLOAD_MAX_BYTES + 1024 * 1024


def test_the_data_folder_and_its_secrets_are_the_server_accounts_only(db, settings):
    from web.store import open_store

    open_store(settings.DATA)
    assert stat.S_IMODE(os.stat(settings.DATA).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(settings.DATA / "secret_key").st_mode) == 0o600
