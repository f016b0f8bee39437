//! `Model`: loading, saving and validating a continuity model.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bcm_core::DependencyGraph;

use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;

use bcm_core::{availability, impact, objectives, schedule, simulate, spof};

use crate::analyses::{
    AnalysisError, PyAvailability, PyImpact, PyObjectives, PySchedule, PySimulation,
    PySimulationTally, PySpof, ScheduleResult,
};
use crate::errors::{from_model_error, model_error};
use crate::validate::PyFindings;

/// An organization's continuity model (DESIGN §3).
///
/// >>> import bcm
/// >>> m = bcm.Model.from_yaml("bcm: 1\norganization: {name: DOR}\n")
/// >>> m.name
/// 'DOR'
/// >>> m.to_dict()
/// {'bcm': 1, 'organization': {'name': 'DOR'}}
#[pyclass(module = "bcm._bcm", name = "Model", frozen, eq, skip_from_py_object)]
#[derive(Debug)]
pub struct PyModel {
    pub(crate) inner: bcm_core::Model,
    /// The dependency graph, built on the first analysis and shared by the next ones (the model
    /// is immutable).
    graph: OnceLock<DependencyGraph>,
}

impl PartialEq for PyModel {
    fn eq(&self, other: &Self) -> bool {
        self.inner == other.inner
    }
}

impl From<bcm_core::Model> for PyModel {
    fn from(inner: bcm_core::Model) -> Self {
        PyModel {
            inner,
            graph: OnceLock::new(),
        }
    }
}

fn format_arg(format: &str) -> PyResult<bcm_core::Format> {
    match format {
        "json" => Ok(bcm_core::Format::Json),
        "yaml" => Ok(bcm_core::Format::Yaml),
        other => Err(PyValueError::new_err(format!(
            "format must be 'json' or 'yaml', not {other:?}"
        ))),
    }
}

