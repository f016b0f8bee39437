//! Recovery schedule (DESIGN §4.E): after losing a set of failure units, when each node goes
//! down and comes back, in what order the teams restore the lost assets, and whether every
//! function meets its RTO and MTD.
//!
//! The engine is a discrete-event simulation with the parallel schedule generation scheme:
//! at each decision time (0, then each time a restore finishes or a resolved task becomes ready)
//! it repeatedly starts, among the lost assets whose dependencies are all resolved, that are ready
//! and whose team has a free place, the one with the smallest required time (objectives, §4.B;
//! none last), then the smallest ID. Starting a restore fixes when the asset is back, which
//! resolves what depends on it, which may make further restores ready.
//!
//! Everything scenario-specific that does not depend on the durations is prepared once in a
//! [`Plan`] (the nodes the loss can reach, as flat arrays), so that the Monte Carlo simulation
//! (§4.F) runs the same engine thousands of times without allocating.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use petgraph::graph::NodeIndex;
use serde::Serialize;

use crate::Analyzer;
use crate::graph::{DependencyGraph, NodeKind, UnknownUnit};
use crate::model::{Duration, Estimate, Model};

use super::layout::Rows;

/// Parameters of [`schedule`]; as JSON `{"lose": ["hq"]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleParams {
    /// The failure units lost at t = 0 (assets, groups, sites, vendors).
    pub lose: Vec<String>,
}

/// One node of a [`Schedule`]. Times are seconds since the disruption.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeSchedule {
    /// The node's ID.
    pub id: String,
    /// `function`, `asset`, `group` or `vendor`.
    pub kind: &'static str,
    /// When it goes down; `None` if the scenario never affects it.
    pub down_at: Option<u64>,
    /// When its restore starts; set only for lost assets and vendors that can be restored.
    pub start: Option<u64>,
    /// When it is back; `None` if never affected, or never back.
    pub up_at: Option<u64>,
    /// Its required time (objectives, §4.B); `None` if nothing needs it.
    pub required: Option<u64>,
    /// `required − up_at`: negative when late; `None` unless both are known.
    pub slack: Option<i64>,
}

/// One affected function of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionSchedule {
    /// The function's ID.
    pub id: String,
    /// When it is back in operation; `None` if never.
    pub up_at: Option<u64>,
    /// Its RTO in seconds, if declared.
    pub rto: Option<u64>,
    /// Whether `up_at ≤ rto`; `None` without an RTO.
    pub met: Option<bool>,
    /// By how much `up_at` exceeds the RTO (0 when met); `None` without an RTO or if never back.
    pub breach: Option<u64>,
    /// Whether `up_at + wrt ≤ mtd`; `None` without an MTD.
    pub mtd_met: Option<bool>,
    /// True when the function would meet its RTO with unlimited teams but does not with the
    /// teams it has: staffing, not architecture, is the problem.
    pub capacity_shortfall: bool,
    /// The chain of dependencies that decided `up_at`, in recovery order: from the restore that
    /// started it to the function's direct dependency (the function itself is not listed).
    pub critical_path: Vec<String>,
}

/// Restores that start at the same decision time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Wave {
    /// The decision time, in seconds.
    pub start: u64,
    /// The lost assets and vendors whose restore starts then, sorted by ID.
    pub restores: Vec<String>,
}

/// The result of [`schedule`] (DESIGN §5 `schedule`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedule {
    /// Every node of the dependency graph, sorted by ID (unaffected ones with `None`s).
    pub nodes: Vec<NodeSchedule>,
    /// The affected functions, sorted by ID.
    pub functions: Vec<FunctionSchedule>,
    /// The restores grouped by start time, in time order.
    pub waves: Vec<Wave>,
    /// When the last affected node is back; `None` if some never is; 0 if nothing is affected.
    pub makespan: Option<u64>,
    /// Nodes on or downstream of a dependency cycle, which have no recovery order (validation
    /// reports the cycle as `E-CYCLE`); they carry `None`s. Sorted; omitted from JSON when empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocked: Vec<String>,
}

/// Why a schedule cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// The scenario names something that is not a failure unit.
    #[error(transparent)]
    UnknownUnit(#[from] UnknownUnit),
    /// The scenario is too large for the engine's 32-bit node numbers.
    #[error("the scenario reaches {0} nodes, more than this engine handles")]
    TooLarge(usize),
    /// A computed schedule was handed to another model's analyzer to be written out.
    #[error("this schedule was computed on another model")]
    OtherModel,
}

/// "Not affected" (for `down`), "never back" (for `up`), "not started" (for `start`).
pub(crate) const NONE: u64 = u64::MAX;
/// No node (a decider) or no team (unlimited).
pub(crate) const NO: u32 = u32::MAX;

/// A dependency edge inside a [`Plan`], seen from the dependency: who depends on it, and how.
#[derive(Debug, Clone, Copy)]
struct Dependent {
    node: u32,
    /// Group membership: the group's own rule decides, not the edge.
    member: bool,
    tolerance: u64,
}

/// What a scenario fixes before any duration is known: the nodes the loss can reach (every other
/// node stays up), their edges among themselves, and the restore order's priorities. Local node
/// numbers follow ID order, so that "the smallest ID" is "the smallest number".
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// Local node → graph node.
    pub(crate) nodes: Vec<NodeIndex>,
    pub(crate) kind: Vec<NodeKind>,
    pub(crate) lost: Vec<bool>,
    /// Dense team number, or [`NO`] for unlimited (no team, or a vendor).
    team: Vec<u32>,
    /// Per team: how many restores it runs at once.
    capacity: Vec<u32>,
    /// Lost nodes in priority order (required time, none last, then ID); `priority[n]` is the
    /// place of lost node n in it.
    by_priority: Vec<u32>,
    priority: Vec<u32>,
    /// Per node: the dependencies inside the plan it waits for before it is resolved: all of
    /// them, except that a group does not wait for its members (see [`Run::try_group`]).
    dependencies: Vec<u32>,
    /// The core: lost nodes and everything they depend on inside the plan; the engine resolves
    /// it event by event. The rest (the tail) cannot change a restore, so it is resolved after,
    /// in one pass in `tail_order` (dependencies first).
    core: Vec<bool>,
    tail_order: Vec<u32>,
    /// Dependents inside the core, a row per node.
    dependents: Rows<Dependent>,
    /// Dependencies (not members), a row per node in ID order.
    deps: Rows<Dependent>,
    /// Group members inside the plan, a row per node.
    members: Rows<u32>,
    /// Per group: how many members must be down for it to be down; 0 for other nodes.
    threshold: Vec<u32>,
    /// Per group: its failover time in seconds.
    failover: Vec<u64>,
    /// `dur` of DESIGN §3 on `likely` values: resume of a function, restore of a lost asset or
    /// vendor, 0 otherwise.
    pub(crate) likely: Vec<u64>,
    /// Functions of the plan, in ID order.
    pub(crate) functions: Vec<u32>,
    /// 64-bit words in a set of priority places.
    words: usize,
}

fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok().filter(|n| *n != NO)
}

/// Ends a row of a plan's adjacency.
fn end_row<T>(rows: &mut Rows<T>) -> Result<(), ScheduleError> {
    if rows.end_row() {
        Ok(())
    } else {
        Err(ScheduleError::TooLarge(rows.items_len()))
    }
}

