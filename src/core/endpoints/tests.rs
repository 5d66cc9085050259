use super::table::{find, ROUTES};
use super::*;
use crate::core::error::ErrorCode;
use crate::core::request::Method;
use crate::core::response::Unwrap::{Field, Page};

fn direct() -> ClientConfig {
    ClientConfig::direct(Some("tok_1234".into()), None, false).unwrap()
}

fn maton() -> ClientConfig {
    ClientConfig::maton("mk_1234".into(), Some("c1".into()), None, false).unwrap()
}

fn r(name: &str) -> &'static Route {
    find(name).unwrap_or_else(|| panic!("no route {name}"))
}

fn str_params(list: &[(&str, &str)]) -> Vec<(String, Value)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), Value::Str(v.to_string())))
        .collect()
}

/// The minimal valid parameters of a route: every required one, one of `one_of`.
fn minimal(route: &Route) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = route
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let v = match p.kind {
                Kind::Nested => Value::Json("[]".into()),
                Kind::List => Value::List(vec!["x".into()]),
                Kind::Int => Value::Num(1.0),
                _ => Value::Str("x".into()),
            };
            (p.name.to_string(), v)
        })
        .collect();
    if let Some(first) = route.one_of.first() {
        out.push((first.to_string(), Value::Str("x".into())));
    }
    out
}

#[test]
fn table_is_consistent() {
    let mut names = std::collections::HashSet::new();
    for route in ROUTES {
        assert!(names.insert(route.name), "duplicate {}", route.name);
        assert!(route.path.starts_with('/'), "{}", route.name);
        #[cfg(not(target_arch = "wasm32"))]
        {
            assert!(!route.doc.is_empty(), "{} has no doc", route.name);
            assert!(!route.scope.is_empty(), "{} has no scope", route.name);
            assert!(!route.returns.is_empty(), "{} has no type", route.name);
        }
        let mut pnames = std::collections::HashSet::new();
        for p in route.params {
            assert!(
                pnames.insert(p.name),
                "{}: duplicate param {}",
                route.name,
                p.name
            );
        }
        for name in route.one_of {
            assert!(route.param(name).is_some(), "{}: one_of {name}", route.name);
        }
        if let Some(pos) = route.positional {
            assert!(
                route.param(pos).is_some_and(|p| p.required),
                "{}",
                route.name
            );
        }
        if let Some((extra, _)) = route.iterate_extra {
            assert!(
                route.paged() && route.param(extra).is_some(),
                "{}",
                route.name
            );
        }
        // Nested values need a body; GET and DELETE have none.
        if !route.method.has_body() {
            assert!(
                route.params.iter().all(|p| p.kind != Kind::Nested),
                "{}",
                route.name
            );
        }
        if route.paged() {
            assert!(route.param("page_key").is_some(), "{} pages", route.name);
        }
    }
}

