//! Minimal cut sets of order 2 (DESIGN §4.D): the pairs of failure units that together, and
//! neither alone, take a function down for good — both members of a 1-of-2 group, two sites, a
//! vendor and the site of the other path.
//!
//! Why only some pairs are tried: without redundancy groups a node goes down as soon as one hard
//! dependency does, so if neither `u` nor `v` alone takes the function down, their union can
//! only do it through a group that neither brings down alone but both damage — the first group
//! to fall when both are lost has members down from `u` and from `v` (anything else down then is
//! down from one of them alone). So the pairs tried are those of units that both damage one
//! group of the function's hard closure; each is checked by propagating the loss of both, as the
//! single points of failure are defined (hard edges only, k-of-n groups exact, cycles by least
//! fixpoint). Exact, property-tested against every pair of units.

use petgraph::graph::NodeIndex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

use crate::Analyzer;
use crate::analysis::group_thresholds;
use crate::graph::{NodeKind, UnitKind};

/// The most pairs one call checks; a function whose groups admit more is an error naming the
/// count (before any pair is checked).
pub const MAX_PAIRS: usize = 4_000_000;

/// The order-2 minimal cut sets of one function.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CutPairs {
    /// The function.
    pub function: String,
    /// Its single points of failure (the order-1 cut sets), sorted.
    pub spofs: Vec<String>,
    /// The pairs, each sorted, in order.
    pub pairs: Vec<(String, String)>,
}

/// Why pairs cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CutSetError {
    /// No function has that ID.
    #[error("there is no function '{0}'")]
    UnknownFunction(String),
    /// The function's groups admit more pairs than one call checks.
    #[error(
        "function '{function}' has {pairs} pairs of units that share a redundancy group, more \
         than the {limit} one call checks"
    )]
    TooManyPairs {
        /// The function.
        function: String,
        /// The pairs to check.
        pairs: usize,
        /// [`MAX_PAIRS`].
        limit: usize,
    },
}

/// The hard closure of a function, renumbered: what the propagation walks.
struct Closure {
    nodes: Vec<NodeIndex>,
    /// Per local node, its dependents inside the closure (local), hard edges only, each with
    /// whether the edge is a group's membership (which counts toward the group's threshold; any
    /// other hard edge of a group takes it down at once).
    dependents: Vec<Vec<(u32, bool)>>,
    /// Per local node, its threshold if it is a group (members down for it to be down), else 0.
    threshold: Vec<usize>,
    /// The function's local index.
    root: u32,
}

impl Closure {
    fn new(analyzer: &Analyzer<'_>, root: NodeIndex) -> Self {
        let graph = analyzer.graph();
        let mut local: FxHashMap<NodeIndex, u32> = FxHashMap::default();
        let mut nodes = vec![root];
        local.insert(root, 0);
        let mut next = 0;
        while let Some(&n) = nodes.get(next) {
            next += 1;
            for (m, e) in graph.dependencies(n) {
                if e.is_hard() && !local.contains_key(&m) {
                    local.insert(m, nodes.len() as u32);
                    nodes.push(m);
                }
            }
        }
        let thresholds = group_thresholds(analyzer.model(), graph);
        let mut dependents = vec![Vec::new(); nodes.len()];
        for (i, &n) in nodes.iter().enumerate() {
            for (m, e) in graph.dependencies(n) {
                if let (true, Some(&j)) = (e.is_hard(), local.get(&m))
                    && let Some(list) = dependents.get_mut(j as usize)
                {
                    let member = matches!(e.origin, crate::graph::EdgeOrigin::Member(_));
                    list.push((i as u32, member));
                }
            }
        }
        let threshold = nodes
            .iter()
            .map(|n| thresholds.get(n.index()).copied().unwrap_or(0))
            .collect();
        Closure {
            nodes,
            dependents,
            threshold,
            root: 0,
        }
    }
}

/// Propagates losses through a closure: which nodes go down for good, and which groups are hit.
struct Propagation {
    down: Vec<bool>,
    hits: Vec<usize>,
    touched: Vec<u32>,
    queue: Vec<u32>,
}

impl Propagation {
    fn new(size: usize) -> Self {
        Propagation {
            down: vec![false; size],
            hits: vec![0; size],
            touched: Vec::new(),
            queue: Vec::new(),
        }
    }

    fn reset(&mut self) {
        for &i in &self.touched {
            if let Some(d) = self.down.get_mut(i as usize) {
                *d = false;
            }
            if let Some(h) = self.hits.get_mut(i as usize) {
                *h = 0;
            }
        }
        self.touched.clear();
        self.queue.clear();
    }

    fn fall(&mut self, i: u32) {
        if let Some(d) = self.down.get_mut(i as usize)
            && !*d
        {
            *d = true;
            self.touched.push(i);
            self.queue.push(i);
        }
    }

