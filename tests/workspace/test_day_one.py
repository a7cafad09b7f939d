"""Issue 32, what a Sở hits on its first day: dates day first in the admin site, the admin site's
own styles served by the app, a sample fraction written the Vietnamese way."""

import datetime as dt

from django.utils import timezone

from tests.workspace.conftest import PASSWORD, login


def test_the_admin_reads_a_deadline_day_first(workspace, client):
    admin = login(client, "so-admin")
    form = {
        "year": "2026",
        "catalog": "syt-2026",
        "deadline_0": "01/12/2026",  # 1 December, never 12 January
        "deadline_1": "17:00",
        "sample": "{}",
        "survey": "{}",
    }
    response = admin.post(f"/admin/web/assessment/{workspace.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    workspace.refresh_from_db()
    assert timezone.localtime(workspace.deadline).replace(tzinfo=None) == dt.datetime(2026, 12, 1, 17, 0)
    form["deadline_0"] = "15/12/2026"  # refused before: no 15th month
    assert admin.post(f"/admin/web/assessment/{workspace.pk}/change/", form).status_code == 302
    workspace.refresh_from_db()
    assert timezone.localtime(workspace.deadline).date() == dt.date(2026, 12, 15)
    page = admin.get(f"/admin/web/assessment/{workspace.pk}/change/").content.decode()
    assert 'value="15/12/2026"' in page


def test_the_admin_sites_styles_and_scripts_are_served_without_a_login(client):
    for path in ("/static/admin/css/base.css", "/static/admin/js/calendar.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert b"".join(response.streaming_content)


def test_a_sample_fraction_written_with_a_comma_draws_the_sample(workspace, client):
    login(client, "so-admin")
    client.post("/so/rut-mau/", {"seed": "35", "fraction": "0,4"})
    workspace.refresh_from_db()
    assert workspace.sample["seed"] == 35 and len(workspace.sample["selected"]) == 4  # 40 % of 10 units


def _break(code):
    from web.models import Submission

    sub = Submission.objects.get(unit__code=code)
    sub.evidence = {**sub.evidence, "staff_total": "một nghìn"}
    sub.save()


def test_a_unit_that_does_not_check_stays_in_the_ranking_with_its_mark(workspace, client):
    _break("ttyt-an-phu")
    page = login(client, "so-admin").get("/so/").content.decode()
    ranking = page.split("<h2>Xếp hạng", 1)[1].split("<h2>", 1)[0]
    assert 'data-unit="ttyt-an-phu" class="unscored"' in ranking
    assert "chưa xếp hạng: hồ sơ còn 1 ô chưa hợp lệ" in ranking


def test_a_provisional_result_is_marked_in_the_admin_ranking(workspace, client):
    workspace.survey = {}  # the survey not in yet: survey criteria pending
    workspace.save()
    page = login(client, "so-admin").get("/so/").content.decode()
    ranking = page.split("<h2>Xếp hạng", 1)[1].split("<h2>", 1)[0]
    assert "(tạm tính)" in ranking and "* Tạm tính" in ranking


def test_the_units_error_list_names_fields_in_words(workspace, client):
    _break("ttyt-an-phu")
    page = login(client, "ttyt-an-phu").get("/don-vi/ttyt-an-phu/").content.decode()
    listed = page.split('id="problems"', 1)[1].split("</ul>", 1)[0]
    assert "evidence." not in listed and "Tổng số công chức, viên chức" in listed


def test_error_pages_are_in_vietnamese(workspace, client):
    unit = login(client, "ttyt-an-phu")
    missing = unit.get("/don-vi/bv-dktinh/")
    assert missing.status_code == 404 and "Không tìm thấy trang" in missing.content.decode()
    refused = unit.get("/so/")
    assert refused.status_code == 403 and "Chỉ quản trị Sở Y tế" in refused.content.decode()


def test_a_stale_security_token_is_explained_in_vietnamese(workspace):
    from django.test import Client

    strict = login(Client(enforce_csrf_checks=True), "ttyt-an-phu")
    response = strict.post("/don-vi/ttyt-an-phu/nop/")
    assert response.status_code == 403 and "Phiên làm việc đã hết hạn" in response.content.decode()


def test_the_audit_log_reads_in_words(workspace, client):
    from web.models import AuditEvent, Submission

    unit = login(client, "ttyt-an-phu")
    sub = Submission.objects.get(unit__code="ttyt-an-phu")
    form = {
        f"{k}.{part}" if isinstance(v, dict) else k: p if isinstance(v, dict) else v
        for k, v in sub.evidence.items()
        for part, p in (v.items() if isinstance(v, dict) else [(None, v)])
    }
    form.update({"cchc_plan.number": "9/KH-TTYT", "cchc_plan.date": "20/12/2025", "version": str(sub.version)})
    unit.post("/don-vi/ttyt-an-phu/luu/", form)
    from django.test import Client

    page = login(Client(), "so-admin").get("/admin/web/auditevent/").content.decode()
    assert "Sửa tài liệu kiểm chứng" in page
    assert "số 401/KH-TTYT; ngày 30/12/2025 → số 9/KH-TTYT; ngày 20/12/2025" in page
    assert "ttyt-an-phu: Kế hoạch CCHC năm 2026 của đơn vị" in page  # the field by its name
    assert AuditEvent.objects.filter(action="evidence").count() == 1  # the rest of the form unchanged


def test_the_comparison_summary_is_a_list_not_a_text_block(workspace, client):
    page = login(client, "so-admin").get("/so/").content.decode()
    assert 'id="comparison-summary"' in page and "<pre" not in page


def test_the_demo_uses_the_data_folder_given_and_refuses_one_with_data(db, monkeypatch, tmp_path):
    import waitress
    from click.testing import CliRunner

    from cli import main

    monkeypatch.setattr(waitress, "serve", lambda app, **options: None)
    used = tmp_path / "demo"
    result = CliRunner().invoke(main, ["serve", "--demo", "--data", str(used)])
    assert result.exit_code == 0 and f"Dữ liệu mẫu trong {used}." in result.stderr, result.output
    used.mkdir(exist_ok=True)
    (used / "cchc.sqlite3").write_bytes(b"")  # a folder that already holds a workspace
    again = CliRunner().invoke(main, ["serve", "--demo", "--data", str(used)])
    assert again.exit_code == 2 and "thư mục dữ liệu trống" in again.stderr


def test_a_unit_downloads_its_own_report_and_workbook(workspace, client):
    import io
    import zipfile

    from openpyxl import load_workbook

    unit = login(client, "ttyt-an-phu")
    page = unit.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "/don-vi/ttyt-an-phu/bao-cao/pdf/" in page and "/don-vi/ttyt-an-phu/bieu-mau-excel/" in page
    docx = unit.get("/don-vi/ttyt-an-phu/bao-cao/docx/")
    assert docx.status_code == 200 and 'filename="cchc-2026-ttyt-an-phu.docx"' in docx["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(docx.content)) as z:
        assert "Trung tâm Y tế huyện An Phú" in z.read("word/document.xml").decode()
    xlsx = unit.get("/don-vi/ttyt-an-phu/bao-cao/xlsx/")
    assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames
    book = load_workbook(io.BytesIO(unit.get("/don-vi/ttyt-an-phu/bieu-mau-excel/").content))
    assert "ttyt-an-phu" in [c.value for row in book["Đơn vị"].iter_rows() for c in row]  # pre-filled
    assert unit.get("/don-vi/bv-dktinh/bao-cao/docx/").status_code == 404
    assert unit.get("/don-vi/ttyt-an-phu/bao-cao/exe/").status_code == 404


def test_the_inspector_downloads_an_assigned_units_pdf(workspace, client):
    inspector = login(client, "tham-dinh")
    assert "/don-vi/ttyt-an-phu/bao-cao/pdf/" in inspector.get("/tham-dinh/").content.decode()
    pdf = inspector.get("/don-vi/ttyt-an-phu/bao-cao/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_every_page_counts_down_to_the_deadline(workspace, client):
    workspace.deadline = timezone.now() + dt.timedelta(days=3, hours=1)
    workspace.save()
    unit = login(client, "ttyt-an-phu")
    for path in ("/don-vi/ttyt-an-phu/", "/don-vi/khong-co/"):
        page = unit.get(path).content.decode()
        assert "Hạn nộp tự đánh giá năm 2026" in page and "(còn 3 ngày)" in page, path
    workspace.deadline = timezone.now() - dt.timedelta(minutes=1)
    workspace.save()
    assert "Đã hết hạn nộp tự đánh giá năm 2026" in unit.get("/don-vi/ttyt-an-phu/").content.decode()


def test_a_refused_appraisal_keeps_what_was_typed_and_names_the_criterion(workspace, client):
    inspector = login(client, "tham-dinh")
    typed = {"round": "appraisal_2", "code": "1.4.1", "points": "0", "evidence": "Sổ tuyên truyền"}  # no reason
    response = inspector.post("/don-vi/ttyt-an-phu/tham-dinh/", typed)
    assert response.status_code == 302 and response["Location"].endswith("#tc-1.4.1")  # back on its row
    page = inspector.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "Chưa ghi điểm tiêu chí 1.4.1" in page
    row = page.split('id="tc-1.4.1"', 1)[1].split("</tr>", 1)[0]  # the form on the criterion's own row
    assert "<details open>" in row and '<option value="appraisal_2" selected>' in row
    assert '<div class="err">Chưa ghi điểm tiêu chí 1.4.1' in row  # the reason, where the inspector looks
    assert 'placeholder="điểm" value="0"' in row and 'value="Sổ tuyên truyền"' in row
    again = inspector.get("/don-vi/ttyt-an-phu/").content.decode().split('id="tc-1.4.1"', 1)[1].split("</tr>")[0]
    assert "<details open>" not in again and 'value="Sổ tuyên truyền"' not in again  # shown once


def test_the_inspector_sees_how_far_each_unit_is_appraised(workspace, client):
    from rules.load import load_catalog
    from web.models import AppraisalEntry

    catalog = load_catalog("syt-2026", 2026)
    applicable = sum(1 for leaf in catalog.leaves if leaf.applies("trung_tam_y_te"))
    done = AppraisalEntry.objects.filter(unit__code="ttyt-an-phu").values("code").distinct().count()
    page = login(client, "tham-dinh").get("/tham-dinh/").content.decode()
    assert f"đã chấm {done}/{applicable} tiêu chí, còn {applicable - done}" in page


def test_the_units_answers_name_criteria_by_code_and_title(workspace, client):
    page = login(client, "ttyt-an-phu").get("/don-vi/ttyt-an-phu/").content.decode()
    answers = page.split('id="explain"', 1)[1]
    assert '<option value="2.3">2.3 — Kế hoạch theo dõi thi hành pháp luật</option>' in answers


def test_anyone_changes_their_own_password_within_the_rules(workspace, client):
    from web.models import AuditEvent

    unit = login(client, "ttyt-an-phu")
    assert 'href="/doi-mat-khau/"' in unit.get("/don-vi/ttyt-an-phu/").content.decode()
    weak = unit.post(
        "/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"}
    )
    assert weak.status_code == 200 and 'class="err"' in weak.content.decode()
    strong = "Mot-mat-khau-moi-7"
    done = unit.post("/doi-mat-khau/", {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong})
    assert done.status_code == 302
    assert AuditEvent.objects.filter(action="password", user="ttyt-an-phu").exists()
    from django.test import Client

    assert Client().login(username="ttyt-an-phu", password=strong)


def test_a_giai_trinh_carries_a_file_and_files_are_listed_by_name(workspace, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from web.models import ExplanationNote, Submission

    unit = login(client, "ttyt-an-phu")
    pdf = b"%PDF-1.4\n%%EOF\n"
    bad = SimpleUploadedFile("x.pdf", b"<html>")
    refused = unit.post("/don-vi/ttyt-an-phu/giai-trinh/", {"code": "2.3", "text": "Đã bổ sung", "file": bad})
    assert refused.status_code == 400 and not ExplanationNote.objects.filter(code="2.3", unit__code="ttyt-an-phu")
    good = SimpleUploadedFile("ke-hoach-bo-sung.pdf", pdf)
    unit.post("/don-vi/ttyt-an-phu/giai-trinh/", {"code": "2.3", "text": "Đã bổ sung", "file": good})
    note = ExplanationNote.objects.get(code="2.3", unit__code="ttyt-an-phu")
    assert "tệp ke-hoach-bo-sung.pdf" in note.evidence
    item = Submission.objects.get(unit__code="ttyt-an-phu").attachments.get()
    assert item.field == "giai-trinh:2.3" and unit.get(f"/tep/{item.pk}/").status_code == 200
    listed = unit.get("/don-vi/ttyt-an-phu/").content.decode().split('id="attachments"', 1)[1].split("</table>")[0]
    assert "Giải trình tiêu chí 2.3" in listed
    unit.post("/don-vi/ttyt-an-phu/tai-len/", {"field": "cchc_plan", "file": SimpleUploadedFile("kh.pdf", pdf)})
    listed = unit.get("/don-vi/ttyt-an-phu/").content.decode().split('id="attachments"', 1)[1].split("</table>")[0]
    assert "Kế hoạch CCHC năm 2026 của đơn vị" in listed and ">cchc_plan<" not in listed


def test_a_round_is_seen_by_the_unit_only_once_published_and_the_unit_is_told(workspace, client):
    from django.test import Client

    from web.models import AuditEvent

    inspector = login(client, "tham-dinh")
    finding = {"round": "appraisal_2", "code": "1.1.1", "points": "0", "reason": "Kế hoạch ký sau hạn"}
    inspector.post("/don-vi/ttyt-an-phu/tham-dinh/", finding)
    assert inspector.get("/api/units/ttyt-an-phu/score").json()["appraised"]["points"] == 54.82
    unit = login(Client(), "ttyt-an-phu")
    assert unit.get("/api/units/ttyt-an-phu/score").json()["appraised"]["points"] == 55.82  # round 1 only (imported)
    page = unit.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "Kế hoạch ký sau hạn" not in page
    assert unit.post("/don-vi/ttyt-an-phu/cong-bo/", {"round": "appraisal_2"}).status_code == 403
    assert 'id="publish-form"' in inspector.get("/don-vi/ttyt-an-phu/").content.decode()
    assert inspector.post("/don-vi/ttyt-an-phu/cong-bo/", {"round": "appraisal_2"}).status_code == 302
    assert unit.get("/api/units/ttyt-an-phu/score").json()["appraised"]["points"] == 54.82
    page = unit.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "Đã công bố kết quả thẩm định lần 2 năm 2026: 1 tiêu chí được chấm" in page
    assert "Đã công bố kết quả" not in unit.get("/don-vi/ttyt-an-phu/").content.decode()  # told once
    assert AuditEvent.objects.filter(action="publish", target="ttyt-an-phu/appraisal_2", user="tham-dinh").exists()
    nothing = inspector.post("/don-vi/ttyt-an-phu/cong-bo/", {"round": "final"})
    assert nothing.status_code == 302
    assert "Chỉ công bố vòng thẩm định đã có điểm chấm" in inspector.get("/don-vi/ttyt-an-phu/").content.decode()


def _year_2025():
    from web.models import Assessment, Submission, Unit

    earlier = Assessment.objects.create(year=2025, catalog="syt-2026")
    Submission.objects.create(
        assessment=earlier,
        unit=Unit.objects.get(code="ttyt-an-phu"),
        evidence={"staff_total": "250", "staff_informed": "240"},
    )
    return earlier


def test_each_year_is_chosen_in_the_header_and_a_units_history_is_charted(workspace, client):
    _year_2025()
    unit = login(client, "ttyt-an-phu")
    page = unit.get("/don-vi/ttyt-an-phu/").content.decode()
    assert 'id="years"' in page and "<strong>2026</strong>" in page
    history = page.split('id="history-table"', 1)[1].split("</table>", 1)[0]
    assert 'data-year="2025"' in history and 'data-year="2026"' in history and "86,83" in history
    assert unit.get("/nam/?nam=2025").status_code == 302
    page = unit.get("/don-vi/ttyt-an-phu/").content.decode()
    assert "năm đánh giá 2025" in page and "<strong>2025</strong>" in page
    unit.get("/nam/?nam=1999")  # no such year: back to the latest
    assert "năm đánh giá 2026" in unit.get("/don-vi/ttyt-an-phu/").content.decode()


def test_the_so_opens_a_new_year_with_last_years_assignments(workspace, client):
    from web.models import Assessment, Assignment, AuditEvent

    admin = login(client, "so-admin")
    assert admin.post("/so/nam-moi/", {"year": "2026", "catalog": "syt-2026"}).status_code == 302  # exists
    assert Assessment.objects.count() == 1
    admin.post("/so/nam-moi/", {"year": "2027", "catalog": "syt-2026"})  # the catalog has no 2027 yet
    assert not Assessment.objects.filter(year=2027).exists()
    assert "không có năm 2027" in admin.get("/so/").content.decode()
    admin.post("/so/nam-moi/", {"year": "2025", "catalog": "syt-2026"})  # a year the catalog covers
    created = Assessment.objects.get(year=2025)
    assert sorted(Assignment.objects.filter(assessment=created).values_list("unit__code", flat=True)) == [
        "bv-ydct",
        "ttyt-an-phu",
    ]
    assert AuditEvent.objects.filter(action="new_year", target="2025").exists()
    assert "Chấm điểm CCHC năm 2025" in admin.get("/so/").content.decode()  # the year created is shown
