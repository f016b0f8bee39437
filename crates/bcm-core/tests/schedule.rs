//! The recovery schedule (DESIGN §4.E) on hand-built scenarios, one rule each; the expected
//! numbers are worked out in the comments. Hours are written as `H * n`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bcm_core::Model;
use bcm_core::schedule::{Schedule, ScheduleParams, compare, schedule};

const H: u64 = 3600;

fn run(yaml: &str, lose: &[&str]) -> Schedule {
    let text = format!("bcm: 1\norganization: {{name: x}}\n{yaml}");
    let m = Model::from_yaml_str(&text).unwrap();
    let params = ScheduleParams {
        lose: lose.iter().map(|s| (*s).to_owned()).collect(),
    };
    schedule(&m, &params).unwrap()
}

/// (down_at, start, up_at) of a node.
fn node(s: &Schedule, id: &str) -> (Option<u64>, Option<u64>, Option<u64>) {
    let n = s.nodes.iter().find(|n| n.id == id).unwrap();
    (n.down_at, n.start, n.up_at)
}

#[test]
fn a_lost_asset_is_restored_and_the_function_resumes_after_it() {
    // db lost at 0, restored in 3h: up at 3h. pay depends on db: down at 0, up at 3h + 1h
    // resume = 4h, within its 6h RTO (slack 2h); 4h + 2h WRT = 6h ≤ 8h MTD.
    let s = run(
        "functions: [{id: pay, rto: 6h, mtd: 8h, wrt: 2h, resume: 1h, depends_on: [db]}]\n\
         assets: [{id: db, kind: data, restore: 3h}, {id: spare, kind: data, restore: 1h}]\n",
        &["db"],
    );
    assert_eq!(node(&s, "db"), (Some(0), Some(0), Some(3 * H)));
    assert_eq!(node(&s, "pay"), (Some(0), None, Some(4 * H)));
    assert_eq!(node(&s, "spare"), (None, None, None));
    let pay = &s.functions[0];
    assert_eq!(
        (pay.met, pay.breach, pay.mtd_met),
        (Some(true), Some(0), Some(true))
    );
    let slack = s.nodes.iter().find(|n| n.id == "pay").unwrap().slack;
    assert_eq!(slack, Some(2 * H as i64));
    assert_eq!(pay.critical_path, ["db"]);
    assert_eq!(s.makespan, Some(4 * H));
}

#[test]
fn an_rto_breach_and_an_mtd_breach_through_the_wrt() {
    // up at 5h + 1h = 6h: RTO 4h breached by 2h; 6h + 3h WRT = 9h > 8h MTD.
    let s = run(
        "functions: [{id: pay, rto: 4h, mtd: 8h, wrt: 3h, resume: 1h, depends_on: [db]}]\n\
         assets: [{id: db, kind: data, restore: 5h}]\n",
        &["db"],
    );
    let pay = &s.functions[0];
    assert_eq!(pay.up_at, Some(6 * H));
    assert_eq!(
        (pay.met, pay.breach, pay.mtd_met),
        (Some(false), Some(2 * H), Some(false))
    );
}

#[test]
fn a_soft_edge_rides_out_a_short_outage_but_not_a_long_one() {
    // a is out 2h (< 4h tolerance): web copes, never down. b is out 6h (> 4h): app goes down
    // at 0 + 4h and is back when b is, 6h (an asset adds nothing of its own).
    let s = run(
        "assets: [{id: a, kind: data, restore: 2h}, {id: b, kind: data, restore: 6h},\n\
         {id: web, kind: application, depends_on: [{id: a, tolerance: 4h}]},\n\
         {id: app, kind: application, depends_on: [{id: b, tolerance: 4h}]}]\n",
        &["a", "b"],
    );
    assert_eq!(node(&s, "web"), (None, None, None));
    assert_eq!(node(&s, "app"), (Some(4 * H), None, Some(6 * H)));
}

