//! gumroad-mock's modules form layers, and a lower layer never uses a higher one:
//!
//! 0. wire: request and answer shapes, Rack's parsing, the clock, ids, calendar;
//! 1. data model: the data, its seed, the state that holds it, the shared app;
//! 2. Gumroad's rules: rendering, webhook payloads and retries, throttles;
//! 3. routes: the v2 routes, OAuth, Maton;
//! 4. dispatch and the control API;
//! 5. hosts.
//!
//! This test reads every module of `mock/src` (unit tests and test helpers aside), collects the
//! modules each one names (`crate::` and `super::` paths, `use crate::{...}` groups, and a
//! parent's `child::` paths), and fails on a use of a higher layer, on a top-level module no
//! layer lists, and on any import cycle between modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const LAYERS: &[(&str, &[&str])] = &[
    (
        "wire",
        &[
            "clock", "urlenc", "http", "rack", "faults", "dates", "inflect", "ids",
        ],
    ),
    (
        "data model",
        &[
            "model",
            "model_office",
            "model_storefront",
            "seed",
            "seed_office",
            "seed_storefront",
            "outbox",
            "state",
            "app",
        ],
    ),
    ("rules", &["render", "webhooks", "throttle"]),
    ("routes", &["routes", "oauth", "maton"]),
    ("dispatch and control", &["dispatch", "control"]),
    ("hosts", &["server"]),
];

type Graph = BTreeMap<String, BTreeSet<String>>;

/// `a::b` for `src/a/b.rs` and `src/a/b/mod.rs`; `None` for the crate roots.
fn module_of(rel: &Path) -> Option<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    let name = parts.join("::");
    (!matches!(name.as_str(), "lib" | "main" | "")).then_some(name)
}

/// The source without comments and without its unit tests (`#[cfg(test)] mod tests` to the
/// end of the file, where this crate keeps them).
fn code_of(src: &str) -> String {
    let mut out = String::new();
    let mut lines = src.lines().peekable();
    while let Some(line) = lines.next() {
        if line.trim() == "#[cfg(test)]"
            && lines
                .peek()
                .is_some_and(|next| next.trim_start().starts_with("mod tests"))
        {
            break;
        }
        // A `//` outside a string literal starts a comment.
        let mut quotes = 0;
        let mut cut = line.len();
        let bytes = line.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'"' {
                quotes += 1;
            }
            if b == b'/' && bytes.get(i + 1) == Some(&b'/') && quotes % 2 == 0 {
                cut = i;
                break;
            }
        }
        out.push_str(line.get(..cut).unwrap_or(line));
        out.push('\n');
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The paths that follow each `prefix::` in `code` (`a::b::C`), with `{...}` groups expanded
/// one level (`{a::b, c}` gives `a::b` and `c`).
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let needle = format!("{prefix}::");
    let mut out = vec![];
    let mut from = 0;
    while let Some(at) = code.get(from..).and_then(|s| s.find(&needle)) {
        let start = from + at;
        from = start + needle.len();
        let before = start.checked_sub(1).and_then(|i| code.as_bytes().get(i));
        if before.is_some_and(|&b| is_ident(b) || b == b':') {
            continue;
        }
        let rest = code.get(from..).unwrap_or_default();
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    _ => {}
                }
                if depth == 0 || (depth == 1 && c == ',') {
                    out.push(item.trim().to_string());
                    item.clear();
                    if depth == 0 {
                        break;
                    }
                    continue;
                }
                item.push(c);
            }
        } else {
            let path: String = rest
                .chars()
                .take_while(|&c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
                .collect();
            out.push(path);
        }
    }
    out
}

/// The longest known module that `path` (segments after the crate root) starts with.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path
        .split("::")
        .map(|p| p.split(['{', ' ']).next().unwrap_or_default())
        .take_while(|p| !p.is_empty())
        .collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| modules.contains(m))
}

