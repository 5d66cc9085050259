//! The license fields the policy reads, taken from the JS answer object field by field. A
//! generic deserializer would do the same work with more code (and would bring float formatting
//! into the wasm through serde's type-mismatch messages).

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use crate::core::error::{Error, ErrorCode};
use crate::core::license::{ImportedFacts, LicenseFacts, PurchaseFacts};

fn bad(field: &str) -> Error {
    Error::new(
        ErrorCode::Decode,
        crate::core::text::cat(&["license answer: `", field, "` has an unexpected type"]),
    )
}

fn get(obj: &JsValue, key: &str) -> Option<JsValue> {
    let v = Reflect::get(obj, &JsValue::from_str(key)).ok()?;
    (!v.is_undefined() && !v.is_null()).then_some(v)
}

fn boolean(obj: &JsValue, key: &str) -> Result<Option<bool>, Error> {
    get(obj, key)
        .map(|v| v.as_bool().ok_or_else(|| bad(key)))
        .transpose()
}

fn string(obj: &JsValue, key: &str) -> Result<Option<String>, Error> {
    get(obj, key)
        .map(|v| v.as_string().ok_or_else(|| bad(key)))
        .transpose()
}

fn count(obj: &JsValue, key: &str) -> Result<Option<u64>, Error> {
    get(obj, key)
        .map(|v| {
            v.as_f64()
                .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n < 9.0e15)
                .map(|n| n as u64)
                .ok_or_else(|| bad(key))
        })
        .transpose()
}

/// Reads `{ uses, purchase? , imported_customer? }`.
pub fn license_facts(value: &JsValue) -> Result<LicenseFacts, Error> {
    let purchase = match get(value, "purchase") {
        Some(p) if p.is_object() => Some(PurchaseFacts {
            product_id: string(&p, "product_id")?,
            refunded: boolean(&p, "refunded")?,
            chargebacked: boolean(&p, "chargebacked")?,
            disputed: boolean(&p, "disputed")?,
            dispute_won: boolean(&p, "dispute_won")?,
            subscription_ended_at: string(&p, "subscription_ended_at")?,
            subscription_cancelled_at: string(&p, "subscription_cancelled_at")?,
            subscription_failed_at: string(&p, "subscription_failed_at")?,
            quantity: count(&p, "quantity")?,
            is_multiseat_license: boolean(&p, "is_multiseat_license")?,
        }),
        Some(_) => return Err(bad("purchase")),
        None => None,
    };
    let imported_customer = match get(value, "imported_customer") {
        Some(c) if c.is_object() => Some(ImportedFacts {
            is_imported_customer: boolean(&c, "is_imported_customer")?,
        }),
        Some(_) => return Err(bad("imported_customer")),
        None => None,
    };
    Ok(LicenseFacts {
        uses: count(value, "uses")?.unwrap_or(0),
        purchase,
        imported_customer,
    })
}
