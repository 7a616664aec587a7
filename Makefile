# chitieu — every target bootstraps what it needs from a fresh clone (Python 3.11 + pip).
SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo "$(PYTHON) -m uv")
export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export UV_PYTHON ?= 3.11

.PHONY: setup demo run test test-fast lint docs publish report bench clean

.venv/.installed: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(UV) sync --frozen --compile-bytecode  # bytecode at install: imports stay fast where PYTHONDONTWRITEBYTECODE is set
	@touch $@

setup: .venv/.installed  ## install the locked environment into .venv
	@$(UV) run --frozen python -m compileall -q ingest dags >/dev/null  # every process of a run imports them

demo: setup  ## sample data for huyện Phong Thổ -> the real Airflow DAG -> the district scorecard
	$(UV) run --frozen chitieu demo

run: setup  ## load data/landing into data/warehouse (CHITIEU_LANDING / CHITIEU_WAREHOUSE)
	$(UV) run --frozen chitieu run

test: setup  ## every test, the slow end-to-end ones included
	@command -v chromium >/dev/null || echo "note: Chromium missing (apt-get install chromium): the report test will be skipped"
	@$(UV) run --frozen python -m compileall -q ingest dags tests >/dev/null  # the subprocesses' imports
	$(UV) run --frozen pytest -q -n 2 --dist loadscope --no-loadscope-reorder --durations=15

test-fast: setup  ## the tests that take seconds
	@$(UV) run --frozen python -m compileall -q ingest dags tests >/dev/null
	$(UV) run --frozen pytest -q -n 2 --dist loadscope --no-loadscope-reorder -m "not slow"

publish: setup  ## publish the marts of data/warehouse (snapshot, Parquet, PostgreSQL if CHITIEU_PG_DSN)
	$(UV) run --frozen chitieu publish

report: setup  ## HTML scorecards per district and province from the published snapshot
	$(UV) run --frozen chitieu report

docs: setup  ## dbt docs for the demo warehouse (run `make demo` first)
	CHITIEU_WAREHOUSE=$(CURDIR)/data/demo/warehouse/chitieu.duckdb $(UV) run --frozen dbt docs generate \
	  --project-dir dbt_project --profiles-dir dbt_project --target-path $(CURDIR)/data/demo/warehouse/dbt/target

bench: setup  ## the national benchmark (P0-P5); writes bench/results/*.json (15-45 min)
	CHITIEU_PG_DSN=$${CHITIEU_PG_DSN:-postgresql://postgres@127.0.0.1:5432/chitieu_bench} \
	  $(UV) run --frozen python -c "import psycopg; c = psycopg.connect('postgresql://postgres@127.0.0.1:5432/postgres', autocommit=True); c.execute('create database chitieu_bench') if not c.execute(\"select 1 from pg_database where datname = 'chitieu_bench'\").fetchone() else None" ; \
	CHITIEU_PG_DSN=$${CHITIEU_PG_DSN:-postgresql://postgres@127.0.0.1:5432/chitieu_bench} $(UV) run --frozen chitieu bench

lint: setup  ## ruff (rules and format) on the Python, sqlfluff on the dbt models
	$(UV) run --frozen ruff check ingest dags tests
	$(UV) run --frozen ruff format --check ingest dags tests
	@mkdir -p data/lint/chitieu/marts
	CHITIEU_WAREHOUSE=$(CURDIR)/data/lint/chitieu.duckdb $(UV) run --frozen sqlfluff lint dbt_project/models

clean:
	rm -rf data .airflow .pytest_cache dbt_project/target dbt_project/logs
