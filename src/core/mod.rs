//! Sans-IO core: builds requests, interprets answers, decides retries and license verdicts.
//! Nothing here touches JavaScript, so it compiles and is tested natively.

#[cfg(not(target_arch = "wasm32"))]
pub mod codegen;
pub mod config;
pub mod endpoints;
pub mod error;
pub mod json;
pub mod ledger;
pub mod license;
pub mod oauth;
pub mod ping;
pub mod request;
pub mod response;
pub mod retry;
pub mod text;
pub mod worker;

#[cfg(test)]
pub(crate) mod test_support {
    /// Reads a recorded Gumroad response from `tests/fixtures`.
    pub fn fixture(name: &str) -> String {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }
}
