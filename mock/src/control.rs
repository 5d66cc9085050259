//! The control API under `/__mock`: reset, request log, data inspection.

use serde_json::json;

use crate::http::Resp;
use crate::server::App;

pub fn handle(app: &App, method: &str, path: &str, query: &str, _body: &[u8]) -> Resp {
    match (method, path) {
        ("POST", "/reset") => {
            app.lock().reset();
            Resp::ok(json!({"ok": true}))
        }
        ("GET", "/requests") => {
            let state = app.lock();
            let since: u64 = gumroad_wasm::core::request::parse_form(query)
                .into_iter()
                .find(|(k, _)| k == "since")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let entries: Vec<_> = state.log.iter().filter(|e| e.seq > since).collect();
            Resp::ok(json!({"requests": entries, "last_seq": state.seq}))
        }
        ("DELETE", "/requests") => {
            app.lock().log.clear();
            Resp::ok(json!({"ok": true}))
        }
        ("GET", "/licenses") => {
            let state = app.lock();
            let list: Vec<_> = state
                .data
                .licenses
                .iter()
                .map(|l| json!({"key": l.key, "product_id": l.product_id, "uses": l.uses, "disabled": l.disabled}))
                .collect();
            Resp::ok(json!({"licenses": list}))
        }
        ("GET", "/data") => Resp::ok(serde_json::to_value(&app.lock().data).unwrap_or_default()),
        _ => Resp::json(404, json!({"error": "unknown control route", "path": path})),
    }
}
