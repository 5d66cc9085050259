//! The OAuth routes the mock serves under `/oauth` (Gumroad's Doorkeeper mount plus its own
//! device, application-management and first-party pages). [`super::handle`] answers Rails'
//! routing 404 to anything else before a handler runs; the tests compare this table with §2.1 of
//! the reference (`tests/fixtures/reference_oauth_routes.txt`) in both directions.

use crate::routes::table::matches;

/// `(methods, path)`: methods comma-separated, path without the `/oauth` prefix. `HEAD` on the
/// device page is Rails' GET routing (Gumroad's throttle names it); the application pages are
/// the index views only.
pub const OAUTH_ROUTES: &[(&str, &str)] = &[
    ("GET,POST,DELETE", "/authorize"),
    ("GET", "/authorize/:code"),
    ("POST", "/token"),
    ("POST", "/revoke"),
    ("POST", "/introspect"),
    ("GET", "/token/info"),
    ("POST", "/device/code"),
    ("GET,HEAD", "/device"),
    ("POST", "/device"),
    ("GET", "/applications"),
    ("GET", "/authorized_applications"),
    ("GET", "/mobile_pre_authorization/new"),
    ("GET", "/mobile_pre_authorization/switch_account"),
    ("GET", "/login"),
];

/// Whether `method` on `path` (after `/oauth`, `.json` suffix removed) is an OAuth route.
pub fn routed(method: &str, path: &str) -> bool {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    OAUTH_ROUTES
        .iter()
        .any(|(methods, p)| methods.split(',').any(|m| m == method) && matches(p, &segs))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference's rows: `(method, paths)`; a `*` method with `...` paths is a prefix row
    /// (any route under it).
    fn reference() -> Vec<(String, Vec<String>)> {
        include_str!("../../../tests/fixtures/reference_oauth_routes.txt")
            .lines()
            .filter(|l| l.starts_with("| "))
            .map(|l| {
                let cols: Vec<&str> = l.split('|').map(str::trim).collect();
                let method = cols.get(1).copied().unwrap_or_default().to_string();
                let paths = cols
                    .get(2)
                    .copied()
                    .unwrap_or_default()
                    .split('`')
                    .filter_map(|p| p.strip_prefix("/oauth"))
                    .map(String::from)
                    .collect();
                (method, paths)
            })
            .collect()
    }

    fn covers(row: &(String, Vec<String>), method: &str, path: &str) -> bool {
        row.1.iter().any(|p| match p.strip_suffix("...") {
            Some(prefix) => row.0 == "*" && path.starts_with(prefix),
            None => {
                (row.0 == method || (method == "HEAD" && row.0 == "GET"))
                    && p.split('/').count() == path.split('/').count()
                    && p.split('/').zip(path.split('/')).all(|(a, b)| a == b)
            }
        })
    }

    #[test]
    fn the_table_is_the_references_oauth_route_list() {
        let rows = reference();
        assert_eq!(rows.len(), 14, "§2.1 has 14 rows");
        for (methods, path) in OAUTH_ROUTES {
            for m in methods.split(',') {
                assert!(
                    rows.iter().any(|r| covers(r, m, path)),
                    "served but not in §2.1: {m} /oauth{path}"
                );
            }
        }
        for row in &rows {
            for p in &row.1 {
                let served = OAUTH_ROUTES.iter().any(|(methods, ours)| {
                    methods.split(',').any(|m| covers(row, m, ours))
                        && (p.ends_with("...") || ours == p)
                });
                assert!(served, "in §2.1 but not served: {} /oauth{p}", row.0);
            }
        }
    }

    #[test]
    fn only_listed_paths_and_verbs_are_routed() {
        assert!(routed("GET", "/authorize/abc"));
        assert!(!routed("GET", "/authorize/abc/def"));
        assert!(!routed("PUT", "/token"));
        assert!(!routed("GET", "/token"));
        assert!(!routed("GET", "/zz-invented"));
        assert!(!routed("GET", "/applications/1/edit"));
    }
}
