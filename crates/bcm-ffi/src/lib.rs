//! # libbcm — the C ABI of the bcm business continuity engine
//!
//! For GRC software in any language: hand it a continuity model as JSON or YAML text, get results
//! back as UTF-8 JSON strings.
//!
//! Conventions:
//! - every function returns a `bcm_status` and writes results through out-pointers, only on
//!   success;
//! - texts go in as pointer + length (no NUL needed) and must be UTF-8;
//! - result strings are freed with `bcm_string_free`, handles with `bcm_model_free`; both accept
//!   NULL;
//! - `bcm_last_error_message` describes the thread's last failed call;
//! - no panic ever crosses the boundary: a bug in bcm is `BCM_STATUS_INTERNAL_ERROR`.

mod convert;
mod error;
mod interchange;
mod panic;

use std::ffi::c_char;

pub use convert::bcm_model;
pub use error::bcm_status;
pub use interchange::{bcm_export, bcm_import_cmdb};

use bcm_core::{Format, Model};
use convert::{free_model, free_string, model_arg, out_arg, text_arg, write_model, write_string};
use error::Failure;
use panic::{guard, guard_or};

/// Major version of this header and library.
pub const BCM_VERSION_MAJOR: u32 = 0;
/// Minor version of this header and library.
pub const BCM_VERSION_MINOR: u32 = 1;
/// Patch version of this header and library.
pub const BCM_VERSION_PATCH: u32 = 0;

/// Format code for JSON text.
pub const BCM_FORMAT_JSON: u32 = 0;
/// Format code for YAML text.
pub const BCM_FORMAT_YAML: u32 = 1;

/// The library's version, `"MAJOR.MINOR.PATCH"`; a static string, never freed.
#[unsafe(no_mangle)]
pub extern "C" fn bcm_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// The message of this thread's last failed call, or `""` if it succeeded. Never NULL. Valid
/// until the next bcm call on this thread; copy it to keep it.
#[unsafe(no_mangle)]
pub extern "C" fn bcm_last_error_message() -> *const c_char {
    error::last_error_ptr()
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, Failure> {
    Ok(serde_json::to_string(value)?)
}

/// The shape of every "JSON out" entry point: checks `out_json`, runs `produce`, and writes its
/// text there.
///
/// # Safety
/// `out_json` must be NULL or writable.
unsafe fn to_string(
    out_json: *mut *mut c_char,
    produce: impl FnOnce() -> Result<String, Failure>,
) -> bcm_status {
    guard(|| {
        out_arg(out_json, "out_json")?;
        let text = produce()?;
        // SAFETY: checked non-null above.
        unsafe { write_string(out_json, text) }
    })
}

/// The shape of every "model in, JSON out" entry point: [`to_string`] of `produce` on the model.
///
/// # Safety
/// `model` must be NULL or a live handle; `out_json` must be NULL or writable.
unsafe fn model_to_string(
    model: *const bcm_model,
    out_json: *mut *mut c_char,
    produce: impl FnOnce(&bcm_model) -> Result<String, Failure>,
) -> bcm_status {
    let on_model = || {
        // SAFETY: forwarded from the caller's promise.
        let model = unsafe { model_arg(model, "model") }?;
        produce(model)
    };
    // SAFETY: forwarded from the caller's promise.
    unsafe { to_string(out_json, on_model) }
}

/// Reads an analysis's parameters: NULL means the defaults.
///
/// # Safety
/// `params` must be NULL or point to `len` readable bytes.
unsafe fn read_params<P: serde::de::DeserializeOwned + Default>(
    params: *const c_char,
    len: usize,
) -> Result<P, Failure> {
    if params.is_null() {
        return Ok(P::default());
    }
    // SAFETY: forwarded.
    let text = unsafe { text_arg(params, len, "params") }?;
    Ok(bcm_core::params_from_json(text)?)
}

/// Loads a model from `len` bytes of text in `format`.
///
/// # Safety
/// As the public loaders.
unsafe fn load(
    text: *const c_char,
    len: usize,
    format: Format,
    out_model: *mut *mut bcm_model,
) -> bcm_status {
    guard(|| {
        out_arg(out_model, "out_model")?;
        // SAFETY: forwarded from the caller's promise.
        let text = unsafe { text_arg(text, len, "text") }?;
        let model = match format {
            Format::Json => Model::from_json_str(text),
            Format::Yaml => Model::from_yaml_str(text),
        }?;
        // SAFETY: checked non-null above; the caller promises it is writable.
        unsafe { write_model(out_model, model) };
        Ok(())
    })
}

/// Loads a model from JSON text. On `BCM_STATUS_MODEL_ERROR` the document has structural
/// problems; `bcm_last_error_message` names the first, and `bcm_document_validate` lists them
/// all with their paths.
///
/// # Safety
/// `text` must point to `len` readable bytes; `out_model` must be writable. Either NULL gives
/// `BCM_STATUS_NULL_ARGUMENT`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_from_json(
    text: *const c_char,
    len: usize,
    out_model: *mut *mut bcm_model,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe { load(text, len, Format::Json, out_model) }
}

