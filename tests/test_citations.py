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
    assert {"docs/domain.md", "ingest/freshness.py", "dbt_project/seeds/indicators.csv"} <= cited
