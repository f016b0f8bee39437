//! Interchange with GRC tools (DESIGN §4.M): bcm's findings out as OSCAL assessment results and a
//! POA&M, the critical functions out as the DORA Register of Information template B_06.01, and a
//! CMDB export in as a model.
//!
//! Every export is a pure function of the model and the date it is judged at: nothing reads the
//! clock, and identifiers are derived from the model's content, so an unchanged model exports
//! byte-identical files.

pub mod cmdb;
pub mod dora;
pub mod oscal;

use serde::Deserialize;

use crate::Analyzer;
use crate::conformance::{ConformanceError, ConformanceParams, ProfileChoice};
use crate::maturity::MaturityError;
use crate::model::{Date, ModelError};

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// OSCAL 1.1.3 assessment results (JSON): one finding per conformance requirement and per
    /// maturity criterion, objective gaps and critical single points of failure as risks.
    OscalAr,
    /// OSCAL 1.1.3 plan of action and milestones (JSON): one item per failing requirement or
    /// criterion, objective gap and plan-currency action.
    OscalPoam,
    /// The DORA Register of Information template B_06.01 (functions), as xBRL-CSV.
    DoraB0601,
}

impl ExportFormat {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [ExportFormat; 3] = [
        ExportFormat::OscalAr,
        ExportFormat::OscalPoam,
        ExportFormat::DoraB0601,
    ];

    /// Its name as the CLI and the parameters write it (`oscal-ar`).
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::OscalAr => "oscal-ar",
            ExportFormat::OscalPoam => "oscal-poam",
            ExportFormat::DoraB0601 => "dora-b0601",
        }
    }

    /// The media type of what it writes.
    pub fn media_type(self) -> &'static str {
        match self {
            ExportFormat::OscalAr | ExportFormat::OscalPoam => "application/json",
            ExportFormat::DoraB0601 => "text/csv",
        }
    }
}

impl std::str::FromStr for ExportFormat {
    type Err = ExportError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.as_str() == text)
            .ok_or_else(|| ExportError::UnknownFormat {
                format: text.to_owned(),
            })
    }
}

/// Parameters of [`Analyzer::export`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExportParams {
    /// What to export.
    pub format: ExportFormat,
    /// The date the findings are judged at (required by the OSCAL exports: nothing reads the
    /// clock); the DORA register ignores it.
    #[serde(default)]
    pub at: Option<Date>,
    /// The conformance profile of the OSCAL findings; `None`: `ma-ebcm`.
    #[serde(default)]
    pub profile: Option<ProfileChoice>,
}

impl ExportParams {
    /// `format` judged at `at` against `ma-ebcm`.
    pub fn new(format: ExportFormat, at: Option<Date>) -> Self {
        ExportParams {
            format,
            at,
            profile: None,
        }
    }
}

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExportError {
    /// No such format.
    #[error("there is no export format '{format}' (formats: oscal-ar, oscal-poam, dora-b0601)")]
    UnknownFormat {
        /// The name given.
        format: String,
    },
    /// The OSCAL exports judge at a date and none was given.
    #[error(
        "the {format} export is judged at a date: pass \"at\" (e.g. {{\"at\": \"2026-12-06\"}})"
    )]
    NoDate {
        /// The format asked for.
        format: &'static str,
    },
    /// The conformance profile could not be used.
    #[error(transparent)]
    Conformance(#[from] ConformanceError),
    /// The maturity assessment could not run.
    #[error(transparent)]
    Maturity(#[from] MaturityError),
    /// The model could not be written out (to derive the identifiers from its content).
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// An export: the document, and what a reader should know about gaps in it (a mandatory DORA
/// column the model has no data for, say). Notes never replace data: every row is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// The format written.
    pub format: ExportFormat,
    /// The document (JSON or CSV text).
    pub content: String,
    /// What the document lacks, one sentence each, in the order found.
    pub notes: Vec<String>,
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &ExportParams,
) -> Result<Export, ExportError> {
    match params.format {
        ExportFormat::DoraB0601 => Ok(dora::b0601(analyzer)),
        format @ (ExportFormat::OscalAr | ExportFormat::OscalPoam) => {
            let at = params.at.ok_or(ExportError::NoDate {
                format: format.as_str(),
            })?;
            let conformance = analyzer.conformance(&ConformanceParams {
                at: Some(at),
                profile: params.profile.clone(),
            })?;
            let facts = oscal::Facts::gather(analyzer, at, conformance)?;
            let content = if format == ExportFormat::OscalAr {
                oscal::assessment_results(&facts)
            } else {
                oscal::poam(&facts)
            };
            Ok(Export {
                format,
                content,
                notes: facts.notes,
            })
        }
    }
}
