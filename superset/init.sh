#!/bin/bash
# Superset at start-up: metadata schema, admin user, and the chitieu dashboard (exported as
# code in superset/assets) with its connection to the published marts (read-only role).
# The connection string comes from CHITIEU_DASHBOARD_URI and goes only into a temporary
# bundle (superset/bundle.py), removed after the import. tests/test_superset.py runs this
# script on a fresh Superset of the version in superset/requirements.txt.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bundle="$(mktemp -d)/chitieu_dashboard.zip"
trap 'rm -rf "$(dirname "$bundle")"' EXIT
superset db upgrade
superset fab create-admin --username admin --firstname Quản --lastname trị \
  --email admin@chitieu.local --password "${SUPERSET_ADMIN_PASSWORD}" || true
superset init
python "$here/bundle.py" "$bundle"
superset import-dashboards --path "$bundle" --username admin