#[test]
fn a_group_fails_over_with_a_blip_while_enough_members_are_up() {
    // 1-of-2 group, one member lost (down 0..2h): the group is down only for its 10m failover.
    // A function with a 15m tolerance on the group rides it out; a hard one is down 0..10m
    // and back at 10m + 30m resume.
    let s = run(
        "functions: [{id: hard, resume: 30m, depends_on: [g]},\n\
                     {id: soft, resume: 30m, depends_on: [{id: g, tolerance: 15m}]}]\n\
         assets: [{id: db1, kind: data, restore: 2h}, {id: db2, kind: data, restore: 2h},\n\
                  {id: g, kind: group, members: [db1, db2], min_up: 1, failover_time: 10m}]\n",
        &["db1"],
    );
    assert_eq!(node(&s, "g"), (Some(0), None, Some(600)));
    assert_eq!(node(&s, "soft"), (None, None, None));
    assert_eq!(node(&s, "hard"), (Some(0), None, Some(600 + 1800)));
    let hard = s.functions.iter().find(|f| f.id == "hard").unwrap();
    assert_eq!(hard.critical_path, ["db1", "g"]);
}

#[test]
fn a_group_is_resolved_once_its_outage_is_certain_not_when_its_lost_member_starts() {
    // One DBA. ledger (required 3h, for pay) goes first: 0 → 2h. db1 (required later) waits for
    // the DBA: 2h → 6h. g = {db1, db2}, 1 of 2 up: db1 alone down is a 60s blip from 0, certain at
    // 0, because db1 is down from 0 and cannot be back before 0 + 4h whatever its team does. So
    // app (no team, needs g) is ready and starts at 60s, up at 60s + 1h = 3660s; web with it.
    // Waiting for db1's restore to start would have started app at 2h instead.
    let s = run(
        "teams: [{id: dba, capacity: 1}]\n\
         functions: [{id: pay, rto: 3h, depends_on: [ledger]},\n\
                     {id: web, rto: 8h, depends_on: [app]}]\n\
         assets: [{id: ledger, kind: data, team: dba, restore: 2h},\n\
                  {id: db1, kind: data, team: dba, restore: 4h},\n\
                  {id: db2, kind: data, restore: 4h},\n\
                  {id: g, kind: group, members: [db1, db2], min_up: 1, failover_time: 60s},\n\
                  {id: app, kind: application, restore: 1h, depends_on: [g]}]\n",
        &["ledger", "db1", "app"],
    );
    assert_eq!(node(&s, "ledger"), (Some(0), Some(0), Some(2 * H)));
    assert_eq!(node(&s, "db1"), (Some(0), Some(2 * H), Some(6 * H)));
    assert_eq!(node(&s, "g"), (Some(0), None, Some(60)));
    assert_eq!(node(&s, "app"), (Some(0), Some(60), Some(60 + H)));
    assert_eq!(node(&s, "web"), (Some(0), None, Some(60 + H)));
    let web = s.functions.iter().find(|f| f.id == "web").unwrap();
    assert_eq!(web.critical_path, ["db1", "g", "app"]);
}

#[test]
fn a_group_is_resolved_once_its_outage_is_certain_even_with_a_member_behind_a_lost_asset() {
    // m1 is not lost but needs x, which waits for its vendor: v0 back at 3h, x restored 3h → 4h,
    // so m1 is down 0..4h. y is untouched. g = {m1, y}, 1 of 2 up, only ever blips: 0..120s,
    // certain at 0 whenever x comes back. So c (needs g) starts at 120s, up at 120s + 1h = 3720s,
    // as the forward pass has it; waiting for m1 to be resolved would have started it at 3h.
    let s = run(
        "vendors: [{id: v0, name: V, restore: 3h}]\n\
         assets: [{id: x, kind: data, restore: 1h, depends_on: [v0]},\n\
                  {id: m1, kind: service, depends_on: [x]},\n\
                  {id: y, kind: service},\n\
                  {id: g, kind: group, members: [m1, y], min_up: 1, failover_time: 2m},\n\
                  {id: c, kind: application, restore: 1h, depends_on: [g]}]\n",
        &["v0", "x", "c"],
    );
    assert_eq!(node(&s, "x"), (Some(0), Some(3 * H), Some(4 * H)));
    assert_eq!(node(&s, "m1"), (Some(0), None, Some(4 * H)));
    assert_eq!(node(&s, "g"), (Some(0), None, Some(120)));
    assert_eq!(node(&s, "c"), (Some(0), Some(120), Some(120 + H)));
}