/// Reads a model file: `Err` if it cannot be read, `Ok(Err(finding))` if it is not UTF-8 text.
pub(crate) fn read_text(path: &Path) -> PyResult<Result<String, bcm_core::Finding>> {
    let bytes = std::fs::read(path)
        .map_err(|e| PyOSError::new_err(format!("cannot read {}: {e}", path.display())))?;
    Ok(String::from_utf8(bytes).map_err(|e| {
        bcm_core::Finding::new(
            bcm_core::Code::Parse,
            "",
            format!(
                "the document is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    }))
}

pub(crate) fn detect(path: &Path, text: &str) -> bcm_core::Format {
    bcm_core::Format::detect(path.to_str(), text)
}

#[pymethods]
impl PyModel {
    /// Loads a model file, YAML or JSON by extension (else by content).
    ///
    /// Raises `ModelError` (with `.findings`) if the document is not a valid model, `OSError` if
    /// it cannot be read.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        match read_text(&path)? {
            Ok(text) => Self::parse(py, &text, detect(&path, &text)),
            Err(finding) => Err(model_error(py, finding.to_string(), vec![finding])),
        }
    }

    /// Loads a model from JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Self::parse(py, text, bcm_core::Format::Json)
    }

    /// Loads a model from YAML text.
    #[staticmethod]
    fn from_yaml(py: Python<'_>, text: &str) -> PyResult<Self> {
        Self::parse(py, text, bcm_core::Format::Yaml)
    }

    /// Builds a model from a dict (the document's structure).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        let value: serde_json::Value = pythonize::depythonize(data).map_err(|e| {
            let finding = bcm_core::Finding::new(
                bcm_core::Code::Type,
                "",
                format!("not a model document: {e}"),
            );
            model_error(py, finding.to_string(), vec![finding])
        })?;
        let model = py
            .detach(|| bcm_core::Model::from_value(&value))
            .map_err(|e| from_model_error(py, e))?;
        Ok(PyModel::from(model))
    }

    /// The model as a dict (what `to_json` writes).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = self.inner.to_value().map_err(|e| from_model_error(py, e))?;
        pythonize::pythonize(py, &value).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The model as JSON text, indented when `pretty`.
    #[pyo3(signature = (pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        let model = &self.inner;
        let result = py.detach(|| {
            if pretty {
                model.to_json_pretty()
            } else {
                model.to_json()
            }
        });
        result.map_err(|e| from_model_error(py, e))
    }

    /// The model as YAML text.
    fn to_yaml(&self, py: Python<'_>) -> PyResult<String> {
        let model = &self.inner;
        py.detach(|| model.to_yaml())
            .map_err(|e| from_model_error(py, e))
    }

    /// Validates the model: every finding of DESIGN §4.A.
    fn validate(&self, py: Python<'_>) -> PyFindings {
        let model = &self.inner;
        PyFindings::from(py.detach(|| model.validate()).findings)
    }

    /// Required objectives of every node (DESIGN §4.B).
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> [n["gaps"] for n in m.objectives().to_dict()["nodes"] if n["id"] == "email"]
    /// [['G-RTO']]
    fn objectives(&self, py: Python<'_>) -> PyResult<PyObjectives> {
        Ok(py
            .detach(|| {
                objectives::objectives_with_graph(&self.inner, self.graph(), &Default::default())
            })
            .into())
    }

    /// Impact of losing `lose` (assets, groups, sites, vendors) at t = 0, read `at` into the
    /// outage (a duration such as "4h"; None: never recovered).
    ///
    /// Raises `AnalysisError` for a unit the model does not have, `ValueError` for a bad duration.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> m.impact(lose=["acme-cloud"], at="1d").to_dict()["totals"]["financial"]
    /// 100000.0
    #[pyo3(signature = (lose, at = None))]
    fn impact(&self, py: Python<'_>, lose: Vec<String>, at: Option<&str>) -> PyResult<PyImpact> {
        let at = at
            .map(|text| text.parse::<bcm_core::Duration>())
            .transpose()
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        let params = impact::ImpactParams { lose, at };
        let result = py
            .detach(|| impact::impact_with_graph(&self.inner, self.graph(), &params))
            .map_err(|e| AnalysisError::new_err(e.to_string()))?;
        Ok(result.into())
    }

    /// Single points of failure and failover coverage (DESIGN §4.D).
    fn spof(&self, py: Python<'_>) -> PyResult<PySpof> {
        Ok(py
            .detach(|| spof::spof_with_graph(&self.inner, self.graph(), &Default::default()))
            .into())
    }

    /// Steady-state availability of every node (DESIGN §4.G); Monte Carlo only where shared
    /// components are too many to factor, with `iterations` and `seed`.
    #[pyo3(signature = (iterations = 10_000, seed = 0))]
    fn availability(&self, py: Python<'_>, iterations: u32, seed: u64) -> PyResult<PyAvailability> {
        let params = availability::AvailabilityParams { iterations, seed };
        Ok(py
            .detach(|| availability::availability_with_graph(&self.inner, self.graph(), &params))
            .into())
    }

    /// The recovery schedule after losing `lose` (DESIGN §4.E).
    ///
    /// Raises `AnalysisError` for a unit the model does not have.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> s = m.schedule(lose=["chelsea-dc"])
    /// >>> [f["met"] for f in s.to_dict()["functions"] if f["id"] == "payroll"]
    /// [False]
    fn schedule(slf: &Bound<'_, Self>, lose: Vec<String>) -> PyResult<PySchedule> {
        let params = schedule::ScheduleParams { lose };
        let this = slf.get();
        let times = slf
            .py()
            .detach(|| schedule::ScheduleTimes::compute(&this.inner, this.graph(), &params))
            .map_err(|e| AnalysisError::new_err(e.to_string()))?;
        Ok(ScheduleResult::new(slf.clone().unbind(), times).into())
    }

    /// Monte Carlo recovery simulation of losing `lose` (DESIGN §4.F): `iterations` runs of the
    /// schedule with beta-PERT durations; the same `seed` gives the same result on any number of
    /// threads. Releases the GIL while it runs.
    ///
    /// Raises `AnalysisError` for a unit the model does not have.
    #[pyo3(signature = (lose, iterations = 10_000, seed = 0))]
    fn simulate(
        &self,
        py: Python<'_>,
        lose: Vec<String>,
        iterations: u64,
        seed: u64,
    ) -> PyResult<PySimulation> {
        let params = simulate::SimulateParams {
            lose,
            iterations,
            seed,
        };
        let result = py
            .detach(|| simulate::simulate_with_graph(&self.inner, self.graph(), &params))
            .map_err(|e| AnalysisError::new_err(e.to_string()))?;
        Ok(result.into())
    }

    /// The tally of iterations `start` to `end` (not included) of the simulation
    /// `simulate(lose, seed=seed)` would run: the share of one worker when several processes or
    /// machines split the work. Tallies of disjoint ranges `merge` into exactly the tally of
    /// their union. Releases the GIL while it runs.
    ///
    /// Raises `AnalysisError` for a unit the model does not have, `ValueError` if `end` is
    /// before `start`.
    #[pyo3(signature = (lose, start, end, seed = 0))]
    fn simulate_range(
        &self,
        py: Python<'_>,
        lose: Vec<String>,
        start: u64,
        end: u64,
        seed: u64,
    ) -> PyResult<PySimulationTally> {
        let params = simulate::SimulateParams {
            lose,
            iterations: end.saturating_sub(start),
            seed,
        };
        let tally = py
            .detach(|| simulate::simulate_range(&self.inner, self.graph(), &params, start..end))
            .map_err(|e| match e {
                simulate::SimulateError::InvertedRange { .. } => {
                    PyValueError::new_err(e.to_string())
                }
                _ => AnalysisError::new_err(e.to_string()),
            })?;
        Ok(tally.into())
    }

    /// The organization's name.
    #[getter]
    fn name(&self) -> &str {
        &self.inner.organization.name
    }

    fn __repr__(&self) -> String {
        format!(
            "<bcm.Model {:?}: {} functions, {} assets, {} plans>",
            self.inner.organization.name,
            self.inner.functions.len(),
            self.inner.assets.len(),
            self.inner.plans.len()
        )
    }
}

