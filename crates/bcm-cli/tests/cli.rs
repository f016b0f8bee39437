//! The `bcm` binary: exit codes, human and JSON output, and no panic on any input.

// Test helpers outside #[test] fns panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::Path;
use std::process::Output;

use proptest::prelude::*;

mod common;
use common::{bcm, root, scratch_dir, stdout};

/// A usage error: exit 2 and exactly `message` on standard error.
fn assert_refused(out: &Output, message: &str) {
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), message);
}

#[test]
fn the_example_validates_with_exit_0() {
    let out = bcm(&["validate", "examples/agency.yaml"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout(&out),
        "warning W-ALTERNATE /contacts/21/alternate: contact 'general-counsel' has no alternate (policy 5(e)(iv))\n\
         examples/agency.yaml: valid, 0 errors, 1 warning\n"
    );
}

#[test]
fn json_output_has_the_published_shape() {
    let out = bcm(&["validate", "examples/agency.yaml", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "valid": true, "errors": 0, "warnings": 1,
            "findings": [{
                "severity": "warning", "code": "W-ALTERNATE", "path": "/contacts/21/alternate",
                "message": "contact 'general-counsel' has no alternate (policy 5(e)(iv))",
                "entities": ["general-counsel"]
            }]
        })
    );
}

#[test]
fn every_fixture_through_the_cli() {
    let manifest = std::fs::read_to_string(root().join("tests/fixtures/expected.tsv")).unwrap();
    let mut files: Vec<&str> = manifest
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    files.dedup();
    assert_eq!(files.len(), 21);
    for file in files {
        let rows: Vec<(&str, &str)> = manifest
            .lines()
            .filter(|l| l.split('\t').next() == Some(file))
            .map(|l| {
                let mut cols = l.split('\t').skip(1);
                (cols.next().unwrap(), cols.next().unwrap_or(""))
            })
            .collect();
        let path = format!("tests/fixtures/{file}");
        let out = bcm(&["validate", &path, "--json"]);
        let has_errors = rows.iter().any(|(code, _)| code.starts_with("E-"));
        assert_eq!(
            out.status.code(),
            Some(if has_errors { 1 } else { 0 }),
            "{file}"
        );
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let found: Vec<(String, String)> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["code"].as_str().unwrap().to_owned(),
                    f["path"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        for (code, path) in rows {
            assert!(
                found.contains(&(code.to_owned(), path.to_owned())),
                "{file}: {code} {path} not in {found:?}"
            );
        }
        let human = bcm(&["validate", &path]);
        assert_eq!(human.status.code(), out.status.code());
        let (errors, warnings) = (
            v["errors"].as_u64().unwrap(),
            v["warnings"].as_u64().unwrap(),
        );
        let plural = |n: u64| if n == 1 { "" } else { "s" };
        let summary = format!(
            "{path}: {}, {errors} error{}, {warnings} warning{}\n",
            if has_errors { "invalid" } else { "valid" },
            plural(errors),
            plural(warnings)
        );
        assert!(
            stdout(&human).ends_with(&summary),
            "{file}: {}",
            stdout(&human)
        );
        assert_eq!(
            stdout(&human).lines().count() as u64,
            errors + warnings + 1,
            "{file}"
        );
    }
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = bcm(&["validate", "no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("bcm: cannot read no/such/file.yaml"));
    assert_eq!(bcm(&[]).status.code(), Some(2));
    assert_eq!(bcm(&["validate"]).status.code(), Some(2));
    assert_eq!(
        bcm(&["validate", "examples/agency.yaml", "--bogus"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(bcm(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(bcm(&["validate", "examples"]).status.code(), Some(2));
}

#[test]
fn format_can_be_forced() {
    let dir = scratch_dir("cli");
    let file = dir.join("model.txt");
    std::fs::write(&file, "{\"bcm\": 1, \"organization\": {\"name\": \"x\"}}").unwrap();
    let file = file.to_str().unwrap();
    assert_eq!(bcm(&["validate", file]).status.code(), Some(0));
    assert_eq!(
        bcm(&["validate", file, "--input-format", "json"])
            .status
            .code(),
        Some(0)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generate_is_seeded_and_valid() {
    let dir = scratch_dir("gen");
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    for file in [&a, &b] {
        let out = bcm(&[
            "generate",
            "small",
            "--seed",
            "9",
            "-o",
            file.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(0));
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let out = bcm(&["validate", a.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).ends_with("valid, 0 errors, 0 warnings\n"),
        "{}",
        stdout(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

fn never_panics(bytes: &[u8], dir: &Path, name: &str) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    for extra in [&[][..], &["--json"][..]] {
        let mut args = vec!["validate", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        let code = bcm(&args).status.code();
        assert!(
            matches!(code, Some(0 | 1)),
            "exit {code:?} on {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_files_give_0_or_1(bytes in proptest::collection::vec(any::<u8>(), 0..200), yaml in any::<bool>()) {
        let dir = scratch_dir("fuzz");
        never_panics(&bytes, &dir, if yaml { "m.yaml" } else { "m.json" });
    }
}

#[test]
fn analyses_print_the_published_json_shapes() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = bcm(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_str(&stdout(&out)).unwrap()
    };
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    let o = json(&["objectives", "examples/agency.yaml", "--json"]);
    assert_eq!(keys(&o), ["nodes"]);
    assert_eq!(
        keys(&o["nodes"][0]),
        ["id", "kind", "required", "required_rpo", "gaps"]
    );
    assert_eq!(o["nodes"].as_array().unwrap().len(), 78);
    let i = json(&[
        "impact",
        "examples/agency.yaml",
        "--lose",
        "acme-cloud",
        "--at",
        "1d",
        "--json",
    ]);
    assert_eq!(keys(&i), ["functions", "totals"]);
    assert_eq!(keys(&i["functions"][0]), ["id", "down_at", "impact"]);
    assert_eq!(i["totals"]["financial"], 100_000.0);
    let s = json(&["spof", "examples/agency.yaml", "--json"]);
    assert_eq!(keys(&s), ["functions", "units", "coverage"]);
    assert_eq!(
        keys(&s["coverage"]),
        ["critical", "without_spof", "with_realtime_failover"]
    );
    assert_eq!(keys(&s["units"][0]), ["id", "takes_down"]);
    assert_eq!(s["functions"].as_array().unwrap().len(), 12);
    let a = json(&["availability", "examples/agency.yaml", "--json"]);
    assert_eq!(
        keys(&a["nodes"][0]),
        ["id", "kind", "availability", "method", "annual_downtime"]
    );
}

#[test]
fn analyses_exit_codes() {
    // Two units, comma-separated and repeated; a unit that does not exist is a usage error.
    let out = bcm(&[
        "impact",
        "examples/agency.yaml",
        "--lose",
        "boston-hq,telco",
        "--lose",
        "paycorp",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("losing boston-hq, telco, paycorp:"),
        "{}",
        stdout(&out)
    );
    let out = bcm(&["impact", "examples/agency.yaml", "--lose", "atlantis"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("'atlantis' is not an asset, group, site or vendor")
    );
    assert_eq!(
        bcm(&["impact", "examples/agency.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(
        bcm(&[
            "impact",
            "examples/agency.yaml",
            "--lose",
            "x",
            "--at",
            "soon"
        ])
        .status
        .code(),
        Some(2)
    );
    // A model with errors is still analysed, and says so with exit 1.
    let out = bcm(&["spof", "tests/fixtures/invalid/ref.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("failover coverage"));
    // A document that is not a model: findings on stderr, exit 1.
    let out = bcm(&["objectives", "tests/fixtures/invalid/parse.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("E-PARSE"));
    let out = bcm(&["spof", "examples/agency.yaml", "--top", "3"]);
    assert_eq!(
        stdout(&out)
            .lines()
            .filter(|l| l.starts_with("chelsea-dc") || l.starts_with("san "))
            .count(),
        2
    );
}

#[test]
fn schedule_prints_the_published_shape_a_table_and_a_mermaid_chart() {
    let out = bcm(&[
        "schedule",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let mut keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["functions", "makespan", "nodes", "waves"]);
    let payroll = v["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "payroll")
        .unwrap();
    // hr-payroll-app waits for the application team: 9h late, a capacity shortfall.
    assert_eq!(
        payroll,
        &serde_json::json!({"id": "payroll", "up_at": 118800, "rto": 86400, "met": false,
            "breach": 32400, "mtd_met": true, "capacity_shortfall": true,
            "critical_path": ["hr-payroll-app"]})
    );
    assert_eq!(v["makespan"], 604800);

    let text = stdout(&bcm(&[
        "schedule",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
    ]));
    assert!(text.contains("payroll"), "{text}");
    assert!(text.ends_with(
        "losing chelsea-dc: 11 functions affected, 4 miss their RTO (1 for lack of team capacity); everything back after 1w\n\
         (durations at their likely values; bcm simulate gives the chance of meeting each RTO)\n"
    ), "{text}");
    // Each gap comes with its figures: the san must be back at once (everything on the cluster
    // has an RTO of hours) but restores in 8h; the accounting ledger needs a 15m RPO and is
    // backed up every 4h.
    let objectives = stdout(&bcm(&["objectives", "examples/agency.yaml"]));
    for line in [
        "\ngaps, required against achievable:\n",
        "\n  accounting-db                G-RPO      RPO 15m required, backups every 4h\n",
        "\n  san                          G-RTO      needed back at once, restore takes 8h\n",
        "\n  san                          G-RPO      RPO 15m required, backups every 1h\n",
        "\n  email                        G-RTO      needed back within 7h, restore takes 8h\n",
    ] {
        assert!(objectives.contains(line), "{line} in {objectives}");
    }
    // The impact view names the currency and weighs the totals against the organization's
    // tolerance (financial: 2,000,000; the agency's loss at 1d is 2,360,000).
    let impact = stdout(&bcm(&[
        "impact",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--at",
        "1d",
    ]));
    assert!(
        impact.ends_with(
            "losing chelsea-dc: 11 functions go down; impact at 1d; financial in USD\n\
         unacceptable by the organization's tolerance: financial 2360000 ≥ 2000000\n"
        ),
        "{impact}"
    );

    let chart = stdout(&bcm(&[
        "schedule",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--format",
        "mermaid",
    ]));
    assert!(
        chart.starts_with("gantt\n    title Recovery after losing chelsea-dc\n    dateFormat X\n"),
        "{chart}"
    );
    assert!(chart.contains("    section dba-team\n"), "{chart}");
    assert!(chart.contains("    payroll RTO : milestone, "), "{chart}");
    // Each RTO milestone ends where it starts, so Mermaid draws it on the RTO (with `rto, 0`,
    // an end time under dateFormat X, it was drawn at half the RTO).
    for line in chart.lines().filter(|l| l.contains(": milestone, ")) {
        let fields: Vec<&str> = line.rsplit(", ").take(2).collect();
        assert_eq!(fields[0], fields[1], "{line}");
    }
    // A chart of a comparison is refused rather than silently ignored.
    let out = bcm(&[
        "schedule",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--format",
        "mermaid",
        "--against",
        "examples/agency.yaml",
    ]);
    assert_refused(
        &out,
        "bcm: --format mermaid draws one schedule; --against compares two (choose one)\n",
    );
}

#[test]
fn schedule_against_a_second_model_shows_what_moved() {
    let dir = scratch_dir("whatif");
    let text = std::fs::read_to_string(root().join("examples/agency.yaml")).unwrap();
    // Everyone's capacity raised to 9: nothing waits for a team.
    let raised = regex_free_raise(&text);
    let other = dir.join("raised.yaml");
    std::fs::write(&other, raised).unwrap();
    let out = bcm(&[
        "schedule",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--against",
        other.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let payroll = v["functions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "payroll")
        .unwrap();
    assert_eq!(payroll["before"], 118800);
    assert_eq!(payroll["met_before"], false);
    assert!(payroll["delta"].as_i64().unwrap() < 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The example with every team's capacity set to 9.
fn regex_free_raise(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("capacity: ") {
            Some(at) => {
                let rest = &line[at + "capacity: ".len()..];
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                format!("{}capacity: 9{}", &line[..at], &rest[digits..])
            }
            None => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn simulate_is_seeded_and_prints_the_published_shape() {
    let args = [
        "simulate",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--iterations",
        "500",
        "--seed",
        "1",
        "--json",
    ];
    let first = stdout(&bcm(&args));
    assert_eq!(first, stdout(&bcm(&args)));
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(
        (v["iterations"].as_u64(), v["seed"].as_u64()),
        (Some(500), Some(1))
    );
    let mut keys: Vec<&String> = v["functions"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "id",
            "mean",
            "p50",
            "p90",
            "p99",
            "p_meet_mtd",
            "p_meet_rto"
        ]
    );
    let mut keys: Vec<&String> = v["nodes"][0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["critical_share", "id"]);
    let out = bcm(&["simulate", "examples/agency.yaml", "--lose", "atlantis"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn simulation_ranges_merge_into_the_whole_run() {
    let dir = scratch_dir("ranges");
    let simulate = |extra: &[&str]| {
        let mut args = vec![
            "simulate",
            "examples/agency.yaml",
            "--lose",
            "chelsea-dc",
            "--seed",
            "1",
        ];
        args.extend_from_slice(extra);
        bcm(&args)
    };
    let whole = simulate(&["--iterations", "500", "--json"]);
    assert_eq!(whole.status.code(), Some(0));
    let mut parts = Vec::new();
    for (name, range) in [("head.json", "0..180"), ("tail.json", "180..500")] {
        let out = simulate(&["--range", range]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = dir.join(name);
        std::fs::write(&path, &out.stdout).unwrap();
        parts.push(path.to_str().unwrap().to_owned());
    }
    // Merged in the other order: the same bytes as one run of all 500 iterations.
    let merged = bcm(&["merge-tallies", &parts[1], &parts[0], "--json"]);
    assert_eq!(merged.status.code(), Some(0));
    assert_eq!(stdout(&merged), stdout(&whole));

    // The merged tally merges again; its human report names the tallies it came from.
    let tally = bcm(&["merge-tallies", &parts[0], &parts[1], "--tally"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&tally)).unwrap();
    assert_eq!(
        (v["iterations"].as_u64(), v["seed"].as_u64()),
        (Some(500), Some(1))
    );
    let human = stdout(&bcm(&["merge-tallies", &parts[0], &parts[1]]));
    assert!(
        human.ends_with("merged from 2 tallies: 500 iterations, seed 1\n"),
        "{human}"
    );

    // A tally of another seed, a forged one, and no file at all: exit 2, saying which file.
    let other = bcm(&[
        "simulate",
        "examples/agency.yaml",
        "--lose",
        "chelsea-dc",
        "--seed",
        "2",
        "--range",
        "500..600",
    ]);
    let other_path = dir.join("other.json");
    std::fs::write(&other_path, &other.stdout).unwrap();
    let out = bcm(&["merge-tallies", &parts[0], other_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("other.json: cannot merge tallies of different simulations: the seeds differ"),
        "{err}"
    );
    let mut forged: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&parts[0]).unwrap()).unwrap();
    forged["iterations"] = serde_json::json!(181);
    let forged_path = dir.join("forged.json");
    std::fs::write(&forged_path, forged.to_string()).unwrap();
    let out = bcm(&["merge-tallies", forged_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.contains("forged.json: inconsistent simulation tally at /functions/0/histogram"),
        "{err}"
    );
    let out = bcm(&["merge-tallies", "no-such-tally.json"]);
    assert_eq!(out.status.code(), Some(2));
    // The same tally twice would count its iterations twice (it used to give 360 iterations).
    let out = bcm(&["merge-tallies", &parts[0], &parts[0], "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        err.ends_with("cannot merge tallies that both count iterations 0 to 180 (not included)\n"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_simulation_range_must_be_start_to_end() {
    let run = |range: &str, extra: &[&str]| {
        let mut args = vec![
            "simulate",
            "examples/agency.yaml",
            "--lose",
            "chelsea-dc",
            "--range",
            range,
        ];
        args.extend_from_slice(extra);
        bcm(&args)
    };
    let out = run("9..3", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bcm: end (3) is before start (9)\n"
    );
    for bad in ["5", "a..9", "0..-1"] {
        let out = run(bad, &[]);
        assert_eq!(out.status.code(), Some(2), "{bad}");
    }
    // A range and a count of iterations say two different things.
    assert_eq!(run("0..9", &["--iterations", "9"]).status.code(), Some(2));
    let empty = run("4..4", &[]);
    assert_eq!(empty.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_str(&stdout(&empty)).unwrap();
    assert_eq!(v["iterations"].as_u64(), Some(0));
}

/// Iteration counts above the documented limit are refused at once with exit 2 (they used to
/// abort the process: "memory allocation of 31250000000 bytes failed", SIGABRT, exit 134).
#[test]
fn iteration_counts_above_the_limit_are_refused_not_fatal() {
    let simulate = |extra: &[&str]| {
        let mut args = vec!["simulate", "examples/agency.yaml", "--lose", "chelsea-dc"];
        args.extend_from_slice(extra);
        bcm(&args)
    };
    assert_refused(
        &simulate(&["--iterations", "1000000000000"]),
        "bcm: 1000000000000 iterations is more than the 1000000000 one call runs; \
         split the work into ranges\n",
    );
    let out = simulate(&["--range", "0..18446744073709551615"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("bcm: 18446744073709551615 iterations"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = bcm(&[
        "availability",
        "examples/agency.yaml",
        "--iterations",
        "4000000000",
    ]);
    assert_refused(
        &out,
        "bcm: 4000000000 iterations is more than the 1000000000 one call runs\n",
    );
}

/// A JSON key given twice is an error naming its path (it used to load silently, the last value
/// winning: `{"id": "f", "id": "g"}` loaded as `g`). YAML refuses the same when parsing.
#[test]
fn a_json_key_given_twice_is_an_error_with_its_path() {
    let dir = scratch_dir("dup");
    let file = dir.join("dup.json");
    std::fs::write(
        &file,
        r#"{"bcm": 1, "organization": {"name": "x"}, "functions": [{"id": "f", "id": "g"}]}"#,
    )
    .unwrap();
    let out = bcm(&["validate", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).starts_with(
            "error E-PARSE /functions/0/id: the key 'id' appears twice in one mapping"
        ),
        "{}",
        stdout(&out)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A reader that stops early is not an error: `bcm generate small | head -c 10` printed
/// "Broken pipe" and exited 2.
#[test]
fn a_closed_pipe_ends_generate_quietly() {
    use std::io::Read;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_bcm"))
        .args(["generate", "small"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    // The read end is dropped here, before the model is written out in full.
    let out = child.wait_with_output().unwrap();
    assert_eq!(&head[..1], b"{");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn currency_lists_what_is_due_and_exits_1() {
    // At 2026-07-01 on the example: dba2 was last trained on 2024-06-12 (365-day interval); the
    // new payment contract of 2025-12-01 (chg-ctr-12, paycorp) reaches coop-springfield and the
    // BIA of payment-processing (2025-03-15), both due 30 days after it.
    let out = bcm(&["currency", "examples/agency.yaml", "--at", "2026-07-01"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with("plan currency at 2026-07-01\n\n"),
        "{text}"
    );
    for line in [
        "\n2025-06-12  overdue  dba2                        train   10      last 2024-06-12\n",
        "\n2025-12-31  overdue  coop-springfield            review  9(d)    change chg-ctr-12\n",
        "\n2025-12-31  overdue  payment-processing          bia     2       change chg-ctr-12\n",
        "\n2026-07-01           child-support-disbursement  bia     2       never done\n",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(
        text.ends_with(
            "5 plans: 1 current, 4 stale by changes, 1 with the review overdue, 1 with the test \
         overdue; 24 actions, 19 overdue\n"
        ),
        "{text}"
    );

    let json: serde_json::Value = serde_json::from_str(&stdout(&bcm(&[
        "currency",
        "examples/agency.yaml",
        "--at",
        "2026-07-01",
        "--json",
    ])))
    .unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&json), ["at", "actions", "plans"]);
    assert_eq!(
        keys(&json["actions"][0]),
        [
            "subject",
            "subject_kind",
            "action",
            "trigger",
            "change",
            "last",
            "clause",
            "due",
            "plans",
            "message"
        ]
    );
    assert_eq!(
        keys(&json["plans"][0]),
        [
            "id",
            "reviewed",
            "tested",
            "stale_by",
            "review_overdue",
            "test_overdue",
            "current"
        ]
    );

    // Without --at the CLI judges at today's date and says so.
    let today = stdout(&bcm(&["currency", "examples/agency.yaml"]));
    assert!(today.starts_with("plan currency at 20"), "{today}");
    assert!(
        today
            .lines()
            .next()
            .unwrap()
            .ends_with(" (today, UTC; --at to choose)"),
        "{today}"
    );
    assert_refused(
        &bcm(&["currency", "examples/agency.yaml", "--at", "July"]),
        "error: invalid value 'July' for '--at <AT>': \"July\" is not a date (examples: 2026-03-01, 2026-03-01T09:30:00Z)\n\nFor more information, try '--help'.\n",
    );
}

#[test]
fn a_current_programme_exits_0() {
    let dir = scratch_dir("current");
    let file = dir.join("current.yaml");
    std::fs::write(
        &file,
        "bcm: 1\nplans: [{id: p, kind: bcp, reviewed: 2026-06-01, tested: 2026-06-01}]\n",
    )
    .unwrap();
    let out = bcm(&["currency", file.to_str().unwrap(), "--at", "2026-07-01"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        "plan currency at 2026-07-01\n\n1 plan: 1 current, 0 stale by changes, 0 with the review \
         overdue, 0 with the test overdue; 0 actions, 0 overdue\n"
    );
}

#[test]
fn maturity_shows_levels_and_both_sources() {
    // BCD-12.2 on the example at 2026-07-01: the assessment bcd-2026 declares 17 criteria; the
    // model shows others (L3.2, L3.10, L3.11) and contradicts two declared ones (L2.6: three
    // critical functions have a BIA due; L2.8: four backed-up databases have no off-site copy).
    let out = bcm(&["maturity", "examples/agency.yaml", "--at", "2026-07-01"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "BCD-12.2 Failover Capability at 2026-07-01 (SOC 2 A1.2): level 2 of 3 (a level \
             needs 80% of its criteria)\nassessment read: bcd-2026\n\
             level 1: 5 of 5 met (100%), reached\n\
             level 2: 9 of 11 met (81%), reached\n\
             level 3: 6 of 11 met (54%), not reached\n\
             level 4: not applicable to this control\n"
        ),
        "{text}"
    );
    for line in [
        "\nL2.6   yes  declared  yes       no       3 of 6 critical functions without a BIA due: \
         child-support-disbursement, online-services, payment-processing\n",
        "\nL3.10  yes  derived   no        yes      6 of 6 critical functions behind an automatic \
         failover\n",
        "\nL2.1   no   none      no        -        only an assessor can tell (not derivable from \
         the model)\n",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert!(text.ends_with("\n7 of 27 criteria not met\n"), "{text}");

    let json: serde_json::Value = serde_json::from_str(&stdout(&bcm(&[
        "maturity",
        "examples/agency.yaml",
        "--at",
        "2026-07-01",
        "--threshold",
        "0.9",
        "--json",
    ])))
    .unwrap();
    // 9 of 11 is below 90%: level 1.
    assert_eq!(json["level"], 1);
    assert_eq!(json["threshold"], 0.9);
    let out = bcm(&[
        "maturity",
        "examples/agency.yaml",
        "--at",
        "2026-07-01",
        "--threshold",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bcm: threshold 2 is not a share of criteria in (0, 1] (e.g. 0.8)\n"
    );
}

#[test]
fn conformance_checks_each_requirement_and_reads_profile_files() {
    let out = bcm(&["conformance", "examples/agency.yaml", "--at", "2026-07-01"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "Enterprise Business Continuity Management Policy (ma-ebcm) at 2026-07-01\n"
        ),
        "{text}"
    );
    // Clause 6: ACME Cloud is obliged and has an alternate; PayCorp has no alternate.
    assert!(
        text.contains(
            "\n6            fail              1/2  50%  1 of 2 critical vendors obliged to meet \
             continuity requirements, with an alternate; failing: paycorp\n"
        ),
        "{text}"
    );
    assert!(
        text.ends_with("\n0 of 14 measured requirements pass (0%); 0 not measured\n"),
        "{text}"
    );
    let kpis: serde_json::Value = serde_json::from_str(&stdout(&bcm(&[
        "conformance",
        "examples/agency.yaml",
        "--profile",
        "itscm",
        "--at",
        "2026-07-01",
        "--json",
    ])))
    .unwrap();
    assert_eq!(kpis["requirements"][6]["result"], "not-measured");
    assert_eq!(kpis["requirements"][0]["percent"], 80.0);

    let dir = scratch_dir("profiles");
    let good = dir.join("mine.yaml");
    std::fs::write(
        &good,
        "profile: mine\nname: Mine\nrequirements:\n- {id: t, clause: Most plans tested., check: plans-tested, target: 0.75}\n",
    )
    .unwrap();
    let out = bcm(&[
        "conformance",
        "examples/agency.yaml",
        "--profile",
        good.to_str().unwrap(),
        "--at",
        "2026-07-01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "profile: mine\nname: Mine\nrequirements:\n- {id: t, clause: c, check: plans-tested, params: {within: soon}}\n",
    )
    .unwrap();
    let out = bcm(&[
        "conformance",
        "examples/agency.yaml",
        "--profile",
        bad.to_str().unwrap(),
        "--at",
        "2026-07-01",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(": profile /requirements/0/params/within: \"soon\" is not a duration"),
        "{stderr}"
    );
    // A built-in profile printed, edited and read back: clause 7 at 150 km fails the copies
    // at Springfield (about 130 km from the Chelsea data center).
    let printed = stdout(&bcm(&["profile", "ma-ebcm"]));
    assert!(printed.contains("    params: {min_km: 50}\n"), "{printed}");
    let strict = dir.join("strict.yaml");
    std::fs::write(&strict, printed.replace("{min_km: 50}", "{min_km: 150}")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&stdout(&bcm(&[
        "conformance",
        "examples/agency.yaml",
        "--profile",
        strict.to_str().unwrap(),
        "--at",
        "2026-07-01",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["requirements"][10]["numerator"], 0);
    assert_refused(
        &bcm(&["profile", "nist"]),
        "bcm: there is no built-in profile 'nist' (ma-ebcm, itscm)\n",
    );
    assert_refused(
        &bcm(&["conformance", "examples/agency.yaml", "--profile", "nist"]),
        "bcm: --profile nist: neither a built-in profile (ma-ebcm, itscm) nor a file\n",
    );
}

#[test]
fn the_conformant_and_non_conformant_examples() {
    for (file, code, policy, kpis) in [
        (
            "examples/conformant-agency.yaml",
            0,
            "\n14 of 14 measured requirements pass (100%); 0 not measured\n",
            "\n6 of 6 measured requirements pass (100%); 1 not measured\n",
        ),
        (
            "examples/non-conformant-agency.yaml",
            1,
            "\n0 of 14 measured requirements pass (0%); 0 not measured\n",
            "\n0 of 6 measured requirements pass (0%); 1 not measured\n",
        ),
    ] {
        let valid = bcm(&["validate", file]);
        assert_eq!(
            stdout(&valid),
            format!("{file}: valid, 0 errors, 0 warnings\n")
        );
        let out = bcm(&["conformance", file, "--at", "2026-07-01"]);
        assert_eq!(out.status.code(), Some(code), "{file}");
        assert!(stdout(&out).ends_with(policy), "{}", stdout(&out));
        let out = bcm(&[
            "conformance",
            file,
            "--profile",
            "itscm",
            "--at",
            "2026-07-01",
        ]);
        assert_eq!(out.status.code(), Some(code), "{file}");
        assert!(stdout(&out).ends_with(kpis), "{}", stdout(&out));
    }
    // The conformant agency is current too: nothing due.
    let out = bcm(&[
        "currency",
        "examples/conformant-agency.yaml",
        "--at",
        "2026-07-01",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn risk_prints_the_register_then_the_portfolio() {
    let out = bcm(&[
        "risk",
        "examples/agency.yaml",
        "--iterations",
        "2000",
        "--seed",
        "4",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(
        text.starts_with(
            "risk register: 2000 simulated years, seed 4; amounts per year in USD\n\n"
        ),
        "{text}"
    );
    // Ransomware on the tax database leads: ALE 0.308333 × 2,533,333 = 781,111 before its
    // controls, 156,222 after (CRAMM-style 6: value 10, threat high, vulnerability medium;
    // declared likelihood 3 and impact 5: score 15, high).
    let first = text.lines().nth(3).unwrap();
    assert!(
        first.starts_with("r-ransomware-tax      6  3x5 high              781111        156222"),
        "{first}"
    );
    // The backups return (781,111 × 0.5 − 156,222 − 40,000) / 40,000 = +486%.
    assert!(first.contains("immutable backups (+486%)"), "{first}");
    // The portfolio's closed-form ALEs: the five risks' sums.
    assert!(
        text.contains("\nportfolio, inherent: ALE 997350 (simulated mean "),
        "{text}"
    );
    assert!(
        text.contains("\nportfolio, residual: ALE 278113 (simulated mean "),
        "{text}"
    );
    // The same seed, the same years.
    assert_eq!(
        stdout(&bcm(&[
            "risk",
            "examples/agency.yaml",
            "--iterations",
            "2000",
            "--seed",
            "4"
        ])),
        text
    );
    let dir = scratch_dir("risk");
    let matrix = dir.join("matrix.yaml");
    std::fs::write(
        &matrix,
        "likelihood: [1]\nimpact: [5, 1]\nbands: [{label: all, max_score: 4}]\n",
    )
    .unwrap();
    let out = bcm(&[
        "risk",
        "examples/agency.yaml",
        "--matrix",
        matrix.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "bcm: risk matrix /impact/1: threshold 1 is not positive, finite and above the one before\n"
    );
}

#[test]
fn report_writes_html_markdown_json_and_csv() {
    let dir = scratch_dir("report");
    let html = dir.join("report.html");
    let out = bcm(&[
        "report",
        "examples/small-report.yaml",
        "-o",
        html.to_str().unwrap(),
        "--at",
        "2026-07-01",
        "--iterations",
        "50",
        "--years",
        "500",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "the report went to the file");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("<title>Continuity report: Small Co</title>"));
    assert!(page.contains("billing by 2h"));

    // Markdown on standard output, the same as the library writes.
    let md = bcm(&[
        "report",
        "examples/small-report.yaml",
        "--format",
        "md",
        "--at",
        "2026-07-01",
        "--iterations",
        "100",
        "--years",
        "1000",
    ]);
    let golden =
        std::fs::read_to_string(root().join("crates/bcm-core/tests/golden/small-report.md"))
            .unwrap();
    assert_eq!(stdout(&md), format!("{golden}\n"));

    let json = bcm(&[
        "report",
        "examples/small-report.yaml",
        "--format",
        "json",
        "--at",
        "2026-07-01",
        "--lose",
        "crm",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["scenario"], serde_json::json!(["crm"]));
    assert_eq!(value["summary"]["worst_loss"]["chosen"], "given");

    let csv_dir = dir.join("csv");
    let csv = bcm(&[
        "report",
        "examples/small-report.yaml",
        "--format",
        "csv",
        "-o",
        csv_dir.to_str().unwrap(),
        "--at",
        "2026-07-01",
    ]);
    assert_eq!(csv.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(csv_dir.join("schedule-waves.csv")).unwrap(),
        "start,restores\n0,db\n21600,crm\n"
    );
    assert!(
        String::from_utf8_lossy(&csv.stderr).contains("CSV files in"),
        "{}",
        String::from_utf8_lossy(&csv.stderr)
    );

    // Without --at, today is used and said.
    let today = bcm(&["report", "examples/small-report.yaml", "--format", "json"]);
    assert!(String::from_utf8_lossy(&today.stderr).contains("(today, UTC; --at sets the date)"));
}

#[test]
fn report_refuses_what_it_cannot_do() {
    assert_refused(
        &bcm(&["report", "examples/small-report.yaml", "--format", "csv"]),
        "bcm: --format csv writes one file per table: name a directory with -o\n",
    );
    let out = bcm(&[
        "report",
        "examples/small-report.yaml",
        "--at",
        "2026-07-01",
        "--lose",
        "atlantis",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("atlantis"));
    let out = bcm(&[
        "report",
        "examples/small-report.yaml",
        "--at",
        "2026-07-01",
        "--redact",
        "--format",
        "md",
    ]);
    let md = stdout(&out);
    assert!(!md.contains("Ada Lovelace") && !md.contains("7946"));
    assert!(md.contains("Personal data (names, phones, e-mail) is left out"));
}

#[test]
fn graph_exports_dot_and_mermaid() {
    let dot = bcm(&["graph", "examples/small-report.yaml", "--format", "dot"]);
    assert_eq!(dot.status.code(), Some(0));
    let text = stdout(&dot);
    assert!(text.contains("digraph bcm {") && text.contains("\"billing\" -> \"db\";"));
    let mermaid = bcm(&[
        "graph",
        "examples/small-report.yaml",
        "--format",
        "mermaid",
        "--function",
        "support",
    ]);
    let text = stdout(&mermaid);
    assert!(text.starts_with("%% bcm dependency graph"));
    assert!(text.contains("  n0([\"support\"])\n") && text.contains("  n0 --> n1\n"));
    let unknown = bcm(&[
        "graph",
        "examples/small-report.yaml",
        "--format",
        "dot",
        "--function",
        "db",
    ]);
    assert_refused(&unknown, "bcm: function: there is no function 'db'\n");
}

#[test]
fn spof_pairs_of_one_function() {
    let out = bcm(&["spof", "examples/agency.yaml", "--pairs", "payroll"]);
    assert_eq!(out.status.code(), Some(0));
    let text = stdout(&out);
    assert!(text.starts_with(
        "payroll: 4 single point(s) of failure: chelsea-dc, hr-db, hr-payroll-app, san\n10 pair(s)"
    ));
    assert!(text.contains("\n  core-switch-a + core-switch-b"));
    let json = bcm(&[
        "spof",
        "examples/agency.yaml",
        "--pairs",
        "payroll",
        "--json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["pairs"][0], serde_json::json!(["ad-dc-1", "ad-dc-2"]));
    assert_refused(
        &bcm(&["spof", "examples/agency.yaml", "--pairs", "hr-db"]),
        "bcm: there is no function 'hr-db'\n",
    );
}
