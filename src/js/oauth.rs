//! `GumroadOAuth`: OAuth for apps that act for other sellers. The requests and the meaning of
//! every answer are in `core::oauth`; this file moves them through `fetch`.

use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::call::{self, CallOptions, Inner};
use super::errors::to_js;
use super::options::{call_options, OptionsObject, MAX_TIMEOUT_MS};
use super::transport::{self, RawResponse, ReadAs};
use super::url::parse_base;
use crate::core::config::{Auth, ClientConfig};
use crate::core::error::{Error, ErrorCode, Secrets};
use crate::core::oauth::{
    self, pkce_challenge, random_token, token_answer, OAuthApp, TokenAnswer, DEFAULT_INTERVAL_SECS,
    OAUTH_BASE_URL,
};
use crate::core::request::HttpRequest;
use crate::core::retry::{Policy, DEFAULT_TIMEOUT_MS};

#[wasm_bindgen]
extern "C" {
    // Every runtime we support has the Web Crypto global (browsers, Node 20, workerd, Deno, Bun).
    #[wasm_bindgen(js_namespace = crypto, js_name = getRandomValues, catch)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
}

fn random(n: usize) -> Result<String, Error> {
    let mut buf = vec![0u8; n];
    get_random_values(&mut buf)
        .map_err(|_| Error::invalid_argument("crypto.getRandomValues is not available"))?;
    Ok(random_token(&buf))
}

