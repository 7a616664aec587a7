"""Which periods a build redoes (ingest/transform/partitions.py), on hand-made states."""

from ingest.transform import partitions

BEFORE = {"2023-2024|giua_nam": "3:11", "2023-2024|cuoi_nam": "3:12", "2024-2025|dau_nam": "2:13"}


def test_nothing_changed_rebuilds_nothing():
    state = {"partitions": BEFORE, "other": "x"}
    assert partitions.plan_build(state, state) == []


def test_a_correction_rebuilds_its_period_only():
    now = {**BEFORE, "2023-2024|giua_nam": "4:99"}
    assert partitions.plan_build({"partitions": BEFORE, "other": "x"}, {"partitions": now, "other": "x"}) == [
        "2023-2024|giua_nam"
    ]


def test_an_end_of_year_change_rebuilds_the_next_year_too():
    """2024-2025's transition to grade 6 divides by 2023-2024's grade-5 completers, and its
    start-of-year warning by the change from start to end in 2023-2024."""
    before = {**BEFORE, "2024-2025|cuoi_nam": "1:1"}
    now = {**before, "2023-2024|cuoi_nam": "4:99"}
    assert partitions.plan_build({"partitions": before, "other": "x"}, {"partitions": now, "other": "x"}) == [
        "2023-2024|cuoi_nam",
        "2024-2025|cuoi_nam",
        "2024-2025|dau_nam",
    ]


def test_an_interim_change_rebuilds_the_warnings_of_the_three_years_after():
    """A mid-year warning draws on the unit's three previous mid-years (and their ends)."""
    years = ["2020-2021", "2021-2022", "2022-2023", "2023-2024", "2024-2025"]
    before = {f"{y}|{p}": "1:1" for y in years for p in ("dau_nam", "giua_nam", "cuoi_nam")}
    now = {**before, "2020-2021|giua_nam": "2:2"}
    assert partitions.plan_build({"partitions": before, "other": "x"}, {"partitions": now, "other": "x"}) == [
        "2020-2021|giua_nam",
        "2021-2022|giua_nam",
        "2022-2023|giua_nam",
        "2023-2024|giua_nam",
    ]


def test_a_new_period_is_built():
    now = {**BEFORE, "2025-2026|dau_nam": "1:5"}
    assert partitions.plan_build({"partitions": BEFORE, "other": "x"}, {"partitions": now, "other": "x"}) == [
        "2025-2026|dau_nam"
    ]


def test_any_other_input_or_no_state_means_a_full_build():
    assert (
        partitions.plan_build({"partitions": BEFORE, "other": "x"}, {"partitions": BEFORE, "other": "y"})
        is None
    )
    assert partitions.plan_build(None, {"partitions": BEFORE, "other": "x"}) is None
    assert partitions.plan_build({"other": "x"}, {"partitions": BEFORE, "other": "x"}) is None


def test_a_reports_only_build_leaves_out_only_what_the_full_build_digest_watches():
    """After a build of the changed partitions only, dbt runs what reads the report sources
    (dbt_build.downstream_of_reports). Every other raw source must be one whose change
    forces a full build (partitions._OTHER): a new source left out of both would never be
    rebuilt."""
    import yaml

    from ingest.config import PROJECT_DIR
    from ingest.transform.dbt_build import REPORT_SOURCES

    sources = yaml.safe_load(
        (PROJECT_DIR / "dbt_project/models/staging/reports/_reports__sources.yml").read_text("utf-8")
    )
    (raw,) = [s for s in sources["sources"] if s["name"] == "raw"]
    names = {t["name"] for t in raw["tables"]}
    assert set(REPORT_SOURCES) <= names
    watched = " ".join(partitions._OTHER)
    for name in names - set(REPORT_SOURCES):
        # the administrative units are watched through their loading record (admin_units_meta)
        table = "admin_units_meta" if name.startswith("admin_") else name
        assert f"raw.{table}" in watched, name
