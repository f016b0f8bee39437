//! Steady-state availability (DESIGN §4.G).
//!
//! An asset or vendor with `reliability` is up with probability `mtbf / (mtbf + mttr)`, anything
//! else always; components fail independently. A function or asset is up when it is and all its
//! hard dependencies are (soft edges do not count); a group when at least `min_up` members are
//! (Poisson-binomial for unequal members). Where the uncertain components below a node are reached
//! along one path each, the children of every node below it are independent and the product and
//! Poisson-binomial formulas are exact (`method: "exact"`). Where some are shared, the node is
//! computed exactly by factoring on the shared ones when there are at most 16 of them (still
//! `"exact"`), and otherwise estimated by seeded Monte Carlo (`"monte-carlo"`), 64 iterations per
//! machine word.
//! Annual expected downtime is `(1 − A) × 365 days`.

use crate::Analyzer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::MAX_ITERATIONS;
use crate::analysis::{by_id, components_dependencies_first};
use crate::graph::{Components, DependencyGraph, EdgeOrigin, NodeKind};
use crate::model::{Model, Reliability};
use crate::threads::Cancel;
use petgraph::graph::NodeIndex;

const YEAR_SECS: f64 = 365.0 * 86_400.0;

/// Parameters of [`availability`]; as JSON `{"iterations": 10000, "seed": 0}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AvailabilityParams {
    /// Monte Carlo iterations for nodes that need them (rounded up to a multiple of 64).
    pub iterations: u32,
    /// The seed: the same seed gives the same estimates.
    pub seed: u64,
}

impl Default for AvailabilityParams {
    fn default() -> Self {
        AvailabilityParams {
            iterations: 10_000,
            seed: 0,
        }
    }
}

/// Why availability cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AvailabilityError {
    /// The caller asked to stop (see [`Cancel`]).
    #[error("cancelled")]
    Cancelled,
    /// More Monte Carlo iterations than [`MAX_ITERATIONS`] in one call.
    #[error("{asked} iterations is more than the {limit} one call runs")]
    TooManyIterations {
        /// The iterations asked for.
        asked: u64,
        /// [`MAX_ITERATIONS`].
        limit: u64,
    },
}

/// How a node's availability was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Method {
    /// By formula: the node's subtree shares no uncertain component.
    #[serde(rename = "exact")]
    Exact,
    /// Estimated by seeded Monte Carlo.
    #[serde(rename = "monte-carlo")]
    MonteCarlo,
}

/// One node's availability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeAvailability {
    /// The node's ID.
    pub id: String,
    /// `function`, `asset`, `group` or `vendor`.
    pub kind: &'static str,
    /// Probability of being up, 0–1.
    pub availability: f64,
    /// How it was obtained.
    pub method: Method,
    /// Expected seconds down per year.
    pub annual_downtime: u64,
}

/// The result of [`availability`]: `{"nodes": [...]}` sorted by ID.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Availability {
    /// Every node.
    pub nodes: Vec<NodeAvailability>,
}

fn own_availability(reliability: Option<&Reliability>) -> f64 {
    match reliability {
        Some(r) => {
            let (mtbf, mttr) = (r.mtbf.as_secs() as f64, r.mttr.as_secs() as f64);
            if mtbf + mttr > 0.0 {
                mtbf / (mtbf + mttr)
            } else {
                1.0
            }
        }
        None => 1.0,
    }
}

/// P(at least `k` of independent events with probabilities `ps`), by dynamic programming.
///
/// Counts whichever side is shorter — events up to `k`, or non-events up to `n − k + 1` —
/// with the last count absorbing ("that many or more"): O(n · min(k, n − k + 1)), so a 1-of-n
/// or n-of-n group of 100,000 members is linear.
fn at_least(ps: &[f64], k: usize) -> f64 {
    let n = ps.len();
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    let (count_events, cap) = if k <= n - k + 1 {
        (true, k)
    } else {
        (false, n - k + 1)
    };
    // dist[j] = P(exactly j counted so far) for j < cap; dist[cap] = P(cap or more).
    let mut dist = vec![0.0; cap + 1];
    if let Some(first) = dist.first_mut() {
        *first = 1.0;
    }
    for &p in ps {
        let q = if count_events { p } else { 1.0 - p };
        // From the top down, so that each step reads the previous member's values.
        for j in (0..=cap).rev() {
            let below = if j > 0 {
                dist.get(j - 1).copied().unwrap_or(0.0)
            } else {
                0.0
            };
            if let Some(slot) = dist.get_mut(j) {
                let stay = if j == cap { *slot } else { *slot * (1.0 - q) };
                *slot = stay + below * q;
            }
        }
    }
    let reached = dist.get(cap).copied().unwrap_or(0.0);
    let p = if count_events { reached } else { 1.0 - reached };
    p.clamp(0.0, 1.0)
}

