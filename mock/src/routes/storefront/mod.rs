//! Storefront routes: user profile extras, pages, categories, help articles, refund policy,
//! product extras (comps, custom HTML, reviews, bundle contents, thumbnail, covers), upsells,
//! UTM links, emails and workflows.

mod catalog_info;
mod comps;
mod emails;
mod media_assets;
mod pages;
mod product_pages;
mod profile;
mod refund_policy;
pub mod router;
pub mod sanitize;
#[cfg(test)]
pub(crate) mod testutil;
mod upsells;
mod utm_links;
mod workflows;

use serde_json::Value;

use super::ApiRequest;
use crate::http::{Param, Resp};
use crate::model::Seller;
use crate::model_storefront::Profile;
use crate::state::{Caller, State};

// ---- scopes and owners ------------------------------------------------------------------------

/// Doorkeeper's check for `scope` (an `account` token passes), then Gumroad's
/// `require_oauth_scope!` (it does not): a `view_public` token gets the empty 403, an `account`
/// token the JSON 403.
fn require_strict<'a>(req: &'a ApiRequest, scope: &str) -> Result<&'a Caller, Resp> {
    req.require(&[scope])?;
    req.require_strict(scope)
}

/// The caller's seller record (a token always belongs to one).
fn seller<'a>(state: &'a State, caller: &Caller) -> Result<&'a Seller, Resp> {
    state
        .seller(&caller.seller_id)
        .ok_or_else(Resp::unauthorized)
}

/// The seller's storefront settings, or the defaults for a seller without an entry.
pub(crate) fn profile(state: &State, seller_id: &str) -> Profile {
    state
        .data
        .storefront
        .profiles
        .iter()
        .find(|p| p.seller_id == seller_id)
        .cloned()
        .unwrap_or_else(|| Profile {
            seller_id: seller_id.to_string(),
            ..Profile::default()
        })
}

fn profile_mut<'a>(state: &'a mut State, seller_id: &str) -> &'a mut Profile {
    let profiles = &mut state.data.storefront.profiles;
    let i = match profiles.iter().position(|p| p.seller_id == seller_id) {
        Some(i) => i,
        None => {
            profiles.push(Profile {
                seller_id: seller_id.to_string(),
                ..Profile::default()
            });
            profiles.len() - 1
        }
    };
    &mut profiles[i]
}

const UNCONFIRMED: &str = "You have to confirm your email address before you can do that.";
const NO_CUSTOM_HTML: &str = "You do not have access to custom HTML pages.";
/// `Page::MAX_CUSTOM_HTML_LENGTH`, counted in characters.
const MAX_CUSTOM_HTML: usize = 500_000;

fn custom_html_too_long() -> String {
    format!("custom_html is too long (maximum is {MAX_CUSTOM_HTML} characters).")
}

/// `https://<username>.gumroad.com`, or `None` for a seller without a username.
fn profile_url(s: &Seller) -> Option<String> {
    (!s.username.is_empty()).then(|| format!("https://{}.gumroad.com", s.username))
}

// ---- parameters as Rails sees them --------------------------------------------------------------

/// `params[:x].is_a?(String)`.
pub(crate) fn as_str(p: &Param) -> Option<&str> {
    match p {
        Param::Str(s) => Some(s),
        Param::Json(Value::String(s)) => Some(s),
        _ => None,
    }
}

/// Ruby's `present?`: not nil, not false, not a blank string, not an empty array or hash.
pub(crate) fn present(p: &Param) -> bool {
    match p {
        Param::Str(s) => !s.trim().is_empty(),
        Param::Json(v) => json_present(v),
    }
}

