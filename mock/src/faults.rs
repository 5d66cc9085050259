//! Injected faults: per route or global, a number of times or at a rate.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// `429`, `500`, `502`, `503`, `401`, `403`, `latency`, `drop` (close the connection
    /// before handling), `drop_after` (handle, then close without answering), `truncate`
    /// (handle, then cut the JSON body short), `not_json` (handle, then answer 200 text),
    /// `html` (a 502 HTML error page).
    pub kind: String,
    /// API path prefix after `/v2` (e.g. `/licenses/verify`); absent = every API route.
    #[serde(default)]
    pub path: Option<String>,
    #[serde(default)]
    pub method: Option<String>,
    /// Seconds for the `Retry-After` header of a 429 (absent = no header, as Gumroad sends).
    #[serde(default)]
    pub retry_after: Option<u32>,
    /// Delay for `latency` (and added before any other kind).
    #[serde(default)]
    pub latency_ms: Option<u64>,
    /// How many requests it applies to (absent = until removed).
    #[serde(default)]
    pub times: Option<u32>,
    /// Probability per matching request, 0..=1 (default 1).
    #[serde(default)]
    pub rate: Option<f64>,
}

pub const KINDS: [&str; 12] = [
    "429",
    "500",
    "502",
    "503",
    "401",
    "403",
    "latency",
    "drop",
    "drop_after",
    "truncate",
    "not_json",
    "html",
];

impl Fault {
    pub fn validate(&self) -> Result<(), String> {
        if !KINDS.contains(&self.kind.as_str()) {
            return Err(format!(
                "unknown fault kind {:?}; one of {}",
                self.kind,
                KINDS.join(", ")
            ));
        }
        if let Some(r) = self.rate {
            if !(0.0..=1.0).contains(&r) {
                return Err("rate must be between 0 and 1".into());
            }
        }
        Ok(())
    }

    pub fn matches(&self, method: &str, api_path: &str) -> bool {
        self.times != Some(0)
            && self
                .method
                .as_deref()
                .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self.path.as_deref().is_none_or(|p| api_path.starts_with(p))
    }
}

/// A tiny deterministic-enough random source for fault rates.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(seed | 1)
    }
    pub fn roll(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}
