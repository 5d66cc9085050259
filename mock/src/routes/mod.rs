//! The Gumroad v2 routes. Paths arrive without the `/v2` (or `/gumroad/v2`) prefix.

mod catalog;
mod licenses;
pub mod office;
pub mod paging;
mod products;
mod resource_subscriptions;
pub mod router;
mod sales;
pub mod storefront;
pub mod table;
mod user;

use crate::http::{Params, Resp};
use crate::state::{Caller, State};

/// An API request after prefix stripping and parameter parsing.
pub struct ApiRequest<'a> {
    pub method: &'a str,
    /// Decoded path segments after `/v2`.
    pub segments: Vec<String>,
    pub params: Params,
    /// `Ok(None)`: no credentials; `Err(())`: credentials given but invalid.
    pub caller: Result<Option<Caller>, ()>,
    pub allow_loopback_webhooks: bool,
}

/// Doorkeeper's `public_api_read_scopes` plus `view_public`: what Gumroad's read endpoints
/// accept (`account` is always accepted on top). Tokens holding only `edit_emails`,
/// `edit_profile` or `refund_sales` are refused.
pub const READ_SCOPES: &[&str] = &[
    "view_public",
    "edit_products",
    "view_sales",
    "mark_sales_as_shipped",
    "edit_sales",
    "revenue_share",
    "ifttt",
    "view_profile",
    "view_payouts",
    "view_tax_data",
];

/// `public_scopes` plus `view_public` (custom fields, offer codes, skus, categories): the read
/// scopes plus `edit_emails` and `edit_profile`.
pub const PUBLIC_SCOPES: &[&str] = &[
    "view_public",
    "edit_products",
    "edit_emails",
    "view_sales",
    "mark_sales_as_shipped",
    "edit_sales",
    "revenue_share",
    "ifttt",
    "view_profile",
    "edit_profile",
    "view_payouts",
    "view_tax_data",
];

impl ApiRequest<'_> {
    /// Gumroad's `require_oauth_scope!`: the token must hold `scope` itself (`account` does not
    /// count); otherwise 403 with a JSON body, unlike Doorkeeper's empty 403.
    pub fn require_strict(&self, scope: &str) -> Result<&Caller, Resp> {
        match &self.caller {
            Ok(Some(c)) if c.scopes.iter().any(|s| s == scope) => Ok(c),
            Ok(Some(_)) => Err(Resp::json(
                403,
                serde_json::json!({
                    "success": false,
                    "message": format!("This endpoint requires the {scope} scope.")
                }),
            )),
            _ => Err(Resp::unauthorized()),
        }
    }

    /// The caller, if it holds one of `scopes` or `account` (Doorkeeper's "any of", with
    /// Gumroad's `account` fallback). An empty list means Gumroad's read endpoints:
    /// [`READ_SCOPES`], so a token holding only `edit_emails`, `edit_profile` or `refund_sales`
    /// gets Doorkeeper's empty 403.
    pub fn require(&self, scopes: &[&str]) -> Result<&Caller, Resp> {
        let scopes = if scopes.is_empty() {
            READ_SCOPES
        } else {
            scopes
        };
        match &self.caller {
            Ok(Some(c)) if c.has_any(scopes) => Ok(c),
            Ok(Some(_)) => Err(Resp::forbidden()),
            _ => Err(Resp::unauthorized()),
        }
    }

    /// Any valid token, whatever its scopes (first-party gateways that check the app instead).
    pub fn require_token(&self) -> Result<&Caller, Resp> {
        match &self.caller {
            Ok(Some(c)) => Ok(c),
            _ => Err(Resp::unauthorized()),
        }
    }
}

/// The caller's product by external id or permalink, or Gumroad's HTTP 200 not-found.
pub fn own_product(state: &State, caller: &Caller, id: &str) -> Result<usize, Resp> {
    state
        .product_index(id)
        .filter(|&i| state.data.products[i].seller_id == caller.seller_id)
        .ok_or_else(|| Resp::not_found("product"))
}

#[cfg(test)]
mod tests {
    use super::router::dispatch;
    use super::*;
    use crate::http::Params;
    use crate::seed;
    use serde_json::Value;

    fn state() -> State {
        State::new(seed::default_data())
    }

    fn caller(scopes: &[&str]) -> Result<Option<Caller>, ()> {
        Ok(Some(Caller {
            seller_id: seed::SELLER_A.into(),
            scopes: scopes.iter().map(|s| s.to_string()).collect(),
            app_id: "app_demo".into(),
        }))
    }

