//! The recovery schedule with teams, read plainly from DESIGN §4.E, and the check that bcm's
//! schedule equals it node by node.

use std::collections::{BTreeMap, BTreeSet};

use bcm_core::model::*;
use bcm_core::schedule::{ScheduleParams, schedule};
use proptest::prelude::*;

use super::{
    NodeTimes, View, edges_from, edges_to, members_of, oracle_lost, oracle_required, view,
};

/// The recovery schedule with teams, read plainly from DESIGN §4.E (after the plain-Python
/// version in benches/compare.py): nodes resolve as their dependencies resolve; at each decision
/// time, among the resolved, ready lost nodes whose team has room, start the one with the
/// smallest required time (none last), then ID; the next decision time is the next ready time or
/// restore end. (down, start, up) per node, `None` where the design has `null`.
pub fn oracle_team_schedule(
    m: &Model,
    v: &View,
    lost: &BTreeSet<String>,
) -> BTreeMap<String, NodeTimes> {
    type Times = BTreeMap<String, (Option<u64>, Option<u64>)>;
    let (required, _) = oracle_required(v);
    let team: BTreeMap<String, String> = m
        .assets
        .iter()
        .filter_map(|a| a.team.as_ref().map(|t| (a.id.to_string(), t.to_string())))
        .collect();
    let capacity: BTreeMap<String, usize> = m
        .teams
        .iter()
        .map(|t| (t.id.to_string(), t.capacity.unwrap_or(1).max(1) as usize))
        .collect();
    let failover: BTreeMap<String, u64> = m
        .assets
        .iter()
        .map(|a| (a.id.to_string(), a.failover_time.map_or(0, |f| f.as_secs())))
        .collect();
    // (down, up) of each resolved node: down None = not affected, up None = never back.
    let mut times: Times = BTreeMap::new();
    let mut start: BTreeMap<String, u64> = BTreeMap::new();
    // A group does not wait for its members (it resolves once its outage is certain).
    let waits_for = |_: &str, _: &str, member: bool| !member;
    let mut pending: BTreeMap<&str, usize> = v
        .ids
        .iter()
        .map(|n| {
            let count = edges_from(v, n)
                .filter(|(d, dep, _, member)| waits_for(d, dep, *member))
                .count();
            (n.as_str(), count)
        })
        .collect();
    let mut ready: BTreeMap<String, u64> = BTreeMap::new();
    let mut running: Vec<(u64, String)> = Vec::new();

    // The edges of n that affect it: (down + T, up) of each dependency down longer than T.
    let affecting = |times: &Times, n: &str, members: bool| -> Vec<(u64, Option<u64>)> {
        edges_from(v, n)
            .filter(|(.., member)| members || !member)
            .filter_map(|(_, dep, t, _)| match times.get(dep) {
                Some(&(Some(d), u)) if u.is_none_or(|u| u - d > *t) => Some((d + t, u)),
                _ => None,
            })
            .collect()
    };
    // A group's outage at both ends of what the restores not yet started can do (see
    // `oracle_unresolved`), from its members; None if a member's is not certain.
    let group = |times: &Times,
                 ready: &BTreeMap<String, u64>,
                 n: &str,
                 t: u64|
     -> [Option<Option<GroupTimes>>; 2] {
        [false, true].map(|earliest| {
            let world = World {
                v,
                lost,
                failover: &failover,
                times,
                ready,
                t,
            };
            edges_from(v, n)
                .filter(|(.., member)| *member)
                .map(|(_, m, ..)| oracle_unresolved(&world, m, earliest))
                .collect::<Option<Vec<_>>>()
                .map(|members| oracle_group(v, &failover, n, &members))
        })
    };
    // Resolves n (all it waits for is resolved) at decision time t; lost nodes become ready,
    // others get their times. A group resolves only once its outage is the same, full or not,
    // whether the restores not yet started end at the earliest they can or never; false if not
    // yet.
    let resolve = |n: &str,
                   t: u64,
                   times: &mut Times,
                   ready: &mut BTreeMap<String, u64>,
                   work: &mut Vec<String>|
     -> bool {
        if lost.contains(n) {
            let aff = affecting(times, n, true);
            match aff.iter().try_fold(0, |acc, (_, u)| u.map(|u| acc.max(u))) {
                Some(r) => {
                    ready.insert(n.to_owned(), r);
                }
                None => {
                    times.insert(n.to_owned(), (Some(0), None));
                    work.push(n.to_owned());
                }
            }
            return true;
        }
        let mut aff = affecting(times, n, false);
        if v.kind[n] == "group" {
            let [never, earliest] = group(times, ready, n, t);
            match (never, earliest) {
                (Some(never), Some(earliest)) if never == earliest => {
                    aff.extend(never.map(|(d, u, _)| (d, u)));
                }
                _ => return false,
            }
        }
        let value = match aff.iter().map(|(d, _)| *d).min() {
            None => (None, None),
            Some(down) => {
                let extra = if v.kind[n] == "function" { v.dur[n] } else { 0 };
                let up = aff.iter().try_fold(0, |acc, (_, u)| u.map(|u| acc.max(u)));
                (Some(down), up.map(|u| u + extra))
            }
        };
        times.insert(n.to_owned(), value);
        work.push(n.to_owned());
        true
    };
    let groups: Vec<&str> = v
        .ids
        .iter()
        .filter(|n| v.kind[n.as_str()] == "group")
        .map(String::as_str)
        .collect();
    let cascade = |work: &mut Vec<String>,
                   t: u64,
                   times: &mut Times,
                   ready: &mut BTreeMap<String, u64>,
                   pending: &mut BTreeMap<&str, usize>| {
        loop {
            while let Some(n) = work.pop() {
                for (d, dep, _, member) in edges_to(v, &n) {
                    if !waits_for(d, dep, *member) {
                        continue;
                    }
                    let p = pending.get_mut(d.as_str()).unwrap();
                    *p -= 1;
                    if *p == 0 {
                        resolve(d, t, times, ready, work);
                    }
                }
            }
            // Groups waiting on what they know of their lost members try again.
            for g in &groups {
                if pending[g] == 0 && !times.contains_key(*g) {
                    resolve(g, t, times, ready, work);
                }
            }
            if work.is_empty() {
                break;
            }
        }
    };
    // When a waiting group would be back if no restore not yet started ever ended.
    let waiting_until = |times: &Times,
                         ready: &BTreeMap<String, u64>,
                         pending: &BTreeMap<&str, usize>,
                         t: u64|
     -> Vec<u64> {
        groups
            .iter()
            .filter(|g| pending[**g] == 0 && !times.contains_key(**g))
            .filter_map(|g| match group(times, ready, g, t) {
                [Some(Some((_, up, _))), Some(_)] => up,
                _ => None,
            })
            .collect()
    };

    let mut work = Vec::new();
    for n in &v.ids {
        if pending[n.as_str()] == 0 {
            resolve(n, 0, &mut times, &mut ready, &mut work);
        }
    }
    cascade(&mut work, 0, &mut times, &mut ready, &mut pending);
    let mut t = 0u64;
    loop {
        running.retain(|(finish, _)| *finish > t);
        cascade(&mut Vec::new(), t, &mut times, &mut ready, &mut pending);
        loop {
            let busy = |team_id: &str| running.iter().filter(|(_, x)| x == team_id).count();
            let pick = ready
                .iter()
                .filter(|(n, r)| {
                    **r <= t
                        && team
                            .get(*n)
                            .is_none_or(|x| busy(x) < capacity.get(x).copied().unwrap_or(1))
                })
                .map(|(n, _)| n.clone())
                .min_by_key(|n| (required[n].is_none(), required[n], n.clone()));
            let Some(n) = pick else { break };
            ready.remove(&n);
            let d = v.dur[&n];
            times.insert(n.clone(), (Some(0), Some(t + d)));
            start.insert(n.clone(), t);
            if let Some(x) = team.get(&n)
                && d > 0
            {
                running.push((t + d, x.clone()));
            }
            let mut work = vec![n];
            cascade(&mut work, t, &mut times, &mut ready, &mut pending);
        }
        let next = ready
            .values()
            .copied()
            .chain(running.iter().map(|(f, _)| *f))
            .chain(waiting_until(&times, &ready, &pending, t))
            .filter(|x| *x > t)
            .min();
        match next {
            Some(next) => t = next,
            None => break,
        }
    }
    v.ids
        .iter()
        .map(|n| {
            let (down, up) = times.get(n).copied().unwrap_or((None, None));
            let up = if down.is_some() { up } else { None };
            (n.clone(), (down, start.get(n).copied(), up))
        })
        .collect()
}

