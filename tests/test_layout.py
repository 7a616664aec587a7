"""The package reads as the pipeline: stage folders, short modules, pipeline.py only composes."""

import ast

from ingest.config import PROJECT_DIR

INGEST = PROJECT_DIR / "ingest"
STAGES = ["contract", "landing", "read", "validate", "load", "transform", "serve", "targets", "ops"]
LONG = 300


def test_the_folders_are_the_stages():
    folders = sorted(p.name for p in INGEST.iterdir() if (p / "__init__.py").exists())
    assert folders == sorted([*STAGES, "sample"])
    flat = sorted(p.name for p in INGEST.glob("*.py"))
    assert flat == ["__init__.py", "cli.py", "config.py", "pipeline.py", "summary.py"]


def test_a_long_module_says_why_at_its_top():
    for module in INGEST.rglob("*.py"):
        if "sample" in module.parts:
            continue
        text = module.read_text("utf-8")
        if text.count("\n") > LONG:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            assert "Long on purpose" in docstring, module.relative_to(PROJECT_DIR)


def test_pipeline_only_composes():
    """pipeline.py defines the DAG's tasks and `run` / `rebuild`; rules live in the stages."""
    tree = ast.parse((INGEST / "pipeline.py").read_text("utf-8"))
    defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
    assert defined <= {
        "refresh_admin_units",
        "marts_out_of_date",
        "build_marts",
        "publish",
        "run",
        "_run",
        "rebuild",
    }
    assert len((INGEST / "pipeline.py").read_text("utf-8").splitlines()) < 200


def test_every_dag_task_calls_a_pipeline_function():
    import re

    from ingest import pipeline

    dag = (PROJECT_DIR / "dags" / "chitieu_load.py").read_text("utf-8")
    called = set(re.findall(r"pipeline\.(\w+)\(", dag))
    assert called and all(hasattr(pipeline, name) for name in called)
