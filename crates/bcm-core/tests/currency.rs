//! Plan currency (DESIGN §4.I) on hand-worked models.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use bcm_core::Model;
use bcm_core::currency::{ActionKind, Currency, CurrencyError, CurrencyParams, Trigger, currency};

/// Changes reach plans through a dependency, a vendor, a site and a team member; one change is
/// outside every scope, one is organization-wide but older than the reviews, one is after the
/// date of judgement (2026-06-30).
const MODEL: &str = "\
bcm: 1
organization: {name: x, review_interval: 365d, test_interval: 365d, training_interval: 180d}
sites: [{id: hq}, {id: branch}]
contacts:
  - {id: alice, trained: 2026-01-10}
  - {id: bob, trained: 2025-12-01}
  - {id: carol}
  - {id: dave, trained: 2026-06-01}
vendors: [{id: cloudco, contact: dave}, {id: other-vendor}]
teams: [{id: dba, members: [alice, bob]}, {id: ops, members: [carol]}]
functions:
  - {id: pay, criticality: critical, bia: 2026-01-05, depends_on: [app]}
  - {id: web, bia: 2025-05-01, depends_on: [cdn]}
  - {id: minor}
  - {id: audit, criticality: critical}
assets:
  - {id: app, kind: application, depends_on: [db]}
  - {id: db, kind: data, site: hq, vendor: cloudco, team: dba}
  - {id: cdn, kind: service, site: branch}
plans:
  - {id: bcp-pay, kind: bcp, covers: [pay], teams: [dba], reviewed: 2026-02-01, tested: 2025-03-01}
  - {id: drp-web, kind: drp, covers: [web], reviewed: 2026-02-01, tested: 2026-02-01}
exercises: [{id: ex1, kind: tabletop, date: 2026-03-15, plans: [drp-web]}]
changes:
  - {id: c-dep, kind: upgrade, date: 2026-03-01, affects: [db]}
  - {id: c-vendor, kind: contract, date: 2026-03-10, affects: [cloudco]}
  - {id: c-site, kind: change-management, date: 2026-03-20, affects: [branch]}
  - {id: c-staff, kind: staff, date: 2026-04-01, affects: [bob]}
  - {id: c-out, kind: upgrade, date: 2026-04-05, affects: [other-vendor]}
  - {id: c-old, kind: policy, date: 2026-01-20}
  - {id: c-future, kind: threat, date: 2026-08-01}
";

/// An action as (due, subject, action, trigger, change, clause).
type Row<'a> = (
    String,
    &'a str,
    ActionKind,
    Trigger,
    Option<&'a str>,
    &'a str,
);

fn judged(text: &str, at: &str) -> Currency {
    let m = Model::from_yaml_str(text).unwrap();
    currency(&m, &CurrencyParams::at(at.parse().unwrap())).unwrap()
}

#[test]
fn changes_reach_plans_through_dependencies_vendors_sites_and_people() {
    let r = judged(MODEL, "2026-06-30");
    // bcp-pay covers pay → app → db; db is at hq, supplied by cloudco (contact dave), restored by
    // team dba (alice, bob). drp-web covers web → cdn at branch.
    let pay = &r.plans[0];
    assert_eq!(pay.id, "bcp-pay");
    assert_eq!(pay.stale_by, ["c-dep", "c-vendor", "c-staff"]);
    // Tested 2025-03-01: the 365-day test interval ran out on 2026-03-01.
    assert!(pay.test_overdue && !pay.review_overdue && !pay.current);
    let web = &r.plans[1];
    assert_eq!(web.stale_by, ["c-site"]);
    // Its exercise of 2026-03-15 counts as its last test.
    assert_eq!(web.tested.unwrap().to_string(), "2026-03-15");
    assert!(!web.test_overdue);

    let rows: Vec<Row<'_>> = r
        .actions
        .iter()
        .map(|a| {
            (
                a.due.to_string(),
                a.subject.as_str(),
                a.action,
                a.trigger,
                a.change.as_deref(),
                a.clause,
            )
        })
        .collect();
    use ActionKind::*;
    use Trigger::*;
    let row = |due: &str, subject, action, trigger, change, clause| {
        (due.to_owned(), subject, action, trigger, change, clause)
    };
    assert_eq!(
        rows,
        [
            // 2025-03-01 + 365 days.
            row("2026-03-01", "bcp-pay", Test, Interval, None, "8"),
            // Each change: its date + 30 days, the clause of its kind.
            row(
                "2026-03-31",
                "bcp-pay",
                Review,
                Change,
                Some("c-dep"),
                "9(b)"
            ),
            // pay's BIA (2026-01-05) is older than the upgrade of db it needs.
            row("2026-03-31", "pay", Bia, Change, Some("c-dep"), "2"),
            row(
                "2026-04-09",
                "bcp-pay",
                Review,
                Change,
                Some("c-vendor"),
                "9(d)"
            ),
            row(
                "2026-04-19",
                "drp-web",
                Review,
                Change,
                Some("c-site"),
                "9(a)"
            ),
            // web's BIA of 2025-05-01 would be due on 2026-05-01; the change to its site is
            // earlier.
            row("2026-04-19", "web", Bia, Change, Some("c-site"), "2"),
            row(
                "2026-05-01",
                "bcp-pay",
                Review,
                Change,
                Some("c-staff"),
                "9(f)"
            ),
            // bob, in team dba: trained 2025-12-01 + 180 days.
            row("2026-05-30", "bob", Train, Interval, None, "10"),
            // audit is critical and has no BIA: due at once. minor has none and is not judged;
            // carol is in no plan team; alice's training runs to 2026-07-09.
            row("2026-06-30", "audit", Bia, Never, None, "2"),
        ]
    );
    let bob = r.actions.iter().find(|a| a.subject == "bob").unwrap();
    assert_eq!(bob.plans, ["bcp-pay"]);
    assert_eq!(
        r.actions[1].message,
        "plan 'bcp-pay' was last reviewed on 2026-02-01; change 'c-dep' (upgrade, 2026-03-01) \
         affects 'db' in its scope — review it by 2026-03-31 (policy 9(b))"
    );
}

