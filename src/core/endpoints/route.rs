//! What one row of the endpoint table says about a route, and the `const fn` builders the table
//! is written with.
//!
//! Fields the request builder needs at run time exist on every target. The documentation fields
//! (scope, summary, TypeScript types) exist only natively, where the code generator reads them:
//! on wasm the builders drop those strings, so they never reach the `.wasm` file.

use crate::core::config::AuthNeed;
use crate::core::request::Method;
use crate::core::response::Unwrap;

/// How a parameter travels and which JS values it takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string; a number is sent as its decimal text.
    Str,
    /// An integer (cents, counts, years); a numeric string is passed through.
    Int,
    /// Sent as `"true"`/`"false"`: Gumroad's controllers compare against the string `"true"`.
    Bool,
    /// An array of strings or numbers, sent as repeated `key[]=` pairs.
    List,
    /// An object, an array of objects or any JSON value. A call that carries one is sent as a
    /// JSON body, the only encoding that keeps arrays of objects intact on Rails.
    Nested,
}

/// One request parameter (Gumroad's wire name).
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// A required string may be empty (`replace: ""` deletes a snippet).
    pub blank_ok: bool,
    /// Surrounding whitespace is removed (license keys pasted by buyers).
    pub trim: bool,
    /// Sent when the caller gives no value.
    pub default: Option<&'static str>,
    /// TypeScript type of the value.
    #[cfg(not(target_arch = "wasm32"))]
    pub ts: &'static str,
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
}

const fn param(name: &'static str, kind: Kind, _ts: &'static str) -> Param {
    Param {
        name,
        kind,
        required: false,
        blank_ok: false,
        trim: false,
        default: None,
        #[cfg(not(target_arch = "wasm32"))]
        ts: _ts,
        #[cfg(not(target_arch = "wasm32"))]
        doc: "",
    }
}

/// A string parameter.
pub const fn string(name: &'static str) -> Param {
    param(name, Kind::Str, "string")
}
/// An integer parameter.
pub const fn int(name: &'static str) -> Param {
    param(name, Kind::Int, "number")
}
/// A boolean parameter.
pub const fn boolean(name: &'static str) -> Param {
    param(name, Kind::Bool, "boolean")
}
/// An array of strings.
pub const fn list(name: &'static str) -> Param {
    param(name, Kind::List, "string[]")
}
/// An object or array of objects, typed `ts` (an interface of `types.d.ts`).
pub const fn nested(name: &'static str, ts: &'static str) -> Param {
    param(name, Kind::Nested, ts)
}

impl Param {
    pub const fn req(self) -> Self {
        Param {
            required: true,
            ..self
        }
    }
    pub const fn blank_ok(self) -> Self {
        Param {
            blank_ok: true,
            ..self
        }
    }
    pub const fn trim(self) -> Self {
        Param { trim: true, ..self }
    }
    pub const fn default(self, value: &'static str) -> Self {
        Param {
            default: Some(value),
            ..self
        }
    }
    /// A narrower TypeScript type than the kind's default (a union of literals, say).
    pub const fn ts(self, _ts: &'static str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let this = Param { ts: _ts, ..self };
        #[cfg(target_arch = "wasm32")]
        let this = self;
        this
    }
    pub const fn doc(self, _doc: &'static str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let this = Param { doc: _doc, ..self };
        #[cfg(target_arch = "wasm32")]
        let this = self;
        this
    }
}

/// When a call may be sent again after a failure that left its outcome unknown. Gumroad has no
/// idempotency keys, so anything that may change state is sent once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// Changes nothing (reads, dry runs).
    Safe,
    /// May change state.
    Never,
    /// Changes state unless this boolean parameter is `false` (`increment_uses_count`).
    UnlessFalse(&'static str),
}

/// Where a route lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Root {
    /// Under `baseUrl` (Gumroad's `/v2`, directly or through Maton).
    Api,
    /// Maton's connection management (`ctrlBaseUrl`), JSON bodies.
    MatonCtrl,
}

/// One route of Gumroad's API as the client calls it.
#[derive(Clone, Copy, Debug)]
pub struct Route {
    /// `resource.method` (`products.list`, `maton.connections.create`): the JS method name.
    pub name: &'static str,
    pub method: Method,
    /// Path below the root; `{argName}` marks an id taken as a positional argument.
    pub path: &'static str,
    pub params: &'static [Param],
    /// At least one of these must be given (`url` or `signed_blob_id`).
    pub one_of: &'static [&'static str],
    pub unwrap: Unwrap,
    pub retry: Retry,
    pub root: Root,
    pub auth: AuthNeed,
    /// A required parameter that may also be passed on its own, in place of the params object
    /// (`resourceSubscriptions.list("sale")`).
    pub positional: Option<&'static str>,
    /// Added by `iterate()` to every page request (`paginated=true` for subscribers).
    pub iterate_extra: Option<(&'static str, &'static str)>,
    /// The scope Gumroad checks, as the reference writes it (`read`, `edit_products`, ...).
    #[cfg(not(target_arch = "wasm32"))]
    pub scope: &'static str,
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
    /// TypeScript type the promise resolves to (for pages: the item type).
    #[cfg(not(target_arch = "wasm32"))]
    pub returns: &'static str,
}

