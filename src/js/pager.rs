//! `iterate()`: an async iterator over every item of a paged list, following `page_key`.
//!
//! `next()` calls are serialised (each waits for the previous one), so `for await` and
//! concurrent misuse alike see every item once, in order. A repeating `next_page_key` ends the
//! iteration with a `decode` error instead of looping forever.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::call::{CallOptions, Flight, Inner, Landing};
use super::errors::to_js;
use crate::core::endpoints::{self, route::Route, Value};
use crate::core::error::{Error, ErrorCode};
use crate::core::response::Unwrap;

// In api.js with the other client-side JS, not a file of its own: with five snippet modules the
// browser wasm tests stalled on a 2-core machine (Chromium's import of the fifth never finished
// from wasm-bindgen-test-runner's tiny-http server); with four they pass. `next()` is written
// there too: it takes buffered items from `_take`, and drives a page's flight (`_fetch`, then
// `_accept`) when the buffer is empty, one call at a time.
#[wasm_bindgen(module = "/js/api.js")]
extern "C" {
    #[wasm_bindgen(js_name = installAsyncIterator)]
    fn install_async_iterator(obj: &JsValue) -> JsValue;
}

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
    /// The page being fetched.
    in_flight: RefCell<Option<Landing>>,
}

#[derive(Default)]
struct State {
    buffer: VecDeque<JsValue>,
    next_key: Option<String>,
    seen_keys: Vec<String>,
    done: bool,
    /// Raised once the buffer is drained (the items before a bad page are still delivered).
    pending_error: Option<(Error, String)>,
    pages: u32,
    items: u32,
}

/// Returned by `iterate()`: use it with `for await`, or call `next()` yourself. Its type for
/// users is `PageIterator<T>` (declared with the resources).
#[wasm_bindgen(skip_typescript)]
pub struct Paginator {
    shared: Rc<Shared>,
}

impl Paginator {
    pub fn create(
        inner: Rc<Inner>,
        route: &'static Route,
        ids: Vec<String>,
        params: Vec<(String, Value)>,
        opts: CallOptions,
    ) -> JsValue {
        let p = Paginator {
            shared: Rc::new(Shared {
                inner,
                route,
                ids,
                params,
                opts,
                state: RefCell::new(State::default()),
                in_flight: RefCell::new(None),
            }),
        };
        install_async_iterator(&JsValue::from(p))
    }
}

fn iter_result(value: &JsValue, done: bool) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"value".into(), value);
    let _ = Reflect::set(&o, &"done".into(), &done.into());
    o.into()
}

#[wasm_bindgen]
impl Paginator {
    /// The next buffered item; `undefined` when there is none (then `_done` says whether the
    /// iteration is over or a page has to be fetched). Once the items before a failed page are
    /// handed out, throws the error the iteration ended with. (Items are JSON values, never
    /// `undefined`; the `{ value, done }` objects are made in JS.)
    #[wasm_bindgen(js_name = _take)]
    pub fn take(&self) -> Result<JsValue, JsValue> {
        let mut st = self.shared.state.borrow_mut();
        if let Some(v) = st.buffer.pop_front() {
            st.items = st.items.saturating_add(1);
            return Ok(v);
        }
        if st.done {
            if let Some((e, request)) = st.pending_error.take() {
                return Err(to_js(&e, Some(request)));
            }
        }
        Ok(JsValue::UNDEFINED)
    }

    /// No items will come any more.
    #[wasm_bindgen(getter, js_name = _done)]
    pub fn is_done(&self) -> bool {
        let st = self.shared.state.borrow();
        st.done && st.buffer.is_empty()
    }

    /// The flight of the next page, for `land` (js/transport.js).
    #[wasm_bindgen(js_name = _fetch)]
    pub fn fetch(&self) -> Result<JsValue, JsValue> {
        let sh = &self.shared;
        let mut params = sh.params.clone();
        if let Some(k) = &sh.state.borrow().next_key {
            params.push(("page_key".into(), Value::Str(k.clone())));
        }
        let ids: Vec<&str> = sh.ids.iter().map(String::as_str).collect();
        let call = endpoints::build(&sh.inner.config, sh.route, &ids, &params)
            .map_err(|e| to_js(&e, None))?;
        let flight = Flight::api(sh.inner.clone(), call, sh.opts.clone());
        *sh.in_flight.borrow_mut() = Some(flight.landing());
        Ok(JsValue::from(flight))
    }

    /// Takes in the page the flight brought, or throws the error it ended with.
    #[wasm_bindgen(js_name = _accept)]
    pub fn accept(&self) -> Result<(), JsValue> {
        let Some(landing) = self.shared.in_flight.borrow_mut().take() else {
            return Ok(());
        };
        let request = landing.describe();
        let page = landing
            .take()
            .map_err(|e| to_js(&e, Some(request.clone())))?;
        if self.shared.state.borrow().done {
            // `return()` was called while the page was on its way: the iteration is over.
            return Ok(());
        }
        let items_key = match self.shared.route.unwrap {
            Unwrap::Page(k) => k,
            _ => "",
        };
        let items = Reflect::get(&page, &items_key.into()).unwrap_or(JsValue::UNDEFINED);
        let next = Reflect::get(&page, &"next_page_key".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|s| !s.is_empty());
        let mut st = self.shared.state.borrow_mut();
        st.pages = st.pages.saturating_add(1);
        if Array::is_array(&items) {
            st.buffer.extend(Array::from(&items).iter());
        }
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
        Ok(())
    }

    /// The caller's signal, which also cuts short the waits between a page's attempts.
    #[wasm_bindgen(getter, js_name = _signal)]
    pub fn signal(&self) -> Option<AbortSignal> {
        self.shared.opts.signal.clone()
    }

    /// Stops the iteration (called by `break` in `for await`).
    #[wasm_bindgen(
        js_name = "return",
        unchecked_return_type = "Promise<IteratorResult<unknown, undefined>>"
    )]
    pub fn finish(&self) -> Promise {
        {
            let mut st = self.shared.state.borrow_mut();
            st.done = true;
            st.buffer.clear();
            st.pending_error = None;
        }
        Promise::resolve(&iter_result(&JsValue::UNDEFINED, true))
    }

    /// Pages fetched so far.
    #[wasm_bindgen(getter)]
    pub fn pages(&self) -> u32 {
        self.shared.state.borrow().pages
    }

    /// Items handed out so far.
    #[wasm_bindgen(getter)]
    pub fn items(&self) -> u32 {
        self.shared.state.borrow().items
    }
}
