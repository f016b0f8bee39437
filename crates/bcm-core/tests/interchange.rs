//! Interchange (DESIGN §4.M): the OSCAL documents' structure and links, worked out by hand on
//! `examples/small-report.yaml`; byte-identical re-exports; the DORA register by hand; the CMDB
//! sample; and a model written out as CMDB tables and imported back with every dependency and
//! group kept.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use bcm_core::conformance::Outcome;
use bcm_core::interchange::cmdb::{CmdbMap, import};
use bcm_core::interchange::{ExportError, ExportFormat, ExportParams};
use bcm_core::maturity::MaturityParams;
use bcm_core::{Analyzer, AssetKind, Date, Model};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn text(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn load(name: &str) -> Analyzer<'static> {
    Analyzer::new(Model::from_yaml_str(&text(&format!("examples/{name}"))).unwrap())
}

fn day(text: &str) -> Date {
    text.parse().unwrap()
}

fn export(analyzer: &Analyzer<'_>, format: ExportFormat, at: &str) -> String {
    analyzer
        .export(&ExportParams::new(format, Some(day(at))))
        .unwrap()
        .content
}

fn document(analyzer: &Analyzer<'_>, format: ExportFormat, at: &str) -> Value {
    let root = match format {
        ExportFormat::OscalAr => "assessment-results",
        ExportFormat::OscalPoam => "plan-of-action-and-milestones",
        ExportFormat::DoraB0601 => panic!("not OSCAL"),
    };
    let mut value: Value = serde_json::from_str(&export(analyzer, format, at)).unwrap();
    value[root].take()
}

fn prop<'a>(element: &'a Value, name: &str) -> Vec<&'a str> {
    element["props"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["name"] == name)
        .map(|p| p["value"].as_str().unwrap())
        .collect()
}

/// Every `uuid` in a document, wherever it is.
fn uuids(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "uuid" {
                    out.push(v.as_str().unwrap().to_owned());
                } else {
                    uuids(v, out);
                }
            }
        }
        Value::Array(list) => list.iter().for_each(|v| uuids(v, out)),
        _ => {}
    }
}

