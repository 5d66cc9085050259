//! The first-party Gumhead model gateway (`/v2/gumhead/...`): only Gumroad's own Gumhead OAuth
//! application may call it, so every token the mock knows is refused, in Anthropic's error
//! envelope. Tokens count only from the `Authorization` header (server.rs ignores
//! `access_token` parameters on these paths), as on Gumroad.

use serde_json::json;

use crate::http::Resp;
use crate::routes::ApiRequest;

pub fn handle(req: &ApiRequest) -> Result<Resp, Resp> {
    // `doorkeeper_authorize!` without scopes: any valid token passes to the app check.
    req.require_token()?;
    Ok(Resp::json(
        403,
        json!({
            "type": "error",
            "error": {
                "type": "permission_error",
                "message": "This OAuth application cannot use the Gumhead gateway."
            }
        }),
    ))
}
