"""One real browser (headless Chromium through Selenium and Debian's chromedriver) against the
workspace on a live server: a unit enters evidence, uploads a file and sees its index; an inspector
appraises a criterion with a reason and sees the appraised index. Screenshots are saved."""

import os
import shutil

import pytest

from tests.workspace.conftest import PASSWORD

pytestmark = pytest.mark.skipif(
    shutil.which("chromedriver") is None and not os.environ.get("CI"),
    reason="Debian chromium-driver not installed here (.ci/run installs it)",
)


def click_and_wait(browser, css):
    """Click a submit button and wait for the next page (the form posts, then redirects)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 20)
    wait.until(lambda b: b.execute_script("return document.readyState") == "complete")
    page = browser.find_element(By.TAG_NAME, "html")
    browser.execute_script("arguments[0].click()", browser.find_element(By.CSS_SELECTOR, css))
    wait.until(expected_conditions.staleness_of(page))
    wait.until(lambda b: b.execute_script("return document.readyState") == "complete")


def sign_in(browser, base, name):
    from selenium.webdriver.common.by import By

    browser.get(base + "/dang-nhap/")
    browser.delete_all_cookies()  # signed out: the next load is the login page itself
    browser.get(base + "/dang-nhap/")
    browser.find_element(By.ID, "username").send_keys(name)
    browser.find_element(By.ID, "password").send_keys(PASSWORD)
    click_and_wait(browser, "button[type=submit]")


def test_a_unit_and_an_inspector_in_a_real_browser(workspace, live_server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    shots = os.environ.get("CCHC_SCREENSHOTS") or str(tmp_path)
    base = live_server.url
    sign_in(browser, base, "ttyt-an-phu")
    assert "63,82/73,5" in browser.find_element(By.ID, "facts").text
    plan = browser.find_element(By.ID, "cchc_plan")  # the plan's số ký hiệu: cleared, so 1.1.1 is lost
    plan.clear()
    browser.find_element(By.CSS_SELECTOR, "input[name='cchc_plan.date']").clear()
    click_and_wait(browser, "#evidence button[type=submit]")
    problems = browser.find_elements(By.ID, "problems")
    assert "Đã lưu và chấm lại điểm." in browser.find_element(By.CLASS_NAME, "messages").text, problems[0].text
    assert "62,82/73,5" in browser.find_element(By.ID, "facts").text  # 1.1.1 was worth 1 point
    pdf = tmp_path / "ke-hoach.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%%EOF\n")
    browser.find_element(By.CSS_SELECTOR, "#upload input[type=file]").send_keys(str(pdf))
    click_and_wait(browser, "#upload button")
    assert "ke-hoach.pdf" in browser.find_element(By.ID, "attachments").text
    browser.save_screenshot(os.path.join(shots, "web-unit.png"))

    sign_in(browser, base, "tham-dinh")
    browser.get(browser.find_element(By.LINK_TEXT, "Trung tâm Y tế huyện An Phú").get_attribute("href"))
    row = browser.find_element(By.ID, "tc-1.4.1")  # the inspector appraises on the criterion's own row
    row.find_element(By.TAG_NAME, "summary").click()
    Select(row.find_element(By.NAME, "round")).select_by_value("appraisal_1")
    row.find_element(By.NAME, "points").send_keys("0")
    row.find_element(By.NAME, "reason").send_keys("Không có sản phẩm tuyên truyền lưu trữ")
    click_and_wait(browser, "#tc-1\\.4\\.1 form button")
    facts = browser.find_element(By.ID, "facts").text
    # the self-score now 62,82; the bundled appraisal takes 8 points, this one 1.4.1's 1 more
    assert "Kết quả thẩm định 53,82/73,5 điểm" in facts
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-code='1.4.1']").text
    assert "Không có sản phẩm tuyên truyền lưu trữ" in row
    browser.save_screenshot(os.path.join(shots, "web-inspector.png"))


def test_pages_fit_a_phone_without_sideways_scrolling(workspace, live_server, browser, tmp_path):
    """390 px wide (a phone): the unit's page and the Sở's dashboard never scroll sideways; wide
    tables scroll inside themselves."""
    shots = os.environ.get("CCHC_SCREENSHOTS") or str(tmp_path)
    browser.set_window_size(390, 1200)
    inner = browser.execute_script("return window.innerWidth")
    for name, path in (("ttyt-an-phu", "/don-vi/ttyt-an-phu/"), ("so-admin", "/so/")):
        sign_in(browser, live_server.url, name)
        browser.get(live_server.url + path)
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= inner, (path, width, inner)
        browser.save_screenshot(os.path.join(shots, f"web-phone-{name}.png"))
