//! Mutable server state: the data, the request log, injected faults, run-time settings and the
//! bytes held by the S3 stand-in.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::*;

#[derive(Clone, Debug, Serialize)]
pub struct LogEntry {
    pub seq: u64,
    pub method: String,
    pub path: String,
    pub query: String,
    /// Header names lower-cased; credentials masked.
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub status: u16,
}

/// Gumroad's multipart part size (100 MiB).
pub const DEFAULT_UPLOAD_PART_SIZE: u64 = 100 * 1024 * 1024;
/// Gumroad's minimum device-code poll interval (seconds).
pub const DEFAULT_DEVICE_INTERVAL: u64 = 5;

/// Knobs that make slow real-world behaviour testable (`--upload-part-size`, `POST
/// /__mock/settings`). They are not part of the data set: `POST /__mock/reset` restores the
/// start-up values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunSettings {
    /// Bytes per part of `POST /v2/files/presign`.
    pub upload_part_size: u64,
    /// Seconds a device-code client must wait between polls (`interval`).
    pub device_interval: u64,
    /// Gumroad's Rack::Attack throttles (`--throttle`; `crate::throttle`).
    #[serde(default)]
    pub throttle: bool,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            upload_part_size: DEFAULT_UPLOAD_PART_SIZE,
            device_interval: DEFAULT_DEVICE_INTERVAL,
            throttle: false,
        }
    }
}

pub struct State {
    pub data: Data,
    pub initial: Data,
    pub log: Vec<LogEntry>,
    pub seq: u64,
    ids: u64,
    /// Separate from `ids`, so minting OAuth secrets does not shift the external ids other
    /// routes hand out.
    secrets: u64,
    /// Webhook deliveries waiting to be sent (drained after each request).
    pub outbox: Vec<crate::outbox::Delivery>,
    pub webhook_log: Vec<crate::outbox::DeliveryRecord>,
    pub faults: Vec<crate::faults::Fault>,
    pub settings: RunSettings,
    /// What `reset` restores (the command-line values).
    pub default_settings: RunSettings,
    /// Bytes stored by the S3 stand-in (uploaded parts, assembled files, blobs, media), keyed by
    /// object name. Kept out of `data` so `GET /__mock/data` and `--dump-seed` stay small.
    pub objects: HashMap<String, Vec<u8>>,
    /// `Host` of the request being handled, for absolute URLs (upload targets, media).
    pub host: String,
    /// Rack::Attack counters (`--throttle`), cleared by `reset`.
    pub throttle_counts: Counters,
}

/// The log keeps the most recent entries only, so a long soak cannot exhaust memory.
pub const LOG_LIMIT: usize = 5_000;

impl State {
    pub fn new(data: Data) -> Self {
        State {
            initial: data.clone(),
            data,
            log: Vec::new(),
            seq: 0,
            ids: 0,
            outbox: Vec::new(),
            webhook_log: Vec::new(),
            faults: Vec::new(),
            secrets: 0,
            settings: RunSettings::default(),
            default_settings: RunSettings::default(),
            objects: HashMap::new(),
            host: DEFAULT_HOST.to_string(),
            throttle_counts: Default::default(),
        }
    }

    /// Sets the start-up settings (also what `reset` restores).
    pub fn with_settings(mut self, settings: RunSettings) -> Self {
        self.default_settings = settings.clone();
        self.settings = settings;
        self
    }

    pub fn reset(&mut self) {
        self.data = self.initial.clone();
        self.log.clear();
        self.ids = 0;
        self.outbox.clear();
        self.webhook_log.clear();
        self.faults.clear();
        self.secrets = 0;
        self.settings = self.default_settings.clone();
        self.objects.clear();
        self.throttle_counts.clear();
    }

    /// Bytes held by the S3 stand-in.
    pub fn object_bytes(&self) -> usize {
        self.objects.values().map(Vec::len).sum()
    }

    /// A fresh opaque secret (tokens, codes): `bytes` pseudo-random bytes, URL-safe Base64
    /// without padding, like Doorkeeper's `SecureRandom.urlsafe_base64`. Deterministic for a
    /// given sequence of calls after start or reset.
    pub fn new_secret(&mut self, bytes: usize) -> String {
        use base64::Engine;
        self.secrets += 1;
        let mut rng = crate::ids::Rng::new(0x5EC2_E700_0000_0000 ^ self.secrets);
        let mut raw = Vec::with_capacity(bytes + 8);
        while raw.len() < bytes {
            raw.extend_from_slice(&rng.next_u64().to_le_bytes());
        }
        raw.truncate(bytes);
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
    }

