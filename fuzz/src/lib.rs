//! What each cargo-fuzz target runs, one function per parser family. The same functions replay
//! `fuzz/seeds/<target>/*` and `fuzz/regressions/<target>/*` in `cargo test`
//! (`tests/fuzz_regressions.rs` includes this file), so a crash found by the fuzzer becomes a
//! regression test by dropping its input into `fuzz/regressions/<target>/`.
//!
//! The main oracle is "never panics": a panic in wasm kills the instance (a Worker isolate, a
//! page's client). Where a property is cheap and exact it is asserted too, preferably against
//! an independent implementation (`form_urlencoded`, `percent-encoding`, `serde_json`, `std`).
//!
//! Inputs are raw bytes. Targets that need more than one string read an HTTP-like message:
//! `Name: value` header lines, an empty line, then the body (no empty line: all body), so seeds
//! and regressions stay readable. The codec targets split their input at `0xFF` bytes (which
//! never occur in UTF-8) into strings.

use gumroad_wasm::core::config::ClientConfig;
use gumroad_wasm::core::endpoints::{self, int_text, raw, table::ROUTES, Value};
use gumroad_wasm::core::error::{Secret, Secrets};
use gumroad_wasm::core::json::J;
use gumroad_wasm::core::ledger::{ledger_from, seat_limit, Admission, Ledger, MAX_INSTANCES};
use gumroad_wasm::core::license::{self, LicenseFacts, Policy, Reason, Verdict};
use gumroad_wasm::core::oauth::{token_answer, TokenAnswer};
use gumroad_wasm::core::ping::{self, Node};
use gumroad_wasm::core::request::{
    is_loopback, parse_form, percent_decode, percent_decode_path, percent_encode, BaseUrl, Form,
};
use gumroad_wasm::core::response::{disposition_filename, interpret, Body, Envelope, Meta};
use gumroad_wasm::core::retry::parse_retry_after;
use gumroad_wasm::core::worker::{
    body_kind, check_fingerprint, check_instance_id, check_instance_name, client_network,
    normalize_key, parse_form_input, ping_effect, verdict_body, BodyKind, LicenseInput, PingEffect,
    WorkerConfig, WorkerError, INPUT_FIELDS,
};
use serde_json::Value as Json;

/// What a target runs on one input.
pub type Target = fn(&[u8]);

/// Every target: its name (a `fuzz/fuzz_targets/<name>.rs` and a seeds directory) and what it
/// runs.
pub const TARGETS: &[(&str, Target)] = &[
    ("form", form),
    ("json", json),
    ("response", response),
    ("ping", ping),
    ("worker", worker),
    ("ledger", ledger),
    ("request", request),
];

// ---- input helpers ------------------------------------------------------------------------

/// Header lines and body of an HTTP-like message (see the module docs).
struct Message {
    headers: Vec<(String, String)>,
    body: String,
}

impl Message {
    fn parse(data: &[u8]) -> Message {
        let text = String::from_utf8_lossy(data);
        let Some((head, body)) = text.split_once("\n\n") else {
            return Message {
                headers: Vec::new(),
                body: text.into_owned(),
            };
        };
        let headers = head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Message {
            headers,
            body: body.to_string(),
        }
    }

