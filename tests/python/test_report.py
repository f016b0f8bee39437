"""The report through Python, and in a real browser: headless Chromium loads the HTML (no
request leaves the file, no console error, every chart has a box, the text names the worst site
and its breaches) and Graphviz draws the DOT export."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import bcm

from browser import chromium, render

# CI installs Chromium and Graphviz (make tools-report) and sets this, so the browser tests
# cannot be skipped there.
REQUIRED = os.environ.get("BCM_REQUIRE_TOOLS") == "1"


def needs(tool: str, present: bool) -> None:
    if not present:
        if REQUIRED:
            pytest.fail(f"{tool} is required (BCM_REQUIRE_TOOLS=1) but not installed")
        pytest.skip(f"{tool} is not installed")


@pytest.fixture
def small(root: Path) -> bcm.Model:
    return bcm.Model.load(root / "examples" / "small-report.yaml")


def test_report_data_markdown_and_csv(small: bcm.Model, root: Path) -> None:
    r = small.report(at="2026-07-01", iterations=100, years=1000)
    d = r.to_dict()
    assert d["scenario"] == ["hq"]
    breach = d["summary"]["worst_loss"]["breaches"][0]
    assert breach == {"id": "billing", "rto": 14400, "up_at": 21600, "breach": 7200}
    golden = (root / "crates/bcm-core/tests/golden/small-report.md").read_text()
    assert r.to_markdown() == golden
    files = r.csv_files()
    assert files["schedule-waves.csv"] == "start,restores\n0,db\n21600,crm\n"
    waves = r.to_pandas("schedule", "waves")
    assert list(waves.columns) == ["start", "restores"]
    assert waves["start"].tolist() == [0, 21600]
    with pytest.raises(KeyError, match="no table 'nope'"):
        r.to_pandas("schedule", "nope")
    assert r.organization == "Small Co"
    assert repr(r) == "<bcm.Report: Small Co, 12 sections>"
    frame = r._repr_html_()
    assert frame.startswith("<iframe srcdoc=") and "&lt;svg" in frame


def test_report_parameters_and_errors(small: bcm.Model) -> None:
    given = small.report(at="2026-07-01", lose="crm", iterations=10, years=100).to_dict()
    assert given["summary"]["worst_loss"]["chosen"] == "given"
    with pytest.raises(bcm.AnalysisError, match="atlantis"):
        small.report(lose=["atlantis"])
    with pytest.raises(ValueError, match="no built-in profile 'iso'"):
        small.report(profile="iso")
    redacted = small.report(at="2026-07-01", redact_personal=True, iterations=10, years=100)
    for text in (redacted.to_html(), redacted.to_markdown(), redacted.to_json()):
        assert "Ada Lovelace" not in text and "7946" not in text
    assert "Ada Lovelace" in small.report(at="2026-07-01", iterations=10, years=100).to_html()


def test_the_html_in_headless_chromium(agency_path: Path, tmp_path: Path) -> None:
    needs("chromium", chromium() is not None)
    report = bcm.Model.load(agency_path).report(at="2026-07-01", iterations=200, years=2000)
    html = tmp_path / "report.html"
    html.write_text(report.to_html())
    page = render(html)
    assert page.requests == [html.resolve().as_uri()], "nothing but the file itself"
    assert page.errors == []
    assert len(page.svg_boxes) == 7
    for width, height in page.svg_boxes:
        assert width > 0 and height > 0
    summary = report.to_dict()["summary"]["worst_loss"]
    assert "Losing chelsea-dc" in page.text
    for breach in summary["breaches"]:
        assert breach["id"] in page.text
    assert page.screenshot.startswith(b"\x89PNG") and len(page.screenshot) > 10_000
    (tmp_path / "summary.png").write_bytes(page.screenshot)


def test_the_dot_export_draws_in_graphviz(agency_path: Path) -> None:
    needs("graphviz (dot)", shutil.which("dot") is not None)
    m = bcm.Model.load(agency_path)
    for function in (None, "payroll"):
        dot = m.graph("dot", function=function)
        drawn = subprocess.run(
            ["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=False
        )
        assert drawn.returncode == 0, drawn.stderr
        assert drawn.stderr == ""
        assert drawn.stdout.count("<g id=\"node") == dot.count(" [shape=")
    mermaid = m.graph("mermaid")
    assert mermaid.splitlines()[2] == "flowchart TD"
    with pytest.raises(ValueError, match="'dot' or 'mermaid'"):
        m.graph("svg")  # type: ignore[arg-type]


def test_cut_pairs(agency_path: Path) -> None:
    r = bcm.Model.load(agency_path).cut_pairs("payroll")
    assert r["spofs"] == ["chelsea-dc", "hr-db", "hr-payroll-app", "san"]
    assert ("core-switch-a", "core-switch-b") in r["pairs"]
    assert len(r["pairs"]) == 10
    with pytest.raises(bcm.AnalysisError, match="no function 'hr-db'"):
        bcm.Model.load(agency_path).cut_pairs("hr-db")
