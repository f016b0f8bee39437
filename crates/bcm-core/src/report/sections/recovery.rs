//! Sections E (recovery schedule) and F (recovery simulation) of the report's scenario.

use serde_json::json;

use crate::report::Section;
use crate::report::charts;
use crate::report::facts::{Choice, Facts};
use crate::report::table::{ColumnKind as K, Table, col, duration_text};

use super::{NO_SCENARIO, v};

pub(super) fn schedule(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("schedule", "E", "Recovery schedule of the worst site loss");
    let Some(scenario) = &facts.scenario else {
        return s.unavailable(NO_SCENARIO);
    };
    let schedule = &scenario.schedule;
    let breaches = schedule
        .functions
        .iter()
        .filter(|f| f.met == Some(false))
        .count();
    s.lead.push(format!(
        "{} Losing {}: {} function(s) affected, {breaches} miss their RTO; everything is back \
         after {}.",
        match scenario.choice {
            Choice::WorstSite => format!(
                "Of the {} site losses, this one breaks the most RTOs.",
                facts.sites.len()
            ),
            Choice::Given => "The scenario asked for.".to_owned(),
        },
        scenario.lose.join(", "),
        schedule.functions.len(),
        schedule.makespan.map_or(
            "never (something is never restored)".to_owned(),
            duration_text
        )
    ));
    let mut t = Table::new(
        "functions",
        "Affected functions, RTO breaches first",
        vec![
            col("id", "Function", K::Text),
            col("critical", "Critical", K::Flag),
            col("rto", "RTO", K::Seconds),
            col("up_at", "Back at", K::Seconds),
            col("met", "RTO met", K::Flag),
            col("breach", "Missed by", K::Overrun),
            col("mtd_met", "MTD met", K::Flag),
            col("capacity_shortfall", "Staffing short", K::Flag),
            col("critical_path", "Decided by", K::List),
        ],
    );
    let mut functions: Vec<_> = schedule.functions.iter().collect();
    // Misses first, the largest (never back) first; then the latest back.
    let miss = |f: &crate::schedule::FunctionSchedule| match (f.met, f.breach) {
        (Some(false), None) => u64::MAX,
        (Some(false), Some(b)) => b,
        _ => 0,
    };
    functions.sort_by(|a, b| {
        miss(b)
            .cmp(&miss(a))
            .then(
                b.up_at
                    .unwrap_or(u64::MAX)
                    .cmp(&a.up_at.unwrap_or(u64::MAX)),
            )
            .then(a.id.cmp(&b.id))
    });
    for f in functions {
        t.push(vec![
            json!(f.id),
            json!(facts.is_critical(&f.id)),
            json!(f.rto),
            json!(f.up_at),
            json!(f.met),
            // 0 when met; null when never back (or without an RTO, where `met` is null too).
            json!(f.breach),
            json!(f.mtd_met),
            json!(f.capacity_shortfall),
            v(&f.critical_path),
        ]);
    }
    s.tables.push(t);
    let mut waves = Table::new(
        "waves",
        "Restore waves (the runbook)",
        vec![
            col("start", "Start", K::Seconds),
            col("restores", "Restores", K::List),
        ],
    );
    for w in &schedule.waves {
        waves.push(vec![json!(w.start), json!(w.restores)]);
    }
    s.tables.push(waves);
    let mut sites = Table::new(
        "sites",
        "Every site loss, the worst first",
        vec![
            col("site", "Site", K::Text),
            col("breaches", "RTOs missed", K::Count),
            col("never_back", "Never back", K::Count),
            col("affected", "Functions affected", K::Count),
        ],
    );
    let mut losses: Vec<_> = facts.sites.iter().collect();
    losses.sort_by(|a, b| {
        (b.breaches, b.never_back, b.affected)
            .cmp(&(a.breaches, a.never_back, a.affected))
            .then(a.site.cmp(&b.site))
    });
    for l in losses {
        sites.push(vec![
            json!(l.site),
            json!(l.breaches),
            json!(l.never_back),
            json!(l.affected),
        ]);
    }
    s.tables.push(sites);
    if let Some(chart) = charts::gantt(facts, scenario) {
        s.charts.push(chart);
    }
    s
}

pub(super) fn simulation(facts: &Facts<'_>) -> Section {
    let mut s = Section::new(
        "simulation",
        "F",
        "Recovery simulation of the worst site loss",
    );
    let Some(scenario) = &facts.scenario else {
        return s.unavailable(NO_SCENARIO);
    };
    let sim = &scenario.simulation;
    s.lead.push(format!(
        "{} iterations (seed {}) of losing {}, every three-point duration drawn from its \
         beta-PERT: the share of recoveries that meet each RTO and MTD, and the recovery-time \
         percentiles.",
        sim.iterations,
        sim.seed,
        scenario.lose.join(", ")
    ));
    let mut t = Table::new(
        "functions",
        "Functions, least likely to meet their RTO first",
        vec![
            col("id", "Function", K::Text),
            col("critical", "Critical", K::Flag),
            col("p_meet_rto", "P(meet RTO)", K::Share),
            col("p_meet_mtd", "P(meet MTD)", K::Share),
            col("mean", "Mean", K::Seconds),
            col("p50", "P50", K::Seconds),
            col("p90", "P90", K::Seconds),
            col("p99", "P99", K::Seconds),
        ],
    );
    let mut functions: Vec<_> = sim.functions.iter().collect();
    functions.sort_by(|a, b| {
        let p = |x: Option<f64>| x.unwrap_or(2.0);
        p(a.p_meet_rto)
            .total_cmp(&p(b.p_meet_rto))
            .then(p(a.p_meet_mtd).total_cmp(&p(b.p_meet_mtd)))
            .then(a.id.cmp(&b.id))
    });
    for f in functions {
        t.push(vec![
            json!(f.id),
            json!(facts.is_critical(&f.id)),
            json!(f.p_meet_rto),
            json!(f.p_meet_mtd),
            json!(f.mean.map(|m| m.round() as u64)),
            json!(f.p50),
            json!(f.p90),
            json!(f.p99),
        ]);
    }
    s.tables.push(t);
    let mut nodes = Table::new(
        "critical-nodes",
        "What most often decides a recovery",
        vec![
            col("id", "Node", K::Text),
            col("critical_share", "On a critical path", K::Share),
        ],
    );
    let mut shares: Vec<_> = sim
        .nodes
        .iter()
        .filter(|n| n.critical_share > 0.0)
        .collect();
    shares.sort_by(|a, b| {
        b.critical_share
            .total_cmp(&a.critical_share)
            .then(a.id.cmp(&b.id))
    });
    for n in shares {
        nodes.push(vec![json!(n.id), json!(n.critical_share)]);
    }
    s.tables.push(nodes);
    if let Some(chart) = charts::recovery_distribution(facts, scenario) {
        s.charts.push(chart);
    }
    s
}