    fn get(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    fn num<T: std::str::FromStr>(&self, name: &str) -> Option<T> {
        self.get(name).and_then(|v| v.parse().ok())
    }
}

/// The input split at `0xFF` bytes into strings (invalid UTF-8 replaced).
fn strings(data: &[u8]) -> Vec<String> {
    data.split(|b| *b == 0xFF)
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect()
}

/// RFC 3986 unreserved characters, the only ones our encoder leaves alone.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

const ENCODE_SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

// ---- form: the urlencoded codec (request.rs) -------------------------------------------------

/// The form codec against `form_urlencoded` and `percent-encoding` (the `url` crate's codecs):
/// 1. decoding any text gives exactly `form_urlencoded::parse`'s pairs (same `&`/`=` splitting,
///    `+` as space, invalid escapes kept, invalid UTF-8 replaced);
/// 2. our encoding of any pairs decodes (theirs and ours) to exactly those pairs, in order,
///    using only unreserved characters, `%XX`, `&` and `=`;
/// 3. their encoding (`+` for space, `*` left alone) decodes with ours to the same pairs;
/// 4. `percent_encode` equals `percent-encoding` with the unreserved set, and
///    `percent_decode_path` (a `+` stays a plus) equals its lossy decoding.
pub fn form(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let theirs: Vec<(String, String)> = form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(parse_form(&text), theirs, "decoding {text:?}");
    assert_eq!(
        percent_decode_path(&text),
        percent_encoding::percent_decode_str(&text).decode_utf8_lossy(),
        "path decoding {text:?}"
    );

    let fields = strings(data);
    let pairs: Vec<(String, String)> = fields
        .chunks(2)
        .map(|c| {
            let k = c.first().cloned().unwrap_or_default();
            (k, c.get(1).cloned().unwrap_or_default())
        })
        .collect();
    let mut f = Form::new();
    for (k, v) in &pairs {
        f.push(k, v.clone());
    }
    let encoded = f.encode();
    assert!(
        encoded
            .bytes()
            .all(|b| unreserved(b) || matches!(b, b'%' | b'&' | b'=')),
        "{encoded}"
    );
    let back: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(back, pairs, "form_urlencoded decoding of {encoded}");
    assert_eq!(parse_form(&encoded), pairs, "our decoding of {encoded}");

    let their_encoding = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(&pairs)
        .finish();
    assert_eq!(
        parse_form(&their_encoding),
        pairs,
        "our decoding of {their_encoding}"
    );

    for s in &fields {
        let e = percent_encode(s);
        assert_eq!(
            e,
            percent_encoding::utf8_percent_encode(s, ENCODE_SET).to_string()
        );
        assert_eq!(&percent_decode(&e), s);
        assert_eq!(&percent_decode_path(&e), s);
    }
}

// ---- json: the JSON writer (json.rs) ---------------------------------------------------------

/// `J` writes what `serde_json` reads back as the same strings and integers: every string
/// (any Unicode, controls, quotes, `</script>`) round-trips and no `<`, U+2028 or U+2029 is
/// left raw; `int_text` matches `std`'s formatting of whole numbers below 9e15 and refuses all
/// others (written as `null`).
pub fn json(data: &[u8]) {
    let strs = strings(data);
    let arr = J::Arr(strs.iter().map(|s| J::Str(s)).collect());
    let text = arr.to_json();
    assert!(
        !text.contains(['<', '\u{2028}', '\u{2029}']),
        "raw character left in {text:?}"
    );
    let back: Vec<String> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    assert_eq!(back, strs);

    let keys: Vec<String> = strs
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{i}:{s}"))
        .collect();
    let obj = J::Obj(
        keys.iter()
            .zip(&strs)
            .map(|(k, v)| (k.as_str(), J::Str(v)))
            .chain([("nested", J::Arr(vec![J::Null, J::Bool(true), arr.clone()]))])
            .collect(),
    );
    let text = obj.to_json();
    let m: serde_json::Map<String, Json> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text:?}"));
    assert_eq!(m.len(), keys.len() + 1);
    for (k, v) in keys.iter().zip(&strs) {
        assert_eq!(m.get(k).and_then(Json::as_str), Some(v.as_str()));
    }

    // The first 32 words are plenty; parsing one number per word of a 4 KB input would cost
    // most of the executions.
    for w in data.chunks_exact(8).take(32) {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        // Raw bit patterns (NaN, infinities, fractions, huge values) and integers near the
        // 9e15 limit.
        for n in [
            f64::from_le_bytes(b),
            (i64::from_le_bytes(b) % 10_000_000_000_000_000) as f64,
        ] {
            let expected = (n.is_finite() && n.fract() == 0.0 && n.abs() < 9.0e15)
                .then(|| format!("{}", n as i64));
            assert_eq!(int_text(n), expected, "{n:?}");
            let v: Json = serde_json::from_str(&J::Num(n).to_json()).expect("a number or null");
            match expected {
                Some(t) => assert_eq!(v.to_string(), t),
                None => assert!(v.is_null()),
            }
        }
    }
}