impl Plan {
    /// Prepares the scenario of losing `lose` on `graph`.
    ///
    /// Complexity: O(n + e) over the n nodes the loss can reach and their e dependency edges,
    /// plus O(N / 64) over the graph's N nodes (bit sets in ID and topological order stand in
    /// for sorting), after the graph's one-off [`Layout`].
    pub(crate) fn new<S: AsRef<str>>(
        analyzer: &Analyzer<'_>,
        lose: &[S],
    ) -> Result<Self, ScheduleError> {
        let graph = analyzer.graph();
        let lost_nodes = graph.lost_by(lose)?;
        let layout = analyzer.layout();
        let count = layout.node.len();
        let ranks = graph.ranks();
        let lost_ranks: Vec<u32> = lost_nodes
            .iter()
            .filter_map(|n| ranks.get(n.index()).copied())
            .collect();
        let mut is_lost = vec![0u64; count.div_ceil(64)];
        for &r in &lost_ranks {
            bit_set(&mut is_lost, r);
        }

        // The nodes the loss can reach, walking dependents from the lost ones, as a bit set over
        // ranks: read in order, it numbers them in ID order without a sort, and it is small
        // enough to stay in the nearest cache while the edges are read.
        let mut reached = vec![0u64; count.div_ceil(64)];
        let mut work: Vec<u32> = Vec::with_capacity(lost_ranks.len());
        for &r in &lost_ranks {
            // Dependents rows leave blocked nodes out, so only the start needs the check.
            if !layout.blocked.get(r as usize).copied().unwrap_or(true) && !bit_test(&reached, r) {
                bit_set(&mut reached, r);
                work.push(r);
            }
        }
        // Breadth first: the rows of a frontier's nodes are read independently of each other,
        // so their cache misses overlap (depth first, each waits for the one before).
        let mut next = 0;
        while let Some(&r) = work.get(next) {
            next += 1;
            for &d in layout.dependents.row(r) {
                if !bit_test(&reached, d) {
                    bit_set(&mut reached, d);
                    work.push(d);
                }
            }
        }
        let local = LocalNumbers::of(&reached);
        let plan_ranks: Vec<u32> = set_bits(&reached).collect();
        let m = plan_ranks.len();
        if to_u32(m).is_none() {
            return Err(ScheduleError::TooLarge(m));
        }
        let local_of = |r: u32| local.get(r);

        // The core: the lost nodes and, walking dependencies, what they need.
        let mut core = vec![false; m];
        let mut work: Vec<u32> = Vec::with_capacity(lost_ranks.len());
        for &r in &lost_ranks {
            match core.get_mut(local_of(r) as usize) {
                Some(flag) if !*flag => *flag = true,
                _ => continue,
            }
            work.push(r);
        }
        let mut next = 0;
        while let Some(&r) = work.get(next) {
            next += 1;
            for &to in layout.dependencies.row(r) {
                match core.get_mut(local_of(to) as usize) {
                    Some(flag) if !*flag => *flag = true,
                    _ => continue,
                }
                work.push(to);
            }
        }

        let mut plan = Plan {
            nodes: Vec::with_capacity(m),
            kind: Vec::with_capacity(m),
            lost: Vec::with_capacity(m),
            team: Vec::with_capacity(m),
            capacity: layout.capacity.clone(),
            by_priority: Vec::new(),
            priority: vec![NO; m],
            dependencies: Vec::with_capacity(m),
            core: Vec::new(),
            tail_order: Vec::new(),
            dependents: Rows::default(),
            deps: Rows::with_capacity(m, 0),
            members: Rows::with_capacity(m, 0),
            threshold: Vec::with_capacity(m),
            failover: Vec::with_capacity(m),
            likely: Vec::with_capacity(m),
            functions: Vec::new(),
            words: 0,
        };
        // Edges inside the core: (dependency, its dependent), in dependent order.
        let mut core_edges: Vec<(u32, Dependent)> = Vec::new();
        let mut tail = vec![0u64; count.div_ceil(64)];
        for (i, &r) in plan_ranks.iter().enumerate() {
            let local_n = to_u32(i).unwrap_or(NO);
            let ri = r as usize;
            let in_core = core.get(i).copied().unwrap_or(false);
            let kind = layout.kind.get(ri).copied().unwrap_or(NodeKind::Asset);
            let lost = bit_test(&is_lost, r) && matches!(kind, NodeKind::Asset | NodeKind::Vendor);
            let mut inside = 0u32;
            let span = layout.dependencies.span(r);
            for (j, &to) in span.zip(layout.dependencies.row(r)) {
                let to = local_of(to);
                if to == NO {
                    continue;
                }
                inside += 1;
                let member = layout
                    .member
                    .get(j / 64)
                    .is_some_and(|w| w & (1u64 << (j % 64)) != 0);
                let edge = Dependent {
                    node: local_n,
                    member,
                    tolerance: layout.tolerance.get(j).copied().unwrap_or(0),
                };
                if in_core {
                    core_edges.push((to, edge));
                }
                if member {
                    plan.members.push(to);
                } else {
                    // Rows are in rank order, which is the plan's order.
                    plan.deps.push(Dependent { node: to, ..edge });
                }
            }
            end_row(&mut plan.members)?;
            end_row(&mut plan.deps)?;
            if !in_core {
                bit_set(&mut tail, layout.topological.get(ri).copied().unwrap_or(NO));
            }
            let is_group = kind == NodeKind::Group;
            plan.nodes
                .push(layout.node.get(ri).copied().unwrap_or_default());
            plan.dependencies.push(inside);
            plan.kind.push(kind);
            plan.lost.push(lost);
            plan.team.push(if lost {
                layout.team.get(ri).copied().unwrap_or(NO)
            } else {
                NO
            });
            plan.threshold.push(if is_group {
                layout.threshold.get(ri).copied().unwrap_or(1)
            } else {
                0
            });
            plan.failover.push(if is_group {
                layout.failover.get(ri).copied().unwrap_or(0)
            } else {
                0
            });
            plan.likely.push(if kind == NodeKind::Function || lost {
                layout.likely.get(ri).copied().unwrap_or(0)
            } else {
                0
            });
            if kind == NodeKind::Function {
                plan.functions.push(local_n);
            }
        }
        // Dependents inside the core: a counting sort of its edges by dependency, each row
        // keeping the dependent order.
        let mut starts: Vec<u32> = vec![0; m + 1];
        for (dep, _) in &core_edges {
            if let Some(c) = starts.get_mut(*dep as usize + 1) {
                *c += 1;
            }
        }
        for i in 0..m {
            let before = starts.get(i).copied().unwrap_or(0);
            if let Some(c) = starts.get_mut(i + 1) {
                *c += before;
            }
        }
        let mut fill = starts.clone();
        let placeholder = Dependent {
            node: NO,
            member: false,
            tolerance: 0,
        };
        let mut dependents = vec![placeholder; core_edges.len()];
        for (dep, e) in &core_edges {
            if let Some(at) = fill.get_mut(*dep as usize) {
                if let Some(slot) = dependents.get_mut(*at as usize) {
                    *slot = *e;
                }
                *at += 1;
            }
        }
        plan.dependents = Rows::from_parts(starts, dependents);
        // A group resolves from what it knows of its members (see [`Run::try_group`]), so it
        // waits only for its own dependencies.
        for g in 0..m {
            if plan.kind.get(g) != Some(&NodeKind::Group) {
                continue;
            }
            let members = to_u32(g).map_or(0, |g| plan.members_of(g).len());
            if let Some(d) = plan.dependencies.get_mut(g) {
                *d = d.saturating_sub(u32::try_from(members).unwrap_or(u32::MAX));
            }
        }
        // The tail in the graph's topological order.
        plan.tail_order = set_bits(&tail)
            .filter_map(|p| layout.topological_order.get(p as usize))
            .map(|&r| local_of(r))
            .collect();
        plan.core = core;
        // Restore priority: required time (none last), then ID.
        let mut lost_local: Vec<(bool, Option<u64>, u32)> = plan
            .lost
            .iter()
            .zip(&plan_ranks)
            .enumerate()
            .filter(|(_, (lost, _))| **lost)
            .filter_map(|(i, (_, &r))| {
                let required = layout.required.get(r as usize).copied().flatten();
                Some((required.is_none(), required, to_u32(i)?))
            })
            .collect();
        lost_local.sort_unstable();
        for (place, &(_, _, i)) in lost_local.iter().enumerate() {
            if let Some(slot) = plan.priority.get_mut(i as usize) {
                *slot = to_u32(place).unwrap_or(NO);
            }
        }
        plan.words = lost_local.len().div_ceil(64);
        plan.by_priority = lost_local.into_iter().map(|(_, _, i)| i).collect();
        Ok(plan)
    }

    /// The three-point estimate behind each node's `likely` (see [`Plan::likely`]), read from
    /// the model, for the simulation's draws.
    pub(crate) fn estimates(
        &self,
        model: &Model,
        graph: &DependencyGraph,
    ) -> Vec<Option<Estimate<Duration>>> {
        self.nodes
            .iter()
            .zip(self.kind.iter().zip(&self.lost))
            .map(|(&n, (&kind, &lost))| {
                let index = graph.weight(n).map_or(0, |w| w.index);
                match kind {
                    NodeKind::Function => model.functions.get(index).and_then(|f| f.resume),
                    NodeKind::Asset if lost => model.assets.get(index).and_then(|a| a.restore),
                    NodeKind::Vendor if lost => model.vendors.get(index).and_then(|v| v.restore),
                    NodeKind::Asset | NodeKind::Group | NodeKind::Vendor => None,
                }
            })
            .collect()
    }
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    fn dependents_of(&self, n: u32) -> &[Dependent] {
        self.dependents.row(n)
    }

    fn members_of(&self, n: u32) -> &[u32] {
        self.members.row(n)
    }
}

/// The latest `up` over some edges together with the dependency that has it, the smallest
/// number (ID) winning ties, packed so that one comparison picks the decider: the larger key.
fn latest_key(up: u64, node: u32) -> u128 {
    (u128::from(up) << 32) | u128::from(NO - node)
}

/// `(up, node)` of a key; `(0, NO)` for the empty key 0.
fn unpack_latest(key: u128) -> (u64, u32) {
    if key == 0 {
        return (0, NO);
    }
    // Truncations that undo the packing.
    ((key >> 32) as u64, NO - key as u32)
}

/// A time and a small number packed into one heap key, ordered by time then number.
fn event(time: u64, what: u32) -> Reverse<u128> {
    Reverse((u128::from(time) << 32) | u128::from(what))
}

fn unpack_event(key: Reverse<u128>) -> (u64, u32) {
    ((key.0 >> 32) as u64, key.0 as u32)
}

