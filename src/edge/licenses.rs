//! The license routes of the front Worker: input, rate limits, the per-data-centre cache, the
//! command to the license's ledger, and the signed answer. The answer to a verify that names an
//! instance is decided here from the ledger's entry (which lists every instance with its
//! device), so a cached entry answers for every device of the license.

use js_sys::{Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;
use web_sys::Request;

use super::platform::{self, get, get_str};
use super::{
    ask_ledger, client_network, limit, settings_hash, Front, LicenseIds, Reply, UPSTREAM_BUDGET,
};
use super::{body, cache, token, upstream};
use crate::core::json::J;
use crate::core::license::Reason;
use crate::core::worker::{
    check_fingerprint, check_instance_id, check_instance_name, check_nonce, error_body,
    normalize_key, LicenseInput, WorkerError,
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Verify,
    Activate,
    Deactivate,
    Instances,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Verify => "verify",
            Op::Activate => "activate",
            Op::Deactivate => "deactivate",
            Op::Instances => "instances",
        }
    }
    /// Changes seats: JSON only, and the stricter per-IP limit.
    fn changes_seats(self) -> bool {
        matches!(self, Op::Activate | Op::Deactivate)
    }
}

/// A license request after validation.
struct Asked {
    key: String,
    product_id: String,
    fingerprint: Option<String>,
    name: String,
    instance_id: Option<String>,
    /// The app's challenge, signed into the tokens of this answer: proof that the answer is
    /// fresh, not one recorded earlier and replayed.
    nonce: Option<String>,
}

fn validate(f: &Front, input: LicenseInput, op: Op) -> Result<Asked, WorkerError> {
    let product_id = f.cfg.resolve_product(input.product_id.as_deref())?;
    let key = normalize_key(input.license_key.as_deref())?;
    let instance_id = match op {
        Op::Deactivate => Some(check_instance_id(input.instance_id.as_deref())?),
        Op::Verify if input.instance_id.is_some() => {
            Some(check_instance_id(input.instance_id.as_deref())?)
        }
        _ => None,
    };
    // A seat is a device: an activation, and a verify that names an instance, must say which.
    let needs_device = op == Op::Activate || (op == Op::Verify && instance_id.is_some());
    let fingerprint = if needs_device {
        Some(
            check_fingerprint(input.fingerprint.as_deref())?
                .ok_or(WorkerError::MissingFingerprint)?,
        )
    } else {
        None
    };
    let name = if op == Op::Activate {
        check_instance_name(input.instance_name.as_deref())?
    } else {
        String::new()
    };
    let nonce = check_nonce(input.nonce.as_deref())?;
    Ok(Asked {
        key,
        product_id,
        fingerprint,
        name,
        instance_id,
        nonce,
    })
}

pub async fn handle(request: &Request, f: &Front, op: Op) -> Reply {
    match flow(request, f, op).await {
        Ok(r) | Err(r) => r,
    }
}

