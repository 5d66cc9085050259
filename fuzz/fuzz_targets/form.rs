#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gumroad_wasm_fuzz::form(data));
