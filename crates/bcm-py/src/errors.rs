//! Python exceptions: `BcmError` and its subclasses, and the one mapping from core errors.

use pyo3::exceptions::{PyException, PyOSError};
use pyo3::prelude::*;

use crate::validate::PyFindings;

pyo3::create_exception!(
    _bcm,
    BcmError,
    PyException,
    "Base class of every error bcm raises."
);
pyo3::create_exception!(
    _bcm,
    ModelError,
    BcmError,
    "The document is not a valid model. `.findings` lists every problem with its path."
);

/// A `ModelError` carrying `findings`.
pub(crate) fn model_error(
    py: Python<'_>,
    message: String,
    findings: Vec<bcm_core::Finding>,
) -> PyErr {
    let err = ModelError::new_err(message);
    let attached = Py::new(py, PyFindings::from(findings))
        .and_then(|findings| err.value(py).setattr("findings", findings));
    match attached {
        Ok(()) => err,
        Err(e) => e,
    }
}

/// The one conversion from a core model error.
pub(crate) fn from_model_error(py: Python<'_>, error: bcm_core::ModelError) -> PyErr {
    match error {
        bcm_core::ModelError::Invalid { findings } => {
            let message = bcm_core::ModelError::Invalid {
                findings: findings.clone(),
            }
            .to_string();
            model_error(py, message, findings)
        }
        bcm_core::ModelError::Io(e) => PyOSError::new_err(e.to_string()),
        other => BcmError::new_err(other.to_string()),
    }
}