#[test]
fn an_organization_wide_change_touches_every_plan_and_no_bia() {
    let text = MODEL.replace("date: 2026-01-20}", "date: 2026-02-10}");
    let r = judged(&text, "2026-06-30");
    assert_eq!(
        r.plans[0].stale_by,
        ["c-old", "c-dep", "c-vendor", "c-staff"]
    );
    assert_eq!(r.plans[1].stale_by, ["c-old", "c-site"]);
    let old: Vec<(&str, &str)> = r
        .actions
        .iter()
        .filter(|a| a.change.as_deref() == Some("c-old"))
        .map(|a| (a.subject.as_str(), a.clause))
        .collect();
    assert_eq!(old, [("bcp-pay", "9(c)"), ("drp-web", "9(c)")]);
}

#[test]
fn intervals_run_to_their_last_day() {
    // Reviewed and tested 2025-06-30: due 2026-06-30, overdue from the day after.
    let text = "bcm: 1\nplans: [{id: p, kind: bcp, reviewed: 2025-06-30, tested: 2025-06-30}]\n";
    let on_time = judged(text, "2026-06-30");
    assert!(on_time.is_current() && on_time.plans[0].current);
    let late = judged(text, "2026-07-01");
    let kinds: Vec<(ActionKind, String)> = late
        .actions
        .iter()
        .map(|a| (a.action, a.due.to_string()))
        .collect();
    assert_eq!(
        kinds,
        [
            (ActionKind::Review, "2026-06-30".to_owned()),
            (ActionKind::Test, "2026-06-30".to_owned())
        ]
    );
    assert!(late.plans[0].review_overdue && late.plans[0].test_overdue);
}

#[test]
fn a_plan_never_reviewed_or_tested_is_due_at_once_and_the_date_is_required() {
    let text = "bcm: 1\nplans: [{id: p, kind: bcp}]\n";
    let r = judged(text, "2026-12-06");
    let rows: Vec<(ActionKind, Trigger, String)> = r
        .actions
        .iter()
        .map(|a| (a.action, a.trigger, a.due.to_string()))
        .collect();
    assert_eq!(
        rows,
        [
            (ActionKind::Review, Trigger::Never, "2026-12-06".to_owned()),
            (ActionKind::Test, Trigger::Never, "2026-12-06".to_owned())
        ]
    );
    let m = Model::from_yaml_str(text).unwrap();
    assert_eq!(
        currency(&m, &CurrencyParams::default()),
        Err(CurrencyError::NoDate)
    );
}

#[test]
fn the_json_shape_is_pinned() {
    let r = judged(MODEL, "2026-06-30");
    let v = serde_json::to_value(&r).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&v), ["at", "actions", "plans"]);
    assert_eq!(v["at"], "2026-06-30");
    assert_eq!(
        keys(&v["actions"][0]),
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
    assert_eq!(v["actions"][0]["subject_kind"], "plan");
    assert_eq!(v["actions"][0]["trigger"], "interval");
    assert_eq!(v["actions"][2]["action"], "bia");
    assert_eq!(
        keys(&v["plans"][0]),
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
}
