//! Runs API calls. Each call is a [`Flight`]: Rust builds the request, judges every answer and
//! decides every retry (`core::retry`); `drive` in js/transport.js only moves it along: send an
//! attempt, hand the answer to `settle`, sleep as long as `settle` says, until the flight has an
//! outcome. So a call crosses into JS once per attempt and awaits no Rust future: the client's
//! calls resolve without the futures executor, and there is one retry loop for both builds.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
#[cfg(feature = "worker")]
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use super::hooks::{Observer, Trace};
use super::transport::{self, Answer, RawResponse, ReadAs, SendOptions};
use crate::core::endpoints::Call;
use crate::core::error::{Error, ErrorCode};
use crate::core::request::HttpRequest;
use crate::core::response::{self, Meta, Unwrap};
use crate::core::retry::{self, Policy};

/// What every call of one client (or of the Worker's upstream) shares.
pub struct Inner {
    pub config: crate::core::config::ClientConfig,
    pub secrets: crate::core::error::Secrets,
    pub timeout_ms: u32,
    pub retry: Policy,
    pub fetch: Option<js_sys::Function>,
    /// `allowInsecureHttp`: also governs the upload URLs Gumroad hands out.
    pub allow_insecure: bool,
    /// `hooks` / `debug` (client build only; `None` when neither is set).
    pub observer: Option<Observer>,
}

/// Per-call options (`{ signal, timeoutMs, maxRetries }`), already validated.
#[derive(Clone, Default)]
pub struct CallOptions {
    pub signal: Option<AbortSignal>,
    pub timeout_ms: Option<u32>,
    pub max_retries: Option<u32>,
}

/// How a flight reads and judges its answers.
pub enum Handler {
    /// Sent again when `core::retry` says so; a success hands over this payload.
    Retried(Payload),
    /// A `GumroadOAuth` request, steered by its judge (answers, and the device flow's polling).
    #[cfg(feature = "client")]
    OAuth(super::oauth::Judge),
}

/// What a retried call hands over once an answer is a success.
#[derive(Clone)]
pub enum Payload {
    /// An API route: `core::response::interpret`, then what the route unwraps.
    Api(Unwrap),
    /// A part PUT of `files.upload()` to the storage: the part's ETag.
    #[cfg(feature = "client")]
    Etag,
    /// `licenses.check()`: a non-counting verify whose answer, or error about the license,
    /// `finish` turns into a verdict.
    #[cfg(feature = "client")]
    Verdict(crate::core::license::Policy),
}

/// What happens next in a flight.
pub enum Step {
    /// The flight is over: the payload, or the error (redacted).
    Done(Result<JsValue, Error>),
    /// Wait this many milliseconds, then send again.
    Wait(u32),
}

struct State {
    inner: Rc<Inner>,
    request: HttpRequest,
    /// The body to send instead of the request's text one (a part's bytes).
    raw_body: Option<JsValue>,
    handler: Handler,
    safe_to_retry: bool,
    timeout_ms: u32,
    signal: Option<AbortSignal>,
    policy: Policy,
    retries: u32,
    /// Only when the client has hooks or `debug`.
    trace: Option<Trace>,
    /// Set once the flight is over: the payload, or the (redacted) error.
    outcome: Option<Result<JsValue, Error>>,
    /// An OAuth step decided before sending (a poll's wait, or its code's expiry).
    #[cfg(feature = "client")]
    early: Option<Step>,
}

impl State {
    /// A retried call's attempt: its payload, or the wait before the next attempt, or the error
    /// the call ends with. Reports the answer, retry or failure to the hooks.
    fn retried(&mut self, payload: Payload, attempt: Result<RawResponse, Error>) -> Step {
        let result = attempt.and_then(|raw| {
            if let (Some(t), Some(o)) = (&mut self.trace, &self.inner.observer) {
                t.response(o, raw.status);
            }
            match payload {
                Payload::Api(unwrap) => handle(&self.inner, unwrap, &raw),
                #[cfg(feature = "client")]
                Payload::Etag => part_etag(&raw),
                #[cfg(feature = "client")]
                Payload::Verdict(_) => handle(&self.inner, Unwrap::License, &raw),
            }
        });
        let e = match result {
            Ok(v) => return Step::Done(Ok(v)),
            Err(e) => e,
        };
        let wait = retry::next_delay(
            &self.policy,
            self.safe_to_retry,
            &e,
            self.retries,
            js_sys::Math::random(),
        );
        if let (Some(t), Some(o)) = (&self.trace, &self.inner.observer) {
            t.failed(o, &e, wait);
        }
        match wait {
            Some(ms) => {
                self.retries += 1;
                Step::Wait(ms)
            }
            None => Step::Done(Err(e.redacted(&self.inner.secrets))),
        }
    }
}

