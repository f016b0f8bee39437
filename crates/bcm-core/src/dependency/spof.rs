//! Single points of failure and failover coverage (DESIGN §4.D).
//!
//! For every function, the failure units whose loss alone takes it down for good, over hard edges
//! only (T = 0), k-of-n groups counted exactly (a group's `failover_time` does not make a SPOF);
//! for every unit, the functions it takes down; and the failover coverage of SCF BCD-12.2.
//!
//! The candidate units are assets, sites and vendors. A redundancy group is not a *single* point:
//! losing one "as a unit" loses all its members at once, which would make every group a SPOF of
//! everything behind it and leave no critical function covered; the common causes that can take
//! all members at once are the sites and vendors, which are candidates. (Scenarios can still
//! lose a whole group: see [`crate::impact`].)
//!
//! One bottom-up pass instead of one propagation per unit: with `S(n)` the units whose loss alone
//! takes `n` down and `D(n)` the units that lose `n` directly,
//! `S(n) = D(n) ∪ ⋃ S(m)` over hard dependencies `m`, and for a group
//! `S(g) = {u : u ∈ S(member) for at least len − min_up + 1 members} ∪ ⋃ S(hard dependency)`.
//! Loss propagation is monotone, so this is exact on a DAG; a cyclic component is iterated to its
//! least fixpoint.

use crate::Analyzer;
use serde::Serialize;

use crate::analysis::{components_dependencies_first, functions_by_id, group_thresholds};
use crate::graph::{DependencyGraph, EdgeOrigin, NodeKind, UnitKind};
use crate::model::{Criticality, FailoverMode, Model};
use petgraph::graph::NodeIndex;

/// A function's single points of failure (a view into [`Spof`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionSpofs<'a> {
    /// The function's ID.
    pub id: &'a str,
    /// The units whose loss alone takes it down, sorted by ID.
    pub spofs: Vec<&'a str>,
}

/// What a failure unit takes down (a view into [`Spof`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitBlast<'a> {
    /// The unit's ID.
    pub id: &'a str,
    /// The functions its loss alone takes down, sorted by ID.
    pub takes_down: Vec<&'a str>,
}

/// Failover coverage of critical functions (SCF BCD-12.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Critical functions.
    pub critical: usize,
    /// Critical functions without a single point of failure.
    pub without_spof: usize,
    /// Of those, the ones whose every redundancy group on a hard dependency path fails over in
    /// real time or near real time.
    pub with_realtime_failover: usize,
}

/// The result of [`spof`]. Serialises as `{"functions": [{id, spofs}], "units": [{id,
/// takes_down}], "coverage": {...}}`. A large estate has tens of millions of pairs, so they are
/// held as two bit matrices (function × unit and its transpose, an eighth of a byte a pair) and
/// written out only when serialised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spof {
    function_ids: Vec<String>,
    unit_ids: Vec<String>,
    /// Row per function (sorted by ID), bit per unit.
    by_function: BitMatrix,
    /// Row per unit (sorted by ID), bit per function.
    by_unit: BitMatrix,
    critical: Vec<bool>,
    /// Failover coverage.
    pub coverage: Coverage,
}

/// Rows of bits.
#[derive(Debug, Clone, PartialEq, Eq)]
struct BitMatrix {
    words: usize,
    bits: Vec<u64>,
}

impl BitMatrix {
    fn new(rows: usize, columns: usize) -> Self {
        let words = columns.div_ceil(64);
        BitMatrix {
            words,
            bits: vec![0; rows * words],
        }
    }

    fn row(&self, r: usize) -> &[u64] {
        self.bits
            .get(r * self.words..(r + 1) * self.words)
            .unwrap_or(&[])
    }

    fn row_mut(&mut self, r: usize) -> &mut [u64] {
        self.bits
            .get_mut(r * self.words..(r + 1) * self.words)
            .unwrap_or(&mut [])
    }

    fn set(&mut self, r: usize, c: usize) {
        if let Some(word) = self.bits.get_mut(r * self.words + c / 64) {
            *word |= 1 << (c % 64);
        }
    }

