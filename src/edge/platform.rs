//! The Workers platform pieces web-sys does not describe: Durable Object namespaces, stubs and
//! storage, the Rate Limiting binding, `ctx.waitUntil`, WebCrypto calls and logging. Every
//! binding that can throw is declared `catch`, so a JS exception becomes an `Err` here instead
//! of unwinding through the wasm.

use js_sys::{Array, ArrayBuffer, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    /// `DurableObjectNamespace`.
    pub type Namespace;
    #[wasm_bindgen(method, catch, js_name = idFromName)]
    fn id_from_name(this: &Namespace, name: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = get)]
    fn stub(this: &Namespace, id: &JsValue) -> Result<Stub, JsValue>;

    /// `DurableObjectStub`.
    pub type Stub;
    #[wasm_bindgen(method, catch, js_name = fetch)]
    fn fetch_request(this: &Stub, request: &web_sys::Request) -> Result<Promise, JsValue>;

    /// `DurableObjectStorage` (the key-value API, transactional per call).
    pub type Storage;
    #[wasm_bindgen(method, catch, js_name = get)]
    fn get_key(this: &Storage, key: &str) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = put)]
    fn put_key(this: &Storage, key: &str, value: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch, js_name = deleteAll)]
    fn delete_all_keys(this: &Storage) -> Result<Promise, JsValue>;

    /// The Workers Rate Limiting binding.
    pub type Limiter;
    #[wasm_bindgen(method, catch)]
    fn limit(this: &Limiter, options: &JsValue) -> Result<Promise, JsValue>;

    /// The `ctx` of a fetch event.
    pub type Ctx;
    #[wasm_bindgen(method, catch, js_name = waitUntil)]
    fn wait_until_js(this: &Ctx, promise: &Promise) -> Result<(), JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = digest)]
    fn subtle_digest(algorithm: &str, data: &[u8]) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = importKey)]
    pub fn import_key(
        format: &str,
        data: &JsValue,
        algorithm: &JsValue,
        extractable: bool,
        usages: &Array,
    ) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = exportKey)]
    pub fn export_key(format: &str, key: &JsValue) -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = sign)]
    pub fn subtle_sign(algorithm: &JsValue, key: &JsValue, data: &[u8])
        -> Result<Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["crypto", "subtle"], js_name = verify)]
    pub fn subtle_verify(
        algorithm: &JsValue,
        key: &JsValue,
        signature: &[u8],
        data: &[u8],
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(line: &str);
}

/// Logs a line for the operator (`wrangler tail`); never seen by callers.
pub fn log(line: &str) {
    console_error(line);
}

pub fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    let v = Reflect::get(obj, &JsValue::from_str(key)).ok()?;
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

pub fn get_str(obj: &JsValue, key: &str) -> Option<String> {
    get(obj, key)?.as_string()
}

pub async fn wait(p: Result<Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p?).await
}

pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Unix seconds as ISO 8601 (UTC, milliseconds), as instances' `activated_at` are written.
/// Clamped to the years 0-9999: `toISOString` throws outside a Date's range, and a stored
/// number is only known to be whole.
pub fn iso(secs: i64) -> String {
    let secs = secs.clamp(-62_167_219_200, 253_402_300_799);
    js_sys::Date::new(&JsValue::from_f64(secs as f64 * 1000.0))
        .to_iso_string()
        .into()
}

/// `env[name]` as a namespace, if bound.
pub fn namespace(env: &JsValue, name: &str) -> Option<Namespace> {
    get(env, name).map(JsCast::unchecked_into)
}

impl Namespace {
    /// The object named `name` (one per license: its key hash).
    pub fn named(&self, name: &str) -> Option<Stub> {
        let id = self.id_from_name(name).ok()?;
        self.stub(&id).ok()
    }
}

impl Stub {
    pub async fn send(&self, request: &web_sys::Request) -> Result<web_sys::Response, JsValue> {
        wait(self.fetch_request(request)).await?.dyn_into()
    }
}

impl Storage {
    pub async fn read(&self, key: &str) -> Result<JsValue, JsValue> {
        wait(self.get_key(key)).await
    }
    pub async fn write(&self, key: &str, value: &JsValue) -> Result<(), JsValue> {
        wait(self.put_key(key, value)).await.map(|_| ())
    }
    /// Everything the object stores, its storage's own bookkeeping included: an object left
    /// with nothing to keep then costs nothing.
    pub async fn delete_all(&self) -> Result<(), JsValue> {
        wait(self.delete_all_keys()).await.map(|_| ())
    }
}

/// Asks a Rate Limiting binding whether `key` may go on. A binding that fails answers "yes":
/// the limiter protects quotas, and failing closed would lock out paying customers whenever the
/// limiter itself has trouble.
pub async fn allowed(limiter: &JsValue, key: &str) -> bool {
    let limiter: &Limiter = limiter.unchecked_ref();
    let options = Object::new();
    let _ = Reflect::set(&options, &"key".into(), &JsValue::from_str(key));
    match wait(limiter.limit(&options)).await {
        Ok(outcome) => get(&outcome, "success")
            .and_then(|s| s.as_bool())
            .unwrap_or(true),
        Err(_) => {
            log("rate limiter failed; request let through");
            true
        }
    }
}

/// `ctx.waitUntil(promise)`, or nothing outside a fetch event.
pub fn wait_until(ctx: &JsValue, promise: Promise) {
    if get(ctx, "waitUntil").is_some() {
        let _ = ctx.unchecked_ref::<Ctx>().wait_until_js(&promise);
    }
}

/// SHA-256 through WebCrypto.
pub async fn sha256(data: &[u8]) -> Option<Vec<u8>> {
    let out = wait(subtle_digest("SHA-256", data)).await.ok()?;
    let buf: ArrayBuffer = out.dyn_into().ok()?;
    Some(Uint8Array::new(&buf).to_vec())
}

pub async fn sha256_hex(data: &str) -> Option<String> {
    Some(hex(&sha256(data.as_bytes()).await?))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 15] {
            out.push(DIGITS.get(nibble as usize).copied().unwrap_or(b'0') as char);
        }
    }
    out
}

pub fn random_bytes<const N: usize>() -> Option<[u8; N]> {
    let mut buf = [0u8; N];
    get_random_values(&mut buf).ok()?;
    Some(buf)
}

/// Compares two secrets without leaking where they differ: both are hashed (equal lengths for
/// any input), then compared with workerd's `crypto.subtle.timingSafeEqual`. Elsewhere (a
/// runtime without it) the digests are compared by folding every byte.
pub async fn secrets_equal(given: &str, expected: &str) -> bool {
    let (Some(a), Some(b)) = (
        sha256(given.as_bytes()).await,
        sha256(expected.as_bytes()).await,
    ) else {
        return false;
    };
    let subtle = get(&js_sys::global(), "crypto").and_then(|c| get(&c, "subtle"));
    if let Some(tse) = subtle
        .as_ref()
        .and_then(|s| get(s, "timingSafeEqual"))
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    {
        let (x, y) = (Uint8Array::from(&a[..]), Uint8Array::from(&b[..]));
        if let Ok(v) = tse.call2(
            subtle.as_ref().unwrap_or(&JsValue::UNDEFINED),
            &x.buffer(),
            &y.buffer(),
        ) {
            return v.as_bool() == Some(true);
        }
    }
    a.len() == b.len() && a.iter().zip(&b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
