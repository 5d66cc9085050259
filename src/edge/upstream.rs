//! Calls to Gumroad (directly or through Maton) from the Worker and its ledgers, through the
//! client's own request builders and call loop, and the cool-down after Gumroad says 429.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::platform::{get, get_str};
use crate::core::config::ClientConfig;
use crate::core::endpoints::licenses::{self, LicenseParams};
use crate::core::error::{Error, ErrorCode};
use crate::core::license::{self, Policy, Reason, Verdict};
use crate::core::retry::Policy as RetryPolicy;
use crate::core::worker::{clamp_retry_after, upstream_failure, WorkerConfig};
use crate::js::{call_api, license_facts, CallOptions, Inner};

/// What Gumroad said about a license.
#[derive(Clone, Debug)]
pub struct Seen {
    pub verdict: Verdict,
    pub seats: u64,
    pub email: Option<String>,
    /// Gumroad answered with the license (its `uses` is a real count). False when the verdict
    /// was read from an error answer (unknown or disabled key): `uses` is then unknown.
    pub from_answer: bool,
    /// Unix seconds: when the verdict was obtained (a token's `iat`, however often it is
    /// re-signed from a cached or shared answer).
    pub at: i64,
    /// A cancelled subscription's paid-through date (Unix seconds), which caps a token's `exp`.
    pub paid_through: Option<i64>,
}

impl std::ops::Deref for Seen {
    type Target = Verdict;
    fn deref(&self) -> &Verdict {
        &self.verdict
    }
}

/// An upstream call that gave no verdict, as the worker answers it.
#[derive(Clone, Debug)]
pub struct Failure {
    pub status: u16,
    pub code: &'static str,
    pub message: &'static str,
    /// Seconds, already clamped.
    pub retry_after: u32,
    /// Gumroad rate-limited us: stop calling for `retry_after`.
    pub cooldown: bool,
}

impl Failure {
    fn from_error(e: &Error) -> Failure {
        let (status, code, message) = upstream_failure(e);
        let cooldown = e.code == ErrorCode::RateLimited;
        let retry_after = clamp_retry_after(e.retry_after);
        if cooldown {
            start_cooldown(retry_after);
        }
        Failure {
            status,
            code,
            message,
            retry_after,
            cooldown,
        }
    }

    fn misconfigured(detail: &str) -> Failure {
        super::platform::log(detail);
        Failure {
            status: 500,
            code: "misconfigured",
            message: crate::core::worker::MISCONFIGURED_MESSAGE,
            retry_after: 5,
            cooldown: false,
        }
    }

    /// Gumroad answered, but without the license's count (an error answer): a count change
    /// cannot be settled from it.
    pub fn no_count() -> Failure {
        Failure {
            status: 502,
            code: "upstream_error",
            message: "Gumroad did not confirm the license's use count",
            retry_after: 5,
            cooldown: false,
        }
    }

    /// The answer while cooling down, without calling Gumroad.
    pub fn cooling(left: u32) -> Failure {
        Failure {
            status: 503,
            code: "upstream_rate_limited",
            message: "Gumroad is rate limiting; retry later",
            retry_after: left,
            cooldown: true,
        }
    }
}

thread_local! {
    /// Until when (ms since the epoch) this isolate does not call Gumroad.
    static COOLDOWN_UNTIL: Cell<f64> = const { Cell::new(0.0) };
}

pub fn start_cooldown(secs: u32) {
    let until = js_sys::Date::now() + f64::from(secs) * 1000.0;
    COOLDOWN_UNTIL.with(|c| c.set(c.get().max(until)));
}

/// Seconds of cool-down left (rounded up), if any.
pub fn cooldown_left() -> Option<u32> {
    let left = COOLDOWN_UNTIL.with(Cell::get) - js_sys::Date::now();
    (left > 0.0).then(|| ((left / 1000.0).ceil() as u32).clamp(1, 60))
}

