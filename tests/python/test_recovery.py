"""The recovery schedule and simulation through Python: shapes, figures pinned in the Rust and C
suites, what-if comparison, the Gantt plot, and that simulation releases the GIL."""

from __future__ import annotations

import gc
import json
import multiprocessing
import pickle
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
    # Every restore is a labelled bar, and bars on one row never overlap in time.
    texts = {t.get_text().strip() for t in ax.texts}
    assert {r["id"] for r in chart["restores"]} <= texts
    bars: dict[float, list[tuple[float, float]]] = {}
    for patch in ax.patches:
        bars.setdefault(round(patch.get_y(), 6), []).append((patch.get_x(), patch.get_x() + patch.get_width()))
    assert len(bars) > 4 + 1  # the no-team lane alone needs several sub-rows at t = 0
    for spans in bars.values():
        spans.sort()
        assert all(a[1] <= b[0] + 1e-9 for a, b in zip(spans, spans[1:])), spans
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["restore", "function back within its RTO", "function breaching its RTO", "RTO"]


def test_gantt_sub_rows_are_interval_partitioning() -> None:
    from bcm.plot import _sub_rows

    restores = [
        {"start": 0, "end": 10},
        {"start": 0, "end": 5},
        {"start": 5, "end": 8},
        {"start": 9, "end": 12},
        {"start": 2, "end": 3},
    ]
    # Start order: (0,5)→0, (0,10)→1, (2,3)→2, (5,8)→0 (free at 5), (9,12)→0.
    assert _sub_rows(restores) == [1, 0, 0, 0, 2]
    # With labels: "ab" needs 3 characters of 2 s: (0,1) holds its row until 6.
    labelled = [{"id": "ab", "start": 0, "end": 1}, {"id": "ab", "start": 4, "end": 5}, {"id": "ab", "start": 6, "end": 7}]
    assert _sub_rows(labelled, 2.0) == [0, 1, 0]


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


def _tally_of(path: str, start: int, end: int) -> bcm.SimulationTally:
    """A worker's share of the simulation, run in another process."""
    return bcm.Model.load(path).simulate_range(["chelsea-dc"], start, end, seed=1)


def test_tallies_from_other_processes_merge_to_the_whole_run(agency: bcm.Model) -> None:
    path = str(Path(__file__).resolve().parents[2] / "examples" / "agency.yaml")
    ranges = [(0, 123), (123, 400), (400, 500)]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        tallies = pool.starmap(_tally_of, [(path, a, b) for a, b in ranges])
    merged = tallies[2].merge(tallies[0]).merge(tallies[1])
    assert (merged.iterations, merged.seed) == (500, 1)
    whole = agency.simulate(lose=["chelsea-dc"], iterations=500, seed=1)
    assert merged.result().to_dict() == whole.to_dict()
    assert merged == agency.simulate_range(["chelsea-dc"], 0, 500, seed=1)
    # The same figure as the published one above, from three workers.
    payroll = next(f for f in merged.result().to_dict()["functions"] if f["id"] == "payroll")
    assert payroll["p_meet_mtd"] == 0.796


def test_a_tally_travels_as_json_and_refuses_contradictions(agency: bcm.Model) -> None:
    tally = agency.simulate_range(["chelsea-dc"], 0, 50, seed=3)
    text = tally.to_json()
    assert bcm.SimulationTally.from_json(text) == tally
    assert pickle.loads(pickle.dumps(tally)) == tally
    data = json.loads(text)
    payroll = next(k for k, f in enumerate(data["functions"]) if f["id"] == "payroll")
    data["functions"][payroll]["met_mtd"] += 1
    with pytest.raises(bcm.AnalysisError, match=f"at /functions/{payroll}/met_mtd: "):
        bcm.SimulationTally.from_json(json.dumps(data))
    with pytest.raises(bcm.AnalysisError, match="not a simulation tally"):
        bcm.SimulationTally.from_json("{}")


