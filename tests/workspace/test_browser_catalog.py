"""The criteria editor in a real browser: the Sở admin uploads its annex, sees what is still to
decide beside each criterion, edits one (its maximum and its tiers), and sees it saved and checked.
Screenshots are saved (CCHC_SCREENSHOTS)."""

import os
import shutil

import pytest

from tests.annex.build import write_docx
from tests.workspace.test_browser import click_and_wait, sign_in

pytestmark = pytest.mark.skipif(
    shutil.which("chromedriver") is None and not os.environ.get("CI"),
    reason="Debian chromium-driver not installed here (.ci/run installs it)",
)


def test_the_admin_reviews_an_imported_annex(workspace, live_server, browser, tmp_path, settings):
    from selenium.webdriver.common.by import By

    settings.DATA = tmp_path / "data"
    shots = os.environ.get("CCHC_SCREENSHOTS") or str(tmp_path)
    base = live_server.url
    sign_in(browser, base, "so-admin")
    browser.get(base + "/so/bo-tieu-chi/")
    browser.find_element(By.CSS_SELECTOR, "#catalog-upload input[type=file]").send_keys(
        str(write_docx(tmp_path / "phu-luc-2025.docx"))
    )
    click_and_wait(browser, "#catalog-upload button[type=submit]")
    assert "Còn 11 việc cần quyết định" in browser.find_element(By.ID, "to-decide").text
    row = browser.find_element(By.ID, "c-I.1.1")
    assert "on_time" in row.text and "(chưa xem lại)" in row.text and "đọc là năm trước" in row.text
    assert browser.find_element(By.CSS_SELECTOR, "#publish button").get_attribute("disabled")
    browser.save_screenshot(os.path.join(shots, "catalog-draft.png"))

    row.find_element(By.LINK_TEXT, "Sửa").click()
    assert "Ban hành kế hoạch CCHC năm của đơn vị" in browser.find_element(By.ID, "title").get_attribute("value")
    params = browser.find_element(By.ID, "params")
    assert "deadline: 31/12 năm trước" in params.get_attribute("value")
    params.clear()
    params.send_keys("field: ban_hanh_ke_hoach_cchc_don\ndeadline: 31/12 năm trước\npoints_late: 0.25\n")
    browser.save_screenshot(os.path.join(shots, "catalog-criterion.png"))
    click_and_wait(browser, "#criterion button[type=submit]")
    assert "Đã lưu tiêu chí I.1.1." in browser.find_element(By.CLASS_NAME, "messages").text
    row = browser.find_element(By.ID, "c-I.1.1")
    assert "(chưa xem lại)" not in row.text and "đọc là năm trước" not in row.text
    assert "Còn 9 việc cần quyết định" in browser.find_element(By.ID, "to-decide").text
    browser.save_screenshot(os.path.join(shots, "catalog-after-edit.png"))


def test_the_admin_sets_who_issues_the_reports(workspace, live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    shots = os.environ.get("CCHC_SCREENSHOTS") or str(tmp_path)
    sign_in(browser, live_server.url, "so-admin")
    browser.get(live_server.url + "/so/co-quan/")
    browser.find_element(By.ID, "parent").send_keys("UBND TỈNH AN BÌNH")
    browser.find_element(By.ID, "signer_name").send_keys("Nguyễn Văn A")
    click_and_wait(browser, "#organisation button[type=submit]")
    assert "Đã lưu thông tin cơ quan ban hành báo cáo." in browser.find_element(By.CLASS_NAME, "messages").text
    assert browser.find_element(By.ID, "parent").get_attribute("value") == "UBND TỈNH AN BÌNH"
    browser.save_screenshot(os.path.join(shots, "organisation.png"))
