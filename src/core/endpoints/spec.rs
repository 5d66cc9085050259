//! Every endpoint as data: method, path template, accepted parameters, how the answer is
//! unwrapped and whether the call may be retried. One generic builder turns a spec plus ids and
//! parameters into a request, so each endpoint costs a table row, not a code path.

use super::Call;
use crate::core::config::{AuthNeed, ClientConfig};
use crate::core::error::Error;
use crate::core::request::{Form, Method};
use crate::core::response::Unwrap;

/// A parameter value as JS hands it over.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Num(f64),
    Bool(bool),
    /// Sent as repeated `key[]=` pairs (e.g. `tags`).
    List(Vec<String>),
}

impl Value {
    fn text(&self) -> Option<String> {
        match self {
            Value::Str(s) => Some(s.clone()),
            Value::Num(n) if n.is_finite() => Some(if n.fract() == 0.0 && n.abs() < 9.0e15 {
                format!("{}", *n as i64)
            } else {
                format!("{n}")
            }),
            Value::Num(_) => None,
            // Gumroad compares against the string "true".
            Value::Bool(b) => Some(if *b { "true" } else { "false" }.to_string()),
            Value::List(_) => None,
        }
    }
}

/// Where the request goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// The API root (`baseUrl`).
    Api,
    /// Maton's connection management root (`ctrlBaseUrl`).
    MatonCtrl,
}

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// `resource.method`, for messages.
    pub name: &'static str,
    pub method: Method,
    /// `{}` marks an id segment.
    pub path: &'static str,
    pub params: &'static [&'static str],
    pub required: &'static [&'static str],
    pub unwrap: Unwrap,
    pub root: Root,
}

impl Spec {
    /// Reads never change state; everything else is sent once.
    pub fn safe_to_retry(&self) -> bool {
        self.method == Method::Get
    }
}

/// Builds the call for `spec` with path `ids` and `params`.
pub fn build(
    cfg: &ClientConfig,
    spec: &Spec,
    ids: &[&str],
    params: &[(String, Value)],
) -> Result<Call, Error> {
    let path = fill_path(spec, ids)?;
    let mut form = Form::new();
    for (k, v) in params {
        if !spec.params.contains(&k.as_str()) {
            return Err(Error::invalid_argument(if spec.params.is_empty() {
                format!("{} takes no parameters (got `{k}`)", spec.name)
            } else {
                format!(
                    "unknown parameter `{k}` for {} (expected one of: {})",
                    spec.name,
                    spec.params.join(", ")
                )
            }));
        }
        match v {
            Value::List(items) => {
                let key = format!("{k}[]");
                for item in items {
                    form.push(&key, item.clone());
                }
            }
            other => {
                let text = other.text().ok_or_else(|| {
                    Error::invalid_argument(format!("`{k}` must be a finite number"))
                })?;
                form.push(k, text);
            }
        }
    }
    for r in spec.required {
        let present = params
            .iter()
            .any(|(k, v)| k == r && !matches!(v, Value::Str(s) if s.trim().is_empty()));
        if !present {
            return Err(Error::invalid_argument(format!(
                "{} requires `{r}`",
                spec.name
            )));
        }
    }
    let request = match spec.root {
        Root::Api => cfg.build(spec.method, &path, form, AuthNeed::Required),
        Root::MatonCtrl => cfg.build_ctrl(spec.method, &path, form, params_json(params))?,
    };
    Ok(Call {
        request,
        unwrap: spec.unwrap,
        safe_to_retry: spec.safe_to_retry(),
    })
}

