//! `bcm._bcm`: the Python binding of bcm-core. Thin: converts types, releases the GIL around core
//! calls, maps errors. The Python package `bcm` re-exports it.

mod analyses;
mod columns;
mod errors;
mod interchange;
mod model;
mod report;
mod validate;

use pyo3::prelude::*;

#[pymodule]
fn _bcm(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", bcm_core::VERSION)?;
    let exceptions = py.import(errors::MODULE)?;
    for name in errors::CLASSES {
        m.add(name, exceptions.getattr(name)?)?;
    }
    m.add_class::<model::PyModel>()?;
    m.add_class::<validate::PyFinding>()?;
    m.add_class::<validate::PyFindings>()?;
    m.add_class::<analyses::PyObjectives>()?;
    m.add_class::<analyses::PyCurrency>()?;
    m.add_class::<analyses::PyMaturity>()?;
    m.add_class::<analyses::PyConformance>()?;
    m.add_class::<analyses::PyRisk>()?;
    m.add_class::<analyses::PyImpact>()?;
    m.add_class::<analyses::PySpof>()?;
    m.add_class::<analyses::PyAvailability>()?;
    m.add_class::<analyses::PySchedule>()?;
    m.add_class::<analyses::PyScheduleComparison>()?;
    m.add_class::<analyses::PySimulation>()?;
    m.add_class::<analyses::PySimulationTally>()?;
    m.add_class::<report::PyReport>()?;
    m.add_class::<interchange::PyCmdbImport>()?;
    m.add_function(wrap_pyfunction!(interchange::import_cmdb, m)?)?;
    m.add_function(wrap_pyfunction!(model::validate_file, m)?)?;
    m.add_function(wrap_pyfunction!(model::validate_text, m)?)?;
    Ok(())
}