pub(crate) fn json_present(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// ActiveModel's boolean cast: `nil` for blank, `false` for `0 f false off` (any case), else true.
/// Used where Gumroad assigns a parameter to a boolean column or casts it explicitly; a JSON
/// `true` is true there (unlike the `== "true"` comparisons of older controllers).
pub(crate) fn ar_bool(p: &Param) -> Option<bool> {
    match p {
        Param::Json(Value::Null) => None,
        Param::Json(Value::Bool(b)) => Some(*b),
        Param::Json(Value::Number(n)) => Some(n.as_f64() != Some(0.0)),
        other => {
            let s = other.as_text();
            if s.is_empty() {
                return None;
            }
            Some(!matches!(
                s.to_ascii_lowercase().as_str(),
                "0" | "f" | "false" | "off"
            ))
        }
    }
}

/// An integer column assignment: Ruby's leading-integer parse of strings (`"12abc"` is 12,
/// `"abc"` is nil), JSON numbers truncated; `Err` when it overflows a 4-byte column
/// (Rails raises `ActiveModel::RangeError`).
pub(crate) fn ar_int(p: &Param) -> Result<Option<i64>, ()> {
    let v = match p {
        Param::Json(Value::Null) => return Ok(None),
        Param::Json(Value::Number(n)) => match n.as_i64() {
            Some(i) => Some(i),
            None => match n.as_f64() {
                Some(f) if f.is_finite() && f.abs() < 9.0e18 => Some(f.trunc() as i64),
                _ => return Err(()),
            },
        },
        Param::Json(Value::Bool(_))
        | Param::Json(Value::Array(_))
        | Param::Json(Value::Object(_)) => None,
        other => {
            let s = other.as_text();
            let t = s.trim_start();
            let (sign, digits) = match t.strip_prefix('-') {
                Some(rest) => (-1i64, rest),
                None => (1, t.strip_prefix('+').unwrap_or(t)),
            };
            let digits: String = digits.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.is_empty() {
                None
            } else {
                match digits.parse::<i64>() {
                    Ok(n) => Some(sign * n),
                    Err(_) => return Err(()),
                }
            }
        }
    };
    match v {
        Some(n) if n > i32::MAX as i64 || n < i32::MIN as i64 => Err(()),
        v => Ok(v),
    }
}

/// `errors.full_messages.to_sentence` (Rails' English connectors).
pub(crate) fn to_sentence(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

pub use crate::inflect::parameterize;

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether `url` names a public web host: http(s) (`//host` counts as https), a host name,
/// no loopback/private/link-local address or local-only name. The mock never fetches it.
fn public_url(url: &str) -> bool {
    let url = url.trim();
    let rest = if let Some(r) = url.strip_prefix("//") {
        r
    } else {
        match url.split_once("://") {
            Some((scheme, r))
                if matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") =>
            {
                r
            }
            _ => return false,
        }
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if let Some(v6) = host.strip_prefix('[') {
        v6.split(']')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    } else {
        host.split(':')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    let host = host.trim_end_matches('.');
    if host.is_empty() || host.contains(char::is_whitespace) {
        return false;
    }
    if host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
    {
        return false;
    }
    if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        let [a, b, ..] = ip.octets();
        return !(ip.is_loopback()
            || ip.is_private()
            || ip.is_link_local()
            || ip.is_unspecified()
            || ip.is_broadcast()
            || ip.is_multicast()
            || a >= 240
            || a == 0
            || (a == 100 && (64..128).contains(&b)));
    }
    if let Ok(ip) = host.parse::<std::net::Ipv6Addr>() {
        let first = ip.segments()[0];
        return !(ip.is_loopback()
            || ip.is_unspecified()
            || ip.is_multicast()
            || (first & 0xfe00) == 0xfc00
            || (first & 0xffc0) == 0xfe80
            || ip.to_ipv4_mapped().is_some());
    }
    // A dotless name resolves only inside a private network.
    host.contains('.')
}

// ---- time -----------------------------------------------------------------------------------------

/// A time as Rails' `Time.zone.parse` reads the usual API inputs: `YYYY-MM-DD`, optionally
/// `[T ]HH:MM[:SS[.fff]]`, optionally `Z`, `UTC` or `±HH[:]MM` (no zone: UTC). Unix seconds.
fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let num = |t: &str| -> Option<i64> {
        (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse().ok())
            .flatten()
    };
    let date = s.get(0..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (
        num(parts.next()?)?,
        num(parts.next()?)?,
        num(parts.next()?)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || date.len() != 10 {
        return None;
    }
    let mut rest = s.get(10..)?.trim_start_matches(['T', ' ']);
    let mut secs = 0;
    if !rest.is_empty() && rest.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        let end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
            .unwrap_or(rest.len());
        let clock = rest.get(..end)?;
        rest = rest.get(end..)?.trim_start();
        let clock = clock.split('.').next()?;
        let mut hms = clock.split(':');
        let h = num(hms.next()?)?;
        let mi = num(hms.next()?)?;
        let sec = match hms.next() {
            Some(v) => num(v)?,
            None => 0,
        };
        if h > 23 || mi > 59 || sec > 60 || hms.next().is_some() {
            return None;
        }
        secs = h * 3600 + mi * 60 + sec;
    }
    let offset = match rest {
        "" | "Z" | "UTC" | "GMT" | "+00:00" => 0,
        z => {
            let (sign, digits) = match z.split_at_checked(1)? {
                ("+", d) => (1, d),
                ("-", d) => (-1, d),
                _ => return None,
            };
            let digits = digits.replace(':', "");
            if digits.len() != 4 {
                return None;
            }
            let h = num(digits.get(0..2)?)?;
            let mi = num(digits.get(2..4)?)?;
            sign * (h * 3600 + mi * 60)
        }
    };
    // m and d were checked to be 1..=12 and 1..=31 above.
    Some(crate::dates::days_from_civil(y, m as u32, d as u32) * 86_400 + secs - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameterize_like_rails() {
        assert_eq!(parameterize("About  Me!"), "about-me");
        assert_eq!(parameterize("  Café & Crème "), "cafe-creme");
        assert_eq!(parameterize("!!!"), "");
        assert_eq!(parameterize("my_page"), "my_page");
    }

    #[test]
    fn sentences_and_casts() {
        let s = |v: &[&str]| to_sentence(&v.iter().map(|x| x.to_string()).collect::<Vec<_>>());
        assert_eq!(s(&["a"]), "a");
        assert_eq!(s(&["a", "b"]), "a and b");
        assert_eq!(s(&["a", "b", "c"]), "a, b, and c");
        assert_eq!(ar_bool(&Param::Str("false".into())), Some(false));
        assert_eq!(ar_bool(&Param::Str("".into())), None);
        assert_eq!(ar_bool(&Param::Json(Value::Bool(true))), Some(true));
        assert_eq!(ar_int(&Param::Str("12abc".into())), Ok(Some(12)));
        assert_eq!(ar_int(&Param::Str("abc".into())), Ok(None));
        assert_eq!(ar_int(&Param::Str("99999999999".into())), Err(()));
    }

    #[test]
    fn public_urls() {
        assert!(public_url("https://example.com/a.png"));
        assert!(public_url("//cdn.example.com/a.png"));
        for bad in [
            "ftp://example.com/a.png",
            "javascript:alert(1)",
            "http://localhost/a.png",
            "http://127.0.0.1/a.png",
            "http://10.1.2.3/a.png",
            "http://192.168.0.1/",
            "http://169.254.169.254/latest",
            "http://[::1]/",
            "http://intranet/",
            "https://",
        ] {
            assert!(!public_url(bad), "{bad}");
        }
    }

    /// Every route of this group in the reference's table (§19) answers as the API, never with
    /// the HTML 404 of an unknown route.
    #[test]
    fn every_storefront_route_is_served() {
        use super::testutil::{form, john, state};
        let routes = "PUT /user|PATCH /user|GET /user/theme|GET /user/profile_layout|GET /user/custom_html|\
            PUT /user/custom_html|PATCH /user/custom_html|POST /user/custom_html/edit|\
            POST /user/preview_custom_html|GET /pages|GET /pages/x|POST /pages|PUT /pages/x|\
            PATCH /pages/x|DELETE /pages/x|GET /categories|GET /help/articles|GET /help/articles/x|\
            GET /refund_policy|PUT /refund_policy|PATCH /refund_policy|GET /products/comps|\
            POST /products/x/preview_custom_html|GET /products/x/custom_html|\
            POST /products/x/custom_html/edit|GET /products/x/reviews|PUT /products/x/bundle_contents|\
            POST /products/x/thumbnail|DELETE /products/x/thumbnail|POST /products/x/covers|\
            DELETE /products/x/covers/y|GET /upsells|POST /upsells|GET /upsells/x|PUT /upsells/x|\
            PATCH /upsells/x|DELETE /upsells/x|GET /utm_links|POST /utm_links|GET /utm_links/x|\
            PUT /utm_links/x|PATCH /utm_links/x|DELETE /utm_links/x|PUT /utm_links/x/disable|\
            PUT /utm_links/x/enable|GET /emails|POST /emails|GET /emails/x|DELETE /emails/x|\
            POST /emails/x/preview|POST /emails/x/send|POST /emails/x/schedule|\
            POST /emails/x/unschedule|GET /workflows|GET /workflows/x|POST /workflows/x/emails|\
            PUT /workflows/x/emails/y";
        let mut s = state();
        for route in routes.split('|') {
            let (method, path) = route.trim().split_once(' ').unwrap_or_default();
            let (status, body) = form(&mut s, method, path, &[], john());
            assert!(
                (status == 200 || status == 400) && body.is_object(),
                "{route}: {status} {body}"
            );
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time("1970-01-02"), Some(86_400));
        assert_eq!(parse_time("1970-01-01T01:00:00Z"), Some(3600));
        assert_eq!(parse_time("1970-01-01 02:00:00 +01:00"), Some(3600));
        assert_eq!(
            parse_time("2026-01-01T00:00:00.123Z"),
            parse_time("2026-01-01")
        );
        assert_eq!(parse_time("not-a-time"), None);
        assert_eq!(parse_time("2026-13-01"), None);
    }
}