/// OAuth for Gumroad apps: authorization URL with PKCE, code exchange, refresh, the device flow,
/// revocation. Keep a confidential app's `clientSecret` on a server.
#[wasm_bindgen]
pub struct GumroadOAuth {
    app: OAuthApp,
    /// What its requests share: the OAuth host (no API credentials: OAuth requests carry their
    /// own in the body), `fetch`, the timeout, and no automatic retries.
    inner: Rc<Inner>,
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The OAuth error an answer carries (`{error, error_description}`), redacted.
fn failure(status: u16, body: &JsValue, secrets: &Secrets) -> Error {
    oauth::oauth_error(
        status,
        get(body, "error").as_string().as_deref(),
        get(body, "error_description").as_string().as_deref(),
        secrets,
    )
}

/// A token argument (`refresh`, `revoke`).
fn token_arg(v: &JsValue, what: &str) -> Result<String, Error> {
    v.as_string().ok_or_else(|| {
        Error::invalid_argument(crate::core::text::cat(&[what, " must be a string"]))
    })
}

fn scopes_of(fields: &OptionsObject) -> Result<Vec<String>, Error> {
    let Some(v) = fields.raw_value("scopes")? else {
        return Ok(Vec::new());
    };
    if let Some(s) = v.as_string() {
        return Ok(s.split_whitespace().map(String::from).collect());
    }
    let wrong = || Error::invalid_argument("scopes must be an array of scope names");
    if !super::options::is_array(&v).map_err(|_| wrong())? {
        return Err(wrong());
    }
    super::options::array_from(&v)
        .map_err(|_| wrong())?
        .iter()
        .map(|s| {
            s.as_string()
                .ok_or_else(|| Error::invalid_argument("scopes must be an array of scope names"))
        })
        .collect()
}

#[wasm_bindgen]
impl GumroadOAuth {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "GumroadOAuthOptions")] options: JsValue,
    ) -> Result<GumroadOAuth, JsValue> {
        let make = || -> Result<GumroadOAuth, Error> {
            let fields = OptionsObject::new(
                &options,
                "OAuth option",
                &[
                    "clientId",
                    "clientSecret",
                    "redirectUri",
                    "oauthBaseUrl",
                    "timeoutMs",
                    "fetch",
                    "allowInsecureHttp",
                ],
            )?;
            let insecure = fields.bool("allowInsecureHttp")?.unwrap_or(false);
            let base = parse_base(
                &fields
                    .string("oauthBaseUrl")?
                    .unwrap_or_else(|| OAUTH_BASE_URL.to_string()),
                insecure,
                "oauthBaseUrl",
            )?;
            let client_id = fields
                .string("clientId")?
                .ok_or_else(|| Error::invalid_argument("clientId is required"))?;
            let app = OAuthApp::new(
                base.clone(),
                &client_id,
                fields.string("clientSecret")?,
                fields.string("redirectUri")?,
            )?;
            let inner = Inner {
                config: ClientConfig {
                    base,
                    auth: Auth::Direct(None),
                    ctrl: None,
                },
                secrets: app.secrets(&[]),
                timeout_ms: fields
                    .uint("timeoutMs", MAX_TIMEOUT_MS)?
                    .unwrap_or(DEFAULT_TIMEOUT_MS),
                retry: Policy {
                    max_retries: 0,
                    max_wait_secs: 0,
                },
                fetch: fields.function("fetch")?,
                allow_insecure: insecure,
                observer: None,
            };
            Ok(GumroadOAuth {
                app,
                inner: Rc::new(inner),
            })
        };
        make().map_err(|e| to_js(&e, None))
    }

    /// The scopes an app may request.
    #[wasm_bindgen(unchecked_return_type = "OAuthScope[]")]
    pub fn scopes() -> Array {
        oauth::SCOPES.iter().map(|s| JsValue::from_str(s)).collect()
    }

    /// The URL to send the user to, with a fresh `state` and (unless `pkce: false`) a PKCE S256
    /// challenge. Keep `state` and `codeVerifier` for the redirect back.
    #[wasm_bindgen(js_name = authorizationUrl, unchecked_return_type = "AuthorizationRequest")]
    pub fn authorization_url(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "AuthorizationUrlParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        let make = || -> Result<JsValue, Error> {
            let fields = OptionsObject::new(
                &params,
                "authorizationUrl param",
                &["scopes", "state", "redirectUri", "pkce"],
            )?;
            let state = match fields.string("state")? {
                Some(s) if !s.is_empty() => s,
                Some(_) => return Err(Error::invalid_argument("state must not be empty")),
                None => random(16)?,
            };
            let verifier = if fields.bool("pkce")?.unwrap_or(true) {
                Some(random(32)?)
            } else {
                None
            };
            let challenge = verifier.as_deref().map(pkce_challenge);
            let url = self.app.authorization_url(
                &scopes_of(&fields)?,
                &state,
                fields.string("redirectUri")?.as_deref(),
                challenge.as_deref(),
            )?;
            let out = Object::new();
            let _ = Reflect::set(&out, &"url".into(), &url.into());
            let _ = Reflect::set(&out, &"state".into(), &state.into());
            if let Some(v) = verifier {
                let _ = Reflect::set(&out, &"codeVerifier".into(), &v.into());
            }
            Ok(out.into())
        };
        make().map_err(|e| to_js(&e, None))
    }

    /// Trades the `code` of the redirect for a token. With `state` and `expectedState`, refuses
    /// a redirect whose state differs (a forged callback).
    #[wasm_bindgen(js_name = exchangeCode, unchecked_return_type = "Promise<OAuthToken>")]
    pub fn exchange_code(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ExchangeCodeParams")] params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let prepared = (|| -> Result<Prepared, Error> {
            let fields = OptionsObject::new(
                &params,
                "exchangeCode param",
                &[
                    "code",
                    "codeVerifier",
                    "redirectUri",
                    "state",
                    "expectedState",
                ],
            )?;
            let code = fields
                .string("code")?
                .ok_or_else(|| Error::invalid_argument("code is required"))?;
            // Naming either side asks for the check, and a missing side fails it: an expired
            // session (`expectedState: undefined`) must not turn the CSRF check off.
            if fields.has_key("expectedState") || fields.has_key("state") {
                let expected = fields.string("expectedState")?.unwrap_or_default();
                let got = fields.string("state")?.unwrap_or_default();
                if !oauth::same_state(&expected, &got) {
                    return Err(Error::invalid_argument(
                        "the redirect's state does not match the one sent (a forged or stale callback)",
                    ));
                }
            }
            let verifier = fields.string("codeVerifier")?;
            let req = self.app.exchange_code(
                &code,
                fields.string("redirectUri")?.as_deref(),
                verifier.as_deref(),
            )?;
            let mut extra = vec![code.as_str(), code.trim()];
            extra.extend(verifier.as_deref());
            Ok(Prepared {
                req,
                secrets: self.app.secrets(&extra),
                flow: Flow::Token,
            })
        })();
        self.run(prepared, &options)
    }

    /// A new token pair from a refresh token.
    #[wasm_bindgen(unchecked_return_type = "Promise<OAuthToken>")]
    pub fn refresh(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] refresh_token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let prepared = (|| {
            let token = token_arg(&refresh_token, "refreshToken")?;
            Ok(Prepared {
                req: self.app.refresh(&token)?,
                secrets: self.app.secrets(&[&token, token.trim()]),
                flow: Flow::Token,
            })
        })();
        self.run(prepared, &options)
    }

    /// Starts the device flow: show `user_code` and `verification_uri` to the user, then call
    /// `pollDeviceAuthorization`.
    #[wasm_bindgen(
        js_name = startDeviceAuthorization,
        unchecked_return_type = "Promise<DeviceAuthorization>"
    )]
    pub fn start_device_authorization(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "{ scopes?: OAuthScope[] }")]
        params: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let prepared = (|| {
            let fields =
                OptionsObject::new(&params, "startDeviceAuthorization param", &["scopes"])?;
            Ok(Prepared {
                req: self.app.device_code(&scopes_of(&fields)?)?,
                secrets: self.app.secrets(&[]),
                flow: Flow::DeviceStart,
            })
        })();
        self.run(prepared, &options)
    }

    /// Polls until the user approves (resolves to the token) or denies, the code expires, or
    /// `signal` fires. Honours the server's `interval` and `slow_down`; network blips and 5xx
    /// are ridden out by the next poll.
    #[wasm_bindgen(js_name = pollDeviceAuthorization, unchecked_return_type = "Promise<OAuthToken>")]
    pub fn poll_device_authorization(
        &self,
        #[wasm_bindgen(unchecked_param_type = "DeviceAuthorization")] device: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let prepared = (|| {
            let code = get(&device, "device_code").as_string().ok_or_else(|| {
                Error::invalid_argument("pass the answer of startDeviceAuthorization()")
            })?;
            let secs = |k: &str| {
                get(&device, k)
                    .as_f64()
                    .filter(|n| n.is_finite() && *n >= 1.0 && *n <= 86_400.0)
                    .map(|n| n as u32)
            };
            let interval = secs("interval").unwrap_or(DEFAULT_INTERVAL_SECS);
            let expires = secs("expires_in").unwrap_or(600);
            Ok(Prepared {
                req: self.app.device_token(&code)?,
                secrets: self.app.secrets(&[&code]),
                flow: Flow::DevicePoll { interval, expires },
            })
        })();
        self.run(prepared, &options)
    }

    /// Revokes an access or refresh token (RFC 7009: revoking an unknown token succeeds too).
    #[wasm_bindgen(unchecked_return_type = "Promise<void>")]
    pub fn revoke(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let prepared = (|| {
            let token = token_arg(&token, "token")?;
            Ok(Prepared {
                req: self.app.revoke(&token)?,
                secrets: self.app.secrets(&[&token, token.trim()]),
                flow: Flow::Revoke,
            })
        })();
        self.run(prepared, &options)
    }
}

