//! `iterate()`: the pages of a paged list, following `page_key`. The async iterator users see
//! (`PageIterator`, js/pages.js) asks for a page and hands its items out; each page is one call
//! into the wasm: the first through `GumroadClient._page`, each later one through the
//! `Pages` that came with the page before.
//!
//! A repeating `next_page_key` ends the iteration with a `decode` error (after that page's
//! items) instead of looping forever.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;

use super::call::{self, CallOptions, Inner};
use crate::core::endpoints::{self, route::Route, Value};
use crate::core::error::{Error, ErrorCode};
use crate::core::response::Unwrap;

/// Pages a list can have before we assume the server is misbehaving (10 items a page:
/// a million items).
const MAX_PAGES: u32 = 100_000;

struct Shared {
    inner: Rc<Inner>,
    route: &'static Route,
    ids: Vec<String>,
    params: Vec<(String, Value)>,
    opts: CallOptions,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    next_key: Option<String>,
    seen_keys: Vec<String>,
    pages: u32,
}

/// What follows a page: resolves `_next()` to the next page. Not part of the public API:
/// the facade's `PageIterator` holds it.
#[wasm_bindgen(skip_typescript)]
pub struct Pages {
    shared: Rc<Shared>,
}

impl Pages {
    /// The first page of a list, with the ids, params and options already checked.
    pub fn first(
        inner: Rc<Inner>,
        route: &'static Route,
        ids: Vec<String>,
        params: Vec<(String, Value)>,
        opts: CallOptions,
    ) -> Promise {
        Pages {
            shared: Rc::new(Shared {
                inner,
                route,
                ids,
                params,
                opts,
                state: RefCell::new(State::default()),
            }),
        }
        .next_page()
    }
}

#[wasm_bindgen]
impl Pages {
    /// `[items, next]`: a page's items (an array, possibly empty) and what follows it: a
    /// `Pages` for the next page, `undefined` when the list is over, or the error the list
    /// ends with (raised after these items). Rejects with the error the page failed with
    /// (the same page may be asked for again).
    #[wasm_bindgen(js_name = _next)]
    pub fn next_page(&self) -> Promise {
        let sh = self.shared.clone();
        call::to_promise(Box::pin(async move {
            sh.page()
                .await
                .map_err(|(e, request)| super::errors::to_js(&e, request))
        }))
    }
}

impl Shared {
    async fn page(self: Rc<Self>) -> Result<JsValue, (Error, Option<String>)> {
        let call = {
            let st = self.state.borrow();
            let mut params = self.params.clone();
            if let Some(k) = &st.next_key {
                params.push(("page_key".into(), Value::Str(k.clone())));
            }
            let ids: Vec<&str> = self.ids.iter().map(String::as_str).collect();
            endpoints::build(&self.inner.config, self.route, &ids, &params)
                .map_err(|e| (e, None))?
        };
        let request = call.request.describe();
        let page = call::api(&self.inner, call, &self.opts)
            .await
            .map_err(|e| (e, Some(request.clone())))?;
        let items_key = match self.route.unwrap {
            Unwrap::Page(k) => k,
            _ => "",
        };
        let items = Reflect::get(&page, &items_key.into()).unwrap_or_default();
        let next = Reflect::get(&page, &"next_page_key".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty());
        let mut st = self.state.borrow_mut();
        st.pages = st.pages.saturating_add(1);
        let follows = match next {
            Some(k) if st.seen_keys.contains(&k) || st.pages >= MAX_PAGES => {
                let e = Error::new(
                    ErrorCode::Decode,
                    "pagination stopped: the server repeated a page_key",
                );
                super::errors::to_js(&e, Some(request))
            }
            Some(k) => {
                st.seen_keys.push(k.clone());
                st.next_key = Some(k);
                drop(st);
                Pages {
                    shared: self.clone(),
                }
                .into()
            }
            None => JsValue::UNDEFINED,
        };
        Ok(Array::of2(&items, &follows).into())
    }
}
