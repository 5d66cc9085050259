//! Resource objects (`client.user`, `client.licenses`, ...). Each method returns a Promise from a
//! synchronous wrapper, so no `&self` borrow is held across an await and concurrent calls on
//! one client are fine.

use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use super::call::{execute, run_call, CallOptions};
use super::client::Inner;
use super::errors::to_js;
use super::options::{call_options, Bag};
use crate::core::endpoints::{self, licenses::LicenseParams, Call};
use crate::core::error::{Error, ErrorCode};
use crate::core::license::{self, LicenseFacts, Policy};

/// Runs `call` (or throws the error that prevented building it) as a Promise.
fn spawn(inner: &Rc<Inner>, call: Result<Call, Error>, opts: &JsValue) -> Promise {
    let inner = inner.clone();
    let opts = call_options(opts);
    future_to_promise(async move {
        let opts = opts.map_err(|e| to_js(&e, None))?;
        let call = call.map_err(|e| to_js(&e, None))?;
        execute(&inner, &call, &opts).await
    })
}

fn params<T: serde::de::DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, Error> {
    if !value.is_object() {
        return Err(Error::invalid_argument(format!("{what} must be an object")));
    }
    serde_wasm_bindgen::from_value(value.clone())
        .map_err(|e| Error::invalid_argument(format!("invalid {what}: {e}")))
}

/// `client.user`
#[wasm_bindgen]
pub struct UserResource {
    inner: Rc<Inner>,
}

impl UserResource {
    pub fn new(inner: Rc<Inner>) -> Self {
        UserResource { inner }
    }
}

#[wasm_bindgen]
impl UserResource {
    /// `GET /user`: the account the token belongs to.
    #[wasm_bindgen(unchecked_return_type = "Promise<User>")]
    pub fn retrieve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        spawn(
            &self.inner,
            Ok(endpoints::user::retrieve(&self.inner.config)),
            &options,
        )
    }
}

/// `client.licenses`
#[wasm_bindgen]
pub struct LicensesResource {
    inner: Rc<Inner>,
}

impl LicensesResource {
    pub fn new(inner: Rc<Inner>) -> Self {
        LicensesResource { inner }
    }
}

#[wasm_bindgen]
impl LicensesResource {
    /// `POST /licenses/verify`. Counts a use unless `increment_uses_count: false`; a counting
    /// verify is never retried automatically.
    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseResponse>")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseVerifyParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let call = params::<LicenseParams>(&params_value, "license params")
            .and_then(|p| endpoints::licenses::verify(&self.inner.config, &p));
        spawn(&self.inner, call, &options)
    }

    /// Verifies without counting a use and applies the license policy (refunds, chargebacks,
    /// disputes, subscription state, `maxUses`). Resolves to a verdict for every answer about
    /// the license; rejects only when the license state cannot be known (network, auth, 5xx).
    #[wasm_bindgen(unchecked_return_type = "Promise<LicenseVerdict>")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "LicenseCheckParams")] params_value: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RequestOptions")] options: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        let prepared = check_params(&params_value)
            .and_then(|(p, max)| Ok((endpoints::licenses::verify(&inner.config, &p)?, max)));
        let opts = call_options(&options);
        future_to_promise(async move {
            let opts: CallOptions = opts.map_err(|e| to_js(&e, None))?;
            let (call, max_uses) = prepared.map_err(|e| to_js(&e, None))?;
            let policy = Policy {
                max_uses,
                now_unix: (js_sys::Date::now() / 1000.0) as i64,
            };
            match run_call(&inner, &call, &opts).await {
                Ok(value) => {
                    let facts: LicenseFacts = serde_wasm_bindgen::from_value(value.clone())
                        .map_err(|e| {
                            to_js(
                                &Error::new(ErrorCode::Decode, format!("license answer: {e}")),
                                Some(call.request.describe()),
                            )
                        })?;
                    let v = license::judge(&facts, &policy);
                    let out = verdict_object(v.valid, v.reason.as_str(), v.uses);
                    for k in ["purchase", "imported_customer"] {
                        let x = Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
                        if !x.is_undefined() {
                            let _ = Reflect::set(&out, &k.into(), &x);
                        }
                    }
                    Ok(out.into())
                }
                // An answer about the license is a verdict; anything else leaves the state
                // unknown and is thrown.
                Err(e) => match license::judge_error(&e) {
                    Some(r) => Ok(verdict_object(false, r.as_str(), 0).into()),
                    None => Err(to_js(&e, Some(call.request.describe()))),
                },
            }
        })
    }
}

fn verdict_object(valid: bool, reason: &str, uses: u64) -> Object {
    let out = Object::new();
    let _ = Reflect::set(&out, &"valid".into(), &valid.into());
    let _ = Reflect::set(&out, &"reason".into(), &reason.into());
    let _ = Reflect::set(&out, &"uses".into(), &(uses as f64).into());
    out
}

fn check_params(value: &JsValue) -> Result<(LicenseParams, Option<u64>), Error> {
    let bag = Bag::new(
        value,
        "license check param",
        &["product_id", "product_permalink", "license_key", "maxUses"],
    )?;
    let license_key = bag
        .string("license_key")?
        .ok_or_else(|| Error::invalid_argument("license_key is required"))?;
    let p = LicenseParams {
        product_id: bag.string("product_id")?,
        product_permalink: bag.string("product_permalink")?,
        license_key,
        increment_uses_count: Some(false),
    };
    Ok((p, bag.uint("maxUses", u32::MAX)?.map(u64::from)))
}
