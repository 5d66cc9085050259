//! A small stand-in for Gumroad's page sanitizer (`Ai::PageSanitizer.sanitize_with_report`) and
//! its whitespace-tolerant snippet matcher (`Ai::CustomHtmlSnippetMatcher`).
//!
//! It removes what a test is likely to send on purpose: `<script>` and other active or
//! non-allowlisted elements (with their content), `<meta http-equiv="refresh">`, event handler
//! attributes (`on*`), `javascript:` and `data:` URLs (except `data:image/...` on `src`), and
//! `target` values that navigate another frame. Everything else is copied as written.

use serde_json::{json, Map, Value};

/// Gumroad lists at most this many removals; `truncated` says when there were more.
const REPORT_LIMIT: usize = 100;

const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "button",
    "canvas",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "main",
    "map",
    "mark",
    "menu",
    "meter",
    "nav",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
    "path",
    "circle",
    "rect",
    "line",
    "polyline",
    "polygon",
    "ellipse",
    "g",
    "defs",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
];
/// Unwrapped (tags dropped, content kept) without being reported, as Gumroad does.
const WRAPPER_TAGS: &[&str] = &["html", "head", "body"];
const VOID_TAGS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose content is raw text up to the matching end tag.
const RAW_TEXT_TAGS: &[&str] = &["script", "style", "textarea", "title", "noscript", "xmp"];
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "xlink:href",
];

#[derive(Debug, Default, Clone)]
pub struct Report {
    removed_tags: Vec<Value>,
    removed_attributes: Vec<Value>,
    total: usize,
}

impl Report {
    fn tag(&mut self, tag: &str, attrs: &[Attr], reason: &str) {
        self.total += 1;
        if self.removed_tags.len() + self.removed_attributes.len() < REPORT_LIMIT {
            let mut a = Map::new();
            for at in attrs {
                a.insert(at.name.clone(), json!(at.value));
            }
            self.removed_tags
                .push(json!({"tag": tag, "attrs": a, "reason": reason}));
        }
    }
    fn attribute(&mut self, tag: &str, attr: &Attr, reason: &str) {
        self.total += 1;
        if self.removed_tags.len() + self.removed_attributes.len() < REPORT_LIMIT {
            self.removed_attributes.push(
                json!({"tag": tag, "attribute": attr.name, "value": attr.value, "reason": reason}),
            );
        }
    }
    pub fn to_json(&self) -> Value {
        json!({
            "removed_tags": self.removed_tags,
            "removed_attributes": self.removed_attributes,
            "total_removed": self.total,
            "truncated": self.total > self.removed_tags.len() + self.removed_attributes.len(),
        })
    }
}

/// `Ai::PageSanitizer.empty_report`.
pub fn empty_report() -> Value {
    Report::default().to_json()
}

#[derive(Debug, Clone)]
struct Attr {
    name: String,
    value: String,
    /// The attribute as written, copied back when kept.
    raw: String,
}

struct Tag {
    name: String,
    attrs: Vec<Attr>,
    self_closing: bool,
    /// Byte offset just past the `>`.
    end: usize,
}

/// Parses the start tag at `at` (which holds `<` followed by a letter).
fn parse_start_tag(html: &str, at: usize) -> Option<Tag> {
    let bytes = html.as_bytes();
    let mut i = at + 1;
    let name_start = i;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b':' | b'_'))
    {
        i += 1;
    }
    let name = html.get(name_start..i)?.to_ascii_lowercase();
    let mut attrs = vec![];
    let mut self_closing = false;
    loop {
        while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match bytes.get(i) {
            None => return None,
            Some(b'>') => {
                i += 1;
                break;
            }
            Some(b'/') => {
                if bytes.get(i + 1) == Some(&b'>') {
                    self_closing = true;
                    i += 2;
                    break;
                }
                i += 1;
                continue;
            }
            _ => {}
        }
        let a_start = i;
        while bytes
            .get(i)
            .is_some_and(|b| !b.is_ascii_whitespace() && !matches!(b, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        if i == a_start {
            // A stray `=`: skip it.
            i += 1;
            continue;
        }
        let name = html.get(a_start..i)?.to_ascii_lowercase();
        let mut j = i;
        while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
            j += 1;
        }
        let mut value = String::new();
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            while bytes.get(j).is_some_and(u8::is_ascii_whitespace) {
                j += 1;
            }
            match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let v_start = j + 1;
                    let close = html.get(v_start..)?.find(q as char)? + v_start;
                    value = html.get(v_start..close)?.to_string();
                    j = close + 1;
                }
                _ => {
                    let v_start = j;
                    while bytes
                        .get(j)
                        .is_some_and(|b| !b.is_ascii_whitespace() && *b != b'>')
                    {
                        j += 1;
                    }
                    value = html.get(v_start..j)?.to_string();
                }
            }
            i = j;
        }
        attrs.push(Attr {
            name,
            value,
            raw: html.get(a_start..i)?.to_string(),
        });
    }
    Some(Tag {
        name,
        attrs,
        self_closing,
        end: i,
    })
}

