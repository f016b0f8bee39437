//! What-if: which functions' recovery moved between two written schedules.

use serde::Serialize;

use super::schedule::Schedule;

/// How one function's recovery moved between two schedules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionChange {
    /// The function.
    pub id: String,
    /// Its `up_at` before (`None`: never back, or not affected — see `affected_before`).
    pub before: Option<u64>,
    /// Its `up_at` after.
    pub after: Option<u64>,
    /// Whether the first schedule affects it at all.
    pub affected_before: bool,
    /// Whether the second schedule affects it at all.
    pub affected_after: bool,
    /// `after − before` in seconds when both are known (negative: sooner).
    pub delta: Option<i64>,
    /// Whether it meets its RTO before and after (`None` without an RTO; an unaffected function
    /// meets it).
    pub met_before: Option<bool>,
    /// As `met_before`, after.
    pub met_after: Option<bool>,
}

/// What changed between two schedules of the same scenario (a what-if).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleComparison {
    /// The functions whose recovery moved (`up_at`, being affected, or meeting the RTO changed),
    /// sorted by ID.
    pub functions: Vec<FunctionChange>,
    /// The makespan before.
    pub makespan_before: Option<u64>,
    /// The makespan after.
    pub makespan_after: Option<u64>,
}

/// Compares two schedules, e.g. before and after raising a team's capacity or adding a
/// redundancy group: which functions' recovery moved, and by how much.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::schedule::{compare, schedule, ScheduleParams};
/// let text = "bcm: 1\norganization: {name: x}\n\
///     teams: [{id: ops, capacity: 1}]\n\
///     functions: [{id: a, rto: 2h, depends_on: [x]}, {id: b, rto: 2h, depends_on: [y]}]\n\
///     assets: [{id: x, kind: data, team: ops, restore: 2h}, {id: y, kind: data, team: ops, restore: 2h}]\n";
/// let before = Model::from_yaml_str(text)?;
/// let after = Model::from_yaml_str(&text.replace("capacity: 1", "capacity: 2"))?;
/// let lose = ScheduleParams { lose: vec!["x".into(), "y".into()] };
/// let c = compare(&schedule(&before, &lose)?, &schedule(&after, &lose)?);
/// assert_eq!(c.functions.len(), 1); // b no longer waits for x
/// assert_eq!(c.functions[0].id, "b");
/// assert_eq!(c.functions[0].delta, Some(-7200));
/// assert_eq!((c.functions[0].met_before, c.functions[0].met_after), (Some(false), Some(true)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn compare(before: &Schedule, after: &Schedule) -> ScheduleComparison {
    use std::collections::BTreeMap;
    let index = |s: &Schedule| -> BTreeMap<String, (Option<u64>, Option<bool>, bool)> {
        s.functions
            .iter()
            .map(|f| (f.id.clone(), (f.up_at, f.met, f.rto.is_some())))
            .collect()
    };
    let (a, b) = (index(before), index(after));
    let mut ids: Vec<&String> = a.keys().chain(b.keys()).collect();
    ids.sort();
    ids.dedup();
    let mut functions = Vec::new();
    for id in ids {
        // A function one schedule leaves unaffected meets its RTO there, if it has one.
        let has_rto = a.get(id).or_else(|| b.get(id)).is_some_and(|x| x.2);
        let unaffected = (None, has_rto.then_some(true), false);
        let (before_up, met_before, affected_before) = a
            .get(id)
            .map_or(unaffected, |&(up, met, _)| (up, met, true));
        let (after_up, met_after, affected_after) = b
            .get(id)
            .map_or(unaffected, |&(up, met, _)| (up, met, true));
        if before_up == after_up && met_before == met_after && affected_before == affected_after {
            continue;
        }
        let delta = match (before_up, after_up) {
            (Some(x), Some(y)) => i64::try_from(y)
                .ok()
                .zip(i64::try_from(x).ok())
                .map(|(y, x)| y - x),
            _ => None,
        };
        functions.push(FunctionChange {
            id: id.clone(),
            before: before_up,
            after: after_up,
            affected_before,
            affected_after,
            delta,
            met_before,
            met_after,
        });
    }
    ScheduleComparison {
        functions,
        makespan_before: before.makespan,
        makespan_after: after.makespan,
    }
}
