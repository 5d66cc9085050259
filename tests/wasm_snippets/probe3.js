// A snippet module of the browser wasm tests (tests/wasm_browser.rs: however many load).
export function probe3() { return 3; }