/// Bit sets over the places of the priority order, in 64-bit words.
fn bit_set(words: &mut [u64], place: u32) {
    if let Some(w) = words.get_mut(place as usize / 64) {
        *w |= 1u64 << (place % 64);
    }
}

fn bit_clear(words: &mut [u64], place: u32) {
    if let Some(w) = words.get_mut(place as usize / 64) {
        *w &= !(1u64 << (place % 64));
    }
}

fn bit_test(words: &[u64], place: u32) -> bool {
    words
        .get(place as usize / 64)
        .is_some_and(|w| w & (1u64 << (place % 64)) != 0)
}

/// The places in a bit set, in ascending order.
fn set_bits(words: &[u64]) -> impl Iterator<Item = u32> + '_ {
    words.iter().enumerate().flat_map(|(i, &word)| {
        let mut bits = word;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let b = bits.trailing_zeros();
            bits &= bits - 1;
            to_u32(i * 64 + b as usize)
        })
    })
}

/// The place of each member of a bit set among its members (rank → local number), from a
/// running count of members before each word: a few kilobytes where an array indexed by rank
/// would be hundreds.
struct LocalNumbers<'a> {
    words: &'a [u64],
    before: Vec<u32>,
}

impl<'a> LocalNumbers<'a> {
    fn of(words: &'a [u64]) -> Self {
        let mut before = Vec::with_capacity(words.len());
        let mut total = 0u32;
        for w in words {
            before.push(total);
            total = total.saturating_add(w.count_ones());
        }
        LocalNumbers { words, before }
    }

    /// The local number of `place`, or [`NO`] if it is not a member.
    fn get(&self, place: u32) -> u32 {
        let at = place as usize / 64;
        let (Some(&word), Some(&before)) = (self.words.get(at), self.before.get(at)) else {
            return NO;
        };
        let bit = 1u64 << (place % 64);
        if word & bit == 0 {
            return NO;
        }
        before + (word & (bit - 1)).count_ones()
    }
}

fn first_bit(words: &[u64]) -> Option<u32> {
    let (i, w) = words.iter().enumerate().find(|(_, w)| **w != 0)?;
    to_u32(i * 64 + w.trailing_zeros() as usize)
}

/// The two ends of what a lost node whose restore has not started can still do: come back at
/// the earliest it can (`max(now, ready) + restore`), or never. Every other unresolved node's
/// outage is read from its dependencies' under the same end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Never,
    Earliest,
}

impl End {
    const BOTH: [End; 2] = [End::Never, End::Earliest];
}

/// One value per [`End`].
#[derive(Debug, Clone, Copy, Default)]
struct Ends<T> {
    never: T,
    earliest: T,
}

impl<T> Ends<T> {
    fn at(&self, end: End) -> &T {
        match end {
            End::Never => &self.never,
            End::Earliest => &self.earliest,
        }
    }

    fn at_mut(&mut self, end: End) -> &mut T {
        match end {
            End::Never => &mut self.never,
            End::Earliest => &mut self.earliest,
        }
    }
}

/// A group's own outage: [`NONE`] down when it has none; `full` when more than
/// `len − min_up` members were down (otherwise it is the failover blip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct GroupOutage {
    down: u64,
    up: u64,
    decider: u32,
    full: bool,
}

impl GroupOutage {
    const NONE: GroupOutage = GroupOutage {
        down: NONE,
        up: NONE,
        decider: NO,
        full: false,
    };

    /// The same outage, whoever decided it.
    fn same_times(&self, other: &GroupOutage) -> bool {
        (self.down, self.up, self.full) == (other.down, other.up, other.full)
    }
}

/// The group rule over members' `(member, down, up)`: down while at least `threshold` members
/// are down (the hull of those times; at one instant members coming back count before members
/// going down); otherwise, if it lost any member, down for `failover` from the first loss.
/// `sweep` is scratch space.
fn group_outage(
    members: &[(u32, u64, u64)],
    threshold: u32,
    failover: u64,
    sweep: &mut Vec<u128>,
) -> GroupOutage {
    // A change of the count of members down, as one integer that sorts by time and, at one
    // instant, returns (low bit 0) before losses (1).
    let change = |time: u64, loss: bool| (u128::from(time) << 1) | u128::from(loss);
    sweep.clear();
    let mut first: (u64, u32) = (NONE, NO);
    for &(m, d, u) in members {
        if d == NONE || u == d {
            continue;
        }
        first = first.min((d, m));
        sweep.push(change(d, true));
        if u != NONE {
            sweep.push(change(u, false));
        }
    }
    if first.0 == NONE {
        return GroupOutage::NONE;
    }
    sweep.sort_unstable();
    let (mut count, mut down, mut up) = (0u32, NONE, NONE);
    for &key in sweep.iter() {
        let time = u64::try_from(key >> 1).unwrap_or(NONE);
        let before = count;
        if key & 1 == 1 {
            count += 1;
        } else {
            count = count.saturating_sub(1);
        }
        if before < threshold && count >= threshold {
            if down == NONE {
                down = time;
            }
            up = NONE;
        } else if before >= threshold && count < threshold {
            up = time;
        }
    }
    if down != NONE {
        // The member that decided `up`: among those back exactly then (or never back), the
        // smallest ID.
        let decider = members
            .iter()
            .filter(|&&(_, d, u)| d != NONE && u != d && u == up)
            .map(|&(m, _, _)| m)
            .min()
            .unwrap_or(NO);
        return GroupOutage {
            down,
            up,
            decider,
            full: true,
        };
    }
    if failover == 0 {
        return GroupOutage::NONE;
    }
    GroupOutage {
        down: first.0,
        up: first.0.saturating_add(failover),
        decider: first.1,
        full: false,
    }
}

/// The earliest `down + T` and the [`latest_key`] over the edges of `deps` that affect their
/// dependent, given each dependency's `(down, up)`.
fn fold_affecting(deps: &[Dependent], mut times: impl FnMut(u32) -> (u64, u64)) -> (u64, u128) {
    let (mut down, mut key) = (NONE, 0u128);
    for e in deps {
        let (d, u) = times(e.node);
        // The edge affects its dependent when the dependency is down for longer than T.
        if d != NONE && (u == NONE || u - d > e.tolerance) {
            down = down.min(d.saturating_add(e.tolerance));
            key = key.max(latest_key(u, e.node));
        }
    }
    (down, key)
}

/// `(down, up)` from the earliest `down + T` and the latest key over the affecting edges, a
/// group's own outage, and the node's `dur`: `(NONE, NONE)` when nothing affects it.
fn outage_from(down: u64, key: u128, outage: &GroupOutage, dur: u64) -> (u64, u64, u32) {
    let (mut down, mut key) = (down, key);
    if outage.down != NONE {
        down = down.min(outage.down);
        key = key.max(latest_key(outage.up, outage.decider));
    }
    if down == NONE {
        return (NONE, NONE, NO);
    }
    let (up, decider) = unpack_latest(key);
    let up = if up == NONE {
        NONE
    } else {
        up.saturating_add(dur)
    };
    (down, up, decider)
}

/// The state of one run of the engine, reused between runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    pub(crate) down: Vec<u64>,
    pub(crate) up: Vec<u64>,
    pub(crate) start: Vec<u64>,
    /// The node that decided each node's `up` (critical path), or [`NO`].
    pub(crate) decided: Vec<u32>,
    /// Lost nodes in the order their restores started, with the start time.
    pub(crate) started: Vec<(u64, u32)>,
    /// Whether some ready restore had to wait for its team: without that, unlimited teams would
    /// give the same schedule.
    pub(crate) waited: bool,
    /// This run ignores team capacities.
    unlimited: bool,
    /// The decision time.
    now: u64,
    /// Per node: dependencies not yet resolved.
    pending: Vec<u32>,
    /// Per node: its `down` and `up` are known (a lost node: its restore has started, or it
    /// cannot be restored).
    resolved: Vec<bool>,
    /// Per node, over the affecting edges resolved so far: the earliest `down + T`, and the
    /// [`latest_key`].
    first_down: Vec<u64>,
    latest: Vec<u128>,
    ready: Vec<u64>,
    ready_decider: Vec<u32>,
    /// Resolved nodes whose dependents have not heard of it yet.
    work: Vec<u32>,
    /// Resolved lost nodes not yet ready: [`event`] (ready time, priority place).
    future: BinaryHeap<Reverse<u128>>,
    /// Ready lost nodes that may start now (their team has room), by priority place.
    available: Vec<u64>,
    /// Per team (`words` each): its ready lost nodes, started or not yet.
    waiting: Vec<u64>,
    running: Vec<u32>,
    /// Restores occupying a team: [`event`] (finish time, team).
    finishing: BinaryHeap<Reverse<u128>>,
    /// Scratch space of [`group_outage`].
    sweep: Vec<u128>,
    /// Decision times at which a waiting group would be back if none of the restores it reads
    /// ever were: [`event`] (time, group).
    recheck: BinaryHeap<Reverse<u128>>,
    /// Per group: its never-back time as of its last try ([`NONE`]: none). An entry of
    /// `recheck` that no longer matches is not a decision time.
    recheck_at: Vec<u64>,
    /// Groups tried and not yet certain. Each tries again at every later decision time: the
    /// restores not yet started can be back only later then, which may settle it.
    undecided: Vec<u32>,
    /// Per node: it is on `undecided`.
    is_undecided: Vec<bool>,
    /// The groups being tried again (scratch space of [`Run::try_undecided`]).
    trying: Vec<u32>,
    /// Groups to try again once the work list is empty.
    retry: Vec<u32>,
    /// Resolved groups whose deciding member was not known yet.
    refine: Vec<u32>,
    /// Per node: the first of the groups waiting for it to start, resolve or know its ready
    /// time (an index into `watchers`, or [`NO`]); `watchers` holds (group, next).
    watch_head: Vec<u32>,
    watchers: Vec<(u32, u32)>,
    /// Per node: the group that asked last to wait for it (a group asks once until it wakes).
    watch_last: Vec<u32>,
    /// Per group: it is on `retry` already.
    queued: Vec<bool>,
    /// What a group's try read of its unresolved ancestry, per node and end: the try's stamp,
    /// and `(down, up)` (`None`: not certain, see [`Run::evaluate`]).
    stamp: u32,
    seen: Vec<Ends<u32>>,
    estimate: Vec<Ends<Option<(u64, u64)>>>,
    /// Unstarted lost nodes and unresolved groups the last try read.
    touched: Vec<u32>,
    stack: Vec<(u32, End, bool)>,
    /// Members' `(member, down, up)` at each end: of the group tried, and of a group on the way.
    values: Ends<Vec<(u32, u64, u64)>>,
    inner: Ends<Vec<(u32, u64, u64)>>,
}

