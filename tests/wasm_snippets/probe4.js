// A snippet module of the browser wasm tests (tests/wasm_browser.rs: however many load).
export function probe4() { return 4; }