    /// The set columns of row `r`, ascending.
    fn ones(&self, r: usize) -> impl Iterator<Item = usize> + '_ {
        self.row(r).iter().enumerate().flat_map(|(w, &word)| {
            let mut bits = word;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let b = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    w * 64 + b
                })
            })
        })
    }

    fn count(&self, r: usize) -> usize {
        self.row(r).iter().map(|w| w.count_ones() as usize).sum()
    }
}

fn names<'a>(matrix: &BitMatrix, r: usize, table: &'a [String]) -> Vec<&'a str> {
    matrix
        .ones(r)
        .filter_map(|i| table.get(i).map(String::as_str))
        .collect()
}

impl Spof {
    /// Every function with its single points of failure, sorted by ID.
    pub fn functions(&self) -> Vec<FunctionSpofs<'_>> {
        self.function_ids
            .iter()
            .enumerate()
            .map(|(f, id)| FunctionSpofs {
                id,
                spofs: names(&self.by_function, f, &self.unit_ids),
            })
            .collect()
    }

    /// Every candidate unit (asset, site, vendor) with the functions it takes down, sorted by ID.
    pub fn units(&self) -> Vec<UnitBlast<'_>> {
        self.unit_ids
            .iter()
            .enumerate()
            .map(|(u, id)| UnitBlast {
                id,
                takes_down: names(&self.by_unit, u, &self.function_ids),
            })
            .collect()
    }

    /// How many (function, unit) pairs there are.
    pub fn pair_count(&self) -> usize {
        (0..self.function_ids.len())
            .map(|f| self.by_function.count(f))
            .sum()
    }

    /// The units that take something down, ranked by blast radius: most critical functions taken
    /// down first, then most functions, then ID; with the number of critical ones. For human
    /// views, which cannot list millions of pairs.
    pub fn ranked_units(&self) -> Vec<(UnitBlast<'_>, usize)> {
        self.ranking()
            .into_iter()
            .filter_map(|rank| {
                let id = self.unit_ids.get(rank.unit)?;
                Some((
                    UnitBlast {
                        id,
                        takes_down: names(&self.by_unit, rank.unit, &self.function_ids),
                    },
                    rank.critical,
                ))
            })
            .collect()
    }

    /// The ranking of [`Spof::ranked_units`] as counts only (no list is built): linear in the
    /// bit matrix, a word at a time.
    pub fn ranking(&self) -> Vec<UnitRank> {
        let mut mask = vec![0u64; self.by_unit.words];
        for (f, _) in self.critical.iter().enumerate().filter(|(_, c)| **c) {
            if let Some(word) = mask.get_mut(f / 64) {
                *word |= 1 << (f % 64);
            }
        }
        let mut ranked: Vec<UnitRank> = (0..self.unit_ids.len())
            .map(|u| {
                let row = self.by_unit.row(u);
                UnitRank {
                    unit: u,
                    critical: row
                        .iter()
                        .zip(&mask)
                        .map(|(w, m)| (w & m).count_ones() as usize)
                        .sum(),
                    functions: row.iter().map(|w| w.count_ones() as usize).sum(),
                }
            })
            .filter(|r| r.functions > 0)
            .collect();
        ranked.sort_by(|a, b| {
            b.critical
                .cmp(&a.critical)
                .then(b.functions.cmp(&a.functions))
                .then(a.unit.cmp(&b.unit))
        });
        ranked
    }

    /// The candidate units' IDs, sorted (a [`UnitRank::unit`] indexes it).
    pub fn unit_ids(&self) -> &[String] {
        &self.unit_ids
    }

    /// The functions' IDs, sorted.
    pub fn function_ids(&self) -> &[String] {
        &self.function_ids
    }

    /// The functions unit `unit` takes down, in ID order, without building the list.
    pub fn takes_down(&self, unit: usize) -> impl Iterator<Item = &str> + '_ {
        self.by_unit
            .ones(unit)
            .filter_map(|f| self.function_ids.get(f).map(String::as_str))
    }

    /// The single points of failure of function `function` (an index into
    /// [`Spof::function_ids`]), in ID order, without building the list.
    pub fn spofs_of(&self, function: usize) -> impl Iterator<Item = &str> + '_ {
        self.by_function
            .ones(function)
            .filter_map(|u| self.unit_ids.get(u).map(String::as_str))
    }

    /// How many single points of failure function `function` has.
    pub fn spof_count(&self, function: usize) -> usize {
        self.by_function.count(function)
    }
}

