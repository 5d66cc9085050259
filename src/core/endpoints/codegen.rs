//! Writes what is derived from the endpoint table: the TypeScript declarations of every resource
//! (`src/js/api.d.ts`), the README's API table and the route list gumroad-mock is checked
//! against (`tests/fixtures/routes.txt`). `make generate` writes them; `tests/generated.rs`
//! fails when a committed copy differs from what the table gives.

use super::route::{Root, Route};
use super::table::{LEFT_OUT, ROUTES};
use crate::core::response::Unwrap;

const HEADER: &str = "Generated from src/core/endpoints/table.rs by `make generate`; do not edit.";

/// `maton.connections` -> `MatonConnections`, `decrementUsesCount` -> `DecrementUsesCount`.
fn pascal(name: &str) -> String {
    let mut out = String::new();
    for part in name.split('.') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// Resources in the order they first appear in the table.
fn resources() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in ROUTES {
        if !out.contains(&r.resource()) {
            out.push(r.resource());
        }
    }
    out
}

/// The namespaces directly under `parent` (`maton.connections` under `maton`), each with its
/// name there (`connections`).
fn children<'a>(
    parent: &'a str,
    all: &'a [&'static str],
) -> impl Iterator<Item = (&'static str, &'static str)> + 'a {
    all.iter().filter_map(move |c| {
        let leaf = c.strip_prefix(parent)?.strip_prefix('.')?;
        (!leaf.contains('.')).then_some((*c, leaf))
    })
}

/// The top-level names of the client (`products`, `maton`), in table order.
fn tops(all: &[&'static str]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for res in all {
        let top = res.split('.').next().unwrap_or(res);
        if !out.contains(&top) {
            out.push(top);
        }
    }
    out
}

/// Whether every route under `top` is Maton's own (the namespace exists only on Maton clients).
fn maton_only(top: &str) -> bool {
    ROUTES
        .iter()
        .filter(|r| r.resource().split('.').next() == Some(top))
        .all(|r| r.root == Root::MatonCtrl)
}

fn params_type(route: &Route) -> String {
    format!(
        "{}{}Params",
        pascal(route.resource()),
        pascal(route.method_name())
    )
}

/// The members of a route's params interface.
fn params_body(route: &Route) -> String {
    let mut out = String::new();
    for p in route.params {
        if !p.doc.is_empty() {
            out.push_str(&format!("  /** {} */\n", p.doc));
        }
        // Optional values may be `undefined` (the client skips them), which matters to
        // consumers with `exactOptionalPropertyTypes`.
        if p.required && p.default.is_none() {
            out.push_str(&format!("  {}: {};\n", p.name, p.ts));
        } else {
            out.push_str(&format!("  {}?: {} | undefined;\n", p.name, p.ts));
        }
    }
    out
}

fn http(route: &Route) -> String {
    let prefix = match route.root {
        Root::Api => "",
        Root::MatonCtrl => "ctrl ",
    };
    format!("{prefix}{} {}", route.method.as_str(), route.path)
}

fn id_type(name: &str) -> &'static str {
    if name == "year" {
        "number | string"
    } else {
        "string"
    }
}

/// Whether the params argument may be left out.
fn params_optional(route: &Route) -> bool {
    route.one_of.is_empty()
        && route
            .params
            .iter()
            .all(|p| !p.required || p.default.is_some())
}

fn result_type(route: &Route) -> String {
    match route.unwrap {
        Unwrap::Page(key) => format!("PageOf<\"{key}\", {}>", route.returns),
        _ => route.returns.to_string(),
    }
}

fn doc_line(route: &Route) -> String {
    format!(
        "`{}` ({}). {}",
        http(route),
        route.scope.replace('`', "'"),
        route.doc
    )
}

fn ids_signature(route: &Route) -> String {
    route
        .ids()
        .map(|id| format!("{id}: {}, ", id_type(id)))
        .collect()
}