/// Loads a model from YAML text. As `bcm_model_from_json`.
///
/// # Safety
/// As `bcm_model_from_json`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_from_yaml(
    text: *const c_char,
    len: usize,
    out_model: *mut *mut bcm_model,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe { load(text, len, Format::Yaml, out_model) }
}

/// Frees a model. NULL is a no-op.
///
/// # Safety
/// `model` must be NULL or a handle from this library not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_free(model: *mut bcm_model) {
    // SAFETY: forwarded.
    guard_or((), || unsafe { free_model(model) })
}

/// Sets how many threads the analyses of `model` use from now on: 1 starts no thread at all
/// (everything runs on the calling thread); 0 goes back to the default, `BCM_NUM_THREADS` or
/// else the machine's parallelism. More than 1024 is `BCM_STATUS_INVALID_ARGUMENT`. Results do
/// not depend on it. The threads belong to bcm's own pools (never a global pool of the host),
/// and a process forked after using them computes in the child with pools of its own.
///
/// # Safety
/// `model` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_set_threads(
    model: *const bcm_model,
    threads: u32,
) -> bcm_status {
    guard(|| {
        // SAFETY: forwarded.
        let h = unsafe { model_arg(model, "model") }?;
        let threads = match threads {
            0 => bcm_core::Threads::from_env(),
            n => bcm_core::Threads::new(u64::from(n))
                .map_err(|e| Failure::new(bcm_status::InvalidArgument, e.to_string()))?,
        };
        h.analyzer.set_threads(threads);
        Ok(())
    })
}

/// How many threads the analyses of `model` use; 0 if `model` is NULL.
///
/// # Safety
/// `model` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_threads(model: *const bcm_model) -> u32 {
    guard_or(0, || {
        // SAFETY: forwarded.
        unsafe { model.as_ref() }.map_or(0, |h| {
            u32::try_from(h.analyzer.threads().get()).unwrap_or(u32::MAX)
        })
    })
}

/// Asks the long work running on `model` (`bcm_simulate`, `bcm_simulate_range`, a Monte Carlo
/// `bcm_availability`) to stop: it returns `BCM_STATUS_CANCELLED` within one chunk of
/// iterations and withdraws the request. A request made while nothing runs stops the next such
/// call. Safe from any thread and from a signal handler (one atomic store). NULL is a no-op.
///
/// # Safety
/// `model` must be NULL or a live handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_cancel(model: *const bcm_model) {
    // SAFETY: the caller promises a live handle or NULL.
    if let Some(h) = unsafe { model.as_ref() } {
        h.analyzer.cancel().request();
    }
}

/// Frees a string returned by bcm. NULL is a no-op.
///
/// # Safety
/// `text` must be NULL or a string from this library not freed before.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_string_free(text: *mut c_char) {
    // SAFETY: forwarded.
    guard_or((), || unsafe { free_string(text) })
}

