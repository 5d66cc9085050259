use serde_json::Value;

use super::ApiRequest;
use crate::http::Resp;
use crate::model::ResourceSubscription;
use crate::render;
use crate::state::State;

/// The resource names Gumroad accepts (`ResourceSubscription::VALID_RESOURCE_NAMES`).
pub const RESOURCE_NAMES: [&str; 8] = [
    "sale",
    "refund",
    "dispute",
    "dispute_won",
    "cancellation",
    "subscription_updated",
    "subscription_ended",
    "subscription_restarted",
];

/// Gumroad refuses non-http(s) URLs and loopback hosts; the mock allows loopback when started
/// with `--allow-loopback-webhooks`, so tests can receive deliveries.
pub fn post_url_ok(url: &str, allow_loopback: bool) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    if !matches!(scheme.to_ascii_lowercase().as_str(), "http" | "https") {
        return false;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or_default()
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return false;
    }
    allow_loopback
        || !matches!(
            host.to_ascii_lowercase().as_str(),
            "localhost" | "127.0.0.1" | "0.0.0.0"
        )
}

pub fn handle(
    state: &mut State,
    req: &ApiRequest,
    rest: &[&str],
    allow_loopback: bool,
) -> Result<Resp, Resp> {
    let caller = req.require(&["view_sales"])?.clone();
    match (req.method, rest) {
        ("GET", []) => {
            let name = req.params.text("resource_name").unwrap_or_default();
            if !RESOURCE_NAMES.contains(&name.as_str()) {
                return Ok(Resp::failure("Valid resource_name parameter required"));
            }
            let list: Vec<Value> = state
                .data
                .resource_subscriptions
                .iter()
                .filter(|r| {
                    r.seller_id == caller.seller_id
                        && r.app_id == caller.app_id
                        && r.resource_name == name
                })
                .map(render::resource_subscription)
                .collect();
            Ok(Resp::success("resource_subscriptions", Value::Array(list)))
        }
        ("PUT", []) => {
            let name = req.params.text("resource_name").unwrap_or_default();
            if !RESOURCE_NAMES.contains(&name.as_str()) {
                // Gumroad interpolates nil here.
                return Ok(Resp::failure("Unable to subscribe to ''."));
            }
            let url = req.params.text("post_url").unwrap_or_default();
            if !post_url_ok(&url, allow_loopback) {
                return Ok(Resp::failure(&format!("Invalid post URL '{url}'")));
            }
            let r = ResourceSubscription {
                id: state.new_id(),
                seller_id: caller.seller_id.clone(),
                app_id: caller.app_id.clone(),
                resource_name: name,
                post_url: url,
            };
            let body = render::resource_subscription(&r);
            state.data.resource_subscriptions.push(r);
            Ok(Resp::success("resource_subscription", body))
        }
        ("DELETE", [id]) => {
            // Only the OAuth app that created it may delete it.
            let Some(i) = state.data.resource_subscriptions.iter().position(|r| {
                r.id == *id && r.seller_id == caller.seller_id && r.app_id == caller.app_id
            }) else {
                return Ok(Resp::not_found("resource_subscription"));
            };
            state.data.resource_subscriptions.remove(i);
            Ok(Resp::deleted("resource_subscription"))
        }
        _ => Err(Resp::route_not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_url_rules() {
        assert!(post_url_ok("https://example.com/hook?t=1", false));
        assert!(post_url_ok("http://example.com", false));
        assert!(!post_url_ok("ftp://example.com", false));
        assert!(!post_url_ok("https://localhost/x", false));
        assert!(!post_url_ok("http://127.0.0.1:9/x", false));
        assert!(post_url_ok("http://127.0.0.1:9/x", true));
        assert!(!post_url_ok("not a url", true));
        assert!(!post_url_ok("https://", true));
    }
}
