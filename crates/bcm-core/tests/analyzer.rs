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

/// One thread (none started), two or five: the same schedule and the same simulation, bit for
/// bit (DESIGN §6: the caller decides the threads, never the answer).
#[test]
fn any_thread_count_gives_the_same_answers() {
    use bcm_core::Threads;
    let m = Model::from_yaml_str(&agency_text()).unwrap();
    let lose = vec!["chelsea-dc".to_owned()];
    let params = SimulateParams {
        lose: lose.clone(),
        iterations: 3000,
        seed: 11,
    };
    let mut answers = Vec::new();
    for count in [1, 2, 5] {
        let a = Analyzer::borrowed(&m);
        a.set_threads(Threads::new(count).unwrap());
        assert_eq!(a.threads().get(), count as usize);
        let schedule = a.schedule(&ScheduleParams { lose: lose.clone() }).unwrap();
        answers.push((schedule, a.simulate(&params).unwrap()));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[0], answers[2]);
}

/// A cancelled simulation or Monte Carlo availability stops between chunks with `Cancelled`,
/// whether asked before it starts or from another thread while it runs; reset, it runs again.
#[test]
fn long_work_stops_when_cancelled() {
    use bcm_core::availability::{AvailabilityError, AvailabilityParams};
    use bcm_core::simulate::SimulateError;
    let m = Model::from_yaml_str(&agency_text()).unwrap();
    let a = Analyzer::borrowed(&m);
    let params = SimulateParams {
        lose: vec!["chelsea-dc".into()],
        iterations: 1_000_000_000,
        seed: 1,
    };
    a.cancel().request();
    assert_eq!(a.simulate(&params), Err(SimulateError::Cancelled));
    let mc = AvailabilityParams {
        iterations: 1_000_000_000,
        ..Default::default()
    };
    // Seventeen components shared by a and b: more than factoring conditions on (16), so the
    // availability is estimated by Monte Carlo.
    let hosts: Vec<String> = (0..17).map(|i| format!("h{i}")).collect();
    let mut yaml = format!(
        "bcm: 1\nfunctions: [{{id: f, depends_on: [a, b]}}]\nassets:\n\
         - {{id: a, kind: application, depends_on: [{0}]}}\n\
         - {{id: b, kind: application, depends_on: [{0}]}}\n",
        hosts.join(", ")
    );
    for h in &hosts {
        yaml.push_str(&format!(
            "- {{id: {h}, kind: infrastructure, reliability: {{mtbf: 990h, mttr: 10h}}}}\n"
        ));
    }
    let shared = Model::from_yaml_str(&yaml).unwrap();
    let b = Analyzer::borrowed(&shared);
    let quick = AvailabilityParams {
        iterations: 640,
        ..Default::default()
    };
    let estimated = b.availability(&quick).unwrap();
    assert!(
        estimated
            .nodes
            .iter()
            .any(|n| n.method == bcm_core::availability::Method::MonteCarlo)
    );
    b.cancel().request();
    assert_eq!(b.availability(&mc), Err(AvailabilityError::Cancelled));
    // The work that stopped withdrew the request: the next call runs.
    assert!(!b.cancel().is_requested());
    assert!(b.availability(&quick).is_ok());

    // From another thread, 200 ms in: a billion iterations would take minutes.
    let started = std::time::Instant::now();
    let token = a.cancel().clone();
    let stopper = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        token.request();
    });
    assert_eq!(a.simulate(&params), Err(SimulateError::Cancelled));
    stopper.join().unwrap();
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    let small = SimulateParams {
        iterations: 10,
        ..params
    };
    assert_eq!(a.simulate(&small).unwrap().iterations, 10);
}