// ---- response: Gumroad's answers (response.rs, license.rs, oauth.rs, retry.rs) ---------------

/// The credential every response is scrubbed of.
const SECRET: &str = "tok_FUZZ/secret==";

/// What the wasm client's `classify` reads with `JSON.parse` (`src/js/call.rs`), natively.
fn classify(text: &str) -> (Body, Option<Json>) {
    if text.trim().is_empty() {
        return (Body::Empty, None);
    }
    match serde_json::from_str::<Json>(text) {
        Ok(Json::Object(m)) => {
            let env = Envelope {
                success: m.get("success").and_then(Json::as_bool),
                message: m.get("message").and_then(Json::as_str).map(String::from),
                error: m.get("error").and_then(Json::as_str).map(String::from),
            };
            (Body::Json(env), Some(Json::Object(m)))
        }
        Ok(_) => (Body::JsonNotObject, None),
        Err(_) => (Body::Text, None),
    }
}

/// An answer as the client handles it: headers `Status` (default 200), `Retry-After`,
/// `Content-Disposition`, `Via: maton`, `Now`, `Max-Uses`; the body as sent. Checks
/// `interpret` (success only for 2xx JSON objects without `success:false`; errors carry the
/// status, a message, and never the client's secret, plain or percent-encoded), the license
/// policy on the answer (`judge`, `judge_error`), the OAuth token-answer reading, `Retry-After`
/// and download file names (never empty, no path separators, controls or leading dot).
pub fn response(data: &[u8]) {
    let msg = Message::parse(data);
    let status = msg.num::<u16>("status").unwrap_or(200);
    let now = msg.num::<i64>("now").unwrap_or(1_700_000_000);
    let meta = Meta {
        status,
        retry_after: msg.get("retry-after").map(String::from),
        via_maton: msg.get("via") == Some("maton"),
        now_unix: now,
    };
    let secrets = Secrets::new([Secret::new(SECRET)]);
    let leaks = |text: &str| text.contains(SECRET) || text.contains(&percent_encode(SECRET));
    let (body, parsed) = classify(&msg.body);
    let ok_2xx = (200..300).contains(&status);
    match interpret(&meta, &body, &secrets) {
        Ok(()) => {
            assert!(ok_2xx, "success for HTTP {status}");
            assert!(
                matches!(&body, Body::Json(e) if e.success != Some(false)),
                "success for {body:?}"
            );
            if let Some(v) = &parsed {
                license_answer(v, &msg);
            }
        }
        Err(e) => {
            assert!(!e.message.is_empty());
            assert!(!leaks(&e.message), "secret in {:?}", e.message);
            assert_eq!(e.status, Some(status));
            if let Some(r) = license::judge_error(&e) {
                assert!(matches!(
                    r,
                    Reason::NotFound
                        | Reason::Disabled
                        | Reason::AccessRevoked
                        | Reason::ProductIdRequired
                ));
            }
        }
    }

    // The OAuth token endpoint's answer, read from the same body.
    let field = |k: &str| parsed.as_ref().and_then(|v| v.get(k));
    let answer = token_answer(
        status,
        field("access_token").and_then(Json::as_str).is_some(),
        field("error").and_then(Json::as_str),
        field("error_description").and_then(Json::as_str),
        field("interval").and_then(Json::as_f64),
        &secrets,
    );
    match answer {
        TokenAnswer::Failed(e) => assert!(!leaks(&e.message), "secret in {:?}", e.message),
        TokenAnswer::SlowDown(Some(s)) => assert!((1..=3600).contains(&s)),
        _ => {}
    }

    let retry_after = msg.get("retry-after");
    let secs = parse_retry_after(retry_after, now);
    if let Some(v) = retry_after.filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
    {
        let expected =
            (v.len() <= 10).then(|| v.parse::<u64>().map_or(0, |n| n.min(u32::MAX.into())));
        assert_eq!(secs.map(u64::from), expected, "Retry-After {v:?}");
    }
    if let Some(d) = msg.get("content-disposition") {
        if let Some(name) = disposition_filename(d) {
            assert!(!name.is_empty() && !name.starts_with('.'), "{name:?}");
            assert!(
                !name.contains(['/', '\\']) && !name.chars().any(char::is_control),
                "{name:?}"
            );
        }
    }
}