/// Who names whom, from module sources.
fn graph(sources: &BTreeMap<String, String>) -> Graph {
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    let mut g = Graph::new();
    for (m, src) in sources {
        let code = code_of(src);
        let parent = m.rsplit_once("::").map(|(p, _)| p.to_string());
        let mut named = BTreeSet::new();
        for p in paths_after(&code, "crate") {
            named.extend(resolve(&p, &modules));
        }
        for p in paths_after(&code, "super") {
            let full = match &parent {
                Some(parent) => format!("{parent}::{p}"),
                None => p,
            };
            named.extend(resolve(&full, &modules));
        }
        // A parent names its own children without a prefix.
        for child in modules.iter().filter(|c| {
            c.strip_prefix(&format!("{m}::"))
                .is_some_and(|rest| !rest.contains("::"))
        }) {
            let short = child.rsplit("::").next().unwrap_or_default();
            if !paths_after(&code, short).is_empty() {
                named.insert(child.clone());
            }
        }
        named.remove(m);
        g.insert(m.clone(), named);
    }
    g
}

fn layer_of(module: &str) -> Option<(usize, &'static str)> {
    let top = module.split("::").next().unwrap_or_default();
    LAYERS
        .iter()
        .enumerate()
        .find(|(_, (_, mods))| mods.contains(&top))
        .map(|(i, (name, _))| (i, *name))
}

/// Every problem: unplaced top-level modules, upward uses, and the modules of each cycle.
fn problems(g: &Graph) -> Vec<String> {
    let mut out = vec![];
    for (a, named) in g {
        let Some((la, name_a)) = layer_of(a) else {
            out.push(format!("{a}: a top-level module no layer lists"));
            continue;
        };
        for b in named {
            if let Some((lb, name_b)) = layer_of(b) {
                if lb > la {
                    out.push(format!(
                        "{a} ({name_a}) uses {b} ({name_b}), a higher layer"
                    ));
                }
            }
        }
    }
    out.extend(
        cycles(g)
            .into_iter()
            .map(|c| format!("import cycle: {}", c.join(" -> "))),
    );
    out
}

/// The strongly connected components of more than one module (Tarjan).
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let i = t.index.len();
        t.index.insert(v, i);
        t.low.insert(v, i);
        t.stack.push(v);
        t.on.insert(v);
        let g = t.g;
        for w in g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(lw));
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = vec![];
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        out: vec![],
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn a_lower_layer_never_uses_a_higher_one_and_no_modules_form_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    let mut sources = BTreeMap::new();
    for f in files {
        let Ok(rel) = f.strip_prefix(&src) else {
            continue;
        };
        let Some(m) = module_of(rel) else { continue };
        let leaf = m.rsplit("::").next().unwrap_or_default();
        if leaf == "tests" || leaf == "testutil" {
            continue;
        }
        sources.insert(m, std::fs::read_to_string(&f).unwrap_or_default());
    }
    assert!(sources.len() > 50, "read {} modules", sources.len());
    let g = graph(&sources);
    let found = problems(&g);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_checker_finds_upward_uses_cycles_and_unplaced_modules() {
    let sources: BTreeMap<String, String> = [
        // state (data model) reaching up into webhooks (rules): upward.
        ("state", "use crate::webhooks::Delivery;\n"),
        ("webhooks", "use crate::{state::State, http};\n"),
        (
            "http",
            "// crate::routes in a comment is no use\nconst U: &str = \"http://x\";\n",
        ),
        // A parent and a child naming each other: a cycle.
        ("routes", "pub fn f() { products::list() }\n"),
        (
            "routes::products",
            "use super::ApiRequest;\n#[cfg(test)]\nmod tests {\n    use crate::server::X;\n}\n",
        ),
        ("newthing", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let g = graph(&sources);
    assert_eq!(
        g["webhooks"],
        ["http", "state"].map(String::from).into_iter().collect()
    );
    assert!(g["http"].is_empty(), "comments and strings name nothing");
    assert!(
        !g["routes::products"].contains("server"),
        "unit tests aside"
    );
    let found = problems(&g);
    assert_eq!(
        found,
        [
            "newthing: a top-level module no layer lists",
            "state (data model) uses webhooks (rules), a higher layer",
            "import cycle: routes -> routes::products",
            "import cycle: state -> webhooks",
        ]
    );
}
