//! `files.upload()`, start to end in one call: presign (Gumroad plans the parts), PUT each part's
//! bytes to its presigned storage URL, complete; on any failure abort, so the parts sent so far
//! do not stay in storage. The bytes come from a Blob (sliced), bytes (a view, no copy) or a
//! stream (read in order, each chunk once).

use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob};

use super::call::{self, CallOptions, Inner};
use super::errors::to_js;
use super::options::{OptionsObject, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS};
use super::transport::{self, set, RawResponse, ReadAs};
use crate::core::endpoints::{self, table};
use crate::core::error::{Error, ErrorCode};
use crate::core::request::{is_loopback, HttpRequest, Method};
use crate::core::text::cat;

/// Gumroad cuts files into parts of this size.
const PART_SIZE: f64 = 100.0 * 1024.0 * 1024.0;
/// A part can take long on a slow link: its own timeout unless the caller set one.
const PART_TIMEOUT_MS: u32 = 600_000;
const OPTIONS: [&str; 7] = [
    "filename",
    "contentType",
    "size",
    "signal",
    "onProgress",
    "timeoutMs",
    "maxRetries",
];

// Every binding on caller-supplied objects catches: a detached buffer, a throwing getter or a
// reader that returns something odd must become an error, never a JS exception unwinding
// through the wasm. Sizes and offsets are f64 (typed arrays may exceed 4 GiB).
#[wasm_bindgen]
extern "C" {
    /// Anything with `getReader()` (a ReadableStream of any realm).
    type Readable;
    #[wasm_bindgen(method, js_name = getReader, catch)]
    fn get_reader(this: &Readable) -> Result<Reader, JsValue>;

    type Reader;
    #[wasm_bindgen(method, catch)]
    fn read(this: &Reader) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &Reader) -> Result<JsValue, JsValue>;

    /// A `Uint8Array`.
    #[wasm_bindgen(js_name = Uint8Array)]
    type View;
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn over(buffer: &JsValue, offset: f64, length: f64) -> Result<View, JsValue>;
    #[wasm_bindgen(constructor, js_class = "Uint8Array", catch)]
    fn zeroed(length: f64) -> Result<View, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn subarray(this: &View, begin: f64, end: f64) -> Result<View, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn set(this: &View, source: &View, offset: f64) -> Result<(), JsValue>;
}

/// A number-valued property (`size`, `byteLength`, ...), if it reads as a whole number >= 0.
fn count_of(o: &JsValue, key: &str) -> Option<f64> {
    let n = Reflect::get(o, &JsValue::from_str(key)).ok()?.as_f64()?;
    (n.is_finite() && n >= 0.0 && n.fract() == 0.0).then_some(n)
}

/// Caller bytes (an ArrayBuffer or any view: typed array, DataView) as a `Uint8Array` over the
/// same memory, with its length.
fn view_of(data: &JsValue) -> Option<(View, f64)> {
    let (buffer, offset) = if data.dyn_ref::<js_sys::ArrayBuffer>().is_some() {
        (data.clone(), 0.0)
    } else if js_sys::ArrayBuffer::is_view(data) {
        (
            Reflect::get(data, &JsValue::from_str("buffer")).ok()?,
            count_of(data, "byteOffset")?,
        )
    } else {
        return None;
    };
    let length = count_of(data, "byteLength")?;
    Some((View::over(&buffer, offset, length).ok()?, length))
}

/// An upload's error, with the request it came from (for the error's `request` field).
type Failure = (Error, Option<String>);

fn invalid(message: &str) -> Error {
    Error::invalid_argument(cat(&["files.upload: ", message]))
}

/// The call's options, checked before anything is read or sent.
struct Plan {
    filename: String,
    size: Option<f64>,
    content_type: Option<String>,
    on_progress: Option<Function>,
    opts: CallOptions,
}

