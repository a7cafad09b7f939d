"""Issue 32: `cchc remind` tells each person once: a deadline near or passed, results published,
a new giải trình; by e-mail (Django's backend) and as notices on the unit's page."""

import datetime as dt

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from tests.workspace.conftest import login
from web.models import AuditEvent, Notice, Unit
from web.remind import remind


def _addresses():
    for name in ("so-admin", "ttyt-an-phu", "tham-dinh"):
        User.objects.filter(username=name).update(email=f"{name}@syt.example")


def test_a_deadline_near_reminds_each_unit_not_yet_submitted_once(workspace, mailoutbox):
    _addresses()
    workspace.deadline = timezone.now() + dt.timedelta(days=2)
    workspace.save()
    sent = remind()
    units = Unit.objects.count()
    assert sent.notices == units and Notice.objects.filter(text__startswith="Sắp hết hạn").count() == units
    near = [m for m in mailoutbox if "Sắp hết hạn nộp tự đánh giá" in m.subject]
    assert [m.to for m in near] == [["ttyt-an-phu@syt.example"]]  # the only unit account with an address
    assert remind().emails == 0 and Notice.objects.count() == units  # idempotent
    assert AuditEvent.objects.filter(action="remind").count() == 1


def test_an_overdue_deadline_tells_the_so_which_units_are_late(workspace, mailoutbox):
    _addresses()
    workspace.deadline = timezone.now() - dt.timedelta(hours=1)
    workspace.save()
    remind()
    to_admin = [m for m in mailoutbox if m.to == ["so-admin@syt.example"]]
    assert len(to_admin) == 1 and "Trung tâm Y tế huyện An Phú (ttyt-an-phu)" in to_admin[0].body
    assert remind().emails == 0


def test_a_published_round_and_a_new_giai_trinh_are_mailed_once(workspace, client, mailoutbox):
    _addresses()
    inspector = login(client, "tham-dinh")
    inspector.post(
        "/don-vi/ttyt-an-phu/tham-dinh/",
        {"round": "appraisal_2", "code": "1.1.1", "points": "0", "reason": "Kế hoạch ký sau hạn"},
    )
    inspector.post("/don-vi/ttyt-an-phu/cong-bo/", {"round": "appraisal_2"})
    remind()  # also the giải trình imported with the examples: told once, now
    published = [m for m in mailoutbox if "Đã công bố kết quả thẩm định" in m.subject]
    assert [m.to for m in published] == [["ttyt-an-phu@syt.example"]]
    mailoutbox.clear()
    unit = login(Client(), "ttyt-an-phu")
    unit.post("/don-vi/ttyt-an-phu/giai-trinh/", {"code": "1.1.1", "text": "Kế hoạch ký 29/12/2025"})
    remind()
    assert len(mailoutbox) == 1 and "Giải trình mới" in mailoutbox[0].subject
    assert sorted(mailoutbox[0].to) == ["so-admin@syt.example", "tham-dinh@syt.example"]
    mailoutbox.clear()
    assert remind().emails == 0 and not mailoutbox


def test_cchc_remind_runs_on_a_data_folder(db, monkeypatch):
    from click.testing import CliRunner

    from cli import main

    result = CliRunner().invoke(main, ["remind"])
    assert result.exit_code == 0 and "Đã gửi 0 thư, 0 thông báo" in result.stderr