    fn call(
        state: &mut State,
        method: &str,
        path: &str,
        form: &[(&str, &str)],
        who: Result<Option<Caller>, ()>,
    ) -> (u16, Value) {
        let mut params = Params::default();
        params.insert_form(
            form.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        let req = ApiRequest {
            method,
            segments: path
                .split('/')
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            params,
            caller: who,
            allow_loopback_webhooks: false,
        };
        let r = dispatch(state, &req);
        let body = if r.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&r.body).unwrap_or(Value::Null)
        };
        (r.status, body)
    }

    #[test]
    fn user_needs_a_valid_token_and_hides_private_fields_without_scope() {
        let mut s = state();
        let (st, body) = call(&mut s, "GET", "/user", &[], Ok(None));
        assert_eq!((st, body), (401, Value::Null));
        let (st, _) = call(&mut s, "GET", "/user", &[], Err(()));
        assert_eq!(st, 401);
        let (st, body) = call(&mut s, "GET", "/user", &[], caller(&["view_public"]));
        assert_eq!(st, 200);
        assert_eq!(body["user"]["user_id"], seed::SELLER_A);
        assert!(body["user"].get("email").is_none());
        let (_, body) = call(&mut s, "GET", "/user", &[], caller(&["view_sales"]));
        assert_eq!(body["user"]["email"], "john@example.com");
    }

    #[test]
    fn verify_counts_uses_unless_told_not_to() {
        let mut s = state();
        let key = seed::key("active");
        let args = [
            ("product_id", seed::P3_SKETCH),
            ("license_key", key.as_str()),
        ];
        let (st, body) = call(&mut s, "POST", "/licenses/verify", &args, Ok(None));
        assert_eq!((st, body["uses"].as_u64()), (200, Some(1)));
        let mut no_count = args.to_vec();
        no_count.push(("increment_uses_count", "false"));
        let (_, body) = call(&mut s, "POST", "/licenses/verify", &no_count, Ok(None));
        assert_eq!(body["uses"], 1);
        let mut zero = args.to_vec();
        zero.push(("increment_uses_count", "0"));
        let (_, body) = call(&mut s, "POST", "/licenses/verify", &zero, Ok(None));
        assert_eq!(body["uses"], 2, "\"0\" counts, as on Gumroad");
    }

    #[test]
    fn verify_is_case_insensitive_and_echoes_the_canonical_key() {
        let mut s = state();
        let key = seed::key("active").to_lowercase();
        let (st, body) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_id", seed::P3_SKETCH),
                ("license_key", &format!("  {key} ")),
            ],
            Ok(None),
        );
        assert_eq!(st, 200);
        assert_eq!(body["purchase"]["license_key"], seed::key("active"));
    }

    #[test]
    fn verify_error_answers_are_verbatim() {
        let mut s = state();
        let cases = [
            (
                seed::key("disabled"),
                404,
                "This license key has been disabled.",
            ),
            (
                seed::key("access_revoked"),
                404,
                "Access to the purchase associated with this license has expired.",
            ),
            (
                "NOPE".to_string(),
                404,
                "That license does not exist for the provided product.",
            ),
        ];
        for (key, status, msg) in cases {
            let (st, body) = call(
                &mut s,
                "POST",
                "/licenses/verify",
                &[("product_id", seed::P3_SKETCH), ("license_key", &key)],
                Ok(None),
            );
            assert_eq!((st, body["message"].as_str()), (status, Some(msg)));
            assert_eq!(body["success"], false);
        }
        // A key of another product.
        let (st, _) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_id", seed::P1_PENCIL),
                ("license_key", &seed::key("active")),
            ],
            Ok(None),
        );
        assert_eq!(st, 404);
    }

    #[test]
    fn refunded_still_verifies_and_new_products_need_product_id() {
        let mut s = state();
        let (st, body) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_id", seed::P3_SKETCH),
                ("license_key", &seed::key("refunded")),
            ],
            Ok(None),
        );
        assert_eq!(
            (st, &body["success"], &body["purchase"]["refunded"]),
            (200, &Value::Bool(true), &Value::Bool(true))
        );
        let (st, body) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_permalink", "skpro"),
                ("license_key", &seed::key("active")),
            ],
            Ok(None),
        );
        assert_eq!(st, 500);
        assert!(body["message"]
            .as_str()
            .unwrap_or_default()
            .contains(seed::P3_SKETCH));
        // Pre-2023 products still verify by permalink (case-insensitive).
        let (st, _) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_permalink", "PENCIL"),
                ("license_key", "85DB562A-C11D4B06-A2335A6B-8C079166"),
            ],
            Ok(None),
        );
        assert_eq!(st, 200);
    }

    #[test]
    fn imported_customer_and_subscription_shapes() {
        let mut s = state();
        let (_, body) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_id", seed::P3_SKETCH),
                ("license_key", &seed::key("imported_customer")),
            ],
            Ok(None),
        );
        assert_eq!(body["imported_customer"]["is_imported_customer"], true);
        assert!(body.get("purchase").is_none());
        let (_, body) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("product_id", seed::P4_INKWELL),
                ("license_key", &seed::key("subscription_ended")),
            ],
            Ok(None),
        );
        assert_eq!(
            body["purchase"]["subscription_ended_at"],
            "2025-02-01T00:00:00Z"
        );
        assert!(body["purchase"].get("chargebacked").is_none());
    }

    #[test]
    fn license_management_needs_edit_products_and_ownership() {
        let mut s = state();
        let key = seed::key("active");
        let args = [
            ("product_id", seed::P3_SKETCH),
            ("license_key", key.as_str()),
        ];
        let (st, _) = call(
            &mut s,
            "PUT",
            "/licenses/disable",
            &args,
            caller(&["view_sales"]),
        );
        assert_eq!(st, 403);
        let (st, _) = call(
            &mut s,
            "PUT",
            "/licenses/disable",
            &args,
            caller(&["edit_products"]),
        );
        assert_eq!(st, 200);
        let (st, body) = call(&mut s, "POST", "/licenses/verify", &args, Ok(None));
        assert_eq!(
            (st, body["message"].as_str()),
            (404, Some("This license key has been disabled."))
        );
        let other = Ok(Some(Caller {
            seller_id: seed::SELLER_B.into(),
            scopes: vec!["edit_products".into()],
            app_id: "x".into(),
        }));
        let (st, body) = call(&mut s, "PUT", "/licenses/enable", &args, other);
        assert_eq!((st, body["error"].as_str()), (404, Some("Not found")));
    }

    #[test]
    fn read_endpoints_refuse_tokens_without_a_read_scope() {
        let mut s = state();
        let offer_codes = format!("/products/{}/offer_codes", seed::P1_PENCIL);
        for scope in ["edit_emails", "edit_profile", "refund_sales"] {
            for path in ["/user", "/products"] {
                let (st, body) = call(&mut s, "GET", path, &[], caller(&[scope]));
                assert_eq!((st, body), (403, Value::Null), "{scope} {path}");
            }
            let (st, _) = call(&mut s, "GET", &offer_codes, &[], caller(&[scope]));
            assert_eq!(
                st,
                if scope == "refund_sales" { 403 } else { 200 },
                "{scope}"
            );
        }
        for scope in ["view_public", "account"] {
            let (st, _) = call(&mut s, "GET", "/user", &[], caller(&[scope]));
            assert_eq!(st, 200, "{scope}");
        }
    }

    #[test]
    fn subscriber_states_pending_failure_and_fixed_period_ended() {
        let mut s = state();
        for (id, status) in [
            (seed::SUB_PENDING_FAILURE, "pending_failure"),
            (
                seed::SUB_FIXED_PERIOD_ENDED,
                "fixed_subscription_period_ended",
            ),
        ] {
            let (st, body) = call(
                &mut s,
                "GET",
                &format!("/subscribers/{id}"),
                &[],
                caller(&["view_sales"]),
            );
            assert_eq!(
                (st, body["subscriber"]["status"].as_str()),
                (200, Some(status))
            );
        }
        let (_, body) = call(
            &mut s,
            "GET",
            &format!("/products/{}/subscribers", seed::P4_INKWELL),
            &[],
            caller(&["view_sales"]),
        );
        let ids: Vec<&str> = body["subscribers"]
            .as_array()
            .map(|a| a.iter().filter_map(|x| x["id"].as_str()).collect())
            .unwrap_or_default();
        assert!(ids.contains(&seed::SUB_PENDING_FAILURE));
        assert!(!ids.contains(&seed::SUB_FIXED_PERIOD_ENDED));
    }

    #[test]
    fn key_only_verify_follows_gumroads_lookup() {
        let mut s = state();
        let (st, body) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[("license_key", &seed::key("active"))],
            Ok(None),
        );
        assert_eq!(st, 500);
        assert!(body["message"]
            .as_str()
            .unwrap_or_default()
            .contains(seed::P3_SKETCH));
        let pencil = "85DB562A-C11D4B06-A2335A6B-8C079166";
        let (st, _) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[("license_key", pencil)],
            Ok(None),
        );
        assert_eq!(st, 404);
        let (st, _) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("license_key", pencil),
                ("id", "pencil"),
                ("product_permalink", "nope"),
            ],
            Ok(None),
        );
        assert_eq!(st, 200);
        let (st, _) = call(
            &mut s,
            "POST",
            "/licenses/verify",
            &[
                ("license_key", pencil),
                ("id", "nope"),
                ("link_id", "pencil"),
            ],
            Ok(None),
        );
        assert_eq!(st, 404);
    }

    #[test]
    fn unknown_routes_are_html_404s() {
        let mut s = state();
        let (st, body) = call(&mut s, "DELETE", "/user", &[], caller(&["view_public"]));
        assert_eq!((st, body), (404, Value::Null));
    }
}
