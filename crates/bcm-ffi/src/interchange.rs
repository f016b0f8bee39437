//! Interchange with GRC tools (DESIGN §4.M) through the C ABI: `bcm_export` (OSCAL assessment
//! results and POA&M, the DORA register B_06.01) and `bcm_import_cmdb`.

use std::ffi::c_char;

use crate::convert::{bcm_model, model_arg, out_arg, text_arg, write_model, write_string};
use crate::error::{Failure, bcm_status};
use crate::json;
use crate::panic::guard;

/// An export for GRC tools as text: `params` is `{"format": "oscal-ar" | "oscal-poam" |
/// "dora-b0601", "at": "2026-12-06", "profile": "ma-ebcm"}` (`format` required; `at` required by
/// the OSCAL formats; `profile` as for `bcm_conformance`). Writes the document (OSCAL 1.1.3 JSON,
/// or xBRL-CSV) to `out_text`, and, when `out_notes` is not NULL, a JSON array of sentences
/// naming what the document lacks (a mandatory DORA cell the model has no data for). NULL
/// params, an unknown format, a missing date or an unknown profile:
/// `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `model` must be NULL or a live handle; `params` NULL or `params_len` readable bytes;
/// `out_text` and `out_notes` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_export(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_text: *mut *mut c_char,
    out_notes: *mut *mut c_char,
) -> bcm_status {
    guard(|| {
        out_arg(out_text, "out_text")?;
        // SAFETY: forwarded from the caller's promise.
        let h = unsafe { model_arg(model, "model") }?;
        if params.is_null() {
            return Err(Failure::new(
                bcm_status::InvalidArgument,
                "params must name the format: {\"format\": \"oscal-ar\"}",
            ));
        }
        // SAFETY: forwarded from the caller's promise.
        let text = unsafe { text_arg(params, params_len, "params") }?;
        let p: bcm_core::interchange::ExportParams = serde_json::from_str(text).map_err(|e| {
            Failure::new(
                bcm_status::InvalidArgument,
                format!("invalid parameters: {e}"),
            )
        })?;
        let export = h.analyzer.export(&p)?;
        let notes = json(&export.notes)?;
        // SAFETY: checked non-null above; the caller promises it is writable.
        unsafe { write_string(out_text, export.content) }?;
        if !out_notes.is_null() {
            // SAFETY: checked non-null; the caller promises it is writable. JSON text has no
            // NUL, so this cannot fail after the document was written.
            unsafe { write_string(out_notes, notes) }?;
        }
        Ok(())
    })
}

/// Imports a CMDB export (ServiceNow `cmdb_ci` and `cmdb_rel_ci` as CSV text) into a model:
/// `map` is a map (YAML or JSON) laid over the built-in one, or NULL for the built-in one alone.
/// Writes the model to `out_model` and, when `out_unmapped` is not NULL, the rows not imported as
/// a JSON array `[{"table": "cis" | "relations", "line", "key", "reason"}]`. A bad map or a table
/// that is not CSV or lacks a column the map reads: `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// `cis` and `relations` must point to their lengths of readable bytes; `map` NULL or `map_len`
/// readable bytes; `out_model` writable; `out_unmapped` NULL or writable.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn bcm_import_cmdb(
    cis: *const c_char,
    cis_len: usize,
    relations: *const c_char,
    relations_len: usize,
    map: *const c_char,
    map_len: usize,
    out_model: *mut *mut bcm_model,
    out_unmapped: *mut *mut c_char,
) -> bcm_status {
    use bcm_core::interchange::cmdb::{CmdbMap, import};
    guard(|| {
        out_arg(out_model, "out_model")?;
        // SAFETY: forwarded from the caller's promise.
        let (cis, relations) = unsafe {
            (
                text_arg(cis, cis_len, "cis")?,
                text_arg(relations, relations_len, "relations")?,
            )
        };
        let map = if map.is_null() {
            CmdbMap::servicenow()
        } else {
            // SAFETY: forwarded from the caller's promise.
            CmdbMap::from_yaml_str(unsafe { text_arg(map, map_len, "map") }?)?
        };
        let imported = import(cis, relations, &map)?;
        if !out_unmapped.is_null() {
            // SAFETY: checked non-null; the caller promises it is writable.
            unsafe { write_string(out_unmapped, json(&imported.unmapped)?) }?;
        }
        // SAFETY: checked non-null above; the caller promises it is writable.
        unsafe { write_model(out_model, imported.model) };
        Ok(())
    })
}
