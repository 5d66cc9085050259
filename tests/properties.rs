//! Property tests (proptest): arbitrary input to every parser must give a value or a typed
//! error, never a panic, and encoders must round-trip. `PROPTEST_CASES` sets the number of cases
//! (make test runs 512; `make fuzz` runs many more). The same parsers are also fuzzed with
//! coverage guidance by cargo-fuzz: `fuzz/`, `scripts/fuzz.sh`, `tests/fuzz_regressions.rs`.
#![cfg(not(target_arch = "wasm32"))]

use gumroad_wasm::core::config::ClientConfig;
use gumroad_wasm::core::endpoints::{self, raw, table::ROUTES, Value};
use gumroad_wasm::core::error::{Secret, Secrets};
use gumroad_wasm::core::license::{self, LicenseFacts, Policy};
use gumroad_wasm::core::ping;
use gumroad_wasm::core::request::{parse_form, percent_decode, percent_encode, BaseUrl, Form};
use gumroad_wasm::core::response::{disposition_filename, interpret, Body, Envelope, Meta};
use gumroad_wasm::core::retry::parse_retry_after;
use gumroad_wasm::core::worker::{body_kind, normalize_key, parse_form_input, WorkerConfig};
use proptest::prelude::*;

/// What a URL parser resolves away: `.`, `..`, in any mix of `%2e` and case.
fn dot_segment(seg: &str) -> bool {
    let s = seg.to_ascii_lowercase().replace("%2e", ".");
    s == "." || s == ".."
}

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[a-z%\\[\\]=&+0-9]{0,64}",
        "[./%2eE{}a]{0,8}",
        proptest::collection::vec(any::<u8>(), 0..256)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

