//! Result objects of the dependency analyses: `Objectives`, `Impact`, `Spof`, `Availability`.
//! Each holds its result in the JSON shape of DESIGN §5; `to_dict()` gives that shape and
//! `to_pandas(table)` one of its lists as a DataFrame (dict-valued fields become columns).

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use std::sync::OnceLock;

use bcm_core::schedule::{Gantt, Schedule, ScheduleTimes};

use crate::columns::{Cell, Columns, PyForm};
use crate::errors::ToPyErr;
use crate::model::PyModel;

/// The tables `to_pandas` can show: the lists of the result's JSON shape, plus any a result adds
/// for a reader (the objectives' gaps with their figures).
trait Tables: serde::Serialize {
    fn columns(&self, table: &str) -> PyResult<Columns> {
        Columns::of(self, table)
    }
}

impl Tables for bcm_core::impact::Impact {}
impl Tables for bcm_core::spof::Spof {
    /// As the JSON (`functions`, `units`), plus `pairs`: one row per (function, unit) pair,
    /// the long form a DataFrame filters and groups best.
    fn columns(&self, table: &str) -> PyResult<Columns> {
        if table != "pairs" {
            return Columns::of(self, table);
        }
        let (mut functions, mut units) = (Vec::new(), Vec::new());
        for (f, function) in self.function_ids().iter().enumerate() {
            for unit in self.spofs_of(f) {
                functions.push(Cell::Str(function.to_string()));
                units.push(Cell::Str(unit.to_string()));
            }
        }
        Ok(Columns::from_columns(vec![
            ("function", functions),
            ("unit", units),
        ]))
    }
}
impl Tables for bcm_core::availability::Availability {}
impl Tables for ScheduleResult {}
impl Tables for bcm_core::schedule::ScheduleComparison {}
impl Tables for bcm_core::simulate::Simulation {}
impl Tables for bcm_core::currency::Currency {}
impl Tables for bcm_core::maturity::Maturity {}
impl Tables for bcm_core::conformance::Conformance {}

impl Tables for bcm_core::risk::RiskAnalysis {
    /// `register`: one flat row per risk; `curve`: the portfolio's loss-exceedance curve,
    /// `{which, loss, p_exceed}`; `heat_map`: every cell with the count and IDs of its risks.
    fn columns(&self, table: &str) -> PyResult<Columns> {
        use serde_json::json;
        let rows: Vec<serde_json::Value> = match table {
            "register" => self
                .register
                .iter()
                .map(|r| {
                    let l = r.losses.as_ref();
                    json!({
                        "id": r.id,
                        "kind": r.kind,
                        "asset": r.asset,
                        "threat": r.threat,
                        "cramm": r.cramm,
                        "likelihood": r.cell.as_ref().map(|c| c.likelihood),
                        "impact": r.cell.as_ref().map(|c| c.impact),
                        "band": r.cell.as_ref().map(|c| c.band.clone()),
                        "ale_inherent": l.map(|l| l.ale_inherent),
                        "ale_residual": l.map(|l| l.ale_residual),
                        "mean_inherent": l.map(|l| l.inherent.mean),
                        "mean_residual": l.map(|l| l.residual.mean),
                        "var95_residual": l.map(|l| l.residual.var95),
                        "var99_residual": l.map(|l| l.residual.var99),
                        "contribution": r.contribution,
                    })
                })
                .collect(),
            "curve" => {
                let mut curve = Vec::new();
                if let Some(p) = &self.portfolio {
                    for (which, summary) in [("inherent", &p.inherent), ("residual", &p.residual)] {
                        for point in &summary.curve {
                            curve.push(json!({
                                "which": which, "loss": point.loss, "p_exceed": point.p_exceed
                            }));
                        }
                    }
                }
                curve
            }
            "heat_map" => self
                .heat_map
                .iter()
                .map(|c| {
                    json!({
                        "likelihood": c.likelihood,
                        "impact": c.impact,
                        "band": c.band,
                        "count": c.risks.len(),
                        "risks": c.risks.join(", "),
                    })
                })
                .collect(),
            _ => {
                return Err(PyValueError::new_err(format!(
                    "no table {table:?} in this result"
                )));
            }
        };
        Columns::from_rows(&rows)
    }
}

