//! `iterate()`: the pages of a paged list, following `page_key`. The async iterator users see
//! (`PageIterator`, in the facade) buffers each page's items and asks for the next page, one
//! call into the wasm per page.
//!
//! A repeating `next_page_key` ends the iteration with a `decode` error (after that page's
//! items) instead of looping forever.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Promise, Reflect};
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
    done: bool,
    /// The error the list ends with, raised once the page before it was handed out.
    pending_error: Option<(Error, String)>,
    pages: u32,
}

/// The pages of one `iterate()`. Not part of the public API: the facade wraps it.
#[wasm_bindgen(skip_typescript)]
pub struct Pages {
    shared: Rc<Shared>,
}

impl Pages {
    pub fn new(
        inner: Rc<Inner>,
        route: &'static Route,
        ids: Vec<String>,
        params: Vec<(String, Value)>,
        opts: CallOptions,
    ) -> Pages {
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
    }
}

#[wasm_bindgen]
impl Pages {
    /// The next page's items (an array, possibly empty), or `undefined` once the list is over;
    /// rejects with the error a page ended with (that page may be asked for again).
    #[wasm_bindgen(js_name = _next)]
    pub fn next_page(&self) -> Promise {
        let sh = self.shared.clone();
        call::to_promise(Box::pin(async move {
            sh.next_page()
                .await
                .map_err(|(e, request)| super::errors::to_js(&e, request))
        }))
    }

    /// Ends the iteration (`return()`): a page on its way is dropped.
    #[wasm_bindgen(js_name = _stop)]
    pub fn stop(&self) {
        let mut st = self.shared.state.borrow_mut();
        st.done = true;
        st.pending_error = None;
    }
}

impl Shared {
    async fn next_page(&self) -> Result<JsValue, (Error, Option<String>)> {
        let call = {
            let mut st = self.state.borrow_mut();
            if st.done {
                return match st.pending_error.take() {
                    Some((e, request)) => Err((e, Some(request))),
                    None => Ok(JsValue::UNDEFINED),
                };
            }
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
        let mut st = self.state.borrow_mut();
        if st.done {
            // `return()` was called while the page was on its way: the iteration is over.
            return Ok(JsValue::UNDEFINED);
        }
        let items_key = match self.route.unwrap {
            Unwrap::Page(k) => k,
            _ => "",
        };
        let items = Reflect::get(&page, &items_key.into()).unwrap_or_default();
        let next = Reflect::get(&page, &"next_page_key".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty());
        st.pages = st.pages.saturating_add(1);
        match next {
            Some(k) if st.seen_keys.contains(&k) || st.pages >= MAX_PAGES => {
                st.done = true;
                let e = Error::new(
                    ErrorCode::Decode,
                    "pagination stopped: the server repeated a page_key",
                );
                st.pending_error = Some((e, request));
            }
            Some(k) => {
                st.seen_keys.push(k.clone());
                st.next_key = Some(k);
            }
            None => st.done = true,
        }
        Ok(items)
    }
}