#[test]
fn a_group_is_resolved_as_soon_as_a_lost_member_is_known_to_wait() {
    // x is lost and takes no time to restore once its vendor v is back (3h). At 0, before v's
    // restore starts, x could be back at 0 for all anyone knows: g = {x, y}, 1 of 2 up, would
    // then not blip at all, while with x never back it blips 0..180s; not certain yet. v starts
    // at 0, so x is ready at 3h: now g blips 0..180s at both ends, certain at 0. b tolerates g
    // for 1h, so it starts at 0 and is back at 1h; an engine that read x again only at 180s (the
    // blip's end) would have started b at 180s.
    let s = run(
        "vendors: [{id: v, name: V, restore: 3h}]\n\
         assets: [{id: x, kind: data, restore: 0s, depends_on: [v]},\n\
                  {id: y, kind: data, restore: 1h},\n\
                  {id: g, kind: group, members: [x, y], min_up: 1, failover_time: 3m},\n\
                  {id: b, kind: application, restore: 1h, depends_on: [{id: g, tolerance: 1h}]}]\n",
        &["v", "x", "b"],
    );
    assert_eq!(node(&s, "x"), (Some(0), Some(3 * H), Some(3 * H)));
    assert_eq!(node(&s, "g"), (Some(0), None, Some(180)));
    assert_eq!(node(&s, "b"), (Some(0), Some(0), Some(H)));
}

#[test]
fn a_group_is_resolved_when_time_passing_makes_its_outage_certain() {
    // z (required 1h, for f) holds team t 0 → 3h; m1 (t, 1h) waits for it: 3h → 4h. m2 (no
    // team) is back at 2h; w (team u) at 90m. g = {m1, m2}, 1 of 2 up: down while both are, so
    // 0 → 2h if m1 is back no earlier than 2h. At 0 m1 could be back at 0 + 1h, not certain.
    // At 90m, when w finishes, m1 can be back at 90m + 1h = 150m at the earliest: certain, g is
    // down 0 → 2h. b tolerates g for 5h, so it starts then, at 90m, and is back at 150m; an
    // engine that tried g again only when m1 starts or at 2h would have started b at 2h.
    let s = run(
        "teams: [{id: t, capacity: 1}, {id: u, capacity: 1}]\n\
         functions: [{id: f, rto: 4h, depends_on: [z]}]\n\
         assets: [{id: z, kind: data, team: t, restore: 3h},\n\
                  {id: m1, kind: data, team: t, restore: 1h},\n\
                  {id: m2, kind: data, restore: 2h},\n\
                  {id: w, kind: data, team: u, restore: 90m},\n\
                  {id: g, kind: group, members: [m1, m2], min_up: 1, failover_time: 60s},\n\
                  {id: b, kind: application, restore: 1h, depends_on: [{id: g, tolerance: 5h}]}]\n",
        &["z", "m1", "m2", "w", "b"],
    );
    assert_eq!(node(&s, "m1"), (Some(0), Some(3 * H), Some(4 * H)));
    assert_eq!(node(&s, "g"), (Some(0), None, Some(2 * H)));
    assert_eq!(node(&s, "b"), (Some(0), Some(90 * 60), Some(150 * 60)));
}

#[test]
fn a_group_inside_a_group_counts_once_its_hull_is_bounded() {
    // g3 = {a1, a2} is down while any member is (min_up 2): a1 is restored 0 → 1h, a2 needs a1 and
    // is restored 1h → 1h + 30m. At 0, g3 is down from 0 and back somewhere from 1h on: not
    // certain, but full whatever a2 does. g6 = {g3, a4} (1 of 2 up, a4 untouched) then only
    // blips, 0..60s, certain at 0. So a9 (needs g6) starts at 60s, up at 60s + 30m = 1860s.
    let s = run(
        "assets: [{id: a1, kind: data, restore: 1h},\n\
                  {id: a2, kind: data, restore: 30m, depends_on: [a1]},\n\
                  {id: a4, kind: data},\n\
                  {id: g3, kind: group, members: [a1, a2], min_up: 2},\n\
                  {id: g6, kind: group, members: [g3, a4], min_up: 1, failover_time: 1m},\n\
                  {id: a9, kind: application, restore: 30m, depends_on: [g6]}]\n",
        &["a1", "a2", "a9"],
    );
    assert_eq!(node(&s, "a2"), (Some(0), Some(H), Some(H + 1800)));
    assert_eq!(node(&s, "g3"), (Some(0), None, Some(H + 1800)));
    assert_eq!(node(&s, "g6"), (Some(0), None, Some(60)));
    assert_eq!(node(&s, "a9"), (Some(0), Some(60), Some(60 + 1800)));
}

