//! The dependency graph (DESIGN §3), built once from a model.
//!
//! Nodes are functions, assets, redundancy groups and vendors; an edge `d → n` says "d depends on
//! n" and carries the tolerance `T` (zero for a hard edge and for group membership). Sites and
//! vendors are also failure units: what losing them loses is precomputed here.
//!
//! Every algorithm is iterative and linear in nodes + edges: a `large` model has ~52,000 nodes and
//! ~400,000 edges, and recursion over user graphs could overflow the stack.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::OnceLock;

use petgraph::Direction;
use petgraph::graph::{DiGraph, EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;
use rustc_hash::FxHashMap;

use crate::model::{Duration, Id, Model};
use crate::rows::Rows;

mod components;

pub use components::{ComponentIter, Components};

/// A node's row number: petgraph's indices here are u32.
fn index(n: NodeIndex) -> u32 {
    n.index() as u32
}

/// What a node of the dependency graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// A business function.
    Function,
    /// An asset other than a group.
    Asset,
    /// A redundancy group.
    Group,
    /// A vendor.
    Vendor,
}

impl NodeKind {
    /// `function`, `asset`, `group` or `vendor`, as in results.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Function => "function",
            NodeKind::Asset => "asset",
            NodeKind::Group => "group",
            NodeKind::Vendor => "vendor",
        }
    }
}

/// A node: its kind and its position in the model's `functions`, `assets` or `vendors`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    /// What it is.
    pub kind: NodeKind,
    /// Index into `model.functions` (functions), `model.assets` (assets, groups) or
    /// `model.vendors` (vendors).
    pub index: usize,
}

/// Where an edge comes from in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeOrigin {
    /// The `depends_on` entry at this position.
    DependsOn(usize),
    /// The group `members` entry at this position.
    Member(usize),
}

/// An edge `d → n`: d depends on n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// How long d copes without n; zero for a hard edge.
    pub tolerance: Duration,
    /// Where it is declared.
    pub origin: EdgeOrigin,
}

impl Edge {
    /// Whether the dependent goes down as soon as the dependency does.
    pub fn is_hard(&self) -> bool {
        self.tolerance == Duration::ZERO
    }
}

/// What a failure unit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitKind {
    /// One asset.
    Asset,
    /// A redundancy group: all its members.
    Group,
    /// A site: every asset located there.
    Site,
    /// A vendor: the vendor and every asset it supplies.
    Vendor,
}

impl UnitKind {
    /// `asset`, `group`, `site` or `vendor`.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Asset => "asset",
            UnitKind::Group => "group",
            UnitKind::Site => "site",
            UnitKind::Vendor => "vendor",
        }
    }
}

/// Something that can be lost in a scenario, and the nodes losing it loses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureUnit {
    /// Its identifier.
    pub id: Id,
    /// What it is.
    pub kind: UnitKind,
    /// The assets and vendors lost with it (never groups or functions), in node order.
    pub lost: Vec<NodeIndex>,
}

/// A circular dependency: each node depends on the next, and the last on the first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The nodes around the cycle, starting from the one with the smallest ID.
    pub nodes: Vec<NodeIndex>,
    /// The edge that leaves the first node along the cycle.
    pub first_edge: EdgeIndex,
    /// Every node of the strongly connected component the cycle was found in.
    pub component: Vec<NodeIndex>,
}

/// Every node's edges in one direction, with the node at the other end, as compressed rows.
fn adjacency(graph: &DiGraph<Node, Edge, u32>, direction: Direction) -> Rows<(NodeIndex, Edge)> {
    let mut rows = Rows::with_capacity(graph.node_count(), graph.edge_count());
    for n in graph.node_indices() {
        for e in graph.edges_directed(n, direction) {
            let other = match direction {
                Direction::Outgoing => e.target(),
                Direction::Incoming => e.source(),
            };
            rows.push((other, *e.weight()));
        }
        // petgraph numbers edges in u32, so they always fit the rows' positions.
        let ended = rows.end_row();
        debug_assert!(ended, "more edges than a graph holds");
    }
    rows
}