    /// A fresh pseudo-random number (for codes with their own alphabet).
    pub fn new_random(&mut self) -> u64 {
        self.secrets += 1;
        crate::ids::Rng::new(0x0C0D_E500_0000_0000 ^ self.secrets).next_u64()
    }

    pub fn webhook_log_push(&mut self, r: crate::outbox::DeliveryRecord) {
        if self.webhook_log.len() >= LOG_LIMIT {
            self.webhook_log.remove(0);
        }
        self.webhook_log.push(r);
    }

    /// A fresh external id, deterministic for a given sequence of calls after start or reset.
    pub fn new_id(&mut self) -> String {
        self.ids += 1;
        crate::ids::Rng::new(0xC0FF_EE00_0000_0000 ^ self.ids).external_id()
    }

    pub fn new_license_key(&mut self) -> String {
        self.ids += 1;
        crate::ids::Rng::new(0x00BA_DA55_0000_0000 ^ self.ids).license_key()
    }

    pub fn record(&mut self, mut e: LogEntry) {
        self.seq += 1;
        e.seq = self.seq;
        if self.log.len() >= LOG_LIMIT {
            self.log.remove(0);
        }
        self.log.push(e);
    }

    pub fn seller(&self, id: &str) -> Option<&Seller> {
        self.data.sellers.iter().find(|s| s.user_id == id)
    }

    /// The access token `token` (seeded or minted), if it is alive.
    pub fn token(&self, token: &str) -> Option<&crate::model::Token> {
        self.data.tokens.iter().find(|t| t.token == token)
    }

    /// A product by external id or permalink (unique or custom, case-insensitive), as
    /// Gumroad's `fetch_product` does.
    pub fn product_index(&self, id_or_permalink: &str) -> Option<usize> {
        let p = &self.data.products;
        p.iter()
            .position(|p| p.id == id_or_permalink && !p.deleted)
            .or_else(|| {
                p.iter().position(|p| {
                    !p.deleted
                        && (p.unique_permalink.eq_ignore_ascii_case(id_or_permalink)
                            || p.custom_permalink
                                .as_deref()
                                .is_some_and(|c| c.eq_ignore_ascii_case(id_or_permalink)))
                })
            })
    }

    pub fn license_index(&self, key: &str) -> Option<usize> {
        let key = key.trim();
        self.data
            .licenses
            .iter()
            .position(|l| l.key.eq_ignore_ascii_case(key))
    }

    pub fn sale(&self, id: &str) -> Option<&Sale> {
        self.data.sales.iter().find(|s| s.id == id)
    }

    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.data.subscriptions.iter().find(|s| s.id == id)
    }
}

/// Who is calling, after authentication.
#[derive(Clone, Debug)]
pub struct Caller {
    pub seller_id: String,
    pub scopes: Vec<String>,
    /// The OAuth application of the token (resource subscriptions belong to an app).
    pub app_id: String,
}

impl Caller {
    pub fn has_any(&self, scopes: &[&str]) -> bool {
        self.scopes
            .iter()
            .any(|s| scopes.contains(&s.as_str()) || s == "account")
    }
}

/// The host used for absolute URLs when a request carries no `Host` header (and in unit tests).
pub const DEFAULT_HOST: &str = "127.0.0.1:4010";

/// Seconds since the Unix epoch.
pub fn now_unix() -> i64 {
    now_millis().div_euclid(1000)
}

/// Milliseconds since the Unix epoch (device-code polls are timed to the millisecond, so a short
/// `device_interval` still tells a fast poll from a slow one).
pub fn now_millis() -> i64 {
    crate::clock::now_ms()
}

/// Current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (the format the data uses, so strings compare).
pub fn now_iso() -> String {
    iso_from_unix(now_unix())
}

pub fn iso_from_unix(secs: i64) -> String {
    let (y, m, d) = crate::dates::civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Counters per rule + discriminator: `(period, window index, count)`.
#[derive(Default)]
pub struct Counters(pub(crate) std::collections::HashMap<String, (u64, u64, u64)>);