impl PyModel {
    pub(crate) fn graph(&self) -> &DependencyGraph {
        self.graph.get_or_init(|| DependencyGraph::new(&self.inner))
    }

    fn parse(py: Python<'_>, text: &str, format: bcm_core::Format) -> PyResult<Self> {
        let result = py.detach(|| match format {
            bcm_core::Format::Json => bcm_core::Model::from_json_str(text),
            bcm_core::Format::Yaml => bcm_core::Model::from_yaml_str(text),
        });
        result
            .map(PyModel::from)
            .map_err(|e| from_model_error(py, e))
    }
}

/// Validates a model file as `bcm validate` does: structural findings (with line and column for a
/// parse error) and, when the document could be read, semantic ones. Never raises for a bad
/// model; raises `OSError` if the file cannot be read.
#[pyfunction]
pub(crate) fn validate_file(py: Python<'_>, path: PathBuf) -> PyResult<PyFindings> {
    let text = match read_text(&path)? {
        Ok(text) => text,
        Err(finding) => return Ok(PyFindings::from(vec![finding])),
    };
    let format = detect(&path, &text);
    Ok(PyFindings::from(
        py.detach(|| bcm_core::validate_document(&text, format))
            .findings,
    ))
}

/// Validates a document given as text (`format` is "yaml" or "json").
#[pyfunction]
#[pyo3(signature = (text, format = "yaml"))]
pub(crate) fn validate_text(py: Python<'_>, text: &str, format: &str) -> PyResult<PyFindings> {
    let format = format_arg(format)?;
    Ok(PyFindings::from(
        py.detach(|| bcm_core::validate_document(text, format))
            .findings,
    ))
}
