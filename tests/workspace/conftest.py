"""A workspace filled with the bundled examples, survey and appraisals, and one account per role."""

import shutil

import pytest
from django.contrib.auth.models import User

from tests.helpers import ROOT
from web.models import Assessment, Assignment, Unit
from web.store import add_user, import_paths

PASSWORD = "mat-khau-thu-123"


@pytest.fixture()
def workspace(db, settings, tmp_path):
    settings.FILES = tmp_path / "files"
    import_paths([ROOT / "examples"], "syt-2026", ROOT / "inspection" / "2026", ROOT / "surveys" / "2026.yaml")
    add_user("so-admin", "admin", PASSWORD)
    add_user("ttyt-an-phu", "unit", PASSWORD, "ttyt-an-phu")
    add_user("bv-dktinh", "unit", PASSWORD, "bv-dktinh")
    add_user("tham-dinh", "inspector", PASSWORD)
    assessment = Assessment.objects.get(year=2026)
    for code in ("ttyt-an-phu", "bv-ydct"):
        Assignment.objects.create(
            assessment=assessment, inspector=User.objects.get(username="tham-dinh"), unit=Unit.objects.get(code=code)
        )
    return assessment


def login(client, name):
    assert client.login(username=name, password=PASSWORD)
    return client


@pytest.fixture()
def browser(tmp_path):
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1300,1800",
        f"--user-data-dir={tmp_path / 'profile'}",
    ):
        options.add_argument(flag)
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    driver = webdriver.Chrome(service=webdriver.ChromeService(shutil.which("chromedriver")), options=options)
    driver.implicitly_wait(5)
    yield driver
    driver.quit()