impl Run {
    /// Runs the engine on `plan` with `dur` per local node (see [`Plan::likely`]); `unlimited`
    /// ignores team capacities.
    pub(crate) fn execute(&mut self, plan: &Plan, dur: &[u64], unlimited: bool) {
        self.reset(plan);
        self.unlimited = unlimited;
        for i in 0..plan.len() {
            if plan.dependencies.get(i) != Some(&0) {
                continue;
            }
            let Some(n) = to_u32(i) else { continue };
            if plan.lost.get(i).copied().unwrap_or(false) {
                self.resolve_lost(plan, n);
            } else if plan.kind.get(i) == Some(&NodeKind::Group) {
                // All its members lost: it may know its outage from the start.
                self.try_group(plan, n, dur);
            }
        }
        self.propagate(plan, dur);
        let mut t = 0u64;
        loop {
            self.now = t;
            while let Some(&key) = self.finishing.peek() {
                let (finish, team) = unpack_event(key);
                if finish > t {
                    break;
                }
                self.finishing.pop();
                self.free_one(plan, team);
            }
            while let Some(&key) = self.recheck.peek() {
                if unpack_event(key).0 > t {
                    break;
                }
                self.recheck.pop();
            }
            if t > 0 {
                self.try_undecided(plan, dur);
            }
            self.propagate(plan, dur);
            loop {
                self.take_ready(plan, t);
                let Some(place) = first_bit(&self.available) else {
                    break;
                };
                let node = plan.by_priority.get(place as usize).copied().unwrap_or(NO);
                let team = self.team_of(plan, node);
                let d = dur.get(node as usize).copied().unwrap_or(0);
                bit_clear(&mut self.available, place);
                if team != NO {
                    self.occupy(plan, team, place, t, d);
                }
                self.start_restore(node, t, d);
                self.propagate(plan, dur);
            }
            self.drop_stale_rechecks();
            let next = [&self.future, &self.finishing, &self.recheck]
                .into_iter()
                .filter_map(|heap| heap.peek().map(|&k| unpack_event(k).0))
                .min();
            match next {
                Some(next) => t = next,
                None => break,
            }
        }
        // Every restore has started: the groups' deciding members are known now.
        let refine = std::mem::take(&mut self.refine);
        for &g in &refine {
            self.resolve_other(plan, g, dur);
        }
        self.refine = refine;
        self.resolve_tail(plan, dur);
    }

    /// Resolves the tail, dependencies first, from what the core gave: each node pulls from its
    /// dependencies (in ID order, so that the first latest one is the smallest ID).
    fn resolve_tail(&mut self, plan: &Plan, dur: &[u64]) {
        for &n in &plan.tail_order {
            let (down, key) = fold_affecting(plan.deps.row(n), |dep| {
                let d = self.down.get(dep as usize).copied().unwrap_or(NONE);
                let u = self.up.get(dep as usize).copied().unwrap_or(NONE);
                (d, u)
            });
            self.settle(plan, n, down, key, dur);
        }
    }

    fn reset(&mut self, plan: &Plan) {
        let m = plan.len();
        for v in [
            &mut self.down,
            &mut self.up,
            &mut self.start,
            &mut self.ready,
            &mut self.first_down,
        ] {
            v.clear();
            v.resize(m, NONE);
        }
        for v in [&mut self.decided, &mut self.ready_decider] {
            v.clear();
            v.resize(m, NO);
        }
        self.latest.clear();
        self.latest.resize(m, 0);
        self.pending.clear();
        self.pending.extend_from_slice(&plan.dependencies);
        self.started.clear();
        self.waited = false;
        self.now = 0;
        self.work.clear();
        self.future.clear();
        self.available.clear();
        self.available.resize(plan.words, 0);
        self.waiting.clear();
        self.waiting.resize(plan.words * plan.capacity.len(), 0);
        self.running.clear();
        self.running.resize(plan.capacity.len(), 0);
        self.finishing.clear();
        self.recheck.clear();
        self.recheck_at.clear();
        self.recheck_at.resize(m, NONE);
        self.undecided.clear();
        self.is_undecided.clear();
        self.is_undecided.resize(m, false);
        self.retry.clear();
        self.refine.clear();
        self.resolved.clear();
        self.resolved.resize(m, false);
        for v in [&mut self.watch_head, &mut self.watch_last] {
            v.clear();
            v.resize(m, NO);
        }
        self.queued.clear();
        self.queued.resize(m, false);
        self.watchers.clear();
        if self.seen.len() != m {
            self.seen.clear();
            self.seen.resize(m, Ends::default());
            self.estimate.clear();
            self.estimate.resize(m, Ends::default());
            self.stamp = 0;
        }
    }

    fn team_words(&mut self, plan: &Plan, team: u32) -> &mut [u64] {
        let start = team as usize * plan.words;
        self.waiting
            .get_mut(start..start + plan.words)
            .unwrap_or(&mut [])
    }

    /// A restore of `team` starts: it leaves the team's waiting set and, unless it takes no time,
    /// occupies a place until it finishes. A team that becomes full withdraws its other ready
    /// restores from `available`.
    fn occupy(&mut self, plan: &Plan, team: u32, place: u32, t: u64, d: u64) {
        bit_clear(self.team_words(plan, team), place);
        if d == 0 {
            return;
        }
        let cap = plan.capacity.get(team as usize).copied().unwrap_or(1);
        let Some(running) = self.running.get_mut(team as usize) else {
            return;
        };
        *running += 1;
        let full = *running >= cap;
        self.finishing.push(event(t.saturating_add(d), team));
        if full {
            let start = team as usize * plan.words;
            let team_set = self.waiting.get(start..start + plan.words).unwrap_or(&[]);
            for (a, w) in self.available.iter_mut().zip(team_set) {
                self.waited |= *a & w != 0;
                *a &= !w;
            }
        }
    }

    /// A restore of `team` finishes: if the team was full, its ready restores become available.
    fn free_one(&mut self, plan: &Plan, team: u32) {
        let cap = plan.capacity.get(team as usize).copied().unwrap_or(1);
        let Some(running) = self.running.get_mut(team as usize) else {
            return;
        };
        let was_full = *running >= cap;
        *running = running.saturating_sub(1);
        if was_full {
            let start = team as usize * plan.words;
            let team_set = self.waiting.get(start..start + plan.words).unwrap_or(&[]);
            for (a, w) in self.available.iter_mut().zip(team_set) {
                *a |= w;
            }
        }
    }

    /// Lost nodes whose ready time has come join their team's waiting set, and `available` if
    /// the team has room.
    fn take_ready(&mut self, plan: &Plan, t: u64) {
        while let Some(&key) = self.future.peek() {
            let (ready, place) = unpack_event(key);
            if ready > t {
                break;
            }
            self.future.pop();
            let node = plan.by_priority.get(place as usize).copied().unwrap_or(NO);
            self.make_ready(plan, node, place);
        }
    }

    /// The team a restore needs in this run ([`NO`]: none, or unlimited teams).
    fn team_of(&self, plan: &Plan, node: u32) -> u32 {
        if self.unlimited {
            NO
        } else {
            plan.team.get(node as usize).copied().unwrap_or(NO)
        }
    }

