//! Small helpers shared by the back-office routes: digests, Ruby-style number parsing, ids.

use base64::Engine;
use md5::{Digest, Md5};
use serde_json::Value;
use sha2::Sha256;

use crate::http::Param;
use crate::state::State;

pub fn md5_bytes(data: &[u8]) -> [u8; 16] {
    Md5::digest(data).into()
}

pub fn md5_hex(data: &[u8]) -> String {
    hex(&md5_bytes(data))
}

/// `Content-MD5` / ActiveStorage `checksum`: Base64 of the raw MD5.
#[cfg(test)]
pub fn md5_base64(data: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(md5_bytes(data))
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

pub fn sha256_hex(data: &[u8]) -> String {
    hex(&sha256(data))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .ok()
}

pub fn base64url(data: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(data)
}

/// Ruby's `String#to_i`: optional leading blanks and sign, then the leading digits; 0 when
/// there are none. JSON numbers are truncated, other JSON values are 0.
pub fn ruby_to_i(p: Option<&Param>) -> i64 {
    match p {
        None => 0,
        Some(Param::Json(Value::Number(n))) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .unwrap_or(0),
        Some(Param::Json(Value::String(s))) | Some(Param::Str(s)) => str_to_i(s),
        Some(Param::Json(_)) => 0,
    }
}

pub fn str_to_i(s: &str) -> i64 {
    let t = s.trim_start();
    let (neg, digits) = match (t.strip_prefix('-'), t.strip_prefix('+')) {
        (Some(rest), _) => (true, rest),
        (_, Some(rest)) => (false, rest),
        _ => (false, t),
    };
    let mut n: i64 = 0;
    for b in digits.bytes().take_while(u8::is_ascii_digit) {
        n = n.saturating_mul(10).saturating_add(i64::from(b - b'0'));
    }
    if neg {
        -n
    } else {
        n
    }
}

/// `n` pseudo-random characters from `alphabet` (deterministic, from the state's secret stream).
pub fn random_string(state: &mut State, alphabet: &[u8], n: usize) -> String {
    let mut out = String::with_capacity(n);
    let mut pool = 0u64;
    let mut left = 0;
    while out.len() < n {
        if left == 0 {
            pool = state.new_random();
            left = 8;
        }
        let idx = (pool % alphabet.len().max(1) as u64) as usize;
        pool /= alphabet.len().max(1) as u64;
        left -= 1;
        out.push(alphabet.get(idx).copied().unwrap_or(b'x') as char);
    }
    out
}

pub const LOWER_ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX_DIGITS: &[u8] = b"0123456789abcdef";

/// `$123.45`.
pub fn dollars(cents: u64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// `123.45`.
pub fn decimal(cents: u64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_and_ruby_to_i() {
        assert_eq!(md5_hex(b""), "d41d8cd98f00b204e9800998ecf8427e");
        assert_eq!(md5_base64(b""), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(str_to_i(" 12abc"), 12);
        assert_eq!(str_to_i("-3"), -3);
        assert_eq!(str_to_i("abc"), 0);
        assert_eq!(ruby_to_i(Some(&Param::Json(serde_json::json!(7.9)))), 7);
        assert_eq!(dollars(15_000), "$150.00");
        assert_eq!(decimal(5), "0.05");
    }
}