def test_tallies_of_other_simulations_do_not_merge(agency: bcm.Model) -> None:
    a = agency.simulate_range(["chelsea-dc"], 0, 10, seed=1)
    with pytest.raises(bcm.AnalysisError, match="the seeds differ"):
        a.merge(agency.simulate_range(["chelsea-dc"], 10, 20, seed=2))
    with pytest.raises(bcm.AnalysisError, match="the scenarios differ"):
        a.merge(agency.simulate_range(["boston-hq"], 10, 20, seed=1))
    with pytest.raises(ValueError, match=r"end \(5\) is before start \(10\)"):
        agency.simulate_range(["chelsea-dc"], 10, 5)
    # A tally merged with itself (or with shared iterations) would count them twice.
    with pytest.raises(bcm.AnalysisError, match="both count iterations 0 to 10"):
        a.merge(a)
    with pytest.raises(bcm.AnalysisError, match="both count iterations 5 to 10"):
        a.merge(agency.simulate_range(["chelsea-dc"], 5, 20, seed=1))
    assert agency.simulate_range(["chelsea-dc"], 7, 7).iterations == 0


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


def test_iteration_counts_above_the_limit_raise_instead_of_killing_the_interpreter(agency: bcm.Model) -> None:
    # 10**12 iterations used to make the interpreter die allocating the list of chunks.
    with pytest.raises(ValueError, match="1000000000000 iterations is more than the 1000000000 one call runs"):
        agency.simulate(lose=["chelsea-dc"], iterations=10**12)
    with pytest.raises(ValueError, match="iterations is more than"):
        agency.simulate_range(["chelsea-dc"], 0, 2**64 - 1)
    with pytest.raises(ValueError, match="4000000000 iterations is more than"):
        agency.availability(iterations=4_000_000_000)


def test_dataframe_times_are_timedeltas(agency_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    m = bcm.Model.load(agency_path)
    df = m.schedule(lose="chelsea-dc").to_pandas().set_index("id")
    # payroll is back at 118,800 s (pinned above): 1 day 9 hours, and a notebook shows it so.
    assert df.loc["payroll", "up_at"] == pd.Timedelta(seconds=118_800)
    assert str(df.loc["payroll", "up_at"]) == "1 days 09:00:00"
    assert str(df["rto"].dtype).startswith("timedelta64")
    nodes = m.schedule(lose="chelsea-dc").to_pandas("nodes").set_index("id")
    # A node the loss does not reach has no times: NaT, not NaN.
    assert nodes["down_at"].isna().any()
    assert str(nodes["down_at"].dtype).startswith("timedelta64")
    sim = m.simulate(lose="chelsea-dc", iterations=200, seed=1).to_pandas()
    assert str(sim["p90"].dtype).startswith("timedelta64")
    assert sim["p_meet_rto"].dtype == float


def test_progress_callback_sees_the_simulation_and_can_stop_it() -> None:
    import time

    m = bcm.Model.load("examples/agency.yaml")
    seen: list[tuple[str, int, int]] = []

    def record(stage: str, done: int, total: int) -> None:
        seen.append((stage, done, total))
        time.sleep(0.01)

    m.progress = record
    assert m.progress is record
    m.simulate("chelsea-dc", iterations=200_000, seed=1)
    assert seen, "called while the simulation ran"
    assert {s for s, _, _ in seen} == {"recovery simulation"}
    assert all(t == 200_000 and 0 <= d <= t for _, d, t in seen)
    assert [d for _, d, _ in seen] == sorted(d for _, d, _ in seen)

    class Stop(Exception):
        pass

    def stop(stage: str, done: int, total: int) -> None:
        raise Stop(stage)

    m.progress = stop
    with pytest.raises(Stop, match="recovery simulation"):
        m.simulate("chelsea-dc", iterations=2_000_000, seed=1)
    m.progress = None
    assert m.simulate("chelsea-dc", iterations=100, seed=1).to_dict()["iterations"] == 100
    with pytest.raises(TypeError, match="callable"):
        m.progress = 3  # type: ignore[assignment]


def test_tqdm_progress_draws_a_bar_per_stage() -> None:
    import io

    pytest.importorskip("tqdm")
    out = io.StringIO()
    update = bcm.tqdm_progress(file=out)
    update("recovery simulation", 5, 10)
    update("recovery simulation", 10, 10)
    assert "recovery simulation" in out.getvalue() and "10/10" in out.getvalue()
