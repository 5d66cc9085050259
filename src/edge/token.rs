//! Signed answers for offline use: a compact JWS (EdDSA / Ed25519 through WebCrypto) over the
//! verdict, and the JWKS that verifies it. The private key is the `LICENSE_SIGNING_KEY` secret
//! (a JWK, or PKCS#8 PEM); it is imported once per isolate and never exported again. The JWKS
//! also lists `LICENSE_PUBLIC_KEYS` (public JWKs only), so a key can ship in apps before it
//! signs anything and keep verifying old tokens after it stops: rotation without breakage.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

use super::platform::{self, get, get_str, wait};
use crate::core::json::{push_str, J};
use crate::core::oauth::base64url;
use crate::core::worker::WorkerConfig;

pub struct Signer {
    key: JsValue,
    pub kid: String,
    x: String,
}

/// Public keys as `(x, kid)`.
type KeyList = Rc<Vec<(String, String)>>;

thread_local! {
    /// The imported key and the secret it came from (a changed secret is imported again).
    static SIGNER: RefCell<Option<(String, Rc<Signer>)>> = const { RefCell::new(None) };
    /// The checked `LICENSE_PUBLIC_KEYS` (as `(x, kid)`) and the text they came from.
    static PUBLIC_KEYS: RefCell<Option<(String, KeyList)>> = const { RefCell::new(None) };
}

fn algorithm() -> JsValue {
    let a = Object::new();
    let _ = Reflect::set(&a, &"name".into(), &"Ed25519".into());
    a.into()
}

/// An Ed25519 key through WebCrypto `importKey`, for one usage (`sign` or `verify`).
async fn import_ed25519(
    format: &str,
    data: &JsValue,
    extractable: bool,
    usage: &str,
) -> Option<JsValue> {
    let usages = Array::of1(&usage.into());
    wait(platform::import_key(
        format,
        data,
        &algorithm(),
        extractable,
        &usages,
    ))
    .await
    .ok()
}

/// The signer for `secret`, imported on first use. `Err` carries a log line (never the key).
pub async fn signer(secret: &str) -> Result<Rc<Signer>, &'static str> {
    let cached = SIGNER.with(|s| {
        s.borrow()
            .as_ref()
            .filter(|(k, _)| k == secret)
            .map(|(_, signer)| signer.clone())
    });
    if let Some(s) = cached {
        return Ok(s);
    }
    let signer = Rc::new(import(secret.trim()).await?);
    SIGNER.with(|s| *s.borrow_mut() = Some((secret.to_string(), signer.clone())));
    Ok(signer)
}

async fn import(secret: &str) -> Result<Signer, &'static str> {
    const BAD: &str = "LICENSE_SIGNING_KEY is not an Ed25519 private key (JWK or PKCS#8 PEM)";
    let (key, x) = if secret.starts_with('{') {
        let jwk = JSON::parse(secret).map_err(|_| BAD)?;
        let field = |k: &str| get_str(&jwk, k).ok_or(BAD);
        if field("kty")? != "OKP" || field("crv")? != "Ed25519" {
            return Err(BAD);
        }
        let x = field("x")?;
        // Only the members WebCrypto needs: a stray `key_ops` or `alg` must not fail the import.
        let clean = Object::new();
        for k in ["kty", "crv", "x", "d"] {
            let _ = Reflect::set(&clean, &k.into(), &field(k)?.into());
        }
        let key = import_ed25519("jwk", &clean, false, "sign")
            .await
            .ok_or(BAD)?;
        // The published `x` must be the public half of `d`, or every token would fail to
        // verify in the field: sign a probe and check it with `x` alone.
        if !public_half_matches(&key, &x).await {
            return Err("LICENSE_SIGNING_KEY: its `x` is not the public half of its `d`");
        }
        (key, x)
    } else if secret.contains("-----BEGIN PRIVATE KEY-----") {
        let der = pem_body(secret).ok_or(BAD)?;
        let bytes = Uint8Array::from(&der[..]);
        // Extractable only to read the public half once, below.
        let key = import_ed25519("pkcs8", &bytes, true, "sign")
            .await
            .ok_or(BAD)?;
        let jwk = wait(platform::export_key("jwk", &key))
            .await
            .map_err(|_| BAD)?;
        // The key kept for signing is not extractable.
        let key = import_ed25519("pkcs8", &bytes, false, "sign")
            .await
            .ok_or(BAD)?;
        (key, get_str(&jwk, "x").ok_or(BAD)?)
    } else {
        return Err(BAD);
    };
    Ok(Signer {
        key,
        kid: thumbprint(&x).await?,
        x,
    })
}