fn fill_path(spec: &Spec, ids: &[&str]) -> Result<String, Error> {
    let slots = spec.path.matches("{}").count();
    if slots != ids.len() {
        return Err(Error::invalid_argument(format!(
            "{} needs {slots} id argument(s)",
            spec.name
        )));
    }
    let mut out = String::with_capacity(spec.path.len() + 32);
    let mut rest = spec.path;
    for id in ids {
        let Some((before, after)) = rest.split_once("{}") else {
            break;
        };
        let id = id.trim();
        if id.is_empty() {
            return Err(Error::invalid_argument(format!(
                "{}: ids must be non-empty strings",
                spec.name
            )));
        }
        out.push_str(before);
        out.push_str(&crate::core::config::segment(id));
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

/// JSON object of string/number/boolean params (Maton's control API takes JSON).
fn params_json(params: &[(String, Value)]) -> Option<String> {
    use crate::core::json::J;
    if params.is_empty() {
        return None;
    }
    let fields: Vec<(&str, J)> = params
        .iter()
        .map(|(k, v)| {
            let j = match v {
                Value::Str(s) => J::Str(s),
                Value::Num(n) => J::Num(*n),
                Value::Bool(b) => J::Bool(*b),
                Value::List(_) => J::Null,
            };
            (k.as_str(), j)
        })
        .collect();
    Some(J::Obj(fields).to_json())
}

macro_rules! spec {
    ($name:literal, $m:ident, $path:literal, [$($p:literal),*], [$($r:literal),*], $unwrap:expr) => {
        Spec {
            name: $name,
            method: Method::$m,
            path: $path,
            params: &[$($p),*],
            required: &[$($r),*],
            unwrap: $unwrap,
            root: Root::Api,
        }
    };
}

use Unwrap::{Field, Message, Nothing, Page};

pub const USER_RETRIEVE: Spec = spec!("user.retrieve", Get, "/user", [], [], Field("user"));

const PRODUCT_WRITE: &[&str] = &[
    "name",
    "price",
    "price_currency_type",
    "description",
    "custom_summary",
    "custom_receipt",
    "custom_permalink",
    "customizable_price",
    "suggested_price_cents",
    "max_purchase_count",
    "tags",
    "taxonomy_id",
    "native_type",
    "subscription_duration",
    "refund_period",
];
pub const PRODUCTS_LIST: Spec = spec!(
    "products.list",
    Get,
    "/products",
    ["page_key"],
    [],
    Page("products")
);
pub const PRODUCTS_RETRIEVE: Spec = spec!(
    "products.retrieve",
    Get,
    "/products/{}",
    [],
    [],
    Field("product")
);
pub const PRODUCTS_CREATE: Spec = Spec {
    name: "products.create",
    method: Method::Post,
    path: "/products",
    params: PRODUCT_WRITE,
    required: &["name"],
    unwrap: Field("product"),
    root: Root::Api,
};
pub const PRODUCTS_UPDATE: Spec = Spec {
    name: "products.update",
    method: Method::Put,
    path: "/products/{}",
    params: PRODUCT_WRITE,
    required: &[],
    unwrap: Field("product"),
    root: Root::Api,
};
pub const PRODUCTS_DELETE: Spec = spec!("products.delete", Delete, "/products/{}", [], [], Message);
pub const PRODUCTS_ENABLE: Spec = spec!(
    "products.enable",
    Put,
    "/products/{}/enable",
    [],
    [],
    Field("product")
);
pub const PRODUCTS_DISABLE: Spec = spec!(
    "products.disable",
    Put,
    "/products/{}/disable",
    [],
    [],
    Field("product")
);

pub const OFFER_CODES_LIST: Spec = spec!(
    "offerCodes.list",
    Get,
    "/products/{}/offer_codes",
    [],
    [],
    Field("offer_codes")
);
pub const OFFER_CODES_RETRIEVE: Spec = spec!(
    "offerCodes.retrieve",
    Get,
    "/products/{}/offer_codes/{}",
    [],
    [],
    Field("offer_code")
);
pub const OFFER_CODES_CREATE: Spec = spec!(
    "offerCodes.create",
    Post,
    "/products/{}/offer_codes",
    [
        "name",
        "amount_off",
        "amount_cents",
        "offer_type",
        "max_purchase_count",
        "universal"
    ],
    ["name"],
    Field("offer_code")
);
pub const OFFER_CODES_UPDATE: Spec = spec!(
    "offerCodes.update",
    Put,
    "/products/{}/offer_codes/{}",
    ["max_purchase_count"],
    [],
    Field("offer_code")
);
pub const OFFER_CODES_DELETE: Spec = spec!(
    "offerCodes.delete",
    Delete,
    "/products/{}/offer_codes/{}",
    [],
    [],
    Message
);

pub const VARIANT_CATEGORIES_LIST: Spec = spec!(
    "variantCategories.list",
    Get,
    "/products/{}/variant_categories",
    [],
    [],
    Field("variant_categories")
);
pub const VARIANT_CATEGORIES_RETRIEVE: Spec = spec!(
    "variantCategories.retrieve",
    Get,
    "/products/{}/variant_categories/{}",
    [],
    [],
    Field("variant_category")
);
pub const VARIANT_CATEGORIES_CREATE: Spec = spec!(
    "variantCategories.create",
    Post,
    "/products/{}/variant_categories",
    ["title"],
    ["title"],
    Field("variant_category")
);
pub const VARIANT_CATEGORIES_UPDATE: Spec = spec!(
    "variantCategories.update",
    Put,
    "/products/{}/variant_categories/{}",
    ["title"],
    [],
    Field("variant_category")
);
pub const VARIANT_CATEGORIES_DELETE: Spec = spec!(
    "variantCategories.delete",
    Delete,
    "/products/{}/variant_categories/{}",
    [],
    [],
    Message
);

pub const VARIANTS_LIST: Spec = spec!(
    "variants.list",
    Get,
    "/products/{}/variant_categories/{}/variants",
    [],
    [],
    Field("variants")
);
pub const VARIANTS_RETRIEVE: Spec = spec!(
    "variants.retrieve",
    Get,
    "/products/{}/variant_categories/{}/variants/{}",
    [],
    [],
    Field("variant")
);
pub const VARIANTS_CREATE: Spec = spec!(
    "variants.create",
    Post,
    "/products/{}/variant_categories/{}/variants",
    [
        "name",
        "price_difference_cents",
        "description",
        "max_purchase_count"
    ],
    ["name"],
    Field("variant")
);
pub const VARIANTS_UPDATE: Spec = spec!(
    "variants.update",
    Put,
    "/products/{}/variant_categories/{}/variants/{}",
    [
        "name",
        "price_difference_cents",
        "description",
        "max_purchase_count"
    ],
    [],
    Field("variant")
);
pub const VARIANTS_DELETE: Spec = spec!(
    "variants.delete",
    Delete,
    "/products/{}/variant_categories/{}/variants/{}",
    [],
    [],
    Message
);

pub const CUSTOM_FIELDS_LIST: Spec = spec!(
    "customFields.list",
    Get,
    "/products/{}/custom_fields",
    [],
    [],
    Field("custom_fields")
);
pub const CUSTOM_FIELDS_CREATE: Spec = spec!(
    "customFields.create",
    Post,
    "/products/{}/custom_fields",
    ["name", "required", "type", "url", "label"],
    [],
    Field("custom_field")
);
pub const CUSTOM_FIELDS_UPDATE: Spec = spec!(
    "customFields.update",
    Put,
    "/products/{}/custom_fields/{}",
    ["required"],
    [],
    Field("custom_field")
);
pub const CUSTOM_FIELDS_DELETE: Spec = spec!(
    "customFields.delete",
    Delete,
    "/products/{}/custom_fields/{}",
    [],
    [],
    Message
);

pub const SALES_LIST: Spec = spec!(
    "sales.list",
    Get,
    "/sales",
    [
        "after",
        "before",
        "product_id",
        "email",
        "order_id",
        "page_key",
        "page"
    ],
    [],
    Page("sales")
);
pub const SALES_RETRIEVE: Spec = spec!("sales.retrieve", Get, "/sales/{}", [], [], Field("sale"));
pub const SALES_MARK_AS_SHIPPED: Spec = spec!(
    "sales.markAsShipped",
    Put,
    "/sales/{}/mark_as_shipped",
    ["tracking_url"],
    [],
    Field("sale")
);
pub const SALES_REFUND: Spec = spec!(
    "sales.refund",
    Put,
    "/sales/{}/refund",
    ["amount_cents"],
    [],
    Field("sale")
);
pub const SALES_RESEND_RECEIPT: Spec = spec!(
    "sales.resendReceipt",
    Post,
    "/sales/{}/resend_receipt",
    [],
    [],
    Nothing
);

pub const SUBSCRIBERS_LIST: Spec = spec!(
    "subscribers.list",
    Get,
    "/products/{}/subscribers",
    ["email", "paginated", "page_key"],
    [],
    Page("subscribers")
);
pub const SUBSCRIBERS_RETRIEVE: Spec = spec!(
    "subscribers.retrieve",
    Get,
    "/subscribers/{}",
    [],
    [],
    Field("subscriber")
);

const LICENSE_PARAMS: &[&str] = &["product_id", "product_permalink", "license_key"];
const fn license_spec(name: &'static str, path: &'static str) -> Spec {
    Spec {
        name,
        method: Method::Put,
        path,
        params: LICENSE_PARAMS,
        required: &["license_key"],
        unwrap: Unwrap::License,
        root: Root::Api,
    }
}
pub const LICENSES_ENABLE: Spec = license_spec("licenses.enable", "/licenses/enable");
pub const LICENSES_DISABLE: Spec = license_spec("licenses.disable", "/licenses/disable");
pub const LICENSES_DECREMENT: Spec = license_spec(
    "licenses.decrementUsesCount",
    "/licenses/decrement_uses_count",
);
pub const LICENSES_ROTATE: Spec = license_spec("licenses.rotate", "/licenses/rotate");

pub const RESOURCE_SUBSCRIPTIONS_LIST: Spec = spec!(
    "resourceSubscriptions.list",
    Get,
    "/resource_subscriptions",
    ["resource_name"],
    ["resource_name"],
    Field("resource_subscriptions")
);
pub const RESOURCE_SUBSCRIPTIONS_CREATE: Spec = spec!(
    "resourceSubscriptions.create",
    Put,
    "/resource_subscriptions",
    ["resource_name", "post_url"],
    ["resource_name", "post_url"],
    Field("resource_subscription")
);
pub const RESOURCE_SUBSCRIPTIONS_DELETE: Spec = spec!(
    "resourceSubscriptions.delete",
    Delete,
    "/resource_subscriptions/{}",
    [],
    [],
    Message
);

const fn ctrl(
    name: &'static str,
    method: Method,
    path: &'static str,
    params: &'static [&'static str],
    unwrap: Unwrap,
) -> Spec {
    Spec {
        name,
        method,
        path,
        params,
        required: &[],
        unwrap,
        root: Root::MatonCtrl,
    }
}
pub const CONNECTIONS_LIST: Spec = ctrl(
    "maton.connections.list",
    Method::Get,
    "/connections",
    &["app", "status"],
    Field("connections"),
);
pub const CONNECTIONS_CREATE: Spec = ctrl(
    "maton.connections.create",
    Method::Post,
    "/connections",
    &["app"],
    Field("connection"),
);
pub const CONNECTIONS_RETRIEVE: Spec = ctrl(
    "maton.connections.retrieve",
    Method::Get,
    "/connections/{}",
    &[],
    Field("connection"),
);
pub const CONNECTIONS_DELETE: Spec = ctrl(
    "maton.connections.delete",
    Method::Delete,
    "/connections/{}",
    &[],
    Unwrap::Whole,
);

/// Every spec, for tests and docs.
pub const ALL: &[&Spec] = &[
    &USER_RETRIEVE,
    &PRODUCTS_LIST,
    &PRODUCTS_RETRIEVE,
    &PRODUCTS_CREATE,
    &PRODUCTS_UPDATE,
    &PRODUCTS_DELETE,
    &PRODUCTS_ENABLE,
    &PRODUCTS_DISABLE,
    &OFFER_CODES_LIST,
    &OFFER_CODES_RETRIEVE,
    &OFFER_CODES_CREATE,
    &OFFER_CODES_UPDATE,
    &OFFER_CODES_DELETE,
    &VARIANT_CATEGORIES_LIST,
    &VARIANT_CATEGORIES_RETRIEVE,
    &VARIANT_CATEGORIES_CREATE,
    &VARIANT_CATEGORIES_UPDATE,
    &VARIANT_CATEGORIES_DELETE,
    &VARIANTS_LIST,
    &VARIANTS_RETRIEVE,
    &VARIANTS_CREATE,
    &VARIANTS_UPDATE,
    &VARIANTS_DELETE,
    &CUSTOM_FIELDS_LIST,
    &CUSTOM_FIELDS_CREATE,
    &CUSTOM_FIELDS_UPDATE,
    &CUSTOM_FIELDS_DELETE,
    &SALES_LIST,
    &SALES_RETRIEVE,
    &SALES_MARK_AS_SHIPPED,
    &SALES_REFUND,
    &SALES_RESEND_RECEIPT,
    &SUBSCRIBERS_LIST,
    &SUBSCRIBERS_RETRIEVE,
    &LICENSES_ENABLE,
    &LICENSES_DISABLE,
    &LICENSES_DECREMENT,
    &LICENSES_ROTATE,
    &RESOURCE_SUBSCRIPTIONS_LIST,
    &RESOURCE_SUBSCRIPTIONS_CREATE,
    &RESOURCE_SUBSCRIPTIONS_DELETE,
    &CONNECTIONS_LIST,
    &CONNECTIONS_CREATE,
    &CONNECTIONS_RETRIEVE,
    &CONNECTIONS_DELETE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;

    fn direct() -> ClientConfig {
        ClientConfig::direct(Some("tok_1234".into()), None, false).unwrap()
    }

    fn maton() -> ClientConfig {
        ClientConfig::maton("mk_1234".into(), Some("c1".into()), None, false).unwrap()
    }

    /// Every endpoint's method and URL, written out independently of the spec table.
    #[test]
    fn every_endpoint_builds_the_documented_request() {
        let g = "https://api.gumroad.com/v2";
        let expected: &[(&Spec, &[&str], &str, &str)] = &[
            (&USER_RETRIEVE, &[], "GET", "/user"),
            (&PRODUCTS_LIST, &[], "GET", "/products"),
            (&PRODUCTS_RETRIEVE, &["p=="], "GET", "/products/p%3D%3D"),
            (&PRODUCTS_CREATE, &[], "POST", "/products"),
            (&PRODUCTS_UPDATE, &["p"], "PUT", "/products/p"),
            (&PRODUCTS_DELETE, &["p"], "DELETE", "/products/p"),
            (&PRODUCTS_ENABLE, &["p"], "PUT", "/products/p/enable"),
            (&PRODUCTS_DISABLE, &["p"], "PUT", "/products/p/disable"),
            (&OFFER_CODES_LIST, &["p"], "GET", "/products/p/offer_codes"),
            (
                &OFFER_CODES_RETRIEVE,
                &["p", "o"],
                "GET",
                "/products/p/offer_codes/o",
            ),
            (
                &OFFER_CODES_CREATE,
                &["p"],
                "POST",
                "/products/p/offer_codes",
            ),
            (
                &OFFER_CODES_UPDATE,
                &["p", "o"],
                "PUT",
                "/products/p/offer_codes/o",
            ),
            (
                &OFFER_CODES_DELETE,
                &["p", "o"],
                "DELETE",
                "/products/p/offer_codes/o",
            ),
            (
                &VARIANT_CATEGORIES_LIST,
                &["p"],
                "GET",
                "/products/p/variant_categories",
            ),
            (
                &VARIANT_CATEGORIES_RETRIEVE,
                &["p", "c"],
                "GET",
                "/products/p/variant_categories/c",
            ),
            (
                &VARIANT_CATEGORIES_CREATE,
                &["p"],
                "POST",
                "/products/p/variant_categories",
            ),
            (
                &VARIANT_CATEGORIES_UPDATE,
                &["p", "c"],
                "PUT",
                "/products/p/variant_categories/c",
            ),
            (
                &VARIANT_CATEGORIES_DELETE,
                &["p", "c"],
                "DELETE",
                "/products/p/variant_categories/c",
            ),
            (
                &VARIANTS_LIST,
                &["p", "c"],
                "GET",
                "/products/p/variant_categories/c/variants",
            ),
            (
                &VARIANTS_RETRIEVE,
                &["p", "c", "v"],
                "GET",
                "/products/p/variant_categories/c/variants/v",
            ),
            (
                &VARIANTS_CREATE,
                &["p", "c"],
                "POST",
                "/products/p/variant_categories/c/variants",
            ),
            (
                &VARIANTS_UPDATE,
                &["p", "c", "v"],
                "PUT",
                "/products/p/variant_categories/c/variants/v",
            ),
            (
                &VARIANTS_DELETE,
                &["p", "c", "v"],
                "DELETE",
                "/products/p/variant_categories/c/variants/v",
            ),
            (
                &CUSTOM_FIELDS_LIST,
                &["p"],
                "GET",
                "/products/p/custom_fields",
            ),
            (
                &CUSTOM_FIELDS_CREATE,
                &["p"],
                "POST",
                "/products/p/custom_fields",
            ),
            (
                &CUSTOM_FIELDS_UPDATE,
                &["p", "Company / team"],
                "PUT",
                "/products/p/custom_fields/Company%20%2F%20team",
            ),
            (
                &CUSTOM_FIELDS_DELETE,
                &["p", "a?b"],
                "DELETE",
                "/products/p/custom_fields/a%3Fb",
            ),
            (&SALES_LIST, &[], "GET", "/sales"),
            (&SALES_RETRIEVE, &["s"], "GET", "/sales/s"),
            (
                &SALES_MARK_AS_SHIPPED,
                &["s"],
                "PUT",
                "/sales/s/mark_as_shipped",
            ),
            (&SALES_REFUND, &["s"], "PUT", "/sales/s/refund"),
            (
                &SALES_RESEND_RECEIPT,
                &["s"],
                "POST",
                "/sales/s/resend_receipt",
            ),
            (&SUBSCRIBERS_LIST, &["p"], "GET", "/products/p/subscribers"),
            (&SUBSCRIBERS_RETRIEVE, &["x"], "GET", "/subscribers/x"),
            (
                &RESOURCE_SUBSCRIPTIONS_DELETE,
                &["r"],
                "DELETE",
                "/resource_subscriptions/r",
            ),
        ];
        for (spec, ids, method, path) in expected {
            let required: Vec<(String, Value)> = spec
                .required
                .iter()
                .map(|r| (r.to_string(), Value::Str("x".into())))
                .collect();
            let call = build(&direct(), spec, ids, &required)
                .unwrap_or_else(|e| panic!("{}: {e}", spec.name));
            assert_eq!(call.request.method.as_str(), *method, "{}", spec.name);
            let url = call.request.url.split('?').next().unwrap().to_string();
            assert_eq!(url, format!("{g}{path}"), "{}", spec.name);
            assert_eq!(
                call.request.header("Authorization"),
                Some("Bearer tok_1234")
            );
            assert_eq!(
                call.safe_to_retry,
                *method == "GET",
                "{}: only reads are retried",
                spec.name
            );
        }
        // Every Gumroad spec is covered above, except the license and resource-subscription
        // ones with required params, tested below.
        assert_eq!(expected.len() + 4 + 2 + 4, ALL.len());
    }

    #[test]
    fn params_are_form_encoded_with_gumroad_conventions() {
        let params = vec![
            ("name".to_string(), Value::Str("Brush Pack".into())),
            ("price".to_string(), Value::Num(1200.0)),
            ("customizable_price".to_string(), Value::Bool(false)),
            (
                "tags".to_string(),
                Value::List(vec!["a".into(), "b c".into()]),
            ),
        ];
        let call = build(&direct(), &PRODUCTS_CREATE, &[], &params).unwrap();
        assert_eq!(
            call.request.body.as_deref(),
            Some("name=Brush%20Pack&price=1200&customizable_price=false&tags%5B%5D=a&tags%5B%5D=b%20c")
        );
        let list = build(
            &direct(),
            &SALES_LIST,
            &[],
            &[
                ("after".into(), Value::Str("2024-01-01".into())),
                ("product_id".into(), Value::Str("a==".into())),
            ],
        )
        .unwrap();
        assert_eq!(
            list.request.url,
            "https://api.gumroad.com/v2/sales?after=2024-01-01&product_id=a%3D%3D"
        );
        assert_eq!(list.request.body, None);
        assert_eq!(list.unwrap, Page("sales"));
    }

    #[test]
    fn unknown_missing_and_bad_params_are_invalid_arguments() {
        let e = build(
            &direct(),
            &SALES_LIST,
            &[],
            &[("next_page_key".into(), Value::Str("k".into()))],
        )
        .unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidArgument);
        assert!(e.message.contains("page_key"), "{}", e.message);
        let e = build(
            &direct(),
            &USER_RETRIEVE,
            &[],
            &[("x".into(), Value::Num(1.0))],
        )
        .unwrap_err();
        assert!(e.message.contains("takes no parameters"));
        let e = build(&direct(), &OFFER_CODES_CREATE, &["p"], &[]).unwrap_err();
        assert!(e.message.contains("requires `name`"));
        let e = build(
            &direct(),
            &OFFER_CODES_CREATE,
            &["p"],
            &[("name".into(), Value::Str("  ".into()))],
        )
        .unwrap_err();
        assert!(e.message.contains("requires `name`"));
        let e = build(
            &direct(),
            &PRODUCTS_UPDATE,
            &["p"],
            &[("price".into(), Value::Num(f64::NAN))],
        )
        .unwrap_err();
        assert!(e.message.contains("finite"));
        let e = build(&direct(), &PRODUCTS_RETRIEVE, &[" "], &[]).unwrap_err();
        assert!(e.message.contains("non-empty"));
        let e = build(&direct(), &PRODUCTS_RETRIEVE, &[], &[]).unwrap_err();
        assert!(e.message.contains("1 id"));
    }

    #[test]
    fn license_management_and_resource_subscriptions() {
        for (spec, path) in [
            (&LICENSES_ENABLE, "enable"),
            (&LICENSES_DISABLE, "disable"),
            (&LICENSES_DECREMENT, "decrement_uses_count"),
            (&LICENSES_ROTATE, "rotate"),
        ] {
            let call = build(
                &direct(),
                spec,
                &[],
                &[
                    ("product_id".into(), Value::Str("p".into())),
                    ("license_key".into(), Value::Str("K".into())),
                ],
            )
            .unwrap();
            assert_eq!(
                call.request.url,
                format!("https://api.gumroad.com/v2/licenses/{path}")
            );
            assert_eq!(call.request.method, Method::Put);
            assert_eq!(call.unwrap, Unwrap::License);
            assert!(!call.safe_to_retry);
        }
        let call = build(
            &direct(),
            &RESOURCE_SUBSCRIPTIONS_CREATE,
            &[],
            &[
                ("resource_name".into(), Value::Str("sale".into())),
                ("post_url".into(), Value::Str("https://x/y?s=1".into())),
            ],
        )
        .unwrap();
        assert_eq!(call.request.method, Method::Put, "create is a PUT");
        assert_eq!(
            call.request.body.as_deref(),
            Some("resource_name=sale&post_url=https%3A%2F%2Fx%2Fy%3Fs%3D1")
        );
        let list = build(
            &direct(),
            &RESOURCE_SUBSCRIPTIONS_LIST,
            &[],
            &[("resource_name".into(), Value::Str("sale".into()))],
        )
        .unwrap();
        assert_eq!(
            list.request.url,
            "https://api.gumroad.com/v2/resource_subscriptions?resource_name=sale"
        );
    }

    #[test]
    fn maton_connections_use_the_control_root_and_json() {
        let m = maton();
        let list = build(
            &m,
            &CONNECTIONS_LIST,
            &[],
            &[
                ("app".into(), Value::Str("gumroad".into())),
                ("status".into(), Value::Str("ACTIVE".into())),
            ],
        )
        .unwrap();
        assert_eq!(
            list.request.url,
            "https://ctrl.maton.ai/connections?app=gumroad&status=ACTIVE"
        );
        assert_eq!(list.request.header("Authorization"), Some("Bearer mk_1234"));
        assert_eq!(list.request.header("Maton-Connection"), None);
        let create = build(
            &m,
            &CONNECTIONS_CREATE,
            &[],
            &[("app".into(), Value::Str("gumroad".into()))],
        )
        .unwrap();
        assert_eq!(
            create.request.body.as_deref(),
            Some("{\"app\":\"gumroad\"}")
        );
        assert_eq!(
            create.request.header("content-type"),
            Some("application/json")
        );
        assert!(!create.safe_to_retry);
        let one = build(&m, &CONNECTIONS_RETRIEVE, &["c-1"], &[]).unwrap();
        assert_eq!(one.request.url, "https://ctrl.maton.ai/connections/c-1");
        let e = build(&direct(), &CONNECTIONS_LIST, &[], &[]).unwrap_err();
        assert!(e.message.contains("GumroadClient.maton"));
    }

    #[test]
    fn maton_api_calls_carry_the_key_and_connection() {
        let call = build(&maton(), &SALES_RETRIEVE, &["s"], &[]).unwrap();
        assert_eq!(
            call.request.url,
            "https://gateway.maton.ai/gumroad/v2/sales/s"
        );
        assert_eq!(call.request.header("Maton-Connection"), Some("c1"));
    }
}