fn plan(options: &JsValue) -> Result<Plan, Error> {
    let fields = OptionsObject::new(options, "files.upload option", &OPTIONS)?;
    let filename = fields
        .string("filename")?
        .filter(|f| !f.trim().is_empty())
        .ok_or_else(|| invalid("options.filename is required"))?;
    let size = match fields.raw_value("size")? {
        None => None,
        Some(v) => match v.as_f64() {
            Some(n) if n.fract() == 0.0 && n > 0.0 && n <= 9_007_199_254_740_991.0 => Some(n),
            _ => return Err(invalid("options.size must be a positive integer")),
        },
    };
    Ok(Plan {
        filename,
        size,
        content_type: fields.string("contentType")?,
        on_progress: fields.function("onProgress")?,
        opts: CallOptions {
            signal: fields.signal("signal")?,
            timeout_ms: fields.uint("timeoutMs", MAX_TIMEOUT_MS)?,
            max_retries: fields.uint("maxRetries", MAX_RETRIES_LIMIT)?,
        },
    })
}

/// The bytes to upload.
enum Source {
    Blob(Blob, f64),
    Bytes(View, f64),
    Stream(Stream),
}

/// A stream of known size, read in order.
struct Stream {
    reader: Reader,
    size: f64,
    /// Read but not yet sent, and its length.
    pending: Option<(View, f64)>,
    seen: f64,
    signal: Option<AbortSignal>,
}

impl Source {
    async fn open(data: JsValue, plan: &Plan) -> Result<Source, Error> {
        if let Some(blob) = data.dyn_ref::<Blob>() {
            let size =
                count_of(blob, "size").ok_or_else(|| invalid("the Blob's size cannot be read"))?;
            return Ok(Source::Blob(blob.clone(), size));
        }
        if data.dyn_ref::<js_sys::ArrayBuffer>().is_some() || js_sys::ArrayBuffer::is_view(&data) {
            let (view, length) = view_of(&data)
                .ok_or_else(|| invalid("the bytes cannot be read (is their buffer detached?)"))?;
            return Ok(Source::Bytes(view, length));
        }
        let is_stream = data.is_object()
            && Reflect::get(&data, &JsValue::from_str("getReader")).is_ok_and(|f| f.is_function());
        if !is_stream {
            return Err(invalid(
                "data must be a Blob, a Uint8Array (or ArrayBuffer) or a ReadableStream",
            ));
        }
        let Some(size) = plan.size else {
            // Without a size the parts cannot be planned: read it all (pass `size` to stream).
            let blob = whole(&data, plan.content_type.as_deref()).await?;
            let size =
                count_of(&blob, "size").ok_or_else(|| invalid("the stream cannot be read"))?;
            return Ok(Source::Blob(blob, size));
        };
        let reader = data
            .unchecked_ref::<Readable>()
            .get_reader()
            .map_err(|_| invalid("the stream cannot be read (is it locked?)"))?;
        Ok(Source::Stream(Stream {
            reader,
            size,
            pending: None,
            seen: 0.0,
            signal: plan.opts.signal.clone(),
        }))
    }

    fn total(&self) -> f64 {
        match self {
            Source::Blob(_, size) | Source::Bytes(_, size) => *size,
            Source::Stream(s) => s.size,
        }
    }

    /// Bytes `start..end` as a fetch body. Parts are asked for in order, each once.
    async fn part(&mut self, start: f64, end: f64) -> Result<JsValue, Error> {
        match self {
            Source::Blob(b, _) => b
                .slice_with_f64_and_f64(start, end)
                .map(JsValue::from)
                .map_err(|_| invalid("the Blob cannot be sliced")),
            Source::Bytes(b, _) => b
                .subarray(start, end)
                .map(JsValue::from)
                .map_err(|_| invalid("the bytes cannot be read (is their buffer detached?)")),
            Source::Stream(s) => s.take(start, end).await,
        }
    }

    /// Lets go of the stream when the upload failed: cancelled, so its source stops.
    fn close(&self, failed: bool) {
        if let (Source::Stream(s), true) = (self, failed) {
            s.cancel();
        }
    }
}

impl Stream {
    fn aborted(&self) -> bool {
        self.signal.as_ref().is_some_and(transport::is_aborted)
    }