/// The RFC 7638 thumbprint of an Ed25519 public key: the required members in lexicographic
/// order, no spaces, SHA-256, base64url. Tokens name their key by it (`kid`).
async fn thumbprint(x: &str) -> Result<String, &'static str> {
    let mut canonical = String::from("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":");
    push_str(&mut canonical, x);
    canonical.push('}');
    let digest = platform::sha256(canonical.as_bytes())
        .await
        .ok_or("SHA-256 unavailable")?;
    Ok(base64url(&digest))
}

/// `LICENSE_PUBLIC_KEYS`, checked: a JSON array of public Ed25519 JWKs (`kty` OKP, `crv`
/// Ed25519, `x` a key WebCrypto accepts; a `kid`, if given, must be the thumbprint; a private
/// member `d` is refused: a private key must never be published). `Err` carries a log line.
async fn public_keys(raw: &str) -> Result<KeyList, &'static str> {
    let cached = PUBLIC_KEYS.with(|k| {
        k.borrow()
            .as_ref()
            .filter(|(text, _)| text == raw)
            .map(|(_, keys)| keys.clone())
    });
    if let Some(keys) = cached {
        return Ok(keys);
    }
    const BAD: &str =
        "LICENSE_PUBLIC_KEYS must be a JSON array of public Ed25519 JWKs (kty OKP, crv Ed25519, x; no d)";
    let list = JSON::parse(raw).map_err(|_| BAD)?;
    if !Array::is_array(&list) {
        return Err(BAD);
    }
    let mut keys = Vec::new();
    for jwk in Array::from(&list).iter() {
        let field = |k: &str| get_str(&jwk, k);
        if field("kty").as_deref() != Some("OKP") || field("crv").as_deref() != Some("Ed25519") {
            return Err(BAD);
        }
        if get(&jwk, "d").is_some() {
            return Err("LICENSE_PUBLIC_KEYS holds a private key (`d`): publish public keys only");
        }
        let x = field("x").ok_or(BAD)?;
        let public = Object::new();
        for (k, v) in [("kty", "OKP"), ("crv", "Ed25519"), ("x", x.as_str())] {
            let _ = Reflect::set(&public, &k.into(), &v.into());
        }
        if import_ed25519("jwk", &public, false, "verify")
            .await
            .is_none()
        {
            return Err(BAD);
        }
        let kid = thumbprint(&x).await?;
        if field("kid").is_some_and(|given| given != kid) {
            return Err("LICENSE_PUBLIC_KEYS: a `kid` is not its key's RFC 7638 thumbprint");
        }
        if !keys.iter().any(|(k, _)| *k == x) {
            keys.push((x, kid));
        }
    }
    let keys = Rc::new(keys);
    PUBLIC_KEYS.with(|k| *k.borrow_mut() = Some((raw.to_string(), keys.clone())));
    Ok(keys)
}

/// Checks the signing key and the extra public keys, as configured. `Err` carries a log line.
pub async fn check(cfg: &WorkerConfig) -> Result<(), &'static str> {
    if let Some(secret) = cfg.signing_key.as_deref() {
        signer(secret).await?;
    }
    if let Some(raw) = cfg.public_keys.as_deref() {
        public_keys(raw).await?;
    }
    Ok(())
}

/// `{"keys":[...]}`: the signing key's public half, then `LICENSE_PUBLIC_KEYS`; `None` when
/// there is no key at all.
pub async fn jwks(cfg: &WorkerConfig) -> Result<Option<String>, &'static str> {
    let mut keys: Vec<(String, String)> = Vec::new();
    if let Some(secret) = cfg.signing_key.as_deref() {
        let s = signer(secret).await?;
        keys.push((s.x.clone(), s.kid.clone()));
    }
    if let Some(raw) = cfg.public_keys.as_deref() {
        for k in public_keys(raw).await?.iter() {
            if !keys.iter().any(|(x, _)| *x == k.0) {
                keys.push(k.clone());
            }
        }
    }
    if keys.is_empty() {
        return Ok(None);
    }
    let list = keys
        .iter()
        .map(|(x, kid)| {
            J::Obj(vec![
                ("kty", J::Str("OKP")),
                ("crv", J::Str("Ed25519")),
                ("x", J::Str(x)),
                ("kid", J::Str(kid)),
                ("alg", J::Str("EdDSA")),
                ("use", J::Str("sig")),
            ])
        })
        .collect();
    Ok(Some(J::Obj(vec![("keys", J::Arr(list))]).to_json()))
}

