//! The seller's routes, `POST /v1/admin/licenses/{instances,deactivate,unrevoke}`, behind
//! `ADMIN_TOKEN` (`Authorization: Bearer`, compared in constant time). Without the secret they do
//! not exist (404). Support decisions that the buyer's routes deliberately cannot make: freeing
//! a seat with no cool-down, lifting a revocation.

use web_sys::Request;

use super::platform;
use super::{ask_ledger, body, drop_cached, Front, LicenseIds, Reply};
use crate::core::json::J;
use crate::core::worker::{check_instance_id, normalize_key, WorkerError};

pub async fn handle(request: &Request, f: &Front, path: &str) -> Reply {
    match flow(request, f, path).await {
        Ok(r) | Err(r) => r,
    }
}

/// The token of an `Authorization: Bearer <token>` header (the scheme is case-insensitive).
fn bearer(request: &Request) -> String {
    let value = request
        .headers()
        .get("authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let value = value.trim();
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim().into(),
        _ => String::new(),
    }
}

async fn flow(request: &Request, f: &Front, path: &str) -> Result<Reply, Reply> {
    let Some(expected) = f.cfg.admin_token.as_deref() else {
        return Err(Reply::error(WorkerError::NotFound));
    };
    if !platform::secrets_equal(&bearer(request), expected).await {
        return Err(Reply::error(WorkerError::Unauthorized));
    }
    let input = body::read_input(request, true)
        .await
        .map_err(Reply::error)?;
    let product_id = f
        .cfg
        .resolve_product(input.product_id.as_deref())
        .map_err(Reply::error)?;
    let key = normalize_key(input.license_key.as_deref()).map_err(Reply::error)?;
    let (op, needs_instance) = match path.rsplit('/').next().unwrap_or_default() {
        "instances" => ("admin_instances", false),
        "deactivate" => ("admin_deactivate", true),
        _ => ("admin_unrevoke", false),
    };
    let instance_id = match (&input.instance_id, needs_instance) {
        (None, false) => None,
        (given, _) => Some(check_instance_id(given.as_deref()).map_err(Reply::error)?),
    };
    let ids = LicenseIds::of(&product_id, &key).await?;
    let mut fields = vec![
        ("op", J::Str(op)),
        ("key", J::Str(&key)),
        ("product_id", J::Str(&product_id)),
    ];
    if let Some(id) = &instance_id {
        fields.push(("instance_id", J::Str(id)));
    }
    let reply = ask_ledger(f, &ids.key_hash, J::Obj(fields).to_json()).await?;
    if op != "admin_instances" && reply.status == 200 {
        drop_cached(f, &ids.key_hash).await;
    }
    Ok(Reply::from_ledger(reply))
}
