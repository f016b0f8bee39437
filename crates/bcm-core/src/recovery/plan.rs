//! A scenario's plan: what losing some failure units fixes before any duration is known — the
//! nodes the loss can reach (every other node stays up), their edges among themselves, the
//! teams, and the restore order's priorities.
//!
//! Invariant: local node numbers follow ID order (so "the smallest ID" is "the smallest number")
//! and every number stored in a plan's rows is a local node number below `nodes.len()`.

use petgraph::graph::NodeIndex;

use crate::Analyzer;
use crate::graph::{DependencyGraph, NodeKind};
use crate::model::{Duration, Estimate, Model};

use super::bits::{LocalNumbers, bit_set, bit_test, set_bits};
use super::bits::{NO, to_u32};
use super::index::At;
use super::schedule::ScheduleError;
use crate::rows::Rows;

/// A dependency edge inside a [`Plan`], seen from the dependency: who depends on it, and how.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dependent {
    pub(super) node: u32,
    /// Group membership: the group's own rule decides, not the edge.
    pub(super) member: bool,
    pub(super) tolerance: u64,
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
    pub(super) team: Vec<u32>,
    /// Per team: how many restores it runs at once.
    pub(super) capacity: Vec<u32>,
    /// Lost nodes in priority order (required time, none last, then ID); `priority[n]` is the
    /// place of lost node n in it.
    pub(super) by_priority: Vec<u32>,
    pub(super) priority: Vec<u32>,
    /// Per node: the dependencies inside the plan it waits for before it is resolved: all of
    /// them, except that a group does not wait for its members (see [`Run::try_group`]).
    pub(super) dependencies: Vec<u32>,
    /// The core: lost nodes and everything they depend on inside the plan; the engine resolves
    /// it event by event. The rest (the tail) cannot change a restore, so it is resolved after,
    /// in one pass in `tail_order` (dependencies first).
    pub(super) core: Vec<bool>,
    pub(super) tail_order: Vec<u32>,
    /// Dependents inside the core, a row per node.
    pub(super) dependents: Rows<Dependent>,
    /// Dependencies (not members), a row per node in ID order.
    pub(super) deps: Rows<Dependent>,
    /// Group members inside the plan, a row per node.
    pub(super) members: Rows<u32>,
    /// Per group: how many members must be down for it to be down; 0 for other nodes.
    pub(super) threshold: Vec<u32>,
    /// Per group: its failover time in seconds.
    pub(super) failover: Vec<u64>,
    /// `dur` of DESIGN §3 on `likely` values: resume of a function, restore of a lost asset or
    /// vendor, 0 otherwise.
    pub(crate) likely: Vec<u64>,
    /// Each node's place in the graph's topological order (dependencies first): groups waiting
    /// to be tried again are tried in it, so that an inner group is settled before the group
    /// that contains it reads it.
    pub(super) topological: Vec<u32>,
    /// Functions of the plan, in ID order.
    pub(crate) functions: Vec<u32>,
}

/// Ends a row of a plan's adjacency.
pub(super) fn end_row<T>(rows: &mut Rows<T>) -> Result<(), ScheduleError> {
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
            if !layout.blocked.at(r) && !bit_test(&reached, r) {
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
            topological: Vec::with_capacity(m),
            functions: Vec::new(),
        };
        // Edges inside the core: (dependency, its dependent), in dependent order.
        let mut core_edges: Vec<(u32, Dependent)> = Vec::new();
        let mut tail = vec![0u64; count.div_ceil(64)];
        for (i, &r) in plan_ranks.iter().enumerate() {
            let local_n = to_u32(i).unwrap_or(NO);
            let ri = r as usize;
            let in_core = core.at(i);
            let kind = *layout.kind.at_ref(ri);
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
                    tolerance: layout.tolerance.at(j),
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
                bit_set(&mut tail, layout.topological.at(ri));
            }
            let is_group = kind == NodeKind::Group;
            plan.nodes
                .push(layout.node.get(ri).copied().unwrap_or_default());
            plan.dependencies.push(inside);
            plan.topological.push(layout.topological.at(ri));
            plan.kind.push(kind);
            plan.lost.push(lost);
            plan.team.push(if lost { layout.team.at(ri) } else { NO });
            plan.threshold
                .push(if is_group { layout.threshold.at(ri) } else { 0 });
            plan.failover
                .push(if is_group { layout.failover.at(ri) } else { 0 });
            plan.likely.push(if kind == NodeKind::Function || lost {
                layout.likely.at(ri)
            } else {
                0
            });
            if kind == NodeKind::Function {
                plan.functions.push(local_n);
            }
        }
        // Dependents inside the core, each row keeping the dependent order.
        plan.dependents = Rows::grouped(m, core_edges.iter().copied())
            .ok_or(ScheduleError::TooLarge(core_edges.len()))?;
        // A group resolves from what it knows of its members (see [`Run::try_group`]), so it
        // waits only for its own dependencies.
        for g in 0..m {
            if !plan.is_group(g) {
                continue;
            }
            let members = to_u32(g).map_or(0, |g| plan.members_of(g).len());
            let waits = plan.dependencies.at_mut(g);
            *waits = waits.saturating_sub(u32::try_from(members).unwrap_or(u32::MAX));
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
            plan.priority.set(i, to_u32(place).unwrap_or(NO));
        }
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
    /// Whether plan node `n` is a redundancy group.
    #[inline]
    pub(super) fn is_group(&self, n: impl super::index::Index) -> bool {
        let n = n.index();
        debug_assert!(n < self.kind.len(), "plan node {n} of {}", self.kind.len());
        self.kind.get(n) == Some(&NodeKind::Group)
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(super) fn dependents_of(&self, n: u32) -> &[Dependent] {
        self.dependents.row(n)
    }

    pub(super) fn members_of(&self, n: u32) -> &[u32] {
        self.members.row(n)
    }
}
