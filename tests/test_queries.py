"""The analyst queries of docs/queries run on the demo warehouse and return rows."""

import duckdb
import pytest

from ingest import pipeline
from ingest.config import PROJECT_DIR, Paths
from ingest.sample.generate import generate_demo

QUERIES = sorted((PROJECT_DIR / "docs" / "queries").glob("*.sql"))


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    root = tmp_path_factory.mktemp("queries")
    paths = Paths.from_env(root / "landing", root / "wh" / "chitieu.duckdb")
    generate_demo(paths.landing)
    pipeline.run(paths)
    return paths


@pytest.mark.slow
@pytest.mark.parametrize("query", QUERIES, ids=[q.stem for q in QUERIES])
def test_query_runs_and_returns_rows(demo, query):
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        result = con.execute(query.read_text("utf-8")).fetchall()
    assert result


@pytest.mark.slow
def test_lam_dong_trend_spans_the_reform(demo):
    query = PROJECT_DIR / "docs" / "queries" / "01_lam_dong_dropout_trend_2025_boundaries.sql"
    with duckdb.connect(str(demo.warehouse), read_only=True) as con:
        result = con.execute(query.read_text("utf-8")).fetchall()
    assert [r[0] for r in result] == ["2022-2023", "2023-2024", "2024-2025", "2025-2026"]
    assert all(0 < r[3] < 2 for r in result)
