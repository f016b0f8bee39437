//! Plain readings of DESIGN §3 and §4 that the differential tests compare bcm against: the
//! oracle's own view of a model and brute-force versions of each analysis. Each test crate uses
//! what it needs.

// Test helpers panic on purpose: a failed read is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    dead_code
)]

use std::collections::{BTreeMap, BTreeSet};

use bcm_core::model::*;

pub mod schedule;

// ---------------------------------------------------------------------------------------------
// The oracle's own view of the model: nodes by ID, edges as (dependent, dependency, T, member).

pub struct View {
    pub ids: Vec<String>,
    pub kind: BTreeMap<String, &'static str>,
    /// (dependent, dependency, tolerance, is_member)
    pub edges: Vec<(String, String, u64, bool)>,
    pub dur: BTreeMap<String, u64>,
    pub rto: BTreeMap<String, u64>,
    pub rpo: BTreeMap<String, u64>,
    pub min_up: BTreeMap<String, usize>,
}

pub fn view(m: &Model) -> View {
    let mut v = View {
        ids: Vec::new(),
        kind: BTreeMap::new(),
        edges: Vec::new(),
        dur: BTreeMap::new(),
        rto: BTreeMap::new(),
        rpo: BTreeMap::new(),
        min_up: BTreeMap::new(),
    };
    let likely = |e: &Option<Estimate<Duration>>| e.map_or(0, |e| e.likely().as_secs());
    for f in &m.functions {
        v.ids.push(f.id.to_string());
        v.kind.insert(f.id.to_string(), "function");
        v.dur.insert(f.id.to_string(), likely(&f.resume));
        if let Some(r) = f.rto {
            v.rto.insert(f.id.to_string(), r.as_secs());
        }
        if let Some(r) = f.rpo {
            v.rpo.insert(f.id.to_string(), r.as_secs());
        }
        for d in &f.depends_on {
            v.edges.push((
                f.id.to_string(),
                d.id.to_string(),
                d.tolerance().as_secs(),
                false,
            ));
        }
    }
    for a in &m.assets {
        v.ids.push(a.id.to_string());
        v.kind.insert(
            a.id.to_string(),
            if a.is_group() { "group" } else { "asset" },
        );
        v.dur.insert(
            a.id.to_string(),
            if a.is_group() { 0 } else { likely(&a.restore) },
        );
        for d in &a.depends_on {
            v.edges.push((
                a.id.to_string(),
                d.id.to_string(),
                d.tolerance().as_secs(),
                false,
            ));
        }
        if a.is_group() {
            v.min_up.insert(a.id.to_string(), a.min_up() as usize);
            for member in &a.members {
                v.edges
                    .push((a.id.to_string(), member.to_string(), 0, true));
            }
        }
    }
    for vendor in &m.vendors {
        v.ids.push(vendor.id.to_string());
        v.kind.insert(vendor.id.to_string(), "vendor");
        v.dur.insert(vendor.id.to_string(), likely(&vendor.restore));
    }
    v
}

/// Required times by relaxing every edge until nothing changes (Bellman-Ford style), on a DAG.
pub fn oracle_required(v: &View) -> (BTreeMap<String, Option<u64>>, BTreeMap<String, Option<u64>>) {
    let mut req: BTreeMap<String, Option<u64>> = v
        .ids
        .iter()
        .map(|id| (id.clone(), v.rto.get(id).copied()))
        .collect();
    let mut rpo: BTreeMap<String, Option<u64>> = v
        .ids
        .iter()
        .map(|id| (id.clone(), v.rpo.get(id).copied()))
        .collect();
    loop {
        let mut changed = false;
        for (d, n, t, _) in &v.edges {
            if let Some(rd) = req[d] {
                let cand = (*t as i64).max(rd as i64 - v.dur[d] as i64) as u64;
                if req[n].is_none_or(|x| cand < x) {
                    req.insert(n.clone(), Some(cand));
                    changed = true;
                }
            }
            if let Some(pd) = rpo[d]
                && rpo[n].is_none_or(|x| pd < x)
            {
                rpo.insert(n.clone(), Some(pd));
                changed = true;
            }
        }
        if !changed {
            return (req, rpo);
        }
    }
}

