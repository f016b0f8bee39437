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
    assert set(plans["id"]) == {"bcp-agency", "bcp-payroll", "coop-springfield", "drp-datacenter", "irp-cyber"}
    with pytest.raises(ValueError, match="is not a date"):
        agency.currency(at="July 1st")
    with pytest.raises(TypeError, match="at must be a datetime.date"):
        agency.currency(at=20260701)  # type: ignore[arg-type]


def test_maturity_levels_criteria_and_sources(agency: bcm.Model) -> None:
    r = agency.maturity(at="2026-07-01")
    assert r.level == 2
    d = r.to_dict()
    assert (d["control"], d["soc2"], d["cap"], d["assessments"]) == ("BCD-12.2", ["A1.2"], 3, ["bcd-2026"])
    # Level 2: 9 of 11 criteria (81%) meets the 80% threshold; level 3: 6 of 11.
    assert [(lv["level"], lv["met"], lv["total"], lv["reached"]) for lv in d["levels"][:3]] == [
        (1, 5, 5, True),
        (2, 9, 11, True),
        (3, 6, 11, False),
    ]
    criteria = {c["id"]: c for c in d["criteria"]}
    # Declared by the assessor while the model shows three critical functions with a BIA due.
    assert criteria["L2.6"]["source"] == "declared"
    assert criteria["L2.6"]["failing"] == ["child-support-disbursement", "online-services", "payment-processing"]
    # Not declared, but the model shows it.
    assert criteria["L3.10"]["source"] == "derived"
    assert criteria["L2.1"]["derived"] is None
    assert agency.maturity(at="2026-07-01", threshold=0.9).level == 1
    with pytest.raises(ValueError, match="threshold 0 is not a share"):
        agency.maturity(at="2026-07-01", threshold=0.0)


def test_maturity_dataframes(agency: bcm.Model) -> None:
    pytest.importorskip("pandas")
    r = agency.maturity(at="2026-07-01")
    assert len(r.to_pandas()) == 27
    levels = r.to_pandas("levels")
    assert list(levels["reached"]) == [True, True, False, False, False]


def test_conformance_built_in_profiles(agency: bcm.Model) -> None:
    r = agency.conformance("ma-ebcm", at="2026-07-01")
    assert not r.conforms
    d = r.to_dict()
    # Every clause has a passing and a failing case; none passes for every subject.
    assert d["score"] == {"passed": 0, "failed": 14, "not_measured": 0, "percent": 0.0}
    six = next(q for q in d["requirements"] if q["id"] == "6")
    assert (six["result"], six["numerator"], six["denominator"], six["failing"]) == ("fail", 1, 2, ["paycorp"])
    assert six["params"] == {"alternates": True}
    kpis = agency.conformance("itscm", at="2026-07-01").to_dict()["requirements"]
    assert [q["result"] for q in kpis] == ["fail"] * 6 + ["not-measured"]
    assert kpis[0]["percent"] == 80.0
    assert agency.conformance(at="2026-07-01").to_dict() == d  # ma-ebcm is the default


def test_conformance_with_a_profile_of_ones_own(agency: bcm.Model, tmp_path: Path) -> None:
    profile = {
        "profile": "mine",
        "name": "Our own rules",
        "requirements": [
            {"id": "r1", "clause": "Most plans are tested.", "check": "plans-tested", "target": 0.75},
            {"id": "r2", "clause": "Copies far away.", "check": "plan-copies-distant", "params": {"min_km": 200}},
        ],
    }
    r = agency.conformance(profile, at="2026-07-01").to_dict()
    assert [(q["id"], q["result"]) for q in r["requirements"]] == [("r1", "pass"), ("r2", "fail")]
    file = tmp_path / "mine.yaml"
    file.write_text("profile: mine\nname: N\nrequirements:\n- {id: r1, clause: c, check: plans-teste}\n")
    with pytest.raises(ValueError, match="/requirements/0/check"):
        agency.conformance(file, at="2026-07-01")
    with pytest.raises(FileNotFoundError):
        agency.conformance(tmp_path / "missing.yaml", at="2026-07-01")
