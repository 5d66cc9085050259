use serde::Deserialize;

use super::{table, Call, Value};
use crate::core::config::ClientConfig;
use crate::core::error::Error;

/// Parameters of `licenses.verify` (and, without `increment_uses_count`, of enable, disable,
/// decrement and rotate). Field names are Gumroad's wire names.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LicenseParams {
    #[serde(default)]
    pub product_id: Option<String>,
    /// Only for products created before 2023-01-09.
    #[serde(default)]
    pub product_permalink: Option<String>,
    pub license_key: String,
    #[serde(default)]
    pub increment_uses_count: Option<bool>,
}

/// Trims a key as typed or pasted by a buyer. Case is kept: Gumroad matches keys
/// case-insensitively and answers with the canonical form.
pub fn normalize_key(key: &str) -> String {
    key.trim().to_string()
}

impl LicenseParams {
    /// The parameters as the `licenses.verify` row takes them.
    pub fn values(&self) -> Vec<(String, Value)> {
        let mut out = Vec::with_capacity(4);
        // With a product id Gumroad ignores the permalink; sending only one keeps that explicit.
        match (present(&self.product_id), present(&self.product_permalink)) {
            (Some(id), _) => out.push(("product_id".into(), Value::Str(id.into()))),
            (None, Some(p)) => out.push(("product_permalink".into(), Value::Str(p.into()))),
            (None, None) => {}
        }
        out.push((
            "license_key".into(),
            Value::Str(normalize_key(&self.license_key)),
        ));
        if let Some(inc) = self.increment_uses_count {
            out.push(("increment_uses_count".into(), Value::Bool(inc)));
        }
        out
    }
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `POST /licenses/verify`. Counts a use unless `increment_uses_count` is false; only the
/// non-counting form is safe to retry.
pub fn verify(cfg: &ClientConfig, params: &LicenseParams) -> Result<Call, Error> {
    super::build(cfg, &table::LICENSES_VERIFY, &[], &params.values())
}

/// `PUT /licenses/decrement_uses_count` (needs `edit_products`). Changes state: never retried.
pub fn decrement_uses_count(
    cfg: &ClientConfig,
    product_id: &str,
    license_key: &str,
) -> Result<Call, Error> {
    let params = [
        ("product_id".to_string(), Value::Str(product_id.to_string())),
        (
            "license_key".to_string(),
            Value::Str(normalize_key(license_key)),
        ),
    ];
    super::build(cfg, &table::LICENSES_DECREMENT_USES_COUNT, &[], &params)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;
    use crate::core::request::Method;
    use crate::core::response::Unwrap;

    fn cfg() -> ClientConfig {
        ClientConfig::direct(Some("tok".into()), Some("http://127.0.0.1:9/v2"), false).unwrap()
    }

    fn params(key: &str, inc: Option<bool>) -> LicenseParams {
        LicenseParams {
            product_id: Some("32-nPAicqbLj8B_WswVlMw==".into()),
            license_key: key.into(),
            increment_uses_count: inc,
            ..Default::default()
        }
    }

    #[test]
    fn verify_builds_a_form_post_without_token() {
        let call = verify(
            &cfg(),
            &params("  85DB562A-C11D4B06-A2335A6B-8C079166\n", Some(false)),
        )
        .unwrap();
        let r = &call.request;
        assert_eq!(r.url, "http://127.0.0.1:9/v2/licenses/verify");
        assert_eq!(r.method, Method::Post);
        assert_eq!(r.header("Authorization"), None);
        assert_eq!(
            r.body.as_deref(),
            Some("product_id=32-nPAicqbLj8B_WswVlMw%3D%3D&license_key=85DB562A-C11D4B06-A2335A6B-8C079166&increment_uses_count=false")
        );
        assert!(call.safe_to_retry);
        assert_eq!(call.unwrap, Unwrap::License);
    }

    #[test]
    fn counting_verify_is_never_retried() {
        assert!(!verify(&cfg(), &params("K", None)).unwrap().safe_to_retry);
        assert!(
            !verify(&cfg(), &params("K", Some(true)))
                .unwrap()
                .safe_to_retry
        );
        let call = verify(&cfg(), &params("K", Some(true))).unwrap();
        assert!(call
            .request
            .body
            .unwrap()
            .ends_with("increment_uses_count=true"));
    }

    #[test]
    fn decrement_is_a_put_with_the_token_and_never_retried() {
        let call = decrement_uses_count(&cfg(), "P1", " K-1 ").unwrap();
        let r = &call.request;
        assert_eq!(r.url, "http://127.0.0.1:9/v2/licenses/decrement_uses_count");
        assert_eq!(r.method, Method::Put);
        assert_eq!(r.header("Authorization"), Some("Bearer tok"));
        assert_eq!(r.body.as_deref(), Some("product_id=P1&license_key=K-1"));
        assert!(!call.safe_to_retry);
        assert_eq!(call.unwrap, Unwrap::License);
    }

    #[test]
    fn permalink_only_for_old_products() {
        let p = LicenseParams {
            product_permalink: Some("pencil".into()),
            license_key: "K".into(),
            ..Default::default()
        };
        let call = verify(&cfg(), &p).unwrap();
        assert_eq!(
            call.request.body.as_deref(),
            Some("product_permalink=pencil&license_key=K")
        );
    }

    #[test]
    fn missing_inputs_are_invalid_arguments() {
        let e = verify(&cfg(), &params("   ", None)).unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        let p = LicenseParams {
            license_key: "K".into(),
            product_id: Some(" ".into()),
            ..Default::default()
        };
        let e = verify(&cfg(), &p).unwrap_err();
        assert!(e.message.contains("product_id"), "{}", e.message);
    }
}
