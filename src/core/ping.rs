//! Gumroad webhook ("ping") bodies: form-encoded with Rails/HTTParty bracket keys
//! (`card[visual]`, `purchase_ids[]`, `old_plan[tier][id]`) turned into a tree, with the fields
//! Gumroad documents as booleans and numbers typed, and the event kind decided.

use super::error::Error;
use super::request::percent_decode;
use super::text::cat;

/// Bodies above this are refused (a real ping is a few KB).
pub const MAX_PING_BYTES: usize = 256 * 1024;
const MAX_FIELDS: usize = 2_000;
const MAX_DEPTH: usize = 8;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Node>),
    Map(Vec<(String, Node)>),
}

/// A ping as data for any serde serializer (the wasm build hands it to JS with
/// serde-wasm-bindgen): maps keep their field order, numbers stay numbers.
impl serde::Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Node::Null => s.serialize_unit(),
            Node::Bool(b) => s.serialize_bool(*b),
            Node::Num(n) => s.serialize_f64(*n),
            Node::Str(v) => s.serialize_str(v),
            Node::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Node::Map(fields) => {
                let mut map = s.serialize_map(Some(fields.len()))?;
                for (k, v) in fields {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Event kinds, as `resource_name` names them. The seller's own Ping URL receives sales only
/// and carries no `resource_name`.
pub const EVENT_TYPES: [&str; 8] = [
    "sale",
    "refund",
    "dispute",
    "dispute_won",
    "cancellation",
    "subscription_updated",
    "subscription_ended",
    "subscription_restarted",
];

const BOOL_KEYS: &[&str] = &[
    "refunded",
    "disputed",
    "dispute_won",
    "test",
    "can_contact",
    "discover_fee_charged",
    "is_gift_receiver_purchase",
    "is_multiseat_license",
    "is_recurring_charge",
    "is_preorder_authorization",
    "cancelled",
    "cancelled_by_buyer",
    "cancelled_by_seller",
    "cancelled_by_admin",
    "cancelled_due_to_payment_failures",
    "chargebacked",
];
const NUM_KEYS: &[&str] = &[
    "price",
    "gumroad_fee",
    "quantity",
    "order_number",
    "affiliate_credit_amount_cents",
    "retry_count",
    "charge_occurrence_count",
    "price_cents",
    "shipping_rate",
    "gift_price",
];

fn malformed(msg: &str) -> Error {
    Error::invalid_argument(cat(&["malformed ping: ", msg]))
}

/// Splits `a[b][c]` into `["a","b","c"]` and `a[]` into `["a",""]`.
fn key_path(key: &str) -> Result<Vec<String>, Error> {
    let (head, mut rest) = match key.find('[') {
        Some(i) => key.split_at(i),
        None => (key, ""),
    };
    if head.is_empty() {
        return Err(malformed("a key starts with '['"));
    }
    let mut path = vec![unescape_brackets(head)];
    while !rest.is_empty() {
        let inner = rest
            .strip_prefix('[')
            .and_then(|r| r.split_once(']'))
            .ok_or_else(|| malformed("unbalanced brackets in a key"))?;
        path.push(unescape_brackets(inner.0));
        rest = inner.1;
        if path.len() > MAX_DEPTH {
            return Err(malformed("keys nest too deeply"));
        }
    }
    Ok(path)
}

/// Gumroad pre-escapes literal brackets in key names as `%5B`/`%5D`.
fn unescape_brackets(s: &str) -> String {
    s.replace("%5B", "[").replace("%5D", "]")
}

fn typed(key: &str, value: String) -> Node {
    if BOOL_KEYS.contains(&key) {
        return match value.as_str() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            "" => Node::Null,
            _ => Node::Str(value),
        };
    }
    if NUM_KEYS.contains(&key) {
        if value.is_empty() {
            return Node::Null;
        }
        return match value.parse::<f64>() {
            Ok(n) if n.is_finite() => Node::Num(n),
            _ => Node::Str(value),
        };
    }
    if value.is_empty() {
        // HTTParty sends nil as an empty value.
        return Node::Null;
    }
    Node::Str(value)
}

fn insert(map: &mut Vec<(String, Node)>, path: &[String], value: String) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    if rest.is_empty() {
        let v = typed(first, value);
        match map.iter_mut().find(|(k, _)| k == first) {
            Some(slot) => slot.1 = v,
            None => map.push((first.clone(), v)),
        }
        return;
    }
    let idx = match map.iter().position(|(k, _)| k == first) {
        Some(i) => i,
        None => {
            map.push((first.clone(), Node::Null));
            map.len() - 1
        }
    };
    let Some(slot) = map.get_mut(idx) else {
        return;
    };
    // `key[]` appends to a list; anything else nests a map (a later shape wins over an
    // earlier scalar, as in Rails).
    if rest.len() == 1 && rest.first().is_some_and(|r| r.is_empty()) {
        if !matches!(slot.1, Node::List(_)) {
            slot.1 = Node::List(Vec::new());
        }
        if let Node::List(items) = &mut slot.1 {
            items.push(typed(first, value));
        }
        return;
    }
    if !matches!(slot.1, Node::Map(_)) {
        slot.1 = Node::Map(Vec::new());
    }
    if let Node::Map(inner) = &mut slot.1 {
        insert(inner, rest, value);
    }
}

