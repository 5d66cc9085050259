//! The `hooks` and `debug` client options: one event per request attempt, answer, retry and
//! final failure, built here and handed to the caller's functions (no JS of ours in between). A
//! client without either option has no `Observer`, and its calls build nothing.
//!
//! Events carry the method, the path below the API root (no host, no query string), the attempt
//! number, and as relevant the status, timings and an error code: never headers, bodies or
//! messages, so no credential can reach a hook.

use crate::core::config::ClientConfig;
use crate::core::error::Error;
use crate::core::request::{log_path, HttpRequest};

#[cfg(feature = "client")]
mod on {
    use js_sys::{Function, Object, Reflect};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::JsFuture;

    use crate::core::error::Error;
    use crate::js::options::{is_array, keys, OptionsObject};

    /// The event types, by kind (REQUEST, RESPONSE, RETRY, ERROR).
    pub(super) const TYPES: [&str; 4] = ["request", "response", "retry", "error"];

    #[wasm_bindgen]
    extern "C" {
        // `catch`: whatever happens in there must not unwind through the wasm.
        #[wasm_bindgen(js_namespace = console, js_name = debug, catch)]
        fn console_debug(line: &str) -> Result<(), JsValue>;
    }

    /// Where the debug lines go.
    pub(super) enum Log {
        Console,
        To(Function),
    }

    /// The client's hooks (by kind) and debug sink.
    pub struct Observer {
        pub(super) hooks: [Option<Function>; 4],
        pub(super) log: Option<Log>,
    }

    fn invalid(message: &str) -> Error {
        Error::invalid_argument(crate::core::text::cat(&["client option ", message]))
    }

    /// `hooks` and `debug` of the client options; `None` when neither asks for anything.
    pub fn observer(fields: &OptionsObject) -> Result<Option<Observer>, Error> {
        let log = match fields.raw_value("debug")? {
            None => None,
            Some(v) if v.as_bool() == Some(false) => None,
            Some(v) if v.as_bool() == Some(true) => Some(Log::Console),
            Some(v) if v.is_function() => Some(Log::To(v.into())),
            Some(_) => return Err(invalid("`debug` must be true, false or a function")),
        };
        let mut hooks: [Option<Function>; 4] = Default::default();
        if let Some(h) = fields.raw_value("hooks")? {
            // A throwing getter or proxy is refused, never unwound through the wasm.
            let unreadable = |_| invalid("`hooks` could not be read");
            if !h.is_object() || h.is_function() || is_array(&h).map_err(unreadable)? {
                return Err(invalid("`hooks` must be an object of functions"));
            }
            for k in keys(&h).map_err(unreadable)?.iter() {
                let name = k.as_string().unwrap_or_default();
                if !TYPES.contains(&name.as_str()) {
                    return Err(Error::invalid_argument(crate::core::text::cat(&[
                        "unknown hook `",
                        &name,
                        "` (expected one of: request, response, retry, error)",
                    ])));
                }
            }
            for (slot, name) in hooks.iter_mut().zip(TYPES) {
                let f = Reflect::get(&h, &JsValue::from_str(name)).map_err(unreadable)?;
                if f.is_undefined() || f.is_null() {
                    continue;
                }
                if !f.is_function() {
                    return Err(Error::invalid_argument(crate::core::text::cat(&[
                        "hook `",
                        name,
                        "` must be a function",
                    ])));
                }
                *slot = Some(f.into());
            }
        }
        let none = log.is_none() && hooks.iter().all(Option::is_none);
        Ok((!none).then_some(Observer { hooks, log }))
    }

