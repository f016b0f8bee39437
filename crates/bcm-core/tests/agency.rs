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

#[test]
fn objectives_by_hand() {
    use bcm_core::objectives::{Gap, ObjectivesParams, objectives};
    let r = objectives(&agency(), &ObjectivesParams::default());
    let get = |id: &str| r.nodes.iter().find(|n| n.id == id).unwrap();
    // payroll: RTO 1d, resumes in 2h → hr-payroll-app by 22h; restores in 3h → hr-db by 19h.
    assert_eq!(get("hr-payroll-app").required, Some(22 * 3600));
    assert_eq!(get("hr-db").required, Some(19 * 3600));
    assert_eq!(get("hr-db").required_rpo, Some(4 * 3600));
    // e-mail: public-communications (RTO 8h, resume 1h, tolerance 4h) needs it by max(4h, 7h) = 7h,
    // the tightest of its dependents; it restores in 8h: a G-RTO gap.
    assert_eq!(get("email").required, Some(7 * 3600));
    assert_eq!(get("email").gaps, [Gap::Rto]);
    // online-services 12h − 1h → portal 11h − 2h → engine 9h − 4h → tax-db 5h (group: no dur) →
    // primary 5h − 4h → vm-cluster 1h → esx hosts 1h − 4h < 0 → power by 0: its 10s switchover
    // alone breaks the RTO.
    assert_eq!(get("tax-db").required, Some(5 * 3600));
    assert_eq!(get("dc-power").required, Some(0));
    assert_eq!(get("dc-power").gaps, [Gap::Failover]);
}

#[test]
fn impact_of_losing_the_cloud_vendor_by_hand() {
    use bcm_core::impact::{ImpactParams, impact};
    let params = ImpactParams {
        lose: vec!["acme-cloud".into()],
        at: Some(Duration::from_days(1)),
    };
    let r = impact(&agency(), &params).unwrap();
    let down: Vec<(&str, u64)> = r
        .functions
        .iter()
        .map(|f| (f.id.as_str(), f.down_at))
        .collect();
    // Lost: acme-cloud, document-store, email, public-website. imaging needs the document store
    // (tax processing, audits at 0); the website is hard for public communications (0); e-mail is
    // tolerated 1d (online services, child support, payroll) or 3d (local services).
    assert_eq!(
        down,
        [
            ("audits-collections", 0),
            ("child-support-enforcement", 86_400),
            ("local-services", 259_200),
            ("online-services", 86_400),
            ("payroll", 86_400),
            ("public-communications", 0),
            ("tax-processing", 0),
        ]
    );
    // At 1d: tax processing has been down 1d (its 1d step: 100000, operational 2); public
    // communications 1d (its 8h step: reputational 2); the others not yet past a step.
    assert_eq!(r.totals["financial"], 100_000.0);
    assert_eq!(r.totals["operational"], 2.0);
    assert_eq!(r.totals["reputational"], 2.0);
}

#[test]
fn spof_and_coverage_by_hand() {
    use bcm_core::spof::{SpofParams, spof};
    let r = spof(&agency(), &SpofParams::default());
    let functions = r.functions();
    let payroll = functions.iter().find(|f| f.id == "payroll").unwrap();
    // hr-payroll-app and hr-db have no redundancy; the SAN under every virtualization host takes
    // the 2-of-3 cluster down; the data center takes all of it. Power, network and identity are
    // redundant (1-of-2 with members at different places or independent).
    assert_eq!(
        payroll.spofs,
        ["chelsea-dc", "hr-db", "hr-payroll-app", "san"]
    );
    assert_eq!(
        (
            r.coverage.critical,
            r.coverage.without_spof,
            r.coverage.with_realtime_failover
        ),
        (6, 0, 0)
    );
}

#[test]
fn availability_by_hand() {
    use bcm_core::availability::{AvailabilityParams, Method, availability};
    let r = availability(&agency(), &AvailabilityParams::default()).unwrap();
    let get = |id: &str| r.nodes.iter().find(|n| n.id == id).unwrap();
    // utility power 4380h/(4380h + 4h); generator 8760h/(8760h + 12h); power is 1-of-2.
    let utility = 4380.0 / 4384.0;
    let generator = 8760.0 / 8772.0;
    assert!((get("utility-power").availability - utility).abs() < 1e-15);
    let power = 1.0 - (1.0 - utility) * (1.0 - generator);
    assert!((get("dc-power").availability - power).abs() < 1e-15);
    assert_eq!(
        get("dc-power").annual_downtime,
        ((1.0 - power) * 365.0 * 86_400.0).round() as u64
    );
    assert!(
        r.nodes.iter().all(|n| n.method == Method::Exact),
        "every shared set is small enough to factor"
    );
}