    /// A restore that may start now joins its team's waiting set, and `available` if the team
    /// has room.
    fn make_ready(&mut self, plan: &Plan, node: u32, place: u32) {
        let team = self.team_of(plan, node);
        if team == NO {
            bit_set(&mut self.available, place);
            return;
        }
        bit_set(self.team_words(plan, team), place);
        let cap = plan.capacity.get(team as usize).copied().unwrap_or(1);
        if self.running.get(team as usize).copied().unwrap_or(0) < cap {
            bit_set(&mut self.available, place);
        } else {
            self.waited = true;
        }
    }

    fn start_restore(&mut self, node: u32, t: u64, d: u64) {
        let i = node as usize;
        let ready = self.ready.get(i).copied().unwrap_or(0);
        let decider = if t == ready && ready > 0 {
            self.ready_decider.get(i).copied().unwrap_or(NO)
        } else {
            NO
        };
        self.set(i, 0, t.saturating_add(d), decider);
        if let Some(s) = self.start.get_mut(i) {
            *s = t;
        }
        self.started.push((t, node));
        self.work.push(node);
        self.wake_watchers(node);
    }

    fn set(&mut self, i: usize, down: u64, up: u64, decider: u32) {
        if let Some(x) = self.resolved.get_mut(i) {
            *x = true;
        }
        if let Some(x) = self.down.get_mut(i) {
            *x = down;
        }
        if let Some(x) = self.up.get_mut(i) {
            *x = up;
        }
        if let Some(x) = self.decided.get_mut(i) {
            *x = decider;
        }
    }

    /// A lost node whose dependencies are all resolved: when its restore may start (the latest
    /// `up` over the edges that affect it, 0 if none does).
    fn resolve_lost(&mut self, plan: &Plan, node: u32) {
        let i = node as usize;
        let (ready, decider) = unpack_latest(self.latest.get(i).copied().unwrap_or(0));
        if let Some(x) = self.ready.get_mut(i) {
            *x = ready;
        }
        if let Some(x) = self.ready_decider.get_mut(i) {
            *x = decider;
        }
        // Groups reading it see it back no earlier than its ready time from now on (or never):
        // their outage may have become certain.
        self.wake_watchers(node);
        if ready == NONE {
            // Something it needs never comes back: it cannot be restored.
            self.set(i, 0, NONE, decider);
            self.work.push(node);
        } else if ready <= self.now {
            // Resolved at the decision time and ready by then: it may start now, as if it had
            // gone through `future`.
            let place = plan.priority.get(i).copied().unwrap_or(NO);
            self.make_ready(plan, node, place);
        } else {
            let place = plan.priority.get(i).copied().unwrap_or(NO);
            self.future.push(event(ready, place));
        }
    }

    /// Tells the dependents of every node on the work list that it is resolved, resolving those
    /// that were waiting only for it; then tries again the groups that asked to be.
    fn propagate(&mut self, plan: &Plan, dur: &[u64]) {
        loop {
            while let Some(n) = self.work.pop() {
                self.tell_dependents(plan, n, dur);
            }
            let Some(g) = self.retry.pop() else {
                break;
            };
            if let Some(queued) = self.queued.get_mut(g as usize) {
                *queued = false;
            }
            self.try_group(plan, g, dur);
        }
    }

    fn tell_dependents(&mut self, plan: &Plan, n: u32, dur: &[u64]) {
        let down = self.down.get(n as usize).copied().unwrap_or(NONE);
        let up = self.up.get(n as usize).copied().unwrap_or(NONE);
        let key = latest_key(up, n);
        for e in plan.dependents_of(n) {
            let d = e.node as usize;
            if e.member {
                // A group does not wait for its members; one of them is known now, which may
                // settle the group.
                if self.pending.get(d) == Some(&0) {
                    self.try_group(plan, e.node, dur);
                }
                continue;
            }
            // The edge affects its dependent when n is down for longer than T.
            if down != NONE && (up == NONE || up - down > e.tolerance) {
                if let Some(x) = self.first_down.get_mut(d) {
                    *x = (*x).min(down.saturating_add(e.tolerance));
                }
                if let Some(x) = self.latest.get_mut(d) {
                    *x = (*x).max(key);
                }
            }
            let Some(p) = self.pending.get_mut(d) else {
                continue;
            };
            *p = p.saturating_sub(1);
            if *p > 0 {
                continue;
            }
            if plan.lost.get(d).copied().unwrap_or(false) {
                self.resolve_lost(plan, e.node);
            } else if plan.kind.get(d) == Some(&NodeKind::Group) {
                self.try_group(plan, e.node, dur);
            } else {
                self.resolve_other(plan, e.node, dur);
                self.work.push(e.node);
            }
        }
    }

    /// The groups waiting for `node` (to start, or to resolve) try again.
    fn wake_watchers(&mut self, node: u32) {
        let Some(head) = self.watch_head.get_mut(node as usize) else {
            return;
        };
        let mut at = std::mem::replace(head, NO);
        if let Some(last) = self.watch_last.get_mut(node as usize) {
            *last = NO;
        }
        while let Some(&(group, next)) = self.watchers.get(at as usize) {
            if let Some(queued) = self.queued.get_mut(group as usize)
                && !*queued
            {
                *queued = true;
                self.retry.push(group);
            }
            at = next;
        }
    }

    fn watch(&mut self, node: u32, group: u32) {
        match self.watch_last.get_mut(node as usize) {
            Some(last) if *last != group => *last = group,
            _ => return,
        }
        let Some(head) = self.watch_head.get_mut(node as usize) else {
            return;
        };
        let Some(at) = to_u32(self.watchers.len()) else {
            return;
        };
        self.watchers.push((group, *head));
        *head = at;
    }

    fn resolve_other(&mut self, plan: &Plan, node: u32, dur: &[u64]) {
        let i = node as usize;
        let down = self.first_down.get(i).copied().unwrap_or(NONE);
        let key = self.latest.get(i).copied().unwrap_or(0);
        self.settle(plan, node, down, key, dur);
    }

    /// Resolves a group whose own dependencies are resolved, if its outage is already certain
    /// whatever the lost nodes not yet started do. Each such node is down from 0 and back no
    /// earlier than `max(now, ready) + restore`; the outages of the nodes that need it only grow
    /// as it comes back later, and a group's full outage is the hull over its members, so it too
    /// only grows. So the outage is certain when it is the same, full or not, with every one of
    /// them back at that earliest time and with none of them ever back (a group on the way
    /// counts if it is full at both ends, or the same at both). Otherwise the group tries again
    /// when one of them starts, resolves or learns when it may start, and at every later
    /// decision time (the earliest end moves later with it); the time it would be back if none
    /// of them ever came back is one. Its deciding member is read again once every restore has
    /// started.
    fn try_group(&mut self, plan: &Plan, group: u32, dur: &[u64]) {
        let g = group as usize;
        if self.resolved.get(g).copied().unwrap_or(true) {
            return;
        }
        let members = plan.members_of(group);
        if members
            .iter()
            .all(|&m| self.resolved.get(m as usize).copied().unwrap_or(true))
        {
            let outage = self.resolved_outage(plan, group);
            self.resolve_group(group, outage, dur);
            return;
        }
        self.next_stamp();
        self.touched.clear();
        let mut certain = true;
        for end in End::BOTH {
            let mut values = std::mem::take(self.values.at_mut(end));
            values.clear();
            for &m in members {
                match self.evaluate(plan, m, end, dur) {
                    Some((d, u)) => values.push((m, d, u)),
                    None => certain = false,
                }
            }
            *self.values.at_mut(end) = values;
        }
        let threshold = plan.threshold.get(g).copied().unwrap_or(1);
        let failover = plan.failover.get(g).copied().unwrap_or(0);
        let never = group_outage(&self.values.never, threshold, failover, &mut self.sweep);
        let earliest = group_outage(&self.values.earliest, threshold, failover, &mut self.sweep);
        if certain && never.same_times(&earliest) {
            self.refine.push(group);
            self.resolve_group(group, never, dur);
            return;
        }
        let touched = std::mem::take(&mut self.touched);
        for &x in &touched {
            self.watch(x, group);
        }
        self.touched = touched;
        // Down for good with no restore back (and back at the earliest end): the members never
        // back at the earliest end are those never back whenever anything starts, so time
        // passing cannot make the two agree; only what it reads can.
        let for_good = |o: &GroupOutage| o.down != NONE && o.up == NONE;
        let time_may_settle = !certain || !for_good(&never) || for_good(&earliest);
        if time_may_settle
            && let Some(flag) = self.is_undecided.get_mut(g)
            && !*flag
        {
            *flag = true;
            self.undecided.push(group);
        }
        let back = if certain && never.up > self.now {
            never.up
        } else {
            NONE
        };
        if let Some(at) = self.recheck_at.get_mut(g)
            && *at != back
        {
            *at = back;
            if back != NONE {
                self.recheck.push(event(back, group));
            }
        }
    }

