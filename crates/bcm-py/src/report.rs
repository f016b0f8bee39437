//! `bcm.Report`: the report (DESIGN §4.L) as data, with its HTML, Markdown, JSON and CSV.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use bcm_core::report::{Format, Report, render};

/// The report: a summary of where the organization stands, then every analysis (A–K) with its
/// tables and charts. ``to_html()`` is one self-contained page (inline CSS and SVG, no script);
/// ``to_markdown()`` the same in Markdown; ``to_dict()`` the data: {"organization",
/// "bcm_version", "at", "scenario", "iterations", "years", "seed", "redacted", "currency",
/// "summary", "sections": [{id, letter, title, available, lead, tables: [{id, title, columns,
/// rows}], charts: [{title, description}]}]}. A notebook shows the HTML inline.
#[pyclass(module = "bcm._bcm", name = "Report", frozen, skip_from_py_object)]
#[derive(Debug)]
pub struct PyReport {
    pub(crate) report: Report,
}

fn text(result: Result<String, bcm_core::report::RenderError>) -> PyResult<String> {
    result.map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Escapes text for an HTML attribute.
fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[pymethods]
impl PyReport {
    /// The report as one self-contained HTML page.
    fn to_html(&self, py: Python<'_>) -> PyResult<String> {
        let report = &self.report;
        text(py.detach(|| render(report, Format::Html)))
    }

    /// The report as Markdown (charts are named, not drawn).
    fn to_markdown(&self, py: Python<'_>) -> PyResult<String> {
        let report = &self.report;
        text(py.detach(|| render(report, Format::Markdown)))
    }

    /// The report as JSON text.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        let report = &self.report;
        text(py.detach(|| render(report, Format::Json)))
    }

    /// The report's data (the JSON shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pythonize::pythonize(py, &self.report).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Every table as CSV text, by file name (``section-table.csv``): raw values (seconds,
    /// shares 0–1, amounts), lists joined with ``;``.
    fn csv_files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let report = &self.report;
        let files = text_files(py.detach(|| report.csv_files()))?;
        let out = PyDict::new(py);
        for (name, body) in files {
            out.set_item(name, body)?;
        }
        Ok(out)
    }

    /// One table of a section as a pandas DataFrame (raw values, as in CSV).
    ///
    /// Raises ``KeyError`` for a section or table the report does not have.
    fn to_pandas<'py>(
        &self,
        py: Python<'py>,
        section: &str,
        table: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let found = self
            .report
            .sections
            .iter()
            .find(|s| s.id == section)
            .and_then(|s| s.tables.iter().find(|t| t.id == table))
            .ok_or_else(|| {
                pyo3::exceptions::PyKeyError::new_err(format!(
                    "the report has no table '{table}' in section '{section}'"
                ))
            })?;
        let pandas = py.import("pandas")?;
        let columns: Vec<&str> = found.columns.iter().map(|c| c.key.as_str()).collect();
        let rows = pythonize::pythonize(py, &found.rows)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("columns", columns)?;
        pandas.getattr("DataFrame")?.call((rows,), Some(&kwargs))
    }

    /// The organization's name.
    #[getter]
    fn organization(&self) -> String {
        self.report.organization.clone()
    }

    fn __repr__(&self) -> String {
        format!(
            "<bcm.Report: {}, {} sections>",
            self.report.organization,
            self.report.sections.len()
        )
    }

    /// The page in an isolated frame: its styles stay out of the notebook's.
    fn _repr_html_(&self, py: Python<'_>) -> PyResult<String> {
        let html = self.to_html(py)?;
        Ok(format!(
            "<iframe srcdoc=\"{}\" style=\"width:100%;height:640px;border:1px solid #cfd8dc\" \
             title=\"bcm report\"></iframe>",
            attribute(&html)
        ))
    }
}

fn text_files(
    result: Result<Vec<(String, String)>, bcm_core::report::RenderError>,
) -> PyResult<Vec<(String, String)>> {
    result.map_err(|e| PyValueError::new_err(e.to_string()))
}
