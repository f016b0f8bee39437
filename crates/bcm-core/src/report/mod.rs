//! The report (DESIGN §4.L): the product's front page. [`build`] runs every analysis once and
//! keeps what a continuity planner reads first — a summary, then one section per analysis A–K
//! with its tables (sorted by what needs attention first) and its charts — as data; [`render`]
//! writes that data as self-contained HTML (inline CSS and SVG, no script) or Markdown, and the
//! report itself serialises as JSON; [`Report::csv_files`] writes every table as CSV.
//!
//! Invariant: the report reads the analyses' results and never recomputes a meaning of its own:
//! every figure in it is one an analysis returns (so the report agrees with `bcm schedule`,
//! `bcm risk` and the rest by construction).

mod charts;
mod diagram;
mod facts;
mod render;
mod sections;
mod summary;
mod table;

use serde::Serialize;

use crate::Analyzer;
use crate::model::Date;

pub use diagram::{GraphError, GraphFormat, GraphParams, READABLE_NODES, export_graph};
pub use render::{Format, RenderError, render};
pub use summary::{Blast, Breach, Headline, ModelSize, Summary, WorstLoss};
pub use table::{Column, ColumnKind, LISTED, SHOWN_ROWS, Table};

/// What a report covers. `Default` is the worst site loss, no date (the governance sections then
/// say they need one), 1,000 iterations of the recovery simulation, 10,000 simulated years of
/// risk, seed 0 and the `ma-ebcm` profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportParams {
    /// The date to judge plan currency, conformance and maturity at.
    pub at: Option<Date>,
    /// The scenario of the recovery sections; empty means the worst site loss (the site whose
    /// loss breaks the most RTOs).
    pub lose: Vec<String>,
    /// Iterations of the recovery simulation.
    pub iterations: u64,
    /// Simulated years of the risk analysis.
    pub years: u64,
    /// The seed of both.
    pub seed: u64,
    /// The conformance profile: `ma-ebcm` or `itscm`.
    pub profile: String,
    /// Leave out contacts' names, phones and e-mail addresses everywhere.
    pub redact_personal: bool,
}

/// The default iterations of a report's recovery simulation: shares to about a point, and a
/// report of a large estate in seconds.
pub const DEFAULT_ITERATIONS: u64 = 1_000;

/// The default simulated years of a report's risk analysis (as `bcm risk`).
pub const DEFAULT_YEARS: u64 = 10_000;

impl Default for ReportParams {
    fn default() -> Self {
        ReportParams {
            at: None,
            lose: Vec::new(),
            iterations: DEFAULT_ITERATIONS,
            years: DEFAULT_YEARS,
            seed: 0,
            profile: "ma-ebcm".to_owned(),
            redact_personal: false,
        }
    }
}

