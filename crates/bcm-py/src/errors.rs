//! Python exceptions and the one mapping from core errors to them.
//!
//! The classes are defined in Python (`bcm._errors`: the stable ABI cannot subclass `Exception`
//! from Rust) with typed attributes; this module imports them once and raises them.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;

use crate::validate::PyFindings;

/// The module defining the exception classes.
pub(crate) const MODULE: &str = "bcm._errors";

/// The exception classes, by name, as `_bcm` re-exports them.
pub(crate) const CLASSES: [&str; 6] = [
    "BcmError",
    "ModelError",
    "ValidationError",
    "ReadError",
    "NotFoundError",
    "AnalysisError",
];

fn class<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.import(py, MODULE, name)
}

/// An instance of the exception class `name` built with `args`, as a `PyErr`.
fn raise<'py, A: pyo3::call::PyCallArgs<'py>>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    args: A,
) -> PyErr {
    match class(py, cell, name).and_then(|c| c.call1(args)) {
        Ok(instance) => PyErr::from_value(instance),
        Err(e) => e,
    }
}

static MODEL_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static VALIDATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ANALYSIS_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `ValidationError(message, findings)`: the document has structural problems.
pub(crate) fn validation_error(
    py: Python<'_>,
    message: String,
    findings: Vec<bcm_core::Finding>,
) -> PyErr {
    match Py::new(py, PyFindings::from(findings)) {
        Ok(findings) => raise(
            py,
            &VALIDATION_ERROR,
            "ValidationError",
            (message, findings),
        ),
        Err(e) => e,
    }
}

static READ_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static NOT_FOUND_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// `NotFoundError` (a missing file) or `ReadError` (any other failure to read `path`), with the
/// `errno`, `strerror` and `filename` of an `OSError`.
pub(crate) fn read_error(py: Python<'_>, error: &std::io::Error, path: &std::path::Path) -> PyErr {
    let errno = error.raw_os_error().unwrap_or(0);
    let message = format!("cannot read the model: {error}");
    let filename = path.display().to_string();
    if error.kind() == std::io::ErrorKind::NotFound {
        raise(
            py,
            &NOT_FOUND_ERROR,
            "NotFoundError",
            (errno, message, filename),
        )
    } else {
        raise(py, &READ_ERROR, "ReadError", (errno, message, filename))
    }
}

/// `AnalysisError(message)`.
pub(crate) fn analysis_error(py: Python<'_>, message: String) -> PyErr {
    raise(py, &ANALYSIS_ERROR, "AnalysisError", (message,))
}

/// The exception a core error raises in Python: one place for every analysis and loader.
pub(crate) trait ToPyErr {
    /// The Python exception for this error.
    fn to_py(self, py: Python<'_>) -> PyErr;
}

impl ToPyErr for bcm_core::ModelError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        match self {
            bcm_core::ModelError::Invalid { findings } => {
                let message = bcm_core::ModelError::Invalid {
                    findings: findings.clone(),
                }
                .to_string();
                validation_error(py, message, findings)
            }
            // FileNotFoundError, PermissionError, ... as Python names them.
            bcm_core::ModelError::Io(e) => PyErr::from(e),
            other => raise(py, &MODEL_ERROR, "ModelError", (other.to_string(),)),
        }
    }
}

impl ToPyErr for bcm_core::model::ReadError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        bcm_core::ModelError::from(self).to_py(py)
    }
}

impl ToPyErr for bcm_core::impact::ImpactError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        analysis_error(py, self.to_string())
    }
}

impl ToPyErr for bcm_core::currency::CurrencyError {
    fn to_py(self, _py: Python<'_>) -> PyErr {
        PyValueError::new_err(self.to_string())
    }
}

impl ToPyErr for bcm_core::risk::RiskError {
    fn to_py(self, _py: Python<'_>) -> PyErr {
        match self {
            bcm_core::risk::RiskError::Cancelled => {
                pyo3::exceptions::PyKeyboardInterrupt::new_err(self.to_string())
            }
            other => PyValueError::new_err(other.to_string()),
        }
    }
}

impl ToPyErr for bcm_core::conformance::ConformanceError {
    fn to_py(self, _py: Python<'_>) -> PyErr {
        PyValueError::new_err(self.to_string())
    }
}

impl ToPyErr for bcm_core::maturity::MaturityError {
    fn to_py(self, _py: Python<'_>) -> PyErr {
        PyValueError::new_err(self.to_string())
    }
}

impl ToPyErr for bcm_core::availability::AvailabilityError {
    fn to_py(self, _py: Python<'_>) -> PyErr {
        PyValueError::new_err(self.to_string())
    }
}

impl ToPyErr for bcm_core::schedule::ScheduleError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        analysis_error(py, self.to_string())
    }
}

impl ToPyErr for bcm_core::simulate::SimulateError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        match self {
            bcm_core::simulate::SimulateError::InvertedRange { .. }
            | bcm_core::simulate::SimulateError::TooManyIterations { .. } => {
                PyValueError::new_err(self.to_string())
            }
            other => analysis_error(py, other.to_string()),
        }
    }
}

impl ToPyErr for bcm_core::model::DurationError {
    fn to_py(self, _py: Python<'_>) -> PyErr {
        PyValueError::new_err(self.to_string())
    }
}

impl ToPyErr for bcm_core::report::ReportError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        use bcm_core::report::ReportError;
        match self {
            ReportError::Scenario(e) => e.to_py(py),
            ReportError::Simulation(e) => e.to_py(py),
            ReportError::Risk(e) => e.to_py(py),
            ReportError::Conformance(e) => e.to_py(py),
            other => analysis_error(py, other.to_string()),
        }
    }
}

impl ToPyErr for bcm_core::report::GraphError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        use bcm_core::report::GraphError;
        match self {
            GraphError::Scenario(e) => e.to_py(py),
            other => analysis_error(py, other.to_string()),
        }
    }
}

impl ToPyErr for bcm_core::dependency::cutsets::CutSetError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        use bcm_core::dependency::cutsets::CutSetError;
        match self {
            CutSetError::TooManyPairs { .. } => PyValueError::new_err(self.to_string()),
            other => analysis_error(py, other.to_string()),
        }
    }
}

impl ToPyErr for bcm_core::interchange::ExportError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        use bcm_core::interchange::ExportError;
        match self {
            ExportError::Model(e) => e.to_py(py),
            ExportError::Conformance(e) => e.to_py(py),
            other => PyValueError::new_err(other.to_string()),
        }
    }
}

impl ToPyErr for bcm_core::interchange::cmdb::CmdbError {
    fn to_py(self, py: Python<'_>) -> PyErr {
        use bcm_core::interchange::cmdb::CmdbError;
        match self {
            CmdbError::Model(e) => e.to_py(py),
            other => PyValueError::new_err(other.to_string()),
        }
    }
}
