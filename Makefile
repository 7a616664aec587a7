# chitieu — every target bootstraps what it needs from a fresh clone (Python 3.11 + pip).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export UV_PYTHON ?= 3.11

.PHONY: setup demo run test test-fast lint docs clean

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(UV) sync --frozen
	@touch $@

setup: .venv/.installed  ## install the locked environment into .venv

demo: setup  ## sample data for huyện Phong Thổ -> the real Airflow DAG -> the district scorecard
	$(UV) run --frozen chitieu demo

run: setup  ## load data/landing into data/warehouse (CHITIEU_LANDING / CHITIEU_WAREHOUSE)
	$(UV) run --frozen chitieu run

test: setup  ## every test, the slow end-to-end ones included
	$(UV) run --frozen pytest -q

test-fast: setup  ## the tests that take seconds
	$(UV) run --frozen pytest -q -m "not slow"

lint: setup
	$(UV) run --frozen ruff check ingest dags tests

clean:
	rm -rf data .airflow .pytest_cache dbt_project/target dbt_project/logs