async fn public_half_matches(private: &JsValue, x: &str) -> bool {
    const PROBE: &[u8] = b"gumroad-wasm signing key check";
    let Ok(sig) = wait(platform::subtle_sign(&algorithm(), private, PROBE)).await else {
        return false;
    };
    let Ok(sig) = sig.dyn_into::<ArrayBuffer>() else {
        return false;
    };
    let public = Object::new();
    for (k, v) in [("kty", "OKP"), ("crv", "Ed25519"), ("x", x)] {
        let _ = Reflect::set(&public, &k.into(), &v.into());
    }
    let Some(key) = import_ed25519("jwk", &public, false, "verify").await else {
        return false;
    };
    let sig = Uint8Array::new(&sig).to_vec();
    wait(platform::subtle_verify(&algorithm(), &key, &sig, PROBE))
        .await
        .ok()
        .and_then(|v| v.as_bool())
        == Some(true)
}

/// The DER bytes between PEM markers (standard base64, whitespace ignored), through `atob`.
fn pem_body(pem: &str) -> Option<Vec<u8>> {
    let start = pem.find("-----BEGIN PRIVATE KEY-----")? + "-----BEGIN PRIVATE KEY-----".len();
    let end = pem.find("-----END PRIVATE KEY-----")?;
    let b64: String = pem
        .get(start..end)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let atob: js_sys::Function = platform::get(&js_sys::global(), "atob")?.dyn_into().ok()?;
    let binary = atob
        .call1(&JsValue::UNDEFINED, &b64.into())
        .ok()?
        .as_string()?;
    binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}

impl Signer {
    /// `header.claims.signature`, each base64url.
    pub async fn sign(&self, claims: &str) -> Option<String> {
        let mut header = String::from("{\"alg\":\"EdDSA\",\"kid\":");
        push_str(&mut header, &self.kid);
        header.push_str(",\"typ\":\"JWT\"}");
        let mut token = base64url(header.as_bytes());
        token.push('.');
        token.push_str(&base64url(claims.as_bytes()));
        let sig = wait(platform::subtle_sign(
            &algorithm(),
            &self.key,
            token.as_bytes(),
        ))
        .await
        .ok()?;
        let sig: ArrayBuffer = sig.dyn_into().ok()?;
        token.push('.');
        token.push_str(&base64url(&Uint8Array::new(&sig).to_vec()));
        Some(token)
    }
}

/// The claims of a signed verdict. `sub` is base64url(SHA-256(normalised key)): an app can
/// check it against the key it holds; the key itself is never in the token. `device` (with
/// `instance_id`) is the hash of `sub` and the device's fingerprint, never the fingerprint.
pub struct Claims<'a> {
    pub sub: &'a str,
    pub product_id: &'a str,
    pub instance_id: Option<&'a str>,
    pub device: Option<&'a str>,
    pub valid: bool,
    pub reason: &'a str,
    pub iss: &'a str,
    /// When the verdict was obtained, not when this copy of it was signed.
    pub iat: i64,
    pub exp: i64,
    /// The request's `nonce`, when it sent one.
    pub nonce: Option<&'a str>,
}

impl Claims<'_> {
    pub fn to_json(&self) -> String {
        let mut f = vec![
            ("sub", J::Str(self.sub)),
            ("product_id", J::Str(self.product_id)),
        ];
        if let (Some(i), Some(d)) = (self.instance_id, self.device) {
            f.push(("instance_id", J::Str(i)));
            f.push(("device", J::Str(d)));
        }
        f.push(("valid", J::Bool(self.valid)));
        f.push(("reason", J::Str(self.reason)));
        f.push(("iss", J::Str(self.iss)));
        f.push(("iat", J::Num(self.iat as f64)));
        f.push(("exp", J::Num(self.exp as f64)));
        if let Some(n) = self.nonce {
            f.push(("nonce", J::Str(n)));
        }
        J::Obj(f).to_json()
    }
}