#[test]
fn a_group_is_down_while_too_many_members_are() {
    // 2-of-3 group (down while more than 1 member is down). db1 out 0..2h, db2 out 0..5h,
    // db3 fine: 2 down from 0 until db1 is back at 2h. Losing the group itself loses all
    // three: down until the second member is back, i.e. db1 and db3 (2h, 1h): at 2h only db2
    // is still down.
    let models = "assets: [{id: db1, kind: data, restore: 2h}, {id: db2, kind: data, restore: 5h},\n\
         {id: db3, kind: data, restore: 1h},\n\
         {id: g, kind: group, members: [db1, db2, db3], min_up: 2, failover_time: 1m}]\n";
    let s = run(models, &["db1", "db2"]);
    assert_eq!(node(&s, "g"), (Some(0), None, Some(2 * H)));
    let s = run(models, &["g"]);
    assert_eq!(node(&s, "g"), (Some(0), None, Some(2 * H)));
    assert_eq!(node(&s, "db3"), (Some(0), Some(0), Some(H)));
}

#[test]
fn members_coming_back_count_before_members_going_down_at_one_instant() {
    // 1-of-2 group: m1 is out 0..2h (lost, restore 2h). m2 copes 2h without x (lost, out
    // 0..3h), so it goes down at 2h, exactly when m1 comes back. At that instant m1's return
    // counts first: the two are never down together, so the group only blips, and with no
    // failover time that is no outage at all.
    let s = run(
        "assets: [{id: m1, kind: data, restore: 2h}, {id: x, kind: data, restore: 3h},\n\
         {id: m2, kind: data, depends_on: [{id: x, tolerance: 2h}]},\n\
         {id: g, kind: group, members: [m1, m2], min_up: 1}]\n",
        &["m1", "x"],
    );
    assert_eq!(node(&s, "m2"), (Some(2 * H), None, Some(3 * H)));
    assert_eq!(node(&s, "g"), (None, None, None));
}

#[test]
fn one_team_restores_by_required_time_then_id() {
    // One DBA (capacity 1) and three lost databases of 2h each. Required times: a feeds a 4h
    // RTO, b and c an 8h one (a is first); b before c by ID. a 0–2h, b 2–4h, c 4–6h.
    // fa is back at 2h (met); fb at 4h, fc at 6h (met, 8h RTO).
    let s = run(
        "teams: [{id: dba, capacity: 1}]\n\
         functions: [{id: fa, rto: 4h, depends_on: [a]}, {id: fb, rto: 8h, depends_on: [b]},\n\
                     {id: fc, rto: 8h, depends_on: [c]}]\n\
         assets: [{id: c, kind: data, team: dba, restore: 2h},\n\
                  {id: b, kind: data, team: dba, restore: 2h},\n\
                  {id: a, kind: data, team: dba, restore: 2h}]\n",
        &["a", "b", "c"],
    );
    assert_eq!(node(&s, "a"), (Some(0), Some(0), Some(2 * H)));
    assert_eq!(node(&s, "b"), (Some(0), Some(2 * H), Some(4 * H)));
    assert_eq!(node(&s, "c"), (Some(0), Some(4 * H), Some(6 * H)));
    let starts: Vec<(u64, Vec<String>)> = s
        .waves
        .iter()
        .map(|w| (w.start, w.restores.clone()))
        .collect();
    assert_eq!(
        starts,
        [
            (0, vec!["a".to_owned()]),
            (2 * H, vec!["b".to_owned()]),
            (4 * H, vec!["c".to_owned()])
        ]
    );
    // c's restore waited for the team, not for a dependency: the path ends at c.
    assert_eq!(s.functions[2].critical_path, ["c"]);
}