async fn flow(request: &Request, f: &Front, op: Op) -> Result<Reply, Reply> {
    let input = body::read_input(request, op.changes_seats())
        .await
        .map_err(Reply::error)?;
    let asked = validate(f, input, op).map_err(Reply::error)?;
    let ip_binding = if op.changes_seats() {
        "RATE_LIMIT_CHANGE_IP"
    } else {
        "RATE_LIMIT_VERIFY_IP"
    };
    limit(f, ip_binding, &client_network(request)).await?;
    let ids = LicenseIds::of(&asked.product_id, &asked.key).await?;
    if !op.changes_seats() {
        // Changes are counted exactly, per hour, by the license's ledger.
        limit(f, "RATE_LIMIT_VERIFY_KEY", &ids.key_hash).await?;
    }
    // Keys that cannot sign (or publish) must stop the request before the ledger commits a
    // seat whose answer could then not be given.
    token::check(&f.cfg).await.map_err(Reply::misconfigured)?;
    let device = match &asked.fingerprint {
        Some(fp) => Some(ids.device(fp).await?),
        None => None,
    };
    let settings = settings_hash(&f.cfg)
        .await
        .ok_or_else(Reply::digest_unavailable)?;
    let cache_url = cache::url(&settings, &ids.key_hash);
    if op == Op::Verify {
        // An instance the cached list does not know may be newer than the entry (activated a
        // moment ago, or in another data centre): only the ledger can say it is unknown.
        // (An invalid verdict answers with its own reason whatever the instance.)
        let usable = |entry: &str| match &asked.instance_id {
            None => true,
            Some(id) => JSON::parse(entry).ok().is_some_and(|e| {
                let invalid = get(&e, "verdict")
                    .and_then(|v| get(&v, "valid"))
                    .and_then(|v| v.as_bool())
                    == Some(false);
                invalid || listed(&e, id).is_some()
            }),
        };
        if let Some(entry) = cache::get(&cache_url).await.filter(|e| usable(e)) {
            let mut r = verify_answer(f, &asked, &ids, device.as_deref(), &entry).await?;
            r.headers.push(("X-License-Cache", "hit".into()));
            return Ok(r);
        }
    }
    // Gumroad rate-limited us a moment ago: do not even ask the ledger to call it. (Cache hits
    // above, and device lists, need no upstream call.)
    if op != Op::Instances {
        if let Some(left) = upstream::cooldown_left() {
            let fail = upstream::Failure::cooling(left);
            return Err(Reply::json(503, error_body(fail.code, fail.message)).retry_after(left));
        }
    }
    // Everything past the cache costs a Durable Object request (and maybe a Gumroad call):
    // device lists too, or made-up keys could make unbounded ledger requests through them.
    limit(f, UPSTREAM_BUDGET, "upstream").await?;
    let mut fields = vec![
        ("op", J::Str(op.name())),
        ("key", J::Str(&asked.key)),
        ("product_id", J::Str(&asked.product_id)),
        ("name", J::Str(&asked.name)),
    ];
    if op == Op::Activate {
        if let Some(d) = &device {
            fields.push(("device", J::Str(d)));
        }
    }
    if let Some(id) = &asked.instance_id {
        fields.push(("instance_id", J::Str(id)));
    }
    let reply = ask_ledger(f, &ids.key_hash, J::Obj(fields).to_json()).await?;
    if let Some(secs) = reply.cooldown {
        upstream::start_cooldown(secs);
    }
    match op {
        Op::Verify if reply.status == 200 => {
            if reply.leader {
                let valid = reply.body.contains("\"valid\":true");
                let ttl = if valid {
                    f.cfg.cache_ttl_valid
                } else {
                    f.cfg.cache_ttl_invalid
                };
                platform::wait_until(
                    &f.ctx,
                    future_to_promise({
                        let (url, body) = (cache_url.clone(), reply.body.clone());
                        async move {
                            cache::put(url, body, ttl).await;
                            Ok(JsValue::UNDEFINED)
                        }
                    }),
                );
            }
            let mut r = verify_answer(f, &asked, &ids, device.as_deref(), &reply.body).await?;
            r.headers.push(("X-License-Cache", "miss".into()));
            Ok(r)
        }
        Op::Activate | Op::Deactivate => {
            // The cached entry lists instances: drop it here (other data centres: TTL).
            platform::wait_until(
                &f.ctx,
                future_to_promise(async move {
                    cache::delete(cache_url).await;
                    Ok(JsValue::UNDEFINED)
                }),
            );
            if op == Op::Activate && reply.status == 200 {
                return activation_answer(f, &asked, &ids, device.as_deref(), &reply.body).await;
            }
            Ok(Reply::from_ledger(reply))
        }
        _ => Ok(Reply::from_ledger(reply)),
    }
}

/// The entry's instance `id`, if listed.
fn listed(entry: &JsValue, id: &str) -> Option<JsValue> {
    let list = get(entry, "instances")?;
    js_sys::Array::from(&list)
        .iter()
        .find(|i| get_str(i, "id").as_deref() == Some(id))
}

fn seconds(v: &JsValue, key: &str) -> Option<i64> {
    get(v, key)?
        .as_f64()
        .filter(|n| n.fract() == 0.0 && n.abs() < 9.0e15)
        .map(|n| n as i64)
}

