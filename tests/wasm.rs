//! wasm-bindgen tests in Node (`cargo test --target wasm32-unknown-unknown --test wasm`, or
//! `wasm-pack test --node`), against gumroad-mock at `GUMROAD_MOCK_URL`.
#![cfg(target_arch = "wasm32")]

mod wasm_cases;
