//! Control maturity (DESIGN §4.K) on hand-worked models: the threshold's edges, a lower level
//! missed, what the model demonstrates, and the JSON shape.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use bcm_core::Model;
use bcm_core::maturity::{Maturity, MaturityError, MaturityParams, Source, maturity};

fn assessed(text: &str, at: &str, threshold: Option<f64>) -> Maturity {
    let m = Model::from_yaml_str(text).unwrap();
    let mut params = MaturityParams::at(at.parse().unwrap());
    params.threshold = threshold;
    maturity(&m, &params).unwrap()
}

fn declaring(met: &str) -> String {
    format!("bcm: 1\nassessments: [{{control: BCD-12.2, date: 2026-01-10, met: [{met}]}}]\n")
}

#[test]
fn a_level_is_reached_at_exactly_the_threshold() {
    // An empty model demonstrates nothing; the assessor declares 4 of level 1's 5 criteria.
    let text = declaring("L1.1, L1.2, L1.3, L1.4");
    let r = assessed(&text, "2026-02-01", None);
    assert_eq!((r.levels[0].met, r.levels[0].total), (4, 5));
    assert!(r.levels[0].reached);
    assert_eq!(r.level, 1);
    // 80% is not 81%.
    assert_eq!(assessed(&text, "2026-02-01", Some(0.81)).level, 0);
    // 3 of 5 is 60%.
    assert_eq!(
        assessed(&declaring("L1.1, L1.2, L1.3"), "2026-02-01", None).level,
        0
    );
}

#[test]
fn a_level_needs_every_lower_level() {
    // Every criterion of levels 2 and 3, but only 3 of level 1's 5: level 0.
    let all_above: Vec<String> = (1..=11)
        .flat_map(|i| [format!("L2.{i}"), format!("L3.{i}")])
        .collect();
    let text = declaring(&format!("L1.1, L1.2, L1.3, {}", all_above.join(", ")));
    let r = assessed(&text, "2026-02-01", None);
    assert_eq!(r.levels[1].met, 11);
    assert!(!r.levels[0].reached && !r.levels[1].reached && !r.levels[2].reached);
    assert_eq!(r.level, 0);
    // Levels 4 and 5 do not apply to BCD-12.2: the cap is 3.
    assert_eq!(r.cap, 3);
    assert!(!r.levels[3].applicable && !r.levels[4].applicable);
    assert_eq!(r.levels[3].share, None);
}

#[test]
fn the_latest_assessment_by_the_date_is_read() {
    let text = "bcm: 1\nassessments:\n\
                - {id: old, control: BCD-12.2, date: 2025-01-10, met: [L1.1, L1.2, L1.3, L1.4, L1.5]}\n\
                - {id: new, control: BCD-12.2, date: 2026-01-10, met: [L1.1]}\n";
    let before = assessed(text, "2025-06-01", None);
    assert_eq!(
        (before.level, before.assessments.clone()),
        (1, vec!["old".to_owned()])
    );
    let after = assessed(text, "2026-06-01", None);
    assert_eq!(
        (after.level, after.assessments.clone()),
        (0, vec!["new".to_owned()])
    );
    // Without any assessment, `declared` is null rather than false.
    let none = assessed("bcm: 1\n", "2026-06-01", None);
    assert_eq!(none.criteria[0].declared, None);
    assert!(none.assessments.is_empty());
}

/// pay (critical) needs a near-real-time pair of databases at hq and dr; web (critical, no RPO,
/// no BIA) needs a CDN service with no owner. The DRP covers the pair; the BCP (no owner, no
/// team) covers pay. Nothing is declared.
const DERIVED: &str = "\
bcm: 1
sites: [{id: hq, role: primary}, {id: dr, role: alternate}]
contacts: [{id: ann}]
teams: [{id: t, members: [ann]}]
functions:
  - {id: pay, criticality: critical, rto: 4h, rpo: 1h, bia: 2026-01-01, depends_on: [db-pair]}
  - {id: web, criticality: critical, rto: 1d, depends_on: [cdn]}
assets:
  - {id: db1, kind: data, site: hq, owner: ann, team: t, backup_interval: 30m, restore: 1h}
  - {id: db2, kind: data, site: dr, owner: ann, team: t, backup_interval: 2h, restore: 1h}
  - {id: db-pair, kind: group, members: [db1, db2], failover: near-real-time}
  - {id: cdn, kind: service, restore: 2h, backup_interval: 1h}
plans:
  - {id: drp, kind: drp, covers: [db-pair], owner: ann, teams: [t]}
  - {id: bcp, kind: bcp, covers: [pay]}
";