/// Down times by iterating the definition from "never" until nothing changes.
pub fn oracle_down(
    v: &View,
    lost: &BTreeSet<String>,
    hard_only: bool,
) -> BTreeMap<String, Option<u64>> {
    let mut down: BTreeMap<String, Option<u64>> = v
        .ids
        .iter()
        .map(|id| (id.clone(), lost.contains(id).then_some(0)))
        .collect();
    loop {
        let mut changed = false;
        for id in &v.ids {
            if lost.contains(id) {
                continue;
            }
            let mut best: Option<u64> = None;
            let mut member_times: Vec<Option<u64>> = Vec::new();
            for (d, n, t, member) in &v.edges {
                if d != id {
                    continue;
                }
                if *member {
                    member_times.push(down[n]);
                } else if !(hard_only && *t > 0)
                    && let Some(x) = down[n]
                {
                    let c = x + t;
                    best = Some(best.map_or(c, |b: u64| b.min(c)));
                }
            }
            if v.kind[id] == "group" {
                let k = (member_times.len() + 1).saturating_sub(v.min_up[id]).max(1);
                let mut finite: Vec<u64> = member_times.iter().flatten().copied().collect();
                finite.sort_unstable();
                if let Some(&kth) = finite.get(k - 1) {
                    best = Some(best.map_or(kth, |b| b.min(kth)));
                }
            }
            if best != down[id] && best.is_some_and(|b| down[id].is_none_or(|x| b < x)) {
                down.insert(id.clone(), best);
                changed = true;
            }
        }
        if !changed {
            return down;
        }
    }
}

/// What losing a unit loses, by the definitions of §3 (written out again, not taken from the graph).
pub fn oracle_lost(m: &Model, unit: &str) -> BTreeSet<String> {
    let mut lost = BTreeSet::new();
    let mut work = vec![unit.to_owned()];
    let mut seen = BTreeSet::new();
    while let Some(u) = work.pop() {
        if !seen.insert(u.clone()) {
            continue;
        }
        if m.sites.iter().any(|s| s.id.as_str() == u) {
            work.extend(
                m.assets
                    .iter()
                    .filter(|a| a.site.as_ref().is_some_and(|s| s.as_str() == u))
                    .map(|a| a.id.to_string()),
            );
        } else if m.vendors.iter().any(|v| v.id.as_str() == u) {
            lost.insert(u.clone());
            work.extend(
                m.assets
                    .iter()
                    .filter(|a| a.vendor.as_ref().is_some_and(|v| v.as_str() == u))
                    .map(|a| a.id.to_string()),
            );
        } else if let Some(a) = m.assets.iter().find(|a| a.id.as_str() == u) {
            if a.is_group() {
                work.extend(a.members.iter().map(|x| x.to_string()));
            } else {
                lost.insert(u.clone());
            }
        }
    }
    lost
}

