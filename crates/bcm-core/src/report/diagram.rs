//! The dependency graph drawn: as the report's layered SVG of the critical functions, and as
//! Graphviz DOT and Mermaid text (`bcm graph`). Kinds are shapes; single points of failure have
//! a thick red border, functions that miss their RTO in the scenario a red fill.
//!
//! The layout is our own Sugiyama-style sketch — layers by longest path from the functions,
//! order within a layer by a few barycenter sweeps — because the layered-layout crate we looked
//! at (`layout-rs`) unwraps on inputs we cannot rule out, and a report must not panic on a
//! user's graph. It is linear in the drawn subgraph per sweep, and the subgraph is capped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use petgraph::graph::NodeIndex;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::Analyzer;
use crate::graph::{DependencyGraph, NodeKind};
use crate::schedule::ScheduleParams;

use super::Chart;
use super::facts::Facts;

/// The most nodes the report's graph draws in full; beyond, it draws the critical paths only.
pub const READABLE_NODES: usize = 100;

/// A graph export's format.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    #[default]
    Dot,
    /// A Mermaid `flowchart`.
    Mermaid,
}

/// What a graph export shows, and how.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GraphParams {
    /// DOT (default) or Mermaid.
    pub format: GraphFormat,
    /// Only this function and what it depends on (transitively); `None`: the whole model.
    pub function: Option<String>,
    /// The scenario whose RTO misses are marked; empty: the worst site loss.
    pub lose: Vec<String>,
}

/// Why a graph cannot be exported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// `function` names no function of the model.
    #[error("function: there is no function '{0}'")]
    UnknownFunction(String),
    /// The scenario cannot be scheduled.
    #[error("lose: {0}")]
    Scenario(#[from] crate::schedule::ScheduleError),
}

/// The marks of a drawing: single points of failure and functions that miss their RTO.
struct Marks {
    spof: FxHashSet<NodeIndex>,
    breached: FxHashSet<NodeIndex>,
}

/// The nodes `start` depends on, transitively (hard and soft), with `start`, in discovery order.
fn closure(graph: &DependencyGraph, start: &[NodeIndex]) -> Vec<NodeIndex> {
    let mut seen: FxHashSet<NodeIndex> = start.iter().copied().collect();
    let mut order: Vec<NodeIndex> = start.to_vec();
    let mut next = 0;
    while let Some(&n) = order.get(next) {
        next += 1;
        for (m, _) in graph.dependencies(n) {
            if seen.insert(m) {
                order.push(m);
            }
        }
    }
    order
}

/// Exports the dependency graph as DOT or Mermaid, marked with the SPOFs and the RTO misses of a
/// scenario (by default the worst site loss).
///
/// # Errors
/// [`GraphError`] for an unknown function or a scenario that cannot be scheduled.
pub fn export_graph(analyzer: &Analyzer<'_>, params: &GraphParams) -> Result<String, GraphError> {
    let graph = analyzer.graph();
    let nodes: Vec<NodeIndex> = match &params.function {
        Some(id) => {
            let n = graph
                .node(id)
                .filter(|n| {
                    graph
                        .weight(*n)
                        .is_some_and(|w| w.kind == NodeKind::Function)
                })
                .ok_or_else(|| GraphError::UnknownFunction(id.clone()))?;
            closure(graph, &[n])
        }
        None => graph.by_id().to_vec(),
    };
    let lose = if params.lose.is_empty() {
        super::facts::worst_site(analyzer)?.map(|w| vec![w])
    } else {
        Some(params.lose.clone())
    };
    let breached: FxHashSet<NodeIndex> = match lose {
        Some(lose) => analyzer
            .schedule(&ScheduleParams { lose })?
            .functions
            .iter()
            .filter(|f| f.met == Some(false))
            .filter_map(|f| graph.node(&f.id))
            .collect(),
        None => FxHashSet::default(),
    };
    let spof = analyzer.spof(&Default::default());
    let marks = Marks {
        spof: spof
            .ranking()
            .iter()
            .filter_map(|r| spof.unit_ids().get(r.unit))
            .filter_map(|id| graph.node(id))
            .collect(),
        breached,
    };
    Ok(match params.format {
        GraphFormat::Dot => dot(graph, &nodes, &marks),
        GraphFormat::Mermaid => mermaid(graph, &nodes, &marks),
    })
}

fn kind(graph: &DependencyGraph, n: NodeIndex) -> NodeKind {
    graph.weight(n).map_or(NodeKind::Asset, |w| w.kind)
}

