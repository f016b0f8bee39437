//! Groups settled before all their members' restores have started (DESIGN §4.E): by time
//! passing while lost members wait for a busy team, directly or through a group inside, each
//! against the plain reading of `oracle::schedule`.

// Test helpers outside #[test] fns panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bcm_core::model::*;
use proptest::prelude::*;

mod oracle;
use oracle::schedule::schedule_matches_the_plain_reading;

/// A group whose lost members wait for a busy team, and a lost restore that tolerates the group:
/// the restore may start once the group's outage is known, which time passing alone can settle
/// (the members' restores can be back only later). Times in half hours.
#[derive(Debug, Clone)]
struct WaitingGroup {
    blocker: u64,
    members: Vec<(u64, bool, bool)>,
    min_up: u32,
    failover_min: u64,
    other: u64,
    tolerance: u64,
    capacity: u32,
}

fn waiting_group() -> impl Strategy<Value = WaitingGroup> {
    (
        1u64..12,
        proptest::collection::vec((0u64..10, any::<bool>(), any::<bool>()), 2..5),
        1u32..3,
        0u64..3,
        1u64..12,
        0u64..25,
        1u32..3,
    )
        .prop_map(
            |(blocker, members, min_up, failover_min, other, tolerance, capacity)| WaitingGroup {
                blocker,
                members,
                min_up,
                failover_min,
                other,
                tolerance,
                capacity,
            },
        )
}