/// Why a report cannot be built.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// The scenario asked for cannot be scheduled (an unknown failure unit, say).
    #[error("lose: {0}")]
    Scenario(#[from] crate::schedule::ScheduleError),
    /// The recovery simulation refused its parameters or was cancelled.
    #[error("simulation: {0}")]
    Simulation(#[from] crate::simulate::SimulateError),
    /// The risk analysis refused its parameters or was cancelled.
    #[error("risk: {0}")]
    Risk(#[from] crate::risk::RiskError),
    /// The availability analysis was cancelled.
    #[error("availability: {0}")]
    Availability(#[from] crate::availability::AvailabilityError),
    /// An unknown conformance profile.
    #[error("profile: {0}")]
    Conformance(#[from] crate::conformance::ConformanceError),
}

/// A chart: an inline SVG with its accessible title and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    /// What it shows, in a few words (the SVG's `<title>`).
    pub title: String,
    /// What it shows, in a sentence (the SVG's `<desc>`).
    pub description: String,
    /// The SVG document, ready to inline.
    #[serde(skip)]
    pub svg: String,
}

/// One section: an analysis (A–K) or the contacts appendix.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// Stable ID, the anchor in HTML (`#spof`).
    pub id: &'static str,
    /// DESIGN §4's letter, or empty for an appendix.
    pub letter: &'static str,
    /// Title for people.
    pub title: &'static str,
    /// Whether its analysis ran; when not, `lead` says why in one line.
    pub available: bool,
    /// What the section finds, in sentences.
    pub lead: Vec<String>,
    /// Its tables.
    pub tables: Vec<Table>,
    /// Its charts (HTML only; JSON keeps their titles).
    pub charts: Vec<Chart>,
}

impl Section {
    fn new(id: &'static str, letter: &'static str, title: &'static str) -> Self {
        Section {
            id,
            letter,
            title,
            available: true,
            lead: Vec::new(),
            tables: Vec::new(),
            charts: Vec::new(),
        }
    }

    fn unavailable(mut self, why: impl Into<String>) -> Self {
        self.available = false;
        self.lead = vec![why.into()];
        self
    }
}

/// The report: the summary, then the sections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// The organization's name.
    pub organization: String,
    /// The version of bcm that wrote it.
    pub bcm_version: &'static str,
    /// The date of judgement, if any.
    pub at: Option<Date>,
    /// The scenario of the recovery sections (C, E, F), if any.
    pub scenario: Option<Vec<String>>,
    /// Iterations of the recovery simulation.
    pub iterations: u64,
    /// Simulated years of the risk analysis.
    pub years: u64,
    /// The seed of both.
    pub seed: u64,
    /// Whether personal data was left out.
    pub redacted: bool,
    /// The money unit of impacts and losses.
    pub currency: String,
    /// The front page.
    pub summary: Summary,
    /// The sections, A–K then the appendix.
    pub sections: Vec<Section>,
}

/// Builds the report of the analyzer's model (DESIGN §4.L).
///
/// Cost: every analysis once, plus one recovery schedule per site to find the worst site loss;
/// the report's own work is linear in the results.
///
/// # Errors
/// [`ReportError`] when `params` asks for something an analysis refuses (an unknown unit to lose,
/// too many iterations, an unknown profile) or the work is cancelled.
pub fn build(analyzer: &Analyzer<'_>, params: &ReportParams) -> Result<Report, ReportError> {
    build_with(analyzer, params, analyzer.validate())
}

/// As [`build`], with the validation of the document the model was read from (which also lists
/// what could not be read into the model: a CLI reading a file has it, see
/// [`read_document`](crate::read_document)).
///
/// # Errors
/// As [`build`].
pub fn build_with(
    analyzer: &Analyzer<'_>,
    params: &ReportParams,
    validation: crate::Validation,
) -> Result<Report, ReportError> {
    let facts = facts::Facts::gather(analyzer, params, validation)?;
    let summary = summary::build(&facts);
    let sections = sections::build(&facts);
    Ok(Report {
        organization: analyzer.model().organization.name.clone(),
        bcm_version: crate::VERSION,
        at: params.at,
        scenario: facts.scenario.as_ref().map(|s| s.lose.clone()),
        iterations: params.iterations,
        years: params.years,
        seed: params.seed,
        redacted: params.redact_personal,
        currency: facts.currency_unit().to_owned(),
        summary,
        sections,
    })
}

impl Report {
    /// Every table as a CSV file: `(file name, contents)`, named `section-table.csv`, in report
    /// order. Cells are the raw values of JSON (seconds, shares 0–1, amounts); lists are joined
    /// with `;`.
    ///
    /// # Errors
    /// Only if the CSV writer fails, which writing to memory does not.
    pub fn csv_files(&self) -> Result<Vec<(String, String)>, RenderError> {
        render::csv_files(self)
    }

    /// The report as JSON text (pretty-printed).
    ///
    /// # Errors
    /// Only if serialisation fails, which it does not for a report.
    pub fn to_json(&self) -> Result<String, RenderError> {
        serde_json::to_string_pretty(self).map_err(|e| RenderError(e.to_string()))
    }
}