impl Tables for bcm_core::objectives::Objectives {
    /// Adds `gaps`: one row per gap, `{id, kind, gap, required, achievable}`, where `required`
    /// and `achievable` are the figures the gap compares (see `GapFigures`).
    fn columns(&self, table: &str) -> PyResult<Columns> {
        if table != "gaps" {
            return Columns::of(self, table);
        }
        let gaps: Vec<serde_json::Value> = self
            .nodes
            .iter()
            .flat_map(|node| {
                node.figures.iter().map(|figure| {
                    serde_json::json!({
                        "id": node.id,
                        "kind": node.kind,
                        "gap": figure.gap.as_str(),
                        "required": figure.required,
                        "achievable": figure.achievable,
                    })
                })
            })
            .collect();
        Columns::from_rows(&gaps)
    }
}

/// The table `table` of `result` as Python columns: a dict of them, and their order.
fn py_columns<'py, T: Tables>(
    py: Python<'py>,
    result: &T,
    table: &str,
    form: PyForm<'_>,
) -> PyResult<(Vec<String>, Bound<'py, PyDict>)> {
    let columns = result.columns(table)?;
    let names = columns.names.clone();
    let by_column = PyDict::new(py);
    for (name, values) in columns.into_py(py, form)? {
        by_column.set_item(name, values)?;
    }
    Ok((names, by_column))
}

/// A list-valued field of `value` as a pandas DataFrame, nested mappings flattened into columns.
fn frame<'py, T: Tables>(py: Python<'py>, result: &T, table: &str) -> PyResult<Bound<'py, PyAny>> {
    let form = PyForm {
        arrays: true,
        gaps_as_nan: true,
        dates: DATE_COLUMNS,
    };
    let (columns, by_column) = py_columns(py, result, table, form)?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("columns", PyList::new(py, &columns)?)?;
    let pandas = py.import("pandas")?;
    let df = pandas
        .getattr("DataFrame")?
        .call((by_column,), Some(&kwargs))?;
    // Times as Timedelta, so that a notebook shows `1 days 09:00:00`, and `None` (never,
    // unbounded) as NaT rather than NaN in a float column.
    let unit = PyDict::new(py);
    unit.set_item("unit", "s")?;
    for column in columns
        .iter()
        .filter(|c| TIME_COLUMNS.contains(&c.as_str()))
    {
        let seconds = df.get_item(column)?;
        let times = pandas.call_method("to_timedelta", (seconds,), Some(&unit))?;
        df.set_item(column, times)?;
    }
    // Dates (YYYY-MM-DD) as datetime64, so that a notebook can sort and filter by them: most
    // come so already (days), the rest (instants among them) are parsed here.
    for column in columns
        .iter()
        .filter(|c| DATE_COLUMNS.contains(&c.as_str()))
    {
        let text = df.get_item(column)?;
        if text
            .getattr("dtype")?
            .getattr("kind")?
            .extract::<String>()?
            == "M"
        {
            continue;
        }
        let dates = pandas.call_method1("to_datetime", (text,))?;
        df.set_item(column, dates)?;
    }
    Ok(df)
}

/// The same table as a polars DataFrame: times as `Duration`, dates as `Date`.
fn polars_frame<'py, T: Tables>(
    py: Python<'py>,
    result: &T,
    table: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let polars = py.import("polars")?;
    // Numbers without gaps as numpy arrays when numpy is there (polars does not need it);
    // gaps stay None, which polars reads as null.
    let form = PyForm {
        arrays: py.import("numpy").is_ok(),
        gaps_as_nan: false,
        dates: &[],
    };
    let (columns, by_column) = py_columns(py, result, table, form)?;
    let mut df = polars.getattr("DataFrame")?.call1((by_column,))?;
    let mut conversions = Vec::new();
    for column in &columns {
        let col = polars.call_method1("col", (column.as_str(),))?;
        if TIME_COLUMNS.contains(&column.as_str()) {
            let kwargs = PyDict::new(py);
            kwargs.set_item("seconds", col)?;
            let duration = polars.call_method("duration", (), Some(&kwargs))?;
            conversions.push(duration.call_method1("alias", (column.as_str(),))?);
        } else if DATE_COLUMNS.contains(&column.as_str()) {
            let date = col.getattr("str")?.call_method0("to_date")?;
            conversions.push(date.call_method1("alias", (column.as_str(),))?);
        }
    }
    if !conversions.is_empty() {
        df = df.call_method1("with_columns", (conversions,))?;
    }
    Ok(df)
}

/// The columns of the DataFrames that are dates (plan currency).
const DATE_COLUMNS: &[&str] = &["due", "last", "reviewed", "tested"];

