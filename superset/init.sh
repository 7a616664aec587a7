#!/bin/bash
# Superset at start-up: metadata schema, admin user, the chitieu dashboard (exported as code
# in superset/assets) and the connection to the published marts (read-only role).
set -euo pipefail
superset db upgrade
superset fab create-admin --username admin --firstname Quản --lastname trị \
  --email admin@chitieu.local --password "${SUPERSET_ADMIN_PASSWORD}" || true
superset init
cd /app/chitieu/superset/assets
python -m zipfile -c /tmp/chitieu_dashboard.zip chitieu_dashboard/
superset import-dashboards --path /tmp/chitieu_dashboard.zip --username admin
# the export carries no password: set the real connection string from the environment
superset set-database-uri --database_name chitieu_warehouse --uri "${CHITIEU_DASHBOARD_URI}"
