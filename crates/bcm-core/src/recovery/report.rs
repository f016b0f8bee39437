//! The rows of a [`Schedule`] written from a run's times: every node of the model by ID, the
//! affected functions with their verdicts and critical paths, the waves and the makespan.
//!
//! Invariant: rows are in ID order, and a node the loss cannot reach is listed with `null`s.

use petgraph::graph::NodeIndex;

use crate::Analyzer;
use crate::graph::{DependencyGraph, NodeKind};
use crate::model::Model;

use super::bits::{NO, NONE, opt, to_u32};
use super::engine::Run;
use super::index::At;
use super::path::Deciders;
use super::plan::Plan;
use super::schedule::*;

/// Whether some function of the plan misses its RTO in `run` (otherwise no function can have a
/// capacity shortfall, and the unlimited run is not needed).
pub(super) fn misses_an_rto(
    model: &Model,
    graph: &DependencyGraph,
    plan: &Plan,
    run: &Run,
) -> bool {
    plan.functions.iter().any(|&f| {
        let rto = plan
            .nodes
            .get(f as usize)
            .and_then(|&n| graph.weight(n))
            .and_then(|w| model.functions.get(w.index))
            .and_then(|function| function.rto);
        let down = run.down.at(f);
        let up = run.up.at(f);
        rto.is_some_and(|rto| down != NONE && up > rto.as_secs())
    })
}

pub(super) fn build(analyzer: &Analyzer<'_>, times: &ScheduleTimes) -> Schedule {
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

    let deciders = Deciders::new(
        times
            .nodes
            .iter()
            .map(|&n| Box::from(graph.id(n)))
            .collect(),
        times.decided.clone(),
    );
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
            critical_path: deciders.path(f),
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