/// The hard dependencies of a node: (member edges, other hard edges).
fn hard_children(graph: &DependencyGraph, node: NodeIndex) -> (Vec<NodeIndex>, Vec<NodeIndex>) {
    let mut members = Vec::new();
    let mut deps = Vec::new();
    for (dep, edge) in graph.dependencies(node) {
        match edge.origin {
            EdgeOrigin::Member(_) => members.push(dep),
            EdgeOrigin::DependsOn(_) if edge.is_hard() => deps.push(dep),
            EdgeOrigin::DependsOn(_) => {}
        }
    }
    (members, deps)
}

/// Computes every node's availability (DESIGN §4.G).
///
/// Complexity: O(nodes + edges) for the exact part (plus the sizes of the sets of uncertain
/// components below each node, to detect sharing); the Monte Carlo part, only when some node
/// needs it, O((nodes + edges) × iterations / 64).
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::availability::{availability, AvailabilityParams, Method};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: f, depends_on: [pair]}]\n\
///      assets:\n\
///      - {id: pair, kind: group, members: [a, b]}\n\
///      - {id: a, kind: infrastructure, reliability: {mtbf: 99h, mttr: 1h}}\n\
///      - {id: b, kind: infrastructure, reliability: {mtbf: 99h, mttr: 1h}}\n",
/// )?;
/// let r = availability(&m, &AvailabilityParams::default())?;
/// let f = r.nodes.iter().find(|n| n.id == "f").unwrap();
/// assert!((f.availability - (1.0 - 0.01 * 0.01)).abs() < 1e-12); // 1 − both down
/// assert_eq!(f.method, Method::Exact);
/// assert_eq!(f.annual_downtime, 3154); // 0.0001 × 365 days, rounded
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// To run several analyses on one model, use an [`Analyzer`], which builds the graph once.
///
/// # Errors
/// [`AvailabilityError::TooManyIterations`] above [`MAX_ITERATIONS`].
pub fn availability(
    model: &Model,
    params: &AvailabilityParams,
) -> Result<Availability, AvailabilityError> {
    Analyzer::borrowed(model).availability(params)
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &AvailabilityParams,
) -> Result<Availability, AvailabilityError> {
    if u64::from(params.iterations) > MAX_ITERATIONS {
        return Err(AvailabilityError::TooManyIterations {
            asked: u64::from(params.iterations),
            limit: MAX_ITERATIONS,
        });
    }
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let n = graph.node_count();
    let own: Vec<f64> = graph
        .nodes()
        .map(|node| match graph.weight(node) {
            Some(w) if w.kind == NodeKind::Asset => own_availability(
                model
                    .assets
                    .get(w.index)
                    .and_then(|a| a.reliability.as_ref()),
            ),
            Some(w) if w.kind == NodeKind::Vendor => own_availability(
                model
                    .vendors
                    .get(w.index)
                    .and_then(|v| v.reliability.as_ref()),
            ),
            _ => 1.0,
        })
        .collect();
    let min_up: Vec<usize> = graph
        .nodes()
        .map(|node| match graph.weight(node) {
            Some(w) if w.kind == NodeKind::Group => {
                model.assets.get(w.index).map_or(1, |a| a.min_up() as usize)
            }
            _ => 0,
        })
        .collect();

    // Uncertain components below each node (sorted), and whether the formula is exact there.
    let mut below: Vec<Vec<u32>> = vec![Vec::new(); n];
    let mut exact = vec![true; n];
    let mut value = vec![1.0f64; n];
    let components = components_dependencies_first(graph);
    for component in components {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|c| graph.dependencies(*c).any(|(d, _)| d == *c));
        for &node in component {
            let i = node.index();
            let (members, deps) = hard_children(graph, node);
            let mut sets: Vec<u32> = Vec::new();
            let mut total = 0usize;
            let mut children_exact = !cyclic;
            for child in members.iter().chain(&deps) {
                let set = below.get(child.index()).map_or(&[][..], Vec::as_slice);
                total += set.len();
                sets.extend_from_slice(set);
                children_exact &= exact.get(child.index()).copied().unwrap_or(false);
            }
            if own.get(i).is_some_and(|p| *p < 1.0) {
                sets.push(u32::try_from(i).unwrap_or(u32::MAX));
                total += 1;
            }
            sets.sort_unstable();
            sets.dedup();
            let independent = sets.len() == total && children_exact;
            let p_children: f64 = deps
                .iter()
                .map(|d| value.get(d.index()).copied().unwrap_or(1.0))
                .product();
            let p_members = if min_up.get(i).copied().unwrap_or(0) > 0 {
                let ps: Vec<f64> = members
                    .iter()
                    .map(|m| value.get(m.index()).copied().unwrap_or(1.0))
                    .collect();
                at_least(&ps, min_up.get(i).copied().unwrap_or(1))
            } else {
                1.0
            };
            if let Some(slot) = value.get_mut(i) {
                *slot = own.get(i).copied().unwrap_or(1.0) * p_children * p_members;
            }
            if let Some(slot) = exact.get_mut(i) {
                *slot = independent;
            }
            if let Some(slot) = below.get_mut(i) {
                *slot = sets;
            }
        }
    }

    // Shared components: factor on them where that stays cheap (exact), else simulate.
    let mut position = vec![usize::MAX; n];
    let mut cyclic = vec![false; n];
    for (k, component) in components.iter().enumerate() {
        let is_cycle = component.len() > 1
            || component
                .first()
                .is_some_and(|c| graph.dependencies(*c).any(|(d, _)| d == *c));
        for node in component {
            if let Some(slot) = position.get_mut(node.index()) {
                *slot = k;
            }
            if let Some(slot) = cyclic.get_mut(node.index()) {
                *slot = is_cycle;
            }
        }
    }
    let mut simulate = false;
    for node in graph.nodes() {
        let i = node.index();
        if exact.get(i).copied().unwrap_or(true) {
            continue;
        }
        match factored(graph, node, &own, &min_up, &position, &cyclic) {
            Some(a) => {
                if let Some(slot) = value.get_mut(i) {
                    *slot = a;
                }
                if let Some(slot) = exact.get_mut(i) {
                    *slot = true;
                }
            }
            None => simulate = true,
        }
    }
    if simulate {
        let cancel = analyzer.cancel();
        let Some(estimates) = monte_carlo(graph, components, &own, &min_up, params, cancel) else {
            cancel.reset();
            return Err(AvailabilityError::Cancelled);
        };
        for (i, estimate) in estimates.into_iter().enumerate() {
            if !exact.get(i).copied().unwrap_or(true)
                && let Some(slot) = value.get_mut(i)
            {
                *slot = estimate;
            }
        }
    }

    let nodes = by_id(graph)
        .into_iter()
        .map(|node| {
            let a = value.get(node.index()).copied().unwrap_or(1.0);
            NodeAvailability {
                id: graph.id(node).to_owned(),
                kind: graph.weight(node).map_or("asset", |w| w.kind.as_str()),
                availability: a,
                method: if exact.get(node.index()).copied().unwrap_or(true) {
                    Method::Exact
                } else {
                    Method::MonteCarlo
                },
                annual_downtime: ((1.0 - a) * YEAR_SECS).round().max(0.0) as u64,
            }
        })
        .collect();
    Ok(Availability { nodes })
}

