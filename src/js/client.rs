//! `GumroadClient`: the configuration every call shares, and the few generic entry points the
//! resource namespaces call into (`client.products.list()`, in `js/api.js`, generated from the
//! endpoint table). One entry point per kind of call (a table route, a page, an upload, a
//! license check) serves every route, so a route costs a table row, not a wasm export with its
//! own shim and promise glue.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;

use super::call::{self, Inner};
use super::errors::to_js;
use super::hooks::observer;
use super::options::{call_options, OptionsObject, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS};
use super::pager::Pages;
use super::params::{id, params};
use super::url::parse_base;
use crate::core::config::{ClientConfig, DIRECT_BASE_URL, MATON_BASE_URL, MATON_CTRL_URL};
use crate::core::endpoints::{self, raw, table::ROUTES, Call};
use crate::core::error::Error;
use crate::core::request::BaseUrl;
use crate::core::retry::{Policy, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, MAX_RETRY_AFTER_SECS};

/// Options both constructors accept besides credentials.
const COMMON: [&str; 7] = [
    "baseUrl",
    "timeoutMs",
    "maxRetries",
    "fetch",
    "allowInsecureHttp",
    "hooks",
    "debug",
];

/// A Gumroad API client. Create one per credential and reuse it; it holds no connection state.
#[wasm_bindgen]
pub struct GumroadClient {
    inner: Rc<Inner>,
}

fn build(
    fields: &OptionsObject,
    config: ClientConfig,
    allow_insecure: bool,
) -> Result<GumroadClient, Error> {
    let secrets = config.secrets();
    Ok(GumroadClient {
        inner: Rc::new(Inner {
            config,
            secrets,
            timeout_ms: fields
                .uint("timeoutMs", MAX_TIMEOUT_MS)?
                .unwrap_or(DEFAULT_TIMEOUT_MS),
            retry: Policy {
                max_retries: fields
                    .uint("maxRetries", MAX_RETRIES_LIMIT)?
                    .unwrap_or(DEFAULT_MAX_RETRIES),
                max_wait_secs: MAX_RETRY_AFTER_SECS,
            },
            fetch: fields.function("fetch")?,
            allow_insecure,
            observer: observer(fields)?,
        }),
    })
}

/// The `baseUrl`-like option `key` (or `default`), checked with the platform's URL parser.
fn base_option(
    fields: &OptionsObject,
    key: &str,
    default: &str,
    insecure: bool,
) -> Result<BaseUrl, Error> {
    let raw = fields.string(key)?.unwrap_or_else(|| default.to_string());
    parse_base(&raw, insecure, key)
}

