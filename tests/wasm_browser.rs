//! The same wasm-bindgen cases in a headless browser (`wasm-pack test --headless --chrome`, or
//! `WASM_BINDGEN_USE_BROWSER=1 cargo test --target wasm32-unknown-unknown --test wasm_browser`).
#![cfg(target_arch = "wasm32")]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod wasm_cases;

/// The browser tests load however many JS snippet modules the crate has: seven more here, on
/// top of the library's own. (With more parallel module loads than the test runner's server had
/// idle threads, the page used to stall on a busy machine; scripts/test.sh sends Chrome's
/// requests through tests/support/one-request-proxy.mjs, which says why.)
mod snippets {
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen(module = "/tests/wasm_snippets/probe1.js")]
    extern "C" {
        fn probe1() -> u32;
    }
    #[wasm_bindgen(module = "/tests/wasm_snippets/probe2.js")]
    extern "C" {
        fn probe2() -> u32;
    }
    #[wasm_bindgen(module = "/tests/wasm_snippets/probe3.js")]
    extern "C" {
        fn probe3() -> u32;
    }
    #[wasm_bindgen(module = "/tests/wasm_snippets/probe4.js")]
    extern "C" {
        fn probe4() -> u32;
    }
    #[wasm_bindgen(module = "/tests/wasm_snippets/probe5.js")]
    extern "C" {
        fn probe5() -> u32;
    }
    #[wasm_bindgen(module = "/tests/wasm_snippets/probe6.js")]
    extern "C" {
        fn probe6() -> u32;
    }
    #[wasm_bindgen(module = "/tests/wasm_snippets/probe7.js")]
    extern "C" {
        fn probe7() -> u32;
    }

    #[wasm_bindgen_test]
    fn seven_more_snippet_modules_load() {
        let each = [
            probe1(),
            probe2(),
            probe3(),
            probe4(),
            probe5(),
            probe6(),
            probe7(),
        ];
        assert_eq!(each, [1, 2, 3, 4, 5, 6, 7]);
    }
}
