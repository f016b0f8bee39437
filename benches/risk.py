"""Risk benchmark (issue 19): 100 risks x 100,000 simulated years, bcm against pyfair and a
numpy-vectorised compound-Poisson model of the same risks, in one run on one machine.

Each risk has a PERT frequency (events a year) and a PERT loss per event. pyfair draws one
frequency and one magnitude per year and multiplies them (no compounding: less work than the
model); numpy and bcm draw the year's rate, a Poisson count, and one loss per event. Run with
`make bench-risk`; prints the times and the ratios.
"""

from __future__ import annotations

import os

# OpenBLAS's idle threads spin and would take CPU from whatever is timed next; the numpy model
# uses no BLAS routine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import random
import sys
import time
from typing import Any

import numpy as np

import bcm

RISKS = 100
YEARS = 100_000


def risks(seed: int = 1) -> list[dict[str, float]]:
    rng = random.Random(seed)
    out = []
    for _ in range(RISKS):
        f_likely = rng.uniform(0.05, 2.0)
        l_likely = rng.uniform(1e4, 1e6)
        out.append(
            {
                "f_min": f_likely * rng.uniform(0.2, 0.8),
                "f_likely": f_likely,
                "f_max": f_likely * rng.uniform(1.5, 5.0),
                "l_min": l_likely * rng.uniform(0.1, 0.8),
                "l_likely": l_likely,
                "l_max": l_likely * rng.uniform(2.0, 10.0),
            }
        )
    return out


def bcm_model(rs: list[dict[str, float]]) -> bcm.Model:
    doc: dict[str, Any] = {
        "bcm": 1,
        "assets": [{"id": "a", "kind": "data"}],
        "threats": [
            {"id": f"t{i}", "frequency": {"min": r["f_min"], "likely": r["f_likely"], "max": r["f_max"]}}
            for i, r in enumerate(rs)
        ],
        "risks": [
            {
                "id": f"r{i}",
                "asset": "a",
                "threat": f"t{i}",
                "loss": {"min": r["l_min"], "likely": r["l_likely"], "max": r["l_max"]},
            }
            for i, r in enumerate(rs)
        ],
    }
    return bcm.Model.from_dict(doc)


def pert(gen: np.random.Generator, a: float, m: float, b: float, size: int) -> np.ndarray:
    alpha = 1 + 4 * (m - a) / (b - a)
    beta = 1 + 4 * (b - m) / (b - a)
    return a + (b - a) * gen.beta(alpha, beta, size)


def numpy_model(rs: list[dict[str, float]]) -> np.ndarray:
    gen = np.random.default_rng(1)
    total = np.zeros(YEARS)
    for r in rs:
        rate = pert(gen, r["f_min"], r["f_likely"], r["f_max"], YEARS)
        counts = gen.poisson(rate)
        losses = pert(gen, r["l_min"], r["l_likely"], r["l_max"], int(counts.sum()))
        year = np.repeat(np.arange(YEARS), counts)
        total += np.bincount(year, weights=losses, minlength=YEARS)
    return total


def pyfair_model(rs: list[dict[str, float]]) -> float:
    from pyfair import FairModel

    total = 0.0
    for i, r in enumerate(rs):
        m = FairModel(name=f"r{i}", n_simulations=YEARS)
        m.input_data("Loss Event Frequency", low=r["f_min"], mode=r["f_likely"], high=r["f_max"])
        m.input_data("Loss Magnitude", low=r["l_min"], mode=r["l_likely"], high=r["l_max"])
        m.calculate_all()
        total += float(m.export_results()["Risk"].mean())
    return total


REPEAT = 3


def timed(label: str, f: Any) -> tuple[float, Any]:
    """The best of REPEAT runs, for every contender alike: the 2-core machine's speed wanders by
    a tenth from one run to the next."""
    times = []
    result = None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = f()
        times.append(time.perf_counter() - start)
    print(f"{label:<40} {min(times):8.3f} s  (runs: {', '.join(f'{t:.3f}' for t in times)})", flush=True)
    return min(times), result


def main() -> int:
    rs = risks()
    model = bcm_model(rs)
    closed = sum((r["f_min"] + 4 * r["f_likely"] + r["f_max"]) / 6 * (r["l_min"] + 4 * r["l_likely"] + r["l_max"]) / 6 for r in rs)
    print(f"{RISKS} risks x {YEARS} years; closed-form portfolio ALE {closed:,.0f}")
    model.threads = 1
    t_bcm1, r1 = timed("bcm, 1 thread", lambda: model.risk(iterations=YEARS, seed=1))
    model.threads = 2
    t_bcm2, r2 = timed("bcm, 2 threads", lambda: model.risk(iterations=YEARS, seed=1))
    assert r1.to_dict() == r2.to_dict(), "thread count changed the result"
    t_np, total = timed("numpy compound Poisson", lambda: numpy_model(rs))
    t_fair, fair_mean = timed("pyfair (frequency x magnitude)", lambda: pyfair_model(rs))
    bcm_mean = r1.to_dict()["portfolio"]["inherent"]["mean"]
    print(f"portfolio mean: bcm {bcm_mean:,.0f}, numpy {total.mean():,.0f}, pyfair {fair_mean:,.0f}")
    print(f"ratios (bar: >= 10x pyfair, >= 2x numpy): pyfair/bcm {t_fair / t_bcm1:.1f}x (1 thread), "
          f"{t_fair / t_bcm2:.1f}x (2 threads); numpy/bcm {t_np / t_bcm1:.1f}x (1 thread), {t_np / t_bcm2:.1f}x (2 threads)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
