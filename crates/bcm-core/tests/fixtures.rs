//! The broken fixtures shared by every test suite (`tests/fixtures/expected.tsv`): each gives

// Test helpers outside #[test] fns panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! exactly its expected errors, with code and path, and its expected warnings.

use std::collections::BTreeMap;
use std::path::PathBuf;

use bcm_core::{Format, Severity, validate_document};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// file → expected (code, path) rows, from the manifest.
fn manifest() -> BTreeMap<String, Vec<(String, String)>> {
    let text = std::fs::read_to_string(fixtures_dir().join("expected.tsv")).unwrap();
    let mut rows: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let (file, code, path) = (
            cols.next().unwrap(),
            cols.next().unwrap(),
            cols.next().unwrap_or(""),
        );
        rows.entry(file.to_owned())
            .or_default()
            .push((code.to_owned(), path.to_owned()));
    }
    rows
}

#[test]
fn every_fixture_gives_exactly_its_expected_errors() {
    let manifest = manifest();
    let mut on_disk: Vec<String> = ["invalid", "warnings"]
        .iter()
        .flat_map(|dir| {
            std::fs::read_dir(fixtures_dir().join(dir))
                .unwrap()
                .map(move |e| format!("{dir}/{}", e.unwrap().file_name().to_string_lossy()))
        })
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk,
        manifest.keys().cloned().collect::<Vec<_>>(),
        "every fixture is in the manifest"
    );
    assert_eq!(manifest.len(), 21);
    for (file, expected) in manifest {
        let path = fixtures_dir().join(&file);
        let text = std::fs::read_to_string(&path).unwrap();
        let validation = validate_document(&text, Format::detect(Some(&file), &text));
        let mut errors: Vec<(String, String)> = validation
            .errors()
            .map(|f| (f.code.to_string(), f.path.clone()))
            .collect();
        let mut expected_errors: Vec<(String, String)> = expected
            .iter()
            .filter(|(c, _)| c.starts_with("E-"))
            .cloned()
            .collect();
        errors.sort();
        expected_errors.sort();
        assert_eq!(errors, expected_errors, "{file}");
        for (code, path) in expected.iter().filter(|(c, _)| c.starts_with("W-")) {
            assert!(
                validation
                    .warnings()
                    .any(|f| f.code.as_str() == code && &f.path == path),
                "{file}: missing {code} at {path}"
            );
        }
        for finding in &validation.findings {
            assert!(!finding.message.is_empty(), "{file}: empty message");
            assert_eq!(
                finding.severity == Severity::Error,
                finding.code.as_str().starts_with("E-")
            );
        }
    }
}

#[test]
fn every_published_code_has_a_fixture() {
    let covered: Vec<String> = manifest()
        .into_values()
        .flatten()
        .map(|(code, _)| code)
        .collect();
    for code in bcm_core::Code::ALL {
        assert!(
            covered.iter().any(|c| c == code.as_str()),
            "no fixture triggers {code}"
        );
    }
}

#[test]
fn parse_errors_carry_line_and_column() {
    let text = std::fs::read_to_string(fixtures_dir().join("invalid/parse.yaml")).unwrap();
    let v = validate_document(&text, Format::Yaml);
    assert_eq!(
        (v.findings[0].line, v.findings[0].column),
        (Some(3), Some(10))
    );
    let text = std::fs::read_to_string(fixtures_dir().join("invalid/parse.json")).unwrap();
    let v = validate_document(&text, Format::Json);
    assert_eq!(
        (v.findings[0].line, v.findings[0].column),
        (Some(2), Some(33))
    );
    assert_eq!(v.findings[0].message, "not valid JSON: trailing comma");
}

#[test]
fn messages_name_the_value_and_read_like_a_continuity_manager() {
    let read = |f: &str| std::fs::read_to_string(fixtures_dir().join(f)).unwrap();
    let v = validate_document(&read("invalid/duration.yaml"), Format::Yaml);
    assert_eq!(
        v.findings[0].to_string(),
        "error E-DURATION /functions/3/rto: \"4 hours\" is not a duration (examples: 30m, 4h, 1d)"
    );
    let v = validate_document(&read("invalid/ref.yaml"), Format::Yaml);
    assert_eq!(
        v.findings[0].message,
        "function 'payroll' depends on 'hr-dbb', which does not exist"
    );
    assert_eq!(v.findings[0].entities, ["payroll", "hr-dbb"]);
    let v = validate_document(&read("invalid/cycle.yaml"), Format::Yaml);
    assert_eq!(
        v.findings[0].message,
        "circular dependency: app → db → app; none of these can be recovered first"
    );
    assert_eq!(v.findings[0].entities, ["app", "db"]);
    let v = validate_document(&read("invalid/unknown-field.yaml"), Format::Yaml);
    assert!(
        v.findings[0].message.contains("did you mean 'rto'?"),
        "{}",
        v.findings[0].message
    );
}

#[test]
fn a_field_that_failed_to_load_is_not_also_reported_missing() {
    let v = validate_document(
        "bcm: 1\norganization: {name: x}\ncontacts: [{id: a, alternate: b}, {id: b, alternate: a}]\n\
         functions: [{id: f, owner: a, resume: 1h, rto: soon, depends_on: [7, db]}]\n\
         assets: [{id: db, kind: data, owner: a, restore: 1h}]\n",
        Format::Yaml,
    );
    let codes: Vec<(&str, &str)> = v
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("E-DURATION", "/functions/0/rto"),
            ("E-ID", "/functions/0/depends_on/0")
        ]
    );
}

#[test]
fn structural_errors_are_all_reported_at_once() {
    let v = validate_document(
        r#"{"bcm": 1, "organization": {"name": "x", "currency": 5},
            "functions": [{"id": "f", "rto": "4 hours", "mtd": 3, "criticality": "vital", "extra": 1}],
            "plans": [{"id": "p", "kind": "bcp", "reviewed": "yesterday", "approved": "yes"}]}"#,
        Format::Json,
    );
    let mut errors: Vec<(&str, &str)> = v
        .errors()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect();
    errors.sort();
    assert_eq!(
        errors,
        [
            ("E-DATE", "/plans/0/reviewed"),
            ("E-DURATION", "/functions/0/mtd"),
            ("E-DURATION", "/functions/0/rto"),
            ("E-RANGE", "/functions/0/criticality"),
            ("E-TYPE", "/organization/currency"),
            ("E-TYPE", "/plans/0/approved"),
            ("E-UNKNOWN-FIELD", "/functions/0/extra"),
        ]
    );
}
