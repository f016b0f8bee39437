//! `Model`: loading, saving and validating a continuity model.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

use bcm_core::model::ReadError;
use bcm_core::{Analyzer, availability, impact, schedule, simulate};

use crate::analyses::{
    PyAvailability, PyConformance, PyCurrency, PyImpact, PyMaturity, PyObjectives, PyRisk,
    PySchedule, PySimulation, PySimulationTally, PySpof, ScheduleResult,
};
use crate::errors::{ToPyErr, validation_error};
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
    /// The model and what the analyses derive from it (the graph, required times...), built on
    /// the first analysis that needs each and shared by the next ones (the model is immutable).
    pub(crate) analyzer: Analyzer<'static>,
    /// The caller's progress callback (`Model.progress`), called with (stage, done, total).
    pub(crate) progress: std::sync::Mutex<Option<Py<PyAny>>>,
}

impl PyModel {
    /// The progress callback with the analyzer's progress, for [`interruptible`].
    fn progress_hook(&self, py: Python<'_>) -> Option<(Py<PyAny>, bcm_core::Progress)> {
        let callback = self.progress.lock().ok()?.as_ref()?.clone_ref(py);
        Some((callback, self.analyzer.progress().clone()))
    }
}

impl PartialEq for PyModel {
    fn eq(&self, other: &Self) -> bool {
        self.analyzer.model() == other.analyzer.model()
    }
}

impl From<bcm_core::Model> for PyModel {
    fn from(model: bcm_core::Model) -> Self {
        PyModel {
            progress: std::sync::Mutex::new(None),
            analyzer: Analyzer::new(model),
        }
    }
}

