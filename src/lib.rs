//! gumroad-wasm: a Gumroad API v2 client for WebAssembly (browsers, bundlers, Node, Workers).
//!
//! `core` is sans-IO and usable from any Rust HTTP stack; `js` (wasm32 only) exports the
//! JavaScript classes (feature `client`) and the fetch machinery both builds share; `edge`
//! (wasm32, feature `worker`) is the Cloudflare Worker license-check handler.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod core;

#[cfg(all(target_arch = "wasm32", feature = "worker"))]
pub mod edge;
#[cfg(target_arch = "wasm32")]
pub mod js;
