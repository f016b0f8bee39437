//! Findings: `Finding` and the `Findings` result of validation.

use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

/// One problem found in a model: severity, stable code, JSON Pointer path, message, entities.
#[pyclass(
    module = "bcm._bcm",
    name = "Finding",
    frozen,
    get_all,
    eq,
    skip_from_py_object
)]
#[derive(Debug, Clone, PartialEq)]
pub struct PyFinding {
    /// "error" or "warning".
    pub severity: String,
    /// The stable code, e.g. "E-REF".
    pub code: String,
    /// JSON Pointer to the offending place, e.g. "/functions/3/rto".
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// IDs of the entities involved.
    pub entities: Vec<String>,
    /// 1-based line of a parse error, else None.
    pub line: Option<u64>,
    /// 1-based column of a parse error, else None.
    pub column: Option<u64>,
}

impl From<bcm_core::Finding> for PyFinding {
    fn from(f: bcm_core::Finding) -> Self {
        PyFinding {
            severity: f.severity.as_str().to_owned(),
            code: f.code.as_str().to_owned(),
            path: f.path,
            message: f.message,
            entities: f.entities,
            line: f.line,
            column: f.column,
        }
    }
}

#[pymethods]
impl PyFinding {
    /// The finding as a dict, the JSON shape of the C ABI and `bcm validate --json`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("severity", &self.severity)?;
        d.set_item("code", &self.code)?;
        d.set_item("path", &self.path)?;
        d.set_item("message", &self.message)?;
        d.set_item("entities", &self.entities)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            d.set_item("line", line)?;
            d.set_item("column", column)?;
        }
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Finding {} {} {:?}: {}>",
            self.severity, self.code, self.path, self.message
        )
    }

    fn __str__(&self) -> String {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        format!("{} {} {path}: {}", self.severity, self.code, self.message)
    }
}

/// Every finding of a validation, errors first per entity, in document order.
///
/// A sequence of `Finding`; `valid` is True when none is an error.
///
/// >>> import bcm
/// >>> findings = bcm.validate_text("bcm: 1\norganization: {name: x}\nfunctions: [{id: f, rto: 4 hours}]\n")
/// >>> [(f.code, f.path) for f in findings.errors]
/// [('E-DURATION', '/functions/0/rto')]
#[pyclass(module = "bcm._bcm", name = "Findings", frozen, skip_from_py_object)]
#[derive(Debug, Clone)]
pub struct PyFindings {
    items: Vec<PyFinding>,
}

impl From<Vec<bcm_core::Finding>> for PyFindings {
    fn from(findings: Vec<bcm_core::Finding>) -> Self {
        PyFindings {
            items: findings.into_iter().map(PyFinding::from).collect(),
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COLUMNS: [&str; 7] = [
    "severity", "code", "path", "message", "entities", "line", "column",
];

#[pymethods]
impl PyFindings {
    /// No findings (what a `ModelError` raised by hand carries).
    #[new]
    fn new() -> Self {
        PyFindings { items: Vec::new() }
    }

    /// True when there is no error (warnings allowed).
    #[getter]
    fn valid(&self) -> bool {
        !self.items.iter().any(|f| f.severity == "error")
    }

    /// The errors.
    #[getter]
    fn errors(&self) -> Vec<PyFinding> {
        self.items
            .iter()
            .filter(|f| f.severity == "error")
            .cloned()
            .collect()
    }

    /// The warnings.
    #[getter]
    fn warnings(&self) -> Vec<PyFinding> {
        self.items
            .iter()
            .filter(|f| f.severity == "warning")
            .cloned()
            .collect()
    }

    fn __len__(&self) -> usize {
        self.items.len()
    }

    fn __getitem__(&self, index: isize) -> PyResult<PyFinding> {
        let len =
            isize::try_from(self.items.len()).map_err(|e| PyValueError::new_err(e.to_string()))?;
        let at = if index < 0 { index + len } else { index };
        usize::try_from(at)
            .ok()
            .and_then(|i| self.items.get(i))
            .cloned()
            .ok_or_else(|| PyIndexError::new_err("finding index out of range"))
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let list = PyList::new(
            py,
            self.items
                .iter()
                .cloned()
                .map(|f| Py::new(py, f))
                .collect::<PyResult<Vec<_>>>()?,
        )?;
        list.try_iter().map(Bound::into_any)
    }

    /// `{"valid", "errors", "warnings", "findings": [...]}`: the JSON shape of `bcm validate --json`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("valid", self.valid())?;
        d.set_item(
            "errors",
            self.items.iter().filter(|f| f.severity == "error").count(),
        )?;
        d.set_item(
            "warnings",
            self.items
                .iter()
                .filter(|f| f.severity == "warning")
                .count(),
        )?;
        let list = PyList::empty(py);
        for f in &self.items {
            list.append(f.to_dict(py)?)?;
        }
        d.set_item("findings", list)?;
        Ok(d)
    }

    /// The findings as a pandas DataFrame, one row per finding (pandas is imported on demand).
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pandas = py.import("pandas")?;
        let rows = PyList::empty(py);
        for f in &self.items {
            let row = PyList::new(
                py,
                [
                    f.severity.clone().into_pyobject(py)?.into_any(),
                    f.code.clone().into_pyobject(py)?.into_any(),
                    f.path.clone().into_pyobject(py)?.into_any(),
                    f.message.clone().into_pyobject(py)?.into_any(),
                    f.entities.clone().into_pyobject(py)?.into_any(),
                    f.line.into_pyobject(py)?.into_any(),
                    f.column.into_pyobject(py)?.into_any(),
                ],
            )?;
            rows.append(row)?;
        }
        let kwargs = PyDict::new(py);
        kwargs.set_item("columns", COLUMNS.to_vec())?;
        pandas.getattr("DataFrame")?.call((rows,), Some(&kwargs))
    }

    fn __repr__(&self) -> String {
        let errors = self.items.iter().filter(|f| f.severity == "error").count();
        let warnings = self.items.len() - errors;
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "<Findings: {}, {errors} error{}, {warnings} warning{}>",
            if errors == 0 { "valid" } else { "invalid" },
            plural(errors),
            plural(warnings)
        )
    }

    fn _repr_html_(&self) -> String {
        let mut html = format!("<p>{}</p><table><thead><tr>", escape(&self.__repr__()));
        for column in ["severity", "code", "path", "message", "entities"] {
            html.push_str(&format!("<th>{column}</th>"));
        }
        html.push_str("</tr></thead><tbody>");
        for f in &self.items {
            html.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&f.severity),
                escape(&f.code),
                escape(&f.path),
                escape(&f.message),
                escape(&f.entities.join(", "))
            ));
        }
        html.push_str("</tbody></table>");
        html
    }
}