/// A unit's blast radius, by count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnitRank {
    /// The unit: an index into [`Spof::unit_ids`].
    pub unit: usize,
    /// Critical functions it takes down alone.
    pub critical: usize,
    /// Functions it takes down alone.
    pub functions: usize,
}

/// `[ids...]` written from a bit row, without building the strings.
struct Names<'a>(&'a BitMatrix, usize, &'a [String]);

impl Serialize for Names<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.ones(self.1).filter_map(|i| self.2.get(i)))
    }
}

/// One `{"id", <key>: [...]}` entry.
struct Entry<'a> {
    id: &'a str,
    key: &'static str,
    list: Names<'a>,
}

impl Serialize for Entry<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("id", self.id)?;
        map.serialize_entry(self.key, &self.list)?;
        map.end()
    }
}

impl Serialize for Spof {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let functions = self.function_ids.iter().enumerate().map(|(f, id)| Entry {
            id,
            key: "spofs",
            list: Names(&self.by_function, f, &self.unit_ids),
        });
        let units = self.unit_ids.iter().enumerate().map(|(u, id)| Entry {
            id,
            key: "takes_down",
            list: Names(&self.by_unit, u, &self.function_ids),
        });
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("functions", &Seq::new(functions))?;
        map.serialize_entry("units", &Seq::new(units))?;
        map.serialize_entry("coverage", &self.coverage)?;
        map.end()
    }
}

/// Serialises an iterator once, as a sequence.
struct Seq<I>(std::cell::Cell<Option<I>>);

impl<I> Seq<I> {
    fn new(items: I) -> Self {
        Seq(std::cell::Cell::new(Some(items)))
    }
}

impl<I: Iterator<Item = T>, T: Serialize> Serialize for Seq<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.take() {
            Some(items) => serializer.collect_seq(items),
            None => serializer.collect_seq(std::iter::empty::<T>()),
        }
    }
}

/// Parameters of [`spof`] (none yet).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct SpofParams {}

/// Set arithmetic on unit indices with reusable scratch space: a bitset for unions and a counter
/// array for thresholds, so a union costs the sizes of its inputs, not a sort.
struct Scratch {
    bits: Vec<u64>,
    words: Vec<usize>,
    counts: Vec<u32>,
    touched: Vec<u32>,
}

impl Scratch {
    fn new(units: usize) -> Self {
        Scratch {
            bits: vec![0; units.div_ceil(64)],
            words: Vec::new(),
            counts: vec![0; units],
            touched: Vec::new(),
        }
    }

    /// The sorted union of sorted sets.
    fn union(&mut self, sets: &[&[u32]]) -> Vec<u32> {
        let total: usize = sets.iter().map(|s| s.len()).sum();
        if total <= 64 {
            let mut all: Vec<u32> = sets.iter().flat_map(|s| s.iter().copied()).collect();
            all.sort_unstable();
            all.dedup();
            return all;
        }
        for set in sets {
            for &u in *set {
                let w = (u / 64) as usize;
                if let Some(word) = self.bits.get_mut(w) {
                    if *word == 0 {
                        self.words.push(w);
                    }
                    *word |= 1 << (u % 64);
                }
            }
        }
        self.words.sort_unstable();
        let mut out = Vec::with_capacity(total.min(self.counts.len()));
        for &w in &self.words {
            if let Some(word) = self.bits.get_mut(w) {
                let mut bits = std::mem::take(word);
                while bits != 0 {
                    let b = bits.trailing_zeros();
                    out.push(u32::try_from(w * 64).unwrap_or(u32::MAX).saturating_add(b));
                    bits &= bits - 1;
                }
            }
        }
        self.words.clear();
        out
    }

