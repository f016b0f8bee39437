//! The panic boundary: every `extern "C"` body runs inside [`guard`].

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::error::{Failure, bcm_status, set_last_error};

/// Runs `body`, turning its failure into a status and its message into the thread's last error,
/// and a panic into `InternalError`. Clears the last error first, so it always describes the
/// latest call.
pub(crate) fn guard(body: impl FnOnce() -> Result<(), Failure>) -> bcm_status {
    set_last_error("");
    // Unwind safety: on a panic nothing the body touched is used again; out-pointers are written
    // only on success, as the body's last step.
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => bcm_status::Ok,
        Ok(Err(failure)) => {
            set_last_error(&failure.message);
            failure.status
        }
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            set_last_error(&format!("internal error in bcm (please report it): {what}"));
            bcm_status::InternalError
        }
    }
}

/// Like [`guard`] for functions without a status: a panic gives `fallback`.
pub(crate) fn guard_or<T>(fallback: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(fallback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::panic)]
    fn a_panic_becomes_a_status_and_a_message() {
        let status = guard(|| panic!("boom"));
        assert_eq!(status, bcm_status::InternalError);
        let message = unsafe { std::ffi::CStr::from_ptr(crate::error::last_error_ptr()) };
        assert_eq!(
            message.to_str().unwrap(),
            "internal error in bcm (please report it): boom"
        );
        assert_eq!(guard(|| Ok(())), bcm_status::Ok);
        let message = unsafe { std::ffi::CStr::from_ptr(crate::error::last_error_ptr()) };
        assert_eq!(message.to_bytes(), b"");
    }
}