/// The byte offset just past the end tag closing the element `name` whose content starts at
/// `from` (nested elements of the same name counted), or the end of the input.
fn element_end(html: &str, name: &str, from: usize) -> usize {
    let lower = html.to_ascii_lowercase();
    let open = format!("<{name}");
    let close = format!("</{name}");
    let raw = RAW_TEXT_TAGS.contains(&name);
    let mut depth = 1;
    let mut i = from;
    while let Some(rest) = lower.get(i..) {
        let next_close = rest.find(&close);
        let next_open = if raw { None } else { rest.find(&open) };
        match (next_open, next_close) {
            (Some(o), Some(c)) if o < c => {
                depth += 1;
                i += o + open.len();
            }
            (_, Some(c)) => {
                depth -= 1;
                let after = i + c + close.len();
                let gt = lower.get(after..).and_then(|r| r.find('>'));
                i = gt.map(|g| after + g + 1).unwrap_or(lower.len());
                if depth == 0 {
                    return i;
                }
            }
            (_, None) => break,
        }
    }
    html.len()
}

fn normalize_url(v: &str) -> String {
    let decoded = v
        .replace("&colon;", ":")
        .replace("&#58;", ":")
        .replace("&#x3a;", ":")
        .replace("&#x3A;", ":")
        .replace("%3a", ":")
        .replace("%3A", ":");
    decoded
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Why an attribute is removed, if it is.
fn attribute_problem(tag: &str, a: &Attr) -> Option<&'static str> {
    if a.name.starts_with("on") {
        // [unverified] Gumroad's report lists reasons such as "javascript: URL blocked"; the
        // wording for event handlers is not in the reference.
        return Some("event handler attribute blocked");
    }
    if URL_ATTRIBUTES.contains(&a.name.as_str()) {
        let url = normalize_url(&a.value);
        if url.starts_with("javascript:") || url.starts_with("vbscript:") {
            return Some("javascript: URL blocked");
        }
        if url.starts_with("data:")
            && !(a.name == "src"
                && url.starts_with("data:image/")
                && !url.starts_with("data:image/svg"))
        {
            return Some("data: URL blocked");
        }
    }
    if a.name == "target" && tag != "form" {
        let t = a.value.trim().to_ascii_lowercase();
        if t == "_top" || t == "_parent" {
            return Some("target navigation blocked");
        }
    }
    None
}