/// The TypeScript declarations of every resource and its params (`src/js/api.d.ts`).
pub fn typescript() -> String {
    let mut out = format!("// {HEADER}\n\n");
    out.push_str(
        "/** One page of a list: the items under their wire key, plus `next_page_key` when another page exists. */\n\
         export type PageOf<K extends string, T> = { [P in K]: T[] } & { next_page_key?: string };\n",
    );
    let with_params: Vec<&Route> = ROUTES.iter().filter(|r| r.takes_params()).collect();
    for (i, route) in with_params.iter().enumerate() {
        // Routes that take the same parameters (the license management calls) share one
        // interface under their own names.
        if let Some(first) = with_params
            .iter()
            .take(i)
            .find(|r| params_body(r) == params_body(route))
        {
            out.push_str(&format!(
                "\n/** Parameters of `{}` (the same as `{}`). */\nexport type {} = {};\n",
                route.name,
                first.name,
                params_type(route),
                params_type(first)
            ));
            continue;
        }
        out.push_str(&format!(
            "\n/** Parameters of `{}` (Gumroad's wire names). */\nexport interface {} {{\n{}}}\n",
            route.name,
            params_type(route),
            params_body(route)
        ));
    }
    let all = resources();
    for res in &all {
        out.push_str(&format!(
            "\n/** `client.{res}` */\nexport interface {}Resource {{\n",
            pascal(res)
        ));
        for (child, leaf) in children(res, &all) {
            out.push_str(&format!("  readonly {leaf}: {}Resource;\n", pascal(child)));
        }
        for route in ROUTES.iter().filter(|r| r.resource() == *res) {
            let ids = ids_signature(route);
            let params = if !route.takes_params() {
                String::new()
            } else {
                let opt = if params_optional(route) { "?" } else { "" };
                let ty = match route.positional.and_then(|n| route.param(n)) {
                    Some(p) => format!("{} | {}", p.ts, params_type(route)),
                    None => params_type(route),
                };
                format!("params{opt}: {ty}, ")
            };
            out.push_str(&format!(
                "  /** {} */\n  {}({ids}{params}options?: RequestOptions): Promise<{}>;\n",
                doc_line(route),
                route.method_name(),
                result_type(route)
            ));
            if route.paged() {
                let mut omit = vec!["\"page_key\"".to_string()];
                if route.param("page").is_some() {
                    omit.push("\"page\"".into());
                }
                if let Some((extra, _)) = route.iterate_extra {
                    omit.push(format!("\"{extra}\""));
                }
                out.push_str(&format!(
                    "  /** Every item of `{}`, following `page_key` (`for await`). */\n  iterate({ids}params?: Omit<{}, {}>, options?: RequestOptions): PageIterator<{}>;\n",
                    route.name,
                    params_type(route),
                    omit.join(" | "),
                    route.returns
                ));
            }
        }
        out.push_str("}\n");
    }
    // Top-level names, and namespaces that have no routes of their own (`maton`).
    let tops = tops(&all);
    out.push_str("\nexport interface GumroadClient {\n");
    for top in &tops {
        // Maton's own routes exist only on Maton clients.
        if maton_only(top) {
            out.push_str(&format!(
                "  /** Only on clients made with `GumroadClient.maton()`; `undefined` otherwise. */\n  readonly {top}: {}Resource | undefined;\n",
                pascal(top)
            ));
        } else {
            out.push_str(&format!("  readonly {top}: {}Resource;\n", pascal(top)));
        }
    }
    out.push_str("}\n");
    for top in tops.iter().filter(|t| !all.contains(t)) {
        out.push_str(&format!(
            "\n/** `client.{top}` */\nexport interface {}Resource {{\n",
            pascal(top)
        ));
        for (child, leaf) in children(top, &all) {
            out.push_str(&format!("  readonly {leaf}: {}Resource;\n", pascal(child)));
        }
        out.push_str("}\n");
    }
    out
}

fn js_call(route: &Route, method: &str) -> String {
    let mut args: Vec<String> = route.ids().map(String::from).collect();
    if route.takes_params() {
        let name = match route.positional {
            Some(p) => format!("{p} | params"),
            None => "params".to_string(),
        };
        args.push(if params_optional(route) {
            format!("{name}?")
        } else {
            name
        });
    }
    format!(
        "`client.{}.{method}({})`",
        route.resource(),
        args.join(", ")
    )
}

