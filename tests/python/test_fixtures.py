"""The shared broken fixtures (tests/fixtures/expected.tsv) through the Python binding."""

from collections import defaultdict
from pathlib import Path

import pytest

import bcm

FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures"


def manifest() -> dict[str, list[tuple[str, str]]]:
    rows: dict[str, list[tuple[str, str]]] = defaultdict(list)
    lines = (FIXTURES / "expected.tsv").read_text().splitlines()[1:]
    for line in filter(None, lines):
        file, code, path = (line.split("\t") + [""])[:3]
        rows[file].append((code, path))
    return dict(rows)


CASES = sorted(manifest().items())


def test_manifest_has_every_fixture() -> None:
    on_disk = sorted(f"{p.parent.name}/{p.name}" for d in ("invalid", "warnings") for p in (FIXTURES / d).iterdir())
    assert on_disk == [file for file, _ in CASES]


@pytest.mark.parametrize(("file", "expected"), CASES, ids=[file for file, _ in CASES])
def test_fixture_findings(file: str, expected: list[tuple[str, str]]) -> None:
    findings = bcm.validate_file(FIXTURES / file)
    errors = sorted((f.code, f.path) for f in findings.errors)
    assert errors == sorted(row for row in expected if row[0].startswith("E-"))
    warnings = {(f.code, f.path) for f in findings.warnings}
    for row in expected:
        if row[0].startswith("W-"):
            assert row in warnings
    assert findings.valid == (not errors)


@pytest.mark.parametrize(("file", "expected"), CASES, ids=[file for file, _ in CASES])
def test_loading_raises_or_validation_reports(file: str, expected: list[tuple[str, str]]) -> None:
    """Model.load raises ModelError with every error of the document (the structural ones that
    stopped the load and the semantic ones, as validate_file gives them); a document without
    structural errors loads, and validate() reports them all.
    """
    expected_errors = sorted(row for row in expected if row[0].startswith("E-"))
    try:
        model = bcm.Model.load(FIXTURES / file)
    except bcm.ModelError as err:
        raised = sorted((f.code, f.path) for f in err.findings if f.severity == "error")
        assert raised == expected_errors
    else:
        assert sorted((f.code, f.path) for f in model.validate().errors) == expected_errors
