//! Simulation tallies (DESIGN §4.F) sent between processes as JSON: they read back equal,
//! merge exactly, and a tally that contradicts itself is refused with the path of the first
//! contradiction.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bcm_core::Model;
use bcm_core::simulate::{SimulateError, SimulateParams, SimulationTally, simulate_range};
use serde_json::{Value, json};

/// Two functions on one database; only `pay` has objectives: RTO 4 h, MTD 6 h with a 1 h WRT.
const MODEL: &str = "bcm: 1\norganization: {name: x}\n\
    functions:\n\
    - {id: pay, rto: 4h, mtd: 6h, wrt: 1h, depends_on: [db]}\n\
    - {id: hr, depends_on: [db]}\n\
    assets: [{id: db, kind: data, restore: {min: 1h, likely: 2h, max: 6h}}]\n";

/// Iterations `range` of losing the database, seed 11.
fn run(range: std::ops::Range<u64>) -> Result<SimulationTally, SimulateError> {
    let m = Model::from_yaml_str(MODEL).unwrap();
    let params = SimulateParams {
        lose: vec!["db".into()],
        iterations: 0,
        seed: 11,
    };
    simulate_range(&m, &params, range)
}

fn tally(range: std::ops::Range<u64>) -> SimulationTally {
    run(range).unwrap()
}

fn to_value(t: &SimulationTally) -> Value {
    serde_json::to_value(t).unwrap()
}

fn read(v: &Value) -> Result<SimulationTally, SimulateError> {
    SimulationTally::from_json_str(&v.to_string())
}

/// The path of the contradiction a tampered tally is refused for.
fn refused_at(v: &Value) -> String {
    match read(v) {
        Err(SimulateError::InvalidTally { path, .. }) => path,
        other => panic!("expected an inconsistent tally, got {other:?}"),
    }
}

#[test]
fn tallies_sent_as_json_merge_to_the_whole_run() {
    let whole = tally(0..500);
    let first = serde_json::to_string(&tally(0..123)).unwrap();
    let second = serde_json::to_string(&tally(123..500)).unwrap();
    let mut merged = SimulationTally::from_json_str(&second).unwrap();
    merged
        .merge(&SimulationTally::from_json_str(&first).unwrap())
        .unwrap();
    assert_eq!(merged, whole);
    assert_eq!(merged.result(), whole.result());
    // The JSON carries every count: it reads back to the same tally.
    let text = serde_json::to_string(&whole).unwrap();
    assert_eq!(SimulationTally::from_json_str(&text).unwrap(), whole);
}

#[test]
fn each_contradiction_is_named_by_its_path() {
    let good = to_value(&tally(0..200));
    assert_eq!(good["functions"][1]["id"], "pay");
    assert!(read(&good).is_ok());

    // Counts that the histogram does not give.
    let mut v = good.clone();
    v["functions"][1]["met_rto"] = json!(good["functions"][1]["met_rto"].as_u64().unwrap() + 1);
    assert_eq!(refused_at(&v), "/functions/1/met_rto");
    let mut v = good.clone();
    v["functions"][1]["met_mtd"] = json!(0);
    assert_eq!(refused_at(&v), "/functions/1/met_mtd");
    let mut v = good.clone();
    v["functions"][0]["sum"] = json!(1);
    assert_eq!(refused_at(&v), "/functions/0/sum");
    // `hr` has no RTO: no iteration can meet it.
    let mut v = good.clone();
    v["functions"][0]["met_rto"] = json!(3);
    assert_eq!(refused_at(&v), "/functions/0/met_rto");

    // A histogram counting other than the 200 iterations.
    let mut v = good.clone();
    v["functions"][1]["histogram"]["never"] = json!(1);
    assert_eq!(refused_at(&v), "/functions/1/histogram");
    let mut v = good.clone();
    v["iterations"] = json!(201);
    assert_eq!(refused_at(&v), "/functions/0/histogram");

    // Bins out of order, repeated, or empty.
    let mut v = good.clone();
    let counts = v["functions"][1]["histogram"]["counts"]
        .as_array_mut()
        .unwrap();
    assert!(counts.len() > 2);
    counts.swap(1, 2);
    assert_eq!(refused_at(&v), "/functions/1/histogram/counts/2");
    let mut v = good.clone();
    let first_value = good["functions"][1]["histogram"]["counts"][0][0].clone();
    v["functions"][1]["histogram"]["counts"][1][0] = first_value;
    assert_eq!(refused_at(&v), "/functions/1/histogram/counts/1");
    let mut v = good.clone();
    v["functions"][1]["histogram"]["counts"][0][1] = json!(0);
    assert_eq!(refused_at(&v), "/functions/1/histogram/counts/0");

    // Functions or nodes out of order; a node on more critical paths than there were runs.
    let mut v = good.clone();
    v["functions"].as_array_mut().unwrap().swap(0, 1);
    assert_eq!(refused_at(&v), "/functions/1/id");
    let mut v = good.clone();
    let critical = v["critical"].as_array_mut().unwrap();
    let last = critical.len() - 1;
    critical.swap(0, last);
    assert_eq!(refused_at(&v), "/critical/1/0");
    let mut v = good.clone();
    v["critical"][0][1] = json!(201);
    assert_eq!(refused_at(&v), "/critical/0/1");
}