impl GumroadOAuth {
    /// Runs a prepared OAuth request as the Promise JS gets.
    fn run(&self, prepared: Result<Prepared, Error>, options: &JsValue) -> Promise {
        let (p, opts) = match call_options(options).and_then(|o| Ok((prepared?, o))) {
            Ok(x) => x,
            Err(e) => return call::refused(&e),
        };
        let inner = self.inner.clone();
        call::promise(
            Some(p.req.describe()),
            Box::pin(async move {
                let secrets = p.secrets.clone();
                exchange(&inner, p, &opts)
                    .await
                    .map_err(|e| e.redacted(&secrets))
            }),
        )
    }
}

/// Sends an OAuth request and judges its answer by `core::oauth`. A token request is never
/// resent: a code is single-use, and a refresh that succeeded unseen has already rotated the
/// pair. The device flow's polls keep their own rhythm: wait `interval` before each poll, slow
/// down when told, ride out network blips and 5xx, give up at the code's expiry.
async fn exchange(inner: &Inner, p: Prepared, opts: &CallOptions) -> Result<JsValue, Error> {
    let send = inner.send_options(opts);
    let mut answers = Answers {
        flow: p.flow,
        secrets: p.secrets,
        interval: 0,
    };
    let deadline = match p.flow {
        Flow::DevicePoll { interval, expires } => {
            answers.interval = interval;
            Some(js_sys::Date::now() + f64::from(expires) * 1000.0)
        }
        _ => None,
    };
    loop {
        if let Some(deadline) = deadline {
            if !transport::pause(answers.interval.saturating_mul(1000), send.signal).await {
                return Err(transport::aborted());
            }
            if js_sys::Date::now() > deadline {
                return Err(Error::new(
                    ErrorCode::Timeout,
                    "the device code expired before the user approved it",
                ));
            }
        }
        let attempt = transport::send(&p.req, None, ReadAs::Json, &send).await;
        if let Some(outcome) = answers.judge(attempt) {
            return outcome;
        }
    }
}

