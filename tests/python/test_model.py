"""bcm.Model: loading, saving, validating, errors."""

import json
import pickle
import threading
from pathlib import Path

import pytest

import bcm


def test_load_the_example_and_validate(agency_path: Path) -> None:
    m = bcm.Model.load(agency_path)
    assert m.name == "Department of Revenue"
    assert repr(m) == '<bcm.Model "Department of Revenue": 12 functions, 60 assets, 5 plans>'
    findings = m.validate()
    assert findings.valid is True
    assert len(findings) == 1
    (warning,) = findings
    assert (warning.severity, warning.code, warning.path) == ("warning", "W-ALTERNATE", "/contacts/21/alternate")
    assert warning.entities == ["general-counsel"]
    assert findings.errors == []
    assert findings.warnings == [warning]
    assert findings[-1] == findings[0] == warning
    assert repr(findings) == "<Findings: valid, 0 errors, 1 warning>"


def test_load_accepts_str_paths(agency_path: Path) -> None:
    assert bcm.Model.load(str(agency_path)) == bcm.Model.load(agency_path)


def test_round_trips(agency_path: Path) -> None:
    m = bcm.Model.load(agency_path)
    assert bcm.Model.from_json(m.to_json()) == m
    assert bcm.Model.from_json(m.to_json(pretty=True)) == m
    assert bcm.Model.from_yaml(m.to_yaml()) == m
    d = m.to_dict()
    assert bcm.Model.from_dict(d) == m
    assert json.loads(m.to_json()) == d
    assert d["organization"]["review_interval"] == "365d"
    payroll = next(f for f in d["functions"] if f["id"] == "payroll")
    assert payroll["rto"] == "1d"
    assert payroll["resume"] == {"min": "1h", "likely": "2h", "max": "6h"}
    assert payroll["depends_on"] == ["hr-payroll-app", {"id": "email", "tolerance": "1d"}]


def test_attributes_survive_untouched() -> None:
    d = {
        "bcm": 1,
        "organization": {"name": "x", "attributes": {"nested": {"list": [1, 2.5, None, True, "s"]}, "n": -3}},
    }
    assert bcm.Model.from_dict(d).to_dict() == d


def test_model_error_carries_every_finding() -> None:
    # Structural errors (which stop the load) and a semantic one (a dangling reference): the
    # exception has all of them, as validate_text lists them, warnings included.
    text = 'bcm: 1\norganization: {name: x, nmae: y}\nfunctions: [{id: f, rto: 4 hours, mtd: soon, depends_on: [db]}]\n'
    with pytest.raises(bcm.ModelError) as raised:
        bcm.Model.from_yaml(text)
    err = raised.value
    assert isinstance(err, bcm.BcmError)
    assert [(f.code, f.path) for f in err.findings.errors] == [
        ("E-UNKNOWN-FIELD", "/organization/nmae"),
        ("E-DURATION", "/functions/0/mtd"),
        ("E-DURATION", "/functions/0/rto"),
        ("E-REF", "/functions/0/depends_on/0"),
    ]
    assert [(f.code, f.path) for f in err.findings] == [(f.code, f.path) for f in bcm.validate_text(text)]
    assert str(err) == (
        "error E-UNKNOWN-FIELD /organization/nmae: the document has an unknown field 'nmae'; did you mean "
        "'name'? (put extra data under 'attributes') (and 2 more)"
    ) or str(err).startswith("error E-UNKNOWN-FIELD /organization/nmae")


def test_exceptions_are_classes_with_typed_attributes() -> None:
    assert bcm.ValidationError.__mro__[1:4] == (bcm.ModelError, bcm.BcmError, Exception)
    assert issubclass(bcm.AnalysisError, bcm.BcmError)
    with pytest.raises(bcm.ValidationError) as raised:
        bcm.Model.from_yaml("bcm: 1\norganization: {name: x}\nfunctions: [{id: f, rto: soon}]\n")
    findings = raised.value.findings
    assert isinstance(findings, bcm.Findings)
    assert [(f.code, f.path) for f in findings.errors] == [("E-DURATION", "/functions/0/rto")]
    # Raised by hand (or unpickled in another process), a ModelError carries no findings.
    plain = bcm.ModelError("cannot write the model")
    assert (str(plain), len(plain.findings), plain.findings.valid) == ("cannot write the model", 0, True)
    again = pickle.loads(pickle.dumps(plain))
    assert (type(again), str(again), len(again.findings)) == (bcm.ModelError, "cannot write the model", 0)


def test_load_reads_through_the_one_size_limit(tmp_path: Path) -> None:
    # An endless source stops at the loaders' limit (256 MiB) with E-LIMIT, not at the OOM killer.
    with pytest.raises(bcm.ValidationError) as raised:
        bcm.Model.load("/dev/zero")
    (finding,) = raised.value.findings
    assert (finding.code, finding.message) == ("E-LIMIT", "the document is larger than 268435456 bytes")
    with pytest.raises(FileNotFoundError, match="cannot read .*missing.yaml"):
        bcm.Model.load(tmp_path / "missing.yaml")