/// A group's own outage (down, up, full) from its members' (down, up), by the group rule;
/// None if it has none.
pub type GroupTimes = (u64, Option<u64>, bool);

pub fn oracle_group(
    v: &View,
    failover: &BTreeMap<String, u64>,
    n: &str,
    members: &[(Option<u64>, Option<u64>)],
) -> Option<GroupTimes> {
    let mut events: Vec<(u64, i64)> = Vec::new();
    for &(d, u) in members {
        if let Some(d) = d
            && u != Some(d)
        {
            events.push((d, 1));
            if let Some(u) = u {
                events.push((u, -1));
            }
        }
    }
    let first = events
        .iter()
        .filter(|(_, x)| *x > 0)
        .map(|(t, _)| *t)
        .min()?;
    let k = (members_of(v, n) + 1).saturating_sub(v.min_up[n]).max(1) as i64;
    events.sort();
    let (mut count, mut down, mut up) = (0i64, None, None);
    for (t, delta) in events {
        let before = count;
        count += delta;
        if before < k && k <= count {
            down = down.or(Some(t));
            up = None;
        } else if count < k && k <= before {
            up = Some(t);
        }
    }
    match down {
        Some(d) => Some((d, up, true)),
        None => (failover[n] > 0).then_some((first, Some(first + failover[n]), false)),
    }
}

