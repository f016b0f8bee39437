//! The report (DESIGN §4.L): the small model of `examples/small-report.yaml` worked out by hand,
//! its Markdown against a golden file, the JSON shape, the HTML's self-containment and
//! accessibility, redaction, and the DOT and Mermaid exports.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::PathBuf;

use bcm_core::report::{
    Format, GraphFormat, GraphParams, Report, ReportError, ReportParams, export_graph, render,
};
use bcm_core::{Analyzer, Date, Model};
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn load(name: &str) -> Analyzer<'static> {
    let text = std::fs::read_to_string(root().join("examples").join(name)).unwrap();
    Analyzer::new(Model::from_yaml_str(&text).unwrap())
}

fn params() -> ReportParams {
    ReportParams {
        at: Some("2026-07-01".parse::<Date>().unwrap()),
        iterations: 100,
        years: 1000,
        ..ReportParams::default()
    }
}

fn small() -> Report {
    load("small-report.yaml").report(&params()).unwrap()
}

fn table<'r>(report: &'r Report, section: &str, table: &str) -> &'r bcm_core::report::Table {
    report
        .sections
        .iter()
        .find(|s| s.id == section)
        .and_then(|s| s.tables.iter().find(|t| t.id == table))
        .unwrap_or_else(|| panic!("no table {section}/{table}"))
}

#[test]
fn the_small_model_is_worked_out_by_hand() {
    let r = small();
    // hq loses db and crm; dr loses nothing: hq is the worst site loss.
    assert_eq!(r.scenario, Some(vec!["hq".to_owned()]));
    let worst = r.summary.worst_loss.as_ref().unwrap();
    assert_eq!(worst.chosen, "worst-site");
    assert_eq!(worst.affected, 2);
    // One team, one restore at a time, db first (billing needs it by 4h): db is back at 6h, so
    // billing misses its 4h RTO by 2h; crm follows, back at 8h, within support's 1d.
    assert_eq!(worst.breaches.len(), 1);
    let b = &worst.breaches[0];
    assert_eq!(
        (b.id.as_str(), b.rto, b.up_at, b.breach),
        ("billing", Some(4 * 3600), Some(6 * 3600), Some(2 * 3600))
    );
    // Durations are exact: every simulated recovery is the schedule.
    assert_eq!(worst.p_meet_rto, vec![("billing".to_owned(), 0.0)]);
    let waves = table(&r, "schedule", "waves");
    assert_eq!(
        waves.rows,
        vec![
            vec![json!(0), json!(["db"])],
            vec![json!(6 * 3600), json!(["crm"])]
        ]
    );
    // hq takes both functions down, db billing (critical), crm support.
    let spofs: Vec<(&str, usize, usize)> = r
        .summary
        .top_spofs
        .iter()
        .map(|b| (b.id.as_str(), b.takes_down, b.critical))
        .collect();
    assert_eq!(spofs, vec![("hq", 2, 1), ("db", 1, 1), ("crm", 1, 0)]);
    assert_eq!(
        (r.summary.coverage.critical, r.summary.coverage.without_spof),
        (1, 0)
    );
    // db must be back by billing's 4h but takes 6h: a G-RTO gap short by 2h.
    assert_eq!(
        table(&r, "objectives", "gaps").rows,
        vec![vec![
            json!("db"),
            json!("asset"),
            json!("G-RTO"),
            json!(4 * 3600),
            json!(6 * 3600),
            json!(2 * 3600)
        ]]
    );
    // Never recovered, billing reaches its last step (5,000 after 4h); support has no curve.
    let impact = table(&r, "impact", "functions");
    assert_eq!(impact.rows[0][0], json!("billing"));
    assert_eq!(impact.rows[0][3], json!(5000.0));
    let simulated = table(&r, "simulation", "functions");
    assert_eq!(simulated.rows[0][2], json!(0.0));
    assert_eq!(simulated.rows[1][2], json!(1.0));
    // The plan was reviewed and tested this year; the people trained this year.
    assert_eq!(r.summary.actions_due, Some(0));
    assert!(r.summary.top_risks.is_empty());
}

#[test]
fn the_markdown_matches_its_golden_file() {
    let markdown = render(&small(), Format::Markdown).unwrap();
    let golden = root().join("crates/bcm-core/tests/golden/small-report.md");
    if std::env::var_os("BCM_BLESS").is_some() {
        std::fs::write(&golden, &markdown).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).expect("BCM_BLESS=1 writes the golden file");
    assert_eq!(
        markdown, expected,
        "the Markdown changed (BCM_BLESS=1 to accept)"
    );
}