/// Validates a model: writes `{"valid", "errors", "warnings", "findings": [...]}` to
/// `out_json` (each finding `{severity, code, path, message, entities}`).
///
/// # Safety
/// `model` must be a live handle; `out_json` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_validate(
    model: *const bcm_model,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe { model_to_string(model, out_json, |h| json(&h.analyzer.validate())) }
}

/// Writes the model as JSON (the interchange format) to `out_json`.
///
/// # Safety
/// `model` must be a live handle; `out_json` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_model_to_json(
    model: *const bcm_model,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe { model_to_string(model, out_json, |h| Ok(h.analyzer.model().to_json()?)) }
}

/// Validates a document given as text, as `bcm validate` does: every structural problem (parse
/// errors with line and column, unknown fields, bad values) and, when the document could be read,
/// every semantic one. A document with errors is still `BCM_STATUS_OK`: the findings say so.
///
/// # Safety
/// `text` must point to `len` readable bytes; `out_json` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_document_validate(
    text: *const c_char,
    len: usize,
    format: u32,
    out_json: *mut *mut c_char,
) -> bcm_status {
    guard(|| {
        out_arg(out_json, "out_json")?;
        let format = match format {
            BCM_FORMAT_JSON => Format::Json,
            BCM_FORMAT_YAML => Format::Yaml,
            other => {
                let message = format!(
                    "format {other} is neither BCM_FORMAT_JSON (0) nor BCM_FORMAT_YAML (1)"
                );
                return Err(Failure::new(bcm_status::InvalidArgument, message));
            }
        };
        // SAFETY: forwarded.
        let text = unsafe { text_arg(text, len, "text") }?;
        let result = json(&bcm_core::validate_document(text, format))?;
        // SAFETY: checked non-null.
        unsafe { write_string(out_json, result) }
    })
}

/// Required objectives (DESIGN §4.B): writes `{"nodes": [{id, kind, required, required_rpo,
/// gaps}]}`. `params` is JSON (`{}`; NULL for the defaults).
///
/// # Safety
/// `model` must be a live handle; `params` NULL or `params_len` readable bytes; `out_json` writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_objectives(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.objectives(&p))
        })
    }
}

/// Plan currency (DESIGN §4.I): `params` is `{"at": "2026-12-06"}` (required: the library never
/// reads the clock); writes `{"at", "actions": [{subject, subject_kind, action, trigger, change,
/// last, clause, due, plans, message}], "plans": [{id, reviewed, tested, stale_by,
/// review_overdue, test_overdue, current}]}`. Without `at`: `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_currency(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.currency(&p)?)
        })
    }
}

/// Risk (DESIGN §4.H): `params` is `{"iterations": 10000, "seed": 0, "matrix": {...}, "cramm":
/// {...}}` (all optional); writes `{"iterations", "seed", "currency", "register": [{id, kind,
/// asset, threat, cramm, cell, losses, controls}], "portfolio", "heat_map"}`. More than
/// 1,000,000,000 iterations, an unusable matrix or table: `BCM_STATUS_INVALID_ARGUMENT`;
/// `bcm_model_cancel`: `BCM_STATUS_CANCELLED`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_risk(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.risk(&p)?)
        })
    }
}

/// What `bcm_cut_pairs` reads.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
struct CutPairsParams {
    function: String,
}

/// The minimal cut sets of order 2 of one function (DESIGN §4.D): `params` is `{"function":
/// "payroll"}`; writes `{"function", "spofs": [ids], "pairs": [[a, b]]}` (pairs of units that
/// together, and neither alone, take it down for good; each sorted, in order). An unknown
/// function: `BCM_STATUS_ANALYSIS_ERROR`; more than 4,000,000 pairs to check:
/// `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_cut_pairs(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p: CutPairsParams = read_params(params, params_len)?;
            json(&h.analyzer.cut_pairs(&p.function)?)
        })
    }
}

