//! CMDB import (DESIGN §4.M) for Python: `bcm.import_cmdb(cis, relations, map=None)`.

use std::path::PathBuf;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crate::errors::ToPyErr;
use crate::model::{PyModel, read_text};

/// The result of `import_cmdb`: the model built, and every row not imported.
#[pyclass(module = "bcm._bcm", name = "CmdbImport", frozen)]
#[derive(Debug)]
pub struct PyCmdbImport {
    model: Py<PyModel>,
    unmapped: Vec<bcm_core::interchange::cmdb::Unmapped>,
}

#[pymethods]
impl PyCmdbImport {
    /// The model built from the tables (check it with `model.validate()`).
    #[getter]
    fn model(&self, py: Python<'_>) -> Py<PyModel> {
        self.model.clone_ref(py)
    }

    /// The rows not imported, CIs first, in file order: dicts with `table` ("cis" or
    /// "relations"), `line` (the header is line 1), `key` and `reason`.
    #[getter]
    fn unmapped<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let rows = PyList::empty(py);
        for row in &self.unmapped {
            let d = PyDict::new(py);
            d.set_item("table", row.table)?;
            d.set_item("line", row.line)?;
            d.set_item("key", &row.key)?;
            d.set_item("reason", &row.reason)?;
            rows.append(d)?;
        }
        Ok(rows)
    }

    fn __repr__(&self) -> String {
        let m = self.model.get().analyzer.model();
        format!(
            "<CmdbImport: {} functions, {} assets, {} rows not imported>",
            m.functions.len(),
            m.assets.len(),
            self.unmapped.len()
        )
    }
}

fn text_of(py: Python<'_>, path: &std::path::Path) -> PyResult<String> {
    read_text(py, path)?
        .map_err(|finding| PyValueError::new_err(format!("{}: {finding}", path.display())))
}

/// Imports a CMDB export (DESIGN §4.M): `cis` and `relations` are the paths of the CSV tables in
/// the shape of ServiceNow's `cmdb_ci` and `cmdb_rel_ci`; `map` is a map file's path or the map
/// as a dict, laid over the built-in one (`bcm import cmdb-map` prints it). Rows that cannot be
/// mapped are listed in the result's `unmapped`, never dropped silently.
///
/// Raises `ValueError` for a bad map (naming its place) or a table that is not CSV or lacks a
/// column the map reads, `OSError` for a file that cannot be read.
///
/// >>> import bcm
/// >>> r = bcm.import_cmdb("examples/cmdb/cmdb_ci.csv", "examples/cmdb/cmdb_rel_ci.csv",
/// ...                     map="examples/cmdb/map.yaml")
/// >>> [(u["table"], u["line"]) for u in r.unmapped]
/// [('cis', 24), ('relations', 31), ('relations', 32)]
/// >>> r.model.validate().valid
/// True
#[pyfunction]
#[pyo3(signature = (cis, relations, map = None))]
pub(crate) fn import_cmdb(
    py: Python<'_>,
    cis: PathBuf,
    relations: PathBuf,
    map: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyCmdbImport> {
    use bcm_core::interchange::cmdb::{CmdbMap, import};
    let map = match map {
        None => CmdbMap::servicenow(),
        Some(m) if m.is_instance_of::<PyDict>() => {
            let value: serde_json::Value = pythonize::depythonize(m)
                .map_err(|e| PyValueError::new_err(format!("the map is not plain data: {e}")))?;
            CmdbMap::from_yaml_str(&value.to_string()).map_err(|e| e.to_py(py))?
        }
        Some(m) => {
            let path: PathBuf = m.extract()?;
            CmdbMap::from_yaml_str(&text_of(py, &path)?)
                .map_err(|e| PyValueError::new_err(format!("{}: {e}", path.display())))?
        }
    };
    let (cis, relations) = (text_of(py, &cis)?, text_of(py, &relations)?);
    let imported = py
        .detach(|| import(&cis, &relations, &map))
        .map_err(|e| e.to_py(py))?;
    Ok(PyCmdbImport {
        model: Py::new(py, PyModel::from(imported.model))?,
        unmapped: imported.unmapped,
    })
}