    /// Drops the first entries of `recheck` that are no longer a waiting group's never-back
    /// time: the group was resolved, or a later try moved that time.
    fn drop_stale_rechecks(&mut self) {
        while let Some(&key) = self.recheck.peek() {
            let (time, group) = unpack_event(key);
            let g = group as usize;
            let resolved = self.resolved.get(g).copied().unwrap_or(true);
            if !resolved && self.recheck_at.get(g) == Some(&time) {
                break;
            }
            self.recheck.pop();
        }
    }

    /// The groups not yet certain try again at a new decision time.
    fn try_undecided(&mut self, plan: &Plan, dur: &[u64]) {
        let mut groups = std::mem::take(&mut self.trying);
        groups.clear();
        std::mem::swap(&mut groups, &mut self.undecided);
        for &g in &groups {
            if let Some(flag) = self.is_undecided.get_mut(g as usize) {
                *flag = false;
            }
        }
        for &g in &groups {
            self.try_group(plan, g, dur);
        }
        self.trying = groups;
    }

    fn resolve_group(&mut self, group: u32, outage: GroupOutage, dur: &[u64]) {
        let g = group as usize;
        let down = self.first_down.get(g).copied().unwrap_or(NONE);
        let key = self.latest.get(g).copied().unwrap_or(0);
        let (down, up, decider) = outage_from(down, key, &outage, dur.get(g).copied().unwrap_or(0));
        self.set(g, down, up, decider);
        self.work.push(group);
        self.wake_watchers(group);
    }

    /// A fresh stamp for a try's reading of the unresolved ancestry.
    fn next_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            for s in &mut self.seen {
                *s = Ends::default();
            }
            self.stamp = 1;
        }
    }

    /// What a try reads of `n` at `end` without reading its dependencies: its times if it is
    /// resolved, the end itself if it is a lost node not yet started, or what this try read of
    /// it before; `None` if its dependencies must be read first.
    fn read(&mut self, plan: &Plan, n: u32, end: End, dur: &[u64]) -> Option<Option<(u64, u64)>> {
        let i = n as usize;
        if self.resolved.get(i).copied().unwrap_or(true) {
            let down = self.down.get(i).copied().unwrap_or(NONE);
            let up = self.up.get(i).copied().unwrap_or(NONE);
            return Some(Some((down, up)));
        }
        if plan.lost.get(i).copied().unwrap_or(false) {
            if let Some(seen) = self.seen.get_mut(i)
                && seen.never != self.stamp
            {
                seen.never = self.stamp;
                self.touched.push(n);
            }
            let up = if end == End::Never {
                NONE
            } else {
                self.earliest_back(n, dur)
            };
            return Some(Some((0, up)));
        }
        match (self.seen.get(i), self.estimate.get(i)) {
            (Some(seen), Some(value)) if *seen.at(end) == self.stamp => Some(*value.at(end)),
            _ => None,
        }
    }

    /// `(down, up)` of the unresolved node `n` at `end` (see [`Run::try_group`]), read from its
    /// dependencies, dependencies first, without recursion, each (node, end) once per try. `None`
    /// if an outage in between could lie outside the two ends': a group among them whose blip
    /// is not the same at both, or that is full at one end only.
    fn evaluate(&mut self, plan: &Plan, n: u32, end: End, dur: &[u64]) -> Option<(u64, u64)> {
        if let Some(value) = self.read(plan, n, end, dur) {
            return value;
        }
        let mut stack = std::mem::take(&mut self.stack);
        stack.clear();
        stack.push((n, end, false));
        while let Some((x, e, expanded)) = stack.pop() {
            let xi = x as usize;
            if self.seen.get(xi).is_none_or(|s| *s.at(e) == self.stamp) {
                continue;
            }
            if !expanded {
                stack.push((x, e, true));
                for dep in plan.deps.row(x) {
                    if self.read(plan, dep.node, e, dur).is_none() {
                        stack.push((dep.node, e, false));
                    }
                }
                if plan.kind.get(xi) == Some(&NodeKind::Group) {
                    for &m in plan.members_of(x) {
                        for end in End::BOTH {
                            if self.read(plan, m, end, dur).is_none() {
                                stack.push((m, end, false));
                            }
                        }
                    }
                }
                continue;
            }
            let value = self.evaluated(plan, x, e, dur);
            if let (Some(seen), Some(slot)) = (self.seen.get_mut(xi), self.estimate.get_mut(xi)) {
                *seen.at_mut(e) = self.stamp;
                *slot.at_mut(e) = value;
            }
        }
        self.stack = stack;
        self.read(plan, n, end, dur).flatten()
    }

    /// `(down, up)` of the unresolved node `x` at `end`, every input read already.
    fn evaluated(&mut self, plan: &Plan, x: u32, end: End, dur: &[u64]) -> Option<(u64, u64)> {
        let xi = x as usize;
        let mut outage = GroupOutage::NONE;
        if plan.kind.get(xi) == Some(&NodeKind::Group) {
            self.touched.push(x);
            let mut ends: Ends<GroupOutage> = Ends {
                never: GroupOutage::NONE,
                earliest: GroupOutage::NONE,
            };
            for at in End::BOTH {
                let mut values = std::mem::take(self.inner.at_mut(at));
                values.clear();
                let mut certain = true;
                for &m in plan.members_of(x) {
                    match self.read(plan, m, at, dur).flatten() {
                        Some((d, u)) => values.push((m, d, u)),
                        None => certain = false,
                    }
                }
                *ends.at_mut(at) = group_outage(
                    &values,
                    plan.threshold.get(xi).copied().unwrap_or(1),
                    plan.failover.get(xi).copied().unwrap_or(0),
                    &mut self.sweep,
                );
                *self.inner.at_mut(at) = values;
                if !certain {
                    return None;
                }
            }
            // Full at both ends, its hull lies between the two, like any other node's outage;
            // a failover blip moves with its first loss, so it must be the same at both.
            let bounded = ends.never.full && ends.earliest.full;
            if !bounded && !ends.never.same_times(&ends.earliest) {
                return None;
            }
            outage = *ends.at(end);
        }
        let mut certain = true;
        let (down, key) = fold_affecting(plan.deps.row(x), |dep| {
            self.read(plan, dep, end, dur).flatten().unwrap_or_else(|| {
                certain = false;
                (NONE, NONE)
            })
        });
        if !certain {
            return None;
        }
        let (down, up, _) = outage_from(down, key, &outage, dur.get(xi).copied().unwrap_or(0));
        Some((down, up))
    }

    /// The earliest an unstarted lost node can be back: its restore starts now at the earliest,
    /// and not before it is ready when that is known.
    fn earliest_back(&self, m: u32, dur: &[u64]) -> u64 {
        let ready = self.ready.get(m as usize).copied().unwrap_or(NONE);
        let ready = if ready == NONE { 0 } else { ready };
        self.now
            .max(ready)
            .saturating_add(dur.get(m as usize).copied().unwrap_or(0))
    }

    /// A node other than a lost one, given the earliest `down + T` and the [`latest_key`] over
    /// its affecting edges: adds a group's own rule, then its `dur`. Every member is resolved.
    fn settle(&mut self, plan: &Plan, node: u32, down: u64, key: u128, dur: &[u64]) {
        let i = node as usize;
        let outage = if plan.kind.get(i) == Some(&NodeKind::Group) {
            self.resolved_outage(plan, node)
        } else {
            GroupOutage::NONE
        };
        let (down, up, decider) = outage_from(down, key, &outage, dur.get(i).copied().unwrap_or(0));
        self.set(i, down, up, decider);
    }

    /// A group's own outage from its members' times (all resolved).
    fn resolved_outage(&mut self, plan: &Plan, group: u32) -> GroupOutage {
        let g = group as usize;
        let mut values = std::mem::take(&mut self.values.never);
        values.clear();
        values.extend(plan.members_of(group).iter().map(|&m| {
            let d = self.down.get(m as usize).copied().unwrap_or(NONE);
            let u = self.up.get(m as usize).copied().unwrap_or(NONE);
            (m, d, u)
        }));
        let outage = group_outage(
            &values,
            plan.threshold.get(g).copied().unwrap_or(1),
            plan.failover.get(g).copied().unwrap_or(0),
            &mut self.sweep,
        );
        self.values.never = values;
        outage
    }

    /// Adds one to `counts` (by local node) for every node on some function's critical path;
    /// `stamps` records the last `stamp` each node was counted in, so that a path shared by
    /// several functions is walked and counted once.
    pub(crate) fn count_critical(
        &self,
        plan: &Plan,
        stamps: &mut [u64],
        stamp: u64,
        counts: &mut [u64],
    ) {
        for &f in &plan.functions {
            if self.down.get(f as usize).copied().unwrap_or(NONE) == NONE {
                continue;
            }
            let mut n = self.decided.get(f as usize).copied().unwrap_or(NO);
            while n != NO {
                match stamps.get_mut(n as usize) {
                    Some(s) if *s != stamp => *s = stamp,
                    _ => break,
                }
                if let Some(c) = counts.get_mut(n as usize) {
                    *c += 1;
                }
                n = self.decided.get(n as usize).copied().unwrap_or(NO);
            }
        }
    }
}

