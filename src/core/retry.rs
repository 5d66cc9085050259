//! Which failures are retried, and how long to wait in between.
//!
//! Gumroad has no idempotency keys, so a request that changes state is sent once, whatever
//! happens: a retried `verify` that counts a use could count it twice. Only calls marked
//! `safe_to_retry` are ever resent.

use super::error::{Error, ErrorCode};

pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
const BASE_DELAY_MS: f64 = 500.0;
const MAX_DELAY_MS: f64 = 8_000.0;
/// A server asking for a longer pause than this gets the error instead of a stalled call.
pub const MAX_RETRY_AFTER_SECS: u32 = 60;

/// Whether to send the call again after `err`, given `retries_done` so far.
pub fn should_retry(safe_to_retry: bool, err: &Error, retries_done: u32, max_retries: u32) -> bool {
    if !safe_to_retry || retries_done >= max_retries || !err.retryable {
        return false;
    }
    match err.code {
        ErrorCode::RateLimited => err.retry_after.is_none_or(|s| s <= MAX_RETRY_AFTER_SECS),
        ErrorCode::Api | ErrorCode::Connection | ErrorCode::Timeout => true,
        _ => false,
    }
}

/// Milliseconds to wait before retry number `retries_done + 1`. `Retry-After` wins when given;
/// otherwise exponential backoff with "equal jitter" (`jitter` in `[0, 1)`), so a burst of
/// clients does not come back in lockstep.
pub fn delay_ms(retries_done: u32, retry_after: Option<u32>, jitter: f64) -> u32 {
    if let Some(secs) = retry_after {
        return secs.min(MAX_RETRY_AFTER_SECS).saturating_mul(1000);
    }
    let exp = BASE_DELAY_MS * 2f64.powi(retries_done.min(16) as i32);
    let capped = exp.min(MAX_DELAY_MS);
    let j = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (capped / 2.0 + capped / 2.0 * j) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: ErrorCode) -> Error {
        Error::new(code, "x")
    }

    #[test]
    fn state_changing_calls_are_never_retried() {
        for code in ErrorCode::ALL {
            assert!(!should_retry(false, &e(code), 0, 5), "{code}");
        }
    }

    #[test]
    fn transient_failures_are_retried_up_to_the_limit() {
        for code in [
            ErrorCode::RateLimited,
            ErrorCode::Api,
            ErrorCode::Connection,
            ErrorCode::Timeout,
        ] {
            assert!(should_retry(true, &e(code), 0, 2), "{code}");
            assert!(should_retry(true, &e(code), 1, 2), "{code}");
            assert!(!should_retry(true, &e(code), 2, 2), "{code}");
        }
        for code in [
            ErrorCode::NotFound,
            ErrorCode::Authentication,
            ErrorCode::Permission,
            ErrorCode::InvalidRequest,
            ErrorCode::Aborted,
            ErrorCode::Decode,
            ErrorCode::InvalidArgument,
        ] {
            assert!(!should_retry(true, &e(code), 0, 2), "{code}");
        }
    }

    #[test]
    fn long_retry_after_is_not_waited_out() {
        let err = e(ErrorCode::RateLimited).with_retry_after(Some(3600));
        assert!(!should_retry(true, &err, 0, 2));
        let err = e(ErrorCode::RateLimited).with_retry_after(Some(2));
        assert!(should_retry(true, &err, 0, 2));
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        assert_eq!(delay_ms(0, None, 0.0), 250);
        assert_eq!(delay_ms(0, None, 1.0), 500);
        assert_eq!(delay_ms(1, None, 0.0), 500);
        assert_eq!(delay_ms(10, None, 1.0), 8000);
        assert_eq!(delay_ms(u32::MAX, None, f64::NAN), 6000);
        assert_eq!(delay_ms(0, Some(3), 0.9), 3000);
        assert_eq!(delay_ms(0, Some(0), 0.9), 0);
    }
}
