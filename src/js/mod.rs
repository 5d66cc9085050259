//! JavaScript bindings (wasm32 only). Shared by both builds: the fetch transport, the call loop,
//! errors, URL checks. Feature `client`: the exported classes and their generic call path (the
//! resource namespaces themselves are `js/api.js`, generated from the endpoint table).

mod call;
#[cfg(feature = "client")]
mod client;
mod errors;
mod facts;
mod hooks;
#[cfg(feature = "client")]
mod licenses;
#[cfg(feature = "client")]
mod oauth;
#[cfg(feature = "client")]
mod options;
#[cfg(feature = "client")]
mod pager;
#[cfg(feature = "client")]
mod params;
mod ping;
mod transport;
#[cfg(feature = "client")]
mod types;
#[cfg(feature = "client")]
mod upload;
pub mod url;

pub use call::{api as call_api, CallOptions, Inner};
#[cfg(feature = "client")]
pub use client::GumroadClient;
#[cfg(feature = "client")]
pub use errors::is_gumroad_error;
pub use errors::to_js;
pub use facts::license_facts;
#[cfg(feature = "client")]
pub use oauth::GumroadOAuth;
#[cfg(feature = "client")]
pub use pager::Pages;
pub use ping::parse_event;
#[cfg(feature = "client")]
pub use ping::parse_ping;