/// Parses a form-encoded ping body into its fields.
pub fn parse_form(body: &str) -> Result<Vec<(String, Node)>, Error> {
    if body.len() > MAX_PING_BYTES {
        return Err(malformed("body is too large"));
    }
    if body.trim().is_empty() {
        return Err(malformed("empty body"));
    }
    let mut fields = Vec::new();
    for (n, pair) in body.split('&').filter(|p| !p.is_empty()).enumerate() {
        if n >= MAX_FIELDS {
            return Err(malformed("too many fields"));
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        // One decode yields real brackets for nesting and `%5B`/`%5D` for the literal brackets
        // Gumroad pre-escaped (restored by unescape_brackets).
        let key = percent_decode(k);
        let path = key_path(&key)?;
        insert(&mut fields, &path, percent_decode(v));
    }
    Ok(fields)
}

/// The event kind of a ping from its `resource_name` (absent: a seller Ping, always a sale).
pub fn event_type(resource_name: Option<&str>) -> Result<&'static str, Error> {
    match resource_name {
        None | Some("") => Ok("sale"),
        Some(r) => EVENT_TYPES
            .iter()
            .find(|t| **t == r)
            .copied()
            .ok_or_else(|| malformed(&cat(&["unknown resource_name `", r, "`"]))),
    }
}

/// Which body format a `Content-Type` announces.
pub fn is_json(content_type: Option<&str>) -> Result<bool, Error> {
    let ct = content_type
        .unwrap_or("application/x-www-form-urlencoded")
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match ct.as_str() {
        "application/json" => Ok(true),
        "application/x-www-form-urlencoded" | "" => Ok(false),
        other => Err(Error::invalid_argument(cat(&[
            "unsupported ping content type `",
            other,
            "`",
        ]))),
    }
}

