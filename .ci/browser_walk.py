"""A month on the desk in a real browser, as .ci/browser sets it up: people set their passwords
through their one-time links; a county clerk reports progress with a photo and a Word report; a
city sees which offices have not reported; the province accepts; the public objects on the
public notice page; the province dismisses the objection and the close-out job closes the task;
ops retries a failed job. Also: sign-in throttling, CSRF refusal, session expiry, the Secure
__Host- cookie behind TLS, and no horizontal scroll at 375 px on any page. Screenshots of every
page at 375 and 1280 px go to DESK_OUT."""
import io
import os
import re
import struct
import sys
import tempfile
import time
import zipfile
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

URL = os.environ["DESK_URL"]
OUT = os.environ["DESK_OUT"]
LINKS = {who: os.environ[f"DESK_LINK_{who.upper()}"] for who in ["county", "city", "province", "ops", "spare"]}
LOGINS = {"county": "sunli", "city": "qianlei", "province": "zhaomin", "ops": "oncall", "spare": "zhouqiang"}
PASSWORD = "Hebei-rectify-2026!"
FILES = tempfile.mkdtemp(prefix="rectify-browser-files-")
shots = 0


def fail(message):
    print(f"browser: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def expect(condition, message):
    if not condition:
        fail(message)


def browser():
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1280,900",
                     "--ignore-certificate-errors", "--lang=zh-CN"]:
        options.add_argument(argument)
    options.accept_insecure_certs = True
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(60)
    return driver


def shot(driver, name):
    """Screenshots the page at 375 and 1280 px; at 375 the page must not scroll sideways."""
    global shots
    for width in (375, 1280):
        driver.set_window_size(width, 900)
        time.sleep(0.2)
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        expect(scroll <= width, f"{name} scrolls sideways at {width} px ({scroll} px wide)")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height, 600), 6000))
        driver.save_screenshot(os.path.join(OUT, f"{name}-{width}.png"))
        shots += 1
    driver.set_window_size(1280, 900)


def submit(driver, button):
    """Clicks a button that sends a form, and waits for the page that answers."""
    driver.execute_script("window.__rectify_old_page = true")
    button.click()

    def answered(driver):
        try:
            return driver.execute_script("return !window.__rectify_old_page && document.readyState === 'complete'")
        except WebDriverException:
            return False
    WebDriverWait(driver, 60).until(answered)


def text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def sign_in(driver, who, password=PASSWORD):
    driver.get(URL + "/desk/signin")
    driver.find_element(By.NAME, "login").send_keys(LOGINS[who])
    driver.find_element(By.NAME, "password").send_keys(password)
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form button"))


def wait_for(driver, url, needle, seconds=90):
    deadline = time.time() + seconds
    while time.time() < deadline:
        driver.get(url)
        if needle in text(driver):
            return
        time.sleep(1)
    fail(f"{url} never showed {needle!r}")


def png(path):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    rows = b"".join(b"\x00" + bytes([160, 40, 40]) * 64 for _ in range(48))
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 48, 8, 2, 0, 0, 0)) \
        + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    open(path, "wb").write(data)
    return path


def docx(path, parts=("[Content_Types].xml", "word/document.xml")):
    with zipfile.ZipFile(path, "w") as package:
        for part in parts:
            package.writestr(part, "<?xml version='1.0'?><x/>")
    return path


# 1. Everyone sets a password through the one-time link.
setup = browser()
for who, link in LINKS.items():
    setup.get(link)
    if who == "county":
        shot(setup, "password-link")
    setup.find_element(By.NAME, "password").send_keys(PASSWORD)
    setup.find_element(By.NAME, "confirm").send_keys(PASSWORD)
    submit(setup, setup.find_element(By.CSS_SELECTOR, "form button"))
    expect("密码已设置" in text(setup), f"{who}: the password was not set: {text(setup)[:200]}")
setup.get(URL + "/desk/signin")
shot(setup, "signin")
setup.quit()

# 2. Five wrong passwords lock an account, and the page says until when.
thrower = browser()
for _ in range(5):
    sign_in(thrower, "spare", "not-the-password-1")
    expect("登录名或密码不正确" in text(thrower), "a wrong password is refused")
sign_in(thrower, "spare")
expect("已暂时锁定" in text(thrower), "the sixth attempt finds the account locked, even with the right password")
shot(thrower, "signin-locked")
thrower.quit()

# 3. The county clerk reports progress with a photo and a Word report.
county = browser()
sign_in(county, "county")
expect("/desk" in county.current_url and "我的整改任务" in text(county), "the county lands on its tasks")
cookie = next((c for c in county.get_cookies() if c["name"] == "__Host-rectify_session"), None)
expect(cookie is not None and cookie["secure"] and cookie["httpOnly"] and cookie["path"] == "/",
       f"the session cookie is Secure, HttpOnly and __Host- behind TLS: {county.get_cookies()}")
shot(county, "county-tasks")
task_url = None
for item in county.find_elements(By.CSS_SELECTOR, "ul.tasks > li"):
    badge = item.find_element(By.CSS_SELECTOR, ".badge").text
    if badge in ("正在推进", "未启动"):
        task_url = item.find_element(By.CSS_SELECTOR, "a.title").get_attribute("href")
        break