#[test]
fn assessment_results_of_the_small_model() {
    let a = load("small-report.yaml");
    let ar = document(&a, ExportFormat::OscalAr, "2026-03-01");
    assert_eq!(ar["metadata"]["oscal-version"], "1.1.3");
    assert_eq!(ar["metadata"]["last-modified"], "2026-03-01T00:00:00Z");
    let plan = ar["import-ap"]["href"].as_str().unwrap();
    assert_eq!(
        plan,
        format!(
            "#{}",
            ar["back-matter"]["resources"][0]["uuid"].as_str().unwrap()
        )
    );

    let result = &ar["results"][0];
    assert_eq!(result["start"], "2026-03-01T00:00:00Z");
    // ma-ebcm at 2026-03-01 (worked out with `bcm conformance`): 1, 2 and 5(a)-(g) fail, 6, 8, 9
    // and 10 pass, 7 is not measured (no site has a location).
    assert_eq!(prop(result, "requirements-passed"), ["4"]);
    assert_eq!(prop(result, "requirements-failed"), ["9"]);
    assert_eq!(prop(result, "requirements-not-measured"), ["1"]);
    let maturity = a.maturity(&MaturityParams::at(day("2026-03-01"))).unwrap();
    let findings = result["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 14 + maturity.criteria.len());
    let state = |target: &str| {
        let f = findings
            .iter()
            .find(|f| f["target"]["target-id"] == target)
            .unwrap();
        (
            f["target"]["status"]["state"].as_str().unwrap(),
            f["target"]["status"]["reason"].as_str().unwrap(),
        )
    };
    assert_eq!(state("ma-ebcm-5.c_smt"), ("not-satisfied", "fail"));
    assert_eq!(state("ma-ebcm-8_smt"), ("satisfied", "pass"));
    assert_eq!(state("ma-ebcm-7_smt"), ("not-satisfied", "other"));
    for c in &maturity.criteria {
        let expected = if c.met { "satisfied" } else { "not-satisfied" };
        assert_eq!(
            state(&format!("bcd-12.2_obj.{}", c.id)).0,
            expected,
            "{}",
            c.id
        );
    }
    let controls: Vec<&str> =
        result["reviewed-controls"]["control-selections"][0]["include-controls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["control-id"].as_str().unwrap())
            .collect();
    assert_eq!(controls.len(), 15);
    assert_eq!(controls[2], "ma-ebcm-5.a");
    assert_eq!(controls[14], "bcd-12.2");

    // Every finding has its observation, carrying the evidence.
    let observations = result["observations"].as_array().unwrap();
    assert_eq!(observations.len(), findings.len());
    for f in findings {
        let id = &f["related-observations"][0]["observation-uuid"];
        let o = observations.iter().find(|o| &o["uuid"] == id).unwrap();
        assert_eq!(o["collected"], "2026-03-01T00:00:00Z");
        assert!(
            o["methods"]
                .as_array()
                .unwrap()
                .contains(&Value::from("TEST"))
        );
    }
    let evidence_1 = observations
        .iter()
        .find(|o| o["title"] == "Evidence for ma-ebcm 1")
        .unwrap();
    assert_eq!(prop(evidence_1, "failing"), ["billing"]);
    assert_eq!(prop(evidence_1, "numerator"), ["0"]);
    assert_eq!(prop(evidence_1, "denominator"), ["1"]);

    // The risks: db's G-RTO (needed within 4h, restored in 6h), and the two units whose loss
    // alone takes billing, the critical function, down: hq (the site) and db.
    let risks = result["risks"].as_array().unwrap();
    assert_eq!(risks.len(), 3);
    let gap = &risks[0];
    assert_eq!(prop(gap, "code"), ["G-RTO"]);
    assert_eq!(prop(gap, "node"), ["db"]);
    assert_eq!(prop(gap, "required-time"), ["14400"]);
    assert_eq!(prop(gap, "achievable-time"), ["21600"]);
    assert_eq!(prop(gap, "gap"), ["7200"]);
    assert_eq!(
        gap["statement"],
        "db is needed back within 4h but takes 6h to restore: 2h too long."
    );
    assert_eq!(prop(&risks[1], "unit"), ["hq"]);
    assert_eq!(prop(&risks[1], "takes-down"), ["billing"]);
    assert_eq!(prop(&risks[2], "unit"), ["db"]);

    let mut all = Vec::new();
    uuids(&ar, &mut all);
    let unique: BTreeSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "every UUID is unique");
    assert!(
        all.iter().all(|u| u.len() == 36 && &u[14..15] == "5"),
        "UUIDs are v5"
    );
}

#[test]
fn re_exports_are_byte_identical_and_ids_follow_model_and_date() {
    let a = load("agency.yaml");
    for format in [ExportFormat::OscalAr, ExportFormat::OscalPoam] {
        let first = export(&a, format, "2026-03-01");
        assert_eq!(first, export(&load("agency.yaml"), format, "2026-03-01"));
        let other_day = export(&a, format, "2026-03-02");
        let root_uuid = |t: &str| {
            let v: Value = serde_json::from_str(t).unwrap();
            v.as_object().unwrap().values().next().unwrap()["uuid"].clone()
        };
        assert_ne!(root_uuid(&first), root_uuid(&other_day));
        let mut changed = a.model().clone();
        changed.organization.name.push_str(" (changed)");
        let changed = export(&Analyzer::new(changed), format, "2026-03-01");
        assert_ne!(root_uuid(&first), root_uuid(&changed));
    }
}

#[test]
fn the_poam_links_every_item_to_what_it_names() {
    let a = load("agency.yaml");
    let at = "2026-03-01";
    let poam = document(&a, ExportFormat::OscalPoam, at);
    let ar = document(&a, ExportFormat::OscalAr, at);
    let ids = |key: &str| -> BTreeSet<String> {
        poam[key]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| v["uuid"].as_str().unwrap().to_owned())
            .collect()
    };
    let (findings, risks, observations) = (ids("findings"), ids("risks"), ids("observations"));
    let items = poam["poam-items"].as_array().unwrap();
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        *kinds.entry(prop(item, "item-kind")[0]).or_default() += 1;
        for link in item["related-findings"].as_array().into_iter().flatten() {
            assert!(findings.contains(link["finding-uuid"].as_str().unwrap()));
        }
        for link in item["related-observations"]
            .as_array()
            .into_iter()
            .flatten()
        {
            assert!(observations.contains(link["observation-uuid"].as_str().unwrap()));
        }
        let risk = item["related-risks"][0]["risk-uuid"].as_str().unwrap();
        assert!(risks.contains(risk));
    }

    let conformance = a
        .conformance(&bcm_core::conformance::ConformanceParams::at(
            day(at),
            "ma-ebcm",
        ))
        .unwrap();
    let maturity = a.maturity(&MaturityParams::at(day(at))).unwrap();
    let currency = a
        .currency(&bcm_core::currency::CurrencyParams::at(day(at)))
        .unwrap();
    let gaps: usize = a
        .objectives(&Default::default())
        .nodes
        .iter()
        .map(|n| n.gaps.iter().filter(|g| g.as_str() != "G-MEASURED").count())
        .sum();
    let failing = conformance
        .requirements
        .iter()
        .filter(|r| r.result == Outcome::Fail)
        .count();
    let unmet = maturity.criteria.iter().filter(|c| !c.met).count();
    assert!(failing > 0 && gaps > 0 && !currency.actions.is_empty());
    assert_eq!(kinds.get("requirement"), Some(&failing));
    assert_eq!(kinds.get("criterion"), Some(&unmet));
    assert_eq!(kinds.get("gap"), Some(&gaps));
    assert_eq!(kinds.get("action"), Some(&currency.actions.len()));

    // An action's risk carries its due date; a gap's risk is the assessment results' own.
    let poam_risks = poam["risks"].as_array().unwrap();
    for action in &currency.actions {
        let due = format!("{}T00:00:00Z", action.due);
        assert!(
            poam_risks.iter().any(|r| r["deadline"] == due.as_str()
                && prop(r, "subject") == [action.subject.as_str()]),
            "{action:?}"
        );
    }
    let ar_risks: BTreeSet<&str> = ar["results"][0]["risks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["uuid"].as_str().unwrap())
        .collect();
    let gap_risks = poam_risks.iter().filter(|r| !prop(r, "code").is_empty());
    assert_eq!(gap_risks.clone().count(), gaps);
    assert!(
        gap_risks
            .into_iter()
            .all(|r| ar_risks.contains(r["uuid"].as_str().unwrap()))
    );
}