/// One call in flight (see the module comment). Not part of the public API.
#[wasm_bindgen(skip_typescript)]
pub struct Flight(Rc<RefCell<State>>);

impl Flight {
    pub fn new(
        inner: Rc<Inner>,
        request: HttpRequest,
        raw_body: Option<JsValue>,
        handler: Handler,
        safe_to_retry: bool,
        opts: CallOptions,
    ) -> Flight {
        let trace = inner
            .observer
            .as_ref()
            .map(|_| Trace::new(&inner.config, &request));
        Flight(Rc::new(RefCell::new(State {
            timeout_ms: opts.timeout_ms.unwrap_or(inner.timeout_ms),
            policy: Policy {
                max_retries: opts.max_retries.unwrap_or(inner.retry.max_retries),
                max_wait_secs: inner.retry.max_wait_secs,
            },
            signal: opts.signal,
            inner,
            request,
            raw_body,
            handler,
            safe_to_retry,
            retries: 0,
            trace,
            outcome: None,
            #[cfg(feature = "client")]
            early: None,
        })))
    }

    /// The flight of an API call.
    pub fn api(inner: Rc<Inner>, call: Call, opts: CallOptions) -> Flight {
        Flight::new(
            inner,
            call.request,
            None,
            Handler::Retried(Payload::Api(call.unwrap)),
            call.safe_to_retry,
            opts,
        )
    }

    /// Runs the flight in JS: the promise resolves to the payload, or rejects with the typed
    /// error.
    #[cfg(feature = "client")]
    pub fn run(self) -> Promise {
        let signal = self.0.borrow().signal.clone();
        transport::run(&JsValue::from(self), signal.as_ref())
    }

    /// Where the outcome can be read once JS has driven the flight.
    pub fn landing(&self) -> Landing {
        Landing(self.0.clone())
    }

    /// Runs the flight and returns its outcome, the error kept as a Rust value (redacted), for
    /// callers that judge it further (the Worker's upstream calls).
    #[cfg(feature = "worker")]
    pub async fn outcome(self) -> Result<JsValue, Error> {
        let landing = self.landing();
        let signal = landing.0.borrow().signal.clone();
        let _ = JsFuture::from(transport::land(&JsValue::from(self), signal.as_ref())).await;
        landing.take()
    }
}

/// The outcome side of a [`Flight`] handed to JS.
pub struct Landing(Rc<RefCell<State>>);

impl Landing {
    /// The payload or the (redacted) error; a flight JS gave up on ends as a connection error.
    pub fn take(&self) -> Result<JsValue, Error> {
        let outcome = self.0.borrow_mut().outcome.take();
        outcome.unwrap_or_else(|| Err(Error::new(ErrorCode::Connection, "the call ended early")))
    }

    /// `METHOD url` of the flight's request, for error messages.
    #[cfg(feature = "client")]
    pub fn describe(&self) -> String {
        self.0.borrow().request.describe()
    }
}

#[wasm_bindgen]
impl Flight {
    /// Starts the next attempt (and reports it to the hooks); resolves to its `Answer`.
    pub fn send(&self) -> Promise {
        let mut st = self.0.borrow_mut();
        let st = &mut *st;
        // An OAuth flight may wait or end instead of sending: `settle` gets `undefined` then.
        #[cfg(feature = "client")]
        if let Handler::OAuth(judge) = &mut st.handler {
            if let Some(step) = judge.before_send() {
                st.early = Some(step);
                return Promise::resolve(&JsValue::UNDEFINED);
            }
        }
        let attempt = st.retries + 1;
        if let (Some(t), Some(o)) = (&mut st.trace, &st.inner.observer) {
            t.request(o, attempt);
        }
        let read = match &st.handler {
            Handler::Retried(Payload::Api(u)) => ReadAs::Api(*u),
            #[cfg(feature = "client")]
            Handler::Retried(Payload::Etag) => ReadAs::Text,
            #[cfg(feature = "client")]
            Handler::Retried(Payload::Verdict(_)) => ReadAs::Api(Unwrap::License),
            #[cfg(feature = "client")]
            Handler::OAuth(_) => ReadAs::Json,
        };
        transport::start(
            &st.request,
            st.raw_body.as_ref(),
            read,
            &SendOptions {
                timeout_ms: st.timeout_ms,
                signal: st.signal.as_ref(),
                fetch: st.inner.fetch.as_ref(),
            },
        )
    }

    /// Judges an attempt's answer. Returns the milliseconds to wait before the next attempt,
    /// or -1 when the flight is over (its outcome is set).
    pub fn settle(&self, answer: JsValue) -> i32 {
        let mut st = self.0.borrow_mut();
        let st = &mut *st;
        let answer = answer.unchecked_into::<Answer>();
        let step = match &mut st.handler {
            Handler::Retried(payload) => {
                let payload = payload.clone();
                let attempt = transport::read_answer(answer, st.timeout_ms);
                st.retried(payload, attempt)
            }
            // A step decided in `send` (no request was made), or the judge's verdict.
            #[cfg(feature = "client")]
            Handler::OAuth(judge) => match st.early.take() {
                Some(step) => step,
                None => judge.judge(transport::read_answer(answer, st.timeout_ms)),
            },
        };
        match step {
            Step::Wait(ms) => ms.min(i32::MAX as u32) as i32,
            Step::Done(outcome) => {
                st.outcome = Some(outcome);
                -1
            }
        }
    }

