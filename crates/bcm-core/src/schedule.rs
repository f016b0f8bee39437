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

use crate::analysis::duration;
use crate::graph::{DependencyGraph, EdgeOrigin, NodeKind, UnknownUnit};
use crate::model::{Duration, Estimate, Model};
use crate::objectives::required_times;

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
}

/// "Not affected" (for `down`), "never back" (for `up`), "not started" (for `start`).
pub(crate) const NONE: u64 = u64::MAX;
/// No node (a decider) or no team (unlimited).
pub(crate) const NO: u32 = u32::MAX;

/// A dependency edge inside a [`Plan`].
#[derive(Debug, Clone, Copy)]
struct PlanEdge {
    to: u32,
    tolerance: u64,
    member: bool,
}

/// What a scenario fixes before any duration is known: the nodes the loss can reach (every other
/// node stays up), their edges among themselves, and the restore order's priorities.
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
    /// Per local node: its place in ID order (ties between deciders go to the smallest ID).
    id_rank: Vec<u32>,
    /// Lost nodes in priority order (required time, none last, then ID); `priority[n]` is the
    /// place of lost node n in it.
    by_priority: Vec<u32>,
    priority: Vec<u32>,
    /// Dependencies inside the plan: `deps[dep_start[n]..dep_start[n + 1]]`.
    dep_start: Vec<u32>,
    deps: Vec<PlanEdge>,
    /// Dependents inside the plan: `dependents[rdep_start[n]..rdep_start[n + 1]]`.
    rdep_start: Vec<u32>,
    dependents: Vec<u32>,
    /// Per group: how many members must be down for it to be down; 0 for other nodes.
    threshold: Vec<u32>,
    /// Per group: its failover time in seconds.
    failover: Vec<u64>,
    /// `dur` of DESIGN §3 on `likely` values: resume of a function, restore of a lost asset or
    /// vendor, 0 otherwise.
    pub(crate) likely: Vec<u64>,
    /// The three-point estimate behind each non-zero `likely`, for simulation.
    pub(crate) estimate: Vec<Option<Estimate<Duration>>>,
    /// Functions of the plan, in ID order.
    pub(crate) functions: Vec<u32>,
    /// Nodes on or downstream of a cycle (never in the plan), by graph node.
    pub(crate) blocked: Vec<bool>,
    /// Every node's required time (§4.B), by graph node.
    pub(crate) required: Vec<Option<u64>>,
}

fn to_u32(n: usize) -> Option<u32> {
    u32::try_from(n).ok().filter(|n| *n != NO)
}

