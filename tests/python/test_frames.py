"""Every table of every result as a DataFrame equals the plain reading of its JSON shape.

`to_pandas()` and `to_polars()` build their columns in Rust, straight from the result, with
numbers as numpy arrays; the oracle here builds the same table in Python from `to_dict()`, row
by row, the way the tables are documented: one row per element of a list, a mapping inside a
row flattened into columns, "id" first, times as Timedelta, dates as datetime64.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import bcm

pd = pytest.importorskip("pandas")

TIME_COLUMNS = {
    "required", "achievable", "required_rpo", "down_at", "start", "up_at", "slack", "rto",
    "breach", "mean", "p50", "p90", "p99", "annual_downtime",
}  # fmt: skip
DATE_COLUMNS = {"due", "last", "reviewed", "tested"}


def plain_frame(rows: list[dict[str, Any]]) -> Any:
    columns: dict[str, list[Any]] = {}
    for r, row in enumerate(rows):
        cells: list[tuple[str, Any]] = []
        for key, value in row.items():
            if isinstance(value, dict):
                cells.extend(value.items())
            else:
                cells.append((key, value))
        for key, value in cells:
            column = columns.setdefault(key, [None] * r)
            if len(column) == r:
                column.append(value)
        for column in columns.values():
            column.extend([None] * (r + 1 - len(column)))
    names = sorted(columns, key=lambda c: c != "id")
    df = pd.DataFrame({n: columns[n] for n in names}, columns=names)
    for name in names:
        if name in TIME_COLUMNS:
            df[name] = pd.to_timedelta(df[name], unit="s")
        elif name in DATE_COLUMNS:
            df[name] = pd.to_datetime(df[name]).astype("datetime64[s]")
    return df


def results(m: bcm.Model, lose: str) -> dict[str, Any]:
    return {
        "objectives": m.objectives(),
        "spof": m.spof(),
        "impact": m.impact(lose=lose),
        "schedule": m.schedule(lose=lose),
        "simulate": m.simulate(lose=lose, iterations=50, seed=3),
        "availability": m.availability(iterations=200),
        "currency": m.currency(at="2026-07-01"),
        "conformance": m.conformance(at="2026-07-01"),
        "maturity": m.maturity(at="2026-07-01"),
    }


def tables_of(result: Any) -> dict[str, list[dict[str, Any]]]:
    d = result.to_dict()
    return {k: v for k, v in d.items() if isinstance(v, list) and all(isinstance(x, dict) for x in v)}


@pytest.mark.parametrize(
    ("model", "lose", "tables"),
    [
        ("examples/agency.yaml", "chelsea-dc", 15),
        ("examples/conformant-agency.yaml", "main-office", 13),
        ("examples/small-report.yaml", "hq", 14),
    ],
)
def test_every_table_equals_the_plain_reading(root: Path, model: str, lose: str, tables: int) -> None:
    m = bcm.Model.load(root / model)
    checked = 0
    for name, result in results(m, lose).items():
        for table, rows in tables_of(result).items():
            got = result.to_pandas(table)
            want = plain_frame(rows)
            if rows:
                pd.testing.assert_frame_equal(got, want, obj=f"{name}.{table}")
                checked += 1
            else:
                assert len(got) == 0
    assert checked == tables


def test_numbers_are_typed_and_gaps_are_nan_in_pandas_and_null_in_polars(agency_path: Path) -> None:
    m = bcm.Model.load(agency_path)
    nodes = m.schedule(lose="chelsea-dc").to_pandas("nodes")
    assert nodes["up_at"].dtype.kind == "m"
    # Nodes never affected have no times: NaT, not zero.
    assert nodes["down_at"].isna().any()
    assert not nodes["down_at"].dropna().lt(pd.Timedelta(0)).any()
    actions = m.currency(at="2026-07-01").to_pandas()
    assert str(actions["due"].dtype) == "datetime64[s]"
    assert actions["due"].notna().all()
    levels = m.maturity(at="2026-07-01").to_pandas("levels")
    assert [str(levels[c].dtype) for c in ("level", "met", "total")] == ["int64"] * 3
    pl = pytest.importorskip("polars")
    polar = m.schedule(lose="chelsea-dc").to_polars("nodes")
    assert polar["down_at"].null_count() == int(nodes["down_at"].isna().sum())
    assert polar.schema["down_at"] == pl.Duration("us")


def test_spof_pairs_are_the_long_form_of_the_function_lists(agency_path: Path) -> None:
    spof = bcm.Model.load(agency_path).spof()
    pairs = spof.to_pandas("pairs")
    want = [(f["id"], u) for f in spof.to_dict()["functions"] for u in f["spofs"]]
    assert list(pairs.itertuples(index=False, name=None)) == want
    assert list(pairs.columns) == ["function", "unit"]