#[test]
fn a_capacity_shortfall_is_staffing_not_architecture() {
    // Two 3h restores, one team of capacity 1, both functions with a 4h RTO: x 0–3h, y 3–6h.
    // fy misses its RTO by 2h but would meet it with unlimited teams (3h): a shortfall. fz
    // needs a 5h restore: it misses its RTO even with unlimited teams, so no shortfall.
    let s = run(
        "teams: [{id: ops}]\n\
         functions: [{id: fx, rto: 4h, depends_on: [x]}, {id: fy, rto: 4h, depends_on: [y]},\n\
                     {id: fz, rto: 4h, depends_on: [z]}]\n\
         assets: [{id: x, kind: data, team: ops, restore: 3h},\n\
                  {id: y, kind: data, team: ops, restore: 3h},\n\
                  {id: z, kind: data, restore: 5h}]\n",
        &["x", "y", "z"],
    );
    let f = |id: &str| s.functions.iter().find(|f| f.id == id).unwrap();
    assert_eq!(
        (f("fx").met, f("fx").capacity_shortfall),
        (Some(true), false)
    );
    assert_eq!(f("fy").up_at, Some(6 * H));
    assert_eq!(f("fy").breach, Some(2 * H));
    assert!(f("fy").capacity_shortfall);
    assert_eq!(
        (f("fz").met, f("fz").capacity_shortfall),
        (Some(false), false)
    );
}

#[test]
fn a_restore_waits_for_what_it_needs() {
    // app (lost, 1h) runs on host (lost, 3h): app may start at 3h and is back at 4h. The
    // function's critical path runs host → app.
    let s = run(
        "functions: [{id: f, depends_on: [app]}]\n\
         assets: [{id: host, kind: infrastructure, site: hq, restore: 3h},\n\
                  {id: app, kind: application, site: hq, restore: 1h, depends_on: [host]}]\n\
         sites: [{id: hq}]\n",
        &["hq"],
    );
    assert_eq!(node(&s, "app"), (Some(0), Some(3 * H), Some(4 * H)));
    assert_eq!(s.functions[0].critical_path, ["host", "app"]);
    assert_eq!(s.waves.len(), 2);
}

#[test]
fn a_restore_waits_until_what_it_tolerates_is_resolved() {
    // c (team t, 4h) starts at 0. x (no team, 1h) needs c: ready at 4h, starts then, back at
    // 5h. y (team u, 2h) tolerates x for 10h, so x's 5h outage never affects it, but x is
    // resolved only when its restore starts at 4h: y starts at 4h and is back at 6h (not at 0
    // and 2h, as an engine that fixed x's times ahead of its start would have it).
    let s = run(
        "teams: [{id: t, capacity: 1}, {id: u, capacity: 1}]\n\
         assets: [{id: c, kind: data, team: t, restore: 4h},\n\
                  {id: x, kind: application, restore: 1h, depends_on: [c]},\n\
                  {id: y, kind: application, team: u, restore: 2h,\n\
                   depends_on: [{id: x, tolerance: 10h}]}]\n",
        &["c", "x", "y"],
    );
    assert_eq!(node(&s, "x"), (Some(0), Some(4 * H), Some(5 * H)));
    assert_eq!(node(&s, "y"), (Some(0), Some(4 * H), Some(6 * H)));
}

#[test]
fn a_lost_vendor_restores_with_no_team_and_its_assets_are_lost() {
    // Losing the vendor loses it (restore 5h, no team, starts at 0) and the SaaS it supplies
    // (restore 1h, team of capacity 1 shared with db). SaaS depends on the vendor: it may start
    // at 5h, back at 6h. The team is free then.
    let s = run(
        "vendors: [{id: acme, restore: 5h}]\n\
         teams: [{id: t}]\n\
         functions: [{id: f, depends_on: [saas]}]\n\
         assets: [{id: saas, kind: application, vendor: acme, team: t, restore: 1h, depends_on: [acme]}]\n",
        &["acme"],
    );
    assert_eq!(node(&s, "acme"), (Some(0), Some(0), Some(5 * H)));
    assert_eq!(node(&s, "saas"), (Some(0), Some(5 * H), Some(6 * H)));
    assert_eq!(s.functions[0].critical_path, ["acme", "saas"]);
}