/// The README's API table (between its `api-table` markers).
pub fn readme_table() -> String {
    let mut out = format!(
        "<!-- {HEADER} -->\n\n| method | HTTP | scope | resolves to | what it does |\n|---|---|---|---|---|\n"
    );
    for res in resources() {
        for route in ROUTES.iter().filter(|r| r.resource() == res) {
            let cell = |s: &str| s.replace('|', "\\|");
            out.push_str(&format!(
                "| {} | `{}` | {} | `{}` | {} |\n",
                js_call(route, route.method_name()),
                http(route),
                cell(route.scope),
                cell(&result_type(route)),
                cell(route.doc)
            ));
            if route.paged() {
                out.push_str(&format!(
                    "| {} | `{}` | {} | `PageIterator<{}>` | every page, in order |\n",
                    js_call(route, "iterate").replace("page_key", ""),
                    http(route),
                    cell(route.scope),
                    route.returns
                ));
            }
        }
    }
    out.push_str(&format!(
        "\n{} routes ({} of Gumroad's v2 API, {} of Maton's connection management).\n",
        ROUTES.len(),
        ROUTES.iter().filter(|r| r.root == Root::Api).count(),
        ROUTES.iter().filter(|r| r.root == Root::MatonCtrl).count()
    ));
    out
}

/// The README's count of Gumroad's route lines the table covers, and the ones it leaves out with
/// their reasons (between its `route-count` markers, inside a sentence). `tests/generated.rs`
/// holds table rows plus `LEFT_OUT` to the lines of Gumroad's own route list.
pub fn readme_route_count() -> String {
    let covered = ROUTES.iter().filter(|r| r.root == Root::Api).count();
    if LEFT_OUT.is_empty() {
        return format!("all {covered} of its route lines");
    }
    // Consecutive routes left out for the same reason share it.
    let mut groups: Vec<(Vec<String>, &str)> = Vec::new();
    for (method, path, why) in LEFT_OUT {
        let route = format!("`{method} {path}`");
        match groups.last_mut() {
            Some((routes, reason)) if reason == why => routes.push(route),
            _ => groups.push((vec![route], why)),
        }
    }
    let left_out: Vec<String> = groups
        .iter()
        .map(|(routes, why)| format!("{} ({why})", routes.join(", ")))
        .collect();
    format!(
        "{covered} of its {} route lines; not wrapped: {}",
        covered + LEFT_OUT.len(),
        left_out.join("; ")
    )
}

/// Every route as `METHOD /prefix/path name` (`{slot}`s kept), in table order: gumroad-mock's
/// route check, and the client suite's check that every route was called.
pub fn route_list() -> String {
    let mut out = format!("# {HEADER}\n");
    for route in ROUTES {
        let prefix = match route.root {
            Root::Api => "/v2",
            Root::MatonCtrl => "",
        };
        out.push_str(&format!(
            "{} {prefix}{} {}\n",
            route.method.as_str(),
            route.path,
            route.name
        ));
    }
    out
}

/// Methods that are more than one route, and the entry point each calls.
pub(crate) const COMPOSITES: [(&str, &str, &str); 2] = [
    (
        "licenses",
        "check",
        "(params, options) => c._check(params, options)",
    ),
    (
        "files",
        "upload",
        "(data, options) => c._upload(data, options)",
    ),
];

/// The JS function that makes `client.<res>` for one client (`nsMatonConnections`: the prefix
/// keeps resource names clear of the module's own names).
fn namespace_fn(res: &str) -> String {
    format!("ns{}", pascal(res))
}

