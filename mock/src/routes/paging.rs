//! Gumroad's `page_key` cursors: `<created_at as YYYYMMDDHHMMSS + 6-digit usec>-<numeric id>`,
//! items newest first, `next_page_key`/`next_page_url` only when another page exists.

use crate::http::{Params, Resp};

/// The sort key of an item: compact timestamp and numeric id.
pub type Key = (String, u64);

pub fn key_of(created_at: &str, numeric_id: u64) -> Key {
    let digits: String = created_at
        .chars()
        .filter(|c| c.is_ascii_digit())
        .take(14)
        .collect();
    (format!("{digits:0<14}000000"), numeric_id)
}

pub fn format_key(k: &Key) -> String {
    format!("{}-{}", k.0, k.1)
}

pub fn parse_key(s: &str) -> Option<Key> {
    let (ts, id) = s.split_once('-')?;
    if ts.len() != 20 || !ts.bytes().all(|b| b.is_ascii_digit()) || id.is_empty() {
        return None;
    }
    Some((ts.to_string(), id.parse().ok()?))
}

/// A stable numeric id for objects that only have an external id.
pub fn numeric_id(external: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in external.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h % 1_000_000_000
}

pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Key>,
}

/// Pages `items` (already sorted newest first) after `page_key` or by deprecated `page`.
pub fn paginate<T>(
    mut items: Vec<(Key, T)>,
    params: &Params,
    per_page: usize,
) -> Result<Page<T>, Resp> {
    items.sort_by(|a, b| b.0.cmp(&a.0));
    let start = if let Some(pk) = params.text("page_key") {
        let key = parse_key(&pk).ok_or_else(|| Resp::bad_request("Invalid page_key."))?;
        items
            .iter()
            .position(|(k, _)| *k < key)
            .unwrap_or(items.len())
    } else if let Some(page) = params.text("page") {
        match page.parse::<usize>() {
            Ok(n) if n >= 1 => (n - 1).saturating_mul(per_page).min(items.len()),
            _ => {
                return Err(Resp::bad_request(
                    "Invalid page number. Page numbers start at 1.",
                ))
            }
        }
    } else {
        0
    };
    let mut rest: Vec<(Key, T)> = items.into_iter().skip(start).collect();
    let more = rest.len() > per_page;
    rest.truncate(per_page);
    let next = if more {
        rest.last().map(|(k, _)| k.clone())
    } else {
        None
    };
    Ok(Page {
        items: rest.into_iter().map(|(_, t)| t).collect(),
        next,
    })
}

/// `next_page_url`: the incoming path and query with `access_token`, `page` and `page_key`
/// removed, keys sorted, and `page_key` re-added (relative; no `/gumroad` prefix behind Maton).
pub fn next_url(path: &str, params: &Params, next: &Key) -> String {
    let mut pairs: Vec<(String, String)> = params
        .0
        .iter()
        .filter(|(k, _)| {
            !matches!(
                k.as_str(),
                "access_token" | "bearer_token" | "page" | "page_key"
            )
        })
        .map(|(k, v)| (k.clone(), v.as_text()))
        .collect();
    pairs.push(("page_key".into(), format_key(next)));
    pairs.sort();
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", crate::urlenc::encode(k), crate::urlenc::encode(v)))
        .collect();
    format!("/v2{path}?{}", query.join("&"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_reject_garbage() {
        let k = key_of("2021-01-24T05:05:05Z", 88302615);
        assert_eq!(format_key(&k), "20210124050505000000-88302615");
        assert_eq!(parse_key("20210124050505000000-88302615"), Some(k));
        for bad in [
            "",
            "x",
            "2021-1",
            "20210124050505000000-",
            "2021012405050500000a-1",
        ] {
            assert_eq!(parse_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn pages_follow_keys() {
        let items: Vec<(Key, u64)> = (0..25)
            .map(|i| (key_of(&format!("2021-01-{:02}T00:00:00Z", i + 1), i), i))
            .collect();
        let p1 = paginate(items.clone(), &Params::default(), 10).unwrap();
        assert_eq!(p1.items.first(), Some(&24));
        let mut params = Params::default();
        params.insert_form(vec![(
            "page_key".into(),
            format_key(p1.next.as_ref().unwrap()),
        )]);
        let p2 = paginate(items.clone(), &params, 10).unwrap();
        assert_eq!(p2.items, (5..15).rev().collect::<Vec<_>>());
        let mut params = Params::default();
        params.insert_form(vec![(
            "page_key".into(),
            format_key(p2.next.as_ref().unwrap()),
        )]);
        let p3 = paginate(items, &params, 10).unwrap();
        assert_eq!(p3.items.len(), 5);
        assert!(p3.next.is_none());
    }
}
