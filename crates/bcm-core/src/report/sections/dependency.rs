//! Sections A (validation), B (objectives), C (impact), D (SPOF) and G (availability).

use serde_json::{Value, json};

use crate::model::Criticality;
use crate::report::charts;
use crate::report::facts::Facts;
use crate::report::table::{ColumnKind as K, Table, col, first_items, money_text, percent_text};
use crate::report::{Section, diagram};

use super::{NO_SCENARIO, v};

pub(super) fn validation(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("validation", "A", "Validation");
    let errors = facts.validation.errors().count();
    let warnings = facts.validation.warnings().count();
    s.lead.push(if errors == 0 {
        format!("The model is valid, with {warnings} warning(s).")
    } else {
        format!(
            "The model has {errors} error(s) and {warnings} warning(s); the analyses leave out \
             what the errors break."
        )
    });
    let mut t = Table::new(
        "findings",
        "Findings",
        vec![
            col("severity", "Severity", K::Text),
            col("code", "Code", K::Text),
            col("path", "Where", K::Text),
            col("message", "Finding", K::Text),
        ],
    );
    let mut findings: Vec<_> = facts.validation.findings.iter().collect();
    // Errors first (the enum orders error before warning), then by code and place.
    findings.sort_by(|a, b| {
        (a.severity, a.code.as_str(), &a.path).cmp(&(b.severity, b.code.as_str(), &b.path))
    });
    for f in findings {
        t.push(vec![
            v(f.severity),
            json!(f.code.as_str()),
            json!(f.path),
            json!(f.message),
        ]);
    }
    s.tables.push(t);
    s
}

pub(super) fn objectives(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("objectives", "B", "Required objectives and gaps");
    let mut t = Table::new(
        "gaps",
        "Gaps: what cannot come back as fast as its dependents need",
        vec![
            col("id", "Node", K::Text),
            col("kind", "Kind", K::Text),
            col("gap", "Gap", K::Text),
            col("required", "Required", K::Seconds),
            col("achievable", "Achievable", K::Seconds),
            col("shortfall", "Short by", K::Seconds),
        ],
    );
    let mut rows: Vec<(u64, Vec<Value>)> = Vec::new();
    for n in &facts.objectives.nodes {
        for f in &n.figures {
            let short = f.achievable.saturating_sub(f.required);
            rows.push((
                short,
                vec![
                    json!(n.id),
                    json!(n.kind),
                    v(f.gap),
                    json!(f.required),
                    json!(f.achievable),
                    json!(short),
                ],
            ));
        }
    }
    // The largest shortfall first; ties keep ID order.
    rows.sort_by_key(|row| std::cmp::Reverse(row.0));
    let nodes = rows.len();
    for (_, row) in rows {
        t.push(row);
    }
    s.lead.push(format!(
        "{} node(s) in all; {nodes} gap(s). A node's required time is the latest it may come \
         back for every function that needs it to meet its RTO (the backward pass, on declared \
         values).",
        facts.objectives.nodes.len()
    ));
    s.tables.push(t);
    s
}