/// Method and URL of a route per resource group, written out independently of the table.
#[test]
fn routes_build_the_documented_requests() {
    let g = "https://api.gumroad.com/v2";
    let expected: &[(&str, &[&str], &str, &str)] = &[
        ("user.retrieve", &[], "GET", "/user"),
        ("user.update", &[], "PUT", "/user"),
        ("user.editCustomHtml", &[], "POST", "/user/custom_html/edit"),
        ("products.retrieve", &["p=="], "GET", "/products/p%3D%3D"),
        ("products.comps", &[], "GET", "/products/comps"),
        ("products.enable", &["p"], "PUT", "/products/p/enable"),
        (
            "products.editCustomHtml",
            &["p"],
            "POST",
            "/products/p/custom_html/edit",
        ),
        (
            "offerCodes.delete",
            &["p", "o"],
            "DELETE",
            "/products/p/offer_codes/o",
        ),
        (
            "variants.retrieve",
            &["p", "c", "v"],
            "GET",
            "/products/p/variant_categories/c/variants/v",
        ),
        (
            "customFields.update",
            &["p", "Company / team"],
            "PUT",
            "/products/p/custom_fields/Company%20%2F%20team",
        ),
        (
            "covers.delete",
            &["p", "c"],
            "DELETE",
            "/products/p/covers/c",
        ),
        ("reviews.list", &["p"], "GET", "/products/p/reviews"),
        ("pages.update", &["about-me"], "PUT", "/pages/about-me"),
        ("helpArticles.retrieve", &["a"], "GET", "/help/articles/a"),
        ("utmLinks.disable", &["u"], "PUT", "/utm_links/u/disable"),
        ("emails.unschedule", &["e"], "POST", "/emails/e/unschedule"),
        (
            "workflowEmails.update",
            &["w", "e"],
            "PUT",
            "/workflows/w/emails/e",
        ),
        ("sales.summary", &[], "GET", "/sales/summary"),
        (
            "sales.markAsShipped",
            &["s"],
            "PUT",
            "/sales/s/mark_as_shipped",
        ),
        ("payouts.upcoming", &[], "GET", "/payouts/upcoming"),
        (
            "taxForms.download",
            &["2025", "us_1099_k"],
            "GET",
            "/tax_forms/2025/us_1099_k/download",
        ),
        ("files.presign", &[], "POST", "/files/presign"),
        ("directUploads.create", &[], "POST", "/direct_uploads"),
        (
            "resourceSubscriptions.create",
            &[],
            "PUT",
            "/resource_subscriptions",
        ),
    ];
    for (name, ids, method, path) in expected {
        let route = r(name);
        let call =
            build(&direct(), route, ids, &minimal(route)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(call.request.method.as_str(), *method, "{name}");
        let url = call.request.url.split('?').next().unwrap().to_string();
        assert_eq!(url, format!("{g}{path}"), "{name}");
        assert_eq!(
            call.request.header("Authorization"),
            Some("Bearer tok_1234")
        );
    }
}

#[test]
fn every_route_builds_with_its_minimal_params_and_retries_only_when_safe() {
    for route in ROUTES {
        let ids: Vec<&str> = route.ids().map(|_| "id").collect();
        let cfg = if route.root == Root::MatonCtrl {
            maton()
        } else {
            direct()
        };
        let call = build(&cfg, route, &ids, &minimal(route))
            .unwrap_or_else(|e| panic!("{}: {e}", route.name));
        let dry_run = route.name.ends_with("previewCustomHtml");
        assert_eq!(
            call.safe_to_retry,
            route.method == Method::Get || dry_run,
            "{}",
            route.name
        );
        assert!(!call.request.url.contains('{'), "{}", route.name);
    }
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
    let call = build(&direct(), r("products.create"), &[], &params).unwrap();
    assert_eq!(
        call.request.body.as_deref(),
        Some("name=Brush%20Pack&price=1200&customizable_price=false&tags%5B%5D=a&tags%5B%5D=b%20c")
    );
    assert_eq!(
        call.request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let list = build(
        &direct(),
        r("sales.list"),
        &[],
        &str_params(&[("after", "2024-01-01"), ("product_id", "a==")]),
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
fn nested_values_switch_the_call_to_a_json_body() {
    let params = vec![
        ("name".to_string(), Value::Str("Course".into())),
        ("customizable_price".to_string(), Value::Bool(true)),
        ("price".to_string(), Value::Num(990.0)),
        ("tags".to_string(), Value::List(vec!["a".into()])),
        (
            "files".to_string(),
            Value::Json(r#"[{"url":"https://s3/x.pdf","display_name":"x"}]"#.into()),
        ),
    ];
    let call = build(&direct(), r("products.create"), &[], &params).unwrap();
    assert_eq!(
        call.request.header("content-type"),
        Some("application/json")
    );
    let body: serde_json::Value =
        serde_json::from_str(call.request.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({
            "name": "Course",
            "customizable_price": "true",
            "price": 990,
            "tags": ["a"],
            "files": [{"url": "https://s3/x.pdf", "display_name": "x"}]
        })
    );
    let complete = build(
        &direct(),
        r("files.complete"),
        &[],
        &[
            ("upload_id".into(), Value::Str("u".into())),
            ("key".into(), Value::Str("k".into())),
            (
                "parts".into(),
                Value::Json(r#"[{"part_number":1,"etag":"\"e\""}]"#.into()),
            ),
        ],
    )
    .unwrap();
    assert_eq!(
        complete.request.body.as_deref(),
        Some(r#"{"upload_id":"u","key":"k","parts":[{"part_number":1,"etag":"\"e\""}]}"#)
    );
}

#[test]
fn an_empty_list_is_sent_as_json_so_it_clears() {
    let call = build(
        &direct(),
        r("products.update"),
        &["p"],
        &[("tags".into(), Value::List(vec![]))],
    )
    .unwrap();
    assert_eq!(call.request.body.as_deref(), Some(r#"{"tags":[]}"#));
    assert_eq!(
        call.request.header("content-type"),
        Some("application/json")
    );
}

#[test]
fn unknown_missing_and_bad_params_are_invalid_arguments() {
    let e = build(
        &direct(),
        r("sales.list"),
        &[],
        &str_params(&[("next_page_key", "k")]),
    )
    .unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidArgument);
    assert!(e.message.contains("page_key"), "{}", e.message);
    let e = build(
        &direct(),
        r("user.retrieve"),
        &[],
        &[("x".into(), Value::Num(1.0))],
    )
    .unwrap_err();
    assert!(e.message.contains("takes no parameters"));
    let e = build(&direct(), r("offerCodes.create"), &["p"], &[]).unwrap_err();
    assert!(e.message.contains("requires `name`"));
    let e = build(
        &direct(),
        r("offerCodes.create"),
        &["p"],
        &str_params(&[("name", "  ")]),
    )
    .unwrap_err();
    assert!(e.message.contains("requires `name`"));
    let e = build(
        &direct(),
        r("products.update"),
        &["p"],
        &[("price".into(), Value::Num(f64::NAN))],
    )
    .unwrap_err();
    assert!(
        e.message.contains("`price` must be an integer"),
        "{}",
        e.message
    );
    let e = build(
        &direct(),
        r("products.update"),
        &["p"],
        &[("price".into(), Value::Num(9.5))],
    )
    .unwrap_err();
    assert!(e.message.contains("integer"));
    for bad in ["9.5", "", "12a"] {
        let e = build(
            &direct(),
            r("products.update"),
            &["p"],
            &str_params(&[("price", bad)]),
        )
        .unwrap_err();
        assert!(e.message.contains("integer"), "{bad}");
    }
    assert!(build(
        &direct(),
        r("products.update"),
        &["p"],
        &str_params(&[("price", " 990 ")]),
    )
    .is_ok());
    let e = build(
        &direct(),
        r("products.update"),
        &["p"],
        &str_params(&[("tags", "a,b")]),
    )
    .unwrap_err();
    assert!(
        e.message.contains("`tags` must be an array"),
        "{}",
        e.message
    );
    let e = build(
        &direct(),
        r("products.update"),
        &["p"],
        &[("name".into(), Value::Json("{}".into()))],
    )
    .unwrap_err();
    assert!(
        e.message.contains("`name` must be a string"),
        "{}",
        e.message
    );
    let e = build(&direct(), r("products.retrieve"), &[" "], &[]).unwrap_err();
    assert!(
        e.message.contains("productId must be a non-empty"),
        "{}",
        e.message
    );
    for dots in ["..", ".", "%2E%2e", ".%2e"] {
        let e = build(&direct(), r("covers.delete"), &["p", dots], &[]).unwrap_err();
        assert!(
            e.message.contains("must not be `.` or `..`"),
            "{dots}: {}",
            e.message
        );
    }
    assert!(build(&direct(), r("covers.delete"), &["p", "..."], &[]).is_ok());
    let e = build(&direct(), r("products.retrieve"), &[], &[]).unwrap_err();
    assert!(e.message.contains("1 id"), "{}", e.message);
    let e = build(&direct(), r("covers.create"), &["p"], &[]).unwrap_err();
    assert!(
        e.message.contains("one of: signed_blob_id, url"),
        "{}",
        e.message
    );
    // A required string that may be empty.
    let ok = build(
        &direct(),
        r("user.editCustomHtml"),
        &[],
        &str_params(&[("find", "<b>"), ("replace", "")]),
    );
    assert!(ok.is_ok());
}

#[test]
fn license_routes_and_resource_subscriptions() {
    for (name, path) in [
        ("licenses.enable", "enable"),
        ("licenses.disable", "disable"),
        ("licenses.decrementUsesCount", "decrement_uses_count"),
        ("licenses.rotate", "rotate"),
    ] {
        let call = build(
            &direct(),
            r(name),
            &[],
            &str_params(&[("product_id", "p"), ("license_key", " K ")]),
        )
        .unwrap();
        assert_eq!(
            call.request.url,
            format!("https://api.gumroad.com/v2/licenses/{path}")
        );
        assert_eq!(call.request.method, Method::Put);
        assert_eq!(
            call.request.body.as_deref(),
            Some("product_id=p&license_key=K")
        );
        assert_eq!(call.unwrap, Unwrap::License);
        assert!(!call.safe_to_retry);
    }
    let verify = r("licenses.verify");
    let counting = build(
        &direct(),
        verify,
        &[],
        &str_params(&[("product_id", "p"), ("license_key", "K")]),
    )
    .unwrap();
    assert!(!counting.safe_to_retry, "a counting verify is sent once");
    assert_eq!(
        counting.request.header("Authorization"),
        None,
        "verify needs no token"
    );
    let mut not_counting = str_params(&[("product_id", "p"), ("license_key", "K")]);
    not_counting.push(("increment_uses_count".into(), Value::Bool(false)));
    assert!(
        build(&direct(), verify, &[], &not_counting)
            .unwrap()
            .safe_to_retry
    );
    let mut counting_true = str_params(&[("product_id", "p"), ("license_key", "K")]);
    counting_true.push(("increment_uses_count".into(), Value::Bool(true)));
    assert!(
        !build(&direct(), verify, &[], &counting_true)
            .unwrap()
            .safe_to_retry
    );
    let call = build(
        &direct(),
        r("resourceSubscriptions.create"),
        &[],
        &str_params(&[("resource_name", "sale"), ("post_url", "https://x/y?s=1")]),
    )
    .unwrap();
    assert_eq!(call.request.method, Method::Put, "create is a PUT");
    assert_eq!(
        call.request.body.as_deref(),
        Some("resource_name=sale&post_url=https%3A%2F%2Fx%2Fy%3Fs%3D1")
    );
    let list = build(
        &direct(),
        r("resourceSubscriptions.list"),
        &[],
        &str_params(&[("resource_name", "sale")]),
    )
    .unwrap();
    assert_eq!(
        list.request.url,
        "https://api.gumroad.com/v2/resource_subscriptions?resource_name=sale"
    );
    assert_eq!(list.unwrap, Field("resource_subscriptions"));
}

#[test]
fn maton_connections_use_the_control_root_and_json() {
    let m = maton();
    let list = build(
        &m,
        r("maton.connections.list"),
        &[],
        &str_params(&[("app", "gumroad"), ("status", "ACTIVE")]),
    )
    .unwrap();
    assert_eq!(
        list.request.url,
        "https://ctrl.maton.ai/connections?app=gumroad&status=ACTIVE"
    );
    assert_eq!(list.request.header("Authorization"), Some("Bearer mk_1234"));
    assert_eq!(list.request.header("Maton-Connection"), None);
    let create = build(&m, r("maton.connections.create"), &[], &[]).unwrap();
    assert_eq!(
        create.request.body.as_deref(),
        Some("{\"app\":\"gumroad\"}"),
        "default app"
    );
    assert_eq!(
        create.request.header("content-type"),
        Some("application/json")
    );
    assert!(!create.safe_to_retry);
    let one = build(&m, r("maton.connections.retrieve"), &["c-1"], &[]).unwrap();
    assert_eq!(one.request.url, "https://ctrl.maton.ai/connections/c-1");
    let e = build(&direct(), r("maton.connections.list"), &[], &[]).unwrap_err();
    assert!(e.message.contains("GumroadClient.maton"));
}

#[test]
fn maton_api_calls_carry_the_key_and_connection() {
    let call = build(&maton(), r("sales.retrieve"), &["s"], &[]).unwrap();
    assert_eq!(
        call.request.url,
        "https://gateway.maton.ai/gumroad/v2/sales/s"
    );
    assert_eq!(call.request.header("Maton-Connection"), Some("c1"));
}

#[test]
fn integers_are_written_without_float_formatting() {
    assert_eq!(int_text(0.0).as_deref(), Some("0"));
    assert_eq!(int_text(-42.0).as_deref(), Some("-42"));
    assert_eq!(int_text(9.5e15), None);
    assert_eq!(int_text(1e15).as_deref(), Some("1000000000000000"));
    assert_eq!(int_text(1.5), None);
    assert_eq!(int_text(f64::INFINITY), None);
}

/// The generated facade gives each namespace one member per name: two routes (or a route and a
/// composite like `files.upload`) under the same JS name would silently shadow each other in
/// js/api.js, and a paged list adds `iterate`. (Native only, like the generator.)
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_namespace_member_name_is_unique() {
    use std::collections::HashMap;
    let mut members: HashMap<&str, Vec<&str>> = HashMap::new();
    for r in ROUTES {
        members
            .entry(r.resource())
            .or_default()
            .push(r.method_name());
        if r.paged() {
            members.entry(r.resource()).or_default().push("iterate");
        }
    }
    for (res, method, _) in super::codegen::COMPOSITES {
        members.entry(res).or_default().push(method);
    }
    // A child namespace's getter (`maton.connections`) is a member of its parent too.
    let resources: Vec<&str> = members.keys().copied().collect();
    for res in resources {
        if let Some((parent, leaf)) = res.rsplit_once('.') {
            members.entry(parent).or_default().push(leaf);
        }
    }
    for (res, names) in &members {
        let mut sorted = names.clone();
        sorted.sort_unstable();
        let before = sorted.len();
        sorted.dedup();
        assert_eq!(
            sorted.len(),
            before,
            "`{res}` has a member name twice: {names:?}"
        );
    }
}