#[test]
fn nodes_on_or_behind_a_cycle_are_blocked_and_the_rest_scheduled() {
    // a ↔ b form a cycle and f depends on a: all three blocked (nulls). db and g are scheduled.
    let s = run(
        "functions: [{id: f, depends_on: [a]}, {id: g, rto: 1h, depends_on: [db]}]\n\
         assets: [{id: a, kind: data, depends_on: [b]}, {id: b, kind: data, depends_on: [a]},\n\
                  {id: db, kind: data, restore: 30m}]\n",
        &["db", "a"],
    );
    assert_eq!(s.blocked, ["a", "b", "f"]);
    assert_eq!(node(&s, "a"), (None, None, None));
    assert_eq!(node(&s, "g"), (Some(0), None, Some(1800)));
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["blocked"], serde_json::json!(["a", "b", "f"]));
}

#[test]
fn json_has_exactly_the_design_shape() {
    let s = run(
        "functions: [{id: pay, rto: 6h, depends_on: [db]}]\n\
         assets: [{id: db, kind: data, restore: 3h}]\n",
        &["db"],
    );
    let json = serde_json::to_value(&s).unwrap();
    let keys = |v: &serde_json::Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(keys(&json), ["functions", "makespan", "nodes", "waves"]);
    assert_eq!(
        keys(&json["nodes"][0]),
        [
            "down_at", "id", "kind", "required", "slack", "start", "up_at"
        ]
    );
    assert_eq!(
        keys(&json["functions"][0]),
        [
            "breach",
            "capacity_shortfall",
            "critical_path",
            "id",
            "met",
            "mtd_met",
            "rto",
            "up_at"
        ]
    );
    assert_eq!(keys(&json["waves"][0]), ["restores", "start"]);
}

#[test]
fn raising_capacity_moves_only_the_functions_that_waited() {
    let base = "bcm: 1\norganization: {name: x}\nteams: [{id: ops, capacity: 1}]\n\
         functions: [{id: fx, rto: 4h, depends_on: [x]}, {id: fy, rto: 4h, depends_on: [y]}]\n\
         assets: [{id: x, kind: data, team: ops, restore: 3h},\n\
                  {id: y, kind: data, team: ops, restore: 3h}]\n";
    let before = Model::from_yaml_str(base).unwrap();
    let after = Model::from_yaml_str(&base.replace("capacity: 1", "capacity: 2")).unwrap();
    let lose = ScheduleParams {
        lose: vec!["x".into(), "y".into()],
    };
    let c = compare(
        &schedule(&before, &lose).unwrap(),
        &schedule(&after, &lose).unwrap(),
    );
    assert_eq!(c.functions.len(), 1);
    assert_eq!(c.functions[0].id, "fy");
    assert_eq!(
        (c.functions[0].before, c.functions[0].after),
        (Some(6 * H), Some(3 * H))
    );
    assert_eq!(
        (c.makespan_before, c.makespan_after),
        (Some(6 * H), Some(3 * H))
    );
}

