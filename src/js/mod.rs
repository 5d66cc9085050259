//! JavaScript bindings (wasm32 only): classes, the fetch transport, errors.

mod call;
mod client;
mod errors;
mod options;
mod pager;
mod params;
mod ping;
mod resources;
mod transport;
mod types;

pub use call::{execute, run_call, CallOptions};
pub use client::{GumroadClient, Inner};
pub use errors::{is_gumroad_error, to_js};
pub use pager::Paginator;
pub use ping::parse_ping;
pub use resources::*;
pub use transport::{js_message, sleep};
