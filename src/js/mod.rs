//! JavaScript bindings (wasm32 only): classes, the fetch transport, errors.

mod call;
mod client;
mod errors;
mod options;
mod resources;
mod transport;
mod types;

pub use call::{execute, run_call, CallOptions};
pub use client::{GumroadClient, Inner};
pub use errors::{is_gumroad_error, to_js};
pub use resources::{LicensesResource, UserResource};
pub use transport::js_message;