/// The chain of deciders that ends at `f`, in recovery order (`f` not included).
fn critical_path(decided: &[u32], f: u32) -> Vec<u32> {
    let mut path = Vec::new();
    let mut n = decided.get(f as usize).copied().unwrap_or(NO);
    // A decider is always resolved before what it decides, so the chain cannot loop; the
    // bound is a second guard.
    while n != NO && path.len() <= decided.len() {
        path.push(n);
        n = decided.get(n as usize).copied().unwrap_or(NO);
    }
    path.reverse();
    path
}

fn opt(x: u64) -> Option<u64> {
    (x != NONE).then_some(x)
}

/// The recovery schedule of losing `params.lose` (DESIGN §4.E).
///
/// Complexity: O((n + e) log n) over the n nodes and e edges the loss can reach, for each of two
/// runs (with the teams, and with unlimited teams for `capacity_shortfall`), plus O(nodes) to list
/// every node.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::schedule::{schedule, ScheduleParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      teams: [{id: dba, capacity: 1}]\n\
///      functions: [{id: pay, rto: 8h, resume: 1h, depends_on: [db1, db2]}]\n\
///      assets: [{id: db1, kind: data, team: dba, restore: 2h},\n\
///               {id: db2, kind: data, team: dba, restore: 3h}]\n",
/// )?;
/// let s = schedule(&m, &ScheduleParams { lose: vec!["db1".into(), "db2".into()] })?;
/// // One DBA: db1 then db2 (same required time, so ID order); pay resumes 1h after db2 is back.
/// let pay = &s.functions[0];
/// assert_eq!(pay.up_at, Some(6 * 3600));
/// assert_eq!(pay.met, Some(true));
/// assert_eq!(pay.critical_path, ["db2"]);
/// assert_eq!(s.makespan, Some(6 * 3600));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ScheduleError::UnknownUnit`] if `lose` names something that is not a failure unit.
///
/// To run several scenarios on one model, use an [`Analyzer`], which prepares the graph once.
pub fn schedule(model: &Model, params: &ScheduleParams) -> Result<Schedule, ScheduleError> {
    Analyzer::borrowed(model).schedule(params)
}

/// A recovery schedule as computed, before it is written out as a [`Schedule`]: every time of
/// every node the loss reaches, held compactly.
///
/// The report lists every node of the model by ID, which on a large estate costs more than the
/// schedule itself; a caller that may not need all of it (a binding whose result object is
/// converted only when asked) keeps this and calls [`report`](Self::report) when it does.
///
/// ```
/// use bcm_core::{Analyzer, Model};
/// use bcm_core::schedule::ScheduleParams;
/// let a = Analyzer::new(Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: pay, rto: 8h, depends_on: [db]}]\n\
///      assets: [{id: db, kind: data, restore: 2h}]\n",
/// )?);
/// let times = a.schedule_times(&ScheduleParams { lose: vec!["db".into()] })?;
/// assert_eq!(times.makespan(), Some(2 * 3600));
/// assert_eq!(a.schedule_report(&times)?.makespan, times.makespan());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// It keeps only what the report reads (a few arrays over the nodes the loss reaches); the
/// engine's working state is freed when [`compute`](Self::compute) returns, for the next
/// schedule to reuse.
#[derive(Debug, Clone)]
pub struct ScheduleTimes {
    /// The [`Analyzer`] that computed it, the only one that may write it out.
    stamp: u64,
    /// Plan node → graph node; plan nodes are in ID order.
    nodes: Vec<NodeIndex>,
    /// The plan's functions.
    functions: Vec<u32>,
    /// Per plan node, as [`Run`] has them.
    down: Vec<u64>,
    up: Vec<u64>,
    start: Vec<u64>,
    decided: Vec<u32>,
    started: Vec<(u64, u32)>,
    /// `up` with unlimited teams, when that can differ and matters: some ready restore waited
    /// for its team, and some function misses its RTO (`capacity_shortfall`).
    unlimited_up: Option<Vec<u64>>,
}

impl ScheduleTimes {
    /// Computes the schedule of losing `params.lose` (see [`Analyzer::schedule_times`]).
    pub(crate) fn compute(
        analyzer: &Analyzer<'_>,
        params: &ScheduleParams,
    ) -> Result<Self, ScheduleError> {
        let (model, graph) = (analyzer.model(), analyzer.graph());
        let plan = Plan::new(analyzer, &params.lose)?;
        let execute = |unlimited: bool| {
            let mut run = Run::default();
            run.execute(&plan, &plan.likely, unlimited);
            run
        };
        // The run with unlimited teams is needed only if some restore waits for its team and
        // some function misses its RTO, which the run with the teams tells. When some restore
        // has a team at all, both run at once on two threads (the second is discarded if not
        // needed): the schedule is back sooner on a machine with a spare core.
        let (run, free) = if plan.team.iter().any(|&t| t != NO) {
            let (run, free) = rayon::join(|| execute(false), || execute(true));
            (run, Some(free))
        } else {
            (execute(false), None)
        };
        let unlimited_up = free
            .filter(|_| run.waited && misses_an_rto(model, graph, &plan, &run))
            .map(|free| free.up);
        Ok(ScheduleTimes {
            stamp: analyzer.stamp(),
            nodes: plan.nodes,
            functions: plan.functions,
            down: run.down,
            up: run.up,
            start: run.start,
            decided: run.decided,
            started: run.started,
            unlimited_up,
        })
    }

    /// When the last affected node is back; `None` if some never is; 0 if nothing is affected
    /// (the report's `makespan`, without writing the report).
    pub fn makespan(&self) -> Option<u64> {
        let mut makespan = 0u64;
        for (&down, &up) in self.down.iter().zip(&self.up) {
            if down != NONE {
                makespan = makespan.max(opt(up)?);
            }
        }
        Some(makespan)
    }

    /// The schedule as a [`Schedule`]: every node of the model by ID, the affected functions,
    /// the waves and the makespan (see [`Analyzer::schedule_report`]).
    pub(crate) fn report(&self, analyzer: &Analyzer<'_>) -> Result<Schedule, ScheduleError> {
        if self.stamp != analyzer.stamp() {
            return Err(ScheduleError::OtherModel);
        }
        Ok(build(analyzer, self))
    }
}

/// Whether some function of the plan misses its RTO in `run` (otherwise no function can have a
/// capacity shortfall, and the unlimited run is not needed).
fn misses_an_rto(model: &Model, graph: &DependencyGraph, plan: &Plan, run: &Run) -> bool {
    plan.functions.iter().any(|&f| {
        let rto = plan
            .nodes
            .get(f as usize)
            .and_then(|&n| graph.weight(n))
            .and_then(|w| model.functions.get(w.index))
            .and_then(|function| function.rto);
        let down = run.down.get(f as usize).copied().unwrap_or(NONE);
        let up = run.up.get(f as usize).copied().unwrap_or(NONE);
        rto.is_some_and(|rto| down != NONE && up > rto.as_secs())
    })
}

