//! `files.upload()`, start to end in one call: presign (Gumroad plans the parts), PUT each part's
//! bytes to its presigned storage URL, complete; on any failure abort, so the parts sent so far
//! do not stay in storage. The bytes come from a Blob (sliced), bytes (a view, no copy) or a
//! stream (read in order, each chunk once).

use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Blob};

use super::call::{self, CallOptions, Inner};
use super::errors::to_js;
use super::options::{OptionsObject, MAX_RETRIES_LIMIT, MAX_TIMEOUT_MS};
use super::transport::{self, set, RawResponse, ReadAs};
use crate::core::endpoints::{self, table::ROUTES};
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

#[wasm_bindgen]
extern "C" {
    /// Anything with `getReader()` (a ReadableStream of any realm).
    type Readable;
    #[wasm_bindgen(method, js_name = getReader, catch)]
    fn get_reader(this: &Readable) -> Result<Reader, JsValue>;

    type Reader;
    #[wasm_bindgen(method, catch)]
    fn read(this: &Reader) -> Result<Promise, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &Reader) -> Result<Promise, JsValue>;

    /// `{ value, done }` of a read.
    type Chunk;
    #[wasm_bindgen(method, getter)]
    fn done(this: &Chunk) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn value(this: &Chunk) -> JsValue;
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
    let size = match fields.raw_value("size") {
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

/// A part's bytes on their way (boxed: one small state machine per kind of source, not all of
/// them inside the upload's).
type Read<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, Error>> + 'a>>;

/// Opening the source, and the upload itself: boxed for the same reason.
type Opening<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Source, Error>> + 'a>>;
type Running<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<JsValue, Failure>> + 'a>>;

/// The bytes to upload.
enum Source {
    Blob(Blob),
    Bytes(Uint8Array),
    Stream(Stream),
}

/// A stream of known size, read in order.
struct Stream {
    reader: Reader,
    size: f64,
    /// Read but not yet sent.
    pending: Uint8Array,
    seen: f64,
    /// Settles with `undefined` when the caller's signal fires, so a stalled read cannot
    /// outlive an abort.
    aborted: Option<(Promise, AbortSignal, Function)>,
}

impl Source {
    async fn open(data: JsValue, plan: &Plan) -> Result<Source, Error> {
        if let Some(blob) = data.dyn_ref::<Blob>() {
            return Ok(Source::Blob(blob.clone()));
        }
        if let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() {
            return Ok(Source::Bytes(Uint8Array::new(buffer)));
        }
        if js_sys::ArrayBuffer::is_view(&data) {
            // Any view (typed array, DataView) as bytes over the same memory.
            let view: &Uint8Array = data.unchecked_ref();
            return Ok(Source::Bytes(Uint8Array::new_with_byte_offset_and_length(
                &view.buffer(),
                view.byte_offset(),
                view.byte_length(),
            )));
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
            return Ok(Source::Blob(
                whole(&data, plan.content_type.as_deref()).await?,
            ));
        };
        let reader = data
            .unchecked_ref::<Readable>()
            .get_reader()
            .map_err(|_| invalid("the stream cannot be read (is it locked?)"))?;
        let aborted = plan.opts.signal.as_ref().map(|s| {
            let mut listener = None;
            let promise = Promise::new(&mut |resolve, _| {
                let f = transport::bound(&resolve, &JsValue::UNDEFINED);
                let _ = s.add_event_listener_with_callback("abort", &f);
                listener = Some(f);
            });
            (promise, s.clone(), listener)
        });
        let aborted = aborted.and_then(|(p, s, f)| Some((p, s, f?)));
        Ok(Source::Stream(Stream {
            reader,
            size,
            pending: Uint8Array::new_with_length(0),
            seen: 0.0,
            aborted,
        }))
    }

    fn total(&self) -> f64 {
        match self {
            Source::Blob(b) => b.size(),
            Source::Bytes(b) => b.byte_length().into(),
            Source::Stream(s) => s.size,
        }
    }

    /// Bytes `start..end` as a fetch body. Parts are asked for in order, each once.
    fn part(&mut self, start: f64, end: f64) -> Read<'_> {
        match self {
            Source::Blob(b) => {
                let sliced = b
                    .slice_with_f64_and_f64(start, end)
                    .map(JsValue::from)
                    .map_err(|_| invalid("the Blob cannot be sliced"));
                Box::pin(std::future::ready(sliced))
            }
            Source::Bytes(b) => Box::pin(std::future::ready(Ok(b
                .subarray(start as u32, end as u32)
                .into()))),
            Source::Stream(s) => Box::pin(s.take(start, end)),
        }
    }

    /// Lets go of the stream: cancelled on failure, the abort listener removed in any case.
    fn close(&self, failed: bool) {
        if let Source::Stream(s) = self {
            if let Some((_, signal, f)) = &s.aborted {
                let _ = signal.remove_event_listener_with_callback("abort", f);
            }
            if failed {
                s.cancel();
            }
        }
    }
}