/// The most shared components [`factored`] conditions on (2^16 evaluations of the subgraph).
const MAX_FACTORED: usize = 16;

/// Exact availability of `root` by factoring: condition on every uncertain component at or below
/// a node that the root's hard subgraph reaches along two paths; once those are fixed, every
/// remaining uncertain component is on one path only, so siblings are independent and the product
/// and Poisson-binomial formulas are exact under each condition. `None` when there are more than
/// [`MAX_FACTORED`] such components or the subgraph has a cycle.
fn factored(
    graph: &DependencyGraph,
    root: NodeIndex,
    own: &[f64],
    min_up: &[usize],
    position: &[usize],
    cyclic: &[bool],
) -> Option<f64> {
    // The hard subgraph below the root, and how many of its edges reach each node.
    let mut nodes = vec![root];
    let mut parents: std::collections::HashMap<NodeIndex, usize> = std::collections::HashMap::new();
    let mut k = 0;
    while let Some(&node) = nodes.get(k) {
        k += 1;
        if cyclic.get(node.index()).copied().unwrap_or(true) {
            return None;
        }
        let (members, deps) = hard_children(graph, node);
        for child in members.into_iter().chain(deps) {
            let count = parents.entry(child).or_insert(0);
            *count += 1;
            if *count == 1 {
                nodes.push(child);
            }
        }
    }
    // Uncertain components at or below a merge point (a node with two parents in the subgraph).
    let mut shared: Vec<NodeIndex> = Vec::new();
    let mut below_merge: std::collections::HashSet<NodeIndex> = std::collections::HashSet::new();
    let mut work: Vec<NodeIndex> = parents
        .iter()
        .filter(|(_, c)| **c >= 2)
        .map(|(n, _)| *n)
        .collect();
    while let Some(node) = work.pop() {
        if !below_merge.insert(node) {
            continue;
        }
        if own.get(node.index()).is_some_and(|p| *p < 1.0) {
            shared.push(node);
        }
        let (members, deps) = hard_children(graph, node);
        work.extend(members.into_iter().chain(deps));
    }
    if shared.len() > MAX_FACTORED {
        return None;
    }
    shared.sort();
    // Evaluate dependencies first under each condition.
    nodes.sort_by_key(|n| std::cmp::Reverse(position.get(n.index()).copied().unwrap_or(0)));
    nodes.reverse();
    let mut total = 0.0;
    let mut value: std::collections::HashMap<NodeIndex, f64> = std::collections::HashMap::new();
    for state in 0u32..(1u32 << shared.len()) {
        let mut weight = 1.0;
        for (bit, node) in shared.iter().enumerate() {
            let p = own.get(node.index()).copied().unwrap_or(1.0);
            weight *= if state >> bit & 1 == 1 { p } else { 1.0 - p };
        }
        if weight == 0.0 {
            continue;
        }
        value.clear();
        for &node in &nodes {
            let i = node.index();
            let mut p = match shared.iter().position(|s| *s == node) {
                Some(bit) => f64::from(state >> bit & 1),
                None => own.get(i).copied().unwrap_or(1.0),
            };
            let (members, deps) = hard_children(graph, node);
            for dep in deps {
                p *= value.get(&dep).copied().unwrap_or(1.0);
            }
            let k = min_up.get(i).copied().unwrap_or(0);
            if k > 0 {
                let ps: Vec<f64> = members
                    .iter()
                    .map(|m| value.get(m).copied().unwrap_or(1.0))
                    .collect();
                p *= at_least(&ps, k);
            }
            value.insert(node, p);
        }
        total += weight * value.get(&root).copied().unwrap_or(1.0);
    }
    Some(total.clamp(0.0, 1.0))
}

