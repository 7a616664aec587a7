# Airflow 3 with chitieu installed from its lock file (same versions as `make setup`).
FROM apache/airflow:3.3.2-python3.11
USER root
RUN apt-get update && apt-get install -y --no-install-recommends chromium && rm -rf /var/lib/apt/lists/*
USER airflow
COPY --chown=airflow:root pyproject.toml uv.lock README.md /opt/chitieu/
COPY --chown=airflow:root ingest /opt/chitieu/ingest
COPY --chown=airflow:root dbt_project /opt/chitieu/dbt_project
COPY --chown=airflow:root expectations /opt/chitieu/expectations
RUN pip install --no-cache-dir uv==0.13.9 \
 && cd /opt/chitieu \
 && uv export --frozen --no-dev --no-hashes --no-emit-project -o /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt "apache-airflow-providers-celery" \
 && pip install --no-cache-dir --no-deps -e /opt/chitieu
ENV PYTHONPATH=/opt/chitieu
