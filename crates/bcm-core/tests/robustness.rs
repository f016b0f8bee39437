//! No input makes the loaders or validation panic, hang or blow up (DESIGN §6): arbitrary bytes,

// Test helpers outside #[test] fns panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
//! mutations of a real model, alias bombs and deep nesting.

use std::time::{Duration as Wall, Instant};

use bcm_core::{Code, Format, load_document, validate_document};
use proptest::prelude::*;

const AGENCY: &str = include_str!("../../../examples/agency.yaml");

/// Runs both loaders and validation on `text`; every outcome is fine except a panic.
fn exercise(text: &str) {
    for format in [Format::Json, Format::Yaml] {
        let v = validate_document(text, format);
        // A document that loads without findings validates to the same findings as its model.
        let loaded = load_document(text, format);
        if let (Some(model), true) = (&loaded.model, loaded.findings.is_empty()) {
            assert_eq!(model.validate(), v);
        }
        if loaded.model.is_none() {
            assert!(!v.is_valid(), "a document without a model cannot be valid");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        exercise(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        exercise(&String::from_utf8_lossy(&bytes));
    }

    /// Mutations of a real model: cut it, splice junk into it, or swap two of its lines.
    #[test]
    fn mutated_models_never_panic(
        cut in 0..AGENCY.len(),
        at in 0..AGENCY.len(),
        junk in "[\\[\\]{}:,'\"&*!|>#\\- \\n0-9a-z]{0,12}",
        swap in (0usize..400, 0usize..400),
    ) {
        let cut_at = (0..=cut).rev().find(|i| AGENCY.is_char_boundary(*i)).unwrap_or(0);
        exercise(&AGENCY[..cut_at]);
        let at = (0..=at).rev().find(|i| AGENCY.is_char_boundary(*i)).unwrap_or(0);
        exercise(&format!("{}{junk}{}", &AGENCY[..at], &AGENCY[at..]));
        let mut lines: Vec<&str> = AGENCY.lines().collect();
        let n = lines.len();
        lines.swap(swap.0 % n, swap.1 % n);
        exercise(&lines.join("\n"));
    }
}

#[test]
fn a_yaml_alias_bomb_is_refused_quickly() {
    let mut text = String::from(
        "bcm: 1\norganization: {name: x}\nattributes:\n  a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..12 {
        let prev = i - 1;
        text.push_str(&format!(
            "  a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    let start = Instant::now();
    let v = validate_document(&text, Format::Yaml);
    assert!(
        start.elapsed() < Wall::from_secs(5),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(v.findings.len(), 1);
    assert_eq!(v.findings[0].code, Code::Limit, "{}", v.findings[0]);
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let depth = 100_000;
    let json = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(
        validate_document(&json, Format::Json).findings[0].code,
        Code::Limit
    );
    let yaml = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let code = validate_document(&yaml, Format::Yaml).findings[0].code;
    assert!(matches!(code, Code::Limit | Code::Parse), "{code}");
    let block: String = (0..5_000)
        .map(|i| format!("{}- \n", " ".repeat(i * 2)))
        .collect();
    let code = validate_document(&block, Format::Yaml).findings[0].code;
    assert!(matches!(code, Code::Limit | Code::Parse), "{code}");
}

#[test]
fn the_wrong_top_level_shape_is_a_finding() {
    for (text, format) in [
        ("[1, 2]", Format::Json),
        ("- a\n- b\n", Format::Yaml),
        ("42", Format::Json),
        ("", Format::Yaml),
        ("null", Format::Json),
    ] {
        let v = validate_document(text, format);
        assert!(!v.is_valid(), "{text:?}");
        assert_eq!(v.findings.len(), 1, "{text:?}: {:?}", v.findings);
    }
}

/// Amounts are bounded (E-RANGE above 1e15) and an impact total is never infinite, even on a
/// model that has such an amount: it used to serialise as `null`.
#[test]
fn huge_amounts_are_refused_and_totals_stay_finite() {
    let m = bcm_core::Model::from_yaml_str(
        "bcm: 1\norganization: {name: x}\n\
         functions:\n\
         - {id: a, depends_on: [db], impacts: [{after: 1h, financial: 1.7e308}]}\n\
         - {id: b, depends_on: [db], impacts: [{after: 1h, financial: 1.7e308}]}\n\
         assets: [{id: db, kind: data}]\n",
    )
    .unwrap();
    let validation = m.validate();
    let ranges: Vec<&str> = validation
        .errors()
        .filter(|f| f.code.as_str() == "E-RANGE")
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(
        ranges,
        [
            "/functions/0/impacts/0/financial",
            "/functions/1/impacts/0/financial"
        ]
    );
    let impact = bcm_core::impact::impact(
        &m,
        &bcm_core::impact::ImpactParams {
            lose: vec!["db".into()],
            at: None,
        },
    )
    .unwrap();
    assert_eq!(impact.totals["financial"], f64::MAX);
    let json = serde_json::to_value(&impact).unwrap();
    assert_eq!(json["totals"]["financial"].as_f64(), Some(f64::MAX));
}

/// `organization` is optional (DESIGN §3): a model of `bcm: 1` and one function is valid, is
/// written back without an organization, and a document without one has all its findings
/// reported (a missing organization used to hide every other finding).
#[test]
fn a_model_without_an_organization_is_valid_and_hides_no_finding() {
    let m = bcm_core::Model::from_yaml_str(
        "bcm: 1\nfunctions: [{id: f, owner: c, rto: 1h, resume: 1h}]\ncontacts: [{id: c, alternate: d}, {id: d, alternate: c}]\n",
    )
    .unwrap();
    assert!(m.organization.is_default());
    assert!(m.validate().is_valid());
    let written = m.to_json().unwrap();
    assert!(!written.contains("organization"), "{written}");
    assert_eq!(bcm_core::Model::from_json_str(&written).unwrap(), m);

    let v = validate_document(
        "bcm: 1\nfunctions: [{id: f, depends_on: [nope]}]\n",
        Format::Yaml,
    );
    let errors: Vec<(&str, &str)> = v
        .errors()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(errors, [("E-REF", "/functions/0/depends_on/0")]);
    // One that is there but cannot be read is still a finding, and the model is not built.
    let bad = load_document("bcm: 1\norganization: [x]\n", Format::Yaml);
    assert!(bad.model.is_none());
    assert_eq!(bad.findings[0].code, Code::Type);
}
