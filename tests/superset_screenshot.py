"""Log in to a running Superset as a reader would, open the dashboard and save a screenshot.

Run with the Python of Superset's own virtual environment (it ships Selenium), driving the
system's Chromium through its chromedriver (Debian: chromium-driver); nothing is downloaded.

    python tests/superset_screenshot.py BASE_URL USER PASSWORD OUT.png MAP.png

OUT.png is the whole dashboard; MAP.png the map chart's drawing alone; the legend's box
within it is printed as JSON.
"""

from __future__ import annotations

import json
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
        both = "contains(., 'chỉ tiêu trở lên') and contains(., 'Chưa có kết luận')"
        legend = holder.find_element(By.XPATH, f".//*[{both} and not(*[{both}])]")  # the smallest box
        x, y = legend.rect["x"] - canvas.rect["x"], legend.rect["y"] - canvas.rect["y"]
        print(json.dumps({"legend": [x, y, x + legend.rect["width"], y + legend.rect["height"]]}))
        errors = driver.find_elements(By.CSS_SELECTOR, ".alert-danger, .ant-alert-error")
        if errors:
            raise SystemExit("a chart shows an error: " + " | ".join(e.text for e in errors)[:2000])
    finally:
        driver.quit()


if __name__ == "__main__":
    main(*sys.argv[1:6])
