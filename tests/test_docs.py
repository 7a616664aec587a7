"""dbt docs: every mart and every column described; exposures for the dashboard and the report."""

import json

import pytest

from ingest.transform.dbt_build import run_dbt

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def docs(demo_run):
    paths, _ = demo_run
    result = run_dbt(paths, "docs generate")
    assert result.success, result.failures
    target = paths.root / "dbt" / "target"
    return (
        json.loads((target / "manifest.json").read_text("utf-8")),
        json.loads((target / "catalog.json").read_text("utf-8")),
        target,
    )


def test_every_mart_and_column_is_described(docs):
    manifest, catalog, target = docs
    marts = {k: v for k, v in manifest["nodes"].items() if k.startswith("model.") and v["schema"] == "marts"}
    assert len(marts) >= 15
    for unique_id, node in marts.items():
        assert node["description"].strip(), f"{node['name']} has no description"
        actual = catalog["nodes"][unique_id]["columns"]
        undocumented = [c for c in actual if not node["columns"].get(c, {}).get("description")]
        assert undocumented == [], f"{node['name']}: {undocumented}"
        assert all("**" in node["columns"][c]["description"] for c in actual)  # Vietnamese label
    assert (target / "index.html").exists()


def test_exposures_for_the_dashboard_and_the_report(docs):
    manifest, _, _ = docs
    exposures = {v["name"]: v for v in manifest["exposures"].values()}
    assert exposures["superset_chitieu_dashboard"]["type"] == "dashboard"
    assert exposures["html_scorecard_report"]["type"] == "analysis"
    assert any(
        "fct_target_achievement_district" in n
        for n in exposures["superset_chitieu_dashboard"]["depends_on"]["nodes"]
    )