#[test]
fn the_message_names_the_values() {
    let mut v = to_value(&tally(0..200));
    let kept = v["functions"][1]["met_rto"].as_u64().unwrap();
    v["functions"][1]["met_rto"] = json!(kept + 1);
    let message = read(&v).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "inconsistent simulation tally at /functions/1/met_rto: {}, but the histogram gives {kept}",
            kept + 1
        )
    );
}

#[test]
fn text_that_is_not_a_tally_is_refused() {
    for text in [
        "",
        "[]",
        "{\"seed\": 1}",
        "{\"seed\": -1, \"iterations\": 0, \"functions\": [], \"critical\": []}",
    ] {
        assert!(
            matches!(
                SimulationTally::from_json_str(text),
                Err(SimulateError::TallyJson(_))
            ),
            "{text:?}"
        );
    }
    let mut v = to_value(&tally(0..10));
    v["extra"] = json!(1);
    assert!(matches!(read(&v), Err(SimulateError::TallyJson(m)) if m.contains("extra")));
}

#[test]
fn merging_tallies_of_other_runs_or_past_the_counts_fails_and_changes_nothing() {
    let left = tally(0..50);
    let mut other_seed = to_value(&tally(50..100));
    other_seed["seed"] = json!(12);
    let mut t = left.clone();
    assert_eq!(
        t.merge(&read(&other_seed).unwrap()),
        Err(SimulateError::Mismatch("the seeds differ"))
    );
    assert_eq!(t, left);

    // Counts only a forged tally has: the merge would overflow.
    let mut huge = left.clone();
    huge.iterations = u64::MAX;
    assert_eq!(t.merge(&huge), Err(SimulateError::Overflow));
    assert_eq!(t, left);
}

#[test]
fn a_range_ending_before_it_starts_is_refused_and_an_empty_one_adds_nothing() {
    let (start, end) = (10, 5);
    let err = run(start..end).unwrap_err();
    assert_eq!(err, SimulateError::InvertedRange { start: 10, end: 5 });
    assert_eq!(err.to_string(), "end (5) is before start (10)");

    let empty = tally(7..7);
    assert_eq!(empty.iterations, 0);
    let mut t = tally(0..40);
    let before = t.clone();
    t.merge(&empty).unwrap();
    assert_eq!(t, before);
}

/// A tally knows which iterations it counts: merging one with itself, or with a tally of
/// overlapping iterations, is refused (it used to count them twice), and the tally is unchanged.
#[test]
fn tallies_of_shared_iterations_do_not_merge() {
    let t = tally(0..40);
    assert_eq!(t.ranges, [(0, 40)]);
    let mut same = t.clone();
    let err = same.merge(&t).unwrap_err();
    assert_eq!(err, SimulateError::Overlap { start: 0, end: 40 });
    assert_eq!(
        err.to_string(),
        "cannot merge tallies that both count iterations 0 to 40 (not included)"
    );
    assert_eq!(same, t);
    let mut left = tally(0..40);
    assert_eq!(
        left.merge(&tally(30..60)),
        Err(SimulateError::Overlap { start: 30, end: 40 })
    );
    // Disjoint ranges merge; ranges that touch are joined, others kept apart.
    left.merge(&tally(40..50)).unwrap();
    left.merge(&tally(70..80)).unwrap();
    assert_eq!(left.ranges, [(0, 50), (70, 80)]);
    assert_eq!(left.iterations, 60);
    let mut gap = tally(50..70);
    gap.merge(&left).unwrap();
    assert_eq!(gap, tally(0..80));
}

/// The ranges read back from JSON must be sorted, apart and as many iterations as counted.
#[test]
fn tampered_ranges_are_refused_at_their_path() {
    let mut v = to_value(&tally(0..40));
    v["ranges"] = json!([[0, 20], [10, 40]]);
    assert_eq!(refused_at(&v), "/ranges/1");
    v["ranges"] = json!([[0, 39]]);
    assert_eq!(refused_at(&v), "/ranges");
    v["ranges"] = json!([[5, 5], [5, 45]]);
    assert_eq!(refused_at(&v), "/ranges/0");
    let mut old = to_value(&tally(0..40));
    old.as_object_mut().unwrap().remove("ranges");
    assert!(matches!(read(&old), Err(SimulateError::TallyJson(m)) if m.contains("ranges")));
}