impl Plan {
    /// Prepares the scenario of losing `lose` on `graph`.
    pub(crate) fn new<S: AsRef<str>>(
        model: &Model,
        graph: &DependencyGraph,
        lose: &[S],
    ) -> Result<Self, ScheduleError> {
        let lost_nodes = graph.lost_by(lose)?;
        let count = graph.node_count();
        let blocked = graph.blocked();
        let is_blocked = |n: NodeIndex| blocked.get(n.index()).copied().unwrap_or(true);
        let all_durations: Vec<u64> = graph.nodes().map(|x| duration(model, graph, x)).collect();
        let (required, _) = required_times(model, graph, &all_durations);

        // The nodes the loss can reach, walking dependents from the lost ones.
        let mut local: Vec<u32> = vec![NO; count];
        let mut nodes: Vec<NodeIndex> = Vec::new();
        let mut is_lost = vec![false; count];
        let mut work: Vec<NodeIndex> = Vec::new();
        for &n in &lost_nodes {
            if let Some(flag) = is_lost.get_mut(n.index()) {
                *flag = true;
            }
            work.push(n);
        }
        while let Some(n) = work.pop() {
            if is_blocked(n) || local.get(n.index()).is_none_or(|l| *l != NO) {
                continue;
            }
            let index = to_u32(nodes.len()).ok_or(ScheduleError::TooLarge(nodes.len()))?;
            if let Some(slot) = local.get_mut(n.index()) {
                *slot = index;
            }
            nodes.push(n);
            work.extend(graph.dependents(n).map(|(d, _)| d));
        }
        // Model order inside the plan, so that everything below is independent of the walk.
        nodes.sort();
        for (i, n) in nodes.iter().enumerate() {
            if let (Some(slot), Some(i)) = (local.get_mut(n.index()), to_u32(i)) {
                *slot = i;
            }
        }
        let m = nodes.len();

        let mut id_rank_global = vec![0u32; count];
        for (rank, n) in graph.by_id().iter().enumerate() {
            if let (Some(slot), Some(rank)) = (id_rank_global.get_mut(n.index()), to_u32(rank)) {
                *slot = rank;
            }
        }

        let mut team_number: std::collections::BTreeMap<&str, u32> = Default::default();
        let mut capacity: Vec<u32> = Vec::new();
        for t in &model.teams {
            if !team_number.contains_key(t.id.as_str()) {
                let number = to_u32(capacity.len()).unwrap_or(NO);
                team_number.insert(t.id.as_str(), number);
                // A team without capacity restores one thing at a time; capacity 0 (a
                // validation error) is read as 1, so that its work is still done.
                capacity.push(t.capacity.unwrap_or(1).max(1));
            }
        }

        let mut plan = Plan {
            kind: Vec::with_capacity(m),
            lost: Vec::with_capacity(m),
            team: Vec::with_capacity(m),
            capacity,
            id_rank: Vec::with_capacity(m),
            by_priority: Vec::new(),
            priority: vec![NO; m],
            dep_start: Vec::with_capacity(m + 1),
            deps: Vec::new(),
            rdep_start: vec![0; m + 1],
            dependents: Vec::new(),
            threshold: Vec::with_capacity(m),
            failover: Vec::with_capacity(m),
            likely: Vec::with_capacity(m),
            estimate: Vec::with_capacity(m),
            functions: Vec::new(),
            blocked,
            required: Vec::new(),
            nodes: Vec::new(),
        };
        let mut required_local: Vec<Option<u64>> = Vec::with_capacity(m);
        let mut rdep_count = vec![0u32; m];
        plan.dep_start.push(0);
        for &n in &nodes {
            let w = graph.weight(n);
            let kind = w.map_or(NodeKind::Asset, |w| w.kind);
            let index = w.map_or(0, |w| w.index);
            let lost = is_lost.get(n.index()).copied().unwrap_or(false);
            let (mut team, mut threshold, mut failover, mut estimate) = (NO, 0u32, 0u64, None);
            match kind {
                NodeKind::Function => {
                    estimate = model.functions.get(index).and_then(|f| f.resume);
                }
                NodeKind::Asset | NodeKind::Group => {
                    if let Some(a) = model.assets.get(index) {
                        if lost {
                            estimate = a.restore;
                            team = a
                                .team
                                .as_ref()
                                .and_then(|t| team_number.get(t.as_str()).copied())
                                .unwrap_or(NO);
                        }
                        if kind == NodeKind::Group {
                            failover = a.failover_time.map_or(0, |d| d.as_secs());
                        }
                    }
                }
                NodeKind::Vendor => {
                    if lost {
                        estimate = model.vendors.get(index).and_then(|v| v.restore);
                    }
                }
            }
            let mut members = 0usize;
            for (dep, edge) in graph.dependencies(n) {
                let member = matches!(edge.origin, EdgeOrigin::Member(_));
                members += usize::from(member);
                let Some(&to) = local.get(dep.index()) else {
                    continue;
                };
                if to == NO {
                    continue;
                }
                plan.deps.push(PlanEdge {
                    to,
                    tolerance: edge.tolerance.as_secs(),
                    member,
                });
                if let Some(c) = rdep_count.get_mut(to as usize) {
                    *c += 1;
                }
            }
            if kind == NodeKind::Group {
                let min_up = model.assets.get(index).map_or(1, |a| a.min_up() as usize);
                threshold = to_u32((members + 1).saturating_sub(min_up).max(1)).unwrap_or(NO);
            }
            let edges = to_u32(plan.deps.len()).ok_or(ScheduleError::TooLarge(plan.deps.len()))?;
            plan.dep_start.push(edges);
            plan.kind.push(kind);
            plan.lost
                .push(lost && matches!(kind, NodeKind::Asset | NodeKind::Vendor));
            plan.team.push(team);
            plan.id_rank
                .push(id_rank_global.get(n.index()).copied().unwrap_or(NO));
            plan.threshold.push(threshold);
            plan.failover.push(failover);
            let dur = match kind {
                NodeKind::Function => estimate.map_or(0, |e| e.likely().as_secs()),
                NodeKind::Asset | NodeKind::Vendor if lost => {
                    estimate.map_or(0, |e| e.likely().as_secs())
                }
                _ => 0,
            };
            plan.likely.push(dur);
            plan.estimate.push(estimate);
            required_local.push(required.get(n.index()).copied().flatten());
        }
        // Dependents as a compressed adjacency.
        for (i, c) in rdep_count.iter().enumerate() {
            let before = plan.rdep_start.get(i).copied().unwrap_or(0);
            if let Some(slot) = plan.rdep_start.get_mut(i + 1) {
                *slot = before + c;
            }
        }
        let mut fill: Vec<u32> = plan.rdep_start.clone();
        plan.dependents = vec![0; plan.deps.len()];
        for from in 0..m {
            let range = plan.dep_range(from);
            for e in plan.deps.get(range).unwrap_or(&[]) {
                if let Some(at) = fill.get_mut(e.to as usize) {
                    if let Some(slot) = plan.dependents.get_mut(*at as usize) {
                        *slot = to_u32(from).unwrap_or(NO);
                    }
                    *at += 1;
                }
            }
        }
        // Restore priority: required time (none last), then ID.
        let mut lost_local: Vec<u32> = (0..m)
            .filter(|&i| plan.lost.get(i).copied().unwrap_or(false))
            .filter_map(to_u32)
            .collect();
        lost_local.sort_by_key(|&i| {
            let required = required_local.get(i as usize).copied().flatten();
            (
                required.is_none(),
                required,
                plan.id_rank.get(i as usize).copied(),
            )
        });
        for (place, &i) in lost_local.iter().enumerate() {
            if let Some(slot) = plan.priority.get_mut(i as usize) {
                *slot = to_u32(place).unwrap_or(NO);
            }
        }
        plan.by_priority = lost_local;
        let mut functions: Vec<u32> = (0..m)
            .filter(|&i| plan.kind.get(i) == Some(&NodeKind::Function))
            .filter_map(to_u32)
            .collect();
        functions.sort_by_key(|&i| plan.id_rank.get(i as usize).copied());
        plan.functions = functions;
        plan.nodes = nodes;
        plan.required = required;
        Ok(plan)
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    fn dep_range(&self, n: usize) -> std::ops::Range<usize> {
        let start = self.dep_start.get(n).copied().unwrap_or(0) as usize;
        let end = self.dep_start.get(n + 1).copied().unwrap_or(0) as usize;
        start..end
    }

    fn dependents_of(&self, n: usize) -> &[u32] {
        let start = self.rdep_start.get(n).copied().unwrap_or(0) as usize;
        let end = self.rdep_start.get(n + 1).copied().unwrap_or(0) as usize;
        self.dependents.get(start..end).unwrap_or(&[])
    }

    fn id_rank(&self, n: u32) -> u32 {
        self.id_rank.get(n as usize).copied().unwrap_or(NO)
    }
}

/// The state of one run of the engine, reused between runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct Run {
    pub(crate) down: Vec<u64>,
    pub(crate) up: Vec<u64>,
    pub(crate) start: Vec<u64>,
    /// The node that decided each node's `up` (critical path), or [`NO`].
    pub(crate) decided: Vec<u32>,
    pub(crate) resolved: Vec<bool>,
    /// Lost nodes in the order their restores started, with the start time.
    pub(crate) started: Vec<(u64, u32)>,
    pending: Vec<u32>,
    ready: Vec<u64>,
    ready_decider: Vec<u32>,
    work: Vec<u32>,
    /// Resolved lost nodes waiting to become ready: (ready time, priority).
    future: BinaryHeap<Reverse<(u64, u32)>>,
    /// Ready lost nodes by priority.
    candidates: BinaryHeap<Reverse<u32>>,
    /// Per team: ready lost nodes set aside while the team is full.
    deferred: Vec<BinaryHeap<Reverse<u32>>>,
    running: Vec<u32>,
    finishing: BinaryHeap<Reverse<(u64, u32)>>,
    freed: Vec<u32>,
    sweep: Vec<(u64, i8, u32)>,
}