/// The dependency graph of a model.
///
/// References that do not resolve, or that name something other than a function, asset, group or
/// vendor, are left out: validation reports them.
#[derive(Debug, Clone)]
pub struct DependencyGraph {
    graph: DiGraph<Node, Edge, u32>,
    ids: Vec<Id>,
    by_id: FxHashMap<Id, NodeIndex>,
    /// The assets located at each site.
    site_assets: BTreeMap<Id, Vec<NodeIndex>>,
    /// The assets each vendor supplies, indexed by the vendor's node.
    supplies: Vec<Vec<NodeIndex>>,
    /// Strongly connected components, dependencies first; computed once, on first use.
    components: OnceLock<Components>,
    /// Node indices sorted by ID; computed once, on first use.
    sorted: OnceLock<Vec<NodeIndex>>,
    /// Each node's place in ID order, indexed by node; computed once, on first use.
    ranks: OnceLock<Vec<u32>>,
    /// Nodes on or downstream of a cycle, indexed by node; computed once, on first use.
    blocked: OnceLock<Vec<bool>>,
    /// Each node's dependencies and dependents as flat rows (in petgraph's iteration order),
    /// built once on first use: walking petgraph's linked edge lists misses the cache on every
    /// edge of a large graph, and the analyses walk them many times.
    outgoing: OnceLock<Rows<(NodeIndex, Edge)>>,
    incoming: OnceLock<Rows<(NodeIndex, Edge)>>,
}

/// A scenario names something that is not a failure unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{id}' is not an asset, group, site or vendor of the model")]
pub struct UnknownUnit {
    /// The unknown identifier.
    pub id: String,
}