pub fn get<'a>(fields: &'a [(String, Node)], key: &str) -> Option<&'a Node> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_support::fixture;

    fn str_of<'a>(f: &'a [(String, Node)], k: &str) -> Option<&'a str> {
        match get(f, k) {
            Some(Node::Str(s)) => Some(s),
            _ => None,
        }
    }

    #[test]
    fn sale_ping_fixture() {
        let f = parse_form(&fixture("ping_sale.form")).unwrap();
        assert_eq!(str_of(&f, "sale_id"), Some("FO8TXN-dvxYabdavG97Y-Q=="));
        assert_eq!(get(&f, "price"), Some(&Node::Num(500.0)));
        assert_eq!(get(&f, "refunded"), Some(&Node::Bool(false)));
        assert_eq!(str_of(&f, "Twitter handle"), Some("@calvin"));
        let Some(Node::Map(card)) = get(&f, "card") else {
            panic!("card")
        };
        assert_eq!(
            get(card, "visual"),
            Some(&Node::Str("**** **** **** 4242".into()))
        );
        assert_eq!(get(card, "bin"), Some(&Node::Null));
        let Some(Node::Map(v)) = get(&f, "variants") else {
            panic!("variants")
        };
        assert_eq!(get(v, "colors"), Some(&Node::Str("red".into())));
        assert_eq!(event_type(str_of(&f, "resource_name")).unwrap(), "sale");
    }

    #[test]
    fn subscription_pings() {
        let f = parse_form(&fixture("ping_cancellation.form")).unwrap();
        assert_eq!(
            event_type(str_of(&f, "resource_name")).unwrap(),
            "cancellation"
        );
        let Some(Node::List(ids)) = get(&f, "purchase_ids") else {
            panic!("purchase_ids")
        };
        assert_eq!(ids.len(), 2);
        assert_eq!(get(&f, "cancelled"), Some(&Node::Bool(true)));
        assert_eq!(get(&f, "charge_occurrence_count"), Some(&Node::Null));
        let f = parse_form(&fixture("ping_subscription_updated.form")).unwrap();
        let Some(Node::Map(old)) = get(&f, "old_plan") else {
            panic!("old_plan")
        };
        assert_eq!(get(old, "price_cents"), Some(&Node::Num(500.0)));
        let Some(Node::Map(tier)) = get(old, "tier") else {
            panic!("tier")
        };
        assert_eq!(get(tier, "name"), Some(&Node::Str("Basic".into())));
        for (file, kind) in [
            ("ping_refund.form", "refund"),
            ("ping_subscription_ended.form", "subscription_ended"),
        ] {
            let f = parse_form(&fixture(file)).unwrap();
            assert_eq!(event_type(str_of(&f, "resource_name")).unwrap(), kind);
        }
    }

    #[test]
    fn pre_escaped_brackets_in_custom_keys_survive() {
        let f = parse_form("custom_fields%5BSize%255Bcm%255D%5D=42&a%255Bb%255D=1").unwrap();
        let Some(Node::Map(cf)) = get(&f, "custom_fields") else {
            panic!()
        };
        assert_eq!(get(cf, "Size[cm]"), Some(&Node::Str("42".into())));
        assert_eq!(str_of(&f, "a[b]"), Some("1"));
    }

    #[test]
    fn malformed_bodies_are_clear_errors() {
        for bad in [
            "",
            "   ",
            "%5Bx%5D=1",
            "a%5Bb=1",
            &format!("a%5Bb%5D{}=1", "%5Bc%5D".repeat(9)),
        ] {
            let e = parse_form(bad).unwrap_err();
            assert!(
                e.message.starts_with("malformed ping"),
                "{bad}: {}",
                e.message
            );
        }
        assert!(parse_form(&"a=1&".repeat(MAX_FIELDS + 1)).is_err());
        assert!(event_type(Some("nope")).is_err());
        assert!(is_json(Some("text/plain")).is_err());
        assert!(is_json(Some("application/json; charset=utf-8")).unwrap());
        assert!(!is_json(None).unwrap());
    }

    #[test]
    fn later_shapes_win_and_scalars_are_typed() {
        let f = parse_form("a=1&a%5Bb%5D=2&price=abc&test=true").unwrap();
        let Some(Node::Map(a)) = get(&f, "a") else {
            panic!()
        };
        assert_eq!(get(a, "b"), Some(&Node::Str("2".into())));
        assert_eq!(get(&f, "price"), Some(&Node::Str("abc".into())));
        assert_eq!(get(&f, "test"), Some(&Node::Bool(true)));
    }
}