/// The getters of the namespaces under `parent`, in its namespace object.
fn child_getters(out: &mut String, parent: &str, all: &[&'static str]) {
    for (child, leaf) in children(parent, all) {
        out.push_str(&format!(
            "  get {leaf}() {{\n    return space(c, \"{child}\", {});\n  }},\n",
            namespace_fn(child)
        ));
    }
}

/// `(id, params, options) => c._call(7, id, U, U, params, options)`.
fn js_method(index: usize, route: &Route, entry: &str) -> String {
    let ids: Vec<&str> = route.ids().collect();
    let mut args: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let mut slots: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    slots.resize(3, "U".into());
    let params = if route.takes_params() {
        args.push("params".into());
        match route.positional {
            Some(p) => format!("named(\"{p}\", params)"),
            None => "params".into(),
        }
    } else {
        "U".into()
    };
    args.push("options".into());
    let call = format!(
        "c.{entry}({index}, {}, {params}, options)",
        slots.join(", ")
    );
    let call = if entry == "_page" {
        format!("new PageIterator(() => {call})")
    } else {
        call
    };
    format!("({}) => {call}", args.join(", "))
}

/// The resource namespaces of `GumroadClient` as a JS module (`js/api.js`): each method calls
/// one of the client's entry points with the route's index in the table, so nothing about the
/// routes is decided at run time and no descriptor crosses from the wasm.
pub fn facade() -> String {
    let mut out = format!(
        "// {HEADER}\n\
         // The resource namespaces of GumroadClient (`client.products.list()`). Each method passes its\n\
         // arguments to one entry point of the wasm: `_call` (a route, by its index in the table),\n\
         // `_page` (a list's first page, for `iterate()`), `_upload` and `_check`; the wasm builds,\n\
         // sends and judges the call. `defineApi` adds the namespaces to the class (each entry calls it).\n\n\
         import {{ PageIterator }} from \"./pages.js\";\n\n\
         /** @typedef {{import(\"./pages.js\").Client}} Client */\n\n\
         /**\n\
         \x20* A namespace: methods that take what the caller passes (the wasm checks it), and getters of\n\
         \x20* the namespaces under it.\n\
         \x20* @typedef {{{{ [member: string]: ((...args: unknown[]) => unknown) | object }}}} Namespace\n\
         \x20*/\n\n\
         const U = undefined;\n\n\
         /** A route's params given as its one value (`licenses.enable(key)`-style shorthands). */\n\
         /** @param {{string}} key @param {{unknown}} value */\n\
         const named = (key, value) => (value !== undefined && value !== null && typeof value !== \"object\" ? {{ [key]: value }} : value);\n"
    );
    let all = resources();
    for res in &all {
        out.push_str(&format!(
            "\n/** `client.{res}` @param {{Client}} c @returns {{Namespace}} */\nconst {} = (c) => ({{\n",
            namespace_fn(res)
        ));
        child_getters(&mut out, res, &all);
        for (index, route) in ROUTES.iter().enumerate() {
            if route.resource() != *res {
                continue;
            }
            out.push_str(&format!(
                "  {}: {},\n",
                route.method_name(),
                js_method(index, route, "_call")
            ));
            if route.paged() {
                out.push_str(&format!(
                    "  iterate: {},\n",
                    js_method(index, route, "_page")
                ));
            }
        }
        for (on, method, body) in COMPOSITES {
            if on == *res {
                out.push_str(&format!("  {method}: {body},\n"));
            }
        }
        out.push_str("});\n");
    }
    let tops = tops(&all);
    // Namespaces with no routes of their own (`maton`): only their children.
    for top in tops.iter().filter(|t| !all.contains(t)) {
        out.push_str(&format!(
            "\n/** `client.{top}` @param {{Client}} c @returns {{Namespace}} */\nconst {} = (c) => ({{\n",
            namespace_fn(top)
        ));
        child_getters(&mut out, top, &all);
        out.push_str("});\n");
    }
    out.push_str(
        "\n/** The namespaces made so far, per client (a WeakMap: nothing is stored on the client or\n\
         \x20* found on its prototype). @type {WeakMap<object, Map<string, Namespace>>} */\n\
         const MADE = new WeakMap();\n\n\
         /** One namespace object per client and path, made on first use.\n\
         \x20* @param {Client} client @param {string} path @param {(c: Client) => Namespace} make */\n\
         function space(client, path, make) {\n\
         \x20 let made = MADE.get(client);\n\
         \x20 if (!made) {\n\
         \x20   made = new Map();\n\
         \x20   MADE.set(client, made);\n\
         \x20 }\n\
         \x20 let ns = made.get(path);\n\
         \x20 if (!ns) {\n\
         \x20   ns = make(client);\n\
         \x20   made.set(path, ns);\n\
         \x20 }\n\
         \x20 return ns;\n\
         }\n\n\
         /** Adds `client.<resource>` to the class the wasm exports.\n\
         \x20* @param {{ prototype: object }} GumroadClient */\n\
         export function defineApi(GumroadClient) {\n\
         \x20 Object.defineProperties(GumroadClient.prototype, {\n",
    );
    for top in &tops {
        let get = if maton_only(top) {
            // Maton's own routes exist only on Maton clients.
            format!(
                "this._isMaton ? space(this, \"{top}\", {}) : undefined",
                namespace_fn(top)
            )
        } else {
            format!("space(this, \"{top}\", {})", namespace_fn(top))
        };
        out.push_str(&format!(
            "    {top}: {{\n      /** @this {{Client}} */\n      get() {{\n        return {get};\n      }},\n      configurable: true,\n    }},\n"
        ));
    }
    out.push_str("  });\n}\n");
    out
}