/// A DOT string literal.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn dot(graph: &DependencyGraph, nodes: &[NodeIndex], marks: &Marks) -> String {
    let kept: FxHashSet<NodeIndex> = nodes.iter().copied().collect();
    let mut out = String::from(
        "// bcm dependency graph: an edge points from a node to what it needs; dashed edges are \
         soft.\n// Shapes: function = rounded box, asset = box, redundancy group = double \
         octagon, vendor = hexagon.\n// Red border: a single point of failure; red fill: a \
         function that misses its RTO in the scenario.\ndigraph bcm {\n  rankdir=TB;\n  node \
         [fontname=\"sans-serif\", fontsize=10];\n  edge [color=\"#607d8b\"];\n",
    );
    for &n in nodes {
        let shape = match kind(graph, n) {
            NodeKind::Function => "box, style=\"rounded,filled\", fillcolor=\"#e3f2fd\"",
            NodeKind::Asset => "box, style=filled, fillcolor=\"#f5f5f5\"",
            NodeKind::Group => "doubleoctagon, style=filled, fillcolor=\"#f5f5f5\"",
            NodeKind::Vendor => "hexagon, style=filled, fillcolor=\"#fff8e1\"",
        };
        let mut attrs = format!("shape={shape}");
        if marks.spof.contains(&n) {
            attrs.push_str(", color=\"#c62828\", penwidth=3");
        }
        if marks.breached.contains(&n) {
            attrs.push_str(", fillcolor=\"#ffcdd2\"");
        }
        let _ = writeln!(out, "  {} [{attrs}];", quoted(graph.id(n)));
    }
    for &n in nodes {
        for (m, e) in graph.dependencies(n) {
            if kept.contains(&m) {
                let style = if e.is_hard() { "" } else { " [style=dashed]" };
                let _ = writeln!(
                    out,
                    "  {} -> {}{style};",
                    quoted(graph.id(n)),
                    quoted(graph.id(m))
                );
            }
        }
    }
    out.push_str("}\n");
    out
}

/// A Mermaid label: quotes and markup characters as entity codes.
fn mermaid_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '#' => out.push_str("#35;"),
            c => out.push(c),
        }
    }
    out
}