#[test]
fn the_json_shape_is_pinned() {
    let value: Value = serde_json::from_str(&render(&small(), Format::Json).unwrap()).unwrap();
    let keys = |v: &Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&value),
        [
            "organization",
            "bcm_version",
            "at",
            "scenario",
            "iterations",
            "years",
            "seed",
            "redacted",
            "currency",
            "summary",
            "sections"
        ]
    );
    assert_eq!(
        keys(&value["summary"]),
        [
            "model",
            "coverage",
            "top_spofs",
            "worst_loss",
            "top_risks",
            "actions_due",
            "conformance_percent",
            "maturity_level",
            "headlines"
        ]
    );
    assert_eq!(
        keys(&value["summary"]["worst_loss"]),
        ["lose", "chosen", "affected", "breaches", "p_meet_rto"]
    );
    let sections: Vec<&str> = value["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        sections,
        [
            "validation",
            "objectives",
            "impact",
            "spof",
            "schedule",
            "simulation",
            "availability",
            "risk",
            "currency",
            "conformance",
            "maturity",
            "contacts"
        ]
    );
    let section = &value["sections"][4];
    assert_eq!(
        keys(section),
        [
            "id",
            "letter",
            "title",
            "available",
            "lead",
            "tables",
            "charts"
        ]
    );
    assert_eq!(
        keys(&section["tables"][0]),
        ["id", "title", "columns", "rows"]
    );
    assert_eq!(
        keys(&section["tables"][0]["columns"][0]),
        ["key", "label", "kind"]
    );
    assert_eq!(keys(&section["charts"][0]), ["title", "description"]);
    assert_eq!(value["summary"]["headlines"][3]["section"], "schedule");
}

#[test]
fn the_html_stands_alone_and_every_chart_is_labelled() {
    let html = render(
        &load("agency.yaml").report(&params()).unwrap(),
        Format::Html,
    )
    .unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no script");
    // Nothing is fetched: the only URL is the SVG namespace.
    for scheme in ["http://", "https://", "//fonts", "@import", "src="] {
        let found: Vec<&str> = html
            .match_indices(scheme)
            .map(|(i, _)| &html[i..(i + 40).min(html.len())])
            .filter(|s| !s.starts_with("http://www.w3.org/2000/svg"))
            .collect();
        assert!(found.is_empty(), "{scheme}: {found:?}");
    }
    let charts = html.matches("<svg").count();
    // Gantt, impact, distribution, blast radius, dependency graph, heat map, loss exceedance.
    assert_eq!(charts, 7);
    for svg in html.split("<svg").skip(1) {
        let head = &svg[..svg.find("</desc>").expect("a <desc>")];
        assert!(
            head.contains("<title>") && head.contains("<desc>"),
            "{head}"
        );
    }
    assert!(html.contains("@media print"));
    assert!(html.contains("<th scope=\"col\">"));
    assert!(html.contains("Losing chelsea-dc"));
    assert!(html.len() < 5_000_000);
}

#[test]
fn redaction_leaves_no_personal_data_in_any_format() {
    let analyzer = load("agency.yaml");
    let personal: Vec<String> = analyzer
        .model()
        .contacts
        .iter()
        .flat_map(|c| [c.name.clone(), c.phone.clone(), c.email.clone()])
        .flatten()
        .collect();
    assert!(
        personal.len() > 20,
        "the agency has names, phones and e-mail"
    );
    let outputs = |report: &Report| -> Vec<String> {
        let mut all = vec![
            render(report, Format::Html).unwrap(),
            render(report, Format::Markdown).unwrap(),
            render(report, Format::Json).unwrap(),
        ];
        let csv: Vec<String> = report
            .csv_files()
            .unwrap()
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        all.push(csv.concat());
        all
    };
    let plain = analyzer.report(&params()).unwrap();
    let shown = outputs(&plain);
    // Without redaction the contacts table shows them (so the check below can fail).
    for p in &personal {
        assert!(shown.iter().all(|o| o.contains(p.as_str())), "{p} shown");
    }
    let redacted = analyzer
        .report(&ReportParams {
            redact_personal: true,
            ..params()
        })
        .unwrap();
    assert!(redacted.redacted);
    for (i, o) in outputs(&redacted).iter().enumerate() {
        for p in &personal {
            assert!(!o.contains(p.as_str()), "output {i} shows {p}");
        }
    }
}

#[test]
fn csv_files_hold_every_row_with_raw_values() {
    let r = small();
    let files = r.csv_files().unwrap();
    let waves = files
        .iter()
        .find(|(name, _)| name == "schedule-waves.csv")
        .unwrap();
    assert_eq!(waves.1, "start,restores\n0,db\n21600,crm\n");
    let tables: usize = r.sections.iter().map(|s| s.tables.len()).sum();
    assert_eq!(files.len(), tables);
}

