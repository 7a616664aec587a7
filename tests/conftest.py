import os
import sys
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
sys.path.insert(0, str(Path(__file__).parent))

import uuid  # noqa: E402

import pytest  # noqa: E402

ADMIN_DSN = os.environ.get("CHITIEU_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def _with_database(dsn: str, database: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    return make_conninfo(**{**conninfo_to_dict(dsn), "dbname": database})


@pytest.fixture(scope="module")
def pg_database():
    """A fresh PostgreSQL database for the module (dropped after), or a skip when there is no
    server — except in CI, where a missing server is a failure."""
    import psycopg

    try:
        admin = psycopg.connect(ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI ({ADMIN_DSN}): {exc}")
        pytest.skip(f"no PostgreSQL server at {ADMIN_DSN} (set CHITIEU_TEST_PG_DSN)")
    name = f"chitieu_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'create database "{name}"')
    try:
        yield _with_database(ADMIN_DSN, name)
    finally:
        admin.execute(f'drop database "{name}" with (force)')
        admin.close()