expect(task_url is not None, "the county has an unfinished task")
task_id = task_url.rsplit("/", 1)[1]
county.get(task_url)
title = county.find_element(By.TAG_NAME, "h1").text
shot(county, "county-task")
county.find_element(By.NAME, "evidence").send_keys(docx(os.path.join(FILES, "fake.docx"), parts=("notes.txt",)))
county.find_element(By.NAME, "summary").send_keys("test")
submit(county, county.find_element(By.CSS_SELECTOR, "#report button"))
expect("不是 PDF、JPEG、PNG、DOCX 或 XLSX" in text(county), "a ZIP that is no Word document is refused by its content")
county.get(task_url)
progress = county.find_element(By.NAME, "progress")
progress.clear()
progress.send_keys("100")
county.find_element(By.CSS_SELECTOR, "select[name=status] option[value=pending_acceptance]").click()
county.find_element(By.NAME, "summary").send_keys("散乱污企业已全部关停取缔，现场核查无反弹。\n附现场照片和整改报告。")
county.find_element(By.NAME, "evidence").send_keys(
    png(os.path.join(FILES, "现场照片.png")) + "\n" + docx(os.path.join(FILES, "整改报告.docx")))
submit(county, county.find_element(By.CSS_SELECTOR, "#report button"))
expect("进展已报送" in text(county), f"the progress was sent: {text(county)[:300]}")
wait_for(county, task_url, "待验收", 60)
expect("现场照片.png" in text(county) and "整改报告.docx" in text(county), "the task's page lists the evidence")
shot(county, "county-task-reported")
county.get(URL + "/desk/inbox")
shot(county, "county-inbox")
# A form whose token was tampered with is refused and changes nothing.
county.get(URL + "/desk")
county.execute_script("document.querySelector('header form input[name=csrf]').value = 'f'.repeat(64)")
submit(county, county.find_element(By.CSS_SELECTOR, "header form button"))
expect("表单已过期" in text(county), "a POST with a wrong CSRF token is refused")
county.get(URL + "/desk")
expect("我的整改任务" in text(county), "the refused sign-out left the session alone")

# 4. The city sees which offices below it have not reported this month.
city = browser()
sign_in(city, "city")
expect("本月未报送的单位" in text(city), "the city sees the offices that have not reported")
shot(city, "city-tasks")
city.quit()

# 5. The province accepts the task.
province = browser()
sign_in(province, "province")
province.get(URL + "/desk/overview")
expect(province.find_elements(By.CSS_SELECTOR, "svg.chart"), "the overview has its chart")
shot(province, "province-overview")
province.get(URL + "/desk/acceptance")
shot(province, "province-acceptance")
item = next(li for li in province.find_elements(By.CSS_SELECTOR, "ul.tasks > li") if title in li.text)
expect("现场照片.png" in item.text, "the acceptance queue shows the evidence")
submit(province, item.find_element(By.CSS_SELECTOR, "button[value=accept]"))
expect("已验收通过" in text(province), "accepted")
province.get(URL + "/desk/reports")
shot(province, "province-reports")
submit(province, province.find_element(By.CSS_SELECTOR, "ul.tasks a.title"))
shot(province, "province-report-document")

# 6. A member of the public objects during the notice.
public = browser()
public.get(URL + "/gongshi")
expect(title in text(public), "the accepted task is under public notice")
shot(public, "public-notice")
notice = next(li for li in public.find_elements(By.CSS_SELECTOR, "ul.tasks > li") if title in li.text)
notice.find_element(By.TAG_NAME, "summary").click()
notice.find_element(By.NAME, "name").send_keys("刘先生")
notice.find_element(By.NAME, "contact").send_keys("13800000000")
notice.find_element(By.NAME, "reason").send_keys("夜间仍见企业偷偷生产。")
submit(public, notice.find_element(By.CSS_SELECTOR, "form button"))
expect("异议已收到" in text(public), "the objection is received")
shot(public, "public-objection-received")
public.quit()

# 7. The province dismisses it with a reason; the close-out job closes the task.
province.get(URL + "/desk/notices")
shot(province, "province-notices")
card = next(div for div in province.find_elements(By.CSS_SELECTOR, ".card") if "刘先生" in div.text)
card.find_element(By.NAME, "reason").send_keys("经夜间突击检查，未发现生产行为。")
submit(province, card.find_element(By.CSS_SELECTOR, "button[value=dismiss]"))
expect("已处理" in text(province), "dismissed")
wait_for(province, URL + "/desk/tasks/" + task_id, "已销号", 120)
shot(province, "province-task-closed")
province.quit()

# 8. Ops retries the failed job.
ops = browser()
sign_in(ops, "ops")
expect("/ops" in ops.current_url, "ops lands on the ops page")
shot(ops, "ops")
submit(ops, ops.find_element(By.CSS_SELECTOR, "#failures a[href^='/ops/jobs/']"))
shot(ops, "ops-job")
submit(ops, ops.find_element(By.XPATH, "//button[text()='Retry now']"))
expect("notice=retried" in ops.current_url and "waiting to run again" in text(ops), "the job is retried")
ops.quit()

# 9. A session left idle longer than its idle time has ended.
time.sleep(27)
county.get(URL + "/desk")
expect("/desk/signin" in county.current_url, "an idle session ends")
county.quit()
print(f"browser: the walk passed; {shots} screenshots")
