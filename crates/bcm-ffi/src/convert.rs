//! Crossing the boundary: C text in, handles and C strings out. Every `Box::into_raw` and
//! `Box::from_raw`, and every `CString::into_raw` and `from_raw`, is in this file.

use std::ffi::{CString, c_char};

use crate::error::{Failure, bcm_status};

/// An opaque handle to a loaded model. Create it with `bcm_model_from_json` or
/// `bcm_model_from_yaml`, free it with `bcm_model_free`.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct bcm_model {
    /// The model and what the analyses derive from it, built on first use and shared by the
    /// next calls (the model never changes; concurrent first calls from several threads are
    /// safe).
    pub(crate) analyzer: bcm_core::Analyzer<'static>,
}

/// Borrows `len` bytes at `text` as UTF-8.
///
/// # Safety
/// `text` must be NULL or point to `len` readable bytes that outlive the returned borrow.
pub(crate) unsafe fn text_arg<'a>(
    text: *const c_char,
    len: usize,
    name: &str,
) -> Result<&'a str, Failure> {
    if text.is_null() {
        return Err(Failure::null(name));
    }
    // SAFETY: non-null, and the caller promises `len` readable bytes.
    let bytes = unsafe { std::slice::from_raw_parts(text.cast::<u8>(), len) };
    std::str::from_utf8(bytes).map_err(|e| {
        Failure::new(
            bcm_status::InvalidUtf8,
            format!(
                "argument '{name}' is not UTF-8 (bad byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Borrows the model behind a handle.
///
/// # Safety
/// `model` must be NULL or a live handle from this library.
pub(crate) unsafe fn model_arg<'a>(
    model: *const bcm_model,
    name: &str,
) -> Result<&'a bcm_model, Failure> {
    // SAFETY: the caller promises a live handle or NULL.
    unsafe { model.as_ref() }.ok_or_else(|| Failure::null(name))
}

/// Checks an out-pointer before any work is done.
pub(crate) fn out_arg<T>(out: *mut T, name: &str) -> Result<(), Failure> {
    if out.is_null() {
        Err(Failure::null(name))
    } else {
        Ok(())
    }
}

/// Moves `model` into a new handle and writes it to `out`.
///
/// # Safety
/// `out` must be non-null and writable.
pub(crate) unsafe fn write_model(out: *mut *mut bcm_model, model: bcm_core::Model) {
    let handle = Box::into_raw(Box::new(bcm_model {
        analyzer: bcm_core::Analyzer::new(model),
    }));
    // SAFETY: checked non-null by `out_arg`; the caller promises it is writable.
    unsafe { out.write(handle) };
}

/// Frees a handle.
///
/// # Safety
/// `model` must be NULL or a handle from [`write_model`] not freed before.
pub(crate) unsafe fn free_model(model: *mut bcm_model) {
    if !model.is_null() {
        // SAFETY: the caller promises it came from `Box::into_raw` and is freed once.
        drop(unsafe { Box::from_raw(model) });
    }
}

/// Copies `text` into a new C string and writes it to `out`.
///
/// # Safety
/// `out` must be non-null and writable.
pub(crate) unsafe fn write_string(out: *mut *mut c_char, text: String) -> Result<(), Failure> {
    let c = CString::new(text)
        .map_err(|_| Failure::new(bcm_status::InternalError, "result text contains a NUL byte"))?;
    // SAFETY: checked non-null by `out_arg`; the caller promises it is writable.
    unsafe { out.write(c.into_raw()) };
    Ok(())
}

/// Frees a string from [`write_string`].
///
/// # Safety
/// `text` must be NULL or a string from [`write_string`] not freed before.
pub(crate) unsafe fn free_string(text: *mut c_char) {
    if !text.is_null() {
        // SAFETY: the caller promises it came from `CString::into_raw` and is freed once.
        drop(unsafe { CString::from_raw(text) });
    }
}
