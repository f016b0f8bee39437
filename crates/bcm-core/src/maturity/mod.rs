//! Control maturity (DESIGN §4.K): the SCF C|P-CMM level a control reaches, criterion by
//! criterion, on two kinds of evidence kept apart — what an assessor declared (`assessments`)
//! and what the model itself shows.
//!
//! - [`catalog`]: the controls' criteria as data, with stable IDs (`L2.4`).
//! - [`evidence`]: which criteria the model can demonstrate, and how.
//! - [`maturity()`]: the assessment at a date.

mod assess;
pub mod catalog;
pub mod evidence;

pub(crate) use assess::compute;
pub use assess::{
    CriterionResult, DEFAULT_THRESHOLD, LevelResult, Maturity, MaturityError, MaturityParams,
    Source, maturity,
};
pub use catalog::{BCD_12_2, CATALOGS, ControlCatalog, Criterion, catalog};
