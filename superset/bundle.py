"""Zip superset/assets into the bundle `superset import-dashboards` reads, with the real
connection string of the marts in the database file.

The exported database file masks its password (XXXXXXXXXX), and Superset refuses to import
a masked password ("Must provide a password for the database"). The real URI comes from
the environment (CHITIEU_DASHBOARD_URI: the read-only BI login) and is written only into
the temporary bundle, never into the repository. Standard library only: it runs in the
Superset image's Python.

    python superset/bundle.py /tmp/chitieu_dashboard.zip
"""

from __future__ import annotations

import json
import os
import sys
import zipfile
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
BUNDLE = "chitieu_dashboard"


def build(out: Path, uri: str) -> Path:
    if "XXXXXXXXXX" in uri:
        raise SystemExit("CHITIEU_DASHBOARD_URI must carry the real password, not the mask")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted((ASSETS / BUNDLE).rglob("*.yaml")):
            text = path.read_text("utf-8")
            if path.parent.name == "charts":
                text = with_query_context(text)
            if path.parent.name == "databases":
                lines = text.splitlines()
                # a JSON string is a valid YAML scalar: the URI is quoted whatever it holds
                lines = [
                    f"sqlalchemy_uri: {json.dumps(uri)}" if line.startswith("sqlalchemy_uri:") else line
                    for line in lines
                ]
                text = "\n".join(lines) + "\n"
            bundle.writestr(str(path.relative_to(ASSETS)), text)
    return out


def query_context(params: dict) -> dict:
    """The query a chart runs, as Superset's explore view saves it beside the chart's
    params: what its data API (/api/v1/chart/<id>/data), caches and reports need. Built
    from the params so that the two cannot disagree (the import fills in the dataset)."""
    filters = [
        {"col": f["subject"], "op": f["operator"], "val": f["comparator"]}
        for f in params.get("adhoc_filters", [])
        if f.get("expressionType") == "SIMPLE"
    ]
    query: dict = {"filters": filters, "extras": {}, "row_limit": params.get("row_limit", 10000)}
    if params.get("viz_type", "").startswith("deck_"):  # a map: one row per point, no metric
        spatial = params["spatial"]
        query["columns"] = [spatial["latCol"], spatial["lonCol"], params["dimension"], *params["js_columns"]]
    elif params.get("query_mode") == "raw":
        query["columns"] = params["all_columns"]
        query["orderby"] = [json.loads(o) for o in params.get("order_by_cols", [])]
    else:
        metrics = params.get("metrics") or [params["metric"]]
        query["columns"] = ([params["x_axis"]] if "x_axis" in params else []) + params.get("groupby", [])
        query["metrics"] = metrics
        query["orderby"] = [[metrics[0], False]]
    return {
        "datasource": {"id": 0, "type": "table"},
        "force": False,
        "queries": [query],
        "form_data": params,
        "result_format": "json",
        "result_type": "full",
    }


def with_query_context(chart_yaml: str) -> str:
    """The chart's file with `query_context` filled from its one-line JSON `params`."""
    lines = chart_yaml.splitlines()
    params = next(json.loads(x.split(":", 1)[1]) for x in lines if x.startswith("params:"))
    context = json.dumps(json.dumps(query_context(params)))  # a JSON string in a YAML scalar
    return (
        "\n".join(f"query_context: {context}" if x.startswith("query_context:") else x for x in lines) + "\n"
    )


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/chitieu_dashboard.zip")
    print(build(target, os.environ["CHITIEU_DASHBOARD_URI"]))