/// Availability by enumerating every up/down state of the uncertain components.
pub fn oracle_availability(m: &Model, v: &View) -> BTreeMap<String, f64> {
    let uncertain: Vec<(String, f64)> = m
        .assets
        .iter()
        .filter_map(|a| a.reliability.map(|r| (a.id.to_string(), r)))
        .map(|(id, r)| {
            (
                id,
                r.mtbf.as_secs() as f64 / (r.mtbf.as_secs() + r.mttr.as_secs()) as f64,
            )
        })
        .collect();
    let mut total: BTreeMap<String, f64> = v.ids.iter().map(|id| (id.clone(), 0.0)).collect();
    for state in 0u32..(1 << uncertain.len()) {
        let mut p = 1.0;
        let mut own_up: BTreeMap<&str, bool> = BTreeMap::new();
        for (bit, (id, a)) in uncertain.iter().enumerate() {
            let up = state >> bit & 1 == 1;
            p *= if up { *a } else { 1.0 - a };
            own_up.insert(id, up);
        }
        // Up: least fixpoint from all-down, over hard edges.
        let mut up: BTreeMap<&str, bool> = v.ids.iter().map(|id| (id.as_str(), false)).collect();
        loop {
            let mut changed = false;
            for id in &v.ids {
                let mut ok = own_up.get(id.as_str()).copied().unwrap_or(true);
                let mut members_up = 0;
                for (d, n, t, member) in &v.edges {
                    if d != id {
                        continue;
                    }
                    if *member {
                        members_up += usize::from(up[n.as_str()]);
                    } else if *t == 0 {
                        ok &= up[n.as_str()];
                    }
                }
                if v.kind[id] == "group" {
                    ok &= members_up >= v.min_up[id];
                }
                if ok != up[id.as_str()] {
                    up.insert(id, ok);
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (id, is_up) in up {
            if is_up {
                *total.get_mut(id).unwrap() += p;
            }
        }
    }
    total
}

/// The order the generator created nodes in (vendors, then by plan index): every node after
/// what it depends on.
pub fn creation_order(v: &View) -> Vec<String> {
    let mut ids = v.ids.clone();
    ids.sort_by_key(|id| {
        let index: usize = id[1..].parse().unwrap();
        (!id.starts_with('v'), index)
    });
    ids
}

/// The recovery schedule with unlimited teams, read from the definitions of DESIGN §4.E in one
/// forward pass over a DAG: (down, up) per affected node, `None` up meaning never.
///
/// With `wait`, a lost asset also waits for all it depends on to be resolved, reading
/// "resolved" as narrowly as can be: a restore once it starts, any other node (a group too)
/// once all its dependencies and members are. The engine resolves a group sooner, once its
/// outage is certain, so its schedule lies between the two passes (see the test).
pub fn oracle_schedule(
    m: &Model,
    v: &View,
    lost: &BTreeSet<String>,
    wait: bool,
) -> BTreeMap<String, (u64, Option<u64>)> {
    let mut out: BTreeMap<String, (u64, Option<u64>)> = BTreeMap::new();
    // When each node is resolved.
    let mut resolved: BTreeMap<String, u64> = BTreeMap::new();
    for n in creation_order(v) {
        let resolved_by = v
            .edges
            .iter()
            .filter(|(d, ..)| *d == n)
            .map(|(_, dep, ..)| resolved[dep])
            .max()
            .unwrap_or(0);
        resolved.insert(n.clone(), resolved_by);
        let affecting: Vec<(u64, Option<u64>)> = v
            .edges
            .iter()
            .filter(|(d, _, _, member)| *d == n && !member)
            .filter_map(|(_, dep, t, _)| {
                let &(down, up) = out.get(dep)?;
                let affects = up.is_none_or(|u| u - down > *t);
                affects.then_some((down + t, up))
            })
            .collect();
        let latest = |list: &[(u64, Option<u64>)]| -> Option<u64> {
            list.iter().try_fold(0, |acc, (_, u)| u.map(|u| acc.max(u)))
        };
        if lost.contains(&n) {
            let start =
                latest(&affecting).map(|ready| if wait { ready.max(resolved_by) } else { ready });
            if let Some(start) = start {
                resolved.insert(n.clone(), start);
            }
            out.insert(n.clone(), (0, start.map(|s| s + v.dur[&n])));
            continue;
        }
        let mut parts = affecting.clone();
        if v.kind[&n] == "group" {
            // Members' outages [down, up); count the members down at each instant that matters.
            let members: Vec<(u64, Option<u64>)> = v
                .edges
                .iter()
                .filter(|(d, _, _, member)| *d == n && *member)
                .filter_map(|(_, dep, _, _)| out.get(dep).copied())
                .filter(|(d, u)| *u != Some(*d))
                .collect();
            let k = (members_of(v, &n) + 1).saturating_sub(v.min_up[&n]).max(1);
            let mut instants: Vec<u64> = members
                .iter()
                .flat_map(|(d, u)| [Some(*d), *u])
                .flatten()
                .collect();
            instants.sort();
            instants.dedup();
            let down_at = |t: u64| {
                members
                    .iter()
                    .filter(|(d, u)| *d <= t && u.is_none_or(|u| t < u))
                    .count()
            };
            let full: Vec<u64> = instants
                .iter()
                .copied()
                .filter(|t| down_at(*t) >= k)
                .collect();
            if let (Some(&first), Some(&last)) = (full.first(), full.last()) {
                let back = instants
                    .iter()
                    .copied()
                    .find(|t| *t > last && down_at(*t) < k);
                parts.push((first, back));
            } else if let Some(first) = members.iter().map(|(d, _)| *d).min() {
                let failover = m
                    .assets
                    .iter()
                    .find(|a| a.id.as_str() == n)
                    .and_then(|a| a.failover_time)
                    .map_or(0, |f| f.as_secs());
                if failover > 0 {
                    parts.push((first, Some(first + failover)));
                }
            }
        }
        if parts.is_empty() {
            continue;
        }
        let down = parts.iter().map(|(d, _)| *d).min().unwrap();
        let extra = if v.kind[&n] == "function" {
            v.dur[&n]
        } else {
            0
        };
        out.insert(n.clone(), (down, latest(&parts).map(|u| u + extra)));
    }
    out
}

/// The edges (dependent, dependency, tolerance, member) out of `n`, and into it.
pub fn edges_from<'a>(
    v: &'a View,
    n: &'a str,
) -> impl Iterator<Item = &'a (String, String, u64, bool)> {
    v.edges.iter().filter(move |(d, ..)| d == n)
}

pub fn edges_to<'a>(
    v: &'a View,
    n: &'a str,
) -> impl Iterator<Item = &'a (String, String, u64, bool)> {
    v.edges.iter().filter(move |(_, dep, ..)| dep == n)
}

/// (down_at, start, up_at) of a schedule's node.
pub type NodeTimes = (Option<u64>, Option<u64>, Option<u64>);

pub fn members_of(v: &View, group: &str) -> usize {
    v.edges
        .iter()
        .filter(|(d, _, _, member)| d == group && *member)
        .count()
}
