//! The HTML pages of the OAuth flows (consent, device approval, errors) and the session-based
//! pages the mock can only describe.

use crate::http::Resp;
use crate::state::State;

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

pub fn page(status: u16, title: &str, body: &str) -> Resp {
    Resp::html(
        status,
        &format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{} - Gumroad</title></head><body><main>\n<h1>{}</h1>\n{body}\n</main></body></html>",
            escape(title),
            escape(title)
        ),
    )
    .header("Cache-Control", "no-store")
    .header("X-Robots-Tag", "noindex")
}

/// A hidden form field.
pub fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
        escape(name),
        escape(value)
    )
}

/// The mock's stand-in for Gumroad's login: a select of the sellers of the data set.
pub fn seller_select(state: &State, selected: Option<&str>) -> String {
    let options: String = state
        .data
        .sellers
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let chosen = selected.map_or(i == 0, |sel| sel == s.user_id);
            format!(
                "<option value=\"{}\"{}>{}</option>",
                escape(&s.user_id),
                if chosen { " selected" } else { "" },
                escape(s.name.as_deref().unwrap_or(&s.username))
            )
        })
        .collect();
    format!("<label>Signed in as <select name=\"seller_id\">{options}</select></label>")
}

/// `GET /oauth/applications` and `/oauth/authorized_applications` (session pages on Gumroad).
pub fn applications(state: &State, path: &str) -> Resp {
    let rows: String = state
        .data
        .office
        .oauth_apps
        .iter()
        .map(|a| {
            format!(
                "<li>{} (<code>{}</code>)</li>",
                escape(&a.name),
                escape(&a.uid)
            )
        })
        .collect();
    let title = if path.contains("authorized") {
        "Your authorized applications"
    } else {
        "Your applications"
    };
    page(200, title, &format!("<ul>{rows}</ul>"))
}

pub fn login() -> Resp {
    page(
        200,
        "Log in",
        "<p>gumroad-mock has no login: consent and device pages act for John Smith unless a <code>seller_id</code> is chosen.</p>",
    )
}

pub fn first_party() -> Resp {
    page(
        200,
        "Gumroad",
        "<p>This page belongs to Gumroad's own mobile app.</p>",
    )
}