impl Run {
    /// Runs the engine on `plan` with `dur` per local node (see [`Plan::likely`]); `unlimited`
    /// ignores team capacities.
    pub(crate) fn execute(&mut self, plan: &Plan, dur: &[u64], unlimited: bool) {
        let m = plan.len();
        self.reset(plan, m);
        for i in 0..m {
            if plan.lost.get(i).copied().unwrap_or(false)
                && self.pending.get(i) == Some(&0)
                && let Some(i) = to_u32(i)
            {
                self.resolve_lost(plan, i);
            }
        }
        self.propagate(plan, dur);
        let mut t = 0u64;
        loop {
            while let Some(&Reverse((finish, team))) = self.finishing.peek() {
                if finish > t {
                    break;
                }
                self.finishing.pop();
                if let Some(r) = self.running.get_mut(team as usize) {
                    *r = r.saturating_sub(1);
                }
                self.freed.push(team);
            }
            while let Some(team) = self.freed.pop() {
                let free = plan
                    .capacity
                    .get(team as usize)
                    .copied()
                    .unwrap_or(1)
                    .saturating_sub(self.running.get(team as usize).copied().unwrap_or(0));
                if let Some(deferred) = self.deferred.get_mut(team as usize) {
                    for _ in 0..free {
                        match deferred.pop() {
                            Some(p) => self.candidates.push(p),
                            None => break,
                        }
                    }
                }
            }
            self.take_ready(t);
            while let Some(Reverse(place)) = self.candidates.pop() {
                let Some(&node) = plan.by_priority.get(place as usize) else {
                    continue;
                };
                let team = plan.team.get(node as usize).copied().unwrap_or(NO);
                let d = dur.get(node as usize).copied().unwrap_or(0);
                if team != NO && !unlimited {
                    let cap = plan.capacity.get(team as usize).copied().unwrap_or(1);
                    let running = self.running.get(team as usize).copied().unwrap_or(0);
                    if running >= cap {
                        if let Some(deferred) = self.deferred.get_mut(team as usize) {
                            deferred.push(Reverse(place));
                        }
                        continue;
                    }
                    // A zero-length restore never occupies the team.
                    if d > 0 {
                        if let Some(r) = self.running.get_mut(team as usize) {
                            *r += 1;
                        }
                        self.finishing.push(Reverse((t.saturating_add(d), team)));
                    }
                }
                self.start_restore(node, t, d);
                self.propagate(plan, dur);
                self.take_ready(t);
            }
            let next_ready = self.future.peek().map(|Reverse((r, _))| *r);
            let next_finish = self.finishing.peek().map(|Reverse((f, _))| *f);
            t = match (next_ready, next_finish) {
                (None, None) => break,
                (Some(a), None) | (None, Some(a)) => a,
                (Some(a), Some(b)) => a.min(b),
            };
        }
    }