/// Sanitizes `html`; returns the cleaned HTML and the report (as JSON).
pub fn sanitize(html: &str) -> (String, Value) {
    let mut report = Report::default();
    let mut out = String::with_capacity(html.len());
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < html.len() {
        let Some(rel) = html.get(i..).and_then(|r| r.find('<')) else {
            out.push_str(html.get(i..).unwrap_or_default());
            break;
        };
        let lt = i + rel;
        out.push_str(html.get(i..lt).unwrap_or_default());
        let rest = html.get(lt..).unwrap_or_default();
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map(|e| lt + e + 3).unwrap_or(html.len());
            out.push_str(html.get(lt..end).unwrap_or_default());
            i = end;
            continue;
        }
        let next = bytes.get(lt + 1).copied();
        if matches!(next, Some(b'!') | Some(b'?')) {
            let end = rest.find('>').map(|e| lt + e + 1).unwrap_or(html.len());
            out.push_str(html.get(lt..end).unwrap_or_default());
            i = end;
            continue;
        }
        if next == Some(b'/') {
            let end = rest.find('>').map(|e| lt + e + 1).unwrap_or(html.len());
            let name: String = rest
                .get(2..)
                .unwrap_or_default()
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect::<String>()
                .to_ascii_lowercase();
            // End tags of unwrapped or removed elements disappear with them.
            if ALLOWED_TAGS.contains(&name.as_str()) {
                out.push_str(html.get(lt..end).unwrap_or_default());
            }
            i = end;
            continue;
        }
        if !next.is_some_and(|b| b.is_ascii_alphabetic()) {
            out.push('<');
            i = lt + 1;
            continue;
        }
        let Some(tag) = parse_start_tag(html, lt) else {
            // An unterminated tag: nothing after it can be trusted.
            report.tag("#text", &[], "tag not in allowlist");
            break;
        };
        let name = tag.name.as_str();
        if WRAPPER_TAGS.contains(&name) {
            i = tag.end;
            continue;
        }
        let refresh = name == "meta"
            && tag
                .attrs
                .iter()
                .any(|a| a.name == "http-equiv" && a.value.trim().eq_ignore_ascii_case("refresh"));
        if refresh || !ALLOWED_TAGS.contains(&name) {
            let reason = if refresh {
                "meta refresh blocked"
            } else {
                "tag not in allowlist"
            };
            report.tag(name, &tag.attrs, reason);
            i = if tag.self_closing || VOID_TAGS.contains(&name) {
                tag.end
            } else {
                element_end(html, name, tag.end)
            };
            continue;
        }
        out.push('<');
        out.push_str(html.get(lt + 1..lt + 1 + name.len()).unwrap_or(name));
        for a in &tag.attrs {
            match attribute_problem(name, a) {
                Some(reason) => report.attribute(name, a, reason),
                None => {
                    out.push(' ');
                    out.push_str(&a.raw);
                }
            }
        }
        out.push_str(if tag.self_closing { " />" } else { ">" });
        i = tag.end;
        if RAW_TEXT_TAGS.contains(&name) && !tag.self_closing {
            // Copy raw text verbatim: `<` inside a style element is not markup.
            let close = element_end(html, name, tag.end);
            out.push_str(html.get(tag.end..close).unwrap_or_default());
            i = close;
        }
    }
    (out, report.to_json())
}

/// `Pages::BuyAffordance.missing?`: no element with `data-gumroad-action="buy"` and no
/// `gumroad:checkout` message in the page.
pub fn buy_affordance_missing(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    !(compact.contains("data-gumroad-action=\"buy\"")
        || compact.contains("data-gumroad-action='buy'")
        || compact.contains("data-gumroad-action=buy")
        || lower.contains("gumroad:checkout"))
}

/// The byte ranges where `needle` occurs in `haystack` (non-overlapping, left to right), where
/// any run of whitespace in `needle` matches any non-empty run of whitespace (including
/// non-breaking spaces) in `haystack`.
pub fn find_tolerant(haystack: &str, needle: &str) -> Vec<(usize, usize)> {
    let pattern: Vec<Option<char>> = {
        let mut p = vec![];
        let mut in_ws = false;
        for c in needle.chars() {
            if c.is_whitespace() {
                if !in_ws {
                    p.push(None);
                }
                in_ws = true;
            } else {
                p.push(Some(c));
                in_ws = false;
            }
        }
        p
    };
    if pattern.iter().all(Option::is_none) {
        return vec![];
    }
    let chars: Vec<(usize, char)> = haystack.char_indices().collect();
    let match_at = |start: usize| -> Option<usize> {
        let mut k = start;
        for p in &pattern {
            match p {
                Some(c) => {
                    if chars.get(k).map(|(_, h)| h) != Some(c) {
                        return None;
                    }
                    k += 1;
                }
                None => {
                    if !chars.get(k).is_some_and(|(_, h)| h.is_whitespace()) {
                        return None;
                    }
                    while chars.get(k).is_some_and(|(_, h)| h.is_whitespace()) {
                        k += 1;
                    }
                }
            }
        }
        Some(k)
    };
    let mut found = vec![];
    let mut s = 0;
    while s < chars.len() {
        match match_at(s) {
            Some(e) if e > s => {
                let from = chars.get(s).map(|(b, _)| *b).unwrap_or(haystack.len());
                let to = chars.get(e).map(|(b, _)| *b).unwrap_or(haystack.len());
                found.push((from, to));
                s = e;
            }
            _ => s += 1,
        }
    }
    found
}