impl WaitingGroup {
    /// The model and what to lose: members are (restore, on the busy team, lost).
    fn model(&self) -> (Model, Vec<String>) {
        let half = |n: u64| n * 30;
        let mut yaml = format!(
            "bcm: 1\norganization: {{name: x}}\n\
             teams: [{{id: t, capacity: {}}}, {{id: u, capacity: 1}}]\n\
             functions: [{{id: f, rto: 1h, depends_on: [z]}}]\n\
             assets:\n\
             - {{id: z, kind: data, team: t, restore: {}m}}\n\
             - {{id: w, kind: data, team: u, restore: {}m}}\n",
            self.capacity,
            half(self.blocker),
            half(self.other),
        );
        let mut lose = vec!["z".to_owned(), "w".to_owned(), "b".to_owned()];
        let mut ids = Vec::new();
        for (i, (restore, busy, lost)) in self.members.iter().enumerate() {
            let team = if *busy { ", team: t" } else { "" };
            yaml.push_str(&format!(
                "- {{id: m{i}, kind: data, restore: {}m{team}}}\n",
                half(*restore)
            ));
            ids.push(format!("m{i}"));
            if *lost || i == 0 {
                lose.push(format!("m{i}"));
            }
        }
        let min_up = self.min_up.min(u32::try_from(ids.len()).unwrap());
        yaml.push_str(&format!(
            "- {{id: g, kind: group, members: [{}], min_up: {min_up}, failover_time: {}m}}\n\
             - {{id: b, kind: application, restore: 1h, depends_on: [{{id: g, tolerance: {}m}}]}}\n",
            ids.join(", "),
            self.failover_min,
            half(self.tolerance),
        ));
        (Model::from_yaml_str(&yaml).unwrap(), lose)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn a_group_settled_by_time_passing_matches_a_plain_reading(w in waiting_group()) {
        let (m, lose) = w.model();
        schedule_matches_the_plain_reading(&m, &lose)?;
    }
}

/// A group inside a group: the inner group's members are lost, or depend with a tolerance on a
/// lost restore; the outer group holds it and other members; a lost restore tolerates the outer
/// group. Restores wait for a busy team, so while time passes the inner group may be full at
/// the never end only (a soft edge not yet past its tolerance at the earliest end), which
/// leaves the outer group uncertain until the tolerance is passed. Times in half hours.
#[derive(Debug, Clone)]
struct NestedWait {
    blocker: u64,
    /// (restore, on the busy team, tolerance of the member's edge to it: None = the member is
    /// itself lost).
    inner: Vec<(u64, bool, Option<u64>)>,
    inner_min_up: u32,
    inner_failover: u64,
    /// (restore, on the busy team, lost).
    outer: Vec<(u64, bool, bool)>,
    outer_min_up: u32,
    outer_failover: u64,
    tolerance: u64,
    capacity: u32,
    /// Restores on a team of their own, one after the other: decision times while the busy
    /// team's restores wait.
    others: Vec<u64>,
}

fn nested_wait() -> impl Strategy<Value = NestedWait> {
    let inner = proptest::collection::vec(
        (
            0u64..10,
            any::<bool>(),
            proptest::option::weighted(0.7, 0u64..16),
        ),
        2..4,
    );
    let outer = proptest::collection::vec((0u64..10, any::<bool>(), any::<bool>()), 1..3);
    (
        (1u64..16, inner, 1u32..3, 0u64..3),
        (outer, 1u32..3, 0u64..3, 0u64..25, 1u32..3),
        proptest::collection::vec(1u64..8, 0..4),
    )
        .prop_map(
            |(
                (blocker, inner, inner_min_up, inner_failover),
                (outer, outer_min_up, outer_failover, tolerance, capacity),
                others,
            )| NestedWait {
                blocker,
                inner,
                inner_min_up,
                inner_failover,
                outer,
                outer_min_up,
                outer_failover,
                tolerance,
                capacity,
                others,
            },
        )
}

impl NestedWait {
    fn model(&self) -> (Model, Vec<String>) {
        let half = |n: u64| n * 30;
        let team = |busy: bool| if busy { ", team: t" } else { "" };
        let mut yaml = format!(
            "bcm: 1\norganization: {{name: x}}\n\
             teams: [{{id: t, capacity: {}}}, {{id: u, capacity: 1}}]\n\
             functions: [{{id: f, rto: 1h, depends_on: [z]}}]\n\
             assets:\n\
             - {{id: z, kind: data, team: t, restore: {}m}}\n",
            self.capacity,
            half(self.blocker),
        );
        let mut lose = vec!["z".to_owned(), "b".to_owned()];
        for (k, restore) in self.others.iter().enumerate() {
            yaml.push_str(&format!(
                "- {{id: w{k}, kind: data, team: u, restore: {}m}}\n",
                half(*restore)
            ));
            lose.push(format!("w{k}"));
        }
        let mut inner = Vec::new();
        for (i, (restore, busy, tolerance)) in self.inner.iter().enumerate() {
            let restore = half(*restore);
            let busy = team(*busy);
            match tolerance {
                None => {
                    yaml.push_str(&format!(
                        "- {{id: m{i}, kind: data, restore: {restore}m{busy}}}\n"
                    ));
                    lose.push(format!("m{i}"));
                }
                Some(t) => {
                    yaml.push_str(&format!(
                        "- {{id: l{i}, kind: data, restore: {restore}m{busy}}}\n\
                         - {{id: m{i}, kind: application, depends_on: [{{id: l{i}, tolerance: {}m}}]}}\n",
                        half(*t)
                    ));
                    lose.push(format!("l{i}"));
                }
            }
            inner.push(format!("m{i}"));
        }
        let mut outer = vec!["g".to_owned()];
        for (j, (restore, busy, lost)) in self.outer.iter().enumerate() {
            yaml.push_str(&format!(
                "- {{id: x{j}, kind: data, restore: {}m{}}}\n",
                half(*restore),
                team(*busy)
            ));
            if *lost {
                lose.push(format!("x{j}"));
            }
            outer.push(format!("x{j}"));
        }
        let min_up = |k: u32, of: &[String]| k.min(u32::try_from(of.len()).unwrap());
        yaml.push_str(&format!(
            "- {{id: g, kind: group, members: [{}], min_up: {}, failover_time: {}m}}\n\
             - {{id: h, kind: group, members: [{}], min_up: {}, failover_time: {}m}}\n\
             - {{id: b, kind: application, restore: 1h, depends_on: [{{id: h, tolerance: {}m}}]}}\n",
            inner.join(", "),
            min_up(self.inner_min_up, &inner),
            self.inner_failover,
            outer.join(", "),
            min_up(self.outer_min_up, &outer),
            self.outer_failover,
            half(self.tolerance),
        ));
        (Model::from_yaml_str(&yaml).unwrap(), lose)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4_000, ..ProptestConfig::default() })]

    #[test]
    fn a_group_inside_a_group_settled_by_time_passing_matches_a_plain_reading(w in nested_wait()) {
        let (m, lose) = w.model();
        schedule_matches_the_plain_reading(&m, &lose)?;
    }
}
