//! The Gantt view of a written schedule: restores in lanes per team, functions with their RTOs,
//! and its Mermaid text.

use serde::Serialize;

use crate::Analyzer;
use crate::model::Model;

use super::schedule::Schedule;

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
    /// assert!(text.contains("    pay RTO : milestone, m0, 14400, 14400\n"));
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
                    // Under `dateFormat X` a bare number after the start is an end time, not a
                    // duration, and a milestone is drawn midway: `rto, 0` landed at half the
                    // RTO. Ending where it starts puts it on the RTO.
                    let _ = writeln!(
                        out,
                        "    {} RTO : milestone, m{i}, {rto}, {rto}",
                        clean(&f.id)
                    );
                }
            }
        }
        out
    }
}
