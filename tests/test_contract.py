"""The contract is declared once (ingest/contract/); every copy dbt or Superset needs is
written from it or bound to it here, so a change in one place cannot leave another behind."""

import csv
import re

import pytest
import yaml

from ingest.config import PROJECT_DIR
from ingest.contract import calendar, export
from ingest.contract.template import SCHOOL_LEVELS, SHEETS

DBT = PROJECT_DIR / "dbt_project"
FAMILIES = DBT / "models" / "intermediate" / "indicators" / "families"
DECLARED = re.compile(r"\{%\s*set indicator_codes\s*=\s*\[(.*?)\]\s*%\}", re.S)


@pytest.mark.parametrize("path", sorted(export.rendered()), ids=lambda p: p.name)
def test_the_files_written_from_the_contract_are_up_to_date(path):
    """Fails when ingest/contract/ changed and `python -m ingest.contract.export` was not run
    (or when someone edited the written file by hand)."""
    assert path.read_text("utf-8") == export.rendered()[path]


def test_every_report_sheet_field_reaches_its_staging_model():
    """The staging pivot of each sheet takes its columns from the contract, not a hand list."""
    for sheet in SHEETS:
        if sheet.kind == "general":
            continue
        model = (DBT / "models" / "staging" / "reports" / f"stg_reports__{sheet.kind}.sql").read_text("utf-8")
        assert f"pivot_report_sheet('{sheet.kind}')" in model, sheet.kind


def test_grade_sets_follow_the_stages():
    assert calendar.LEVEL_GRADES["thcs"] == {"lop_6", "lop_7", "lop_8", "lop_9"}
    assert calendar.LEVEL_GRADES["th_thcs"] == {f"lop_{n}" for n in range(1, 10)}
    assert calendar.PRESCHOOL == ("nha_tre", "mau_giao_3", "mau_giao_4", "mau_giao_5")
    assert set(calendar.LEVEL_GRADES) == set(SCHOOL_LEVELS.labels.values())


def _catalogue():
    with open(DBT / "seeds" / "indicators.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _declared_codes(model):
    match = DECLARED.search(model.read_text("utf-8"))
    assert match, f"{model.name} does not declare its indicator_codes"
    return set(re.findall(r"'(\w+)'", match.group(1)))


def test_each_family_model_names_exactly_the_indicators_the_catalogue_gives_it():
    """One model per family: every computed school-based indicator of the catalogue is named
    by exactly one family model, and a model names nothing else."""
    catalogue = [r for r in _catalogue() if r["base"] == "school" and r["computed"] == "true"]
    models = FAMILIES.glob("int_family_*.sql")
    named = {m.stem.removeprefix("int_family_"): _declared_codes(m) for m in models}
    everyone = [code for codes in named.values() for code in codes]
    assert sorted(everyone) == sorted(r["indicator_code"] for r in catalogue)
    for row in catalogue:
        model = next(m for m, codes in named.items() if row["indicator_code"] in codes)
        assert row["family"].startswith(model), (row["indicator_code"], row["family"], model)
        text = (FAMILIES / f"int_family_{model}.sql").read_text("utf-8")
        assert text.count(row["indicator_code"]) >= 1


def test_every_family_model_is_unioned():
    project = yaml.safe_load((DBT / "dbt_project.yml").read_text("utf-8"))
    listed = project["vars"]["school_indicator_families"]
    assert sorted(listed) == sorted(m.stem.removeprefix("int_family_") for m in FAMILIES.glob("*.sql"))
    assert len(listed) == len(set(listed))


def test_the_mid_year_projection_is_the_catalogue_s():
    projected = {
        r["indicator_code"]: r["mid_year_projection"] for r in _catalogue() if r["mid_year_projection"]
    }
    assert projected == {"th_dropout": "2", "thcs_dropout": "2"}
    model = (DBT / "models" / "intermediate" / "targets" / "int_target_achievement.sql").read_text("utf-8")
    assert "'dropout'" not in model  # no family is special-cased in the SQL any more


def test_superset_badges_use_the_contract_s_labels_and_colours():
    """The dashboard's datasets colour the status badge in SQL of their own: bound here."""
    datasets = sorted((PROJECT_DIR / "superset" / "assets").rglob("datasets/**/*.yaml"))
    badges = [d for d in datasets if "status_badge" in d.read_text("utf-8")]
    assert badges
    for dataset in badges:
        sql = yaml.safe_load(dataset.read_text("utf-8"))["sql"]
        colours = dict(re.findall(r"when '(\w+)' then '(#[0-9a-f]{6})'", sql))
        for status in calendar.STATUSES:
            if status.code in colours:
                assert colours[status.code] == status.colour, (dataset.name, status.code)
        assert set(colours) >= {"met", "not_met", "on_track", "at_risk"}, dataset.name


def test_the_period_order_is_one():
    assert list(calendar.PERIOD_ORDER) == ["dau_nam", "giua_nam", "cuoi_nam"]
    from ingest.load import warehouse

    assert warehouse.PERIOD_ORDER_SQL == calendar.period_order_sql("period")


def test_the_superset_map_colours_communes_as_the_report_s_map_does():
    """The dashboard's map buckets communes in SQL of its own and colours them in the
    dashboard's label colours: both bound here to the HTML report's buckets."""
    import json

    from ingest.serve.report_map import BUCKETS, NO_DATA

    assets = PROJECT_DIR / "superset" / "assets" / "chitieu_dashboard"
    dataset = assets / "datasets" / "chitieu_warehouse" / "ds_commune_map.yaml"
    sql = yaml.safe_load(dataset.read_text("utf-8"))["sql"]
    metadata = yaml.safe_load((assets / "dashboards" / "chitieu.yaml").read_text("utf-8"))["metadata"]
    colours = (metadata if isinstance(metadata, dict) else json.loads(metadata))["label_colors"]
    for floor, colour, label in BUCKETS:
        assert f"'{label}'" in sql and colours[label] == colour, label
        if floor:
            assert f">= {floor} then '{label}'" in sql, label
    assert f"'{NO_DATA[1]}'" in sql and colours[NO_DATA[1]] == NO_DATA[0]