#[wasm_bindgen]
impl GumroadClient {
    /// A client for `api.gumroad.com` with an OAuth access token (optional: license
    /// verification needs none).
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "GumroadClientOptions")] options: JsValue,
    ) -> Result<GumroadClient, JsValue> {
        let direct = || -> Result<GumroadClient, Error> {
            let mut allowed = vec!["accessToken"];
            allowed.extend(COMMON);
            let fields = OptionsObject::new(&options, "client option", &allowed)?;
            let insecure = fields.bool("allowInsecureHttp")?.unwrap_or(false);
            let mut config = ClientConfig::direct(fields.string("accessToken")?, None, false)?;
            config.base = base_option(&fields, "baseUrl", DIRECT_BASE_URL, insecure)?;
            build(&fields, config, insecure)
        };
        direct().map_err(|e| to_js(&e, None))
    }

    /// A client that goes through the Maton gateway with a Maton API key. Keep the key on a
    /// server: it grants access to every connected account.
    pub fn maton(
        #[wasm_bindgen(unchecked_param_type = "MatonClientOptions")] options: JsValue,
    ) -> Result<GumroadClient, JsValue> {
        let maton = || -> Result<GumroadClient, Error> {
            let mut allowed = vec!["apiKey", "connectionId", "ctrlBaseUrl"];
            allowed.extend(COMMON);
            let fields = OptionsObject::new(&options, "client option", &allowed)?;
            let key = fields
                .string("apiKey")?
                .ok_or_else(|| Error::invalid_argument("apiKey is required"))?;
            let insecure = fields.bool("allowInsecureHttp")?.unwrap_or(false);
            let mut config = ClientConfig::maton_with_ctrl(
                key,
                fields.string("connectionId")?,
                None,
                None,
                false,
            )?;
            config.base = base_option(&fields, "baseUrl", MATON_BASE_URL, insecure)?;
            config.ctrl = Some(base_option(
                &fields,
                "ctrlBaseUrl",
                MATON_CTRL_URL,
                insecure,
            )?);
            build(&fields, config, insecure)
        };
        maton().map_err(|e| to_js(&e, None))
    }

    /// The API root requests go to (never contains a credential).
    #[wasm_bindgen(getter, js_name = baseUrl)]
    pub fn base_url(&self) -> String {
        self.inner.config.base.as_str().to_string()
    }

    /// Whether this client goes through Maton (the `maton` namespace exists only then).
    #[wasm_bindgen(getter, js_name = _isMaton, skip_typescript)]
    pub fn is_maton(&self) -> bool {
        self.inner.config.is_maton()
    }

    /// Route `route` of the endpoint table with up to three ids: what every resource method
    /// calls.
    #[wasm_bindgen(js_name = _call, skip_typescript)]
    pub fn call(
        &self,
        route: u32,
        id0: JsValue,
        id1: JsValue,
        id2: JsValue,
        params_value: JsValue,
        options: JsValue,
    ) -> Promise {
        let call = self.prepare(route, &[id0, id1, id2], &params_value);
        spawn(&self.inner, call, &options)
    }

    /// The first page of a paged route (`iterate()`): resolves to `[items, next]` (see
    /// `Pages::_next`).
    #[wasm_bindgen(js_name = _page, skip_typescript)]
    pub fn page(
        &self,
        route: u32,
        id0: JsValue,
        id1: JsValue,
        id2: JsValue,
        params_value: JsValue,
        options: JsValue,
    ) -> Promise {
        let parts = || -> Result<_, Error> {
            let o = call_options(&options)?;
            let r = route_at(route)?;
            if !r.paged() {
                return Err(Error::invalid_argument(crate::core::text::cat(&[
                    r.name,
                    " is not a paged list",
                ])));
            }
            let ids = ids_of(r, &[id0, id1, id2])?;
            let mut p = params(&params_value, r.name)?;
            if p.iter().any(|(k, _)| k == "page_key" || k == "page") {
                return Err(Error::invalid_argument(
                    "iterate() follows page_key itself; pass filters only",
                ));
            }
            if let Some((k, v)) = r.iterate_extra {
                p.push((k.to_string(), endpoints::Value::Str(v.to_string())));
            }
            Ok((r, ids, p, o))
        };
        match parts() {
            Ok((r, ids, p, o)) => Pages::first(self.inner.clone(), r, ids, p, o),
            Err(e) => call::refused(&e),
        }
    }

    /// Any route, for the ones Gumroad adds before the table does: `path` is below `baseUrl`
    /// (`/products/{id}/covers`, slots filled from `params`). Same auth, errors, timeouts and
    /// redaction as the table's methods; only GET is retried.
    #[wasm_bindgen(skip_typescript)]
    pub fn request(
        &self,
        method: JsValue,
        path: JsValue,
        params_value: JsValue,
        options: JsValue,
    ) -> Promise {
        let call = (|| {
            let method = method
                .as_string()
                .ok_or_else(|| Error::invalid_argument("request: method must be a string"))?;
            let path = path
                .as_string()
                .ok_or_else(|| Error::invalid_argument("request: path must be a string"))?;
            let p = params(&params_value, "request")?;
            raw::build(&self.inner.config, &method, &path, &p)
        })();
        spawn(&self.inner, call, &options)
    }

    /// `licenses.check()`.
    #[wasm_bindgen(js_name = _check, skip_typescript)]
    pub fn check(&self, params_value: JsValue, options: JsValue) -> Promise {
        super::licenses::check(self.inner.clone(), &params_value, &options)
    }

    /// `files.upload()`: presign, every part, complete (abort on failure), in one call.
    #[wasm_bindgen(js_name = _upload, skip_typescript)]
    pub fn upload(&self, data: JsValue, options: JsValue) -> Promise {
        super::upload::upload(self.inner.clone(), data, &options)
    }

    /// `parsePing` as a static method.
    #[wasm_bindgen(js_name = parsePing, unchecked_return_type = "PingEvent")]
    pub fn parse_ping_static(
        #[wasm_bindgen(unchecked_param_type = "string")] body: JsValue,
        content_type: Option<String>,
    ) -> Result<JsValue, JsValue> {
        super::ping::parse_ping(body, content_type)
    }
}

impl GumroadClient {
    fn prepare(&self, route: u32, ids: &[JsValue], params_value: &JsValue) -> Result<Call, Error> {
        let r = route_at(route)?;
        let ids = ids_of(r, ids)?;
        let p = params(params_value, r.name)?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        endpoints::build(&self.inner.config, r, &refs, &p)
    }
}

fn route_at(index: u32) -> Result<&'static endpoints::route::Route, Error> {
    ROUTES
        .get(index as usize)
        .ok_or_else(|| Error::invalid_argument("unknown route"))
}

/// The route's id arguments as strings; arguments beyond its ids must be absent.
fn ids_of(r: &endpoints::route::Route, given: &[JsValue]) -> Result<Vec<String>, Error> {
    let mut out = Vec::with_capacity(3);
    for (i, name) in r.ids().enumerate() {
        let v = given.get(i).cloned().unwrap_or(JsValue::UNDEFINED);
        out.push(id(&v, name).map_err(|e| {
            Error::invalid_argument(crate::core::text::cat(&[r.name, ": ", &e.message]))
        })?);
    }
    Ok(out)
}

/// Runs `call` as a Promise (rejected with the error that prevented building it, if any).
pub fn spawn(inner: &Rc<Inner>, call: Result<Call, Error>, opts: &JsValue) -> Promise {
    // The options are judged first, as every call does.
    match call_options(opts).and_then(|o| Ok((call?, o))) {
        Err(e) => call::refused(&e),
        Ok((c, o)) => {
            let inner = inner.clone();
            call::promise(
                Some(c.request.describe()),
                Box::pin(async move { call::api(&inner, c, &o).await }),
            )
        }
    }
}
