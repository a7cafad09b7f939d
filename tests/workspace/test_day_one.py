"""Issue 32, what a Sở hits on its first day: dates day first in the admin site, the admin site's
own styles served by the app, a sample fraction written the Vietnamese way."""

import datetime as dt

from django.utils import timezone

from tests.workspace.conftest import login


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