#[test]
fn oscal_exports_need_a_date_and_a_known_profile() {
    let a = load("small-report.yaml");
    let e = a
        .export(&ExportParams::new(ExportFormat::OscalAr, None))
        .unwrap_err();
    assert!(
        matches!(e, ExportError::NoDate { format: "oscal-ar" }),
        "{e}"
    );
    let mut params = ExportParams::new(ExportFormat::OscalPoam, Some(day("2026-03-01")));
    params.profile = Some(bcm_core::conformance::ProfileChoice::BuiltIn("iso".into()));
    let e = a.export(&params).unwrap_err();
    assert!(e.to_string().contains("no built-in profile 'iso'"), "{e}");
    let params: ExportParams =
        serde_json::from_str(r#"{"format": "oscal-ar", "at": "2026-03-01", "profile": "itscm"}"#)
            .unwrap();
    let ar = a.export(&params).unwrap();
    assert!(ar.content.contains("\"control-id\": \"itscm-kpi-1\""));
    assert_eq!(
        "dora-b0601".parse::<ExportFormat>().unwrap(),
        ExportFormat::DoraB0601
    );
    assert!("oscal".parse::<ExportFormat>().is_err());
}

#[test]
fn dora_register_of_the_small_model_by_hand() {
    let a = load("small-report.yaml");
    let export = a
        .export(&ExportParams::new(ExportFormat::DoraB0601, None))
        .unwrap();
    // billing: critical, RTO 4h, no RPO (0), BIA 2026-02-01, impacts but no tolerance, so its
    // criticality says high impact. support: high (important), RTO 1d, medium impact.
    assert_eq!(
        export.content,
        "c0010,c0020,c0030,c0040,c0050,c0060,c0070,c0080,c0090,c0100\n\
         F1,,billing,,eba_BT:x28,BIA criticality critical; maximum tolerable downtime 1d,2026-02-01,4,0,eba_ZZ:x793\n\
         F2,,support,,eba_BT:x28,BIA criticality high; maximum tolerable downtime 3d,2026-02-01,24,0,eba_ZZ:x792\n"
    );
    assert_eq!(export.notes.len(), 2, "{:?}", export.notes);
    assert!(export.notes[0].starts_with("c0040 (LEI) is empty"));
    assert!(export.notes[1].starts_with("c0020 (licenced activity) is empty for 2 function(s)"));
}

#[test]
fn dora_register_reads_lei_activity_identifiers_and_tolerance() {
    let m = Model::from_yaml_str(
        "bcm: 1\n\
         organization: {name: Bank, tolerance: {financial: 1000}, attributes: {lei: 5493001KJTIIGC8Y1R12, dora_licenced_activity: eba_TA:x1}}\n\
         functions:\n\
           - {id: pay, name: \"Payments, retail\", criticality: critical, rto: 30m, rpo: 90m, bia: 2026-01-05,\n\
              impacts: [{after: 0s, financial: 400}, {after: 4h, financial: 600}], attributes: {dora_function_id: F7}}\n\
           - {id: cards, depends_on: [pay], impacts: [{after: 1h, financial: 1000}], attributes: {dora_impact: low}}\n\
           - {id: ledger, criticality: low, depends_on: [pay], impacts: [{after: 2d, financial: 5000}]}\n",
    )
    .unwrap();
    let export = Analyzer::new(m)
        .export(&ExportParams::new(ExportFormat::DoraB0601, None))
        .unwrap();
    let rows: Vec<&str> = export.content.lines().collect();
    // pay: its worst impact 600 is 60% of the tolerance: medium; 2 functions depend on it.
    assert_eq!(
        rows[1],
        "F7,eba_TA:x1,\"Payments, retail\",5493001KJTIIGC8Y1R12,eba_BT:x28,\
         BIA criticality critical; 2 other function(s) depend on it,2026-01-05,1,2,eba_ZZ:x792"
    );
    // cards: not assessed, its attribute overrides the curve.
    assert_eq!(
        rows[2],
        "F2,eba_TA:x1,cards,5493001KJTIIGC8Y1R12,eba_BT:x21,,,0,0,eba_ZZ:x791"
    );
    // ledger: low, its impact reaches the tolerance after 2d: high.
    assert_eq!(
        rows[3],
        "F3,eba_TA:x1,ledger,5493001KJTIIGC8Y1R12,eba_BT:x29,\
         BIA criticality low; financial impact reaches the organization's tolerance after 2d,,0,0,eba_ZZ:x793"
    );
    assert!(export.notes.is_empty(), "{:?}", export.notes);
}

#[test]
fn the_cmdb_sample_imports_and_validates() {
    let map = CmdbMap::from_yaml_str(&text("examples/cmdb/map.yaml")).unwrap();
    let imported = import(
        &text("examples/cmdb/cmdb_ci.csv"),
        &text("examples/cmdb/cmdb_rel_ci.csv"),
        &map,
    )
    .unwrap();
    let m = &imported.model;
    assert!(m.validate().is_valid(), "{:?}", m.validate().findings);
    assert_eq!(
        m.organization.name,
        "Department of Revenue (from ServiceNow)"
    );
    assert_eq!(
        (
            m.functions.len(),
            m.assets.len(),
            m.sites.len(),
            m.vendors.len()
        ),
        (3, 19, 2, 1)
    );
    let unmapped: Vec<(&str, u64)> = imported
        .unmapped
        .iter()
        .map(|u| (u.table, u.line))
        .collect();
    assert_eq!(
        unmapped,
        [("cis", 24), ("relations", 31), ("relations", 32)]
    );
    assert_eq!(
        imported.unmapped[0].reason,
        "class 'cmdb_ci_printer' has no mapping"
    );
    assert_eq!(
        imported.unmapped[2].reason,
        "'Legacy Mainframe' is not an imported CI"
    );

    let asset = |id: &str| m.assets.iter().find(|a| a.id.as_str() == id).unwrap();
    let cluster = asset("CHEL-VMW-CL01");
    assert_eq!(cluster.kind, AssetKind::Group);
    assert_eq!(cluster.min_up, Some(2));
    let members: Vec<&str> = cluster.members.iter().map(|m| m.as_str()).collect();
    assert_eq!(members, ["chel-esx01", "chel-esx02", "chel-esx03"]);
    assert_eq!(asset("GENTAXP").kind, AssetKind::Data);
    assert_eq!(
        asset("GENTAXP").site.as_ref().map(|s| s.as_str()),
        Some("Chelsea-DC")
    );
    assert_eq!(
        asset("Workday-Time-Tracking")
            .vendor
            .as_ref()
            .map(|v| v.as_str()),
        Some("Workday-Inc.")
    );
    // With the cluster, the storage pair and the core network redundant, the UPS alone takes
    // down every function; one ESX host does not.
    let spof = Analyzer::new(m.clone()).spof(&Default::default());
    let units: BTreeMap<&str, usize> = spof
        .ranking()
        .iter()
        .map(|r| (spof.unit_ids()[r.unit].as_str(), r.functions))
        .collect();
    assert_eq!(units.get("chel-ups-1"), Some(&3));
    assert_eq!(units.get("chel-esx01"), None);
}

#[test]
fn rows_that_cannot_be_mapped_are_listed_with_why() {
    let cis = "sys_id,name,sys_class_name\n\
               a,App,cmdb_ci_appl\n\
               b,App,cmdb_ci_appl\n\
               ,Nameless,cmdb_ci_appl\n\
               a,Again,cmdb_ci_appl\n\
               c,Svc,cmdb_ci_service\n\
               d,short\n\
               e,Cluster,cmdb_ci_cluster\n";
    let rels = "parent,type,child\n\
                App,Depends on::Used by,Svc\n\
                a,Depends on::Used by,b\n\
                a,Depends on::Used by,b\n\
                a,Depends on::Used by,a\n\
                c,Cluster of::Cluster,a\n\
                a,Cluster of::Cluster,e\n\
                e,Cluster of::Cluster,b\n\
                c,Depends on::Used by,nothing\n";
    let imported = import(cis, rels, &CmdbMap::servicenow()).unwrap();
    let listed: Vec<(u64, &str)> = imported
        .unmapped
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            (4, "has no sys_id"),
            (5, "repeats sys_id 'a'"),
            (7, "has 2 fields where the header has 3"),
            (2, "'App' names 2 CIs (a, b): use sys_ids"),
            (4, "repeats the dependency of line 3"),
            (5, "relates a CI to itself"),
            (
                6,
                "neither Svc nor App is a group (map its class to kind group)"
            ),
            (9, "'nothing' is not an imported CI"),
        ]
    );
    // Both memberships, written either way round, reach the cluster; the second App's ID has
    // its sys_id appended.
    let cluster = imported
        .model
        .assets
        .iter()
        .find(|a| a.id.as_str() == "Cluster")
        .unwrap();
    let members: Vec<&str> = cluster.members.iter().map(|m| m.as_str()).collect();
    assert_eq!(members, ["App", "App-b"]);
    // A vendor may be a group member (two payment providers, either enough); a function may not.
    let map = CmdbMap::from_yaml_str("classes: {x_company: vendor}\n").unwrap();
    let imported = import(
        "sys_id,name,sys_class_name\np1,PayCo,x_company\np2,PayAlt,x_company\ng,Payments,cmdb_ci_cluster\nf,Pay,cmdb_ci_service\n",
        "parent,type,child\np1,Cluster of::Cluster,g\np2,Cluster of::Cluster,g\nf,Cluster of::Cluster,g\n",
        &map,
    )
    .unwrap();
    let group = imported
        .model
        .assets
        .iter()
        .find(|a| a.id.as_str() == "Payments")
        .unwrap();
    let members: Vec<&str> = group.members.iter().map(|m| m.as_str()).collect();
    assert_eq!(members, ["PayCo", "PayAlt"]);
    let listed: Vec<(u64, &str)> = imported
        .unmapped
        .iter()
        .map(|u| (u.line, u.reason.as_str()))
        .collect();
    assert_eq!(
        listed,
        [(
            4,
            "Pay is neither an asset nor a vendor: it cannot be a group member"
        )]
    );
    assert!(
        imported.model.validate().is_valid(),
        "{:?}",
        imported.model.validate().findings
    );

    let e = import("name\nx\n", "parent,type,child\n", &CmdbMap::servicenow()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cis has no column 'sys_id' (its columns: name); name the right one in the map's columns"
    );
}

