//! Every analysis on every model that loads (seeded from examples/ and the fixtures, so mutations
//! stay mostly valid), losing the failure unit the last input byte picks.
#![no_main]

use bcm_core::availability::AvailabilityParams;
use bcm_core::conformance::ConformanceParams;
use bcm_core::currency::CurrencyParams;
use bcm_core::maturity::MaturityParams;
use bcm_core::risk::RiskParams;
use bcm_core::impact::ImpactParams;
use bcm_core::schedule::ScheduleParams;
use bcm_core::simulate::SimulateParams;
use bcm_core::{Format, Threads, read_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, text)) = data.split_last() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(text) else {
        return;
    };
    let Some(analyzer) = read_document(text, Format::Yaml).analyzer else {
        return;
    };
    analyzer.set_threads(Threads::ONE);
    let _ = analyzer.objectives(&Default::default());
    let _ = analyzer.spof(&Default::default());
    let _ = analyzer.availability(&AvailabilityParams {
        iterations: 128,
        seed: u64::from(pick),
    });
    // The governance analyses at a date the last byte moves across 2024-2026.
    let at: bcm_core::Date = chrono_day(pick);
    let _ = analyzer.currency(&CurrencyParams::at(at));
    let _ = analyzer.maturity(&MaturityParams::at(at));
    for profile in ["ma-ebcm", "itscm"] {
        let _ = analyzer.conformance(&ConformanceParams::at(at, profile));
    }
    let _ = analyzer.risk(&RiskParams::new(64, u64::from(pick)));
    // The exports for GRC tools at that date: OSCAL documents are JSON, the register is CSV.
    for format in bcm_core::interchange::ExportFormat::ALL {
        let params = bcm_core::interchange::ExportParams::new(format, Some(at));
        if let Ok(export) = analyzer.export(&params)
            && format != bcm_core::interchange::ExportFormat::DoraB0601
        {
            assert!(serde_json::from_str::<serde_json::Value>(&export.content).is_ok());
        }
    }
    // The report (every section, its charts, every format) at that date, worst site loss.
    if let Ok(report) = analyzer.report(&bcm_core::report::ReportParams {
        at: Some(at),
        iterations: 8,
        years: 16,
        seed: u64::from(pick),
        redact_personal: pick % 2 == 0,
        ..Default::default()
    }) {
        use bcm_core::report::Format as Out;
        for format in [Out::Html, Out::Markdown, Out::Json] {
            assert!(bcm_core::report::render(&report, format).is_ok());
        }
        assert!(report.csv_files().is_ok());
    }
    for format in [
        bcm_core::report::GraphFormat::Dot,
        bcm_core::report::GraphFormat::Mermaid,
    ] {
        let _ = bcm_core::report::export_graph(
            &analyzer,
            &bcm_core::report::GraphParams {
                format,
                ..Default::default()
            },
        );
    }
    let units = analyzer.graph().failure_units();
    if units.is_empty() {
        return;
    }
    let unit = &units[usize::from(pick) % units.len()];
    let lose = vec![unit.id.to_string()];
    let _ = analyzer.impact(&ImpactParams {
        lose: lose.clone(),
        at: None,
    });
    if let Ok(schedule) = analyzer.schedule(&ScheduleParams { lose: lose.clone() }) {
        let _ = analyzer.gantt(&schedule);
        for f in &schedule.functions {
            assert!(f.critical_path.len() <= schedule.nodes.len());
        }
    }
    let _ = analyzer.simulate(&SimulateParams {
        lose,
        iterations: 20,
        seed: u64::from(pick),
    });
});

/// A day between 2024-01-01 and 2026-12-27, by `pick`.
fn chrono_day(pick: u8) -> bcm_core::Date {
    let (year, day) = (2024 + u32::from(pick) / 86, u32::from(pick) % 86 * 4 + 1);
    format!("{year}-{:02}-{:02}", day / 31 % 12 + 1, day % 28 + 1)
        .parse()
        .unwrap_or_else(|_| "2026-07-01".parse().expect("a date"))
}