/// `bcm_report`'s `format`: one self-contained HTML page.
pub const BCM_REPORT_HTML: u32 = 0;
/// `bcm_report`'s `format`: Markdown.
pub const BCM_REPORT_MARKDOWN: u32 = 1;
/// `bcm_report`'s `format`: the report's data as JSON.
pub const BCM_REPORT_JSON: u32 = 2;

/// The report (DESIGN §4.L) in `format` (`BCM_REPORT_HTML`, `BCM_REPORT_MARKDOWN` or
/// `BCM_REPORT_JSON`): `params` is `{"at": "2026-12-06", "lose": ["site"], "iterations": 1000,
/// "years": 10000, "seed": 0, "profile": "ma-ebcm", "redact_personal": false}` (all optional;
/// without `at` the governance sections say they need a date; without `lose` the recovery
/// sections show the worst site loss). Writes UTF-8 text (HTML, Markdown or JSON `{"organization",
/// "bcm_version", "at", "scenario", "iterations", "years", "seed", "redacted", "currency",
/// "summary", "sections"}`). An unknown format, profile or too many iterations:
/// `BCM_STATUS_INVALID_ARGUMENT`; a unit the model does not have: `BCM_STATUS_ANALYSIS_ERROR`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_report(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    format: u32,
    out_text: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_text, |h| {
            let format = match format {
                BCM_REPORT_HTML => bcm_core::report::Format::Html,
                BCM_REPORT_MARKDOWN => bcm_core::report::Format::Markdown,
                BCM_REPORT_JSON => bcm_core::report::Format::Json,
                other => {
                    return Err(Failure::new(
                        bcm_status::InvalidArgument,
                        format!(
                            "format {other} is not BCM_REPORT_HTML (0), _MARKDOWN (1) or _JSON (2)"
                        ),
                    ));
                }
            };
            let p: bcm_core::report::ReportParams = read_params(params, params_len)?;
            let report = h.analyzer.report(&p)?;
            Ok(bcm_core::report::render(&report, format)?)
        })
    }
}

/// The dependency graph as text: `params` is `{"format": "dot" | "mermaid", "function": "id",
/// "lose": ["site"]}` (all optional: DOT of the whole model, RTO misses of the worst site loss
/// marked). An unknown format: `BCM_STATUS_INVALID_ARGUMENT`; an unknown function or unit:
/// `BCM_STATUS_ANALYSIS_ERROR`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_graph(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_text: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_text, |h| {
            let p: bcm_core::report::GraphParams = read_params(params, params_len)?;
            Ok(bcm_core::report::export_graph(&h.analyzer, &p)?)
        })
    }
}

/// Policy conformance (DESIGN §4.J): `params` is `{"at": "2026-12-06", "profile": "ma-ebcm"}`
/// (`at` required; `profile` a built-in name — `ma-ebcm` (the default), `itscm` — or a whole
/// profile as a JSON object); writes `{"profile", "name", "at", "score": {passed, failed,
/// not_measured, percent}, "requirements": [{id, clause, check, params, result, numerator,
/// denominator, percent, target, evidence, failing}]}`. A missing date, an unknown profile or a
/// profile that cannot be read (the message names the path in it): `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_conformance(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.conformance(&p)?)
        })
    }
}

/// Control maturity (DESIGN §4.K): `params` is `{"at": "2026-12-06", "threshold": 0.8,
/// "control": "BCD-12.2"}` (`at` required; the others optional); writes `{"control", "name",
/// "soc2", "at", "threshold", "level", "cap", "assessments", "levels": [{level, applicable, met,
/// total, share, reached}], "criteria": [{id, level, text, met, source, declared, derived,
/// check, evidence, failing}]}`. A missing date, a threshold outside (0, 1] or an unknown
/// control: `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_maturity(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.maturity(&p)?)
        })
    }
}

/// Impact of a scenario (DESIGN §4.C): `params` is `{"lose": ["site-or-asset-id", ...], "at":
/// "4h"}` (`at` optional: never recovered); writes `{"functions": [{id, down_at, impact}],
/// "totals": {...}}`. An ID that is not a failure unit is `BCM_STATUS_ANALYSIS_ERROR`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_impact(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.impact(&p)?)
        })
    }
}