    /// Loses `lost` (local nodes) on top of what is down; true when the root is down.
    fn lose(&mut self, closure: &Closure, lost: &[u32]) -> bool {
        for &i in lost {
            self.fall(i);
        }
        while let Some(i) = self.queue.pop() {
            let Some(up) = closure.dependents.get(i as usize) else {
                continue;
            };
            for &(d, member) in up {
                let threshold = closure.threshold.get(d as usize).copied().unwrap_or(0);
                if threshold == 0 || !member {
                    self.fall(d);
                } else if let Some(h) = self.hits.get_mut(d as usize) {
                    if *h == 0 {
                        self.touched.push(d);
                    }
                    *h += 1;
                    if *h >= threshold {
                        self.fall(d);
                    }
                }
            }
        }
        self.down
            .get(closure.root as usize)
            .copied()
            .unwrap_or(false)
    }

    /// The groups with some member down and not down themselves.
    fn damaged_groups(&self, closure: &Closure) -> Vec<u32> {
        let mut groups: Vec<u32> = self
            .touched
            .iter()
            .copied()
            .filter(|&i| {
                closure.threshold.get(i as usize).copied().unwrap_or(0) > 0
                    && self.hits.get(i as usize).copied().unwrap_or(0) > 0
                    && !self.down.get(i as usize).copied().unwrap_or(false)
            })
            .collect();
        groups.sort_unstable();
        groups.dedup();
        groups
    }
}

/// The order-2 minimal cut sets of `function` (with its single points of failure).
///
/// Complexity: one propagation through the function's hard closure per candidate unit, then one
/// per pair of units that damage a common group (at most [`MAX_PAIRS`]).
///
/// # Errors
/// [`CutSetError::UnknownFunction`]; [`CutSetError::TooManyPairs`] above [`MAX_PAIRS`].
pub(crate) fn compute(analyzer: &Analyzer<'_>, function: &str) -> Result<CutPairs, CutSetError> {
    let graph = analyzer.graph();
    let root = graph
        .node(function)
        .filter(|n| {
            graph
                .weight(*n)
                .is_some_and(|w| w.kind == NodeKind::Function)
        })
        .ok_or_else(|| CutSetError::UnknownFunction(function.to_owned()))?;
    let closure = Closure::new(analyzer, root);
    let local: FxHashMap<NodeIndex, u32> = closure
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i as u32))
        .collect();
    // The candidate units (assets, sites, vendors; ID order) with what they lose in the closure.
    let units: Vec<(String, Vec<u32>)> = graph
        .failure_units_of(|kind| kind != UnitKind::Group)
        .into_iter()
        .filter_map(|u| {
            let lost: Vec<u32> = u
                .lost
                .iter()
                .filter_map(|n| local.get(n).copied())
                .collect();
            (!lost.is_empty()).then(|| (u.id.to_string(), lost))
        })
        .collect();
    let mut propagation = Propagation::new(closure.nodes.len());
    let mut spofs = Vec::new();
    // Per group, the non-SPOF units that damage it.
    let mut by_group: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for (u, (id, lost)) in units.iter().enumerate() {
        if propagation.lose(&closure, lost) {
            spofs.push(id.clone());
        } else {
            for g in propagation.damaged_groups(&closure) {
                by_group.entry(g).or_default().push(u as u32);
            }
        }
        propagation.reset();
    }
    let mut groups: Vec<(&u32, &Vec<u32>)> = by_group.iter().collect();
    groups.sort_unstable_by_key(|(g, _)| **g);
    let bound: usize = groups
        .iter()
        .map(|(_, list)| list.len() * list.len().saturating_sub(1) / 2)
        .fold(0usize, usize::saturating_add);
    if bound > MAX_PAIRS {
        return Err(CutSetError::TooManyPairs {
            function: function.to_owned(),
            pairs: bound,
            limit: MAX_PAIRS,
        });
    }
    let mut tried: FxHashSet<(u32, u32)> = FxHashSet::default();
    let mut pairs = Vec::new();
    for (_, list) in groups {
        for (i, &a) in list.iter().enumerate() {
            for &b in list.iter().skip(i + 1) {
                let key = (a.min(b), a.max(b));
                if !tried.insert(key) {
                    continue;
                }
                let (Some(ua), Some(ub)) = (units.get(key.0 as usize), units.get(key.1 as usize))
                else {
                    continue;
                };
                // Neither takes the root down alone (no SPOF is a candidate): lose both.
                propagation.lose(&closure, &ua.1);
                let down = propagation.lose(&closure, &ub.1);
                propagation.reset();
                if down {
                    pairs.push((ua.0.clone(), ub.0.clone()));
                }
            }
        }
    }
    pairs.sort_unstable();
    Ok(CutPairs {
        function: function.to_owned(),
        spofs,
        pairs,
    })
}
