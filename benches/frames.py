"""DataFrames bench (issue 21): every table of every result of a generated estate as a pandas
DataFrame, against the analysis that made the result, in one run on one machine.

The bar: `to_pandas()` of every result of `large`, SPOF pairs included, costs less than the
analysis itself. Each analysis is timed twice on a model just loaded ("fresh": the first
analysis also builds the dependency graph) and twice on a model whose graph another analysis
built ("warm": the analysis alone, the stricter baseline); each table's conversion three times.
Best runs kept. Run with `make bench-frames` (which generates `large`); prints one line per
table and the worst ratio against the warm analysis, and exits 1 when that misses the bar.
"""

from __future__ import annotations

import os

# OpenBLAS's idle threads spin and would take CPU from whatever is timed next.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
import time
from typing import Any, Callable

import bcm

ANALYSES: dict[str, Callable[[bcm.Model], Any]] = {
    "objectives": lambda m: m.objectives(),
    "spof": lambda m: m.spof(),
    "impact": lambda m: m.impact(lose="site00"),
    "schedule": lambda m: m.schedule(lose="site00"),
    "simulate": lambda m: m.simulate(lose="site00", iterations=100),
    "availability": lambda m: m.availability(),
    "currency": lambda m: m.currency(at="2026-07-01"),
    "conformance": lambda m: m.conformance(at="2026-07-01"),
    "maturity": lambda m: m.maturity(at="2026-07-01"),
    "risk": lambda m: m.risk(iterations=10_000),
}
# Tables a result adds to the lists of its JSON shape.
EXTRA_TABLES = {"objectives": ["gaps"], "spof": ["pairs"], "risk": ["register", "curve", "heat_map"]}


def timed(f: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = f()
    return time.perf_counter() - start, value


def main(path: str) -> int:
    worst = ("", 0.0)
    print(f"{'result':13} {'table':13} {'rows':>7} {'fresh s':>8} {'warm s':>8} {'pandas s':>9} {'/warm':>6}")
    for name, analysis in ANALYSES.items():
        fresh, warm = [], []
        result: Any = None
        for _ in range(2):
            m = bcm.Model.load(path)
            seconds, _ = timed(lambda: analysis(m))
            fresh.append(seconds)
            m = bcm.Model.load(path)
            m.impact(lose="site01")  # builds the dependency graph
            seconds, result = timed(lambda: analysis(m))
            warm.append(seconds)
        d = result.to_dict()
        tables = [k for k in d if name != "risk" and isinstance(d[k], list) and d[k] and isinstance(d[k][0], dict)]
        for table in tables + EXTRA_TABLES.get(name, []):
            best = min(timed(lambda: result.to_pandas(table))[0] for _ in range(3))
            rows = len(result.to_pandas(table))
            ratio = best / min(warm)
            if ratio > worst[1]:
                worst = (f"{name}.{table}", ratio)
            print(f"{name:13} {table:13} {rows:7} {min(fresh):8.3f} {min(warm):8.3f} {best:9.3f} {ratio:6.2f}")
    print(f"worst: {worst[0]} at {worst[1]:.2f}x the warm analysis (bar: under 1x)")
    return 1 if worst[1] >= 1 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "benches/data/large.json"))