/// Single points of failure (DESIGN §4.D): writes `{"functions": [{id, spofs}], "units": [{id,
/// takes_down}], "coverage": {critical, without_spof, with_realtime_failover}}`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_spof(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.spof(&p))
        })
    }
}

/// Availability (DESIGN §4.G): `params` is `{"iterations": 10000, "seed": 0}` (both optional);
/// writes `{"nodes": [{id, kind, availability, method, annual_downtime}]}`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_availability(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.availability(&p)?)
        })
    }
}

/// Recovery schedule (DESIGN §4.E): `params` is `{"lose": ["site-or-asset-id", ...]}`; writes
/// `{"nodes": [{id, kind, down_at, start, up_at, required, slack}], "functions": [{id, up_at,
/// rto, met, breach, mtd_met, capacity_shortfall, critical_path}], "waves": [{start, restores}],
/// "makespan"}`. An ID that is not a failure unit is `BCM_STATUS_ANALYSIS_ERROR`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_schedule(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.schedule(&p)?)
        })
    }
}

/// Monte Carlo recovery simulation (DESIGN §4.F): `params` is `{"lose": [...], "iterations":
/// 10000, "seed": 0}` (both optional, these defaults); writes `{"iterations", "seed",
/// "functions": [{id, p_meet_rto, p_meet_mtd, mean, p50, p90, p99}], "nodes": [{id,
/// critical_share}]}`. Runs on the calling thread and the library's worker threads; the same
/// seed gives the same result on any number of threads.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_simulate(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.simulate(&p)?)
        })
    }
}

/// One worker's share of a simulation: the tally of iterations `start` to `end` (not included)
/// of the simulation `bcm_simulate` runs with the same `params` (`"iterations"` is ignored).
/// Writes the tally as JSON, to be merged with `bcm_tally_merge` (by this process or another,
/// on any machine) and read with `bcm_tally_result`. `end < start` is
/// `BCM_STATUS_INVALID_ARGUMENT`.
///
/// # Safety
/// As `bcm_objectives`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_simulate_range(
    model: *const bcm_model,
    params: *const c_char,
    params_len: usize,
    start: u64,
    end: u64,
    out_json: *mut *mut c_char,
) -> bcm_status {
    // SAFETY: forwarded.
    unsafe {
        model_to_string(model, out_json, |h| {
            let p = read_params(params, params_len)?;
            json(&h.analyzer.simulate_range(&p, start..end)?)
        })
    }
}

/// Reads a tally argument: `BCM_STATUS_INVALID_ARGUMENT` naming the first inconsistency if it is
/// not a tally a simulation could give.
///
/// # Safety
/// `text` must be NULL or point to `len` readable bytes.
unsafe fn tally_arg(
    text: *const c_char,
    len: usize,
    name: &'static str,
) -> Result<bcm_core::simulate::SimulationTally, Failure> {
    // SAFETY: forwarded.
    let text = unsafe { text_arg(text, len, name) }?;
    bcm_core::simulate::SimulationTally::from_json_str(text)
        .map_err(|e| Failure::new(bcm_status::InvalidArgument, format!("{name}: {e}")))
}

/// Merges two tallies of one simulation (from `bcm_simulate_range`, over disjoint iterations)
/// into the tally of both, written as JSON. Tallies of another seed or scenario, or that both
/// count some iteration (a tally merged with itself), are `BCM_STATUS_ANALYSIS_ERROR`.
///
/// # Safety
/// `a` and `b` must point to `a_len` and `b_len` readable bytes; `out_json` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_tally_merge(
    a: *const c_char,
    a_len: usize,
    b: *const c_char,
    b_len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    let merge = || {
        // SAFETY: forwarded from the caller's promise.
        let mut merged = unsafe { tally_arg(a, a_len, "a") }?;
        // SAFETY: forwarded from the caller's promise.
        let other = unsafe { tally_arg(b, b_len, "b") }?;
        merged.merge(&other)?;
        json(&merged)
    };
    // SAFETY: forwarded.
    unsafe { to_string(out_json, merge) }
}

