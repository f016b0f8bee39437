"""Plan currency through Python, on the example (figures worked out in crates/bcm-cli/tests/cli.rs)."""

import datetime
from pathlib import Path

import pytest

import bcm


@pytest.fixture
def agency(agency_path: Path) -> bcm.Model:
    return bcm.Model.load(agency_path)


def test_currency_actions_and_plans(agency: bcm.Model) -> None:
    r = agency.currency(at="2026-07-01")
    assert r.at == "2026-07-01"
    assert not r.current
    d = r.to_dict()
    assert list(d) == ["at", "actions", "plans"]
    first = d["actions"][0]
    # dba2 (team of drp-datacenter) was trained on 2024-06-12; the interval is 365 days.
    assert first == {
        "subject": "dba2",
        "subject_kind": "contact",
        "action": "train",
        "trigger": "interval",
        "change": None,
        "last": "2024-06-12",
        "clause": "10",
        "due": "2025-06-12",
        "plans": ["drp-datacenter"],
        "message": "'dba2' (in the teams of drp-datacenter) was last trained on 2024-06-12: "
        "training was due on 2025-06-12 (policy 10)",
    }
    coop = next(p for p in d["plans"] if p["id"] == "coop-springfield")
    assert coop["stale_by"] == ["chg-ctr-12", "chg-staff-9", "chg-pol-7", "chg-1042", "chg-1077", "chg-thr-3"]
    assert coop["review_overdue"] and coop["test_overdue"] and not coop["current"]
    # Due dates never go down the list.
    dues = [a["due"] for a in d["actions"]]
    assert dues == sorted(dues)


def test_currency_dates_and_dataframes(agency: bcm.Model) -> None:
    pd = pytest.importorskip("pandas")
    by_text = agency.currency(at="2026-07-01").to_dict()
    assert agency.currency(at=datetime.date(2026, 7, 1)).to_dict() == by_text
    assert agency.currency(at=datetime.datetime(2026, 7, 1, 23, 59)).to_dict() == by_text
    assert agency.currency().at == datetime.date.today().isoformat()
    df = agency.currency(at="2026-07-01").to_pandas()
    assert list(df.columns)[:4] == ["subject", "subject_kind", "action", "trigger"]
    assert df.loc[0, "due"] == pd.Timestamp("2025-06-12")
    plans = agency.currency(at="2026-07-01").to_pandas("plans")
    assert set(plans["id"]) == {"bcp-agency", "coop-springfield", "drp-datacenter", "irp-cyber"}
    with pytest.raises(ValueError, match="is not a date"):
        agency.currency(at="July 1st")
    with pytest.raises(TypeError, match="at must be a datetime.date"):
        agency.currency(at=20260701)  # type: ignore[arg-type]