#[test]
fn an_unknown_unit_is_an_error_naming_it() {
    let m = Model::from_yaml_str("bcm: 1\norganization: {name: x}\n").unwrap();
    let err = schedule(
        &m,
        &ScheduleParams {
            lose: vec!["nowhere".into()],
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "'nowhere' is not an asset, group, site or vendor of the model"
    );
}

#[test]
fn a_group_settled_by_a_zero_length_restore_frees_its_dependent_at_that_very_time() {
    // Losing s: a (no restore: 0), c (10h), l and z (1h each, one team of 1). Required times:
    // l 2h (f1's RTO), g, a, b and c 1h (l's 2h less its 1h restore), z 1d. At 0, in that order:
    // a starts and is back at once, so g — down only while a and b are both down — is never
    // down, and l is ready at 0; c starts; then l, before z, takes the team: l 0 → 1h, z 1h → 2h.
    // (The engine defers group tries within a decision time; here that would let z take the
    // team first, which it must notice and undo.)
    let s = run(
        "sites: [{id: s}]\n\
         teams: [{id: t, capacity: 1}]\n\
         functions:\n\
         - {id: f1, rto: 2h, depends_on: [l]}\n\
         - {id: f2, rto: 1d, depends_on: [z]}\n\
         assets:\n\
         - {id: a, kind: infrastructure, site: s}\n\
         - {id: b, kind: infrastructure, depends_on: [c]}\n\
         - {id: c, kind: infrastructure, site: s, restore: 10h}\n\
         - {id: g, kind: group, members: [a, b], min_up: 1}\n\
         - {id: l, kind: application, site: s, team: t, restore: 1h, depends_on: [g]}\n\
         - {id: z, kind: application, site: s, team: t, restore: 1h}\n",
        &["s"],
    );
    assert_eq!(node(&s, "g"), (None, None, None));
    assert_eq!(node(&s, "l"), (Some(0), Some(0), Some(H)));
    assert_eq!(node(&s, "z"), (Some(0), Some(H), Some(2 * H)));
    assert_eq!(node(&s, "f1"), (Some(0), None, Some(H)));
}

#[test]
fn restores_a_deferred_group_try_frees_take_the_team_before_a_later_one_that_was_ready_first() {
    // Losing feed (no team, 1h), app1, app2 and sync (team t of 2, 1h each); no required times,
    // so the restore order is the ID order: app1, app2, feed, sync. g has feed as its only
    // member: down 0..1h once feed starts at 0, which the apps ride out (2h tolerance), so both
    // are ready at 0 — but only once feed's start settles g. Trying g after feed's start, the
    // apps take the team's two places at 0 (0 → 1h) and sync waits for one: 1h → 2h.
    // (The engine defers group tries within a decision time; sync would then take a place at 0
    // while the team still has room for one app, which it must notice and undo.)
    let s = run(
        "teams: [{id: t, capacity: 2}]\n\
         assets:\n\
         - {id: feed, kind: data, restore: 1h}\n\
         - {id: g, kind: group, members: [feed], min_up: 1}\n\
         - {id: app1, kind: application, team: t, restore: 1h,\n\
            depends_on: [{id: g, tolerance: 2h}]}\n\
         - {id: app2, kind: application, team: t, restore: 1h,\n\
            depends_on: [{id: g, tolerance: 2h}]}\n\
         - {id: sync, kind: application, team: t, restore: 1h}\n",
        &["feed", "app1", "app2", "sync"],
    );
    assert_eq!(node(&s, "g"), (Some(0), None, Some(H)));
    assert_eq!(node(&s, "app1"), (Some(0), Some(0), Some(H)));
    assert_eq!(node(&s, "app2"), (Some(0), Some(0), Some(H)));
    assert_eq!(node(&s, "sync"), (Some(0), Some(H), Some(2 * H)));
}

#[test]
fn a_restore_a_deferred_group_try_frees_keeps_its_place_before_a_better_one_ready_after_it() {
    // Losing alpha and delta (no team, 1h each), bravo and charlie (team t of 1, 1h each); no
    // required times, so the restore order is the ID order: alpha, bravo, charlie, delta. g has
    // alpha as its only member: down 0..1h once alpha starts, which charlie rides out (2h
    // tolerance); bravo rides out delta's 0..1h the same way. At 0: alpha starts, which settles
    // g, so charlie is ready and, before delta, takes the team (0 → 1h); delta's start then
    // makes bravo ready, too late for the team: 1h → 2h.
    // (Deferring g's try, delta would start before charlie is ready, and bravo — better than
    // charlie — would take the team first: the engine must notice and undo that.)
    let s = run(
        "teams: [{id: t, capacity: 1}]\n\
         assets:\n\
         - {id: alpha, kind: data, restore: 1h}\n\
         - {id: delta, kind: data, restore: 1h}\n\
         - {id: g, kind: group, members: [alpha], min_up: 1}\n\
         - {id: bravo, kind: application, team: t, restore: 1h,\n\
            depends_on: [{id: delta, tolerance: 2h}]}\n\
         - {id: charlie, kind: application, team: t, restore: 1h,\n\
            depends_on: [{id: g, tolerance: 2h}]}\n",
        &["alpha", "bravo", "charlie", "delta"],
    );
    assert_eq!(node(&s, "charlie"), (Some(0), Some(0), Some(H)));
    assert_eq!(node(&s, "bravo"), (Some(0), Some(H), Some(2 * H)));
    assert_eq!(node(&s, "delta"), (Some(0), Some(0), Some(H)));
}