const fn route(name: &'static str, method: Method, path: &'static str) -> Route {
    Route {
        name,
        method,
        path,
        params: &[],
        one_of: &[],
        unwrap: Unwrap::Whole,
        retry: match method {
            Method::Get => Retry::Safe,
            _ => Retry::Never,
        },
        root: Root::Api,
        auth: AuthNeed::Required,
        positional: None,
        iterate_extra: None,
        #[cfg(not(target_arch = "wasm32"))]
        scope: "",
        #[cfg(not(target_arch = "wasm32"))]
        doc: "",
        #[cfg(not(target_arch = "wasm32"))]
        returns: "",
    }
}

pub const fn get(name: &'static str, path: &'static str) -> Route {
    route(name, Method::Get, path)
}
pub const fn post(name: &'static str, path: &'static str) -> Route {
    route(name, Method::Post, path)
}
pub const fn put(name: &'static str, path: &'static str) -> Route {
    route(name, Method::Put, path)
}
pub const fn delete(name: &'static str, path: &'static str) -> Route {
    route(name, Method::Delete, path)
}

impl Route {
    pub const fn params(self, params: &'static [Param]) -> Self {
        Route { params, ..self }
    }
    pub const fn one_of(self, one_of: &'static [&'static str]) -> Self {
        Route { one_of, ..self }
    }
    /// Resolves to the value under `key`.
    pub const fn field(self, key: &'static str, _returns: &'static str) -> Self {
        Route {
            unwrap: Unwrap::Field(key),
            ..self
        }
        .returns(_returns)
    }
    /// One page of `key` items plus `next_page_key`; `iterate()` follows the pages.
    pub const fn page(self, key: &'static str, _item: &'static str) -> Self {
        Route {
            unwrap: Unwrap::Page(key),
            ..self
        }
        .returns(_item)
    }
    /// Resolves to the whole answer without `success`.
    pub const fn whole(self, _returns: &'static str) -> Self {
        Route {
            unwrap: Unwrap::Whole,
            ..self
        }
        .returns(_returns)
    }
    /// Deletes: `{ message }`.
    pub const fn message(self) -> Self {
        Route {
            unwrap: Unwrap::Message,
            ..self
        }
        .returns("DeleteResult")
    }
    /// `{"success":true}` only: resolves to `undefined`.
    pub const fn nothing(self) -> Self {
        Route {
            unwrap: Unwrap::Nothing,
            ..self
        }
        .returns("void")
    }
    /// The license answer: `{ uses, purchase }` or `{ uses, imported_customer }`.
    pub const fn license(self) -> Self {
        Route {
            unwrap: Unwrap::License,
            ..self
        }
        .returns("LicenseResponse")
    }
    /// A file download: `{ data, contentType, filename }`.
    pub const fn binary(self) -> Self {
        Route {
            unwrap: Unwrap::Binary,
            ..self
        }
        .returns("Download")
    }
    pub const fn retry(self, retry: Retry) -> Self {
        Route { retry, ..self }
    }
    pub const fn no_auth(self) -> Self {
        Route {
            auth: AuthNeed::NotNeeded,
            ..self
        }
    }
    pub const fn ctrl(self) -> Self {
        Route {
            root: Root::MatonCtrl,
            ..self
        }
    }
    pub const fn positional(self, name: &'static str) -> Self {
        Route {
            positional: Some(name),
            ..self
        }
    }
    pub const fn iterate_extra(self, name: &'static str, value: &'static str) -> Self {
        Route {
            iterate_extra: Some((name, value)),
            ..self
        }
    }
    pub const fn scope(self, _scope: &'static str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let this = Route {
            scope: _scope,
            ..self
        };
        #[cfg(target_arch = "wasm32")]
        let this = self;
        this
    }
    pub const fn doc(self, _doc: &'static str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let this = Route { doc: _doc, ..self };
        #[cfg(target_arch = "wasm32")]
        let this = self;
        this
    }
    const fn returns(self, _returns: &'static str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        let this = Route {
            returns: _returns,
            ..self
        };
        #[cfg(target_arch = "wasm32")]
        let this = self;
        this
    }

    /// The resource part of the name (`maton.connections` of `maton.connections.list`).
    pub fn resource(&self) -> &'static str {
        self.name.rsplit_once('.').map_or("", |(r, _)| r)
    }

    /// The method part of the name (`list`).
    pub fn method_name(&self) -> &'static str {
        self.name.rsplit_once('.').map_or(self.name, |(_, m)| m)
    }

    /// The id arguments, in order (`productId`, `offerCodeId`).
    pub fn ids(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
    }

    /// Whether the JS method takes a params object (after the ids).
    pub fn takes_params(&self) -> bool {
        !self.params.is_empty()
    }

    pub fn paged(&self) -> bool {
        matches!(self.unwrap, Unwrap::Page(_))
    }

    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }
}
