//! The mock's one clock. The core never reads the system time while it answers: a host hands
//! each request's time to [`dispatch::respond`](crate::dispatch::respond), which sets it here
//! for the length of the (synchronous) call. Outside a call (unit tests, the native host's
//! start-up) the system clock stands in; wasm has none, so there it is the Unix epoch.
use std::cell::Cell;

thread_local! {
    static NOW_MS: Cell<Option<i64>> = const { Cell::new(None) };
}

/// Runs `f` with the clock reading `now_ms` (milliseconds since the Unix epoch).
pub fn at<R>(now_ms: i64, f: impl FnOnce() -> R) -> R {
    /// Puts the time before back even when `f` panics (a host that survives a panicking
    /// request must not keep its time).
    struct Restore(Option<i64>);
    impl Drop for Restore {
        fn drop(&mut self) {
            NOW_MS.with(|c| c.set(self.0));
        }
    }
    let _restore = Restore(NOW_MS.with(|c| c.replace(Some(now_ms))));
    f()
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> i64 {
    NOW_MS.with(Cell::get).unwrap_or_else(system_ms)
}

/// The system clock, for hosts that have one.
#[cfg(not(target_arch = "wasm32"))]
pub fn system_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

#[cfg(target_arch = "wasm32")]
pub fn system_ms() -> i64 {
    0
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_call_sees_the_time_it_was_given_and_restores_the_one_before() {
        let outer = super::at(1_000, || {
            let inner = super::at(5_000, super::now_ms);
            (inner, super::now_ms())
        });
        assert_eq!(outer, (5_000, 1_000));
        assert!(
            super::now_ms() > 1_700_000_000_000,
            "the system clock outside a call"
        );
    }

    #[test]
    fn a_panicking_call_does_not_leave_its_time_behind() {
        let outer = super::at(2_000, || {
            let _ =
                std::panic::catch_unwind(|| super::at(9_000, || panic!("a request that panics")));
            super::now_ms()
        });
        assert_eq!(outer, 2_000);
    }
}