fn build(analyzer: &Analyzer<'_>, times: &ScheduleTimes) -> Schedule {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let unlimited_up = times.unlimited_up.as_deref().unwrap_or(&times.up);
    let mut local: Vec<u32> = vec![NO; graph.node_count()];
    for (i, n) in times.nodes.iter().enumerate() {
        if let (Some(slot), Some(i)) = (local.get_mut(n.index()), to_u32(i)) {
            *slot = i;
        }
    }
    let local_of = |n: NodeIndex| local.get(n.index()).copied().unwrap_or(NO);
    let required = &analyzer.required_times().required;
    let blocked_nodes = graph.blocked();
    let at = |v: &[u64], i: u32| v.get(i as usize).copied().and_then(opt);

    let mut nodes = Vec::with_capacity(graph.node_count());
    let mut blocked = Vec::new();
    let mut makespan = Some(0u64);
    for &n in graph.by_id() {
        let kind = graph.weight(n).map_or(NodeKind::Asset, |w| w.kind);
        let id = graph.id(n).to_owned();
        let req = required.get(n.index()).copied().flatten();
        let i = local_of(n);
        let (down_at, start, up_at) = if i == NO {
            (None, None, None)
        } else {
            (at(&times.down, i), at(&times.start, i), at(&times.up, i))
        };
        if blocked_nodes.get(n.index()).copied().unwrap_or(false) {
            blocked.push(id.clone());
        }
        if down_at.is_some() {
            makespan = match (makespan, up_at) {
                (Some(m), Some(u)) => Some(m.max(u)),
                _ => None,
            };
        }
        let slack = match (req, up_at) {
            (Some(r), Some(u)) => i64::try_from(r)
                .ok()
                .zip(i64::try_from(u).ok())
                .map(|(r, u)| r - u),
            _ => None,
        };
        nodes.push(NodeSchedule {
            id,
            kind: kind.as_str(),
            down_at,
            start,
            up_at,
            required: req,
            slack,
        });
    }

    let ids = |path: Vec<u32>| -> Vec<String> {
        path.into_iter()
            .filter_map(|i| times.nodes.get(i as usize))
            .map(|n| graph.id(*n).to_owned())
            .collect()
    };
    let mut functions = Vec::new();
    for &f in &times.functions {
        if at(&times.down, f).is_none() {
            continue;
        }
        let Some(&node) = times.nodes.get(f as usize) else {
            continue;
        };
        let Some(function) = graph
            .weight(node)
            .and_then(|w| model.functions.get(w.index))
        else {
            continue;
        };
        let up_at = at(&times.up, f);
        let rto = function.rto.map(|d| d.as_secs());
        let met_with = |up: Option<u64>| rto.map(|r| up.is_some_and(|u| u <= r));
        let met = met_with(up_at);
        let breach = rto.zip(up_at).map(|(r, u)| u.saturating_sub(r));
        let wrt = function.wrt.map_or(0, |d| d.as_secs());
        let mtd_met = function
            .mtd
            .map(|mtd| up_at.is_some_and(|u| u.saturating_add(wrt) <= mtd.as_secs()));
        let unlimited_up = at(unlimited_up, f);
        let capacity_shortfall = met == Some(false) && met_with(unlimited_up) == Some(true);
        functions.push(FunctionSchedule {
            id: graph.id(node).to_owned(),
            up_at,
            rto,
            met,
            breach,
            mtd_met,
            capacity_shortfall,
            critical_path: ids(critical_path(&times.decided, f)),
        });
    }

    let mut waves: Vec<Wave> = Vec::new();
    let mut members: Vec<(u32, String)> = Vec::new();
    let flush = |start: u64, members: &mut Vec<(u32, String)>, waves: &mut Vec<Wave>| {
        if !members.is_empty() {
            members.sort();
            waves.push(Wave {
                start,
                restores: members.drain(..).map(|(_, id)| id).collect(),
            });
        }
    };
    let mut current = 0u64;
    for &(t, node) in &times.started {
        if t != current {
            flush(current, &mut members, &mut waves);
            current = t;
        }
        if let Some(n) = times.nodes.get(node as usize) {
            members.push((node, graph.id(*n).to_owned()));
        }
    }
    flush(current, &mut members, &mut waves);

    Schedule {
        nodes,
        functions,
        waves,
        makespan,
        blocked,
    }
}

/// A restore bar of a Gantt chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GanttBar {
    /// The lost asset or vendor.
    pub id: String,
    /// The team that restores it; `None` when no team is named (unlimited) or for a vendor.
    pub team: Option<String>,
    /// When the restore starts.
    pub start: u64,
    /// When it is back.
    pub end: u64,
}

/// A function's row of a Gantt chart: its outage, and its RTO as a marker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GanttFunction {
    /// The function.
    pub id: String,
    /// When it goes down.
    pub down_at: u64,
    /// When it is back; `None` if never.
    pub up_at: Option<u64>,
    /// Its RTO, if declared.
    pub rto: Option<u64>,
}

/// What a Gantt chart of a schedule shows: restores in lanes per team, functions with their RTOs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gantt {
    /// Restores that started, by start time then ID.
    pub restores: Vec<GanttBar>,
    /// The affected functions, sorted by ID.
    pub functions: Vec<GanttFunction>,
}

/// The Gantt chart of `schedule`, a schedule of `model` (teams are read from the model).
pub fn gantt(model: &Model, schedule: &Schedule) -> Gantt {
    let restored: std::collections::HashSet<&str> = schedule
        .nodes
        .iter()
        .filter(|n| n.start.is_some())
        .map(|n| n.id.as_str())
        .collect();
    let teams: std::collections::HashMap<&str, &str> = model
        .assets
        .iter()
        .filter(|a| restored.contains(a.id.as_str()))
        .filter_map(|a| a.team.as_ref().map(|t| (a.id.as_str(), t.as_str())))
        .collect();
    gantt_from(schedule, |id| teams.get(id).copied())
}

/// [`gantt`] on an analyzer's graph, which finds each restore's team without reading every asset.
pub(crate) fn gantt_on(analyzer: &Analyzer<'_>, schedule: &Schedule) -> Gantt {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    gantt_from(schedule, |id| {
        let node = graph.weight(graph.node(id)?)?;
        let asset = model.assets.get(node.index)?;
        asset.team.as_ref().map(|t| t.as_str())
    })
}

fn gantt_from<'m>(schedule: &Schedule, team_of: impl Fn(&str) -> Option<&'m str>) -> Gantt {
    let mut restores: Vec<GanttBar> = schedule
        .nodes
        .iter()
        .filter_map(|n| {
            let start = n.start?;
            Some(GanttBar {
                id: n.id.clone(),
                team: (n.kind == "asset")
                    .then(|| team_of(&n.id).map(str::to_owned))
                    .flatten(),
                start,
                end: n.up_at.unwrap_or(start),
            })
        })
        .collect();
    restores.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    // `nodes` is sorted by ID.
    let down_at = |id: &str| {
        schedule
            .nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .ok()
            .and_then(|i| schedule.nodes.get(i))
            .and_then(|n| n.down_at)
    };
    let functions = schedule
        .functions
        .iter()
        .map(|f| GanttFunction {
            id: f.id.clone(),
            down_at: down_at(&f.id).unwrap_or(0),
            up_at: f.up_at,
            rto: f.rto,
        })
        .collect();
    Gantt {
        restores,
        functions,
    }
}

impl Gantt {
    /// The chart as Mermaid `gantt` text: one section per team (restores without a team in
    /// "no team"), then a "functions" section with each function's outage and its RTO as a
    /// milestone. Times are seconds since the disruption (`dateFormat X`), shown as
    /// day-hour:minute from the disruption. A function never back is drawn to the chart's end.
    ///
    /// ```
    /// use bcm_core::Model;
    /// use bcm_core::schedule::{gantt, schedule, ScheduleParams};
    /// let m = Model::from_yaml_str(
    ///     "bcm: 1\norganization: {name: x}\n\
    ///      functions: [{id: pay, rto: 4h, depends_on: [db]}]\n\
    ///      assets: [{id: db, kind: data, restore: 2h}]\n",
    /// )?;
    /// let s = schedule(&m, &ScheduleParams { lose: vec!["db".into()] })?;
    /// let text = gantt(&m, &s).to_mermaid("losing db");
    /// assert!(text.starts_with("gantt\n    title losing db\n    dateFormat X\n"));
    /// assert!(text.contains("    section no team\n    db : r0, 0, 7200\n"));
    /// assert!(text.contains("    pay RTO : milestone, m0, 14400, 0\n"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_mermaid(&self, title: &str) -> String {
        use std::fmt::Write as _;
        // Mermaid reads `:` and `#` and line breaks as syntax in names.
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if matches!(c, ':' | '#' | ';' | '\n' | '\r') {
                        ' '
                    } else {
                        c
                    }
                })
                .collect()
        };
        let end = self
            .restores
            .iter()
            .map(|r| r.end)
            .chain(self.functions.iter().filter_map(|f| f.up_at))
            .chain(self.functions.iter().filter_map(|f| f.rto))
            .max()
            .unwrap_or(0);
        let mut out = String::new();
        let _ = writeln!(out, "gantt");
        let _ = writeln!(out, "    title {}", clean(title));
        let _ = writeln!(out, "    dateFormat X");
        let _ = writeln!(out, "    axisFormat %j %H:%M");
        let mut lanes: std::collections::BTreeMap<Option<&str>, Vec<(usize, &GanttBar)>> =
            Default::default();
        for (i, r) in self.restores.iter().enumerate() {
            lanes.entry(r.team.as_deref()).or_default().push((i, r));
        }
        // Teams by name, then the restores without one.
        let mut ordered: Vec<_> = lanes.iter().filter(|(t, _)| t.is_some()).collect();
        ordered.extend(lanes.iter().filter(|(t, _)| t.is_none()));
        for (team, bars) in ordered {
            let _ = writeln!(out, "    section {}", clean(team.unwrap_or("no team")));
            for (i, r) in bars {
                let _ = writeln!(out, "    {} : r{i}, {}, {}", clean(&r.id), r.start, r.end);
            }
        }
        if !self.functions.is_empty() {
            let _ = writeln!(out, "    section functions");
            for (i, f) in self.functions.iter().enumerate() {
                let up = f.up_at.unwrap_or(end.max(f.down_at));
                let state = match (f.up_at, f.rto) {
                    (Some(u), Some(r)) if u > r => "crit, ",
                    (None, _) => "crit, ",
                    _ => "",
                };
                let _ = writeln!(
                    out,
                    "    {} : {state}f{i}, {}, {up}",
                    clean(&f.id),
                    f.down_at
                );
                if let Some(rto) = f.rto {
                    let _ = writeln!(out, "    {} RTO : milestone, m{i}, {rto}, 0", clean(&f.id));
                }
            }
        }
        out
    }
}

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