pub(super) fn impact(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("impact", "C", "Impact of the worst site loss");
    let Some(scenario) = &facts.scenario else {
        return s.unavailable(NO_SCENARIO);
    };
    let impact = &scenario.impact;
    let currency = facts.currency_unit();
    let categories: Vec<&String> = impact.totals.keys().collect();
    s.lead.push(format!(
        "Losing {} and recovering nothing affects {} function(s). Totals at the last impact \
         step: {}.",
        scenario.lose.join(", "),
        impact.functions.len(),
        if impact.totals.is_empty() {
            "none declared".to_owned()
        } else {
            impact
                .totals
                .iter()
                .map(|(c, x)| {
                    if c == "financial" {
                        format!("{c} {}", money_text(*x, currency))
                    } else {
                        format!("{c} {x}")
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        }
    ));
    let mut columns = vec![
        col("id", "Function", K::Text),
        col("critical", "Critical", K::Flag),
        col("down_at", "Down at", K::Seconds),
    ];
    for c in &categories {
        let kind = if c.as_str() == "financial" {
            K::Money
        } else {
            K::Number
        };
        columns.push(col(c, c, kind));
    }
    let mut t = Table::new("functions", "Affected functions, never recovered", columns);
    let lead_category = categories
        .iter()
        .position(|c| c.as_str() == "financial")
        .or(if categories.is_empty() { None } else { Some(0) });
    let mut functions: Vec<_> = impact.functions.iter().collect();
    let weight = |f: &crate::impact::FunctionImpact| {
        lead_category
            .and_then(|i| categories.get(i))
            .and_then(|c| f.impact.get(c.as_str()))
            .copied()
            .unwrap_or(0.0)
    };
    functions.sort_by(|a, b| {
        facts
            .is_critical(&b.id)
            .cmp(&facts.is_critical(&a.id))
            .then(weight(b).total_cmp(&weight(a)))
            .then(a.down_at.cmp(&b.down_at))
    });
    for f in functions {
        let mut row = vec![
            json!(f.id),
            json!(facts.is_critical(&f.id)),
            json!(f.down_at),
        ];
        for c in &categories {
            row.push(json!(f.impact.get(c.as_str()).copied().unwrap_or(0.0)));
        }
        t.push(row);
    }
    s.tables.push(t);
    if let Some(chart) = charts::impact_curves(facts, scenario) {
        s.charts.push(chart);
    }
    s
}

pub(super) fn spof(facts: &Facts<'_>) -> Section {
    let mut s = Section::new(
        "spof",
        "D",
        "Single points of failure and failover coverage",
    );
    let c = facts.spof.coverage;
    s.lead.push(format!(
        "{} of {} critical function(s) have no single point of failure{}; {} of them fail over \
         in real time or near real time on every redundancy group they need (SCF BCD-12.2).",
        c.without_spof,
        c.critical,
        if c.critical > 0 {
            format!(
                " ({})",
                percent_text(c.without_spof as f64 / c.critical as f64)
            )
        } else {
            String::new()
        },
        c.with_realtime_failover
    ));
    let mut units = Table::new(
        "units",
        "Units by blast radius: what each takes down alone",
        vec![
            col("id", "Unit", K::Text),
            col("kind", "Kind", K::Text),
            col("critical", "Critical functions", K::Count),
            col("takes_down", "Functions", K::Count),
            col("functions", "Takes down (the first 20)", K::List),
        ],
    );
    let graph = facts.analyzer.graph();
    for r in &facts.ranking {
        let id = facts.unit_id(r);
        let kind = graph.failure_unit(id).map(|f| f.kind.as_str());
        units.push(vec![
            json!(id),
            json!(kind),
            json!(r.critical),
            json!(r.functions),
            first_items(facts.spof.takes_down(r.unit)),
        ]);
    }
    let mut functions = Table::new(
        "functions",
        "Functions and their single points of failure",
        vec![
            col("id", "Function", K::Text),
            col("criticality", "Criticality", K::Text),
            col("count", "SPOFs", K::Count),
            col("spofs", "Single points of failure (the first 20)", K::List),
        ],
    );
    let criticality: rustc_hash::FxHashMap<&str, Criticality> = facts
        .model()
        .functions
        .iter()
        .filter_map(|f| f.criticality.map(|c| (f.id.as_str(), c)))
        .collect();
    let ids = facts.spof.function_ids();
    let mut order: Vec<usize> = (0..ids.len()).collect();
    let critical = |f: usize| {
        ids.get(f)
            .is_some_and(|id| criticality.get(id.as_str()) == Some(&Criticality::Critical))
    };
    order.sort_by(|&a, &b| {
        critical(b)
            .cmp(&critical(a))
            .then(facts.spof.spof_count(b).cmp(&facts.spof.spof_count(a)))
            .then(a.cmp(&b))
    });
    for f in order {
        let id = ids.get(f).map_or("", String::as_str);
        functions.push(vec![
            json!(id),
            v(criticality.get(id)),
            json!(facts.spof.spof_count(f)),
            first_items(facts.spof.spofs_of(f)),
        ]);
    }
    s.tables.push(units);
    s.tables.push(functions);
    if let Some(chart) = charts::blast_radius(facts) {
        s.charts.push(chart);
    }
    if let Some(chart) = diagram::critical_graph(facts) {
        s.charts.push(chart);
    }
    s
}

pub(super) fn availability(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("availability", "G", "Availability");
    let mut t = Table::new(
        "functions",
        "Functions, least available first",
        vec![
            col("id", "Function", K::Text),
            col("availability", "Availability", K::FineShare),
            col("annual_downtime", "Expected downtime a year", K::Seconds),
            col("method", "Method", K::Text),
        ],
    );
    let mut functions: Vec<_> = facts
        .availability
        .nodes
        .iter()
        .filter(|n| n.kind == "function")
        .collect();
    functions.sort_by(|a, b| a.availability.total_cmp(&b.availability));
    s.lead.push(format!(
        "Steady-state availability of {} function(s) from their components' MTBF and MTTR \
         (components without failure figures count as always up); the assets' figures are in \
         `bcm availability`.",
        functions.len()
    ));
    for n in functions {
        t.push(vec![
            json!(n.id),
            json!(n.availability),
            json!(n.annual_downtime),
            v(n.method),
        ]);
    }
    s.tables.push(t);
    s
}