    /// The wait before a retry was cut short by the caller's signal.
    pub fn aborted(&self) {
        let mut st = self.0.borrow_mut();
        let e = transport::aborted();
        if let (Some(t), Some(o)) = (&st.trace, &st.inner.observer) {
            t.failed(o, &e, None);
        }
        st.outcome = Some(Err(e));
    }

    /// The outcome, for `run`: the payload, or the typed error to throw.
    #[cfg(feature = "client")]
    pub fn finish(self) -> Result<JsValue, JsValue> {
        let outcome = self.landing().take();
        let st = self.0.borrow();
        let outcome = match &st.handler {
            #[cfg(feature = "client")]
            Handler::Retried(Payload::Verdict(policy)) => super::licenses::verdict(outcome, policy),
            _ => outcome,
        };
        outcome.map_err(|e| super::errors::to_js(&e, Some(st.request.describe())))
    }
}

/// Runs a flight as a Promise, or gives one rejected with the error that kept the flight from
/// being built (bad arguments or options): what every client call returns.
#[cfg(feature = "client")]
pub fn launch(flight: Result<Flight, Error>) -> Promise {
    match flight {
        Ok(f) => f.run(),
        Err(e) => Promise::reject(&super::errors::to_js(&e, None)),
    }
}

/// Sends `call` and returns the unwrapped payload, or the error (already redacted).
#[cfg(feature = "worker")]
pub async fn run_call(inner: &Rc<Inner>, call: Call, opts: CallOptions) -> Result<JsValue, Error> {
    Flight::api(inner.clone(), call, opts).outcome().await
}

/// A part PUT's answer: its ETag, or why the storage refused it.
#[cfg(feature = "client")]
fn part_etag(raw: &RawResponse) -> Result<JsValue, Error> {
    let status = raw.status;
    if !(200..300).contains(&status) {
        let code = if status >= 500 || status == 429 {
            ErrorCode::Api
        } else {
            ErrorCode::InvalidRequest
        };
        let message = crate::core::text::cat(&[
            "the file storage refused a part (HTTP ",
            &crate::core::text::uint(status.into()),
            ")",
        ]);
        return Err(Error::new(code, message).with_status(status));
    }
    raw.header("etag").map(JsValue::from).ok_or_else(|| {
        Error::new(
            ErrorCode::Decode,
            "the file storage answered without an ETag (in a browser, its CORS rules must expose ETag)",
        )
        .with_status(status)
    })
}

fn now_unix() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn handle(inner: &Inner, unwrap: Unwrap, raw: &RawResponse) -> Result<JsValue, Error> {
    // Retry-After only means something on an error answer; reading a header and the clock
    // costs two boundary crossings, so a success skips both.
    let retry_after = if (200..300).contains(&raw.status) {
        None
    } else {
        raw.header("retry-after")
    };
    let meta = Meta {
        status: raw.status,
        now_unix: if retry_after.is_some() { now_unix() } else { 0 },
        retry_after,
        via_maton: inner.config.is_maton(),
    };
    if let Some(bytes) = raw.bytes() {
        // Only a 2xx download is read as bytes.
        let out = Object::new();
        set(&out, "data", &bytes);
        let ctype = raw.header("content-type").unwrap_or_default();
        set(&out, "contentType", &JsValue::from_str(&ctype));
        let name = raw
            .header("content-disposition")
            .and_then(|d| response::disposition_filename(&d));
        set(
            &out,
            "filename",
            &name.map_or(JsValue::NULL, |n| JsValue::from_str(&n)),
        );
        return Ok(out.into());
    }
    response::interpret(&meta, &raw.envelope(), &inner.secrets)?;
    if let Some(key) = raw.missing() {
        return Err(missing(&key).with_status(raw.status));
    }
    match unwrap {
        // A 2xx download arrives as bytes (above); a JSON 2xx where a file was expected is not
        // what the API sends.
        Unwrap::Binary => Err(
            Error::new(ErrorCode::Decode, "expected a file, got a JSON answer")
                .with_status(raw.status),
        ),
        _ => Ok(raw.value()),
    }
}

fn set(obj: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &JsValue::from_str(key), value);
}

fn missing(key: &str) -> Error {
    Error::new(
        ErrorCode::Decode,
        crate::core::text::cat(&["the answer lacks the `", key, "` field the API documents"]),
    )
}