/// The date a judgement is made at: "YYYY-MM-DD", a `datetime.date` (a `datetime.datetime`
/// counts by its date), or None for today by Python's clock.
pub(crate) fn judgement_date(
    py: Python<'_>,
    at: Option<&Bound<'_, PyAny>>,
) -> PyResult<bcm_core::Date> {
    let datetime = py.import("datetime")?;
    let text: String = match at {
        None => datetime
            .getattr("date")?
            .call_method0("today")?
            .call_method0("isoformat")?
            .extract()?,
        Some(at) => {
            if let Ok(text) = at.extract::<String>() {
                text
            } else if at.is_instance(&datetime.getattr("datetime")?)? {
                at.call_method0("date")?
                    .call_method0("isoformat")?
                    .extract()?
            } else if at.is_instance(&datetime.getattr("date")?)? {
                at.call_method0("isoformat")?.extract()?
            } else {
                return Err(PyTypeError::new_err(format!(
                    "at must be a datetime.date or a 'YYYY-MM-DD' string, not {}",
                    at.get_type().name()?
                )));
            }
        }
    };
    text.parse::<bcm_core::Date>()
        .map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Runs long work off the GIL with Ctrl-C honoured: the work polls `PyErr_CheckSignals` on this
/// (the calling) thread every few tens of milliseconds, through [`bcm_core::threads::polling`];
/// a signal's exception (`KeyboardInterrupt`) cancels the work and is raised in its place.
///
/// With `progress` (the model's callback and its analyzer's [`bcm_core::Progress`]), the same
/// poll calls it with `(stage, done, total)`; an exception it raises stops the work the same way.
pub(crate) fn interruptible<T: Send, E: Send>(
    py: Python<'_>,
    progress: Option<(Py<PyAny>, bcm_core::Progress)>,
    work: impl FnOnce() -> Result<T, E> + Send,
) -> Result<Result<T, E>, PyErr> {
    let (result, raised) = py.detach(|| {
        let raised: Rc<RefCell<Option<PyErr>>> = Rc::default();
        let stash = Rc::clone(&raised);
        let poll: Rc<dyn Fn() -> bool> = Rc::new(move || {
            Python::attach(|py| {
                let mut checked = py.check_signals();
                if let (Ok(()), Some((callback, progress))) = (&checked, &progress) {
                    let (stage, done, total) = progress.get();
                    if total > 0 {
                        checked = callback.call1(py, (stage, done, total)).map(|_| ());
                    }
                }
                match checked {
                    Ok(()) => false,
                    Err(error) => {
                        *stash.borrow_mut() = Some(error);
                        true
                    }
                }
            })
        });
        let result = bcm_core::threads::polling(poll, work);
        let raised = raised.borrow_mut().take();
        (result, raised)
    });
    match raised {
        Some(error) => Err(error),
        None => Ok(result),
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

/// A conformance profile as Python gives it: `None` (ma-ebcm), a built-in profile's name, a
/// profile file's path, or the profile as a dict (the file's format).
pub(crate) fn profile_choice(
    py: Python<'_>,
    profile: Option<&Bound<'_, PyAny>>,
) -> PyResult<bcm_core::conformance::ProfileChoice> {
    use bcm_core::conformance::ProfileChoice;
    Ok(match profile {
        None => ProfileChoice::BuiltIn("ma-ebcm".to_owned()),
        Some(p) if p.is_instance_of::<pyo3::types::PyDict>() => {
            ProfileChoice::Given(pythonize::depythonize(p).map_err(|e| {
                PyValueError::new_err(format!("the profile is not plain data: {e}"))
            })?)
        }
        Some(p) => {
            let name: PathBuf = p.extract()?;
            let text = name.to_string_lossy().into_owned();
            if bcm_core::governance::profile::BUILT_IN.contains(&text.as_str()) {
                ProfileChoice::BuiltIn(text)
            } else {
                let read = std::fs::File::open(&name)
                    .map_err(ReadError::from)
                    .and_then(bcm_core::model::read_text)
                    .map_err(|e| e.to_py(py))?;
                ProfileChoice::Given(
                    bcm_core::model::data_value(&read)
                        .map_err(|e| PyValueError::new_err(format!("{text}: {e}")))?,
                )
            }
        }
    })
}

/// Reads a model file with the core's one reader (its size limit, its UTF-8 check): `Err` if it
/// cannot be read, `Ok(Err(finding))` if its bytes are no document.
pub(crate) fn read_text(
    py: Python<'_>,
    path: &Path,
) -> PyResult<Result<String, bcm_core::Finding>> {
    let read = py.detach(|| {
        std::fs::File::open(path)
            .map_err(ReadError::from)
            .and_then(bcm_core::model::read_text)
    });
    match read {
        Ok(text) => Ok(Ok(text)),
        Err(ReadError::Document(finding)) => Ok(Err(*finding)),
        Err(ReadError::Io(e)) => Err(crate::errors::read_error(py, &e, path)),
        Err(other) => Err(other.to_py(py)),
    }
}

/// The failure units of a scenario: one ID, or a sequence of them (`lose="hq"` or
/// `lose=["hq", "acme-cloud"]`).
pub(crate) fn unit_ids(lose: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(one) = lose.extract::<String>() {
        return Ok(vec![one]);
    }
    lose.extract::<Vec<String>>().map_err(|_| {
        let kind = lose
            .get_type()
            .name()
            .map_or_else(|_| "?".to_owned(), |n| n.to_string());
        PyTypeError::new_err(format!(
            "lose must be the ID of a failure unit or a list of IDs, not {kind}"
        ))
    })
}

pub(crate) fn detect(path: &Path, text: &str) -> bcm_core::Format {
    bcm_core::Format::detect(path.to_str(), text)
}

#[pymethods]
impl PyModel {
    /// Loads a model file, YAML or JSON by extension (else by content).
    ///
    /// Raises `ValidationError` (a `ModelError`, with `.findings`) if the document is not a valid
    /// model (larger than the loaders accept, say), `OSError` (`FileNotFoundError`...) if
    /// it cannot be read.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        match read_text(py, &path)? {
            Ok(text) => Self::parse(py, &text, detect(&path, &text)),
            Err(finding) => Err(validation_error(py, finding.to_string(), vec![finding])),
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
            validation_error(py, finding.to_string(), vec![finding])
        })?;
        let model = py
            .detach(|| bcm_core::Model::from_value(&value))
            .map_err(|e| e.to_py(py))?;
        Ok(PyModel::from(model))
    }

    /// The model as a dict (what `to_json` writes).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let value = self.model().to_value().map_err(|e| e.to_py(py))?;
        pythonize::pythonize(py, &value).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The model as JSON text, indented when `pretty`.
    #[pyo3(signature = (pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> PyResult<String> {
        let model = self.model();
        let result = py.detach(|| {
            if pretty {
                model.to_json_pretty()
            } else {
                model.to_json()
            }
        });
        result.map_err(|e| e.to_py(py))
    }

    /// The model as YAML text.
    fn to_yaml(&self, py: Python<'_>) -> PyResult<String> {
        let model = self.model();
        py.detach(|| model.to_yaml()).map_err(|e| e.to_py(py))
    }

    /// Validates the model: every finding of DESIGN §4.A.
    fn validate(&self, py: Python<'_>) -> PyFindings {
        let analyzer = &self.analyzer;
        PyFindings::from(py.detach(|| analyzer.validate()).findings)
    }

    /// Required objectives of every node (DESIGN §4.B).
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> [n["gaps"] for n in m.objectives().to_dict()["nodes"] if n["id"] == "email"]
    /// [['G-RTO']]
    fn objectives(&self, py: Python<'_>) -> PyResult<PyObjectives> {
        let analyzer = &self.analyzer;
        Ok(py
            .detach(|| analyzer.objectives(&Default::default()))
            .into())
    }

    /// Plan currency (DESIGN §4.I) at `at` (a `datetime.date` or "YYYY-MM-DD"; None: today, as
    /// Python's clock says): stale and overdue plans, BIAs due, people untrained.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> r = m.currency(at="2026-07-01")
    /// >>> [p["id"] for p in r.to_dict()["plans"] if p["current"]]
    /// ['bcp-payroll']
    /// >>> r.to_dict()["actions"][0]["subject"]
    /// 'dba2'
    #[pyo3(signature = (at = None))]
    fn currency(&self, py: Python<'_>, at: Option<&Bound<'_, PyAny>>) -> PyResult<PyCurrency> {
        let at = judgement_date(py, at)?;
        let params = bcm_core::currency::CurrencyParams::at(at);
        let analyzer = &self.analyzer;
        let result = py
            .detach(|| analyzer.currency(&params))
            .map_err(|e| e.to_py(py))?;
        Ok(result.into())
    }

    /// Policy conformance (DESIGN §4.J) at `at` (as for `currency`) against `profile`: a
    /// built-in profile's name ("ma-ebcm", "itscm"), a profile file's path, or the profile as a
    /// dict (the file's format).
    ///
    /// Raises `ValueError` for an unknown profile or one that cannot be read (the message names
    /// the place in it), `OSError` for a file that cannot be read.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> m.conformance("itscm", at="2026-07-01").to_dict()["score"]["not_measured"]
    /// 1
    #[pyo3(signature = (profile = None, at = None))]
    fn conformance(
        &self,
        py: Python<'_>,
        profile: Option<&Bound<'_, PyAny>>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyConformance> {
        let at = judgement_date(py, at)?;
        let choice = profile_choice(py, profile)?;
        let mut params = bcm_core::conformance::ConformanceParams::default();
        params.at = Some(at);
        params.profile = Some(choice);
        let analyzer = &self.analyzer;
        let result = py
            .detach(|| analyzer.conformance(&params))
            .map_err(|e| e.to_py(py))?;
        Ok(result.into())
    }

    /// Control maturity (DESIGN §4.K) of SCF BCD-12.2 at `at` (as for `currency`): a level is
    /// reached when `threshold` (default 0.8) of its criteria are met and every lower level is.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> m.maturity(at="2026-07-01").level
    /// 2
    #[pyo3(signature = (at = None, threshold = None))]
    fn maturity(
        &self,
        py: Python<'_>,
        at: Option<&Bound<'_, PyAny>>,
        threshold: Option<f64>,
    ) -> PyResult<PyMaturity> {
        let mut params = bcm_core::maturity::MaturityParams::at(judgement_date(py, at)?);
        params.threshold = threshold;
        let analyzer = &self.analyzer;
        let result = py
            .detach(|| analyzer.maturity(&params))
            .map_err(|e| e.to_py(py))?;
        Ok(result.into())
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
    fn impact(
        &self,
        py: Python<'_>,
        lose: &Bound<'_, PyAny>,
        at: Option<&str>,
    ) -> PyResult<PyImpact> {
        let lose = unit_ids(lose)?;
        let at = at
            .map(|text| text.parse::<bcm_core::Duration>())
            .transpose()
            .map_err(|e| e.to_py(py))?;
        let params = impact::ImpactParams { lose, at };
        let analyzer = &self.analyzer;
        let result = py
            .detach(|| analyzer.impact(&params))
            .map_err(|e| e.to_py(py))?;
        Ok(result.into())
    }

    /// Single points of failure and failover coverage (DESIGN §4.D).
    fn spof(&self, py: Python<'_>) -> PyResult<PySpof> {
        let analyzer = &self.analyzer;
        Ok(py.detach(|| analyzer.spof(&Default::default())).into())
    }

    /// Steady-state availability of every node (DESIGN §4.G); Monte Carlo only where shared
    /// components are too many to factor, with `iterations` and `seed`.
    ///
    /// Raises `ValueError` for more than 1,000,000,000 iterations.
    #[pyo3(signature = (iterations = 10_000, seed = 0))]
    fn availability(&self, py: Python<'_>, iterations: u32, seed: u64) -> PyResult<PyAvailability> {
        let params = availability::AvailabilityParams { iterations, seed };
        let analyzer = &self.analyzer;
        let result = interruptible(py, self.progress_hook(py), || {
            analyzer.availability(&params)
        })?
        .map_err(|e| e.to_py(py))?;
        Ok(result.into())
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
    fn schedule(slf: &Bound<'_, Self>, lose: &Bound<'_, PyAny>) -> PyResult<PySchedule> {
        let lose = unit_ids(lose)?;
        let params = schedule::ScheduleParams { lose };
        let analyzer = &slf.get().analyzer;
        let py = slf.py();
        let times = py
            .detach(|| analyzer.schedule_times(&params))
            .map_err(|e| e.to_py(py))?;
        Ok(ScheduleResult::new(slf.clone().unbind(), times).into())
    }

    /// The minimal cut sets of order 2 of `function` (DESIGN §4.D): {"function", "spofs",
    /// "pairs": [(a, b)]} — pairs of units that together, and neither alone, take it down for
    /// good. Releases the GIL.
    ///
    /// Raises ``AnalysisError`` for an unknown function, ``ValueError`` when its groups admit
    /// more than 4,000,000 pairs.
    ///
    /// >>> import bcm
    /// >>> bcm.Model.load("examples/agency.yaml").cut_pairs("payroll")["pairs"][:2]
    /// [('ad-dc-1', 'ad-dc-2'), ('ad-dc-1', 'dr-host')]
    fn cut_pairs<'py>(&self, py: Python<'py>, function: &str) -> PyResult<Bound<'py, PyAny>> {
        let analyzer = &self.analyzer;
        let r = py
            .detach(|| analyzer.cut_pairs(function))
            .map_err(|e| e.to_py(py))?;
        let out = pyo3::types::PyDict::new(py);
        out.set_item("function", &r.function)?;
        out.set_item("spofs", &r.spofs)?;
        out.set_item("pairs", &r.pairs)?;
        Ok(out.into_any())
    }

    /// The report (DESIGN §4.L): where the organization stands, then every analysis with its
    /// tables and charts; write it with ``to_html()``, ``to_markdown()`` or ``to_dict()``.
    /// ``at`` is the date plan currency, conformance and maturity are judged at (default:
    /// today); ``lose`` the scenario of the recovery sections (default: the site whose loss
    /// breaks the most RTOs); ``redact_personal`` leaves out contacts' names, phones and e-mail.
    /// Releases the GIL; Ctrl-C stops it.
    ///
    /// Raises ``AnalysisError`` for a unit the model does not have, ``ValueError`` for an
    /// unknown profile or too many iterations.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> r = m.report(at="2026-07-01", iterations=200, years=1000)
    /// >>> r.to_dict()["scenario"]
    /// ['chelsea-dc']
    // The defaults are bcm_core::report::DEFAULT_ITERATIONS and DEFAULT_YEARS, written out so
    // that the signature Python sees shows them.
    #[pyo3(signature = (at = None, lose = None, iterations = 1000, years = 10000, seed = 0,
        profile = "ma-ebcm", redact_personal = false))]
    #[allow(clippy::too_many_arguments)]
    fn report(
        &self,
        py: Python<'_>,
        at: Option<&Bound<'_, PyAny>>,
        lose: Option<&Bound<'_, PyAny>>,
        iterations: u64,
        years: u64,
        seed: u64,
        profile: &str,
        redact_personal: bool,
    ) -> PyResult<crate::report::PyReport> {
        let params = bcm_core::report::ReportParams {
            at: Some(judgement_date(py, at)?),
            lose: match lose {
                Some(lose) => unit_ids(lose)?,
                None => Vec::new(),
            },
            iterations,
            years,
            seed,
            profile: profile.to_owned(),
            redact_personal,
        };
        let analyzer = &self.analyzer;
        let report = interruptible(py, self.progress_hook(py), || analyzer.report(&params))?
            .map_err(|e| e.to_py(py))?;
        Ok(crate::report::PyReport { report })
    }

    /// An export for GRC tools (DESIGN §4.M), as text: ``"oscal-ar"`` (OSCAL 1.1.3 assessment
    /// results) or ``"oscal-poam"`` (plan of action and milestones) of the findings at `at` (as
    /// for `currency`) against `profile` (as for `conformance`); ``"dora-b0601"``, the DORA
    /// register template B_06.01 as xBRL-CSV. What the export lacks (a mandatory DORA cell the
    /// model has no data for) is issued as a ``UserWarning`` per note.
    ///
    /// >>> import bcm, json
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> ar = json.loads(m.export("oscal-ar", at="2026-03-01"))
    /// >>> ar["assessment-results"]["metadata"]["oscal-version"]
    /// '1.1.3'
    #[pyo3(signature = (format, at = None, profile = None))]
    fn export(
        &self,
        py: Python<'_>,
        format: &str,
        at: Option<&Bound<'_, PyAny>>,
        profile: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        use bcm_core::interchange::{ExportFormat, ExportParams};
        let format: ExportFormat =
            format
                .parse()
                .map_err(|e: bcm_core::interchange::ExportError| {
                    PyValueError::new_err(e.to_string())
                })?;
        let mut params = ExportParams::new(format, None);
        if format != ExportFormat::DoraB0601 {
            params.at = Some(judgement_date(py, at)?);
            params.profile = Some(profile_choice(py, profile)?);
        }
        let analyzer = &self.analyzer;
        let export = py
            .detach(|| analyzer.export(&params))
            .map_err(|e| e.to_py(py))?;
        let warning = py.get_type::<pyo3::exceptions::PyUserWarning>();
        for note in &export.notes {
            let note = std::ffi::CString::new(note.as_str())
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            PyErr::warn(py, &warning, &note, 1)?;
        }
        Ok(export.content)
    }

    /// The dependency graph as Graphviz DOT (``format="dot"``) or a Mermaid flowchart
    /// (``"mermaid"``): kinds as shapes, single points of failure with a red border, functions
    /// that miss their RTO in the scenario (default: the worst site loss) filled red.
    /// ``function`` keeps only it and what it depends on.
    ///
    /// >>> import bcm
    /// >>> bcm.Model.load("examples/agency.yaml").graph("dot").startswith("// bcm")
    /// True
    #[pyo3(signature = (format = "dot", function = None, lose = None))]
    fn graph(
        &self,
        py: Python<'_>,
        format: &str,
        function: Option<String>,
        lose: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        use bcm_core::report::GraphFormat;
        let format = match format {
            "dot" => GraphFormat::Dot,
            "mermaid" => GraphFormat::Mermaid,
            other => {
                return Err(PyValueError::new_err(format!(
                    "format must be 'dot' or 'mermaid', not '{other}'"
                )));
            }
        };
        let params = bcm_core::report::GraphParams {
            format,
            function,
            lose: match lose {
                Some(lose) => unit_ids(lose)?,
                None => Vec::new(),
            },
        };
        let analyzer = &self.analyzer;
        py.detach(|| bcm_core::report::export_graph(analyzer, &params))
            .map_err(|e| e.to_py(py))
    }

    /// Risk (DESIGN §4.H): CRAMM-style measures, matrix cells, inherent and residual annual loss
    /// (closed form, and `iterations` simulated years from `seed`: the same on any number of
    /// threads), each control's return. `matrix` is a likelihood × impact configuration as a
    /// dict (`{"likelihood": [...], "impact": [...], "bands": [...]}`), `cramm` a CRAMM-style
    /// table as a dict. Releases the GIL; Ctrl-C stops it.
    ///
    /// Raises `ValueError` for a bad matrix or table, or more than 1,000,000,000 iterations.
    ///
    /// >>> import bcm
    /// >>> m = bcm.Model.load("examples/agency.yaml")
    /// >>> m.risk(iterations=2000).to_dict()["register"][0]["id"]
    /// 'r-ransomware-tax'
    #[pyo3(signature = (iterations = 10_000, seed = 0, matrix = None, cramm = None))]
    fn risk(
        &self,
        py: Python<'_>,
        iterations: u64,
        seed: u64,
        matrix: Option<&Bound<'_, PyAny>>,
        cramm: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyRisk> {
        let mut params = bcm_core::risk::RiskParams::new(iterations, seed);
        if let Some(matrix) = matrix {
            params.matrix = Some(
                pythonize::depythonize(matrix)
                    .map_err(|e| PyValueError::new_err(format!("not a risk matrix: {e}")))?,
            );
        }
        if let Some(cramm) = cramm {
            params.cramm = Some(
                pythonize::depythonize(cramm)
                    .map_err(|e| PyValueError::new_err(format!("not a CRAMM table: {e}")))?,
            );
        }
        let analyzer = &self.analyzer;
        let result = interruptible(py, self.progress_hook(py), || analyzer.risk(&params))?
            .map_err(|e| e.to_py(py))?;
        Ok(result.into())
    }

    /// Monte Carlo recovery simulation of losing `lose` (DESIGN §4.F): `iterations` runs of the
    /// schedule with beta-PERT durations; the same `seed` gives the same result on any number of
    /// threads. Releases the GIL while it runs.
    ///
    /// Raises `AnalysisError` for a unit the model does not have, `ValueError` for more than
    /// 1,000,000,000 iterations (split the work with `simulate_range`).
    #[pyo3(signature = (lose, iterations = 10_000, seed = 0))]
    fn simulate(
        &self,
        py: Python<'_>,
        lose: &Bound<'_, PyAny>,
        iterations: u64,
        seed: u64,
    ) -> PyResult<PySimulation> {
        let lose = unit_ids(lose)?;
        let params = simulate::SimulateParams {
            lose,
            iterations,
            seed,
        };
        let analyzer = &self.analyzer;
        let result = interruptible(py, self.progress_hook(py), || analyzer.simulate(&params))?
            .map_err(|e| e.to_py(py))?;
        Ok(result.into())
    }

    /// The tally of iterations `start` to `end` (not included) of the simulation
    /// `simulate(lose, seed=seed)` would run: the share of one worker when several processes or
    /// machines split the work. Tallies of disjoint ranges `merge` into exactly the tally of
    /// their union. Releases the GIL while it runs.
    ///
    /// Raises `AnalysisError` for a unit the model does not have, `ValueError` if `end` is
    /// before `start` or the range is longer than 1,000,000,000 iterations.
    #[pyo3(signature = (lose, start, end, seed = 0))]
    fn simulate_range(
        &self,
        py: Python<'_>,
        lose: &Bound<'_, PyAny>,
        start: u64,
        end: u64,
        seed: u64,
    ) -> PyResult<PySimulationTally> {
        let lose = unit_ids(lose)?;
        let params = simulate::SimulateParams {
            lose,
            iterations: end.saturating_sub(start),
            seed,
        };
        let analyzer = &self.analyzer;
        let tally = interruptible(py, self.progress_hook(py), || {
            analyzer.simulate_range(&params, start..end)
        })?
        .map_err(|e| e.to_py(py))?;
        Ok(tally.into())
    }

    /// How many threads this model's analyses use: 1 starts none (everything runs on the
    /// calling thread). Defaults to `BCM_NUM_THREADS`, else the machine's parallelism; results
    /// never depend on it. The threads are bcm's own (never a pool of the host), and a process
    /// forked after using them (multiprocessing with "fork") computes with pools of its own.
    ///
    /// Raises `ValueError` outside 1..1024.
    #[getter]
    fn threads(&self) -> usize {
        self.analyzer.threads().get()
    }

    #[setter]
    fn set_threads(&self, threads: u64) -> PyResult<()> {
        let threads =
            bcm_core::Threads::new(threads).map_err(|e| PyValueError::new_err(e.to_string()))?;
        self.analyzer.set_threads(threads);
        Ok(())
    }

    /// A callable called with ``(stage, done, total)`` every few tens of milliseconds while a
    /// simulation, a Monte Carlo estimate or a report runs (on the calling thread, the GIL
    /// held); an exception it raises stops the work and is raised in its place. ``None`` (the
    /// default): no progress. ``bcm.tqdm_progress()`` draws a tqdm bar.
    #[getter]
    fn progress(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.progress
            .lock()
            .ok()
            .and_then(|p| p.as_ref().map(|c| c.clone_ref(py)))
    }

    #[setter]
    fn set_progress(&self, callback: Option<Bound<'_, PyAny>>) -> PyResult<()> {
        if let Some(c) = &callback
            && !c.is_callable()
        {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "progress must be a callable (stage, done, total) or None",
            ));
        }
        if let Ok(mut p) = self.progress.lock() {
            *p = callback.map(Bound::unbind);
        }
        Ok(())
    }

    /// The organization's name.
    #[getter]
    fn name(&self) -> &str {
        &self.model().organization.name
    }

    fn __repr__(&self) -> String {
        format!(
            "<bcm.Model {:?}: {} functions, {} assets, {} plans>",
            self.model().organization.name,
            self.model().functions.len(),
            self.model().assets.len(),
            self.model().plans.len()
        )
    }
}