/// What a call does with the endpoint's answers.
#[derive(Clone, Copy)]
enum Flow {
    /// Code exchange or refresh: resolves to the token.
    Token,
    /// Starts the device flow; resolves to the device authorization.
    DeviceStart,
    /// Polls for the device flow's token, every `interval` seconds for `expires` seconds.
    DevicePoll { interval: u32, expires: u32 },
    /// Revokes a token; resolves to `undefined`.
    Revoke,
}

/// A request ready to send, the secrets its errors must never show, and its flow.
struct Prepared {
    req: HttpRequest,
    secrets: Secrets,
    flow: Flow,
}

/// The meaning of an OAuth endpoint's answers for one flow, and the device flow's interval.
struct Answers {
    flow: Flow,
    secrets: Secrets,
    /// Seconds between polls (device flow only).
    interval: u32,
}

impl Answers {
    /// The call's outcome, or `None` when the device flow polls again.
    fn judge(&mut self, attempt: Result<RawResponse, Error>) -> Option<Result<JsValue, Error>> {
        let polling = matches!(self.flow, Flow::DevicePoll { .. });
        let raw = match attempt {
            Ok(raw) => raw,
            // Network blips and timeouts are ridden out by the next poll.
            Err(e) if polling && matches!(e.code, ErrorCode::Connection | ErrorCode::Timeout) => {
                return None
            }
            Err(e) => return Some(Err(e)),
        };
        let (status, body) = (raw.status, raw.object());
        let token = |interval: Option<f64>| {
            token_answer(
                status,
                get(&body, "access_token").is_string(),
                get(&body, "error").as_string().as_deref(),
                get(&body, "error_description").as_string().as_deref(),
                interval,
                &self.secrets,
            )
        };
        let ok = (200..300).contains(&status);
        let answer = match self.flow {
            Flow::DeviceStart if ok && get(&body, "device_code").is_string() => {
                return Some(Ok(body))
            }
            Flow::Revoke if ok => return Some(Ok(JsValue::UNDEFINED)),
            Flow::DeviceStart | Flow::Revoke => {
                return Some(Err(failure(status, &body, &self.secrets)))
            }
            Flow::Token => {
                return Some(match token(None) {
                    TokenAnswer::Token => Ok(body),
                    TokenAnswer::Failed(e) => Err(e),
                    // A device-flow answer to a code exchange is not what the server sends.
                    _ => Err(Error::new(
                        ErrorCode::Decode,
                        "unexpected token endpoint answer",
                    )),
                });
            }
            Flow::DevicePoll { .. } => token(get(&body, "interval").as_f64()),
        };
        match answer {
            TokenAnswer::Token => return Some(Ok(body)),
            TokenAnswer::Pending => {}
            // RFC 8628: without a new interval, add five seconds.
            TokenAnswer::SlowDown(s) => {
                self.interval = s.unwrap_or(self.interval.saturating_add(5));
            }
            TokenAnswer::Failed(e) if matches!(e.code, ErrorCode::RateLimited | ErrorCode::Api) => {
                self.interval = self.interval.saturating_add(5);
            }
            TokenAnswer::Failed(e) => return Some(Err(e)),
        }
        None
    }
}
