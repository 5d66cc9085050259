// The stored license ledger as parsed JSON, read the way the Durable Object reads its JS object.
// Shared by tests/properties.rs and the fuzz harness (fuzz/src/lib.rs), both through `#[path]`.

use gumroad_wasm::core::ledger::Stored;

pub struct JsonStored(pub serde_json::Value);

impl Stored for JsonStored {
    fn field(&self, key: &str) -> Option<Self> {
        self.0
            .get(key)
            .filter(|v| !v.is_null())
            .cloned()
            .map(JsonStored)
    }
    fn text(&self) -> Option<String> {
        self.0.as_str().map(String::from)
    }
    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }
    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn items(&self) -> Option<Vec<Self>> {
        self.0
            .as_array()
            .map(|a| a.iter().cloned().map(JsonStored).collect())
    }
}