fn mermaid(graph: &DependencyGraph, nodes: &[NodeIndex], marks: &Marks) -> String {
    // Mermaid node IDs are restricted; number the nodes and show the real ID as the label.
    let number: FxHashMap<NodeIndex, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut out = String::from(
        "%% bcm dependency graph: an arrow points from a node to what it needs; dotted arrows \
         are soft.\n%% Shapes: function = stadium, asset = box, redundancy group = subroutine, \
         vendor = hexagon.\nflowchart TD\n",
    );
    for (i, &n) in nodes.iter().enumerate() {
        let label = mermaid_label(graph.id(n));
        let _ = match kind(graph, n) {
            NodeKind::Function => writeln!(out, "  n{i}([\"{label}\"])"),
            NodeKind::Asset => writeln!(out, "  n{i}[\"{label}\"]"),
            NodeKind::Group => writeln!(out, "  n{i}[[\"{label}\"]]"),
            NodeKind::Vendor => writeln!(out, "  n{i}{{{{\"{label}\"}}}}"),
        };
    }
    for (i, &n) in nodes.iter().enumerate() {
        for (m, e) in graph.dependencies(n) {
            if let Some(j) = number.get(&m) {
                let arrow = if e.is_hard() { "-->" } else { "-.->" };
                let _ = writeln!(out, "  n{i} {arrow} n{j}");
            }
        }
    }
    out.push_str(
        "  classDef spof stroke:#c62828,stroke-width:3px\n  classDef breached fill:#ffcdd2\n",
    );
    for (class, set) in [("spof", &marks.spof), ("breached", &marks.breached)] {
        let members: Vec<String> = nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| set.contains(n))
            .map(|(i, _)| format!("n{i}"))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

/// The report's drawing of the critical functions' dependencies: in full up to
/// [`READABLE_NODES`] nodes, else only the critical paths of the scenario's critical functions
/// (what decided when each is back), capped at the same size.
pub(super) fn critical_graph(facts: &Facts<'_>) -> Option<Chart> {
    let graph = facts.analyzer.graph();
    let critical: Vec<NodeIndex> = graph
        .by_id()
        .iter()
        .copied()
        .filter(|n| kind(graph, *n) == NodeKind::Function && facts.is_critical(graph.id(*n)))
        .collect();
    if critical.is_empty() {
        return None;
    }
    let full = closure(graph, &critical);
    let (nodes, scope) = if full.len() <= READABLE_NODES {
        (full, "everything the critical functions depend on")
    } else {
        let mut keep: Vec<NodeIndex> = Vec::new();
        let mut seen = FxHashSet::default();
        if let Some(s) = &facts.scenario {
            for f in &s.schedule.functions {
                if !facts.is_critical(&f.id) {
                    continue;
                }
                let path = std::iter::once(f.id.as_str()).chain(f.critical_path.iter());
                for id in path {
                    if let Some(n) = graph.node(id)
                        && seen.insert(n)
                    {
                        keep.push(n);
                    }
                }
            }
        }
        keep.truncate(READABLE_NODES);
        if keep.is_empty() {
            return None;
        }
        (
            keep,
            "the critical paths of the critical functions in the worst site loss",
        )
    };
    let marks = Marks {
        spof: facts
            .ranking
            .iter()
            .filter_map(|r| graph.node(facts.unit_id(r)))
            .collect(),
        breached: facts
            .scenario
            .iter()
            .flat_map(|s| s.schedule.functions.iter())
            .filter(|f| f.met == Some(false))
            .filter_map(|f| graph.node(&f.id))
            .collect(),
    };
    Some(draw(graph, &nodes, &marks, scope))
}

const SLOT_W: f64 = 150.0;
const BOX_W: f64 = 136.0;
const BOX_H: f64 = 30.0;
const LAYER_H: f64 = 80.0;
const LABEL_CHARS: usize = 20;

/// Layers by longest path from the top (what nothing drawn depends on); a node on a cycle goes
/// one below the deepest layer placed.
fn layers(graph: &DependencyGraph, nodes: &[NodeIndex]) -> Vec<Vec<NodeIndex>> {
    let kept: FxHashSet<NodeIndex> = nodes.iter().copied().collect();
    let mut indegree: FxHashMap<NodeIndex, usize> = nodes.iter().map(|n| (*n, 0)).collect();
    for &n in nodes {
        for (m, _) in graph.dependencies(n) {
            if kept.contains(&m)
                && let Some(d) = indegree.get_mut(&m)
            {
                *d += 1;
            }
        }
    }
    let mut layer: FxHashMap<NodeIndex, usize> = FxHashMap::default();
    let mut ready: Vec<NodeIndex> = nodes
        .iter()
        .copied()
        .filter(|n| indegree.get(n) == Some(&0))
        .collect();
    for n in &ready {
        layer.insert(*n, 0);
    }
    while let Some(n) = ready.pop() {
        let here = layer.get(&n).copied().unwrap_or(0);
        for (m, _) in graph.dependencies(n) {
            if !kept.contains(&m) {
                continue;
            }
            let l = layer.entry(m).or_insert(0);
            *l = (*l).max(here + 1);
            if let Some(d) = indegree.get_mut(&m) {
                *d = d.saturating_sub(1);
                if *d == 0 {
                    ready.push(m);
                }
            }
        }
    }
    let deepest = layer.values().copied().max().unwrap_or(0);
    let mut out: Vec<Vec<NodeIndex>> = Vec::new();
    for &n in nodes {
        // Only nodes on or below a cycle never reach in-degree zero.
        let l = if indegree.get(&n) == Some(&0) {
            layer.get(&n).copied().unwrap_or(0)
        } else {
            deepest + 1
        };
        if out.len() <= l {
            out.resize_with(l + 1, Vec::new);
        }
        if let Some(row) = out.get_mut(l) {
            row.push(n);
        }
    }
    for row in &mut out {
        row.sort_by(|a, b| graph.id(*a).cmp(graph.id(*b)));
    }
    out
}

/// Reorders each layer by the mean position of its neighbours in the layer above (down sweeps)
/// or below (up sweeps): fewer crossings, deterministically.
fn sweep(graph: &DependencyGraph, rows: &mut [Vec<NodeIndex>]) {
    let position = |rows: &[Vec<NodeIndex>]| -> FxHashMap<NodeIndex, f64> {
        rows.iter()
            .flat_map(|r| r.iter().enumerate().map(|(i, n)| (*n, i as f64)))
            .collect()
    };
    for round in 0..4 {
        let pos = position(rows);
        let down = round % 2 == 0;
        for row in rows.iter_mut() {
            let mut keyed: Vec<(f64, NodeIndex)> = row
                .iter()
                .enumerate()
                .map(|(i, &n)| {
                    let neighbours: Vec<f64> = if down {
                        graph
                            .dependents(n)
                            .filter_map(|(m, _)| pos.get(&m).copied())
                            .collect()
                    } else {
                        graph
                            .dependencies(n)
                            .filter_map(|(m, _)| pos.get(&m).copied())
                            .collect()
                    };
                    let key = if neighbours.is_empty() {
                        i as f64
                    } else {
                        neighbours.iter().sum::<f64>() / neighbours.len() as f64
                    };
                    (key, n)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(graph.id(a.1).cmp(graph.id(b.1))));
            *row = keyed.into_iter().map(|(_, n)| n).collect();
        }
    }
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn short(id: &str) -> String {
    if id.chars().count() <= LABEL_CHARS {
        id.to_owned()
    } else {
        let head: String = id.chars().take(LABEL_CHARS - 1).collect();
        format!("{head}…")
    }
}

fn draw(graph: &DependencyGraph, nodes: &[NodeIndex], marks: &Marks, scope: &str) -> Chart {
    let mut rows = layers(graph, nodes);
    sweep(graph, &mut rows);
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let width = widest as f64 * SLOT_W + 20.0;
    let height = rows.len() as f64 * LAYER_H + 60.0;
    let mut at: FxHashMap<NodeIndex, (f64, f64)> = FxHashMap::default();
    for (l, row) in rows.iter().enumerate() {
        // Each layer centred.
        let offset = (width - row.len() as f64 * SLOT_W) / 2.0;
        for (i, n) in row.iter().enumerate() {
            let x = offset + i as f64 * SLOT_W + SLOT_W / 2.0;
            let y = 50.0 + l as f64 * LAYER_H;
            at.insert(*n, (x, y));
        }
    }
    let title = "Dependencies of the critical functions".to_owned();
    let description = format!(
        "Layered graph of {} node(s): {scope}. Functions are rounded, groups dashed, vendors \
         are ellipses; arrows point to what a node needs. A red border marks a single point of \
         failure, a red fill a function that misses its RTO in the worst site loss.",
        nodes.len()
    );
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"{width:.0}\" \
         height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\"><title>{}</title>\
         <desc>{}</desc><defs><marker id=\"bcm-arrow\" markerWidth=\"8\" markerHeight=\"6\" \
         refX=\"8\" refY=\"3\" orient=\"auto\"><polygon points=\"0 0, 8 3, 0 6\" \
         fill=\"#78909c\"/></marker></defs><rect width=\"100%\" height=\"100%\" \
         fill=\"white\"/><text x=\"10\" y=\"22\" font-family=\"sans-serif\" \
         font-size=\"14\">{}</text>",
        xml(&title),
        xml(&description),
        xml(&title)
    );
    let kept: BTreeSet<usize> = nodes.iter().map(|n| n.index()).collect();
    for &n in nodes {
        let Some(&(x1, y1)) = at.get(&n) else {
            continue;
        };
        for (m, e) in graph.dependencies(n) {
            if !kept.contains(&m.index()) {
                continue;
            }
            let Some(&(x2, y2)) = at.get(&m) else {
                continue;
            };
            let dash = if e.is_hard() {
                ""
            } else {
                " stroke-dasharray=\"4 3\""
            };
            let _ = write!(
                svg,
                "<line x1=\"{x1:.1}\" y1=\"{:.1}\" x2=\"{x2:.1}\" y2=\"{:.1}\" \
                 stroke=\"#90a4ae\"{dash} marker-end=\"url(#bcm-arrow)\"/>",
                y1 + BOX_H / 2.0,
                y2 - BOX_H / 2.0
            );
        }
    }
    for &n in nodes {
        let Some(&(x, y)) = at.get(&n) else { continue };
        let (left, top) = (x - BOX_W / 2.0, y - BOX_H / 2.0);
        let spof = marks.spof.contains(&n);
        let breached = marks.breached.contains(&n);
        let stroke = if spof {
            "stroke=\"#c62828\" stroke-width=\"3\""
        } else {
            "stroke=\"#607d8b\" stroke-width=\"1\""
        };
        let kind = kind(graph, n);
        let fill = match (kind, breached) {
            (_, true) => "#ffcdd2",
            (NodeKind::Function, false) => "#e3f2fd",
            (NodeKind::Vendor, false) => "#fff8e1",
            _ => "#f5f5f5",
        };
        let _ = match kind {
            NodeKind::Vendor => write!(
                svg,
                "<ellipse cx=\"{x:.1}\" cy=\"{y:.1}\" rx=\"{:.1}\" ry=\"{:.1}\" fill=\"{fill}\" \
                 {stroke}/>",
                BOX_W / 2.0,
                BOX_H / 2.0
            ),
            NodeKind::Group => write!(
                svg,
                "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" \
                 fill=\"{fill}\" {stroke} stroke-dasharray=\"5 2\"/>"
            ),
            NodeKind::Function => write!(
                svg,
                "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" \
                 rx=\"12\" fill=\"{fill}\" {stroke}/>"
            ),
            NodeKind::Asset => write!(
                svg,
                "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{BOX_W}\" height=\"{BOX_H}\" \
                 fill=\"{fill}\" {stroke}/>"
            ),
        };
        let _ = write!(
            svg,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-family=\"sans-serif\" \
             font-size=\"11\"><title>{}</title>{}</text>",
            y + 4.0,
            xml(graph.id(n)),
            xml(&short(graph.id(n)))
        );
    }
    svg.push_str("</svg>");
    Chart {
        title,
        description,
        svg,
    }
}
