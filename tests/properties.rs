//! Property tests ("fuzzing" with proptest; cargo-fuzz needs a nightly toolchain this project
//! does not have): arbitrary input to every parser must give a value or a typed error, never a
//! panic, and encoders must round-trip. `PROPTEST_CASES` sets the number of cases (make test
//! runs the default 256; `make fuzz` runs many more).
#![cfg(not(target_arch = "wasm32"))]

use gumroad_wasm::core::error::{Secret, Secrets};
use gumroad_wasm::core::license::{self, LicenseFacts, Policy};
use gumroad_wasm::core::ping;
use gumroad_wasm::core::request::{parse_form, percent_decode, percent_encode, BaseUrl, Form};
use gumroad_wasm::core::response::{interpret, Body, Envelope, Meta};
use gumroad_wasm::core::retry::parse_retry_after;
use gumroad_wasm::core::worker::{body_kind, normalize_key, parse_form_input, WorkerConfig};
use proptest::prelude::*;

fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        ".*",
        "[a-z%\\[\\]=&+0-9]{0,64}",
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
}