/// `with_token`: deactivation calls with the seller's credentials.
fn client(cfg: &WorkerConfig, max_retries: u32, with_token: bool) -> Result<Rc<Inner>, Error> {
    let mut config = match &cfg.maton_api_key {
        Some(key) => ClientConfig::maton(key.clone(), cfg.maton_connection.clone(), None, false)?,
        None if with_token => ClientConfig::direct(cfg.access_token.clone(), None, false)?,
        None => ClientConfig::direct(None, None, false)?,
    };
    if let Some(base) = cfg.api_base.as_deref() {
        config.base = crate::js::url::parse_base(base, false, "GUMROAD_API_BASE")?;
    }
    Ok(Rc::new(Inner {
        secrets: config.secrets(),
        config,
        timeout_ms: cfg.upstream_timeout_ms,
        retry: RetryPolicy {
            max_retries,
            // At the edge a long wait is worse than a quick 503 with Retry-After.
            max_wait_secs: 2,
        },
        fetch: None,
        allow_insecure: false,
        observer: None,
    }))
}

/// Verifies a license (`count`: and counts one use, sent exactly once) and judges the answer.
/// The verdict never says `too_many_uses`: seats are the ledger's business.
pub async fn ask(
    cfg: &WorkerConfig,
    key: &str,
    product_id: &str,
    count: bool,
) -> Result<Seen, Failure> {
    if let Some(left) = cooldown_left() {
        return Err(Failure::cooling(left));
    }
    let inner = client(cfg, if count { 0 } else { 1 }, false)
        .map_err(|e| Failure::misconfigured(&e.message))?;
    let params = LicenseParams {
        product_id: Some(product_id.to_string()),
        product_permalink: None,
        license_key: key.to_string(),
        increment_uses_count: Some(count),
    };
    let call =
        licenses::verify(&inner.config, &params).map_err(|e| Failure::misconfigured(&e.message))?;
    let policy = Policy {
        max_uses: None,
        now_unix: super::platform::now_secs(),
    };
    match call_api(&inner, call, &CallOptions::default()).await {
        Ok(value) => judge_answer(&value, product_id, &policy),
        Err(e) => match license::judge_error(&e) {
            Some(reason) => Ok(Seen {
                verdict: Verdict {
                    valid: false,
                    reason,
                    uses: 0,
                },
                seats: 1,
                email: None,
                from_answer: false,
                at: super::platform::now_secs(),
                paid_through: None,
            }),
            None => Err(Failure::from_error(&e)),
        },
    }
}

fn judge_answer(value: &JsValue, product_id: &str, policy: &Policy) -> Result<Seen, Failure> {
    let Ok(facts) = license_facts(value) else {
        return Err(Failure::from_error(&Error::new(ErrorCode::Decode, "")));
    };
    let mut verdict = license::judge(&facts, policy);
    // A purchase of another product does not unlock this one, whatever else it says.
    let other_product = facts
        .purchase
        .as_ref()
        .and_then(|p| p.product_id.as_deref())
        .is_some_and(|p| p != product_id);
    if other_product {
        verdict = Verdict {
            valid: false,
            reason: Reason::NotFound,
            uses: verdict.uses,
        };
    }
    let email = get(value, "purchase").and_then(|p| get_str(&p, "email"));
    let at = super::platform::now_secs();
    Ok(Seen {
        verdict,
        seats: license::seats(&facts),
        email,
        from_answer: true,
        at,
        paid_through: license::paid_through(&facts, at),
    })
}

/// `PUT /licenses/decrement_uses_count` with the seller's credentials, sent exactly once.
/// Resolves to the count after.
pub async fn decrement(cfg: &WorkerConfig, key: &str, product_id: &str) -> Result<u64, Failure> {
    if let Some(left) = cooldown_left() {
        return Err(Failure::cooling(left));
    }
    let inner = client(cfg, 0, true).map_err(|e| Failure::misconfigured(&e.message))?;
    let call = licenses::decrement_uses_count(&inner.config, product_id, key)
        .map_err(|e| Failure::misconfigured(&e.message))?;
    match call_api(&inner, call, &CallOptions::default()).await {
        Ok(value) => license_facts(&value)
            .map(|f| f.uses)
            .map_err(|e| Failure::from_error(&e)),
        Err(e) => Err(Failure::from_error(&e)),
    }
}
