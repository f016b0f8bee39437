//! `bcm export` and `bcm import cmdb`: formats, files, notes, listed rows and exit codes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;
use common::{bcm, root, scratch_dir, stdout};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `bcm import cmdb` of the sample export with the map `map` and further arguments.
fn import_sample(map: &str, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "import",
        "cmdb",
        "examples/cmdb/cmdb_ci.csv",
        "examples/cmdb/cmdb_rel_ci.csv",
        "--map",
        map,
    ];
    args.extend_from_slice(more);
    bcm(&args)
}

#[test]
fn oscal_exports_are_json_and_identical_on_a_second_run() {
    let args = [
        "export",
        "examples/agency.yaml",
        "--format",
        "oscal-ar",
        "--at",
        "2026-03-01",
    ];
    let first = bcm(&args);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let v: serde_json::Value = serde_json::from_str(&stdout(&first)).unwrap();
    assert_eq!(
        v["assessment-results"]["metadata"]["oscal-version"],
        "1.1.3"
    );
    assert_eq!(stdout(&first), stdout(&bcm(&args)));

    let dir = scratch_dir("export");
    let file = dir.join("poam.json");
    let out = bcm(&[
        "export",
        "examples/agency.yaml",
        "--format",
        "oscal-poam",
        "--at",
        "2026-03-01",
        "--profile",
        "itscm",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert!(
        !v["plan-of-action-and-milestones"]["poam-items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Without --at the date is today's, and the command says so.
    let out = bcm(&[
        "export",
        "examples/small-report.yaml",
        "--format",
        "oscal-ar",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("(today, UTC; --at sets the date)"));
}

#[test]
fn the_dora_register_names_what_it_lacks() {
    let out = bcm(&[
        "export",
        "examples/small-report.yaml",
        "--format",
        "dora-b0601",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .starts_with("c0010,c0020,c0030,c0040,c0050,c0060,c0070,c0080,c0090,c0100\nF1,")
    );
    assert!(stderr(&out).contains("bcm: note: c0040 (LEI) is empty"));
    let out = bcm(&["export", "examples/small-report.yaml", "--format", "xlsx"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cmdb_import_lists_every_row_it_leaves_out() {
    let dir = scratch_dir("import");
    let model = dir.join("model.yaml");
    let out = import_sample("examples/cmdb/map.yaml", &["-o", model.to_str().unwrap()]);
    // Three rows are not imported (exit 1); the model is written and valid.
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("examples/cmdb/cmdb_ci.csv:24: not imported (f4b1a02c1f2b4b10e9a3d0c1b2a3f4e2): class 'cmdb_ci_printer' has no mapping"), "{err}");
    assert!(
        err.contains("examples/cmdb/cmdb_rel_ci.csv:31: not imported"),
        "{err}"
    );
    assert!(err.contains("examples/cmdb/cmdb_rel_ci.csv:32: not imported (GenTax Depends on::Used by Legacy Mainframe)"), "{err}");
    assert!(err.contains("imported 3 function(s), 19 asset(s), 2 site(s), 1 vendor(s); 3 row(s) not imported; the model has 0 error(s)"), "{err}");
    let out = bcm(&["validate", model.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // A map that maps the printer and ignores containment leaves one row out, still listed.
    let map = dir.join("map.yaml");
    std::fs::write(
        &map,
        "classes: {cmdb_ci_printer: infrastructure}\nrelations: {\"Contains::Contained by\": ignore}\n",
    )
    .unwrap();
    let out = import_sample(map.to_str().unwrap(), &["--format", "json"]);
    let err = stderr(&out);
    assert!(
        err.contains("type 'Contains::Contained by' is ignored by the map"),
        "{err}"
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["organization"]["name"], "Imported from a CMDB");

    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, "classes: {cmdb_ci_x: widget}\n").unwrap();
    let out = import_sample(bad.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("map /classes/cmdb_ci_x/kind: 'widget' is not a target"));
}

#[test]
fn the_built_in_map_prints_and_reads_back() {
    let out = bcm(&["import", "cmdb-map"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.contains("\"Runs on::Runs\": depends"));
    let file = scratch_dir("map").join("map.yaml");
    std::fs::write(&file, &text).unwrap();
    let out = import_sample(file.to_str().unwrap(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(root().join("examples/cmdb/map.yaml").exists());
}
