//! Everything derived from a Rust list is committed, so it can be read and reviewed: the
//! endpoint table's TypeScript, README table and route list, and the error codes' and ping event
//! kinds' JS, TypeScript and README copies. This test fails when a committed copy is stale
//! (`make generate` rewrites them), and when the table and Gumroad's own route list
//! (tests/fixtures/reference_routes.txt) disagree.

#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use gumroad_wasm::core::codegen as lists;
use gumroad_wasm::core::endpoints::codegen;
use gumroad_wasm::core::endpoints::route::Root;
use gumroad_wasm::core::endpoints::table::{LEFT_OUT, ROUTES};
use gumroad_wasm::core::ping::EVENT_TYPES;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

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

/// `text` with what lies between `start` and `end` replaced by `body` (the markers stay). Each
/// marker must appear exactly once, `start` first: a lost or doubled marker would otherwise
/// leave a stale copy unchecked or overwrite hand-written text.
fn region(rel: &str, text: &str, start: &str, end: &str, body: &str) -> String {
    let once = |marker: &str| match text.matches(marker).count() {
        1 => {}
        0 => panic!("{rel} lacks the marker {marker:?}"),
        n => panic!("{rel} has the marker {marker:?} {n} times"),
    };
    once(start);
    once(end);
    let (head, rest) = text.split_once(start).expect("start marker, checked above");
    let (_, tail) = rest
        .split_once(end)
        .unwrap_or_else(|| panic!("{rel}: {end:?} comes before {start:?}"));
    format!("{head}{start}{body}{end}{tail}")
}

/// How a file marks its regions.
#[derive(Clone, Copy)]
enum Markers {
    /// JS and TypeScript: `// <generated:NAME>` and `// </generated:NAME>` lines, indented like
    /// the code they hold.
    Js(&'static str),
    /// Markdown: `<!-- NAME:start -->` and `<!-- NAME:end -->`, on lines of their own (`true`) or
    /// inside a sentence.
    Md(bool),
}

fn replace_region(rel: &str, text: &str, markers: Markers, name: &str, body: &str) -> String {
    let (start, end) = match markers {
        Markers::Js(indent) => (
            format!("{indent}// <generated:{name}>\n"),
            format!("{indent}// </generated:{name}>\n"),
        ),
        Markers::Md(own_lines) => (
            format!("<!-- {name}:start -->{}", if own_lines { "\n" } else { "" }),
            format!("<!-- {name}:end -->"),
        ),
    };
    region(rel, text, &start, &end, body)
}

#[test]
fn generated_files_are_up_to_date() {
    let mut stale = Vec::new();
    stale.extend(check("src/js/api.d.ts", &codegen::typescript()));
    stale.extend(check("js/api.js", &codegen::facade()));
    stale.extend(check("tests/fixtures/routes.txt", &codegen::route_list()));

    use Markers::{Js, Md};
    #[rustfmt::skip]
    let regions = [
        ("README.md", Md(true), "api-table", codegen::readme_table()),
        ("README.md", Md(false), "route-count", codegen::readme_route_count()),
        ("README.md", Md(true), "error-table", lists::readme_error_table()),
        ("pkg-template/README.md", Md(true), "error-table", lists::readme_error_table()),
        ("js/errors.js", Js(""), "error-classes", lists::js_error_classes()),
        ("pkg-template/errors.d.ts", Js(""), "error-classes", lists::ts_error_classes()),
        ("pkg-template/entries/errors-web.js", Js("  "), "error-classes", lists::js_error_exports()),
        ("src/js/types.d.ts", Js(""), "error-codes", lists::ts_error_code_union()),
        ("src/js/types.d.ts", Js("  "), "retry-reasons", lists::ts_retry_reasons()),
        ("src/js/types.d.ts", Js(""), "event-types", lists::ts_resource_name_union()),
        ("js/ping-handler.js", Js(""), "event-types", lists::js_event_types()),
    ];
    let mut files: Vec<&str> = Vec::new();
    for (rel, ..) in &regions {
        if !files.contains(rel) {
            files.push(rel);
        }
    }
    for rel in files {
        let mut text = read(rel);
        for (_, markers, name, body) in regions.iter().filter(|r| r.0 == rel) {
            text = replace_region(rel, &text, *markers, name, body);
        }
        stale.extend(check(rel, &text));
    }

    assert!(
        stale.is_empty(),
        "stale generated files: {stale:?}; run `make generate` and commit the result"
    );
}

/// The text between `open` and the first `close` after it.
fn between<'a>(rel: &str, text: &'a str, open: &str, close: &str) -> &'a str {
    text.split_once(open)
        .and_then(|(_, rest)| rest.split_once(close))
        .map(|(body, _)| body)
        .unwrap_or_else(|| panic!("{rel} lacks {open:?} ... {close:?}"))
}

fn sorted(mut names: Vec<&str>) -> Vec<&str> {
    names.sort_unstable();
    names
}

/// The ping types that give each event its own data shape are written by hand (the shapes are
/// not in Rust), so they are held to `EVENT_TYPES` here instead of generated.
#[test]
fn ping_types_name_every_event_kind() {
    let events = sorted(EVENT_TYPES.to_vec());
    let rel = "pkg-template/ping-handler.d.ts";
    let text = read(rel);
    // The interface's own members, `  sale: SalePing;`: two spaces in, not a comment.
    let keys = between(rel, &text, "export interface PingDataMap {\n", "\n}")
        .lines()
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.starts_with("  /"))
        .filter_map(|l| l.trim().split_once(':').map(|(name, _)| name))
        .collect();
    assert_eq!(sorted(keys), events, "{rel}: PingDataMap's keys");
    let rel = "src/js/types.d.ts";
    let text = read(rel);
    // `{ type: "sale" | "refund"; data: SalePing }`: the quoted names up to each `;`.
    let types = between(rel, &text, "export type PingEvent =", ";\n\n")
        .split("type: ")
        .skip(1)
        .flat_map(|member| {
            let union = member.split(';').next().unwrap_or_default();
            union.split('"').skip(1).step_by(2)
        })
        .collect();
    assert_eq!(sorted(types), events, "{rel}: PingEvent's types");
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
