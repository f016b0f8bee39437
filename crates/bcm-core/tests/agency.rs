//! Hand-checked expectations on the bundled example, `examples/agency.yaml`.

// Test helpers outside #[test] fns panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bcm_core::graph::UnitKind;
use bcm_core::{DependencyGraph, Duration, Model, NodeKind};

fn agency() -> Model {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/agency.yaml");
    Model::from_yaml_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_example_is_the_agency_the_issue_describes() {
    let m = agency();
    assert_eq!(m.functions.len(), 12);
    assert_eq!(m.assets.len(), 60);
    assert_eq!(m.assets.iter().filter(|a| a.is_group()).count(), 8);
    assert_eq!(m.sites.len(), 3);
    assert!(m.sites.iter().all(|s| s.location.is_some()));
    assert_eq!(
        m.vendors
            .iter()
            .filter(|v| v.bc_obligation == Some(false))
            .count(),
        2
    );
    let kinds: std::collections::BTreeSet<&str> = m.plans.iter().map(|p| p.kind.as_str()).collect();
    assert_eq!(
        kinds.into_iter().collect::<Vec<_>>(),
        ["bcp", "coop", "drp", "incident-response"]
    );
    assert_eq!(
        (m.exercises.len(), m.changes.len(), m.assessments.len()),
        (3, 6, 1)
    );
    let payroll = m
        .functions
        .iter()
        .find(|f| f.id.as_str() == "payroll")
        .unwrap();
    assert_eq!(payroll.rto, Some(Duration::from_days(1)));
    assert_eq!(payroll.resume.unwrap().likely(), Duration::from_hours(2));
}

#[test]
fn the_example_is_valid_with_one_known_warning() {
    let v = agency().validate();
    let found: Vec<String> = v
        .findings
        .iter()
        .map(|f| format!("{} {}", f.code, f.path))
        .collect();
    assert_eq!(found, ["W-ALTERNATE /contacts/21/alternate"]);
}

#[test]
fn the_example_graph_counts_by_hand() {
    let m = agency();
    let g = DependencyGraph::new(&m);
    // 12 functions + 60 assets + 6 vendors.
    assert_eq!(g.node_count(), 78);
    // Counted from the YAML with PyYAML: depends_on entries (38 on functions, 60 on assets) and
    // 17 group members (2+2+2+2+3+2+2+2).
    let depends: usize = m
        .functions
        .iter()
        .map(|f| f.depends_on.len())
        .sum::<usize>()
        + m.assets.iter().map(|a| a.depends_on.len()).sum::<usize>();
    assert_eq!(depends, 38 + 60);
    assert_eq!(g.edge_count(), 38 + 60 + 17);
    assert!(g.cycles().is_empty());
    assert_eq!(g.recovery_order().len(), 78);
    let unit = |id: &str| g.failure_unit(id).unwrap();
    let lost = |id: &str| {
        let mut v: Vec<&str> = unit(id).lost.iter().map(|n| g.id(*n)).collect();
        v.sort();
        v
    };
    assert_eq!(unit("acme-cloud").kind, UnitKind::Vendor);
    assert_eq!(
        lost("acme-cloud"),
        ["acme-cloud", "document-store", "email", "public-website"]
    );
    assert_eq!(
        lost("springfield-dr"),
        [
            "ad-dc-2",
            "backup-system",
            "dr-host",
            "dr-network",
            "dr-storage",
            "springfield-facility",
            "tape-library",
            "tax-db-standby"
        ]
    );
    assert_eq!(lost("tax-db"), ["tax-db-primary", "tax-db-standby"]);
    assert_eq!(
        g.weight(g.node("identity").unwrap()).unwrap().kind,
        NodeKind::Group
    );
}

#[test]
fn the_example_round_trips_through_both_formats() {
    let m = agency();
    assert_eq!(Model::from_json_str(&m.to_json().unwrap()).unwrap(), m);
    assert_eq!(Model::from_yaml_str(&m.to_yaml().unwrap()).unwrap(), m);
}