impl PyModel {
    pub(crate) fn model(&self) -> &bcm_core::Model {
        self.analyzer.model()
    }

    fn parse(py: Python<'_>, text: &str, format: bcm_core::Format) -> PyResult<Self> {
        // A document that is no model raises with every finding `validate_text` gives (the
        // semantic ones of what could be read too), not only the structural ones that stopped
        // the load: DESIGN §4.A, every problem at once. A model with semantic errors loads.
        let result = py.detach(|| {
            let loaded = match format {
                bcm_core::Format::Json => bcm_core::Model::from_json_str(text),
                bcm_core::Format::Yaml => bcm_core::Model::from_yaml_str(text),
            };
            loaded.map_err(|error| match error {
                bcm_core::ModelError::Invalid { .. } => Ok((
                    error.to_string(),
                    bcm_core::validate_document(text, format).findings,
                )),
                other => Err(other),
            })
        });
        match result {
            Ok(model) => Ok(PyModel::from(model)),
            Err(Ok((message, findings))) => Err(validation_error(py, message, findings)),
            Err(Err(other)) => Err(other.to_py(py)),
        }
    }
}

/// Validates a model file as `bcm validate` does: structural findings (with line and column for a
/// parse error) and, when the document could be read, semantic ones. Never raises for a bad
/// model; raises `OSError` if the file cannot be read.
#[pyfunction]
pub(crate) fn validate_file(py: Python<'_>, path: PathBuf) -> PyResult<PyFindings> {
    let text = match read_text(py, &path)? {
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