    fn reset(&mut self, plan: &Plan, m: usize) {
        for v in [
            &mut self.down,
            &mut self.up,
            &mut self.start,
            &mut self.ready,
        ] {
            v.clear();
            v.resize(m, NONE);
        }
        for v in [&mut self.decided, &mut self.ready_decider] {
            v.clear();
            v.resize(m, NO);
        }
        self.resolved.clear();
        self.resolved.resize(m, false);
        self.pending.clear();
        self.pending
            .extend(plan.dep_start.windows(2).map(|w| match w {
                [a, b] => b - a,
                _ => 0,
            }));
        self.started.clear();
        self.work.clear();
        self.future.clear();
        self.candidates.clear();
        self.deferred
            .resize_with(plan.capacity.len(), BinaryHeap::new);
        for d in &mut self.deferred {
            d.clear();
        }
        self.running.clear();
        self.running.resize(plan.capacity.len(), 0);
        self.finishing.clear();
        self.freed.clear();
    }

    fn take_ready(&mut self, t: u64) {
        while let Some(&Reverse((ready, place))) = self.future.peek() {
            if ready > t {
                break;
            }
            self.future.pop();
            self.candidates.push(Reverse(place));
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
    }

    fn set(&mut self, i: usize, down: u64, up: u64, decider: u32) {
        if let Some(x) = self.down.get_mut(i) {
            *x = down;
        }
        if let Some(x) = self.up.get_mut(i) {
            *x = up;
        }
        if let Some(x) = self.decided.get_mut(i) {
            *x = decider;
        }
        if let Some(x) = self.resolved.get_mut(i) {
            *x = true;
        }
    }

    /// Whether resolved node `n` affects a dependent through an edge of tolerance `t`.
    fn affects(&self, n: u32, tolerance: u64) -> bool {
        let down = self.down.get(n as usize).copied().unwrap_or(NONE);
        let up = self.up.get(n as usize).copied().unwrap_or(NONE);
        down != NONE && (up == NONE || up - down > tolerance)
    }

    /// The latest `up` over the edges that affect `n`, the dependency that has it, and the
    /// earliest `down + T` over them.
    fn affecting(&self, plan: &Plan, n: usize, members_too: bool) -> (u64, u64, u32) {
        let (mut down, mut up, mut decider) = (NONE, 0u64, NO);
        for e in plan.deps.get(plan.dep_range(n)).unwrap_or(&[]) {
            if (e.member && !members_too) || !self.affects(e.to, e.tolerance) {
                continue;
            }
            let d = self.down.get(e.to as usize).copied().unwrap_or(NONE);
            let u = self.up.get(e.to as usize).copied().unwrap_or(NONE);
            down = down.min(d.saturating_add(e.tolerance));
            if decider == NO || u > up || (u == up && plan.id_rank(e.to) < plan.id_rank(decider)) {
                up = u;
                decider = e.to;
            }
        }
        (down, up, decider)
    }

    /// A lost node whose dependencies are all resolved: when its restore may start.
    fn resolve_lost(&mut self, plan: &Plan, node: u32) {
        let i = node as usize;
        let (down, ready, decider) = self.affecting(plan, i, true);
        let ready = if down == NONE { 0 } else { ready };
        if let Some(x) = self.ready.get_mut(i) {
            *x = ready;
        }
        if let Some(x) = self.ready_decider.get_mut(i) {
            *x = decider;
        }
        if ready == NONE {
            // Something it needs never comes back: it cannot be restored.
            self.set(i, 0, NONE, decider);
            self.work.push(node);
        } else {
            let place = plan.priority.get(i).copied().unwrap_or(NO);
            self.future.push(Reverse((ready, place)));
        }
    }

    /// Resolves whatever the nodes on the work list make resolvable.
    fn propagate(&mut self, plan: &Plan, dur: &[u64]) {
        while let Some(n) = self.work.pop() {
            for &d in plan.dependents_of(n as usize) {
                let Some(p) = self.pending.get_mut(d as usize) else {
                    continue;
                };
                *p = p.saturating_sub(1);
                if *p > 0 {
                    continue;
                }
                if plan.lost.get(d as usize).copied().unwrap_or(false) {
                    self.resolve_lost(plan, d);
                } else {
                    self.resolve_other(plan, d, dur);
                    self.work.push(d);
                }
            }
        }
    }

    fn resolve_other(&mut self, plan: &Plan, node: u32, dur: &[u64]) {
        let i = node as usize;
        let (mut down, mut up, mut decider) = self.affecting(plan, i, false);
        if plan.kind.get(i) == Some(&NodeKind::Group) {
            let (gdown, gup, gdecider) = self.group_interval(plan, i);
            if gdown != NONE {
                down = down.min(gdown);
                if decider == NO
                    || gup > up
                    || (gup == up && plan.id_rank(gdecider) < plan.id_rank(decider))
                {
                    up = gup;
                    decider = gdecider;
                }
            }
        }
        if down == NONE {
            if let Some(x) = self.resolved.get_mut(i) {
                *x = true;
            }
            return;
        }
        let up = if up == NONE {
            NONE
        } else {
            up.saturating_add(dur.get(i).copied().unwrap_or(0))
        };
        self.set(i, down, up, decider);
    }

    /// A group's own outage from its members' intervals: down while more than
    /// `len − min_up` members are down (the hull of those times; at one instant members coming
    /// back count before members going down); otherwise, if it lost any member, down for its
    /// failover time from the first loss. Returns (down, up, deciding member).
    fn group_interval(&mut self, plan: &Plan, i: usize) -> (u64, u64, u32) {
        self.sweep.clear();
        let mut first: (u64, u32) = (NONE, NO);
        for e in plan.deps.get(plan.dep_range(i)).unwrap_or(&[]) {
            if !e.member {
                continue;
            }
            let d = self.down.get(e.to as usize).copied().unwrap_or(NONE);
            let u = self.up.get(e.to as usize).copied().unwrap_or(NONE);
            if d == NONE || u == d {
                continue;
            }
            if d < first.0 || (d == first.0 && plan.id_rank(e.to) < plan.id_rank(first.1)) {
                first = (d, e.to);
            }
            self.sweep.push((d, 1, e.to));
            if u != NONE {
                self.sweep.push((u, -1, e.to));
            }
        }
        if first.0 == NONE {
            return (NONE, NONE, NO);
        }
        self.sweep.sort_unstable();
        let k = i64::from(plan.threshold.get(i).copied().unwrap_or(1));
        let (mut count, mut down, mut up) = (0i64, NONE, NONE);
        for &(time, delta, _) in &self.sweep {
            let before = count;
            count += i64::from(delta);
            if before < k && count >= k {
                if down == NONE {
                    down = time;
                }
                up = NONE;
            } else if before >= k && count < k {
                up = time;
            }
        }
        if down != NONE {
            // The member that decided `up`: among those back exactly then (or never back), the
            // smallest ID.
            let decider = self
                .sweep
                .iter()
                .filter(|(_, delta, m)| *delta > 0 && self.up.get(*m as usize).copied() == Some(up))
                .map(|(_, _, m)| *m)
                .min_by_key(|m| plan.id_rank(*m))
                .unwrap_or(NO);
            return (down, up, decider);
        }
        let failover = plan.failover.get(i).copied().unwrap_or(0);
        if failover == 0 {
            return (NONE, NONE, NO);
        }
        (first.0, first.0.saturating_add(failover), first.1)
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

    fn critical_path(&self, f: u32) -> Vec<u32> {
        let mut path = Vec::new();
        let mut n = self.decided.get(f as usize).copied().unwrap_or(NO);
        // A decider is always resolved before what it decides, so the chain cannot loop; the
        // bound is a second guard.
        while n != NO && path.len() <= self.decided.len() {
            path.push(n);
            n = self.decided.get(n as usize).copied().unwrap_or(NO);
        }
        path.reverse();
        path
    }
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
pub fn schedule(model: &Model, params: &ScheduleParams) -> Result<Schedule, ScheduleError> {
    schedule_with_graph(model, &DependencyGraph::new(model), params)
}

/// [`schedule`] on a graph already built from `model`.
///
/// # Errors
/// As [`schedule`].
pub fn schedule_with_graph(
    model: &Model,
    graph: &DependencyGraph,
    params: &ScheduleParams,
) -> Result<Schedule, ScheduleError> {
    let plan = Plan::new(model, graph, &params.lose)?;
    let mut run = Run::default();
    run.execute(&plan, &plan.likely, false);
    let mut free = Run::default();
    free.execute(&plan, &plan.likely, true);
    Ok(build(model, graph, &plan, &run, &free))
}

fn build(model: &Model, graph: &DependencyGraph, plan: &Plan, run: &Run, free: &Run) -> Schedule {
    let mut local: Vec<u32> = vec![NO; graph.node_count()];
    for (i, n) in plan.nodes.iter().enumerate() {
        if let (Some(slot), Some(i)) = (local.get_mut(n.index()), to_u32(i)) {
            *slot = i;
        }
    }
    let local_of = |n: NodeIndex| local.get(n.index()).copied().unwrap_or(NO);
    let required = &plan.required;
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
            (at(&run.down, i), at(&run.start, i), at(&run.up, i))
        };
        if plan.blocked.get(n.index()).copied().unwrap_or(false) {
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
            .filter_map(|i| plan.nodes.get(i as usize))
            .map(|n| graph.id(*n).to_owned())
            .collect()
    };
    let mut functions = Vec::new();
    for &f in &plan.functions {
        if at(&run.down, f).is_none() {
            continue;
        }
        let Some(&node) = plan.nodes.get(f as usize) else {
            continue;
        };
        let Some(function) = graph
            .weight(node)
            .and_then(|w| model.functions.get(w.index))
        else {
            continue;
        };
        let up_at = at(&run.up, f);
        let rto = function.rto.map(|d| d.as_secs());
        let met_with = |up: Option<u64>| rto.map(|r| up.is_some_and(|u| u <= r));
        let met = met_with(up_at);
        let breach = rto.zip(up_at).map(|(r, u)| u.saturating_sub(r));
        let wrt = function.wrt.map_or(0, |d| d.as_secs());
        let mtd_met = function
            .mtd
            .map(|mtd| up_at.is_some_and(|u| u.saturating_add(wrt) <= mtd.as_secs()));
        let unlimited_up = at(&free.up, f);
        let capacity_shortfall = met == Some(false) && met_with(unlimited_up) == Some(true);
        functions.push(FunctionSchedule {
            id: graph.id(node).to_owned(),
            up_at,
            rto,
            met,
            breach,
            mtd_met,
            capacity_shortfall,
            critical_path: ids(run.critical_path(f)),
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
    for &(t, node) in &run.started {
        if t != current {
            flush(current, &mut members, &mut waves);
            current = t;
        }
        if let Some(n) = plan.nodes.get(node as usize) {
            members.push((plan.id_rank(node), graph.id(*n).to_owned()));
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
    let teams: std::collections::HashMap<&str, &str> = model
        .assets
        .iter()
        .filter_map(|a| a.team.as_ref().map(|t| (a.id.as_str(), t.as_str())))
        .collect();
    let mut restores: Vec<GanttBar> = schedule
        .nodes
        .iter()
        .filter_map(|n| {
            let start = n.start?;
            Some(GanttBar {
                id: n.id.clone(),
                team: (n.kind == "asset")
                    .then(|| teams.get(n.id.as_str()).map(|t| (*t).to_owned()))
                    .flatten(),
                start,
                end: n.up_at.unwrap_or(start),
            })
        })
        .collect();
    restores.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    let down: std::collections::HashMap<&str, Option<u64>> = schedule
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.down_at))
        .collect();
    let functions = schedule
        .functions
        .iter()
        .map(|f| GanttFunction {
            id: f.id.clone(),
            down_at: down.get(f.id.as_str()).copied().flatten().unwrap_or(0),
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