/// The simulation result of a tally, in the shape `bcm_simulate` writes.
///
/// # Safety
/// `tally` must point to `len` readable bytes; `out_json` must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bcm_tally_result(
    tally: *const c_char,
    len: usize,
    out_json: *mut *mut c_char,
) -> bcm_status {
    let result = || {
        // SAFETY: forwarded from the caller's promise.
        let tally = unsafe { tally_arg(tally, len, "tally") }?;
        json(&tally.result())
    };
    // SAFETY: forwarded.
    unsafe { to_string(out_json, result) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;
    use std::ptr;

    fn last_error() -> String {
        unsafe { CStr::from_ptr(bcm_last_error_message()) }
            .to_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn version_macros_match_the_crate_version() {
        let version = unsafe { CStr::from_ptr(bcm_version()) }.to_str().unwrap();
        assert_eq!(version, env!("CARGO_PKG_VERSION"));
        assert_eq!(
            version,
            format!("{BCM_VERSION_MAJOR}.{BCM_VERSION_MINOR}.{BCM_VERSION_PATCH}")
        );
    }

    #[test]
    fn load_validate_free() {
        let text = "bcm: 1\norganization: {name: x}\nfunctions: [{id: f, depends_on: [nope]}]\n";
        let mut model = ptr::null_mut();
        let status = unsafe { bcm_model_from_yaml(text.as_ptr().cast(), text.len(), &mut model) };
        assert_eq!(status, bcm_status::Ok);
        let mut out = ptr::null_mut();
        assert_eq!(
            unsafe { bcm_model_validate(model, &mut out) },
            bcm_status::Ok
        );
        let result: serde_json::Value =
            serde_json::from_str(unsafe { CStr::from_ptr(out) }.to_str().unwrap()).unwrap();
        assert_eq!(result["valid"], false);
        assert_eq!(result["errors"], 1);
        let errors: Vec<&serde_json::Value> = result["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["severity"] == "error")
            .collect();
        assert_eq!(errors[0]["code"], "E-REF");
        assert_eq!(errors[0]["path"], "/functions/0/depends_on/0");
        unsafe { bcm_string_free(out) };
        unsafe { bcm_model_free(model) };
    }

    #[test]
    fn bad_arguments_give_statuses_and_leave_out_pointers_alone() {
        let mut model = ptr::null_mut();
        assert_eq!(
            unsafe { bcm_model_from_json(ptr::null(), 0, &mut model) },
            bcm_status::NullArgument
        );
        assert_eq!(last_error(), "argument 'text' is NULL");
        assert!(model.is_null());
        let bad = [b'{', 0xff, b'}'];
        assert_eq!(
            unsafe { bcm_model_from_json(bad.as_ptr().cast(), 3, &mut model) },
            bcm_status::InvalidUtf8
        );
        assert!(last_error().contains("offset 1"), "{}", last_error());
        let text = "{\"bcm\": 1, \"organization\": {\"name\": \"x\"}, \"oops\": 1}";
        assert_eq!(
            unsafe { bcm_model_from_json(text.as_ptr().cast(), text.len(), &mut model) },
            bcm_status::ModelError
        );
        assert!(
            last_error().starts_with("error E-UNKNOWN-FIELD /oops"),
            "{}",
            last_error()
        );
        assert!(model.is_null());
        let mut out = ptr::null_mut();
        assert_eq!(
            unsafe { bcm_document_validate(text.as_ptr().cast(), text.len(), 7, &mut out) },
            bcm_status::InvalidArgument
        );
        assert!(out.is_null());
        assert_eq!(
            unsafe { bcm_model_validate(ptr::null(), &mut out) },
            bcm_status::NullArgument
        );
        unsafe { bcm_model_free(ptr::null_mut()) };
        unsafe { bcm_string_free(ptr::null_mut()) };
    }
}