/// The columns of the DataFrames that are durations in seconds (DESIGN §5: times are seconds
/// since the disruption).
const TIME_COLUMNS: &[&str] = &[
    "required",
    "achievable",
    "required_rpo",
    "down_at",
    "start",
    "up_at",
    "slack",
    "rto",
    "breach",
    "mean",
    "p50",
    "p90",
    "p99",
    "annual_downtime",
];

macro_rules! result_class {
    ($rust:ident, $core:ty, $name:literal, $table:literal, $doc:literal) => {
        result_class!($rust, $core, $name, $table, $doc, {});
    };
    ($rust:ident, $core:ty, $name:literal, $table:literal, $doc:literal, { $($extra:tt)* }) => {
        #[doc = $doc]
        #[pyclass(module = "bcm._bcm", name = $name, frozen, skip_from_py_object)]
        #[derive(Debug)]
        pub struct $rust {
            // The core result, converted only when asked: a large estate's SPOF result has tens
            // of millions of pairs.
            pub(crate) result: $core,
        }

        #[pymethods]
        impl $rust {
            /// The result in the JSON shape of DESIGN §5 (as `bcm ... --json` prints it).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                pythonize::pythonize(py, &self.result)
                    .map_err(|e| PyValueError::new_err(e.to_string()))
            }

            /// The result as JSON text.
            fn to_json(&self, py: Python<'_>) -> PyResult<String> {
                let result = &self.result;
                py.detach(|| serde_json::to_string(result))
                    .map_err(|e| PyValueError::new_err(e.to_string()))
            }

            /// One of the result's lists as a pandas DataFrame (default: the main one).
            #[pyo3(signature = (table = None))]
            fn to_pandas<'py>(
                &self,
                py: Python<'py>,
                table: Option<&str>,
            ) -> PyResult<Bound<'py, PyAny>> {
                frame(py, &self.result, table.unwrap_or($table))
            }

            /// The same table as a polars DataFrame (default: the main one); times as
            /// `Duration`, dates as `Date`. Needs polars (not a dependency of bcm).
            #[pyo3(signature = (table = None))]
            fn to_polars<'py>(
                &self,
                py: Python<'py>,
                table: Option<&str>,
            ) -> PyResult<Bound<'py, PyAny>> {
                polars_frame(py, &self.result, table.unwrap_or($table))
            }

            fn __repr__(&self) -> String {
                let sizes: Vec<String> = serde_json::to_value(&self.result)
                    .ok()
                    .and_then(|v| {
                        v.as_object().map(|o| {
                            o.iter()
                                .filter_map(|(k, v)| {
                                    v.as_array().map(|a| format!("{} {k}", a.len()))
                                })
                                .collect()
                        })
                    })
                    .unwrap_or_default();
                format!("<bcm.{}: {}>", $name, sizes.join(", "))
            }

            fn _repr_html_(&self, py: Python<'_>) -> String {
                match frame(py, &self.result, $table)
                    .and_then(|df| df.call_method0("_repr_html_")?.extract::<String>())
                {
                    Ok(html) => html,
                    Err(_) => format!(
                        "<pre>{}</pre>",
                        self.__repr__().replace('<', "&lt;").replace('>', "&gt;")
                    ),
                }
            }

            $($extra)*
        }

        impl From<$core> for $rust {
            fn from(result: $core) -> Self {
                $rust { result }
            }
        }
    };
}