    /// The units in at least `threshold` of `sets` (each without repeats), sorted.
    fn at_least(&mut self, sets: &[&[u32]], threshold: usize) -> Vec<u32> {
        for set in sets {
            for &u in *set {
                if let Some(c) = self.counts.get_mut(u as usize) {
                    if *c == 0 {
                        self.touched.push(u);
                    }
                    *c += 1;
                }
            }
        }
        let mut out = Vec::new();
        for &u in &self.touched {
            if let Some(c) = self.counts.get_mut(u as usize) {
                if *c as usize >= threshold {
                    out.push(u);
                }
                *c = 0;
            }
        }
        self.touched.clear();
        out.sort_unstable();
        out
    }
}

/// Computes every function's single points of failure, every unit's blast radius and the
/// failover coverage (DESIGN §4.D).
///
/// Complexity: O(nodes + edges + Σ|S(children)|) — linear in the graph plus the sizes of the
/// sets combined, which is the size of the answer times the fan-in.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::spof::{spof, SpofParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\nsites: [{id: hq}]\n\
///      functions: [{id: pay, criticality: critical, depends_on: [app]}]\n\
///      assets:\n\
///      - {id: app, kind: application, depends_on: [pair]}\n\
///      - {id: pair, kind: group, members: [db1, db2], failover: real-time}\n\
///      - {id: db1, kind: data, site: hq}\n\
///      - {id: db2, kind: data, site: hq}\n",
/// )?;
/// let r = spof(&m, &SpofParams::default());
/// // db1 or db2 alone is covered by the pair; the app and the site they share are not.
/// assert_eq!(r.functions()[0].spofs, ["app", "hq"]);
/// assert_eq!(r.coverage.critical, 1);
/// assert_eq!(r.coverage.without_spof, 0);
/// # Ok::<(), bcm_core::ModelError>(())
/// ```
///
/// To run several analyses on one model, use an [`Analyzer`], which builds the graph once.
pub fn spof(model: &Model, params: &SpofParams) -> Spof {
    Analyzer::borrowed(model).spof(params)
}