proptest! {
    #[test]
    fn form_encoding_round_trips(pairs in proptest::collection::vec((".*", ".*"), 0..8)) {
        let mut f = Form::new();
        for (k, v) in &pairs {
            f.push(k, v.clone());
        }
        prop_assert_eq!(parse_form(&f.encode()), pairs);
    }

    #[test]
    fn percent_coding_round_trips_and_decoding_never_panics(s in ".*", junk in any_text()) {
        prop_assert_eq!(percent_decode(&percent_encode(&s)), s);
        let _ = percent_decode(&junk);
        let _ = parse_form(&junk);
    }

    #[test]
    fn response_interpretation_never_panics(
        status in 0u16..1000,
        success in proptest::option::of(any::<bool>()),
        message in proptest::option::of(".*"),
        error in proptest::option::of(".*"),
        retry_after in proptest::option::of(any_text()),
        kind in 0u8..4,
    ) {
        let body = match kind {
            0 => Body::Empty,
            1 => Body::Text,
            2 => Body::JsonNotObject,
            _ => Body::Json(Envelope { success, message: message.clone(), error }),
        };
        let meta = Meta { status, retry_after: retry_after.clone(), via_maton: false, now_unix: 1_700_000_000 };
        let secrets = Secrets::new([Secret::new("tok_secret_value")]);
        match interpret(&meta, &body, &secrets) {
            Ok(()) => prop_assert!((200..300).contains(&status)),
            Err(e) => {
                prop_assert!(!e.message.contains("tok_secret_value"));
                prop_assert!(!e.message.is_empty());
            }
        }
        let _ = parse_retry_after(retry_after.as_deref(), 1_700_000_000);
    }

    #[test]
    fn secrets_never_survive_redaction(prefix in ".*", suffix in ".*") {
        let secrets = Secrets::new([Secret::new("tok_ABC/123==")]);
        let text = format!("{prefix}tok_ABC/123=={suffix}{}", percent_encode("tok_ABC/123=="));
        let out = secrets.redact(&text);
        prop_assert!(!out.contains("tok_ABC/123=="));
        prop_assert!(!out.contains(&percent_encode("tok_ABC/123==")));
    }

    #[test]
    fn ping_parser_never_panics(body in any_text(), ct in proptest::option::of(any_text())) {
        if let Ok(fields) = ping::parse_form(&body) {
            let _ = ping::get(&fields, "resource_name");
        }
        let _ = ping::is_json(ct.as_deref());
        let _ = ping::event_type(Some(&body));
    }

    #[test]
    fn ping_bracket_keys_round_trip(key in "[a-z_]{1,12}", inner in "[A-Za-z ]{1,12}", value in "[^\\x00]{0,40}") {
        let body = format!("{}={}", percent_encode(&format!("{key}[{inner}]")), percent_encode(&value));
        let fields = ping::parse_form(&body).unwrap_or_default();
        match ping::get(&fields, &key) {
            Some(ping::Node::Map(m)) => {
                let got = ping::get(m, &inner);
                if value.is_empty() {
                    prop_assert_eq!(got, Some(&ping::Node::Null));
                } else {
                    prop_assert!(got.is_some());
                }
            }
            other => prop_assert!(false, "{:?}", other),
        }
    }

    #[test]
    fn worker_input_parsing_never_panics(body in any_text(), key in proptest::option::of(any_text()), ct in proptest::option::of(any_text())) {
        let input = parse_form_input(&body);
        let _ = normalize_key(input.license_key.as_deref());
        if let Ok(k) = normalize_key(key.as_deref()) {
            prop_assert!(k.len() <= 128 && k.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-'));
        }
        let _ = body_kind(ct.as_deref());
        let cfg = WorkerConfig::from_lookup(|k| match k {
            "GUMROAD_PRODUCT_IDS" => Some(body.clone()),
            "MAX_USES" | "CACHE_TTL_VALID" => key.clone(),
            _ => None,
        });
        if let Ok(c) = cfg {
            let _ = c.resolve_product(key.as_deref());
            let _ = c.cors_origin(key.as_deref());
        }
    }

    #[test]
    fn base_url_parsing_never_panics(s in any_text()) {
        if let Ok(b) = BaseUrl::parse(&s, false) {
            prop_assert!(b.as_str().starts_with("https://") || b.as_str().starts_with("http://"));
        }
    }

    #[test]
    fn license_policy_never_panics(uses in any::<u64>(), qty in proptest::option::of(any::<u64>()), at in proptest::option::of(any_text()), max in proptest::option::of(any::<u64>()), now in any::<i64>()) {
        let json = serde_json::json!({
            "uses": uses,
            "purchase": { "quantity": qty, "is_multiseat_license": true, "subscription_cancelled_at": at }
        });
        let facts: LicenseFacts = serde_json::from_value(json).unwrap_or_default();
        let v = license::judge(&facts, &Policy { max_uses: max, now_unix: now });
        prop_assert_eq!(v.uses, facts.uses);
        let _ = license::parse_iso8601(at.as_deref().unwrap_or_default());
    }

    #[test]
    fn retry_after_and_file_names_never_panic(v in any_text(), now in any::<i64>()) {
        if let Some(secs) = parse_retry_after(Some(&v), now) {
            // A hint is seconds from now, never more than a u32 can hold.
            prop_assert!(u64::from(secs) <= u64::from(u32::MAX));
        }
        if let Some(name) = disposition_filename(&v) {
            prop_assert!(!name.is_empty() && !name.contains(['/', '\\']));
        }
    }

    /// Whatever path and params a caller hands `client.request()`, the URL stays below the API
    /// root: no other host, no query or fragment smuggled in through the path.
    #[test]
    fn raw_requests_never_leave_the_api_root(
        method in "[A-Za-z]{0,8}",
        path in any_text(),
        params in proptest::collection::vec(("[a-z{}]{1,6}", any_text()), 0..4),
    ) {
        let cfg = ClientConfig::direct(Some("tok_1234".into()), None, false).unwrap();
        let p: Vec<(String, Value)> = params.into_iter().map(|(k, v)| (k, Value::Str(v))).collect();
        if let Ok(call) = raw::build(&cfg, &method, &path, &p) {
            let url = &call.request.url;
            prop_assert!(url.starts_with("https://api.gumroad.com/v2"), "{}", url);
            let rest = &url["https://api.gumroad.com/v2".len()..];
            prop_assert!(rest.is_empty() || rest.starts_with('/') || rest.starts_with('?'), "{}", url);
            let path_part = rest.split('?').next().unwrap_or_default();
            prop_assert!(!path_part.contains("//") && !path_part.contains('#'), "{}", url);
            prop_assert!(!path_part.split('/').any(dot_segment), "{}", url);
        }
    }

    /// Any route with arbitrary ids and params: a request or a typed error, and ids never
    /// escape their path segment.
    #[test]
    fn every_route_builds_or_refuses(
        idx in 0usize..200,
        ids in proptest::collection::vec(any_text(), 0..4),
        params in proptest::collection::vec((prop_oneof!["[a-z_]{1,12}", ".*"], any_text(), 0u8..5), 0..5),
    ) {
        let route = &ROUTES[idx % ROUTES.len()];
        let cfg = ClientConfig::maton("mk_1234".into(), None, None, false).unwrap();
        let p: Vec<(String, Value)> = params
            .into_iter()
            .map(|(k, v, kind)| {
                let value = match kind {
                    0 => Value::Str(v),
                    1 => Value::Num(v.len() as f64 / 3.0),
                    2 => Value::Bool(v.len() % 2 == 0),
                    3 => Value::List(vec![v]),
                    _ => Value::Json("{}".into()),
                };
                (k, value)
            })
            .collect();
        let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        if let Ok(call) = endpoints::build(&cfg, route, &id_refs, &p) {
            let path_part = call.request.url.split('?').next().unwrap_or_default();
            prop_assert!(!path_part.split('/').any(dot_segment), "{}", call.request.url);
            let segments = call.request.url.split('?').next().unwrap_or_default().matches('/').count();
            let expected = route.path.matches('/').count() + "https://gateway.maton.ai/gumroad/v2".matches('/').count();
            let ctrl = "https://ctrl.maton.ai".matches('/').count() + route.path.matches('/').count();
            prop_assert!(segments == expected || segments == ctrl, "{}", call.request.url);
        }
    }
}

// ---- the license server's ledger ------------------------------------------------------------

use gumroad_wasm::core::ledger::{
    ledger_from, seat_limit, Admission, Freed, Instance, Ledger, Pending, Revocation,
};
use gumroad_wasm::core::license::Reason;
use gumroad_wasm::core::worker::{check_fingerprint, check_instance_id, check_instance_name};

#[path = "support/json_stored.rs"]
mod json_stored;
use json_stored::JsonStored;

fn instance() -> impl Strategy<Value = Instance> {
    (
        "[A-Za-z0-9_-]{1,30}",
        any_text(),
        proptest::option::of("[A-Za-z0-9_-]{43}"),
        any_text(),
        prop_oneof![Just(0i64), -1_000_000_000_000i64..1_000_000_000_000],
    )
        .prop_map(|(id, name, device, activated_at, tokens_until)| Instance {
            id,
            name,
            device,
            activated_at,
            tokens_until,
        })
}

fn freed() -> impl Strategy<Value = Freed> {
    (
        "[A-Za-z0-9_-]{1,30}",
        proptest::option::of("[A-Za-z0-9_-]{43}"),
        -1_000_000_000_000i64..1_000_000_000_000,
        any::<bool>(),
    )
        .prop_map(|(id, device, until, moved)| Freed {
            id,
            device,
            until,
            moved,
        })
}

fn ledger() -> impl Strategy<Value = Ledger> {
    let revoked = proptest::option::of(
        (
            0..Reason::ALL.len(),
            any::<bool>(),
            -1_000_000_000_000i64..1_000_000_000_000,
        )
            .prop_map(|(r, lasting, at)| Revocation {
                reason: Reason::ALL[r],
                lasting,
                at,
            }),
    );
    let pending = proptest::option::of(prop_oneof![
        (0u64..1_000_000_000, instance())
            .prop_map(|(before, instance)| Pending::Increment { before, instance }),
        (0u64..1_000_000_000, "[A-Za-z0-9_-]{1,30}", any::<bool>())
            .prop_map(|(before, id, cool)| Pending::Decrement { before, id, cool }),
    ]);
    (
        proptest::collection::vec(instance(), 0..6),
        proptest::collection::vec(freed(), 0..4),
        revoked,
        proptest::collection::vec(-1_000_000_000_000i64..1_000_000_000_000, 0..8),
        pending,
        proptest::option::of(-1_000_000_000_000i64..1_000_000_000_000),
    )
        .prop_map(
            |(instances, freed, revoked, changes, pending, hint_at)| Ledger {
                instances,
                freed,
                revoked,
                changes,
                pending,
                hint_at,
            },
        )
}

/// One thing a buyer (or time) does to a license's seats.
#[derive(Clone, Debug)]
enum SeatOp {
    /// Activate device `n`: the answer carries a token valid for this many seconds when a seat
    /// is granted (0: no token reached the device, as when a count change's answer was lost and
    /// a later request settled it; fewer than the grace: a lowered grace period, a subscription
    /// paid through an earlier date).
    Activate(u8, i64),
    /// Deactivate the active instance at this index (modulo the count).
    Deactivate(usize),
    /// A verify that lists every instance: each within the limit may get a token.
    Verify,
    /// Seconds pass.
    Wait(i64),
}

fn seat_op(grace: i64) -> impl Strategy<Value = SeatOp> {
    prop_oneof![
        4 => (0u8..8, prop_oneof![Just(0), 1..=grace, Just(grace)]).prop_map(|(d, g)| SeatOp::Activate(d, g)),
        3 => (0usize..8).prop_map(SeatOp::Deactivate),
        2 => Just(SeatOp::Verify),
        2 => (0..grace * 2).prop_map(SeatOp::Wait),
    ]
}

proptest! {
    #[test]
    fn ledger_stored_form_round_trips(l in ledger()) {
        let v: serde_json::Value = serde_json::from_str(&l.to_json()).expect("the stored form is JSON");
        prop_assert_eq!(ledger_from(&JsonStored(v)), Some(l));
    }

    #[test]
    fn ledger_decoding_never_panics(text in any_text()) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            let _ = ledger_from(&JsonStored(v));
        }
    }

    /// A seat is one device, online and offline: whatever a key holder does (activate devices,
    /// deactivate them, verify, wait), the devices holding a token that still verifies never
    /// number more than the limit plus one move, and the active instances never more than the
    /// limit. Tokens are modelled as the ledger's answers allow them (an activation grants one
    /// until `now + grace`, a verify one per instance within the limit).
    #[test]
    fn devices_with_live_tokens_never_exceed_the_limit_plus_one(
        max in 0u64..4,
        seats in 1u64..3,
        ops in proptest::collection::vec(seat_op(1_000), 0..80),
    ) {
        let grace = 1_000i64;
        let limit = seat_limit(Some(max), seats);
        let mut l = Ledger::default();
        let mut now = 1_000_000i64;
        // device -> the latest exp of a token issued to it
        let mut tokens: std::collections::HashMap<String, i64> = Default::default();
        for (n, op) in ops.into_iter().enumerate() {
            l.prune(now);
            match op {
                SeatOp::Activate(d, life) => {
                    let dev = d.to_string();
                    match l.admit(&dev, limit, now) {
                        Admission::Existing(i) => {
                            prop_assert!(i < l.instances.len());
                            if !Ledger::over_limit(i, limit) && life > 0 {
                                if let Some(inst) = l.instances.get_mut(i) {
                                    inst.tokens_until = inst.tokens_until.max(now + life);
                                }
                                let t = tokens.entry(dev).or_default();
                                *t = (*t).max(now + life);
                            }
                        }
                        Admission::Full { retry_after } => {
                            prop_assert!(retry_after.is_none_or(|s| s >= 1 && i64::from(s) <= grace));
                        }
                        granted => {
                            if let Admission::Move(i) = granted {
                                prop_assert!(l.freed.get(i).is_some_and(|f| !f.moved && f.until > now));
                                if let Some(f) = l.freed.get_mut(i) {
                                    f.moved = true;
                                }
                            }
                            l.take_seat(Instance {
                                id: n.to_string(),
                                name: String::new(),
                                device: Some(dev.clone()),
                                activated_at: String::new(),
                                tokens_until: if life > 0 { now + life } else { 0 },
                            });
                            if life > 0 {
                                let t = tokens.entry(dev).or_default();
                                *t = (*t).max(now + life);
                            }
                        }
                    }
                }
                SeatOp::Deactivate(i) => {
                    if !l.instances.is_empty() {
                        let id = l.instances[i % l.instances.len()].id.clone();
                        prop_assert!(l.free_seat(&id, now, true).is_some());
                    }
                }
                SeatOp::Verify => {
                    l.note_tokens(limit, now + grace);
                    for (i, inst) in l.instances.iter().enumerate() {
                        if !Ledger::over_limit(i, limit) {
                            if let Some(d) = &inst.device {
                                let t = tokens.entry(d.clone()).or_default();
                                *t = (*t).max(now + grace);
                            }
                        }
                    }
                }
                SeatOp::Wait(s) => now += s,
            }
            let live = tokens.values().filter(|exp| **exp > now).count() as u64;
            prop_assert!(live <= limit + 1, "{} devices hold live tokens, limit {}: {:?}", live, limit, l);
            prop_assert!(l.instances.len() as u64 <= limit);
        }
    }

    /// Within any hour, no more changes are let through than the limit.
    #[test]
    fn hourly_changes_never_exceed_the_limit(times in proptest::collection::vec(0i64..20_000, 0..200), limit in 1u32..40) {
        let mut times = times;
        times.sort_unstable();
        let mut l = Ledger::default();
        let mut granted: Vec<i64> = Vec::new();
        for t in times {
            match l.count_change(t, limit) {
                Ok(()) => granted.push(t),
                Err(wait) => prop_assert!((1..=3600).contains(&wait)),
            }
            let in_window = granted.iter().filter(|g| t - **g < 3600).count();
            prop_assert!(in_window <= limit as usize);
        }
    }

    #[test]
    fn device_fields_are_bounded(s in any_text()) {
        if let Ok(Some(f)) = check_fingerprint(Some(&s)) {
            prop_assert!(!f.is_empty() && f.chars().count() <= 512);
        }
        if let Ok(n) = check_instance_name(Some(&s)) {
            prop_assert!(n.chars().count() <= 100 && !n.chars().any(char::is_control));
        }
        if let Ok(id) = check_instance_id(Some(&s)) {
            prop_assert!(id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        }
    }
}