def test_parse_errors_have_line_and_column() -> None:
    with pytest.raises(bcm.ModelError) as raised:
        bcm.Model.from_json('{"bcm": 1,\n "organization": }')
    (finding,) = raised.value.findings
    assert (finding.code, finding.line, finding.column) == ("E-PARSE", 2, 18)
    assert finding.to_dict() == {
        "severity": "error",
        "code": "E-PARSE",
        "path": "",
        "message": finding.message,
        "entities": [],
        "line": 2,
        "column": 18,
    }


def test_misuse_raises_instead_of_crashing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError if False else OSError):
        bcm.Model.load(tmp_path / "missing.yaml")
    with pytest.raises(TypeError):
        bcm.Model.from_json(42)  # type: ignore[arg-type]
    with pytest.raises(bcm.ModelError):
        bcm.Model.from_dict({"bcm": 1, "organization": {"name": object()}})
    with pytest.raises(bcm.ModelError):
        bcm.Model.from_dict([1, 2])  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        bcm.validate_text("{}", format="xml")  # type: ignore[arg-type]
    with pytest.raises(IndexError):
        bcm.validate_text("bcm: 1\norganization: {name: x}\n")[0]
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"bcm: 1\n\xff\xfe")
    with pytest.raises(bcm.ModelError) as raised:
        bcm.Model.load(binary)
    assert raised.value.findings[0].code == "E-PARSE"
    assert bcm.validate_file(binary)[0].message == "the document is not UTF-8 text (bad byte at offset 7)"


def test_to_pandas_and_html(agency_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    findings = bcm.validate_file(agency_path.parent.parent / "tests/fixtures/warnings/all-warnings.yaml")
    df = findings.to_pandas()
    assert isinstance(df, pandas.DataFrame)
    assert list(df.columns) == ["severity", "code", "path", "message", "entities", "line", "column"]
    assert len(df) == 10
    assert sorted(df["code"].unique()) == [
        "W-ALTERNATE", "W-MTD-ABOVE-BIA", "W-NO-OWNER", "W-NO-PLAN", "W-NO-RESTORE", "W-NO-RTO",
    ]
    html = findings._repr_html_()
    assert html.count("<tr>") == 11
    assert "contact &#x27;cfo&#x27;" in html or "contact 'cfo'" in html


def test_to_dict_matches_the_cli_json_shape() -> None:
    d = bcm.validate_text("bcm: 1\norganization: {name: x}\nfunctions: [{id: f, depends_on: [nope]}]\n").to_dict()
    assert list(d) == ["valid", "errors", "warnings", "findings"]
    assert (d["valid"], d["errors"]) == (False, 1)
    ref = next(f for f in d["findings"] if f["code"] == "E-REF")
    assert ref == {
        "severity": "error",
        "code": "E-REF",
        "path": "/functions/0/depends_on/0",
        "message": "function 'f' depends on 'nope', which does not exist",
        "entities": ["f", "nope"],
    }


def test_validation_releases_the_gil(root: Path) -> None:
    """Several threads validate at once; each gets the same, correct answer."""
    m = bcm.Model.load(root / "examples" / "agency.yaml")
    results: list[int] = []

    def work() -> None:
        for _ in range(20):
            results.append(len(m.validate()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1] * 80


def test_version() -> None:
    assert bcm.__version__ == "0.1.0"
    assert set(bcm.__all__) <= set(dir(bcm))


def test_a_json_key_given_twice_is_refused_with_its_path() -> None:
    # It used to load silently as the last value: {"id": "f", "id": "g"} gave a function 'g'.
    with pytest.raises(bcm.ValidationError) as raised:
        bcm.Model.from_json('{"bcm": 1, "organization": {"name": "x"}, "functions": [{"id": "f", "id": "g"}]}')
    assert [(f.code, f.path) for f in raised.value.findings] == [("E-PARSE", "/functions/0/id")]


def test_organization_is_optional() -> None:
    m = bcm.Model.from_yaml("bcm: 1\nfunctions: [{id: f}]\n")
    assert m.name == ""
    assert m.to_dict() == {"bcm": 1, "functions": [{"id": "f"}]}


def test_a_missing_file_is_a_file_not_found_error_and_a_bcm_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    with pytest.raises(bcm.NotFoundError) as raised:
        bcm.Model.load(missing)
    err = raised.value
    assert isinstance(err, FileNotFoundError) and isinstance(err, bcm.BcmError)
    assert (err.errno, err.filename) == (2, str(missing))
    with pytest.raises(bcm.ReadError):  # a directory: IsADirectoryError from the OS
        bcm.validate_file(tmp_path)


def test_lose_takes_one_id_or_a_list(agency_path: Path) -> None:
    # A plain string used to fail with "Can't extract `str` to `Vec`".
    agency = bcm.Model.load(agency_path)
    one = agency.impact(lose="chelsea-dc").to_dict()
    assert one == agency.impact(lose=["chelsea-dc"]).to_dict()
    assert agency.schedule("chelsea-dc").makespan == agency.schedule(["chelsea-dc"]).makespan
    with pytest.raises(TypeError, match="lose must be the ID of a failure unit or a list of IDs, not int"):
        agency.impact(lose=7)  # type: ignore[arg-type]
