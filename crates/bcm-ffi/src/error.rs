//! Status codes and the per-thread last error message.

use std::cell::RefCell;
use std::ffi::{CString, c_char};

/// What a call did. Values are stable: never renumber one.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum bcm_status {
    /// Success; out-pointers were written.
    Ok = 0,
    /// A required pointer argument was NULL.
    NullArgument = 1,
    /// A text argument was not UTF-8.
    InvalidUtf8 = 2,
    /// The document is not a valid model (parse error, unknown field, bad value…).
    ModelError = 3,
    /// An argument is out of range (an unknown format code, say) or parameters are not valid JSON
    /// for the analysis.
    InvalidArgument = 4,
    /// The analysis cannot run with these parameters (an unknown failure unit, say).
    AnalysisError = 5,
    /// The work was stopped by `bcm_model_cancel`; nothing was written.
    Cancelled = 6,
    /// A bug in bcm (a caught panic). The host process is unaffected.
    InternalError = 99,
}

/// Why a call failed: the status and the message `bcm_last_error_message` returns.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) status: bcm_status,
    pub(crate) message: String,
}

impl Failure {
    pub(crate) fn new(status: bcm_status, message: impl Into<String>) -> Self {
        Failure {
            status,
            message: message.into(),
        }
    }

    pub(crate) fn null(argument: &str) -> Self {
        Failure::new(
            bcm_status::NullArgument,
            format!("argument '{argument}' is NULL"),
        )
    }
}

// The one mapping from core errors to statuses: every entry point returns through these.

impl From<bcm_core::ModelError> for Failure {
    fn from(error: bcm_core::ModelError) -> Self {
        let status = match &error {
            bcm_core::ModelError::Invalid { .. } => bcm_status::ModelError,
            _ => bcm_status::InternalError,
        };
        Failure::new(status, error.to_string())
    }
}

impl From<bcm_core::ParamsError> for Failure {
    fn from(error: bcm_core::ParamsError) -> Self {
        Failure::new(bcm_status::InvalidArgument, error.to_string())
    }
}

impl From<bcm_core::impact::ImpactError> for Failure {
    fn from(error: bcm_core::impact::ImpactError) -> Self {
        Failure::new(bcm_status::AnalysisError, error.to_string())
    }
}

impl From<bcm_core::currency::CurrencyError> for Failure {
    fn from(error: bcm_core::currency::CurrencyError) -> Self {
        // The one failure is a missing date: a bad argument.
        Failure::new(bcm_status::InvalidArgument, error.to_string())
    }
}

impl From<bcm_core::risk::RiskError> for Failure {
    fn from(error: bcm_core::risk::RiskError) -> Self {
        let status = match &error {
            bcm_core::risk::RiskError::Cancelled => bcm_status::Cancelled,
            _ => bcm_status::InvalidArgument,
        };
        Failure::new(status, error.to_string())
    }
}

impl From<bcm_core::conformance::ConformanceError> for Failure {
    fn from(error: bcm_core::conformance::ConformanceError) -> Self {
        // A missing date, an unknown profile or a profile that cannot be read.
        Failure::new(bcm_status::InvalidArgument, error.to_string())
    }
}

impl From<bcm_core::maturity::MaturityError> for Failure {
    fn from(error: bcm_core::maturity::MaturityError) -> Self {
        // A missing date, a bad threshold or an unknown control: all bad arguments.
        Failure::new(bcm_status::InvalidArgument, error.to_string())
    }
}

impl From<bcm_core::availability::AvailabilityError> for Failure {
    fn from(error: bcm_core::availability::AvailabilityError) -> Self {
        let status = match &error {
            bcm_core::availability::AvailabilityError::Cancelled => bcm_status::Cancelled,
            _ => bcm_status::InvalidArgument,
        };
        Failure::new(status, error.to_string())
    }
}

impl From<bcm_core::schedule::ScheduleError> for Failure {
    fn from(error: bcm_core::schedule::ScheduleError) -> Self {
        Failure::new(bcm_status::AnalysisError, error.to_string())
    }
}

impl From<bcm_core::simulate::SimulateError> for Failure {
    fn from(error: bcm_core::simulate::SimulateError) -> Self {
        use bcm_core::simulate::SimulateError;
        let status = match &error {
            SimulateError::InvertedRange { .. }
            | SimulateError::TooManyIterations { .. }
            | SimulateError::TallyJson(_)
            | SimulateError::InvalidTally { .. } => bcm_status::InvalidArgument,
            SimulateError::Cancelled => bcm_status::Cancelled,
            _ => bcm_status::AnalysisError,
        };
        Failure::new(status, error.to_string())
    }
}

impl From<bcm_core::report::ReportError> for Failure {
    fn from(error: bcm_core::report::ReportError) -> Self {
        use bcm_core::report::ReportError;
        match error {
            ReportError::Scenario(e) => e.into(),
            ReportError::Simulation(e) => e.into(),
            ReportError::Risk(e) => e.into(),
            ReportError::Availability(e) => e.into(),
            ReportError::Conformance(e) => e.into(),
            other => Failure::new(bcm_status::AnalysisError, other.to_string()),
        }
    }
}

impl From<bcm_core::report::GraphError> for Failure {
    fn from(error: bcm_core::report::GraphError) -> Self {
        use bcm_core::report::GraphError;
        match error {
            GraphError::Scenario(e) => e.into(),
            GraphError::UnknownFunction(_) => {
                Failure::new(bcm_status::AnalysisError, error.to_string())
            }
            other => Failure::new(bcm_status::AnalysisError, other.to_string()),
        }
    }
}

impl From<bcm_core::report::RenderError> for Failure {
    fn from(error: bcm_core::report::RenderError) -> Self {
        Failure::new(bcm_status::InternalError, error.to_string())
    }
}

impl From<bcm_core::dependency::cutsets::CutSetError> for Failure {
    fn from(error: bcm_core::dependency::cutsets::CutSetError) -> Self {
        use bcm_core::dependency::cutsets::CutSetError;
        let status = match &error {
            CutSetError::TooManyPairs { .. } => bcm_status::InvalidArgument,
            _ => bcm_status::AnalysisError,
        };
        Failure::new(status, error.to_string())
    }
}

impl From<bcm_core::interchange::ExportError> for Failure {
    fn from(error: bcm_core::interchange::ExportError) -> Self {
        use bcm_core::interchange::ExportError;
        match error {
            ExportError::Model(e) => e.into(),
            other => Failure::new(bcm_status::InvalidArgument, other.to_string()),
        }
    }
}

impl From<bcm_core::interchange::cmdb::CmdbError> for Failure {
    fn from(error: bcm_core::interchange::cmdb::CmdbError) -> Self {
        use bcm_core::interchange::cmdb::CmdbError;
        match error {
            CmdbError::Model(e) => e.into(),
            other => Failure::new(bcm_status::InvalidArgument, other.to_string()),
        }
    }
}

impl From<serde_json::Error> for Failure {
    fn from(error: serde_json::Error) -> Self {
        // Results are plain data; failing to write one as JSON is a bug of bcm's.
        Failure::new(bcm_status::InternalError, error.to_string())
    }
}

thread_local! {
    static LAST_ERROR: RefCell<CString> = RefCell::new(CString::default());
}

pub(crate) fn set_last_error(message: &str) {
    // An interior NUL cannot cross into C; cut the message there.
    let clean = message.split('\0').next().unwrap_or_default();
    let text = CString::new(clean).unwrap_or_default();
    LAST_ERROR.with(|last| *last.borrow_mut() = text);
}

pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR.with(|last| last.borrow().as_ptr())
}