result_class!(
    PyObjectives,
    bcm_core::objectives::Objectives,
    "Objectives",
    "nodes",
    "Required objectives (DESIGN §4.B): for every node, by when it must be back, the RPO it must support, and its gaps; to_pandas(\"gaps\") lists each gap with the figures it compares (required against achievable)."
);
result_class!(
    PyCurrency,
    bcm_core::currency::Currency,
    "Currency",
    "actions",
    "Plan currency (DESIGN §4.I) at a date: every action due (to_pandas(), earliest first) with its trigger, policy clause and due date, and every plan's standing (to_pandas(\"plans\")).",
    {
        /// Nothing is due: every plan current, every BIA and training within its interval.
        #[getter]
        fn current(&self) -> bool {
            self.result.is_current()
        }

        /// The date of judgement (YYYY-MM-DD).
        #[getter]
        fn at(&self) -> String {
            self.result.at.to_string()
        }
    }
);
result_class!(
    PyRisk,
    bcm_core::risk::RiskAnalysis,
    "Risk",
    "register",
    "Risk (DESIGN §4.H): the register (to_pandas(), by residual ALE), the portfolio's loss-exceedance curve (to_pandas(\"curve\")) and the heat map (to_pandas(\"heat_map\")); bcm.plot.loss_exceedance and bcm.plot.heatmap draw them.",
    {}
);
result_class!(
    PyConformance,
    bcm_core::conformance::Conformance,
    "Conformance",
    "requirements",
    "Policy conformance (DESIGN §4.J) against a profile at a date: every requirement passing, failing or not measured, with its evidence, numerator, denominator and the entities that fail it (to_pandas()), and the score.",
    {
        /// Every measured requirement passes.
        #[getter]
        fn conforms(&self) -> bool {
            self.result.conforms()
        }
    }
);
result_class!(
    PyMaturity,
    bcm_core::maturity::Maturity,
    "Maturity",
    "criteria",
    "Control maturity (DESIGN §4.K) of SCF BCD-12.2 at a date: every criterion met by the assessor's declaration or by what the model shows (to_pandas()), each level's share (to_pandas(\"levels\")), and the level reached.",
    {
        /// The C|P-CMM level reached (0 to the control's cap).
        #[getter]
        fn level(&self) -> u8 {
            self.result.level
        }
    }
);
result_class!(
    PyImpact,
    bcm_core::impact::Impact,
    "Impact",
    "functions",
    "Impact of a scenario (DESIGN §4.C): the affected functions, when each goes down, its impact, and the totals."
);
result_class!(
    PySpof,
    bcm_core::spof::Spof,
    "Spof",
    "functions",
    "Single points of failure (DESIGN §4.D): per function, per unit (to_pandas(\"units\")), every (function, unit) pair (to_pandas(\"pairs\")), and failover coverage."
);
result_class!(
    PyAvailability,
    bcm_core::availability::Availability,
    "Availability",
    "nodes",
    "Steady-state availability (DESIGN §4.G) of every node, with its method and annual downtime."
);

/// A schedule as computed, written out as rows (with the team of each restore, for its Gantt
/// chart) the first time a method asks: listing every node of a large estate by ID costs more
/// than computing the schedule, and a caller that reads only the makespan or one function need
/// not pay for it.
#[derive(Debug)]
pub struct ScheduleResult {
    model: Py<PyModel>,
    times: ScheduleTimes,
    /// The rows, written on first use; an error only if the pairing of `new` were broken.
    report: OnceLock<Result<(Schedule, Gantt), bcm_core::schedule::ScheduleError>>,
}

impl ScheduleResult {
    /// `times` must have been computed by `model`'s analyzer.
    pub(crate) fn new(model: Py<PyModel>, times: ScheduleTimes) -> Self {
        ScheduleResult {
            model,
            times,
            report: OnceLock::new(),
        }
    }

    fn report(&self) -> Result<&(Schedule, Gantt), &bcm_core::schedule::ScheduleError> {
        self.report
            .get_or_init(|| {
                let analyzer = &self.model.get().analyzer;
                let schedule = analyzer.schedule_report(&self.times)?;
                let gantt = analyzer.gantt(&schedule);
                Ok((schedule, gantt))
            })
            .as_ref()
    }