#[test]
fn without_sites_the_recovery_sections_say_so_and_the_rest_stands() {
    let m = Model::from_yaml_str(
        "bcm: 1\norganization: {name: x}\nfunctions: [{id: f, rto: 1h, depends_on: [a]}]\n\
         assets: [{id: a, kind: data, restore: 2h}]\n",
    )
    .unwrap();
    let r = Analyzer::new(m).report(&ReportParams::default()).unwrap();
    assert_eq!(r.scenario, None);
    for id in [
        "impact",
        "schedule",
        "simulation",
        "currency",
        "conformance",
        "maturity",
    ] {
        let s = r.sections.iter().find(|s| s.id == id).unwrap();
        assert!(!s.available, "{id}");
        assert_eq!(s.lead.len(), 1, "{id}: one line");
    }
    assert!(
        r.sections
            .iter()
            .find(|s| s.id == "spof")
            .unwrap()
            .available
    );
    // A scenario given by hand still works without sites.
    let given = load("small-report.yaml")
        .report(&ReportParams {
            lose: vec!["crm".into()],
            ..params()
        })
        .unwrap();
    assert_eq!(given.summary.worst_loss.unwrap().chosen, "given");
}

#[test]
fn bad_parameters_are_errors_before_any_work() {
    let a = load("small-report.yaml");
    let unknown = a.report(&ReportParams {
        lose: vec!["atlantis".into()],
        ..params()
    });
    assert!(
        matches!(unknown, Err(ReportError::Scenario(_))),
        "{unknown:?}"
    );
    assert!(unknown.unwrap_err().to_string().contains("atlantis"));
    let profile = a.report(&ReportParams {
        profile: "iso".into(),
        ..params()
    });
    assert!(matches!(profile, Err(ReportError::Conformance(_))));
    let huge = a.report(&ReportParams {
        iterations: u64::MAX,
        ..params()
    });
    assert!(matches!(huge, Err(ReportError::Simulation(_))));
}

#[test]
fn dot_and_mermaid_mark_spofs_and_rto_misses() {
    let a = load("small-report.yaml");
    let dot = export_graph(&a, &GraphParams::default()).unwrap();
    assert!(dot.contains("digraph bcm {"));
    assert!(dot.contains("  \"billing\" -> \"db\";\n"));
    assert!(dot.contains("  \"support\" -> \"crm\";\n"));
    // db is a SPOF (red border); billing misses its RTO when hq is lost (red fill).
    let line = |id: &str| {
        dot.lines()
            .find(|l| l.starts_with(&format!("  \"{id}\" [")))
            .unwrap()
            .to_owned()
    };
    assert!(line("db").contains("penwidth=3"), "{}", line("db"));
    assert!(line("billing").contains("fillcolor=\"#ffcdd2\""));
    assert!(!line("support").contains("#ffcdd2"));
    let mermaid = export_graph(
        &a,
        &GraphParams {
            format: GraphFormat::Mermaid,
            ..GraphParams::default()
        },
    )
    .unwrap();
    // Nodes by ID: billing n0, crm n1, db n2, support n3.
    for line in [
        "flowchart TD",
        "  n0([\"billing\"])",
        "  n2[\"db\"]",
        "  n0 --> n2",
        "  n3 --> n1",
        "  class n1,n2 spof",
        "  class n0 breached",
    ] {
        assert!(mermaid.contains(line), "{line}\n{mermaid}");
    }
    let one = export_graph(
        &a,
        &GraphParams {
            function: Some("support".into()),
            ..GraphParams::default()
        },
    )
    .unwrap();
    assert!(one.contains("\"crm\"") && !one.contains("\"db\""));
    assert!(
        export_graph(
            &a,
            &GraphParams {
                function: Some("db".into()),
                ..GraphParams::default()
            }
        )
        .is_err()
    );
}

#[test]
fn list_cells_hold_the_first_twenty_next_to_the_count() {
    // 25 functions all need db: db alone takes down 25, and its row lists the first 20 by ID.
    let mut yaml = String::from("bcm: 1\norganization: {name: x}\nfunctions:\n");
    for i in 0..25 {
        yaml.push_str(&format!("  - {{id: f{i:02}, rto: 1h, depends_on: [db]}}\n"));
    }
    yaml.push_str("assets: [{id: db, kind: data, restore: 2h}]\n");
    let r = Analyzer::new(Model::from_yaml_str(&yaml).unwrap())
        .report(&ReportParams::default())
        .unwrap();
    let units = table(&r, "spof", "units");
    assert_eq!(units.rows.len(), 1);
    assert_eq!(units.rows[0][3], json!(25));
    let listed: Vec<String> = (0..20).map(|i| format!("f{i:02}")).collect();
    assert_eq!(units.rows[0][4], json!(listed));
    assert_eq!(bcm_core::report::LISTED, 20);
    // The Python signature writes these out (crates/bcm-py/src/model.rs).
    assert_eq!(
        (
            bcm_core::report::DEFAULT_ITERATIONS,
            bcm_core::report::DEFAULT_YEARS
        ),
        (1000, 10_000)
    );
}
