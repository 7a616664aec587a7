"""Log in to a running Superset as a reader would, open the dashboard and save a screenshot.

Run with the Python of Superset's own virtual environment (it ships Selenium), driving the
system's Chromium through its chromedriver (Debian: chromium-driver); nothing is downloaded.

    python tests/superset_screenshot.py BASE_URL USER PASSWORD OUT.png MAP.png

OUT.png is the whole dashboard; MAP.png the map chart's drawing alone. Printed as JSON: the
legend's box within MAP.png, and for every chart the filters its last data request carried
(read from Chromium's network log), which shows what the dashboard's filters reached.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

CHARTS = 8  # the charts of superset/assets/chitieu_dashboard/dashboards/chitieu.yaml
MAP_TITLE = "Bản đồ các xã"


def main(base: str, user: str, password: str, out: str, map_out: str) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=1400,3000",
        "--force-device-scale-factor=1",
        "--hide-scrollbars",
        "--use-angle=swiftshader",  # WebGL for the map without a GPU
        "--enable-unsafe-swiftshader",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})  # the network log
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    try:
        wait = WebDriverWait(driver, 180)
        driver.get(f"{base}/login/")
        wait.until(ready.presence_of_element_located((By.ID, "username"))).send_keys(user)
        driver.find_element(By.ID, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "input[type=submit], button[type=submit]").click()
        wait.until(lambda d: "/login" not in d.current_url)
        driver.get(f"{base}/superset/dashboard/chitieu/?standalone=1")
        # every chart has rendered: its holder is on the page and no spinner is left
        wait.until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, ".dashboard-component-chart-holder")) >= CHARTS
        )
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".loading, .ant-skeleton"))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "canvas"))  # the map's WebGL layer
        time.sleep(5)  # the map's layer draws after its data
        driver.save_screenshot(out)
        holder = driver.find_element(
            By.XPATH,
            "//div[contains(@class, 'dashboard-component-chart-holder')]"
            f"[.//*[contains(text(), '{MAP_TITLE}')]]",
        )
        canvas = holder.find_elements(By.CSS_SELECTOR, "canvas")[-1]  # deck.gl's layer
        canvas.screenshot(map_out)
        # the legend lies over the canvas: where, so that its coloured keys are not taken for dots
        legend = holder.find_element(By.XPATH, ".//ul[li//span[text()='◼']]")  # its keys are squares
        x, y = legend.rect["x"] - canvas.rect["x"], legend.rect["y"] - canvas.rect["y"]
        box = [x, y, x + legend.rect["width"], y + legend.rect["height"]]
        print(json.dumps({"legend": box, "chart_filters": chart_filters(driver)}, ensure_ascii=False))
        errors = driver.find_elements(By.CSS_SELECTOR, ".alert-danger, .ant-alert-error")
        if errors:
            raise SystemExit("a chart shows an error: " + " | ".join(e.text for e in errors)[:2000])
    finally:
        driver.quit()


def chart_filters(driver) -> dict[str, list]:
    """slice id -> the dashboard filters (extra_form_data) of its last data request. Charts
    ask /api/v1/chart/data with JSON; the map (a legacy deck.gl chart) /superset/explore_json/
    with its form data in a multipart body."""
    found: dict[str, list] = {}
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] != "Network.requestWillBeSent":
            continue
        request = message["params"]["request"]
        body = request.get("postData") or ""
        if "/api/v1/chart/data" in request["url"] and body.startswith("{"):
            form_data = json.loads(body).get("form_data", {})
        elif "/superset/explore_json/" in request["url"] and "form_data" in body:
            form_data = json.loads(re.search(r"\r?\n\r?\n(\{.*\})\r?\n", body, re.S).group(1))
        else:
            continue
        if form_data.get("slice_id"):
            found[str(form_data["slice_id"])] = form_data.get("extra_form_data", {}).get("filters", [])
    return found


if __name__ == "__main__":
    main(*sys.argv[1:6])
