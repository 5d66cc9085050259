//! Writes the JS, TypeScript and README copies of lists whose source is Rust: the error codes
//! and their classes ([`ErrorCode`]) and the ping event kinds ([`EVENT_TYPES`]). Each function
//! returns the text between one pair of region markers; `make generate` writes them and
//! `tests/generated.rs` fails when a committed copy differs (the endpoint table's own copies are
//! `endpoints::codegen`).

use super::error::ErrorCode;
use super::ping::EVENT_TYPES;
use super::retry::transient;

const FROM_ERRORS: &str = "From ErrorCode in src/core/error.rs by `make generate`; do not edit.";
const FROM_PING: &str = "From EVENT_TYPES in src/core/ping.rs by `make generate`; do not edit.";

/// `"a" | "b"`, one member per line (as in the hand-written unions around them).
fn ts_union<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|n| format!("\n  | \"{n}\""))
        .collect()
}

/// `js/errors.js`: one class per code, and the code -> class map `makeError` and `ERROR_CODES`
/// read.
pub fn js_error_classes() -> String {
    let mut out = format!("// {FROM_ERRORS}\n");
    for c in ErrorCode::ALL {
        out.push_str(&format!(
            "export class {} extends GumroadError {{}}\n",
            c.class_name()
        ));
    }
    out.push_str("\nconst BY_CODE = {\n");
    for c in ErrorCode::ALL {
        out.push_str(&format!("  {}: {},\n", c.as_str(), c.class_name()));
    }
    out.push_str("};\n");
    out
}

/// `pkg-template/errors.d.ts`: the class declarations, each with its description.
pub fn ts_error_classes() -> String {
    let mut out = format!("// {FROM_ERRORS}\n");
    for c in ErrorCode::ALL {
        out.push_str(&format!(
            "/** {} Code `{}`. */\nexport class {} extends GumroadError {{}}\n",
            c.description(),
            c.as_str(),
            c.class_name()
        ));
    }
    out
}

/// `pkg-template/entries/errors-web.js`: the classes in the entry's re-export list.
pub fn js_error_exports() -> String {
    let mut out = format!("  // {FROM_ERRORS}\n");
    for c in ErrorCode::ALL {
        out.push_str(&format!("  {},\n", c.class_name()));
    }
    out
}

/// `src/js/types.d.ts`: the `GumroadErrorCode` union.
pub fn ts_error_code_union() -> String {
    format!(
        "// {FROM_ERRORS}\nexport type GumroadErrorCode ={};\n",
        ts_union(ErrorCode::ALL.iter().map(|c| c.as_str()))
    )
}

/// `src/js/types.d.ts`: a retry event's `reason`, the codes a call is retried after.
pub fn ts_retry_reasons() -> String {
    let codes: Vec<String> = ErrorCode::ALL
        .into_iter()
        .filter(|c| transient(*c))
        .map(|c| format!("\"{}\"", c.as_str()))
        .collect();
    format!("  // {FROM_ERRORS}\n  reason: {};\n", codes.join(" | "))
}

/// The README's (and the npm README's) table of error classes and codes.
pub fn readme_error_table() -> String {
    let mut out = format!(
        "<!-- {FROM_ERRORS} -->\n\n| class | `code` | `retryable` | when |\n|---|---|---|---|\n"
    );
    for c in ErrorCode::ALL {
        out.push_str(&format!(
            "| `{}` | `{}` | {} | {} |\n",
            c.class_name(),
            c.as_str(),
            if transient(c) { "yes" } else { "no" },
            c.description().replace('|', "\\|")
        ));
    }
    out
}

/// `js/ping-handler.js`: the event kinds a handler may be registered for.
pub fn js_event_types() -> String {
    let mut out = format!("// {FROM_PING}\nconst EVENT_TYPES = [\n");
    for t in EVENT_TYPES {
        out.push_str(&format!("  \"{t}\",\n"));
    }
    out.push_str("];\n");
    out
}

/// `src/js/types.d.ts`: the `ResourceName` union (a resource subscription's event kind).
pub fn ts_resource_name_union() -> String {
    format!(
        "// {FROM_PING}\nexport type ResourceName ={};\n",
        ts_union(EVENT_TYPES)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_fit_one_line_in_every_copy() {
        for c in ErrorCode::ALL {
            let d = c.description();
            assert!(!d.is_empty(), "{c}");
            // A newline would break the README row, `*/` the JSDoc comment.
            assert!(!d.contains('\n') && !d.contains("*/"), "{c}: {d}");
        }
    }

    #[test]
    fn codes_and_classes_are_unique_js_names() {
        let mut seen = Vec::new();
        for c in ErrorCode::ALL {
            let ident = |s: &str| {
                s.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '_')
                    && !s.starts_with(|ch: char| ch.is_ascii_digit())
            };
            assert!(ident(c.as_str()) && ident(c.class_name()), "{c}");
            assert!(c.class_name().ends_with("Error"), "{c}");
            assert!(!seen.contains(&c.as_str()), "{c} twice");
            assert!(!seen.contains(&c.class_name()), "{} twice", c.class_name());
            seen.extend([c.as_str(), c.class_name()]);
        }
    }

    #[test]
    fn every_code_gets_a_class_and_a_row() {
        let (js, ts, table) = (js_error_classes(), ts_error_classes(), readme_error_table());
        for c in ErrorCode::ALL {
            let class = c.class_name();
            assert!(js.contains(&format!("export class {class} extends")), "{c}");
            assert!(js.contains(&format!("  {}: {class},", c.as_str())), "{c}");
            assert!(ts.contains(&format!("export class {class} extends")), "{c}");
            assert!(table.contains(&format!("| `{class}` | `{c}` |")), "{c}");
        }
    }
}