/// `Pages::CustomHtmlWriter.replace!`: blank (or HTML that sanitizes to nothing) unpublishes.
/// Returns the new page and the report.
pub fn replace_page(custom_html: Option<&str>) -> (Option<String>, Value) {
    match custom_html {
        Some(h) if !h.trim().is_empty() => {
            let (clean, report) = sanitize(h);
            ((!clean.trim().is_empty()).then_some(clean), report)
        }
        _ => (None, empty_report()),
    }
}

/// `Pages::CustomHtmlWriter.edit!`: replaces the one place `find` matches (whitespace-tolerant)
/// and re-sanitizes the whole page. `Err` carries Gumroad's message.
pub fn edit_page(
    previous: Option<&str>,
    find: &str,
    replace: &str,
    max_len: usize,
) -> Result<(Option<String>, Value), String> {
    let Some(prev) = previous.filter(|p| !p.trim().is_empty()) else {
        return Err("There is no custom HTML page to edit. Publish one first with the full custom_html update.".into());
    };
    let found = find_tolerant(prev, find);
    let (from, to) = match found.as_slice() {
        [] => return Err("find does not appear in the current custom HTML. Re-read the page and copy the snippet exactly, including whitespace.".into()),
        [one] => *one,
        many => {
            return Err(format!(
                "find matches {} places in the current custom HTML. Include more surrounding context so it matches exactly once.",
                many.len()
            ))
        }
    };
    let edited = format!(
        "{}{}{}",
        prev.get(..from).unwrap_or_default(),
        replace,
        prev.get(to..).unwrap_or_default()
    );
    if edited.chars().count() > max_len {
        return Err(format!(
            "The edited custom_html would be too long (maximum is {max_len} characters)."
        ));
    }
    let (clean, report) = sanitize(&edited);
    Ok(((!clean.trim().is_empty()).then_some(clean), report))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_scripts_handlers_and_bad_urls_and_reports_them() {
        let (html, report) = sanitize(
            "<html><body><h1 onclick=\"x()\" class=\"t\">Hi</h1><script>alert('<p>')</script>\
             <a href=\"javascript:alert(1)\" target=\"_top\">x</a><img src=\"data:image/png;base64,AA\">\
             <meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\"></body></html>",
        );
        assert_eq!(
            html,
            "<h1 class=\"t\">Hi</h1><a>x</a><img src=\"data:image/png;base64,AA\">"
        );
        assert_eq!(report["total_removed"], 5);
        assert_eq!(report["truncated"], false);
        let reasons: Vec<&str> = report["removed_tags"]
            .as_array()
            .unwrap()
            .iter()
            .chain(report["removed_attributes"].as_array().unwrap())
            .filter_map(|e| e["reason"].as_str())
            .collect();
        assert!(reasons.contains(&"tag not in allowlist"));
        assert!(reasons.contains(&"meta refresh blocked"));
        assert!(reasons.contains(&"javascript: URL blocked"));
        assert!(reasons.contains(&"target navigation blocked"));
        assert_eq!(report["removed_tags"][0]["tag"], "script");
    }

    #[test]
    fn reports_at_most_a_hundred_entries() {
        let html = "<b onclick=\"x\">a</b>".repeat(120);
        let (_, report) = sanitize(&html);
        assert_eq!(report["total_removed"], 120);
        assert_eq!(report["removed_attributes"].as_array().unwrap().len(), 100);
        assert_eq!(report["truncated"], true);
    }

    #[test]
    fn keeps_styles_and_odd_text() {
        let src = "<style>a > b { color: red }</style><p>1 < 2 &amp; 3</p><!-- note -->";
        assert_eq!(sanitize(src).0, src);
    }

    #[test]
    fn tolerant_matching() {
        let page = "<p>Hello\u{a0}\n  world</p><p>Hello world</p>";
        assert_eq!(find_tolerant(page, "Hello world").len(), 2);
        assert_eq!(find_tolerant(page, "Hello\u{a0}\n  world</p><p>").len(), 1);
        assert!(find_tolerant(page, "Goodbye").is_empty());
        assert!(find_tolerant(page, "   ").is_empty());
        assert!(buy_affordance_missing("<a href=x>Buy</a>"));
        assert!(!buy_affordance_missing(
            "<a data-gumroad-action = \"buy\">Buy</a>"
        ));
    }
}