impl DependencyGraph {
    /// Builds the graph of `model`. Linear in the size of the model.
    ///
    /// ```
    /// use bcm_core::{DependencyGraph, Model};
    /// let m = Model::from_yaml_str(
    ///     "bcm: 1\norganization: {name: x}\n\
    ///      functions: [{id: pay, depends_on: [db]}]\n\
    ///      assets: [{id: db, kind: data}]\n",
    /// )?;
    /// let g = DependencyGraph::new(&m);
    /// let pay = g.node("pay").unwrap();
    /// let deps: Vec<&str> = g.dependencies(pay).map(|(n, _)| g.id(n)).collect();
    /// assert_eq!(deps, ["db"]);
    /// # Ok::<(), bcm_core::ModelError>(())
    /// ```
    pub fn new(model: &Model) -> Self {
        let node_count = model.functions.len() + model.assets.len() + model.vendors.len();
        let mut graph = DiGraph::with_capacity(node_count, node_count * 4);
        let mut ids = Vec::with_capacity(node_count);
        let mut by_id = FxHashMap::with_capacity_and_hasher(node_count, Default::default());
        let mut add = |graph: &mut DiGraph<Node, Edge, u32>, id: &Id, node: Node| {
            let n = graph.add_node(node);
            ids.push(id.clone());
            by_id.entry(id.clone()).or_insert(n);
            n
        };
        for (index, f) in model.functions.iter().enumerate() {
            let node = Node {
                kind: NodeKind::Function,
                index,
            };
            add(&mut graph, &f.id, node);
        }
        for (index, a) in model.assets.iter().enumerate() {
            let kind = if a.is_group() {
                NodeKind::Group
            } else {
                NodeKind::Asset
            };
            add(&mut graph, &a.id, Node { kind, index });
        }
        for (index, v) in model.vendors.iter().enumerate() {
            let node = Node {
                kind: NodeKind::Vendor,
                index,
            };
            add(&mut graph, &v.id, node);
        }

        // Targets are looked up by `&str`: cloning every edge's ID would cost one allocation per
        // edge (~400,000 on a large estate).
        let base = model.functions.len();
        let mut add_edge = |from: usize, to: &Id, tolerance: Duration, origin: EdgeOrigin| {
            if let Some(&to) = by_id.get(to.as_str()) {
                graph.add_edge(NodeIndex::new(from), to, Edge { tolerance, origin });
            }
        };
        for (i, f) in model.functions.iter().enumerate() {
            for (position, dep) in f.depends_on.iter().enumerate() {
                add_edge(i, &dep.id, dep.tolerance(), EdgeOrigin::DependsOn(position));
            }
        }
        for (i, a) in model.assets.iter().enumerate() {
            for (position, dep) in a.depends_on.iter().enumerate() {
                add_edge(
                    base + i,
                    &dep.id,
                    dep.tolerance(),
                    EdgeOrigin::DependsOn(position),
                );
            }
            if a.is_group() {
                for (position, member) in a.members.iter().enumerate() {
                    add_edge(
                        base + i,
                        member,
                        Duration::ZERO,
                        EdgeOrigin::Member(position),
                    );
                }
            }
        }

        let mut site_assets: BTreeMap<Id, Vec<NodeIndex>> = model
            .sites
            .iter()
            .map(|s| (s.id.clone(), Vec::new()))
            .collect();
        let mut supplies: Vec<Vec<NodeIndex>> = vec![Vec::new(); graph.node_count()];
        for (i, a) in model.assets.iter().enumerate() {
            let n = NodeIndex::new(base + i);
            if let Some(list) = a
                .site
                .as_ref()
                .and_then(|s| site_assets.get_mut(s.as_str()))
            {
                list.push(n);
            }
            let vendor = a.vendor.as_ref().and_then(|v| by_id.get(v.as_str()));
            if let Some(&v) = vendor
                && graph
                    .node_weight(v)
                    .is_some_and(|w| w.kind == NodeKind::Vendor)
                && let Some(list) = supplies.get_mut(v.index())
            {
                list.push(n);
            }
        }

        DependencyGraph {
            graph,
            ids,
            by_id,
            site_assets,
            supplies,
            components: OnceLock::new(),
            sorted: OnceLock::new(),
            ranks: OnceLock::new(),
            blocked: OnceLock::new(),
            outgoing: OnceLock::new(),
            incoming: OnceLock::new(),
        }
    }

    /// The strongly connected components, every component after all the components it depends
    /// on: Kahn's order when the graph has no cycle, else petgraph's iterative Kosaraju (which
    /// returns them in exactly that post-order). Computed once.
    pub fn components(&self) -> &Components {
        self.components.get_or_init(|| {
            let order = self.kahn(&[]);
            if order.len() == self.graph.node_count() {
                Components::singletons(order)
            } else {
                Components::from_lists(petgraph::algo::kosaraju_scc(&self.graph))
            }
        })
    }

    /// Every node sorted by ID (ties in node order), the output order of results. Computed once.
    pub fn by_id(&self) -> &[NodeIndex] {
        self.sorted.get_or_init(|| {
            let mut nodes: Vec<NodeIndex> = self.graph.node_indices().collect();
            nodes.sort_by(|a, b| self.id(*a).cmp(self.id(*b)).then(a.cmp(b)));
            nodes
        })
    }

    /// Each node's place in [`by_id`](Self::by_id) order, indexed by node. Computed once.
    pub fn ranks(&self) -> &[u32] {
        self.ranks.get_or_init(|| {
            let mut ranks = vec![0u32; self.graph.node_count()];
            for (rank, n) in self.by_id().iter().enumerate() {
                // Node counts fit in u32: petgraph's indices here are u32.
                if let (Some(slot), Ok(rank)) = (ranks.get_mut(n.index()), u32::try_from(rank)) {
                    *slot = rank;
                }
            }
            ranks
        })
    }