pub(crate) fn compute(analyzer: &Analyzer<'_>, _params: &SpofParams) -> Spof {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let units: Vec<_> = graph.failure_units_of(|kind| kind != UnitKind::Group);
    let n = graph.node_count();
    let mut direct: Vec<Vec<u32>> = vec![Vec::new(); n];
    for (u, unit) in units.iter().enumerate() {
        let u = u32::try_from(u).unwrap_or(u32::MAX);
        for node in &unit.lost {
            if let Some(d) = direct.get_mut(node.index()) {
                d.push(u);
            }
        }
    }
    let thresholds = group_thresholds(model, graph);
    let is_function = |node: NodeIndex| {
        graph
            .weight(node)
            .is_some_and(|w| w.kind == NodeKind::Function)
    };
    // S(n) is written out for groups (their k-of-n rule needs the members' sets), the nodes of
    // a cycle (iterated to a fixpoint) and the nodes whose set is small; any other node's is
    // own(n) ∪ the S of its hard dependencies, read by walking them when a function or a group
    // needs it. Written out everywhere, a chain of n assets would hold n²/2 units (quadratic
    // time); walked, a function costs the part of the graph it reaches down to written sets.
    let mut scratch = Scratch::new(units.len());
    let mut written: Vec<Option<Vec<u32>>> = vec![None; n];
    let mut walk = Walk::new(n, units.len());
    // The functions' sets as bit rows, kept for the result.
    let mut rows: Vec<Option<Vec<u64>>> = vec![None; n];
    let set_of = |written: &[Option<Vec<u32>>], walk: &mut Walk, scratch: &mut Scratch, node| {
        node_set(graph, &direct, &thresholds, written, walk, scratch, node)
    };
    for component in components_dependencies_first(graph) {
        let cyclic = component.len() > 1
            || component
                .first()
                .is_some_and(|c| graph.dependencies(*c).any(|(d, _)| d == *c));
        if cyclic {
            // Least fixpoint, every node of the cycle written out.
            for &node in component {
                if let Some(slot) = written.get_mut(node.index()) {
                    *slot = Some(Vec::new());
                }
            }
            loop {
                let mut changed = false;
                for &node in component {
                    let set = set_of(&written, &mut walk, &mut scratch, node);
                    if let Some(slot) = written.get_mut(node.index())
                        && slot.as_ref() != Some(&set)
                    {
                        *slot = Some(set);
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
        } else {
            for &node in component {
                let group = thresholds.get(node.index()).copied().unwrap_or(0) > 0;
                // A node whose hard dependencies all have small written sets gets its own,
                // if it is small too: walks stop there (a chain of functions over one asset
                // would otherwise be walked to the end from every function).
                let small_below = graph.dependencies(node).all(|(dep, edge)| {
                    !(matches!(edge.origin, EdgeOrigin::DependsOn(_)) && edge.is_hard())
                        || written.get(dep.index()).is_some_and(Option::is_some)
                });
                if group || small_below {
                    let set = set_of(&written, &mut walk, &mut scratch, node);
                    if (group || set.len() <= SMALL_SET)
                        && let Some(slot) = written.get_mut(node.index())
                    {
                        *slot = Some(set);
                    }
                }
            }
        }
        for &node in component {
            if !is_function(node) {
                continue;
            }
            let set = match written.get(node.index()).and_then(Option::as_ref) {
                Some(set) => set.clone(),
                None => walk.collect(graph, &direct, &written, node),
            };
            let mut row = vec![0u64; units.len().div_ceil(64)];
            for &u in &set {
                if let Some(word) = row.get_mut((u / 64) as usize) {
                    *word |= 1 << (u % 64);
                }
            }
            if let Some(slot) = rows.get_mut(node.index()) {
                *slot = Some(row);
            }
        }
    }

    let realtime = realtime_paths(model, graph);
    let function_nodes = functions_by_id(graph);
    let mut by_function = BitMatrix::new(function_nodes.len(), units.len());
    let mut by_unit = BitMatrix::new(units.len(), function_nodes.len());
    let mut critical = Vec::with_capacity(function_nodes.len());
    let mut coverage = Coverage {
        critical: 0,
        without_spof: 0,
        with_realtime_failover: 0,
    };
    for (f, &node) in function_nodes.iter().enumerate() {
        let set = rows.get(node.index()).cloned().flatten();
        if let Some(row) = &set {
            by_function.row_mut(f).copy_from_slice(row);
        }
        for u in by_function.ones(f).collect::<Vec<_>>() {
            by_unit.set(u, f);
        }
        let empty = by_function.count(f) == 0;
        let is_critical = graph
            .weight(node)
            .and_then(|w| model.functions.get(w.index))
            .is_some_and(|f| f.criticality == Some(Criticality::Critical));
        if is_critical {
            coverage.critical += 1;
            if empty {
                coverage.without_spof += 1;
                if realtime.get(node.index()).copied().unwrap_or(false) {
                    coverage.with_realtime_failover += 1;
                }
            }
        }
        critical.push(is_critical);
    }
    Spof {
        function_ids: function_nodes
            .iter()
            .map(|n| graph.id(*n).to_owned())
            .collect(),
        unit_ids: units.into_iter().map(|u| u.id.to_string()).collect(),
        by_function,
        by_unit,
        critical,
        coverage,
    }
}

/// The largest S(n) written out for a node that is neither a group nor in a cycle: O(nodes ·
/// SMALL_SET) memory at most, and walks stop at such nodes.
const SMALL_SET: usize = 64;

/// S(`node`) from its dependencies' sets: `own ∪ ⋃ S(hard dependency)`, plus for a group the
/// units in at least its threshold of members' sets (DESIGN §4.D).
fn node_set(
    graph: &DependencyGraph,
    direct: &[Vec<u32>],
    thresholds: &[usize],
    written: &[Option<Vec<u32>>],
    walk: &mut Walk,
    scratch: &mut Scratch,
    node: NodeIndex,
) -> Vec<u32> {
    let mut hard: Vec<Vec<u32>> = vec![direct.get(node.index()).cloned().unwrap_or_default()];
    let mut members: Vec<Vec<u32>> = Vec::new();
    for (dep, edge) in graph.dependencies(node) {
        let is_member = matches!(edge.origin, EdgeOrigin::Member(_));
        if !is_member && !edge.is_hard() {
            continue;
        }
        let set = match written.get(dep.index()).and_then(Option::as_ref) {
            Some(set) => set.clone(),
            None => walk.collect(graph, direct, written, dep),
        };
        if is_member {
            members.push(set);
        } else {
            hard.push(set);
        }
    }
    let threshold = thresholds.get(node.index()).copied().unwrap_or(0);
    if threshold > 0 {
        let members: Vec<&[u32]> = members.iter().map(Vec::as_slice).collect();
        hard.push(scratch.at_least(&members, threshold));
    }
    let hard: Vec<&[u32]> = hard.iter().map(Vec::as_slice).collect();
    scratch.union(&hard)
}

/// Reads S(n) of a node whose set is not written out, by walking its hard dependencies down to
/// nodes whose set is (groups, cycles), each node and unit once per walk (stamps).
#[derive(Debug)]
struct Walk {
    node_stamp: Vec<u32>,
    unit_stamp: Vec<u32>,
    stamp: u32,
    stack: Vec<NodeIndex>,
}

impl Walk {
    fn new(nodes: usize, units: usize) -> Self {
        Walk {
            node_stamp: vec![0; nodes],
            unit_stamp: vec![0; units],
            stamp: 0,
            stack: Vec::new(),
        }
    }

    /// S(`start`), sorted.
    fn collect(
        &mut self,
        graph: &DependencyGraph,
        direct: &[Vec<u32>],
        written: &[Option<Vec<u32>>],
        start: NodeIndex,
    ) -> Vec<u32> {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.node_stamp.fill(0);
            self.unit_stamp.fill(0);
            self.stamp = 1;
        }
        let stamp = self.stamp;
        let unit_stamp = &mut self.unit_stamp;
        let mut out = Vec::new();
        let mut add = |u: u32| {
            if let Some(seen) = unit_stamp.get_mut(u as usize)
                && *seen != stamp
            {
                *seen = stamp;
                out.push(u);
            }
        };
        self.stack.clear();
        self.stack.push(start);
        if let Some(seen) = self.node_stamp.get_mut(start.index()) {
            *seen = stamp;
        }
        while let Some(node) = self.stack.pop() {
            if let Some(set) = written.get(node.index()).and_then(Option::as_ref) {
                set.iter().for_each(|&u| add(u));
                continue;
            }
            direct
                .get(node.index())
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .for_each(|&u| add(u));
            for (dep, edge) in graph.dependencies(node) {
                if matches!(edge.origin, EdgeOrigin::DependsOn(_))
                    && edge.is_hard()
                    && let Some(seen) = self.node_stamp.get_mut(dep.index())
                    && *seen != stamp
                {
                    *seen = stamp;
                    self.stack.push(dep);
                }
            }
        }
        out.sort_unstable();
        out
    }
}

/// Per node: whether every redundancy group reachable over hard edges fails over in real time
/// or near real time.
fn realtime_paths(model: &Model, graph: &DependencyGraph) -> Vec<bool> {
    let mut ok = vec![true; graph.node_count()];
    for component in components_dependencies_first(graph) {
        let mut all = true;
        for &node in component {
            if let Some(w) = graph.weight(node)
                && w.kind == NodeKind::Group
            {
                let mode = model.assets.get(w.index).and_then(|a| a.failover);
                all &= matches!(
                    mode,
                    Some(FailoverMode::RealTime | FailoverMode::NearRealTime)
                );
            }
            for (dep, edge) in graph.dependencies(node) {
                let hard = edge.is_hard() || matches!(edge.origin, EdgeOrigin::Member(_));
                if hard && !component.contains(&dep) {
                    all &= ok.get(dep.index()).copied().unwrap_or(true);
                }
            }
        }
        for node in component {
            if let Some(slot) = ok.get_mut(node.index()) {
                *slot = all;
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        Model::from_yaml_str(&format!("bcm: 1\norganization: {{name: t}}\n{yaml}")).unwrap()
    }

    #[test]
    fn k_of_n_sites_vendors_and_soft_edges() {
        // f → app → grp (2-of-3: h1@hq, h2@hq, h3@dr): losing hq takes two members: down.
        // Losing any single host leaves 2 up: not a SPOF. f ⇢ mail (soft): never a SPOF.
        // mail is supplied by acme; app depends on vendor saas (hard).
        let m = model(
            "sites: [{id: hq}, {id: dr}]\n\
             vendors: [{id: acme}, {id: saas}]\n\
             functions:\n\
             - {id: f, criticality: critical, depends_on: [app, {id: mail, tolerance: 1d}]}\n\
             - {id: g, criticality: critical, depends_on: [grp]}\n\
             - {id: h, depends_on: [f]}\n\
             assets:\n\
             - {id: app, kind: application, depends_on: [grp, saas]}\n\
             - {id: grp, kind: group, members: [h1, h2, h3], min_up: 2, failover: manual}\n\
             - {id: h1, kind: infrastructure, site: hq}\n\
             - {id: h2, kind: infrastructure, site: hq}\n\
             - {id: h3, kind: infrastructure, site: dr}\n\
             - {id: mail, kind: service, vendor: acme}\n",
        );
        let r = spof(&m, &SpofParams::default());
        let f: Vec<(&str, Vec<&str>)> =
            r.functions().into_iter().map(|f| (f.id, f.spofs)).collect();
        assert_eq!(
            f,
            [
                ("f", vec!["app", "hq", "saas"]),
                ("g", vec!["hq"]),
                ("h", vec!["app", "hq", "saas"]),
            ]
        );
        let u: Vec<(&str, usize)> = r
            .units()
            .into_iter()
            .map(|u| (u.id, u.takes_down.len()))
            .collect();
        assert_eq!(
            u,
            [
                ("acme", 0),
                ("app", 2),
                ("dr", 0),
                ("h1", 0),
                ("h2", 0),
                ("h3", 0),
                ("hq", 3),
                ("mail", 0),
                ("saas", 2)
            ]
        );
        assert_eq!(
            r.coverage,
            Coverage {
                critical: 2,
                without_spof: 0,
                with_realtime_failover: 0
            }
        );
        let ranked: Vec<&str> = r.ranked_units().iter().map(|(u, _)| u.id).collect();
        assert_eq!(ranked, ["hq", "app", "saas"]);
    }

    #[test]
    fn coverage_counts_realtime_failover() {
        let m = model(
            "functions:\n\
             - {id: a, criticality: critical, depends_on: [rt]}\n\
             - {id: b, criticality: critical, depends_on: [man]}\n\
             - {id: c, criticality: high, depends_on: [x1]}\n\
             assets:\n\
             - {id: rt, kind: group, members: [x1, x2], failover: near-real-time}\n\
             - {id: man, kind: group, members: [x1, x2], failover: manual}\n\
             - {id: x1, kind: infrastructure}\n\
             - {id: x2, kind: infrastructure}\n",
        );
        let r = spof(&m, &SpofParams::default());
        assert_eq!(
            r.coverage,
            Coverage {
                critical: 2,
                without_spof: 2,
                with_realtime_failover: 1
            }
        );
        assert_eq!(r.functions()[2].spofs, ["x1"]);
    }
}