/// A successful license answer through the policy, with the facts read as the native API does
/// (`LicenseFacts: Deserialize`).
fn license_answer(v: &Json, msg: &Message) {
    let Ok(facts) = serde_json::from_value::<LicenseFacts>(v.clone()) else {
        return;
    };
    let max_uses = msg.num::<u64>("max-uses");
    let policy = Policy {
        max_uses,
        now_unix: msg.num::<i64>("now").unwrap_or(1_700_000_000),
    };
    let verdict = license::judge(&facts, &policy);
    let seats = license::seats(&facts);
    assert!(seats >= 1);
    assert_eq!(verdict.uses, facts.uses);
    assert_eq!(verdict.valid, verdict.reason == Reason::Ok, "{verdict:?}");
    if let Some(p) = &facts.purchase {
        if p.refunded == Some(true) {
            assert_eq!(verdict.reason, Reason::Refunded);
        }
    } else if facts.imported_customer.is_none() {
        assert_eq!(verdict.reason, Reason::NotFound);
    }
    if verdict.valid {
        if let Some(m) = max_uses {
            assert!(facts.uses <= m.saturating_mul(seats), "{verdict:?}");
        }
    }
    if let Some(at) = facts
        .purchase
        .as_ref()
        .and_then(|p| p.subscription_cancelled_at.as_deref())
    {
        let _ = license::parse_iso8601(at);
    }
}

// ---- ping: webhook bodies (ping.rs) -----------------------------------------------------------

