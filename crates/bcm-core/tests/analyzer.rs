//! The analysis session: one model, its graph and derived data, shared by every analysis.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use bcm_core::schedule::{ScheduleError, ScheduleParams};
use bcm_core::simulate::SimulateParams;
use bcm_core::{Analyzer, Format, Model, read_document};

fn agency_text() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/agency.yaml");
    std::fs::read_to_string(path).unwrap()
}

/// Every analysis through one analyzer gives what the free function gives on the same model,
/// whatever order they run in (the derived data is shared, never stale).
#[test]
fn one_analyzer_answers_as_the_free_functions_do() {
    let m = Model::from_yaml_str(&agency_text()).unwrap();
    let a = Analyzer::borrowed(&m);
    let lose = ScheduleParams {
        lose: vec!["chelsea-dc".into()],
    };
    // The schedule first: it builds the layout and the required times the objectives reuse.
    assert_eq!(
        a.schedule(&lose).unwrap(),
        bcm_core::schedule::schedule(&m, &lose).unwrap()
    );
    assert_eq!(
        a.objectives(&Default::default()),
        bcm_core::objectives::objectives(&m, &Default::default())
    );
    assert_eq!(
        a.spof(&Default::default()).coverage,
        bcm_core::spof::spof(&m, &Default::default()).coverage
    );
    let sim = SimulateParams {
        lose: vec!["chelsea-dc".into()],
        iterations: 300,
        seed: 3,
    };
    assert_eq!(
        a.simulate(&sim).unwrap(),
        bcm_core::simulate::simulate(&m, &sim).unwrap()
    );
    assert_eq!(a.validate(), m.validate());
}

/// A schedule computed by one analyzer is refused by another: its node numbers mean nothing
/// there, even when the models are equal.
#[test]
fn a_schedule_is_written_out_only_by_the_analyzer_that_computed_it() {
    let m = Model::from_yaml_str(&agency_text()).unwrap();
    let (a, b) = (Analyzer::borrowed(&m), Analyzer::new(m.clone()));
    let params = ScheduleParams {
        lose: vec!["chelsea-dc".into()],
    };
    let times = a.schedule_times(&params).unwrap();
    assert_eq!(b.schedule_report(&times), Err(ScheduleError::OtherModel));
    assert_eq!(
        ScheduleError::OtherModel.to_string(),
        "this schedule was computed on another model"
    );
    assert_eq!(
        a.schedule_report(&times).unwrap(),
        a.schedule(&params).unwrap()
    );
}

/// `read_document` parses once and hands over the analyzer validation used: the findings are
/// those of `validate_document`, and the model those of the strict loader.
#[test]
fn a_document_is_read_once_into_its_findings_and_its_analyzer() {
    let text = agency_text();
    let document = read_document(&text, Format::Yaml);
    assert_eq!(
        document.validation,
        bcm_core::validate_document(&text, Format::Yaml)
    );
    let analyzer = document.analyzer.unwrap();
    assert_eq!(analyzer.model(), &Model::from_yaml_str(&text).unwrap());

    // With an error the model is still there for the analyses, and the bad `rto` is reported
    // once (E-DURATION, not also W-NO-RTO for the field it left out).
    let broken = "bcm: 1\norganization: {name: x}\nfunctions: [{id: f, rto: 4 hours}]\n";
    let document = read_document(broken, Format::Yaml);
    let codes: Vec<(&str, &str)> = document
        .validation
        .findings
        .iter()
        .map(|f| (f.code.as_str(), f.path.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("E-DURATION", "/functions/0/rto"),
            ("W-NO-OWNER", "/functions/0/owner"),
            ("W-NO-RESTORE", "/functions/0/resume")
        ]
    );
    assert_eq!(document.analyzer.unwrap().model().functions[0].rto, None);
}
