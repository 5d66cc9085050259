//! The same wasm-bindgen cases in a headless browser (`wasm-pack test --headless --chrome`, or
//! `WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm_browser`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_cases;
