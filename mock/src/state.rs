//! Mutable server state: the data, the request log, injected faults.

use serde::Serialize;

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

pub struct State {
    pub data: Data,
    pub initial: Data,
    pub log: Vec<LogEntry>,
    pub seq: u64,
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
        }
    }

    pub fn reset(&mut self) {
        self.data = self.initial.clone();
        self.log.clear();
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
}

impl Caller {
    pub fn has_any(&self, scopes: &[&str]) -> bool {
        self.scopes
            .iter()
            .any(|s| scopes.contains(&s.as_str()) || s == "account")
    }
}