impl Stream {
    async fn next(&self) -> Result<Chunk, Error> {
        if self.aborted.as_ref().is_some_and(|(_, s, _)| s.aborted()) {
            return Err(transport::aborted());
        }
        let read = self
            .reader
            .read()
            .map_err(|_| invalid("the stream cannot be read"))?;
        let read = match &self.aborted {
            Some((aborted, _, _)) => Promise::race(&Array::of2(&read, aborted)),
            None => read,
        };
        let chunk = JsFuture::from(read)
            .await
            .map_err(|_| invalid("the stream failed while it was read"))?;
        if chunk.is_undefined() || self.aborted.as_ref().is_some_and(|(_, s, _)| s.aborted()) {
            return Err(transport::aborted());
        }
        Ok(chunk.unchecked_into())
    }

    async fn take(&mut self, start: f64, end: f64) -> Result<JsValue, Error> {
        let want = (end - start) as u32;
        let out = Uint8Array::new_with_length(want);
        let mut filled = 0u32;
        while filled < want {
            if self.pending.byte_length() == 0 {
                let chunk = self.next().await?;
                if chunk.done().is_truthy() {
                    return Err(invalid(&cat(&[
                        "the stream ended after ",
                        &crate::core::text::uint(self.seen as u64),
                        " of ",
                        &crate::core::text::uint(self.size as u64),
                        " bytes",
                    ])));
                }
                self.pending = bytes_of(&chunk.value())?;
                self.seen += f64::from(self.pending.byte_length());
            }
            let n = (want - filled).min(self.pending.byte_length());
            out.set(&self.pending.subarray(0, n), filled);
            self.pending = self.pending.subarray(n, self.pending.byte_length());
            filled += n;
        }
        if end >= self.size {
            // The last part: the stream must end here.
            let more = self.pending.byte_length() > 0 || !self.next().await?.done().is_truthy();
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
        if let Ok(p) = self.reader.cancel() {
            // Awaited, so a cancel that rejects is handled, not an unhandled rejection.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(p).await;
            });
        }
    }
}

/// A stream chunk as bytes (a Uint8Array, another view, or an ArrayBuffer).
fn bytes_of(value: &JsValue) -> Result<Uint8Array, Error> {
    if let Some(b) = value.dyn_ref::<Uint8Array>() {
        return Ok(b.clone());
    }
    if let Some(buffer) = value.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(buffer));
    }
    if js_sys::ArrayBuffer::is_view(value) {
        let view: &Uint8Array = value.unchecked_ref();
        return Ok(Uint8Array::new_with_byte_offset_and_length(
            &view.buffer(),
            view.byte_offset(),
            view.byte_length(),
        ));
    }
    Err(invalid("the stream must yield bytes (Uint8Array chunks)"))
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
        let opening: Opening<'_> = Box::pin(Source::open(data, &plan));
        let outcome = match opening.await {
            Err(e) => Err((e, None)),
            Ok(mut source) => {
                let running: Running<'_> = Box::pin(run(&inner, &plan, &mut source, &mut started));
                let outcome = running.await;
                source.close(outcome.is_err());
                outcome
            }
        };
        if let (Err(_), Some(ids)) = (&outcome, started) {
            // Free the storage of the parts sent so far; the caller sees the first error.
            if let Ok(abort) = table_call(&inner, "files.abort", &ids) {
                let _ = call::api(&inner, abort, &plan.opts).await;
            }
        }
        outcome.map_err(|(e, request)| to_js(&e, request))
    }))
}

/// A route of the endpoint table by name, with a JS params object (as the facade passes it).
#[inline(never)]
fn table_call(inner: &Inner, name: &str, params: &JsValue) -> Result<endpoints::Call, Error> {
    let route = ROUTES
        .iter()
        .find(|r| r.name == name)
        .ok_or_else(|| Error::invalid_argument("unknown route"))?;
    let p = super::params::params(params, route.name)?;
    endpoints::build(&inner.config, route, &[], &p)
}

/// Sends `name` with `params`; the error carries the request it came from.
fn send<'a>(
    inner: &'a Inner,
    name: &'a str,
    params: &'a JsValue,
    opts: &'a CallOptions,
) -> Running<'a> {
    Box::pin(async move {
        let c = table_call(inner, name, params).map_err(|e| (e, None))?;
        let request = c.request.describe();
        call::api(inner, c, opts)
            .await
            .map_err(|e| (e, Some(request)))
    })
}

fn decode(message: &str) -> Failure {
    (
        Error::new(ErrorCode::Decode, cat(&["files.upload: ", message])),
        None,
    )
}

#[inline(never)]
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

#[inline(never)]
fn field(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or_default()
}

/// `onProgress({ part, parts, loaded, total })`.
#[inline(never)]
fn progress(f: &Function, values: &[f64; 4]) {
    let o = Object::new();
    for (k, v) in ["part", "parts", "loaded", "total"].iter().zip(values) {
        set(&o, k, &JsValue::from_f64(*v));
    }
    // A progress callback that throws must not break the upload.
    let _ = f.call1(&JsValue::UNDEFINED, &o);
}

/// The parts of a presign answer in part-number order (numbered 1..n, each once), and the size
/// of each but the last.
#[inline(never)]
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
#[inline(never)]
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
#[inline(never)]
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