    /// The underlying petgraph graph, for algorithms of its own.
    pub fn inner(&self) -> &DiGraph<Node, Edge, u32> {
        &self.graph
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node named `id` (the first, if the ID is duplicated).
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.by_id.get(id).copied()
    }

    /// The ID of node `n`.
    ///
    /// # Panics
    /// If `n` is not a node of this graph.
    pub fn id(&self, n: NodeIndex) -> &str {
        self.ids.get(n.index()).map(Id::as_str).unwrap_or_default()
    }

    /// The kind and model position of node `n`.
    pub fn weight(&self, n: NodeIndex) -> Option<Node> {
        self.graph.node_weight(n).copied()
    }

    /// Every node, in model order: functions, then assets and groups, then vendors.
    pub fn nodes(&self) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices()
    }

    /// What `n` depends on, with each edge.
    pub fn dependencies(&self, n: NodeIndex) -> impl Iterator<Item = (NodeIndex, &Edge)> + '_ {
        self.outgoing
            .get_or_init(|| adjacency(&self.graph, Direction::Outgoing))
            .row(index(n))
            .iter()
            .map(|(m, e)| (*m, e))
    }

    /// What depends on `n`, with each edge.
    pub fn dependents(&self, n: NodeIndex) -> impl Iterator<Item = (NodeIndex, &Edge)> + '_ {
        self.incoming
            .get_or_init(|| adjacency(&self.graph, Direction::Incoming))
            .row(index(n))
            .iter()
            .map(|(m, e)| (*m, e))
    }

    /// The kind of failure unit `id` is, if the model has one. A site wins over a node of the same
    /// (invalid, duplicated) ID; among nodes, the first.
    fn unit_kind(&self, id: &str) -> Option<UnitKind> {
        if self.site_assets.contains_key(id) {
            return Some(UnitKind::Site);
        }
        let node = self.node(id)?;
        match self.graph.node_weight(node)?.kind {
            NodeKind::Asset => Some(UnitKind::Asset),
            NodeKind::Group => Some(UnitKind::Group),
            NodeKind::Vendor => Some(UnitKind::Vendor),
            NodeKind::Function => None,
        }
    }

    /// Every failure unit (asset, group, site, vendor) with what losing it loses, sorted by ID.
    pub fn failure_units(&self) -> Vec<FailureUnit> {
        self.failure_units_of(|_| true)
    }

    /// The failure units of the kinds `keep` accepts, in ID order. A unit is expanded (what
    /// losing it loses) only if kept: expanding every group of groups nested n deep costs n².
    pub fn failure_units_of(&self, keep: impl Fn(UnitKind) -> bool) -> Vec<FailureUnit> {
        let mut ids: Vec<&str> = self.site_assets.keys().map(Id::as_str).collect();
        ids.extend(
            self.by_id()
                .iter()
                .filter(|n| self.node(self.id(**n)) == Some(**n))
                .map(|n| self.id(*n)),
        );
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .filter(|id| self.unit_kind(id).is_some_and(&keep))
            .filter_map(|id| self.failure_unit(id))
            .collect()
    }

    /// The failure unit `id`, if the model has one.
    pub fn failure_unit(&self, id: &str) -> Option<FailureUnit> {
        let kind = self.unit_kind(id)?;
        Some(FailureUnit {
            id: Id::new(id),
            kind,
            lost: self.expand(&[id]),
        })
    }

    /// The assets and vendors lost when all of `ids` (assets, groups, sites, vendors) are lost,
    /// in node order.
    ///
    /// # Errors
    /// [`UnknownUnit`] naming the first ID that is not a failure unit.
    pub fn lost_by<S: AsRef<str>>(&self, ids: &[S]) -> Result<Vec<NodeIndex>, UnknownUnit> {
        let mut keys = Vec::with_capacity(ids.len());
        for id in ids {
            let id = id.as_ref();
            if self.unit_kind(id).is_none() {
                return Err(UnknownUnit { id: id.to_owned() });
            }
            keys.push(id);
        }
        Ok(self.expand(&keys))
    }

    /// Expands units into lost assets and vendors: a group loses its members (recursively), a
    /// site its assets, a vendor itself and what it supplies.
    fn expand(&self, ids: &[&str]) -> Vec<NodeIndex> {
        // Sparse on purpose: `failure_units` expands every unit, so the cost must follow what a
        // unit loses, not the size of the graph.
        let mut lost: Vec<NodeIndex> = Vec::new();
        let mut seen: HashSet<NodeIndex> = HashSet::new();
        let mut work: Vec<NodeIndex> = Vec::new();
        for id in ids {
            match self.site_assets.get(*id) {
                Some(assets) => work.extend(assets.iter().copied()),
                None => work.extend(self.node(id)),
            }
        }
        while let Some(n) = work.pop() {
            if !seen.insert(n) {
                continue;
            }
            match self.graph.node_weight(n).map(|w| w.kind) {
                Some(NodeKind::Group) => work.extend(
                    self.graph
                        .edges_directed(n, Direction::Outgoing)
                        .filter(|e| matches!(e.weight().origin, EdgeOrigin::Member(_)))
                        .map(|e| e.target()),
                ),
                Some(NodeKind::Asset) => lost.push(n),
                Some(NodeKind::Vendor) => {
                    lost.push(n);
                    if let Some(supplied) = self.supplies.get(n.index()) {
                        work.extend(supplied.iter().copied());
                    }
                }
                Some(NodeKind::Function) | None => {}
            }
        }
        lost.sort();
        lost
    }

    /// Every circular dependency (over hard and soft edges and group membership): one cycle per
    /// strongly connected component that has one, sorted by the smallest ID on it.
    ///
    /// Complexity: O(nodes + edges) to find the components (Kahn's order, then iterative
    /// Kosaraju if that leaves nodes out), plus a
    /// breadth-first search inside each cyclic component.
    pub fn cycles(&self) -> Vec<Cycle> {
        if self.is_acyclic() {
            return Vec::new();
        }
        let mut cycles: Vec<Cycle> = self
            .components()
            .iter()
            .filter(|&component| match component {
                [] => false,
                [single] => self.graph.find_edge(*single, *single).is_some(),
                _ => true,
            })
            .map(<[NodeIndex]>::to_vec)
            .filter_map(|mut component| {
                component.sort_by(|a, b| self.id(*a).cmp(self.id(*b)).then(a.cmp(b)));
                let cycle = self.cycle_through(&component)?;
                Some(Cycle { component, ..cycle })
            })
            .collect();
        cycles.sort_by(|a, b| {
            let first = |c: &Cycle| c.nodes.first().map(|n| self.id(*n).to_owned());
            first(a).cmp(&first(b))
        });
        cycles
    }

    /// Whether the graph has no cycle (the components came from Kahn's order: plain counters,
    /// much cheaper than Kosaraju for the usual, acyclic model).
    pub fn is_acyclic(&self) -> bool {
        self.components().acyclic()
    }

    /// Kahn's algorithm over the nodes not `excluded` (indexed by node; missing means included):
    /// every node after all it depends on, ties in model order. Nodes on a cycle, or depending on
    /// one, never become ready and are left out.
    fn kahn(&self, excluded: &[bool]) -> Vec<NodeIndex> {
        let is_excluded = |n: NodeIndex| excluded.get(n.index()).copied().unwrap_or(false);
        let mut pending: Vec<usize> = self
            .graph
            .node_indices()
            .map(|n| self.dependencies(n).count())
            .collect();
        let mut queue: VecDeque<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|n| !is_excluded(*n) && pending.get(n.index()) == Some(&0))
            .collect();
        let mut order = Vec::with_capacity(self.graph.node_count());
        while let Some(n) = queue.pop_front() {
            order.push(n);
            for (d, _) in self.dependents(n) {
                if let Some(count) = pending.get_mut(d.index()) {
                    *count = count.saturating_sub(1);
                    if *count == 0 && !is_excluded(d) {
                        queue.push_back(d);
                    }
                }
            }
        }
        order
    }

    /// A shortest cycle through the component's first node, staying inside the component.
    fn cycle_through(&self, component: &[NodeIndex]) -> Option<Cycle> {
        let start = *component.first()?;
        let mut inside = vec![false; self.graph.node_count()];
        for n in component {
            if let Some(slot) = inside.get_mut(n.index()) {
                *slot = true;
            }
        }
        // parent[n] = the edge by which the search first reached n.
        let mut parent: Vec<Option<EdgeIndex>> = vec![None; self.graph.node_count()];
        let mut queue = VecDeque::from([start]);
        let mut closing: Option<EdgeIndex> = None;
        'search: while let Some(n) = queue.pop_front() {
            let mut out: Vec<_> = self.graph.edges_directed(n, Direction::Outgoing).collect();
            out.sort_by_key(|e| (self.id(e.target()), e.id()));
            for e in out {
                let t = e.target();
                if t == start {
                    closing = Some(e.id());
                    break 'search;
                }
                let is_inside = inside.get(t.index()).copied().unwrap_or(false);
                let unreached = parent.get(t.index()).is_some_and(Option::is_none);
                if is_inside && unreached {
                    if let Some(slot) = parent.get_mut(t.index()) {
                        *slot = Some(e.id());
                    }
                    queue.push_back(t);
                }
            }
        }
        // Walk back from the closing edge to the start.
        let mut edges = vec![closing?];
        let mut at = self.graph.edge_endpoints(closing?)?.0;
        while at != start {
            let e = (*parent.get(at.index())?)?;
            edges.push(e);
            at = self.graph.edge_endpoints(e)?.0;
        }
        edges.reverse();
        let nodes = edges
            .iter()
            .filter_map(|e| self.graph.edge_endpoints(*e).map(|(from, _)| from))
            .collect();
        Some(Cycle {
            nodes,
            first_edge: *edges.first()?,
            component: Vec::new(),
        })
    }

    /// Nodes that analyses needing an order cannot place: those on a cycle and everything that
    /// depends on them, directly or not. Indexed by node; computed once.
    pub fn blocked(&self) -> &[bool] {
        self.blocked.get_or_init(|| self.find_blocked())
    }

    fn find_blocked(&self) -> Vec<bool> {
        let mut blocked = vec![false; self.graph.node_count()];
        let mut work: Vec<NodeIndex> = self
            .cycles()
            .iter()
            .flat_map(|c| c.component.iter().copied())
            .collect();
        while let Some(n) = work.pop() {
            match blocked.get_mut(n.index()) {
                Some(flag) if !*flag => *flag = true,
                _ => continue,
            }
            work.extend(self.graph.neighbors_directed(n, Direction::Incoming));
        }
        blocked
    }

    /// The nodes that are not blocked, every node after all it depends on (Kahn's algorithm;
    /// ties in model order).
    pub fn recovery_order(&self) -> Vec<NodeIndex> {
        self.kahn(self.blocked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(yaml: &str) -> Model {
        Model::from_yaml_str(&format!("bcm: 1\norganization: {{name: t}}\n{yaml}")).unwrap()
    }

    fn ids(g: &DependencyGraph, nodes: &[NodeIndex]) -> Vec<String> {
        let mut v: Vec<String> = nodes.iter().map(|n| g.id(*n).to_owned()).collect();
        v.sort();
        v
    }

    #[test]
    fn edges_carry_tolerances_and_members_are_hard() {
        let m = model(
            "functions: [{id: f, depends_on: [a, {id: mail, tolerance: 1d}]}]\n\
             assets:\n\
             - {id: a, kind: application, depends_on: [g]}\n\
             - {id: g, kind: group, members: [h1, h2]}\n\
             - {id: h1, kind: infrastructure}\n\
             - {id: h2, kind: infrastructure}\n\
             - {id: mail, kind: service}\n",
        );
        let g = DependencyGraph::new(&m);
        assert_eq!(g.node_count(), 6);
        assert_eq!(g.edge_count(), 5);
        let f = g.node("f").unwrap();
        let mut deps: Vec<(String, u64)> = g
            .dependencies(f)
            .map(|(n, e)| (g.id(n).to_owned(), e.tolerance.as_secs()))
            .collect();
        deps.sort();
        assert_eq!(deps, [("a".into(), 0), ("mail".into(), 86_400)]);
        let group = g.node("g").unwrap();
        assert_eq!(g.weight(group).unwrap().kind, NodeKind::Group);
        assert!(g.dependencies(group).all(|(_, e)| e.is_hard()));
        let dependents: Vec<&str> = g
            .dependents(g.node("a").unwrap())
            .map(|(n, _)| g.id(n))
            .collect();
        assert_eq!(dependents, ["f"]);
    }

    #[test]
    fn failure_units_lose_what_the_design_says() {
        let m = model(
            "sites: [{id: hq}, {id: dr}]\n\
             vendors: [{id: cloud}]\n\
             assets:\n\
             - {id: app, kind: application, site: hq}\n\
             - {id: g, kind: group, members: [db1, db2, cloud]}\n\
             - {id: db1, kind: data, site: hq}\n\
             - {id: db2, kind: data, site: dr}\n\
             - {id: saas, kind: service, vendor: cloud}\n",
        );
        let g = DependencyGraph::new(&m);
        let units = g.failure_units();
        let summary: Vec<(String, &str, Vec<String>)> = units
            .iter()
            .map(|u| (u.id.to_string(), u.kind.as_str(), ids(&g, &u.lost)))
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            summary,
            vec![
                ("app".into(), "asset", s(&["app"])),
                ("cloud".into(), "vendor", s(&["cloud", "saas"])),
                ("db1".into(), "asset", s(&["db1"])),
                ("db2".into(), "asset", s(&["db2"])),
                ("dr".into(), "site", s(&["db2"])),
                ("g".into(), "group", s(&["cloud", "db1", "db2", "saas"])),
                ("hq".into(), "site", s(&["app", "db1"])),
                ("saas".into(), "asset", s(&["saas"])),
            ]
        );
        assert_eq!(
            ids(&g, &g.lost_by(&["hq", "dr"]).unwrap()),
            s(&["app", "db1", "db2"])
        );
        assert_eq!(g.lost_by(&["nope"]), Err(UnknownUnit { id: "nope".into() }));
    }

    #[test]
    fn cycles_are_named_and_block_their_dependents() {
        let m = model(
            "functions: [{id: f, depends_on: [b]}, {id: ok, depends_on: [d]}]\n\
             assets:\n\
             - {id: b, kind: application, depends_on: [c]}\n\
             - {id: c, kind: application, depends_on: [{id: e, tolerance: 1h}, d]}\n\
             - {id: d, kind: data}\n\
             - {id: e, kind: service, depends_on: [b]}\n\
             - {id: s, kind: service, depends_on: [s]}\n",
        );
        let g = DependencyGraph::new(&m);
        let cycles = g.cycles();
        let named: Vec<Vec<&str>> = cycles
            .iter()
            .map(|c| c.nodes.iter().map(|n| g.id(*n)).collect())
            .collect();
        assert_eq!(named, vec![vec!["b", "c", "e"], vec!["s"]]);
        let blocked = g.blocked();
        let blocked_ids: Vec<&str> = g
            .nodes()
            .filter(|n| blocked[n.index()])
            .map(|n| g.id(n))
            .collect();
        assert_eq!(blocked_ids, ["f", "b", "c", "e", "s"]);
        let order: Vec<&str> = g.recovery_order().iter().map(|n| g.id(*n)).collect();
        assert_eq!(order, ["d", "ok"]);
    }
}
