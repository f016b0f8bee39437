"""Risk through Python: the register, the portfolio, DataFrames and plots on the example."""

from pathlib import Path

import pytest

import bcm


@pytest.fixture
def agency(agency_path: Path) -> bcm.Model:
    return bcm.Model.load(agency_path)


def test_register_and_portfolio(agency: bcm.Model) -> None:
    r = agency.risk(iterations=4000, seed=3)
    d = r.to_dict()
    assert list(d) == ["iterations", "seed", "currency", "register", "portfolio", "heat_map"]
    assert (d["iterations"], d["seed"], d["currency"]) == (4000, 3, "USD")
    first = d["register"][0]
    # Ransomware on the tax database: rate PERT(0.05, 0.2, 1) has mean 1.85/6 = 0.308333; loss
    # PERT(200k, 1.5M, 9M) has mean 2,533,333.33; ALE 781,111.11. EDR halves the rate, backups
    # remove 60% of the loss: residual 781,111.11 × 0.5 × 0.4 = 156,222.22.
    assert first["id"] == "r-ransomware-tax"
    assert first["losses"]["ale_inherent"] == pytest.approx(781_111.111111, rel=1e-9)
    assert first["losses"]["ale_residual"] == pytest.approx(156_222.222222, rel=1e-9)
    assert [c["name"] for c in first["controls"]] == ["immutable backups", "endpoint detection and response"]
    # The same seed gives the same years, on any number of threads.
    agency.threads = 1
    assert agency.risk(iterations=4000, seed=3).to_dict() == d
    with pytest.raises(ValueError, match="is more than"):
        agency.risk(iterations=2_000_000_000)
    with pytest.raises(ValueError, match="risk matrix /bands"):
        agency.risk(iterations=10, matrix={"likelihood": [1], "impact": [1], "bands": [{"label": "x", "max_score": 2}]})


def test_dataframes_and_plots(agency: bcm.Model) -> None:
    pytest.importorskip("pandas")
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import bcm.plot

    r = agency.risk(iterations=2000)
    register = r.to_pandas()
    assert list(register.columns)[:4] == ["id", "kind", "asset", "threat"]
    assert len(register) == 7  # five risks, two scenarios
    curve = r.to_pandas("curve")
    assert set(curve["which"]) == {"inherent", "residual"}
    heat = r.to_pandas("heat_map")
    assert len(heat) == 25 and heat["count"].sum() == 7
    ax = bcm.plot.loss_exceedance(r)
    assert ax.get_xscale() == "log"
    ax = bcm.plot.heatmap(r)
    assert any("r-ransomware-tax" in t.get_text() for t in ax.texts)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["low", "medium", "high", "critical"]
