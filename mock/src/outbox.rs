//! The webhook pings the state holds: queued deliveries and the record of each attempt (the
//! rules that fill them are in `webhooks`).

use serde::Serialize;

/// A payload value: strings, nested hashes, arrays, nil.
#[derive(Clone, Debug)]
pub enum Pv {
    S(String),
    Nil,
    Arr(Vec<String>),
    Hash(Vec<(String, Pv)>),
}

/// One queued delivery.
#[derive(Clone, Debug)]
pub struct Delivery {
    pub url: String,
    pub resource_name: String,
    pub fields: Vec<(String, Pv)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DeliveryRecord {
    pub resource_name: String,
    pub post_url: String,
    pub attempt: u32,
    pub body: String,
    /// HTTP status, or `None` when the connection failed.
    pub status: Option<u16>,
    pub error: Option<String>,
}
