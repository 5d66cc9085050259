//! `licenses.check()`: a verify that never counts a use, judged by the license policy the
//! Worker shares (refunds, chargebacks, disputes, subscription state, `maxUses`).

use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::call::{self, Inner};
use super::options::{call_options, OptionsObject};
use crate::core::endpoints::licenses::{self, LicenseParams};
use crate::core::error::Error;
use crate::core::license::{self, Policy};

/// Resolves to a verdict for every answer about the license; rejects only when the license
/// state cannot be known (network, auth, 5xx).
pub fn check(inner: Rc<Inner>, params_value: &JsValue, options: &JsValue) -> Promise {
    let prepared = call_options(options).and_then(|opts| {
        let (p, max_uses) = check_params(params_value)?;
        let call = licenses::verify(&inner.config, &p)?;
        let policy = Policy {
            max_uses,
            now_unix: (js_sys::Date::now() / 1000.0) as i64,
        };
        Ok((call, policy, opts))
    });
    let (c, policy, opts) = match prepared {
        Ok(p) => p,
        Err(e) => return call::refused(&e),
    };
    call::promise(
        Some(c.request.describe()),
        Box::pin(async move { verdict(call::api(&inner, c, &opts).await, &policy) }),
    )
}

/// The verdict a check's outcome comes to: an answer about the license is one, and so is an
/// error that is about the license; anything else leaves the state unknown and stays an error.
fn verdict(outcome: Result<JsValue, Error>, policy: &Policy) -> Result<JsValue, Error> {
    match outcome {
        Ok(value) => {
            let facts = super::facts::license_facts(&value)?;
            let v = license::judge(&facts, policy);
            let out = verdict_object(v.valid, v.reason.as_str(), v.uses);
            for k in ["purchase", "imported_customer"] {
                let x = Reflect::get(&value, &k.into()).unwrap_or(JsValue::UNDEFINED);
                if !x.is_undefined() {
                    let _ = Reflect::set(&out, &k.into(), &x);
                }
            }
            Ok(out.into())
        }
        Err(e) => match license::judge_error(&e) {
            Some(r) => Ok(verdict_object(false, r.as_str(), 0).into()),
            None => Err(e),
        },
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
    let fields = OptionsObject::new(
        value,
        "license check param",
        &["product_id", "product_permalink", "license_key", "maxUses"],
    )?;
    let license_key = fields
        .string("license_key")?
        .ok_or_else(|| Error::invalid_argument("license_key is required"))?;
    let p = LicenseParams {
        product_id: fields.string("product_id")?,
        product_permalink: fields.string("product_permalink")?,
        license_key,
        increment_uses_count: Some(false),
    };
    Ok((p, fields.uint("maxUses", u32::MAX)?.map(u64::from)))
}
