"""The dependency analyses through Python, hand-checked on the example."""

from pathlib import Path

import pytest

import bcm


@pytest.fixture
def agency(agency_path: Path) -> bcm.Model:
    return bcm.Model.load(agency_path)


def test_objectives(agency: bcm.Model) -> None:
    r = agency.objectives()
    nodes = {n["id"]: n for n in r.to_dict()["nodes"]}
    assert len(nodes) == 78
    # payroll: RTO 1d − 2h resume → hr-payroll-app by 22h; − 3h restore → hr-db by 19h.
    assert nodes["hr-db"] == {"id": "hr-db", "kind": "asset", "required": 19 * 3600, "required_rpo": 4 * 3600, "gaps": []}
    assert nodes["email"]["gaps"] == ["G-RTO"]
    assert nodes["dc-power"]["gaps"] == ["G-FAILOVER"]
    df = r.to_pandas()
    assert list(df.columns) == ["id", "kind", "required", "required_rpo", "gaps"]
    assert len(df) == 78
    assert repr(r) == "<bcm.Objectives: 78 nodes>"


def test_objectives_gaps_carry_their_figures(agency: bcm.Model) -> None:
    pd = pytest.importorskip("pandas")
    gaps = agency.objectives().to_pandas("gaps")
    assert list(gaps.columns) == ["id", "kind", "gap", "required", "achievable"]
    by_gap = gaps.set_index(["id", "gap"])
    # The ledger needs a 15m RPO and is backed up every 4h; email must be back within 7h and
    # restores in 8h; the DC power pair's switchover is longer than the time it has.
    assert by_gap.loc[("accounting-db", "G-RPO"), "required"] == pd.Timedelta(minutes=15)
    assert by_gap.loc[("accounting-db", "G-RPO"), "achievable"] == pd.Timedelta(hours=4)
    assert by_gap.loc[("email", "G-RTO"), "required"] == pd.Timedelta(hours=7)
    assert by_gap.loc[("email", "G-RTO"), "achievable"] == pd.Timedelta(hours=8)
    assert ("dc-power", "G-FAILOVER") in by_gap.index
    # Exactly one row per code in the nodes table.
    assert len(gaps) == sum(len(n["gaps"]) for n in agency.objectives().to_dict()["nodes"])


def test_impact(agency: bcm.Model) -> None:
    r = agency.impact(lose=["acme-cloud"], at="1d")
    d = r.to_dict()
    assert [(f["id"], f["down_at"]) for f in d["functions"]] == [
        ("audits-collections", 0),
        ("child-support-enforcement", 86400),
        ("local-services", 259200),
        ("online-services", 86400),
        ("payroll", 86400),
        ("public-communications", 0),
        ("tax-processing", 0),
    ]
    assert d["totals"] == {"financial": 100000.0, "operational": 2.0, "regulatory": 0.0, "reputational": 2.0}
    df = r.to_pandas()
    assert list(df.columns) == ["id", "down_at", "financial", "operational", "regulatory", "reputational"]
    assert df.set_index("id").loc["tax-processing", "financial"] == 100000.0
    never = agency.impact(lose=["acme-cloud"]).to_dict()
    assert never["totals"]["financial"] > d["totals"]["financial"]


def test_impact_errors(agency: bcm.Model) -> None:
    with pytest.raises(bcm.AnalysisError, match="'atlantis' is not an asset, group, site or vendor"):
        agency.impact(lose=["atlantis"])
    assert issubclass(bcm.AnalysisError, bcm.BcmError)
    with pytest.raises(ValueError, match="not a duration"):
        agency.impact(lose=["acme-cloud"], at="a while")
    # One ID is a scenario too (issue 17: it used to raise "Can't extract `str` to `Vec`").
    assert agency.impact(lose="acme-cloud").to_dict() == agency.impact(lose=["acme-cloud"]).to_dict()
    with pytest.raises(TypeError):
        agency.impact(lose=[1, 2])  # type: ignore[list-item]


def test_spof(agency: bcm.Model) -> None:
    r = agency.spof()
    d = r.to_dict()
    assert d["coverage"] == {"critical": 6, "without_spof": 0, "with_realtime_failover": 0}
    payroll = next(f for f in d["functions"] if f["id"] == "payroll")
    assert payroll["spofs"] == ["chelsea-dc", "hr-db", "hr-payroll-app", "san"]
    units = r.to_pandas("units")
    assert list(units.columns) == ["id", "takes_down"]
    assert len(units) == 61
    with pytest.raises(ValueError, match='no table "coverage"'):
        r.to_pandas("coverage")


def test_availability(agency: bcm.Model) -> None:
    r = agency.availability(iterations=1000, seed=1)
    nodes = {n["id"]: n for n in r.to_dict()["nodes"]}
    utility, generator = 4380 / 4384, 8760 / 8772
    assert nodes["dc-power"]["availability"] == pytest.approx(1 - (1 - utility) * (1 - generator), abs=1e-15)
    assert nodes["dc-power"]["method"] == "exact"
    assert r.to_pandas().shape == (78, 5)
    assert "<table" in r._repr_html_()


def test_spof_pairs_and_polars_tables() -> None:
    """The long (function, unit) table, and the same tables in polars with typed columns."""
    import polars as pl

    m = bcm.Model.load("examples/agency.yaml")
    spof = m.spof()
    pairs = spof.to_pandas("pairs")
    assert list(pairs.columns) == ["function", "unit"]
    by_function = {f["id"]: f["spofs"] for f in spof.to_dict()["functions"]}
    assert len(pairs) == sum(len(v) for v in by_function.values())
    assert sorted(pairs[pairs.function == "payroll"].unit) == by_function["payroll"]
    frame = spof.to_polars("pairs")
    assert frame.columns == ["function", "unit"] and frame.height == len(pairs)
    s = m.schedule("chelsea-dc").to_polars()
    assert s.schema["up_at"] == pl.Duration("us")
    payroll = s.filter(pl.col("id") == "payroll").row(0, named=True)
    assert payroll["up_at"].total_seconds() == m.schedule("chelsea-dc").to_dict()["functions"][
        [f["id"] for f in m.schedule("chelsea-dc").to_dict()["functions"]].index("payroll")
    ]["up_at"]
    c = m.currency(at="2026-07-01").to_polars()
    assert c.schema["due"] == pl.Date
