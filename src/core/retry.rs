//! Every retry decision, in one place: which failures are transient, which calls may be sent
//! again, how long to wait (backoff with jitter, or the server's `Retry-After`, in seconds or as
//! an HTTP date) and how long a wait is worth it.
//!
//! Gumroad has no idempotency keys, so a request that changes state is sent once, whatever
//! happens: a retried `verify` that counts a use could count it twice. Only calls marked
//! `safe_to_retry` (from the endpoint table's retry rule) are ever resent.

use super::error::{Error, ErrorCode};
use super::license::days_from_civil;

pub const DEFAULT_MAX_RETRIES: u32 = 2;
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;
const BASE_DELAY_MS: f64 = 500.0;
const MAX_DELAY_MS: f64 = 8_000.0;
/// The longest server-requested pause a client call waits out; longer: fail now with the error
/// (its `retryAfter` tells the caller when to come back).
pub const MAX_RETRY_AFTER_SECS: u32 = 60;

/// Failures that may go away on their own: another attempt may succeed.
pub fn transient(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::RateLimited | ErrorCode::Api | ErrorCode::Connection | ErrorCode::Timeout
    )
}

/// How persistent a caller is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub max_retries: u32,
    /// The longest `Retry-After` worth waiting for.
    pub max_wait_secs: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            max_retries: DEFAULT_MAX_RETRIES,
            max_wait_secs: MAX_RETRY_AFTER_SECS,
        }
    }
}

/// Milliseconds to wait before sending the call again after `err`, or `None` to give up.
/// `retries_done` counts the retries already made; `jitter` is uniform in `[0, 1)`.
pub fn next_delay(
    policy: &Policy,
    safe_to_retry: bool,
    err: &Error,
    retries_done: u32,
    jitter: f64,
) -> Option<u32> {
    if !safe_to_retry || retries_done >= policy.max_retries || !err.retryable {
        return None;
    }
    if !transient(err.code) {
        return None;
    }
    match err.retry_after {
        Some(secs) if secs > policy.max_wait_secs => None,
        Some(secs) => Some(secs.saturating_mul(1000)),
        None => Some(backoff_ms(retries_done, jitter)),
    }
}

/// Exponential backoff with "equal jitter", so a burst of clients does not come back in
/// lockstep.
fn backoff_ms(retries_done: u32, jitter: f64) -> u32 {
    let exp = BASE_DELAY_MS * 2f64.powi(retries_done.min(16) as i32);
    let capped = exp.min(MAX_DELAY_MS);
    let j = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.5
    };
    (capped / 2.0 + capped / 2.0 * j) as u32
}

/// `Retry-After` in whole seconds from now: delay-seconds, or an HTTP date (IMF-fixdate, and
/// the obsolete RFC 850 and asctime forms HTTP recipients must accept) compared with `now_unix`
/// (seconds). A date in the past means 0; anything unparseable means no hint.
pub fn parse_retry_after(value: Option<&str>, now_unix: i64) -> Option<u32> {
    let v = value?.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        if v.len() > 10 {
            return None;
        }
        return v.parse::<u64>().ok().map(|n| n.min(u32::MAX as u64) as u32);
    }
    let at = http_date(v)?;
    Some(at.saturating_sub(now_unix).clamp(0, u32::MAX as i64) as u32)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since the epoch of an HTTP date.