/// A verify answer from a ledger entry `{verdict, at, exp, instances}`. A request that names an
/// instance gets the verdict only for that instance on its own device and within the limit;
/// otherwise `unknown_instance`, `wrong_device` or `over_seat_limit`, signed as an invalid token
/// bound to the asking device (never one that unlocks). An invalid license keeps its own
/// reason: refunded says more.
async fn verify_answer(
    f: &Front,
    asked: &Asked,
    ids: &LicenseIds,
    device: Option<&str>,
    entry: &str,
) -> Result<Reply, Reply> {
    let bad = || Reply::misconfigured("ledger entry unreadable");
    let entry = JSON::parse(entry).map_err(|_| bad())?;
    let verdict = get(&entry, "verdict").ok_or_else(bad)?;
    let (at, exp) = (seconds(&entry, "at"), seconds(&entry, "exp"));
    let valid = get(&verdict, "valid").and_then(|v| v.as_bool()) == Some(true);
    let mut bound = None;
    if let Some(id) = &asked.instance_id {
        let instance = listed(&entry, id);
        let refusal = match &instance {
            None => Some(Reason::UnknownInstance),
            // An instance with no device on record answers no device.
            Some(i) if device.is_none() || get_str(i, "dev").as_deref() != device => {
                Some(Reason::WrongDevice)
            }
            Some(i) if get(i, "over").and_then(|o| o.as_bool()) == Some(true) => {
                Some(Reason::OverSeatLimit)
            }
            Some(_) => None,
        };
        if let (Some(r), true) = (refusal, valid) {
            let _ = Reflect::set(&verdict, &"valid".into(), &JsValue::FALSE);
            let _ = Reflect::set(&verdict, &"reason".into(), &r.as_str().into());
        }
        let _ = Reflect::set(&verdict, &"instance_id".into(), &JsValue::from_str(id));
        // Signed for this instance and the asking device: valid only when the instance is that
        // device's and within the limit; any refusal (this one, or the license's own) is an
        // invalid token that never unlocks, on which an app may act because a proxy cannot
        // forge it.
        bound = Some((id.as_str(), device.unwrap_or_default()));
    }
    if let (Some(at), Some(exp)) = (at, exp) {
        add_token(f, asked, ids, &verdict, bound, at, exp).await?;
    }
    stringify(&verdict)
        .map(|b| Reply::json(200, b))
        .ok_or_else(bad)
}

/// An activation answer: the ledger's body without its `at`/`exp`, signed when they were there.
async fn activation_answer(
    f: &Front,
    asked: &Asked,
    ids: &LicenseIds,
    device: Option<&str>,
    body: &str,
) -> Result<Reply, Reply> {
    let bad = || Reply::misconfigured("activation answer unreadable");
    let v = JSON::parse(body).map_err(|_| bad())?;
    let (at, exp) = (seconds(&v, "at"), seconds(&v, "exp"));
    let _ = Reflect::delete_property(v.unchecked_ref::<js_sys::Object>(), &"at".into());
    let _ = Reflect::delete_property(v.unchecked_ref::<js_sys::Object>(), &"exp".into());
    let instance = get(&v, "instance").and_then(|i| get_str(&i, "id"));
    if let (Some(at), Some(exp)) = (at, exp) {
        let bound = instance
            .as_deref()
            .map(|id| (id, device.unwrap_or_default()));
        add_token(f, asked, ids, &v, bound, at, exp).await?;
    }
    stringify(&v).map(|b| Reply::json(200, b)).ok_or_else(bad)
}

fn stringify(v: &JsValue) -> Option<String> {
    JSON::stringify(v).ok()?.as_string()
}

/// Sets `token` on `answer` (a signed copy of its verdict, bound to `bound`: an instance and
/// its device) when a signing key is configured.
async fn add_token(
    f: &Front,
    asked: &Asked,
    ids: &LicenseIds,
    answer: &JsValue,
    bound: Option<(&str, &str)>,
    at: i64,
    exp: i64,
) -> Result<(), Reply> {
    let Some(secret) = f.cfg.signing_key.as_deref() else {
        return Ok(());
    };
    let signer = token::signer(secret).await.map_err(Reply::misconfigured)?;
    let reason = get_str(answer, "reason").unwrap_or_default();
    let claims = token::Claims {
        sub: &ids.sub,
        product_id: &asked.product_id,
        instance_id: bound.map(|(id, _)| id),
        device: bound.map(|(_, d)| d),
        valid: get(answer, "valid").and_then(|b| b.as_bool()) == Some(true),
        reason: &reason,
        iss: &f.issuer,
        iat: at,
        exp,
        nonce: asked.nonce.as_deref(),
    };
    let tok = signer
        .sign(&claims.to_json())
        .await
        .ok_or_else(|| Reply::misconfigured("signing failed"))?;
    let _ = Reflect::set(answer, &"token".into(), &JsValue::from_str(&tok));
    Ok(())
}