/// A model written out as ServiceNow-shaped tables, with the map that reads them back: every
/// node a CI (sys_id `sys-ID`, name `ID`), a class per asset kind (groups: one per rule), a
/// relationship per dependency (soft ones: a type per tolerance) and per group member.
fn to_cmdb(model: &Model) -> (String, String, String) {
    let mut cis = String::from("sys_id,name,sys_class_name,location,vendor\n");
    let mut rels = String::from("sys_id,parent,type,child\n");
    let mut map = String::from("organization: Round trip\nclasses:\n");
    let mut classes = BTreeSet::new();
    let mut types = BTreeSet::new();
    for s in &model.sites {
        writeln!(cis, "sys-{0},{0},x_site,,", s.id).unwrap();
    }
    for v in &model.vendors {
        writeln!(cis, "sys-{0},{0},x_vendor,,", v.id).unwrap();
    }
    classes.insert("  x_site: site\n  x_vendor: vendor\n".to_owned());
    let site = |s: &Option<bcm_core::Id>| s.as_ref().map_or(String::new(), |s| s.to_string());
    let edge =
        |rels: &mut String, types: &mut BTreeSet<String>, owner: &str, d: &bcm_core::Dependency| {
            let kind = match d.tolerance {
                None => "Depends on::Used by".to_owned(),
                Some(t) => {
                    types.insert(format!(
                        "  x_soft_{0}: {{as: depends, tolerance: {0}s}}\n",
                        t.as_secs()
                    ));
                    format!("x_soft_{}", t.as_secs())
                }
            };
            writeln!(rels, "r,sys-{owner},{kind},sys-{}", d.id).unwrap();
        };
    for f in &model.functions {
        writeln!(cis, "sys-{0},{0},cmdb_ci_service,{1},", f.id, site(&f.site)).unwrap();
        for d in &f.depends_on {
            edge(&mut rels, &mut types, f.id.as_str(), d);
        }
    }
    for a in &model.assets {
        let class = if a.kind == AssetKind::Group {
            let name = format!(
                "x_group_{}_{}_{}",
                a.min_up(),
                a.failover.map_or("none", |f| f.as_str()),
                a.failover_time.map_or(0, |t| t.as_secs())
            );
            let mut target = format!("  {name}: {{kind: group, min_up: {}", a.min_up());
            if let Some(f) = a.failover {
                write!(target, ", failover: {}", f.as_str()).unwrap();
            }
            if let Some(t) = a.failover_time {
                write!(target, ", failover_time: {}s", t.as_secs()).unwrap();
            }
            classes.insert(target + "}\n");
            name
        } else {
            classes.insert(format!("  x_{0}: {0}\n", a.kind.as_str()));
            format!("x_{}", a.kind.as_str())
        };
        writeln!(
            cis,
            "sys-{0},{0},{class},{1},{2}",
            a.id,
            site(&a.site),
            site(&a.vendor)
        )
        .unwrap();
        for d in &a.depends_on {
            edge(&mut rels, &mut types, a.id.as_str(), d);
        }
        for m in &a.members {
            writeln!(rels, "r,sys-{m},Cluster of::Cluster,sys-{}", a.id).unwrap();
        }
    }
    map.extend(classes);
    map.push_str("relations:\n");
    map.extend(types);
    (cis, rels, map)
}

