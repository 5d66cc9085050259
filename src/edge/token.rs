//! Signed answers for offline use: a compact JWS (EdDSA / Ed25519 through WebCrypto) over the
//! verdict, and the JWKS that verifies it. The private key is the `LICENSE_SIGNING_KEY` secret
//! (a JWK, or PKCS#8 PEM); it is imported once per isolate and never exported again.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array, JSON};
use wasm_bindgen::prelude::*;

use super::platform::{self, get_str, wait};
use crate::core::json::{push_str, J};
use crate::core::oauth::base64url;

pub struct Signer {
    key: JsValue,
    pub kid: String,
    x: String,
}

thread_local! {
    /// The imported key and the secret it came from (a changed secret is imported again).
    static SIGNER: RefCell<Option<(String, Rc<Signer>)>> = const { RefCell::new(None) };
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
    // RFC 7638 thumbprint: the required members in lexicographic order, no spaces.
    let mut canonical = String::from("{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":");
    push_str(&mut canonical, &x);
    canonical.push('}');
    let digest = platform::sha256(canonical.as_bytes())
        .await
        .ok_or("SHA-256 unavailable")?;
    Ok(Signer {
        key,
        kid: base64url(&digest),
        x,
    })
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

    /// `{"keys":[...]}` with the public half only.
    pub fn jwks(&self) -> String {
        J::Obj(vec![(
            "keys",
            J::Arr(vec![J::Obj(vec![
                ("kty", J::Str("OKP")),
                ("crv", J::Str("Ed25519")),
                ("x", J::Str(&self.x)),
                ("kid", J::Str(&self.kid)),
                ("alg", J::Str("EdDSA")),
                ("use", J::Str("sig")),
            ])]),
        )])
        .to_json()
    }
}

/// The claims of a signed verdict. `sub` is base64url(SHA-256(normalised key)): an app can
/// check it against the key it holds; the key itself is never in the token.
pub struct Claims<'a> {
    pub sub: &'a str,
    pub product_id: &'a str,
    pub instance_id: Option<&'a str>,
    pub valid: bool,
    pub reason: &'a str,
    pub iat: i64,
    pub exp: i64,
}

impl Claims<'_> {
    pub fn to_json(&self) -> String {
        let mut f = vec![
            ("sub", J::Str(self.sub)),
            ("product_id", J::Str(self.product_id)),
        ];
        if let Some(i) = self.instance_id {
            f.push(("instance_id", J::Str(i)));
        }
        f.push(("valid", J::Bool(self.valid)));
        f.push(("reason", J::Str(self.reason)));
        f.push(("iat", J::Num(self.iat as f64)));
        f.push(("exp", J::Num(self.exp as f64)));
        J::Obj(f).to_json()
    }
}
