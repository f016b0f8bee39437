"""The recovery schedule and simulation through Python: shapes, figures pinned in the Rust and C
suites, what-if comparison, the Gantt plot, and that simulation releases the GIL."""

from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import pytest

import bcm
import bcm.plot

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def agency() -> bcm.Model:
    return bcm.Model.load(ROOT / "examples" / "agency.yaml")


def test_schedule_has_the_published_shape_and_figures(agency: bcm.Model) -> None:
    s = agency.schedule(lose=["chelsea-dc"])
    d = s.to_dict()
    assert sorted(d) == ["functions", "makespan", "nodes", "waves"]
    payroll = next(f for f in d["functions"] if f["id"] == "payroll")
    assert payroll == {
        "id": "payroll",
        "up_at": 118800,
        "rto": 86400,
        "met": False,
        "breach": 32400,
        "mtd_met": True,
        "capacity_shortfall": True,
        "critical_path": ["hr-payroll-app"],
    }
    assert s.makespan == 604800 == d["makespan"]
    assert list(s.to_pandas()["id"])[:2] == ["audits-collections", "child-support-disbursement"]
    assert len(s.to_pandas("nodes")) == len(d["nodes"])


def test_a_schedule_outlives_its_model_object() -> None:
    # The result is written out when first read, from the model it keeps a reference to.
    s = bcm.Model.load(ROOT / "examples" / "agency.yaml").schedule(lose=["chelsea-dc"])
    gc.collect()
    assert s.makespan == 604800
    assert next(f for f in s.to_dict()["functions"] if f["id"] == "payroll")["up_at"] == 118800


def test_gantt_data_mermaid_and_plot(agency: bcm.Model) -> None:
    s = agency.schedule(lose=["chelsea-dc"])
    chart = s.gantt()
    assert {r["team"] for r in chart["restores"]} == {"app-team", "dba-team", "infra-team", None}
    assert s.to_mermaid("t").startswith("gantt\n    title t\n")
    ax = bcm.plot.gantt(s)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:4] == ["app-team", "dba-team", "infra-team", "no team"]
    assert "payroll" in labels


def test_what_if_raising_capacity(agency: bcm.Model) -> None:
    raised = agency.to_dict()
    for team in raised["teams"]:
        team["capacity"] = 9
    before = agency.schedule(lose=["chelsea-dc"])
    after = bcm.Model.from_dict(raised).schedule(lose=["chelsea-dc"])
    moved = {f["id"]: f for f in before.compare(after).to_dict()["functions"]}
    assert moved["payroll"]["before"] == 118800
    assert moved["payroll"]["delta"] < 0
    assert not any(f["capacity_shortfall"] for f in after.to_dict()["functions"])


def test_simulation_is_seeded_and_matches_the_published_shape(agency: bcm.Model) -> None:
    a = agency.simulate(lose=["chelsea-dc"], iterations=500, seed=1)
    b = agency.simulate(lose=["chelsea-dc"], iterations=500, seed=1)
    assert a.to_dict() == b.to_dict()
    d = a.to_dict()
    assert (d["iterations"], d["seed"]) == (500, 1)
    payroll = next(f for f in d["functions"] if f["id"] == "payroll")
    assert payroll["p_meet_rto"] == 0.0 and payroll["p_meet_mtd"] == 0.796
    assert payroll["p50"] <= payroll["p90"] <= payroll["p99"]
    assert 0.0 <= min(n["critical_share"] for n in d["nodes"])
    assert max(n["critical_share"] for n in d["nodes"]) <= 1.0


def test_unknown_units_raise_analysis_error(agency: bcm.Model) -> None:
    with pytest.raises(bcm.AnalysisError, match="'atlantis' is not an asset"):
        agency.schedule(lose=["atlantis"])
    with pytest.raises(bcm.AnalysisError):
        agency.simulate(lose=["atlantis"])
    with pytest.raises(OverflowError):
        agency.simulate(lose=["chelsea-dc"], iterations=-1)


def test_simulation_releases_the_gil(agency: bcm.Model) -> None:
    ticks = 0
    done = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    start = time.perf_counter()
    agency.simulate(lose=["chelsea-dc"], iterations=20_000, seed=2)
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    # The counter thread ran while the simulation did (it would be starved if the GIL were held).
    assert ticks >= max(3, int(elapsed * 1000 * 0.2)), (ticks, elapsed)