    pub(crate) fn schedule(&self) -> PyResult<&Schedule> {
        self.report()
            .map(|(schedule, _)| schedule)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    pub(crate) fn gantt(&self) -> PyResult<&Gantt> {
        self.report()
            .map(|(_, gantt)| gantt)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

impl serde::Serialize for ScheduleResult {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.report() {
            Ok((schedule, _)) => schedule.serialize(serializer),
            Err(e) => Err(serde::ser::Error::custom(e)),
        }
    }
}

result_class!(
    PySchedule,
    ScheduleResult,
    "Schedule",
    "functions",
    "Recovery schedule (DESIGN §4.E): every node's down/start/up times, each affected function's RTO and MTD verdicts and critical path (to_pandas()), the nodes (to_pandas(\"nodes\")), the restore waves and the makespan. Durations are their likely values: a function the schedule shows meeting its RTO may still miss it often; Model.simulate gives the chance.",
    {
        /// What a Gantt chart shows: `{"restores": [{id, team, start, end}], "functions":
        /// [{id, down_at, up_at, rto}]}` (`bcm.plot.gantt` draws it).
        fn gantt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            pythonize::pythonize(py, self.result.gantt()?)
                .map_err(|e| PyValueError::new_err(e.to_string()))
        }

        /// The schedule as a Mermaid `gantt` chart.
        #[pyo3(signature = (title = "Recovery schedule"))]
        fn to_mermaid(&self, title: &str) -> PyResult<String> {
            Ok(self.result.gantt()?.to_mermaid(title))
        }

        /// What-if: which functions' recovery moved from this schedule to `other` (e.g. the
        /// same loss on a model with a team's capacity raised).
        fn compare(&self, other: &PySchedule) -> PyResult<PyScheduleComparison> {
            let (before, after) = (self.result.schedule()?, other.result.schedule()?);
            Ok(bcm_core::schedule::compare(before, after).into())
        }

        /// When the last affected node is back (seconds); None if something never is.
        #[getter]
        fn makespan(&self) -> Option<u64> {
            self.result.times.makespan()
        }
    }
);
result_class!(
    PyScheduleComparison,
    bcm_core::schedule::ScheduleComparison,
    "ScheduleComparison",
    "functions",
    "What changed between two schedules: the functions whose recovery moved, and the makespans."
);
result_class!(
    PySimulation,
    bcm_core::simulate::Simulation,
    "Simulation",
    "functions",
    "Monte Carlo recovery simulation (DESIGN §4.F): per function P(meet RTO), P(meet MTD), mean and P50/P90/P99 recovery; per node its critical-path share (to_pandas(\"nodes\"))."
);

/// The mergeable counts of a recovery simulation over a range of iterations (DESIGN §4.F):
/// tallies of disjoint ranges of one simulation, run in other processes or on other machines,
/// merge into exactly the tally of their union. Pickles, and travels as JSON (`to_json`,
/// `SimulationTally.from_json`); `result()` gives the `Simulation`.
///
/// >>> import bcm
/// >>> m = bcm.Model.from_yaml(
/// ...     "bcm: 1\norganization: {name: x}\n"
/// ...     "functions: [{id: pay, rto: 4h, depends_on: [db]}]\n"
/// ...     "assets: [{id: db, kind: data, restore: {min: 1h, likely: 2h, max: 6h}}]\n")
/// >>> first = m.simulate_range(["db"], 0, 300, seed=7)
/// >>> both = first.merge(m.simulate_range(["db"], 300, 1000, seed=7))
/// >>> both.iterations
/// 1000
/// >>> both == m.simulate_range(["db"], 0, 1000, seed=7)
/// True
/// >>> both.result().to_dict() == m.simulate(["db"], iterations=1000, seed=7).to_dict()
/// True
#[pyclass(
    module = "bcm._bcm",
    name = "SimulationTally",
    frozen,
    eq,
    skip_from_py_object
)]
#[derive(Debug, PartialEq)]
pub struct PySimulationTally {
    inner: bcm_core::simulate::SimulationTally,
}

impl From<bcm_core::simulate::SimulationTally> for PySimulationTally {
    fn from(inner: bcm_core::simulate::SimulationTally) -> Self {
        PySimulationTally { inner }
    }
}

#[pymethods]
impl PySimulationTally {
    /// How many iterations it counts.
    #[getter]
    fn iterations(&self) -> u64 {
        self.inner.iterations
    }

    /// The simulation's seed.
    #[getter]
    fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// A new tally with the iterations of both. Raises `AnalysisError` if `other` is a tally
    /// of another simulation (another seed, or other functions, objectives or nodes), or counts
    /// some of the same iterations (`t.merge(t)`: they would count twice).
    fn merge(&self, py: Python<'_>, other: &PySimulationTally) -> PyResult<PySimulationTally> {
        let mut merged = self.inner.clone();
        merged.merge(&other.inner).map_err(|e| e.to_py(py))?;
        Ok(merged.into())
    }

    /// The simulation result of the iterations it counts.
    fn result(&self) -> PySimulation {
        self.inner.result().into()
    }

    /// The tally as JSON text, for another process to read with `SimulationTally.from_json`.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// Reads a tally written by `to_json` (or by the C ABI). Raises `AnalysisError` naming the
    /// first inconsistency (a JSON Pointer) if the text is not a tally a simulation could give.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<PySimulationTally> {
        bcm_core::simulate::SimulationTally::from_json_str(text)
            .map(Into::into)
            .map_err(|e| e.to_py(py))
    }

    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = slf.get_type().getattr("from_json")?;
        Ok((from_json, (slf.get().to_json()?,)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<SimulationTally: {} iterations, seed {}, {} functions>",
            self.inner.iterations,
            self.inner.seed,
            self.inner.functions.len()
        )
    }
}