/// Iterations a Monte Carlo pass keeps in memory at once, in 64-bit words per node: memory is
/// `nodes × BLOCK_WORDS × 8` bytes (26 MB on a 52,000-node estate) whatever the iteration count.
const BLOCK_WORDS: usize = 64;

/// Estimates every node's availability by simulation, 64 iterations per `u64` word: bit `b` of
/// word `w` is whether the node is up in iteration `64w + b`. Each uncertain component draws from
/// its own ChaCha stream (seed, node), so results do not depend on evaluation order; the words are
/// computed [`BLOCK_WORDS`] at a time, each stream carrying on from one block to the next, so the
/// block size changes memory, never the estimates.
fn monte_carlo(
    graph: &DependencyGraph,
    components: &Components,
    own: &[f64],
    min_up: &[usize],
    params: &AvailabilityParams,
    cancel: &Cancel,
) -> Option<Vec<f64>> {
    monte_carlo_in_blocks(graph, components, own, min_up, params, BLOCK_WORDS, cancel)
}

fn monte_carlo_in_blocks(
    graph: &DependencyGraph,
    components: &Components,
    own: &[f64],
    min_up: &[usize],
    params: &AvailabilityParams,
    block_words: usize,
    cancel: &Cancel,
) -> Option<Vec<f64>> {
    let total_words = (params.iterations.max(1) as usize).div_ceil(64);
    let n = graph.node_count();
    // Per node: its state in the current block, the block it was computed in (a node of a cycle
    // not computed yet in this block counts as up), its random stream, and its up count so far.
    let mut up: Vec<Vec<u64>> = vec![Vec::new(); n];
    let mut computed_in: Vec<usize> = vec![usize::MAX; n];
    let mut streams: Vec<Option<ChaCha8Rng>> = vec![None; n];
    let mut ones: Vec<u64> = vec![0; n];
    let mut block = 0usize;
    let mut done = 0usize;
    while done < total_words {
        if crate::threads::poll_here(cancel) {
            return None;
        }
        let words = block_words.max(1).min(total_words - done);
        for component in components {
            // A cycle has no causal order: take its nodes as up from everything outside it, once
            // around (availability is not defined further; validation reports the cycle).
            for &node in component {
                let i = node.index();
                let mut state = std::mem::take(up.get_mut(i).unwrap_or(&mut Vec::new()));
                state.clear();
                state.resize(words, u64::MAX);
                let p = own.get(i).copied().unwrap_or(1.0);
                if p < 1.0
                    && let Some(slot) = streams.get_mut(i)
                {
                    let rng = slot.get_or_insert_with(|| {
                        let mut rng = ChaCha8Rng::seed_from_u64(params.seed);
                        rng.set_stream(i as u64);
                        rng
                    });
                    for word in state.iter_mut() {
                        let mut bits = 0u64;
                        for b in 0..64 {
                            if rng.random::<f64>() < p {
                                bits |= 1 << b;
                            }
                        }
                        *word = bits;
                    }
                }
                let ready = |m: NodeIndex| computed_in.get(m.index()) == Some(&block);
                let (members, deps) = hard_children(graph, node);
                for dep in deps.into_iter().filter(|d| ready(*d)) {
                    if let Some(d) = up.get(dep.index()) {
                        for (s, x) in state.iter_mut().zip(d) {
                            *s &= x;
                        }
                    }
                }
                let k = min_up.get(i).copied().unwrap_or(0);
                if k > 0 {
                    let member_states: Vec<&Vec<u64>> = members
                        .iter()
                        .filter(|m| ready(**m))
                        .filter_map(|m| up.get(m.index()))
                        .collect();
                    for (w, s) in state.iter_mut().enumerate() {
                        let mut enough = 0u64;
                        for b in 0..64 {
                            let count = member_states
                                .iter()
                                .filter(|m| m.get(w).is_some_and(|x| x >> b & 1 == 1))
                                .count();
                            if count >= k {
                                enough |= 1 << b;
                            }
                        }
                        *s &= enough;
                    }
                }
                if let Some(count) = ones.get_mut(i) {
                    *count += state.iter().map(|w| u64::from(w.count_ones())).sum::<u64>();
                }
                if let Some(slot) = computed_in.get_mut(i) {
                    *slot = block;
                }
                if let Some(slot) = up.get_mut(i) {
                    *slot = state;
                }
            }
        }
        done += words;
        block += 1;
    }
    let total = (total_words * 64) as f64;
    Some(ones.iter().map(|&count| count as f64 / total).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_binomial_by_hand() {
        // Two of three with 0.9, 0.8, 0.5: P(≥2) = 0.9·0.8·0.5 + 0.9·0.8·0.5 + 0.9·0.2·0.5 + 0.1·0.8·0.5
        //                                        (all)        (a,b not c)   (a,c not b)   (b,c not a)
        let expected = 0.36 + 0.36 + 0.09 + 0.04;
        assert!((at_least(&[0.9, 0.8, 0.5], 2) - expected).abs() < 1e-12);
        assert!((at_least(&[0.9, 0.8], 0) - 1.0).abs() < 1e-12);
        assert!((at_least(&[0.9, 0.8], 2) - 0.72).abs() < 1e-12);
        assert_eq!(at_least(&[0.9], 2), 0.0);
    }

    #[test]
    fn at_least_agrees_with_every_outcome_enumerated() {
        let ps = [0.9, 0.8, 0.5, 0.99, 0.3, 0.75, 0.6];
        let n = ps.len();
        for k in 0..=n + 1 {
            let mut want = 0.0;
            for outcome in 0u32..(1 << n) {
                if (outcome.count_ones() as usize) < k {
                    continue;
                }
                want += ps
                    .iter()
                    .enumerate()
                    .map(|(i, p)| if outcome & (1 << i) != 0 { *p } else { 1.0 - p })
                    .product::<f64>();
            }
            let got = at_least(&ps, k);
            assert!((got - want).abs() < 1e-12, "k = {k}: {got} against {want}");
        }
    }

    #[test]
    fn shared_components_are_factored_and_simulation_agrees() {
        // f needs a and b; both need the same host h (shared): P(f) = P(h)·P(a)·P(b) exactly,
        // but the formula would count h twice. The estimate must be near 0.9·0.95·0.95.
        let m = Model::from_yaml_str(
            "bcm: 1\norganization: {name: x}\n\
             functions: [{id: f, depends_on: [a, b]}]\n\
             assets:\n\
             - {id: a, kind: application, depends_on: [h], reliability: {mtbf: 95h, mttr: 5h}}\n\
             - {id: b, kind: application, depends_on: [h], reliability: {mtbf: 95h, mttr: 5h}}\n\
             - {id: h, kind: infrastructure, reliability: {mtbf: 90h, mttr: 10h}}\n",
        )
        .unwrap();
        let params = AvailabilityParams {
            iterations: 64_000,
            seed: 7,
        };
        let r = availability(&m, &params).unwrap();
        let f = r.nodes.iter().find(|n| n.id == "f").unwrap();
        // One shared component: factoring on h is exact.
        assert_eq!(f.method, Method::Exact);
        let truth = 0.9 * 0.95 * 0.95;
        assert!(
            (f.availability - truth).abs() < 1e-12,
            "{} vs {truth}",
            f.availability
        );
        // The simulation agrees. Node order: f, a, b, h.
        let g = DependencyGraph::new(&m);
        let mc = monte_carlo(
            &g,
            components_dependencies_first(&g),
            &[1.0, 0.95, 0.95, 0.9],
            &[0, 0, 0, 0],
            &params,
            &Cancel::new(),
        )
        .unwrap();
        assert!(
            (mc[0] - truth).abs() < 0.01,
            "simulated {} vs {truth}",
            mc[0]
        );
        let a = r.nodes.iter().find(|n| n.id == "a").unwrap();
        assert_eq!(a.method, Method::Exact);
        assert!((a.availability - 0.9 * 0.95).abs() < 1e-12);
        assert_eq!(
            availability(&m, &params).unwrap(),
            r,
            "same seed, same estimates"
        );
        // Computed a block of 64 iterations at a time or all at once, the same estimates.
        for block_words in [1, 3, 1000, 1 << 20] {
            let blocks = monte_carlo_in_blocks(
                &g,
                components_dependencies_first(&g),
                &[1.0, 0.95, 0.95, 0.9],
                &[0, 0, 0, 0],
                &params,
                block_words,
                &Cancel::new(),
            )
            .unwrap();
            assert_eq!(blocks, mc, "blocks of {block_words} words");
        }
        // A count above the limit is refused before any work (it used to allocate a word per
        // 64 iterations per node: 3.2 GB for 10^9 iterations on the agency's 78 nodes).
        let too_many = AvailabilityParams {
            iterations: u32::MAX,
            seed: 7,
        };
        assert_eq!(
            availability(&m, &too_many),
            Err(AvailabilityError::TooManyIterations {
                asked: u64::from(u32::MAX),
                limit: MAX_ITERATIONS
            })
        );
    }
}
