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

/// The wasm builds' allocator: talc instead of the standard library's dlmalloc, 4.8 KB less code
/// in each build (about 2 KB gzip) for the same job. Its lock is a no-op, which is sound because
/// these wasm builds have no threads (no `atomics` target feature: one instance, one thread).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
// SAFETY: `new_global` requires a single-threaded wasm runtime, which both builds are (other
// code growing the memory meanwhile, such as wasm-bindgen's glue, is allowed).
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