/// Depth of a ping tree (scalars 0).
fn depth(n: &Node) -> usize {
    match n {
        Node::List(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Node::Map(fields) => 1 + fields.iter().map(|(_, v)| depth(v)).max().unwrap_or(0),
        _ => 0,
    }
}

/// Keys unique at every level (each key is one JS property), lists of scalars only, numbers
/// finite.
fn check_tree(fields: &[(String, Node)]) {
    for (i, (k, v)) in fields.iter().enumerate() {
        assert!(
            !fields.iter().skip(i + 1).any(|(k2, _)| k2 == k),
            "key {k:?} twice"
        );
        match v {
            Node::Map(inner) => check_tree(inner),
            Node::List(items) => assert!(items
                .iter()
                .all(|n| !matches!(n, Node::List(_) | Node::Map(_)))),
            Node::Num(x) => assert!(x.is_finite()),
            _ => {}
        }
    }
}

/// A ping as `parsePing` and the Worker's ping route read it (`src/js/ping.rs`,
/// `src/edge/mod.rs`): header `Content-Type`, the body. Form bodies become a tree with unique
/// keys and at most 8 levels that serialises to a JSON object with one key per field; the
/// event kind is one of the documented ones or a `malformed ping` error; then what the ping
/// does to a license (`ping_effect`).
pub fn ping(data: &[u8]) {
    let msg = Message::parse(data);
    let Ok(is_json) = ping::is_json(msg.get("content-type")) else {
        return;
    };
    let text = msg.body.as_str();
    let (kind, refunded, chargebacked) = if is_json {
        if text.len() > ping::MAX_PING_BYTES {
            return;
        }
        let Ok(Json::Object(m)) = serde_json::from_str::<Json>(text) else {
            return;
        };
        let resource = m.get("resource_name").and_then(Json::as_str);
        let Ok(kind) = ping::event_type(resource) else {
            return;
        };
        let field = |k: &str| match m.get(k) {
            Some(Json::String(s)) => Some(s.clone()),
            Some(Json::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        (kind, field("refunded"), field("chargebacked"))
    } else {
        let fields = match ping::parse_form(text) {
            Ok(f) => f,
            Err(e) => {
                assert!(e.message.starts_with("malformed ping"), "{}", e.message);
                return;
            }
        };
        assert!(text.len() <= ping::MAX_PING_BYTES && !text.trim().is_empty());
        check_tree(&fields);
        for (_, v) in &fields {
            assert!(depth(v) <= 7, "too deep: {v:?}");
        }
        let tree = Node::Map(fields);
        let json = serde_json::to_string(&tree).expect("a ping serialises");
        let back: serde_json::Map<String, Json> =
            serde_json::from_str(&json).expect("as a JSON object");
        let Node::Map(fields) = tree else {
            unreachable!()
        };
        assert_eq!(back.len(), fields.len());
        let resource = match ping::get(&fields, "resource_name") {
            Some(Node::Str(s)) => Some(s.as_str()),
            _ => None,
        };
        let kind = match ping::event_type(resource) {
            Ok(k) => k,
            Err(e) => {
                assert!(e.message.starts_with("malformed ping"));
                return;
            }
        };
        let field = |k: &str| match ping::get(&fields, k) {
            Some(Node::Str(s)) => Some(s.clone()),
            Some(Node::Bool(b)) => Some(b.to_string()),
            _ => None,
        };
        (kind, field("refunded"), field("chargebacked"))
    };
    assert!(ping::EVENT_TYPES.contains(&kind), "{kind}");
    let effect = ping_effect(kind, refunded.as_deref(), chargebacked.as_deref());
    if matches!(kind, "sale" | "cancellation" | "subscription_updated") {
        assert!(matches!(effect, PingEffect::Ignore | PingEffect::Recheck));
    }
}

// ---- worker: the license Worker's requests (worker.rs) ---------------------------------------

/// What the Worker's `parse_json_input` does with `JSON.parse` (`src/edge/body.rs`), natively.
fn json_input(text: &str) -> Result<LicenseInput, WorkerError> {
    let v: Json = serde_json::from_str(text).map_err(|_| WorkerError::MalformedBody)?;
    let obj = v.as_object().ok_or(WorkerError::MalformedBody)?;
    let mut input = LicenseInput::default();
    for name in INPUT_FIELDS {
        match obj.get(name) {
            None | Some(Json::Null) => {}
            Some(Json::String(s)) => input.set(name, s.clone()),
            Some(_) => return Err(WorkerError::MalformedBody),
        }
    }
    Ok(input)
}

fn input_field<'a>(input: &'a LicenseInput, name: &str) -> Option<&'a str> {
    match name {
        "license_key" => input.license_key.as_deref(),
        "product_id" => input.product_id.as_deref(),
        "fingerprint" => input.fingerprint.as_deref(),
        "instance_name" => input.instance_name.as_deref(),
        "instance_id" => input.instance_id.as_deref(),
        "nonce" => input.nonce.as_deref(),
        // A field added to INPUT_FIELDS must be added here too: fail on every form input
        // rather than compare it with nothing (a missing `nonce` arm once failed only when
        // the fuzzer happened to write `nonce=`).
        other => panic!("the harness does not know the input field {other:?}"),
    }
}

/// The rate-limit key `client_network` should give, written with `std`'s formatting.
fn expected_network(ip: &str) -> String {
    let ip = ip.trim();
    let bare = ip.split('%').next().unwrap_or(ip);
    match bare.parse::<std::net::Ipv6Addr>() {
        Err(_) => ip.to_string(),
        Ok(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// A license request as the Worker reads it: headers are the Worker's vars
/// (`GUMROAD_PRODUCT_IDS`, `MAX_USES`, `ALLOWED_ORIGINS`, ...) plus the request's
/// `Content-Type`, `Origin` and `CF-Connecting-IP`; the body. Checks the configuration's
/// bounds, the content type, form and JSON bodies (a form field is its last occurrence), every
/// field check's promise (keys `[A-Z0-9-]{1,128}`, fingerprints 1..=512 characters, instance
/// names and ids), product resolution, CORS, the rate-limit key (against `std`'s IP
/// formatting), and that error and verdict bodies are JSON carrying the caller's text exactly.
pub fn worker(data: &[u8]) {
    let msg = Message::parse(data);
    let cfg = WorkerConfig::from_lookup(|k| msg.get(k).map(String::from));
    if let Ok(c) = &cfg {
        assert!(!c.product_ids.is_empty());
        assert!(c
            .product_ids
            .iter()
            .all(|p| !p.is_empty() && !p.contains(|ch: char| ch == ',' || ch.is_whitespace())));
        assert!(c.cache_ttl_valid <= 86_400 && c.cache_ttl_invalid <= 86_400);
        assert!((1..=60_000).contains(&c.upstream_timeout_ms));
        let _ = c.answer_settings();
        let origin = msg.get("origin");
        if let Some(o) = c.cors_origin(origin) {
            assert!(
                o == "*" || origin == Some(o.as_str()),
                "{o:?} for {origin:?}"
            );
        }
    }

    let input = match body_kind(msg.get("content-type")) {
        Ok(BodyKind::Form) => {
            let input = parse_form_input(&msg.body);
            let pairs = parse_form(&msg.body);
            for name in INPUT_FIELDS {
                let last = pairs.iter().rev().find(|(k, _)| k == name);
                assert_eq!(input_field(&input, name), last.map(|(_, v)| v.as_str()));
            }
            Ok(input)
        }
        Ok(BodyKind::Json) => json_input(&msg.body),
        Err(e) => Err(e),
    };
    match input {
        Err(e) => {
            assert!((400..500).contains(&e.status()));
            let b: Json = serde_json::from_str(&e.body()).expect("error bodies are JSON");
            assert_eq!(b["error"]["code"], e.code());
        }
        Ok(input) => {
            let raw_key = input.license_key.as_deref();
            if let Ok(k) = normalize_key(raw_key) {
                assert!(!k.is_empty() && k.len() <= 128);
                assert!(k
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'));
                assert_eq!(
                    Some(k.as_str()),
                    raw_key.map(|r| r.trim().to_ascii_uppercase()).as_deref()
                );
            }
            if let Ok(Some(f)) = check_fingerprint(input.fingerprint.as_deref()) {
                let n = f.chars().count();
                assert!((1..=512).contains(&n));
                assert_eq!(
                    Some(f.as_str()),
                    input.fingerprint.as_deref().map(str::trim)
                );
            }
            if let Ok(n) = check_instance_name(input.instance_name.as_deref()) {
                assert!(n.chars().count() <= 100 && !n.chars().any(char::is_control));
            }
            if let Ok(id) = check_instance_id(input.instance_id.as_deref()) {
                assert!(!id.is_empty() && id.len() <= 64);
                assert!(id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            }
            if let Ok(c) = &cfg {
                if let Ok(p) = c.resolve_product(input.product_id.as_deref()) {
                    assert!(c.product_ids.contains(&p));
                }
            }
            // Caller-supplied text inside a verdict body comes back out exactly.
            let product = input.product_id.as_deref().unwrap_or_default();
            let name = input.instance_name.as_deref().unwrap_or_default();
            let v = Verdict {
                valid: true,
                reason: Reason::Ok,
                uses: u64::try_from(product.len()).unwrap_or(0),
            };
            let body = verdict_body(&v, product, vec![("instance_name", J::Str(name))]);
            let b: Json = serde_json::from_str(&body).expect("verdict bodies are JSON");
            assert_eq!(b["product_id"], product);
            assert_eq!(b["instance_name"], name);
        }
    }

    let ip = msg.get("cf-connecting-ip").unwrap_or(msg.body.as_str());
    assert_eq!(client_network(ip), expected_network(ip), "{ip:?}");
}

// ---- ledger: the stored license ledger (ledger.rs) -------------------------------------------

#[path = "../../tests/support/json_stored.rs"]
mod json_stored;
use json_stored::JsonStored;

pub fn restore(text: &str) -> Option<Ledger> {
    let v: Json = serde_json::from_str(text).ok()?;
    ledger_from(&JsonStored(v))
}

/// A stored ledger (the body) and one round of what the Durable Object does with it, from
/// headers `Now` (Unix seconds, kept within this era as `Date.now()` gives it), `Limit`,
/// `Max-Uses`, `Seats`, `Device` (an activation), `Reason` (a verdict) and
/// `Event`/`Refunded`/`Chargebacked`/`Gumroad` (a ping, and what Gumroad said after it).
/// Whatever restores stores again as text that restores to the same ledger, before and after
/// the changes; the hourly limit and `Retry-After` hold; an admission never grants beyond the
/// limit (`Free`), moves only a live unmoved seat, and answers `Full` at `MAX_INSTANCES`.
pub fn ledger(data: &[u8]) {
    let msg = Message::parse(data);
    let Some(mut l) = restore(&msg.body) else {
        return;
    };
    assert_eq!(restore(&l.to_json()).as_ref(), Some(&l), "{}", l.to_json());

    // Date.now() / 1000 on a real clock: 1970 to about the year 3000.
    let now = msg
        .num::<i64>("now")
        .unwrap_or(1_700_000_000)
        .rem_euclid(32_503_680_000);
    let limit = msg.num::<u32>("limit").unwrap_or(30);
    match l.count_change(now, limit) {
        Ok(()) => assert!(l.changes.len() <= limit as usize),
        Err(wait) => assert!((1..=3600).contains(&wait), "{wait}"),
    }
    let seats = msg.num::<u64>("seats").unwrap_or(1);
    let cap = seat_limit(msg.num::<u64>("max-uses"), seats);
    assert!(cap <= MAX_INSTANCES);
    let device = msg.get("device").unwrap_or("fuzz-device");
    // Seats held: active instances and cooling seats of other devices.
    let held = l.instances.len() as u64
        + l.cooling(now)
            .filter(|f| f.device.as_deref() != Some(device))
            .count() as u64;
    match l.admit(device, cap, now) {
        Admission::Existing(i) => assert!(l.instances.get(i).is_some()),
        Admission::Free => assert!(held < cap, "{held} seats held, limit {cap}"),
        Admission::Move(i) => {
            let f = l.freed.get(i).expect("a freed seat to move");
            assert!(!f.moved && f.until > now && l.move_available(now));
            assert_eq!(held, cap);
        }
        Admission::Full { retry_after } => {
            assert!(held >= cap, "{held} seats held, limit {cap}");
            assert!(retry_after.is_none_or(|s| s >= 1));
        }
    }
    let _ = l.prune(now);
    let _ = l.is_blank(now, msg.num::<u32>("recheck").unwrap_or(60));
    let _ = l.standing_revocation(now, msg.num::<u32>("recheck").unwrap_or(60));
    if let Some(r) = msg.get("reason").and_then(Reason::from_name) {
        let v = Verdict {
            valid: r == Reason::Ok,
            reason: r,
            uses: 0,
        };
        l.note_verdict(&v, now);
    }
    if let Some(event) = msg.get("event") {
        let effect = ping_effect(event, msg.get("refunded"), msg.get("chargebacked"));
        let gumroad = msg
            .get("gumroad")
            .and_then(Reason::from_name)
            .map(|r| Verdict {
                valid: r == Reason::Ok,
                reason: r,
                uses: 0,
            });
        let before = l.revoked;
        let changed = l.apply_ping(effect, gumroad.as_ref(), now);
        if !changed {
            assert_eq!(l.revoked, before);
        }
        // A lasting revocation is only lifted by a restore Gumroad confirmed valid.
        if before.is_some_and(|r| r.lasting) && l.revoked != before {
            assert!(gumroad.is_some_and(|v| v.valid) || l.revoked.is_some_and(|r| r.lasting));
        }
    }
    assert_eq!(restore(&l.to_json()).as_ref(), Some(&l), "{}", l.to_json());
}

// ---- request: building calls (endpoints, config, request.rs) ---------------------------------

fn dot_segment(seg: &str) -> bool {
    let s = seg.to_ascii_lowercase().replace("%2e", ".");
    s == "." || s == ".."
}

/// Parameters from body lines `<kind><name>=<value>` (kind `s` string, `n` number, `b`
/// boolean, `l` comma-separated list, `j` JSON text).
fn params(body: &str) -> Vec<(String, Value)> {
    body.lines()
        .filter_map(|line| {
            let mut chars = line.chars();
            let kind = chars.next()?;
            let (k, v) = chars.as_str().split_once('=')?;
            let value = match kind {
                'n' => Value::Num(v.trim().parse().unwrap_or(v.len() as f64)),
                'b' => Value::Bool(v == "true"),
                'l' => Value::List(v.split(',').map(String::from).collect()),
                'j' => Value::Json(v.to_string()),
                _ => Value::Str(v.to_string()),
            };
            Some((k.to_string(), value))
        })
        .collect()
}

/// `client.request(method, path, params)`, a table route (`Route`: index, `Ids`: ids split at
/// `|`) and `baseUrl` (`Base-Url`): whatever the caller passes, the URL stays below the API
/// root, with no query or fragment smuggled in through the path and no dot segments, and a
/// route keeps its template's number of path segments; a base URL is http(s), and plain http
/// only for loopback hosts.
pub fn request(data: &[u8]) {
    let msg = Message::parse(data);
    let p = params(&msg.body);
    let cfg = ClientConfig::direct(Some("tok_1234".into()), None, false).expect("a config");
    let root = "https://api.gumroad.com/v2";
    if let Ok(call) = raw::build(
        &cfg,
        msg.get("method").unwrap_or("GET"),
        msg.get("path").unwrap_or("/"),
        &p,
    ) {
        let url = &call.request.url;
        let rest = url.strip_prefix(root).unwrap_or_else(|| panic!("{url}"));
        assert!(
            rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'),
            "{url}"
        );
        let path = rest.split('?').next().unwrap_or_default();
        assert!(!path.contains("//") && !path.contains('#'), "{url}");
        assert!(!path.split('/').any(dot_segment), "{url}");
    }

    let maton = ClientConfig::maton("mk_1234".into(), None, None, false).expect("a config");
    let route = &ROUTES[msg.num::<usize>("route").unwrap_or(0) % ROUTES.len()];
    let ids: Vec<&str> = msg
        .get("ids")
        .map(|s| s.split('|').collect())
        .unwrap_or_default();
    if let Ok(call) = endpoints::build(&maton, route, &ids, &p) {
        let path = call.request.url.split('?').next().unwrap_or_default();
        assert!(!path.split('/').any(dot_segment), "{}", call.request.url);
        let segments = path.matches('/').count();
        let api = route.path.matches('/').count()
            + "https://gateway.maton.ai/gumroad/v2".matches('/').count();
        let ctrl = route.path.matches('/').count() + "https://ctrl.maton.ai".matches('/').count();
        assert!(segments == api || segments == ctrl, "{}", call.request.url);
    }

    if let Some(base) = msg.get("base-url") {
        if let Ok(b) = BaseUrl::parse(base, false) {
            let s = b.as_str();
            assert!(s.starts_with("https://") || s.starts_with("http://"), "{s}");
            if let Some(rest) = s.strip_prefix("http://") {
                let authority = rest.split('/').next().unwrap_or_default();
                let host = match authority.strip_prefix('[') {
                    Some(v6) => format!("[{}]", v6.split(']').next().unwrap_or_default()),
                    None => authority.split(':').next().unwrap_or_default().to_string(),
                };
                assert!(is_loopback(&host), "{s}");
            }
        }
    }
}
