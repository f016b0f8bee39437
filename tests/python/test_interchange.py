"""Interchange (DESIGN §4.M) from Python: the OSCAL exports parsed and validated by
compliance-trestle (NIST's OSCAL 1.1.3 models and its validators), the DORA register, and CMDB
import."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest

import bcm

ROOT = Path(__file__).resolve().parents[2]
AT = "2026-03-01"


@pytest.fixture(scope="module")
def agency() -> bcm.Model:
    return bcm.Model.load(ROOT / "examples" / "agency.yaml")


def trestle() -> str:
    exe = Path(sys.executable).with_name("trestle")
    if not exe.exists():
        pytest.fail("compliance-trestle is not installed (requirements-dev.txt)")
    return str(exe)


def test_assessment_results_parse_as_oscal(agency: bcm.Model) -> None:
    from trestle.oscal import OSCAL_VERSION
    from trestle.oscal.assessment_results import AssessmentResults

    text = agency.export("oscal-ar", at=AT)
    doc = json.loads(text)
    assert list(doc) == ["assessment-results"]
    ar = doc["assessment-results"]
    assert list(ar) == ["uuid", "metadata", "import-ap", "results", "back-matter"]
    assert ar["metadata"]["oscal-version"] == OSCAL_VERSION == "1.1.3"
    result = ar["results"][0]
    assert list(result) == [
        "uuid", "title", "description", "start", "props", "reviewed-controls",
        "observations", "findings", "risks",
    ]
    parsed = AssessmentResults.parse_obj(ar)
    findings = parsed.results[0].findings or []
    conformance = agency.conformance(at=AT).to_dict()
    maturity = agency.maturity(at=AT).to_dict()
    assert len(findings) == len(conformance["requirements"]) + len(maturity["criteria"])
    states = {f.target.target_id: f.target.status.state.value for f in findings if f.target.status}
    for r in conformance["requirements"]:
        token = "ma-ebcm-" + r["id"].replace("(", ".").replace(")", "")
        assert states[token + "_smt"] == ("satisfied" if r["result"] == "pass" else "not-satisfied")
    # The same model at the same date gives the same bytes.
    assert agency.export("oscal-ar", at=AT) == text


def test_poam_parses_as_oscal(agency: bcm.Model) -> None:
    from trestle.oscal.poam import PlanOfActionAndMilestones

    doc = json.loads(agency.export("oscal-poam", at=AT))
    poam = doc["plan-of-action-and-milestones"]
    assert list(poam) == ["uuid", "metadata", "system-id", "observations", "risks", "findings", "poam-items"]
    parsed = PlanOfActionAndMilestones.parse_obj(poam)
    risks = {r.uuid: r for r in parsed.risks or []}
    actions = agency.currency(at=AT).to_dict()["actions"]
    dated = [r for r in risks.values() if r.deadline is not None]
    assert len(dated) >= len(actions) > 0
    for item in parsed.poam_items:
        for link in item.related_risks or []:
            assert link.risk_uuid in risks


def test_trestle_validates_both_documents(agency: bcm.Model, tmp_path: Path) -> None:
    """`trestle validate -a` runs every registered validator (duplicate UUIDs, references,
    the OSCAL models) over a trestle workspace holding the two exports."""
    exe = trestle()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    subprocess.run([exe, "init"], cwd=tmp_path, check=True, capture_output=True, env=env)
    exports: list[tuple[str, str, Literal["oscal-ar", "oscal-poam"]]] = [
        ("assessment-results", "agency-ar", "oscal-ar"),
        ("plan-of-action-and-milestones", "agency-poam", "oscal-poam"),
    ]
    for kind, name, fmt in exports:
        folder = tmp_path / kind / name
        folder.mkdir(parents=True)
        (folder / f"{kind}.json").write_text(agency.export(fmt, at=AT))
    run = subprocess.run([exe, "validate", "-a"], cwd=tmp_path, capture_output=True, text=True, env=env)
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert out.count("VALID: Model") == 2, out
    assert "INVALID" not in out


def test_dora_register(agency: bcm.Model) -> None:
    with pytest.warns(UserWarning) as notes:
        text = agency.export("dora-b0601")
    assert [str(n.message)[:5] for n in notes] == ["c0040", "c0020", "c0070"]
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["c0010", "c0020", "c0030", "c0040", "c0050", "c0060", "c0070", "c0080", "c0090", "c0100"]
    functions = agency.to_dict()["functions"]
    assert len(rows) == 1 + len(functions)
    assert [r[0] for r in rows[1:]] == [f"F{i}" for i in range(1, len(functions) + 1)]
    # Online services: critical, RTO 12h, RPO 15m (reported as 1 hour), BIA 2026-01-20.
    first = rows[1]
    assert (first[2], first[4], first[6], first[7], first[8]) == (
        "Online taxpayer services (MassTaxConnect)", "eba_BT:x28", "2026-01-20", "12", "1",
    )
    with pytest.raises(ValueError, match="no export format 'xlsx'"):
        agency.export("xlsx")  # type: ignore[arg-type]


def test_cmdb_import() -> None:
    cmdb = ROOT / "examples" / "cmdb"
    r = bcm.import_cmdb(cmdb / "cmdb_ci.csv", cmdb / "cmdb_rel_ci.csv", map=cmdb / "map.yaml")
    assert [(u["table"], u["line"]) for u in r.unmapped] == [("cis", 24), ("relations", 31), ("relations", 32)]
    assert r.unmapped[0]["reason"] == "class 'cmdb_ci_printer' has no mapping"
    assert r.model.validate().valid
    assert r.model.name == "Department of Revenue (from ServiceNow)"
    assert "3 rows not imported" in repr(r)
    # A map given as a dict, laid over the built-in one.
    r = bcm.import_cmdb(
        cmdb / "cmdb_ci.csv",
        cmdb / "cmdb_rel_ci.csv",
        map={"classes": {"cmdb_ci_printer": "infrastructure"}, "relations": {"Contains::Contained by": "ignore"}},
    )
    assert [u["reason"] for u in r.unmapped] == [
        "type 'Contains::Contained by' is ignored by the map",
        "'Legacy Mainframe' is not an imported CI",
    ]
    with pytest.raises(ValueError, match="/classes/x/kind"):
        bcm.import_cmdb(cmdb / "cmdb_ci.csv", cmdb / "cmdb_rel_ci.csv", map={"classes": {"x": "widget"}})
    with pytest.raises(FileNotFoundError):
        bcm.import_cmdb(cmdb / "missing.csv", cmdb / "cmdb_rel_ci.csv")
