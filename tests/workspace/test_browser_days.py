"""Issue 32: each role's day in a real browser (headless Chromium), screenshots saved
(CCHC_SCREENSHOTS=folder keeps them): a unit from login to submission and a giải trình with a file;
an inspector appraising in place and publishing; the Sở's admin setting a deadline typed day first,
drawing a sample with "0,4" and seeing every unit ranked with its marks."""

import datetime as dt
import os

from django.utils import timezone

from tests.workspace.test_browser import click_and_wait, pytestmark, sign_in  # noqa: F401  (pytestmark: skip without chromedriver)
from web.models import Assessment, Publication, Submission

SHOTS = os.environ.get("CCHC_SCREENSHOTS")


def shot(browser, tmp_path, name):
    browser.save_screenshot(os.path.join(SHOTS or str(tmp_path), f"day-{name}.png"))


def test_a_units_day(workspace, live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base = live_server.url
    sign_in(browser, base, "ttyt-an-phu")
    field = browser.find_element(By.NAME, "initiatives")
    field.clear()
    field.send_keys("2")
    click_and_wait(browser, "#evidence button[type=submit]")
    assert "Đã lưu" in browser.find_element(By.CLASS_NAME, "messages").text
    browser.execute_script("window.confirm = () => true")  # the "Nộp hồ sơ?" question, answered yes
    click_and_wait(browser, "form[action$='/nop/'] button")
    assert "đã nộp" in browser.find_element(By.TAG_NAME, "main").text
    assert Submission.objects.get(unit__code="ttyt-an-phu").submitted_at is not None
    pdf = tmp_path / "bo-sung.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    form = browser.find_element(By.ID, "explain-form")
    form.find_element(By.NAME, "text").send_keys("Kế hoạch đã ký ngày 29/12/2025, gửi kèm bản chụp")
    form.find_element(By.NAME, "file").send_keys(str(pdf))
    click_and_wait(browser, "#explain-form button")
    assert "Đã ghi giải trình" in browser.find_element(By.CLASS_NAME, "messages").text
    assert "bo-sung.pdf" in browser.find_element(By.ID, "attachments").text
    shot(browser, tmp_path, "unit")


def test_an_inspectors_day(workspace, live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base = live_server.url
    sign_in(browser, base, "tham-dinh")
    assert "đã chấm" in browser.find_element(By.ID, "assigned").text
    browser.get(base + "/don-vi/ttyt-an-phu/")
    row = browser.find_element(By.ID, "tc-1.1.1")
    row.find_element(By.TAG_NAME, "summary").click()
    Select(row.find_element(By.NAME, "round")).select_by_value("appraisal_2")
    row.find_element(By.NAME, "points").send_keys("0,5")
    row.find_element(By.NAME, "reason").send_keys("Kế hoạch ban hành chậm")
    click_and_wait(browser, "#tc-1\\.1\\.1 form button")
    assert "Đã ghi điểm thẩm định tiêu chí 1.1.1" in browser.find_element(By.CLASS_NAME, "messages").text
    Select(browser.find_element(By.CSS_SELECTOR, "#publish-form select")).select_by_value("appraisal_2")
    click_and_wait(browser, "#publish-form button")
    assert Publication.objects.filter(unit__code="ttyt-an-phu", round="appraisal_2").exists()
    shot(browser, tmp_path, "inspector")


def test_an_admins_day(workspace, live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    base = live_server.url
    sign_in(browser, base, "so-admin")
    browser.get(f"{base}/admin/web/assessment/{workspace.pk}/change/")
    day = browser.find_element(By.NAME, "deadline_0")
    day.clear()
    day.send_keys("01/12/2026")
    hour = browser.find_element(By.NAME, "deadline_1")
    hour.clear()
    hour.send_keys("17:00")
    click_and_wait(browser, "input[name='_save']")
    deadline = timezone.localtime(Assessment.objects.get(pk=workspace.pk).deadline)
    assert deadline.replace(tzinfo=None) == dt.datetime(2026, 12, 1, 17, 0)  # 1 December, not 12 January
    browser.get(base + "/so/")
    browser.find_element(By.NAME, "seed").send_keys("35")
    fraction = browser.find_element(By.NAME, "fraction")
    fraction.clear()
    fraction.send_keys("0,4")
    click_and_wait(browser, "form[action$='/rut-mau/'] button")
    assert "Đã rút mẫu 4/10 đơn vị" in browser.find_element(By.CLASS_NAME, "messages").text
    ranked = {
        r.get_attribute("data-unit") for r in browser.find_elements(By.CSS_SELECTOR, "table.ranking tr[data-unit]")
    }
    assert len(ranked) == 10  # every unit, scored or not
    shot(browser, tmp_path, "admin")
    browser.set_window_size(390, 1200)
    browser.get(base + "/so/")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= browser.execute_script(
        "return window.innerWidth"
    )
    shot(browser, tmp_path, "admin-phone")