    /// The next `(done, value)` of the reader. A stalled read does not outlive an abort: it is
    /// raced against the caller's signal, with a listener added for this read only (one
    /// promise kept across reads would keep every chunk alive until the upload ends).
    async fn next(&self) -> Result<(bool, JsValue), Error> {
        if self.aborted() {
            return Err(transport::aborted());
        }
        let read = self
            .reader
            .read()
            .and_then(|r| transport::as_promise(&r))
            .map_err(|_| invalid("the stream cannot be read"))?;
        let mut listener: Option<Function> = None;
        let read = match &self.signal {
            Some(s) => {
                let stop = Promise::new(&mut |resolve, _| {
                    let f = transport::bound(&resolve, &JsValue::UNDEFINED);
                    let _ = s.add_event_listener_with_callback("abort", &f);
                    listener = Some(f);
                });
                Promise::race(&Array::of2(&read, &stop))
            }
            None => read,
        };
        let chunk = JsFuture::from(read).await;
        if let (Some(s), Some(f)) = (&self.signal, &listener) {
            let _ = s.remove_event_listener_with_callback("abort", f);
        }
        if self.aborted() {
            return Err(transport::aborted());
        }
        let chunk = chunk.map_err(|_| invalid("the stream failed while it was read"))?;
        let odd = || invalid("the stream's reader must resolve to { value, done }");
        if !chunk.is_object() {
            return Err(odd());
        }
        let done = Reflect::get(&chunk, &JsValue::from_str("done")).map_err(|_| odd())?;
        if done.is_truthy() {
            return Ok((true, JsValue::UNDEFINED));
        }
        let value = Reflect::get(&chunk, &JsValue::from_str("value")).map_err(|_| odd())?;
        Ok((false, value))
    }

    async fn take(&mut self, start: f64, end: f64) -> Result<JsValue, Error> {
        let detached = || invalid("the stream's bytes cannot be read (is their buffer detached?)");
        let want = end - start;
        let out = View::zeroed(want).map_err(|_| invalid("no memory for a part"))?;
        let mut filled = 0.0;
        while filled < want {
            let (chunk, length) = match self.pending.take() {
                Some(p) => p,
                None => {
                    let (done, value) = self.next().await?;
                    if done {
                        return Err(invalid(&cat(&[
                            "the stream ended after ",
                            &crate::core::text::uint(self.seen as u64),
                            " of ",
                            &crate::core::text::uint(self.size as u64),
                            " bytes",
                        ])));
                    }
                    let (view, length) = view_of(&value).ok_or_else(|| {
                        invalid("the stream must yield bytes (Uint8Array chunks)")
                    })?;
                    self.seen += length;
                    (view, length)
                }
            };
            let n = (want - filled).min(length);
            let head = chunk.subarray(0.0, n).map_err(|_| detached())?;
            out.set(&head, filled).map_err(|_| detached())?;
            if n < length {
                let rest = chunk.subarray(n, length).map_err(|_| detached())?;
                self.pending = Some((rest, length - n));
            }
            filled += n;
        }
        if end >= self.size {
            // The last part: the stream must end here.
            let more = self.pending.is_some() || !self.next().await?.0;
            if more {
                return Err(invalid(&cat(&[
                    "the stream holds more than the ",
                    &crate::core::text::uint(self.size as u64),
                    " bytes given as size",
                ])));
            }
        }
        Ok(out.into())
    }