/// What a schedule knows at decision time `t`.
pub struct World<'a> {
    pub v: &'a View,
    pub lost: &'a BTreeSet<String>,
    pub failover: &'a BTreeMap<String, u64>,
    pub times: &'a BTreeMap<String, (Option<u64>, Option<u64>)>,
    pub ready: &'a BTreeMap<String, u64>,
    pub t: u64,
}

/// (down, up) of node n at one end of what the restores not yet started can do: each back at
/// the earliest it can (`max(t, ready) + restore`), or never. Resolved nodes give their times;
/// others are read from their dependencies. None if an outage in between could lie outside
/// the two ends': a group on the way whose blip is not the same at both, or that is full at one
/// end only.
pub fn oracle_unresolved(w: &World, n: &str, earliest: bool) -> Option<(Option<u64>, Option<u64>)> {
    if let Some(&known) = w.times.get(n) {
        return Some(known);
    }
    if w.lost.contains(n) {
        let back = earliest.then(|| w.t.max(w.ready.get(n).copied().unwrap_or(0)) + w.v.dur[n]);
        return Some((Some(0), back));
    }
    let mut affecting: Vec<(u64, Option<u64>)> = Vec::new();
    if w.v.kind[n] == "group" {
        let ends = [false, true].map(|end| {
            edges_from(w.v, n)
                .filter(|(.., member)| *member)
                .map(|(_, m, ..)| oracle_unresolved(w, m, end))
                .collect::<Option<Vec<_>>>()
                .map(|members| oracle_group(w.v, w.failover, n, &members))
        });
        let [Some(never), Some(soon)] = ends else {
            return None;
        };
        let both_full = never.is_some_and(|x| x.2) && soon.is_some_and(|x| x.2);
        if !both_full && never != soon {
            return None;
        }
        affecting.extend(if earliest { soon } else { never }.map(|(d, u, _)| (d, u)));
    }
    for (_, dep, tolerance, _) in edges_from(w.v, n).filter(|(.., member)| !member) {
        if let (Some(d), u) = oracle_unresolved(w, dep, earliest)?
            && u.is_none_or(|u| u - d > *tolerance)
        {
            affecting.push((d + tolerance, u));
        }
    }
    let Some(down) = affecting.iter().map(|(d, _)| *d).min() else {
        return Some((None, None));
    };
    let extra = if w.v.kind[n] == "function" {
        w.v.dur[n]
    } else {
        0
    };
    let up = affecting
        .iter()
        .try_fold(0, |acc, (_, u)| u.map(|u| acc.max(u)));
    Some((Some(down), up.map(|u| u + extra)))
}

/// Every node's (down, start, up) in bcm's schedule of losing `lose` equals the plain reading's.
pub fn schedule_matches_the_plain_reading(m: &Model, lose: &[String]) -> Result<(), TestCaseError> {
    let v = view(m);
    let lost: BTreeSet<String> = lose.iter().flat_map(|u| oracle_lost(m, u)).collect();
    let want = oracle_team_schedule(m, &v, &lost);
    let s = schedule(
        m,
        &ScheduleParams {
            lose: lose.to_vec(),
        },
    )
    .unwrap();
    for node in &s.nodes {
        let got = (node.down_at, node.start, node.up_at);
        prop_assert_eq!(got, want[&node.id], "node {} losing {:?}", node.id, lose);
    }
    Ok(())
}
