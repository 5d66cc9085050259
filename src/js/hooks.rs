//! The `hooks` and `debug` client options: one event per request attempt, answer, retry and
//! final failure, built and delivered by `js/hooks.js`. A client without either option has no
//! `Observer`, and its calls build nothing.
//!
//! Events carry the method, the path below the API root (no host, no query string), the attempt
//! number, and as relevant the status, timings and an error code: never headers, bodies or
//! messages, so no credential can reach a hook.

use crate::core::config::ClientConfig;
use crate::core::error::Error;
use crate::core::request::{log_path, HttpRequest};

#[cfg(feature = "client")]
mod on {
    use wasm_bindgen::prelude::*;

    use crate::core::error::Error;
    use crate::js::options::Bag;

    #[wasm_bindgen(module = "/js/hooks.js")]
    extern "C" {
        /// The observer object, `undefined` when nothing is asked for, or a string saying
        /// what is wrong with the options.
        #[wasm_bindgen(js_name = makeObserver)]
        fn make_observer(hooks: &JsValue, debug: &JsValue) -> JsValue;

        // `catch`: whatever happens in there must not unwind through the wasm.
        #[wasm_bindgen(catch)]
        pub(super) fn report(
            observer: &JsValue,
            kind: u8,
            method: &str,
            path: &str,
            attempt: u32,
            status: u16,
            duration_ms: f64,
            retry_in_ms: u32,
            code: &str,
        ) -> Result<(), JsValue>;
    }

    /// The client's hooks and debug sink (a JS object from `makeObserver`).
    pub struct Observer(pub(super) JsValue);

    /// `hooks` and `debug` of the client options; `None` when neither asks for anything.
    pub fn observer(bag: &Bag) -> Result<Option<Observer>, Error> {
        let (hooks, debug) = (bag.raw_value("hooks"), bag.raw_value("debug"));
        if hooks.is_none() && debug.is_none() {
            return Ok(None);
        }
        let made = make_observer(&hooks.unwrap_or_default(), &debug.unwrap_or_default());
        if let Some(problem) = made.as_string() {
            return Err(Error::invalid_argument(problem));
        }
        Ok((!made.is_undefined()).then_some(Observer(made)))
    }
}

#[cfg(feature = "client")]
pub use on::{observer, Observer};

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

    #[cfg(feature = "client")]
    fn emit(&self, observer: &Observer, kind: u8, retry_in_ms: u32, code: &str) {
        let _ = on::report(
            &observer.0,
            kind,
            self.method,
            &self.path,
            self.attempt,
            self.status,
            (js_sys::Date::now() - self.started).max(0.0),
            retry_in_ms,
            code,
        );
    }

    #[cfg(not(feature = "client"))]
    fn emit(&self, observer: &Observer, _kind: u8, _retry_in_ms: u32, _code: &str) {
        match *observer {}
    }
}
