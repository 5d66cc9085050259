//! Maton connection management (`ctrl.maton.ai/connections`), keyed by the Maton API key.

use serde_json::{json, Value};

use crate::app::App;
use crate::http::{Params, Resp};
use crate::model::Connection;
use crate::state::now_iso;

fn view(c: &Connection, host: &str) -> Value {
    let mut v = json!({
        "connection_id": c.connection_id,
        "status": c.status,
        "creation_time": c.creation_time,
        "last_updated_time": c.last_updated_time,
        "url": format!("http://{host}/__mock/oauth/{}", c.connection_id),
        "app": c.app,
        "method": "OAUTH2",
        "metadata": {},
    });
    if c.status == "ACTIVE" {
        v["url"] = Value::Null;
    }
    v
}

/// `GET /connections[?app=&status=]`, `POST /connections {"app":"gumroad"}`,
/// `GET|DELETE /connections/{id}`.
pub fn connections(
    app: &App,
    method: &str,
    rest: &str,
    params: &Params,
    key: Option<String>,
    host: &str,
) -> Resp {
    let unauthorized = || {
        Resp::json(
            401,
            json!({"error": {"code": 401, "message": "Invalid or missing Maton API key."}}),
        )
    };
    let Some(key) = key else {
        return unauthorized();
    };
    let mut state = app.lock();
    let Some(k) = state.data.maton_keys.iter().position(|m| m.key == key) else {
        return unauthorized();
    };
    let id = rest.trim_start_matches('/');
    let conns = &mut state.data.maton_keys[k].connections;
    match (method, id) {
        ("GET", "") => {
            let app_f = params.text("app");
            let status_f = params.text("status");
            let list: Vec<Value> = conns
                .iter()
                .filter(|c| app_f.as_deref().is_none_or(|a| c.app == a))
                .filter(|c| {
                    status_f
                        .as_deref()
                        .is_none_or(|s| c.status.eq_ignore_ascii_case(s))
                })
                .map(|c| view(c, host))
                .collect();
            Resp::ok(json!({"connections": list}))
        }
        ("POST", "") => {
            let Some(app_name) = params.text("app") else {
                return Resp::json(
                    400,
                    json!({"error": {"code": 400, "message": "app is required"}}),
                );
            };
            let now = now_iso();
            let n = conns.len() + 1;
            let c = Connection {
                connection_id: format!("00000000-0000-4000-8000-{:012}", n + 1000 * k),
                seller_id: None,
                status: "PENDING".into(),
                creation_time: now.clone(),
                last_updated_time: now,
                app: app_name,
            };
            let v = view(&c, host);
            conns.push(c);
            Resp::ok(json!({"connection": v}))
        }
        ("GET", id) => match conns.iter().find(|c| c.connection_id == id) {
            Some(c) => Resp::ok(json!({"connection": view(c, host)})),
            None => Resp::json(
                404,
                json!({"error": {"code": 404, "message": "Connection not found."}}),
            ),
        },
        ("DELETE", id) => match conns.iter().position(|c| c.connection_id == id) {
            Some(i) => {
                let c = conns.remove(i);
                Resp::ok(json!({"connection": view(&c, host)}))
            }
            None => Resp::json(
                404,
                json!({"error": {"code": 404, "message": "Connection not found."}}),
            ),
        },
        _ => Resp::json(
            405,
            json!({"error": {"code": 405, "message": "Method not allowed."}}),
        ),
    }
}

/// Finishes the OAuth flow of a pending connection (what the seller's browser would do).
pub fn authorize(app: &App, id: &str, seller: Option<String>) -> Resp {
    let mut state = app.lock();
    let default_seller = state.data.sellers.first().map(|s| s.user_id.clone());
    let Some(seller) = seller.or(default_seller) else {
        return Resp::json(400, json!({"error": "no seller to connect"}));
    };
    if state.seller(&seller).is_none() {
        return Resp::json(400, json!({"error": "unknown seller_id"}));
    }
    for k in state.data.maton_keys.iter_mut() {
        if let Some(c) = k.connections.iter_mut().find(|c| c.connection_id == id) {
            c.status = "ACTIVE".into();
            c.seller_id = Some(seller);
            c.last_updated_time = now_iso();
            return Resp::ok(json!({"ok": true, "connection_id": id, "status": "ACTIVE"}));
        }
    }
    Resp::json(404, json!({"error": "unknown connection"}))
}