    /// Calls `f(arg)`. Nothing it does reaches the call: a throw is dropped, and a promise (or
    /// thenable) it returns is awaited so that its rejection is handled.
    pub fn deliver(f: &Function, arg: &JsValue) {
        let Ok(r) = f.call1(&JsValue::UNDEFINED, arg) else {
            return;
        };
        let thenable = r.is_object()
            && Reflect::get(&r, &JsValue::from_str("then")).is_ok_and(|t| t.is_function());
        if let (true, Ok(p)) = (thenable, crate::js::transport::as_promise(&r)) {
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }

    pub(super) fn hook(observer: &Observer, kind: u8, event: &Object) {
        if let Some(Some(f)) = observer.hooks.get(usize::from(kind)) {
            deliver(f, event);
        }
    }

    pub(super) fn log(observer: &Observer, line: &str) {
        match &observer.log {
            None => {}
            Some(Log::Console) => {
                let _ = console_debug(line);
            }
            Some(Log::To(f)) => deliver(f, &JsValue::from_str(line)),
        }
    }
}

#[cfg(feature = "client")]
pub use on::{deliver, observer, Observer};

/// The Worker build has no hooks: no value of this type exists, so the code that reports
/// compiles away.
#[cfg(not(feature = "client"))]
pub enum Observer {}

const REQUEST: u8 = 0;
const RESPONSE: u8 = 1;
const RETRY: u8 = 2;
const ERROR: u8 = 3;

/// One call's events: `request` before each attempt, `response` when an answer arrives,
/// then `retry` (with the wait) or `error` (the code the call fails with) when it failed.
/// Each method takes the client's observer (only a client with one makes a trace).
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub struct Trace {
    method: &'static str,
    path: String,
    attempt: u32,
    started: f64,
    /// This attempt's HTTP status; 0 until an answer arrived.
    status: u16,
}

impl Trace {
    pub fn new(config: &ClientConfig, req: &HttpRequest) -> Self {
        let base = config.base.as_str();
        let ctrl = config.ctrl.as_ref().map_or(base, |c| c.as_str());
        Trace {
            method: req.method.as_str(),
            path: log_path(&req.url, &[base, ctrl]).to_string(),
            attempt: 0,
            started: 0.0,
            status: 0,
        }
    }

    /// Attempt `attempt` (1 first) is about to be sent.
    pub fn request(&mut self, observer: &Observer, attempt: u32) {
        self.attempt = attempt;
        self.status = 0;
        self.started = js_sys::Date::now();
        self.emit(observer, REQUEST, 0, "");
    }

    pub fn response(&mut self, observer: &Observer, status: u16) {
        self.status = status;
        self.emit(observer, RESPONSE, 0, "");
    }

    /// The attempt failed with `e`: retried after `retry_in` ms, or the call fails with it.
    pub fn failed(&self, observer: &Observer, e: &Error, retry_in: Option<u32>) {
        match retry_in {
            Some(ms) => self.emit(observer, RETRY, ms, e.code.as_str()),
            None => self.emit(observer, ERROR, 0, e.code.as_str()),
        }
    }

    /// The event object for the hook of `kind`, and the debug line, each only when asked for.
    #[cfg(feature = "client")]
    fn emit(&self, observer: &Observer, kind: u8, retry_in_ms: u32, code: &str) {
        use crate::core::text::{cat, uint};
        use crate::js::transport::set;
        use wasm_bindgen::JsValue;
        let duration = (js_sys::Date::now() - self.started).max(0.0);
        if matches!(observer.hooks.get(usize::from(kind)), Some(Some(_))) {
            let e = js_sys::Object::new();
            let kind_name = on::TYPES.get(usize::from(kind)).copied().unwrap_or("error");
            set(&e, "type", &JsValue::from_str(kind_name));
            set(&e, "method", &JsValue::from_str(self.method));
            set(&e, "path", &JsValue::from_str(&self.path));
            set(&e, "attempt", &JsValue::from(self.attempt));
            if self.status != 0 {
                set(&e, "status", &JsValue::from(self.status));
            }
            if kind != REQUEST {
                set(&e, "durationMs", &JsValue::from_f64(duration));
            }
            if kind == RETRY {
                set(&e, "retryInMs", &JsValue::from(retry_in_ms));
                set(&e, "reason", &JsValue::from_str(code));
            } else if kind == ERROR {
                set(&e, "code", &JsValue::from_str(code));
            }
            on::hook(observer, kind, &e);
        }
        if observer.log.is_some() {
            let ms = uint(duration as u64);
            let status = if self.status != 0 {
                cat(&[" ", &uint(self.status.into())])
            } else {
                String::new()
            };
            let attempt = uint(self.attempt.into());
            let head = cat(&[
                "gumroad-wasm: ",
                self.method,
                " ",
                &self.path,
                " attempt ",
                &attempt,
            ]);
            let line = match kind {
                REQUEST => cat(&[&head, " sending"]),
                RESPONSE => cat(&[&head, " -> ", &uint(self.status.into()), " in ", &ms, " ms"]),
                RETRY => cat(&[
                    &head,
                    " -> retry in ",
                    &uint(retry_in_ms.into()),
                    " ms (",
                    code,
                    &status,
                    ")",
                ]),
                _ => cat(&[&head, " -> failed: ", code, &status, " in ", &ms, " ms"]),
            };
            on::log(observer, &line);
        }
    }

    #[cfg(not(feature = "client"))]
    fn emit(&self, observer: &Observer, _kind: u8, _retry_in_ms: u32, _code: &str) {
        match *observer {}
    }
}