fn http_date(v: &str) -> Option<i64> {
    let words: Vec<&str> = v.split_whitespace().collect();
    // Fixed-width unsigned fields only, so nothing a server sends can overflow the arithmetic.
    let num = |s: &str, width: usize| -> Option<i64> {
        (s.len() <= width && !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (day, month, year, time) = match words.as_slice() {
        // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
        [_, d, m, y, t, "GMT"] => (*d, *m, num(y, 4)?, *t),
        // asctime: `Sun Nov  6 08:49:37 1994`.
        [_, m, d, t, y] => (*d, *m, num(y, 4)?, *t),
        // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years: 1970-2069).
        [_, dmy, t, "GMT"] => {
            let mut it = dmy.split('-');
            let (d, m, y) = (it.next()?, it.next()?, it.next()?);
            let y = num(y, 2)?;
            let y = if y < 70 { 2000 + y } else { 1900 + y };
            (d, m, y, *t)
        }
        _ => return None,
    };
    let day = num(day, 2)?;
    let month = MONTHS.iter().position(|m| *m == month)? as i64 + 1;
    let mut hms = time.split(':').map(|p| num(p, 2));
    let (h, mi, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some()
        || !(1..=31).contains(&day)
        || h > 23
        || mi > 59
        || s > 60
        || !(1970..=9999).contains(&year)
    {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + h * 3600 + mi * 60 + s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(code: ErrorCode) -> Error {
        Error::new(code, "x")
    }

    fn p(max_retries: u32) -> Policy {
        Policy {
            max_retries,
            max_wait_secs: MAX_RETRY_AFTER_SECS,
        }
    }

    #[test]
    fn state_changing_calls_are_never_retried() {
        for code in ErrorCode::ALL {
            assert_eq!(next_delay(&p(5), false, &e(code), 0, 0.5), None, "{code}");
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
            assert!(
                next_delay(&p(2), true, &e(code), 0, 0.0).is_some(),
                "{code}"
            );
            assert!(
                next_delay(&p(2), true, &e(code), 1, 0.0).is_some(),
                "{code}"
            );
            assert_eq!(next_delay(&p(2), true, &e(code), 2, 0.0), None, "{code}");
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
            assert_eq!(next_delay(&p(2), true, &e(code), 0, 0.0), None, "{code}");
        }
        // A 500 that asks for product_id is not transient, whatever its status says.
        let not = e(ErrorCode::Api).with_retryable(false);
        assert_eq!(next_delay(&p(2), true, &not, 0, 0.0), None);
    }

    #[test]
    fn retry_after_wins_and_long_waits_are_not_waited_out() {
        let err = e(ErrorCode::RateLimited).with_retry_after(Some(3));
        assert_eq!(next_delay(&p(2), true, &err, 0, 0.9), Some(3000));
        let err = e(ErrorCode::RateLimited).with_retry_after(Some(0));
        assert_eq!(next_delay(&p(2), true, &err, 0, 0.9), Some(0));
        let err = e(ErrorCode::RateLimited).with_retry_after(Some(3600));
        assert_eq!(next_delay(&p(2), true, &err, 0, 0.0), None);
        let edge = Policy {
            max_retries: 1,
            max_wait_secs: 2,
        };
        let err = e(ErrorCode::RateLimited).with_retry_after(Some(3));
        assert_eq!(next_delay(&edge, true, &err, 0, 0.0), None);
    }

    #[test]
    fn backoff_grows_with_jitter_and_cap() {
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(0, 1.0), 500);
        assert_eq!(backoff_ms(1, 0.0), 500);
        assert_eq!(backoff_ms(10, 1.0), 8000);
        assert_eq!(backoff_ms(u32::MAX, f64::NAN), 6000);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        // 1994-11-06T08:49:37Z
        let t = 784_111_777;
        assert_eq!(parse_retry_after(Some(" 12 "), t), Some(12));
        assert_eq!(parse_retry_after(Some("-1"), t), None);
        assert_eq!(parse_retry_after(Some("99999999999"), t), None);
        assert_eq!(parse_retry_after(None, t), None);
        assert_eq!(parse_retry_after(Some(""), t), None);
        for date in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(parse_retry_after(Some(date), t - 30), Some(30), "{date}");
            assert_eq!(
                parse_retry_after(Some(date), t + 30),
                Some(0),
                "{date}: past"
            );
        }
        assert_eq!(
            parse_retry_after(Some("Wed, 21 Oct 2015 07:28:00 GMT"), 1_445_412_480 - 5),
            Some(5)
        );
        for bad in [
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 25:49:37 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sunday, 06-Nov-9223372036854775807 08:49:37 GMT",
            "Sun, 06 Nov 1994 -8:49:37 GMT",
            "Sun, 06 Nov 99999999999999999994 08:49:37 GMT",
            "tomorrow",
        ] {
            assert_eq!(parse_retry_after(Some(bad), t), None, "{bad}");
        }
    }
}
