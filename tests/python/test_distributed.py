"""The simulation on a distributed engine (issue 21): a Dask LocalCluster of worker processes
runs disjoint iteration ranges through ``Model.simulate_range``; the tallies travel back (they
pickle) and ``SimulationTally.merge`` folds them into exactly the single-process result."""

from functools import reduce
from pathlib import Path

import pytest

import bcm

distributed = pytest.importorskip("distributed")


def simulate_part(path: str, lose: str, start: int, end: int, seed: int) -> bcm.SimulationTally:
    # Runs in a worker process: each loads the model itself (a path travels, not the model).
    import bcm as worker_bcm

    return worker_bcm.Model.load(path).simulate_range(lose, start, end, seed=seed)


def test_a_dask_cluster_gives_the_single_process_result(agency_path: Path) -> None:
    iterations, parts, seed = 4_000, 8, 7
    bounds = [(i * iterations // parts, (i + 1) * iterations // parts) for i in range(parts)]
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        futures = [
            client.submit(simulate_part, str(agency_path), "chelsea-dc", a, b, seed, pure=False)
            for a, b in bounds
        ]
        tallies = client.gather(futures)
    merged = reduce(lambda a, b: a.merge(b), tallies)
    single = bcm.Model.load(agency_path).simulate("chelsea-dc", iterations=iterations, seed=seed)
    assert merged.result().to_dict() == single.to_dict()
    assert merged.result().to_dict()["iterations"] == iterations