#[test]
fn the_model_demonstrates_what_it_can() {
    let r = assessed(DERIVED, "2026-06-01", None);
    let verdict = |id: &str| {
        let c = r.criteria.iter().find(|c| c.id == id).unwrap();
        (c.derived, c.failing.clone())
    };
    let yes = (Some(true), vec![]);
    let no = |failing: &[&str]| {
        (
            Some(false),
            failing.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(verdict("L1.1"), yes); // both critical functions record their dependencies
    assert_eq!(verdict("L1.2"), yes); // a DRP exists
    assert_eq!(verdict("L1.3"), yes); // a BCP exists
    assert_eq!(verdict("L1.4"), yes); // db1, db2 and cdn are backed up
    assert_eq!(verdict("L1.5"), no(&[])); // the only group holds data, not infrastructure
    assert_eq!(verdict("L2.1"), (None, vec![])); // only an assessor can tell
    assert_eq!(verdict("L2.3"), no(&["bcp"])); // no owner, no team
    assert_eq!(verdict("L2.4"), yes); // RTOs, and dr is an alternate site
    assert_eq!(verdict("L2.5"), no(&["web"])); // the DRP reaches pay through db-pair only
    assert_eq!(verdict("L2.6"), no(&["web"])); // critical without a BIA
    assert_eq!(verdict("L2.7"), no(&["web"]));
    assert_eq!(verdict("L2.8"), yes); // db1 and db2 each have a copy at the other site
    // db2 is backed up every 2h; pay's RPO is 1h.
    assert_eq!(verdict("L2.9"), no(&["db2"]));
    assert_eq!(verdict("L2.10"), no(&["web"]));
    assert_eq!(verdict("L2.11"), no(&["pay", "web"]));
    assert_eq!(verdict("L3.1"), no(&["bcp"])); // no COOP either
    assert_eq!(verdict("L3.2"), no(&["cdn", "db-pair"])); // no owners
    assert_eq!(verdict("L3.4"), yes);
    assert_eq!(verdict("L3.5"), no(&["web"]));
    assert_eq!(verdict("L3.7"), no(&["db2", "web"]));
    assert_eq!(verdict("L3.8"), no(&["web"])); // no G-RTO gap; the BCP misses web
    assert_eq!(verdict("L3.9"), no(&["cdn"]));
    // Level 1: L1.1–L1.4, 4 of 5 = 80%: reached. Level 2: L2.4 and L2.8, 2 of 11.
    assert_eq!((r.levels[0].met, r.levels[1].met), (4, 2));
    assert_eq!(r.level, 1);
    let l24 = r.criteria.iter().find(|c| c.id == "L2.4").unwrap();
    assert_eq!((l24.source, l24.declared), (Source::Derived, None));
    assert_eq!(l24.evidence, "2 of 2 critical functions with an RTO");
}

#[test]
fn parameters_are_checked() {
    let m = Model::from_yaml_str("bcm: 1\n").unwrap();
    assert_eq!(
        maturity(&m, &MaturityParams::default()),
        Err(MaturityError::NoDate)
    );
    for bad in [0.0, -0.5, 1.01, f64::NAN] {
        let mut p = MaturityParams::at("2026-01-01".parse().unwrap());
        p.threshold = Some(bad);
        assert!(
            matches!(maturity(&m, &p), Err(MaturityError::Threshold { .. })),
            "{bad}"
        );
    }
    let mut p = MaturityParams::at("2026-01-01".parse().unwrap());
    p.control = Some("BCD-1".to_owned());
    assert_eq!(
        maturity(&m, &p).unwrap_err().to_string(),
        "bcm has no maturity criteria for control 'BCD-1' (it knows: BCD-12.2)"
    );
}

#[test]
fn the_json_shape_is_pinned() {
    let r = assessed(DERIVED, "2026-06-01", None);
    let v = serde_json::to_value(&r).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&v),
        [
            "control",
            "name",
            "soc2",
            "at",
            "threshold",
            "level",
            "cap",
            "assessments",
            "levels",
            "criteria"
        ]
    );
    assert_eq!(v["soc2"], serde_json::json!(["A1.2"]));
    assert_eq!(
        keys(&v["levels"][0]),
        ["level", "applicable", "met", "total", "share", "reached"]
    );
    assert_eq!(
        keys(&v["criteria"][0]),
        [
            "id", "level", "text", "met", "source", "declared", "derived", "check", "evidence",
            "failing"
        ]
    );
    assert_eq!(v["criteria"][0]["check"], "critical-identified");
    let l12 = &v["criteria"][1];
    assert_eq!(
        (l12["source"].as_str(), l12["check"].clone()),
        (Some("derived"), serde_json::json!({"any-plan": "drp"}))
    );
}
