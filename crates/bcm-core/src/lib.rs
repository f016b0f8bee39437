//! # bcm-core
//!
//! The business continuity management engine: an organization's continuity model (functions,
//! assets, sites, people, vendors, risks, plans, exercises), its validation, and the analyses that
//! answer a continuity planner's questions. Pure: no I/O beyond the text the caller hands in, no
//! printing. The only process-wide state is the pools of worker threads it owns (see
//! [`threads`]), sized by each [`Analyzer`]'s [`Threads`].
//!
//! ```
//! use bcm_core::Model;
//! let model = Model::from_yaml_str(r#"
//! bcm: 1
//! organization: {name: Department of Revenue}
//! contacts:
//!   - {id: cfo, alternate: controller}
//!   - {id: controller, alternate: cfo}
//! functions:
//!   - {id: payroll, owner: cfo, criticality: high, rto: 1d, mtd: 3d, resume: 2h, depends_on: [hr-db]}
//! assets:
//!   - {id: hr-db, kind: data, owner: cfo, restore: {min: 1h, likely: 3h, max: 12h}}
//! "#)?;
//! let validation = model.validate();
//! assert!(validation.is_valid());
//! assert_eq!(validation.findings.len(), 0);
//! # Ok::<(), bcm_core::ModelError>(())
//! ```
//!
//! The meaning of every result is fixed by the product design (DESIGN.md); each analysis's
//! documentation states its definition and complexity.

#![warn(missing_docs)]
#![forbid(unsafe_code)]

// The folders read as the product's story (DESIGN §2); each layer uses only those below it.
mod analysis;
mod analyzer;
pub mod dependency;
pub mod finding;
#[cfg(feature = "generate")]
pub mod generate;
pub mod governance;
pub mod graph;
pub mod interchange;
pub mod maturity;
pub mod model;
pub mod recovery;
#[cfg(feature = "report")]
pub mod report;
pub mod risk;
mod rows;
pub mod threads;
pub mod validate;

pub use dependency::{availability, impact, objectives, spof};
pub use governance::{conformance, currency};
pub use recovery::{schedule, simulate};
pub use risk::risk;

pub use analyzer::Analyzer;
pub use threads::{Cancel, Progress, Threads};

pub use analysis::{MAX_ITERATIONS, ParamsError, params_from_json};
pub use finding::{Code, Finding, Severity};
pub use graph::{DependencyGraph, FailureUnit, NodeKind, UnitKind};
pub use model::{
    Asset, AssetKind, Date, Dependency, Duration, Estimate, Format, Function, Id, Loaded, Model,
    ModelError, load_document,
};
pub use validate::{Document, Validation, read_document, validate_document};

/// This library's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
