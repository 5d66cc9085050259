//! URL encoding as Rails and Rack read it, written for the mock alone: the mock shares no code
//! with the client, so a misunderstanding of the wire format in one cannot hide in both.

/// Percent-encodes everything but RFC 3986 unreserved characters (what HTTParty does for
/// webhook bodies and what Gumroad echoes in `next_page_url`).
pub fn encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(input.len());
    for &b in input.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 0x0f) as usize] as char);
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%XX`, and `+` as a space when `plus_is_space` (form bodies and query strings, not
/// paths). Broken escapes stay as they are; invalid UTF-8 becomes U+FFFD (Rack is as lenient).
fn decode(input: &str, plus_is_space: bool) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'+' && plus_is_space {
            out.push(b' ');
            i += 1;
            continue;
        }
        if b == b'%' {
            if let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            ) {
                out.push((h << 4) | l);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One path segment (`+` is a plus there).
pub fn decode_path_segment(input: &str) -> String {
    decode(input, false)
}

/// `a=1&b=2` (query string or form body) as decoded pairs, in order.
pub fn parse_form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k, true), decode(v, true)),
            None => (decode(pair, true), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_tolerates_bad_escapes() {
        let raw = "a b+c=d&é/%";
        assert_eq!(
            parse_form(&format!("k={}", encode(raw))),
            vec![("k".into(), raw.into())]
        );
        assert_eq!(
            parse_form("a=1+2&b&c=%zz"),
            vec![
                ("a".into(), "1 2".into()),
                ("b".into(), String::new()),
                ("c".into(), "%zz".into())
            ]
        );
        assert_eq!(decode_path_segment("a+b%3D%3D"), "a+b==");
    }
}
