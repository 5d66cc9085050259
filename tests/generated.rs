//! Everything derived from the endpoint table is committed, so it can be read and reviewed; this
//! test fails when a committed copy is stale (`make generate` rewrites them), and when the table
//! and Gumroad's own route list (tests/fixtures/reference_routes.txt) disagree.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use gumroad_wasm::core::endpoints::codegen;
use gumroad_wasm::core::endpoints::route::Root;
use gumroad_wasm::core::endpoints::table::{LEFT_OUT, ROUTES};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const README_START: &str = "<!-- api-table:start -->\n";
const README_END: &str = "<!-- api-table:end -->";

/// Compares (or, with `UPDATE_GENERATED=1`, rewrites) one generated file.
fn check(rel: &str, expected: &str) -> Option<String> {
    let path = root().join(rel);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current == expected {
        return None;
    }
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, expected).unwrap_or_else(|e| panic!("{rel}: {e}"));
        return None;
    }
    Some(rel.to_string())
}

#[test]
fn generated_files_are_up_to_date() {
    let mut stale = Vec::new();
    stale.extend(check("src/js/api.d.ts", &codegen::typescript()));
    stale.extend(check("js/api.js", &codegen::facade()));
    stale.extend(check("tests/fixtures/routes.txt", &codegen::route_list()));
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README.md");
    let (head, rest) = readme
        .split_once(README_START)
        .expect("README.md lacks the api-table:start marker");
    let (_, tail) = rest
        .split_once(README_END)
        .expect("README.md lacks the api-table:end marker");
    let updated = format!(
        "{head}{README_START}{}{README_END}{tail}",
        codegen::readme_table()
    );
    stale.extend(check("README.md", &updated));
    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `make generate` and commit the result"
    );
}

/// `/products/:id/offer_codes/:oid` and `/products/{productId}/offer_codes/{offerCodeId}` alike
/// become `/products/{}/offer_codes/{}`.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with(':') || (seg.starts_with('{') && seg.ends_with('}')) {
                "{}"
            } else {
                seg
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn the_table_covers_gumroads_route_list_exactly() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/reference_routes.txt"))
        .expect("reference routes");
    let table: Vec<(String, String)> = ROUTES
        .iter()
        .filter(|r| r.root == Root::Api)
        .map(|r| (r.method.as_str().to_string(), shape(r.path)))
        .collect();
    let mut reference = Vec::new();
    let mut missing = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (route, _scope) = line.split_once(" | ").expect("METHOD PATH | scope");
        let (methods, path) = route.split_once(' ').expect("METHOD PATH");
        let path = shape(path.strip_prefix("/v2").expect("a /v2 path"));
        // `PUT, PATCH` lines: the client uses PUT (Gumroad's CORS does not allow PATCH).
        let method = methods.split(',').next().unwrap_or(methods).to_string();
        let left_out = LEFT_OUT
            .iter()
            .any(|(m, p, _)| *m == method && shape(p) == path);
        if !left_out && !table.contains(&(method.clone(), path.clone())) {
            missing.push(format!("{method} {path}"));
        }
        reference.push((method, path));
    }
    assert!(
        missing.is_empty(),
        "routes without a table row: {missing:?}"
    );
    let extra: Vec<_> = table.iter().filter(|r| !reference.contains(r)).collect();
    assert!(
        extra.is_empty(),
        "table rows Gumroad does not route: {extra:?}"
    );
    assert_eq!(reference.len(), 111, "the reference lists 111 route lines");
    assert_eq!(table.len() + LEFT_OUT.len(), reference.len());
}

/// The Worker's answer names LicenseClient (plain JS, no wasm) acts on are written in JS by
/// hand: this holds them to the Rust they come from, so renaming a reason or a code in Rust
/// fails here instead of silently breaking apps.
#[test]
fn license_client_acts_on_names_the_worker_answers() {
    use gumroad_wasm::core::license::Reason;
    use gumroad_wasm::core::worker::WorkerError;
    let client =
        std::fs::read_to_string(root().join("js/license-client.js")).expect("js/license-client.js");
    let seat_gone = client
        .split("const SEAT_GONE = new Set([")
        .nth(1)
        .and_then(|rest| rest.split("])").next())
        .expect("SEAT_GONE in js/license-client.js");
    let names: Vec<&str> = seat_gone
        .split(',')
        .map(|n| n.trim().trim_matches('"'))
        .collect();
    assert_eq!(
        names,
        [
            Reason::UnknownInstance.as_str(),
            Reason::WrongDevice.as_str()
        ],
        "the reasons after which a seat is gone"
    );
    // The Worker codes and reasons the client and its types name.
    let types =
        std::fs::read_to_string(root().join("pkg-template/license.d.ts")).expect("license.d.ts");
    for (name, what) in [
        (
            WorkerError::ActivationLimitReached.code(),
            "an activation refused for seats",
        ),
        (WorkerError::RateLimited.code(), "a rate limit"),
        (
            Reason::OverSeatLimit.as_str(),
            "a seat beyond a lowered limit",
        ),
        (Reason::UnknownInstance.as_str(), "a seat gone"),
        (Reason::WrongDevice.as_str(), "another device's seat"),
    ] {
        let quoted = format!("\"{name}\"");
        assert!(
            client.contains(&quoted) || types.contains(&quoted),
            "{name} ({what}) is named in the client or its types"
        );
    }
}