    fn cancel(&self) {
        if let Ok(p) = self.reader.cancel().and_then(|r| transport::as_promise(&r)) {
            // Awaited, so a cancel that rejects is handled, not an unhandled rejection.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

/// A whole stream as one Blob (of `content_type`, when given).
async fn whole(stream: &JsValue, content_type: Option<&str>) -> Result<Blob, Error> {
    let unreadable = |_| invalid("the stream cannot be read");
    let response = web_sys::Response::new_with_opt_readable_stream(Some(stream.unchecked_ref()))
        .map_err(unreadable)?;
    let blob: Blob = JsFuture::from(response.blob().map_err(unreadable)?)
        .await
        .map_err(|_| invalid("the stream failed while it was read"))?
        .unchecked_into();
    let Some(t) = content_type else {
        return Ok(blob);
    };
    let fields = web_sys::BlobPropertyBag::new();
    fields.set_type(t);
    Blob::new_with_blob_sequence_and_options(&Array::of1(&blob), &fields).map_err(unreadable)
}

/// `files.upload(data, options)`: resolves to `{ url, display_name }` (what a product's
/// `files[]` takes).
pub fn upload(inner: Rc<Inner>, data: JsValue, options: &JsValue) -> Promise {
    let plan = match plan(options) {
        Ok(p) => p,
        Err(e) => return call::refused(&e),
    };
    call::to_promise(Box::pin(async move {
        let mut started = None;
        let outcome = match Source::open(data, &plan).await {
            Err(e) => Err((e, None)),
            Ok(mut source) => {
                let outcome = run(&inner, &plan, &mut source, &mut started).await;
                source.close(outcome.is_err());
                outcome
            }
        };
        if let (Err(_), Some(ids)) = (&outcome, started) {
            // Free the storage of the parts sent so far; the caller sees the first error. Not
            // with the caller's options: an upload the caller aborted has its signal fired.
            if let Ok(abort) = table_call(&inner, "files.abort", &ids) {
                let _ = call::api(&inner, abort, &CallOptions::default()).await;
            }
        }
        outcome.map_err(|(e, request)| to_js(&e, request))
    }))
}

/// A route of the endpoint table by name, with a JS params object (as the facade passes it).
fn table_call(inner: &Inner, name: &str, params: &JsValue) -> Result<endpoints::Call, Error> {
    let route = table::find(name).ok_or_else(|| Error::invalid_argument("unknown route"))?;
    let p = super::params::params(params, route.name)?;
    endpoints::build(&inner.config, route, &[], &p)
}

/// Sends `name` with `params`; the error carries the request it came from.
async fn send(
    inner: &Inner,
    name: &str,
    params: &JsValue,
    opts: &CallOptions,
) -> Result<JsValue, Failure> {
    let c = table_call(inner, name, params).map_err(|e| (e, None))?;
    let request = c.request.describe();
    call::api(inner, c, opts)
        .await
        .map_err(|e| (e, Some(request)))
}

fn decode(message: &str) -> Failure {
    (
        Error::new(ErrorCode::Decode, cat(&["files.upload: ", message])),
        None,
    )
}

fn object(pairs: &[(&str, &JsValue)]) -> JsValue {
    let o = Object::new();
    for (k, v) in pairs {
        set(&o, k, v);
    }
    o.into()
}

async fn run(
    inner: &Inner,
    plan: &Plan,
    source: &mut Source,
    started: &mut Option<JsValue>,
) -> Result<JsValue, Failure> {
    let total = source.total();
    if total <= 0.0 {
        return Err((invalid("the file is empty"), None));
    }
    let filename = JsValue::from_str(&plan.filename);
    let presign_params = object(&[("filename", &filename), ("file_size", &total.into())]);
    let presign = send(inner, "files.presign", &presign_params, &plan.opts).await?;
    let ids = object(&[
        ("upload_id", &field(&presign, "upload_id")),
        ("key", &field(&presign, "key")),
    ]);
    *started = Some(ids.clone());
    let (parts, part_size) = plan_parts(&presign, total)?;
    let count = parts.len() as f64;
    let part_opts = CallOptions {
        timeout_ms: Some(plan.opts.timeout_ms.unwrap_or(PART_TIMEOUT_MS)),
        ..plan.opts.clone()
    };
    let done = Array::new();
    for (i, part) in parts.iter().enumerate() {
        let number = (i + 1) as f64;
        let start = i as f64 * part_size;
        let end = total.min(start + part_size);
        let body = source.part(start, end).await.map_err(|e| (e, None))?;
        let req = part_request(&field(part, "presigned_url"), inner.allow_insecure)
            .map_err(|e| (e, None))?;
        let etag = call::retried(
            inner,
            &req,
            Some(&body),
            ReadAs::Text,
            true,
            &part_opts,
            &part_etag,
        )
        .await
        .map_err(|e| (e, Some(req.describe())))?;
        done.push(&object(&[("part_number", &number.into()), ("etag", &etag)]));
        if let Some(f) = &plan.on_progress {
            progress(f, &[number, count, end, total]);
        }
    }
    let complete_params = object(&[
        ("upload_id", &field(&ids, "upload_id")),
        ("key", &field(&ids, "key")),
        ("parts", &done.into()),
    ]);
    let complete = send(inner, "files.complete", &complete_params, &plan.opts).await?;
    Ok(object(&[
        ("url", &field(&complete, "file_url")),
        ("display_name", &filename),
    ]))
}

fn field(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or_default()
}

/// `onProgress({ part, parts, loaded, total })`.
fn progress(f: &Function, values: &[f64; 4]) {
    let o = Object::new();
    for (k, v) in ["part", "parts", "loaded", "total"].iter().zip(values) {
        set(&o, k, &JsValue::from_f64(*v));
    }
    // A progress callback that throws or rejects must not break the upload.
    super::hooks::deliver(f, &o);
}

/// The parts of a presign answer in part-number order (numbered 1..n, each once), and the size
/// of each but the last.
fn plan_parts(presign: &JsValue, total: f64) -> Result<(Vec<JsValue>, f64), Failure> {
    let listed = field(presign, "parts");
    let listed = if Array::is_array(&listed) {
        Array::from(&listed)
    } else {
        Array::new()
    };
    let mut slots: Vec<Option<JsValue>> = vec![None; listed.length() as usize];
    for p in listed.iter() {
        let n = field(&p, "part_number").as_f64().unwrap_or(0.0);
        let slot = (n.fract() == 0.0 && n >= 1.0)
            .then(|| slots.get_mut(n as usize - 1))
            .flatten()
            .filter(|s| s.is_none());
        match slot {
            Some(s) => *s = Some(p),
            None => return Err(decode("the presign answer has no usable parts")),
        }
    }
    let parts: Vec<JsValue> = slots.into_iter().flatten().collect();
    if parts.is_empty() {
        return Err(decode("the presign answer has no usable parts"));
    }
    let count = parts.len() as f64;
    // If the server planned another count than Gumroad's 100 MiB parts give, split into that
    // many equal parts (valid multipart storage as long as each is at least 5 MiB).
    let part_size = if (total / PART_SIZE).ceil() == count {
        PART_SIZE
    } else {
        (total / count).ceil()
    };
    // Parts past 4 GiB are beyond what one typed array holds (and Gumroad plans 100 MiB).
    if (count - 1.0) * part_size >= total || part_size > f64::from(u32::MAX) {
        return Err(decode(&cat(&[
            "the presign answer plans ",
            &crate::core::text::uint(count as u64),
            " parts for ",
            &crate::core::text::uint(total as u64),
            " bytes",
        ])));
    }
    Ok((parts, part_size))
}

/// A part's PUT. The URL must be https (http only to a loopback host, or with
/// `allowInsecureHttp`), and it never gets our credentials: it carries its own signature.
/// A part PUT is idempotent (the same bytes under the same part number), so transient failures
/// are retried like reads.
fn part_request(url: &JsValue, allow_insecure: bool) -> Result<HttpRequest, Error> {
    let url = url
        .as_string()
        .ok_or_else(|| Error::new(ErrorCode::Decode, "presign answer: a part has no URL"))?;
    Ok(HttpRequest {
        method: Method::Put,
        url: checked(&url, allow_insecure)?,
        headers: Vec::new(),
        body: None,
    })
}

/// A part PUT's answer: its ETag, or why the storage refused it.
fn part_etag(raw: &RawResponse) -> Result<JsValue, Error> {
    let status = raw.status;
    if !(200..300).contains(&status) {
        let code = if status >= 500 || status == 429 {
            ErrorCode::Api
        } else {
            ErrorCode::InvalidRequest
        };
        let message = cat(&[
            "the file storage refused a part (HTTP ",
            &crate::core::text::uint(status.into()),
            ")",
        ]);
        return Err(Error::new(code, message).with_status(status));
    }
    raw.header("etag").map(JsValue::from).ok_or_else(|| {
        Error::new(
            ErrorCode::Decode,
            "the file storage answered without an ETag (in a browser, its CORS rules must expose ETag)",
        )
        .with_status(status)
    })
}

/// The part URL, if it is one we may send bytes to.
fn checked(url: &str, allow_insecure: bool) -> Result<String, Error> {
    let p = super::url::parts(url, "a presigned part URL")
        .map_err(|e| Error::new(ErrorCode::Decode, e.message))?;
    let ok =
        p.scheme == "https" || (p.scheme == "http" && (allow_insecure || is_loopback(&p.host)));
    if !ok || p.has_credentials {
        return Err(Error::new(
            ErrorCode::Decode,
            "presign answer: a part URL is not https",
        ));
    }
    Ok(p.href)
}