#[test]
fn a_model_through_cmdb_tables_keeps_every_dependency_and_group() {
    for name in ["agency.yaml", "conformant-agency.yaml", "small-report.yaml"] {
        let original = load(name).into_model();
        let (cis, rels, map) = to_cmdb(&original);
        let map = CmdbMap::from_yaml_str(&map).unwrap_or_else(|e| panic!("{e}\n{map}"));
        let imported = import(&cis, &rels, &map).unwrap();
        assert!(
            imported.unmapped.is_empty(),
            "{name}: {:?}",
            imported.unmapped
        );
        let back = imported.model;
        let edges = |deps: &[bcm_core::Dependency]| -> Vec<(String, Option<u64>)> {
            deps.iter()
                .map(|d| (d.id.to_string(), d.tolerance.map(|t| t.as_secs())))
                .collect()
        };
        assert_eq!(back.functions.len(), original.functions.len(), "{name}");
        for (f, g) in original.functions.iter().zip(&back.functions) {
            assert_eq!(f.id, g.id);
            assert_eq!(f.site, g.site, "{name} {}", f.id);
            assert_eq!(
                edges(&f.depends_on),
                edges(&g.depends_on),
                "{name} {}",
                f.id
            );
        }
        assert_eq!(back.assets.len(), original.assets.len(), "{name}");
        for (a, b) in original.assets.iter().zip(&back.assets) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.kind, b.kind, "{name} {}", a.id);
            assert_eq!(
                (&a.site, &a.vendor),
                (&b.site, &b.vendor),
                "{name} {}",
                a.id
            );
            assert_eq!(
                edges(&a.depends_on),
                edges(&b.depends_on),
                "{name} {}",
                a.id
            );
            assert_eq!(a.members, b.members, "{name} {}", a.id);
            assert_eq!(a.min_up(), b.min_up(), "{name} {}", a.id);
            assert_eq!(
                (a.failover, a.failover_time),
                (b.failover, b.failover_time),
                "{name} {}",
                a.id
            );
        }
        let ids =
            |m: &Model| -> Vec<String> { m.vendors.iter().map(|v| v.id.to_string()).collect() };
        assert_eq!(ids(&original), ids(&back), "{name}");
    }
}
