"""Every file the code and the docs cite exists: a reader who follows a reference finds it."""

import re

from ingest.config import PROJECT_DIR

TOP = ("ingest", "dbt_project", "docs", "tests", "dags", "expectations", "superset", "docker", "bench")
IN_DBT = ("models", "macros", "seeds")  # cited relative to dbt_project/
FOLDERS = "|".join(TOP + IN_DBT)
CITED = re.compile(rf"(?<![\w/.-])((?:{FOLDERS})/[\w./-]*\w\.(?:py|sql|yml|yaml|md|json|csv|sh|txt))")
SOURCES = [
    "README.md",
    "docs/*.md",
    "ingest/**/*.py",
    "dags/*.py",
    "tests/*.py",
    "dbt_project/**/*.sql",
    "dbt_project/**/*.yml",
    "dbt_project/**/*.md",
    "Makefile",
    "docker-compose.yml",
]


def cited_paths():
    for pattern in SOURCES:
        for source in sorted(PROJECT_DIR.glob(pattern)):
            if "target" in source.parts or "/.venv/" in str(source):
                continue
            for match in CITED.finditer(source.read_text("utf-8")):
                yield source.relative_to(PROJECT_DIR).as_posix(), match.group(1)


def exists(cited: str) -> bool:
    if "*" in cited or "<" in cited:
        return True
    candidates = [PROJECT_DIR / cited, PROJECT_DIR / "dbt_project" / cited]
    folder, name = cited.split("/")[0], cited.split("/")[-1]
    if folder in IN_DBT:  # a model may be cited without its subfolder
        candidates += list((PROJECT_DIR / "dbt_project").glob(f"{folder}/**/{name}"))
    return any(p.exists() for p in candidates)


def test_every_cited_file_exists():
    missing = sorted({(source, cited) for source, cited in cited_paths() if not exists(cited)})
    assert missing == []


def test_the_citations_are_found():
    """The scan is not empty: it finds the references this project is known to make."""
    cited = {c for _, c in cited_paths()}
    assert {"docs/domain.md", "ingest/transform/freshness.py", "dbt_project/seeds/indicators.csv"} <= cited


# -- functions named in the docs ------------------------------------------------------
NAMED = re.compile(r"`(?:ingest\.)?([a-z_]+(?:\.[A-Za-z_]+)+)(?:\(\))?`")
FILE_SUFFIXES = {"py", "sql", "md", "yml", "yaml", "json", "csv", "txt", "sh", "toml", "parquet", "duckdb"}
DOCS = ["README.md", "docs/*.md", "dags/*.py"]


def _modules() -> dict[str, str]:
    """Every ingest module by the names a reader uses for it: `load.batches`, `batches`."""
    import pkgutil

    import ingest

    names: dict[str, str] = {}
    for info in pkgutil.walk_packages(ingest.__path__, "ingest."):
        if ".sample" in info.name:
            continue
        dotted = info.name.removeprefix("ingest.")
        names[dotted] = info.name
        names.setdefault(dotted.rsplit(".", 1)[-1], info.name)
    return names


def named_functions():
    modules = _modules()
    for pattern in DOCS:
        for source in sorted(PROJECT_DIR.glob(pattern)):
            for match in NAMED.finditer(source.read_text("utf-8")):
                parts = match.group(1).split(".")
                if parts[-1] in FILE_SUFFIXES:
                    continue
                for cut in range(len(parts) - 1, 0, -1):
                    module = ".".join(parts[:cut])
                    if module in modules:
                        yield source.relative_to(PROJECT_DIR).as_posix(), modules[module], parts[cut:]
                        break


def test_every_function_the_docs_name_exists():
    import importlib

    missing = []
    for source, module, attributes in named_functions():
        target = importlib.import_module(module)
        for name in attributes:
            target = getattr(target, name, None)
        if target is None:
            missing.append((source, f"{module}.{'.'.join(attributes)}"))
    assert sorted(set(missing)) == []


def test_the_named_functions_are_found():
    named = {(m, ".".join(a)) for _, m, a in named_functions()}
    assert ("ingest.pipeline", "parse_batch") in named
    assert len(named) > 30
