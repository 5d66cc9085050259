// One attempt of an HTTP call, entirely on the JS side: the fetch, its timeout, the caller's
// AbortSignal and the body read. The wasm calls this once per attempt and awaits one promise;
// building the init object, the abort wiring and each await from Rust cost a boundary crossing
// (and a closure) apiece, the largest per-call cost the profile showed.
//
// The promise never rejects: it resolves to an Answer, whose `failure` says what went wrong
// (0 none, 1 the caller aborted, 2 the timeout fired, 3 a network or runtime error).

export class Answer {
  constructor(status, headers, body, failure, message) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.failure = failure;
    this.message = message;
  }
}

const failed = (failure, message) => new Answer(0, undefined, undefined, failure, message);

/** The `message` of a thrown value, without assuming it is an Error. */
function messageOf(e) {
  if (typeof e === "string") return e;
  try {
    const m = e && e.message;
    return typeof m === "string" ? m : "unknown error";
  } catch {
    return "unknown error";
  }
}

// headers: [name, value, name, value, ...]; body: a string, a Blob/bytes, or undefined;
// readBytes: read a 2xx body as bytes (downloads); timeoutMs: 0 for none.
export async function sendOnce(fetchFn, url, method, headers, body, readBytes, timeoutMs, signal) {
  if (signal && signal.aborted) return failed(1, "");
  const controller = new AbortController();
  // An explicit `undefined` reason: as an event listener, `abort` would get the Event.
  const abort = () => controller.abort(undefined);
  if (signal) signal.addEventListener("abort", abort);
  const timer = timeoutMs > 0 ? setTimeout(abort, timeoutMs) : undefined;
  try {
    const h = {};
    for (let i = 0; i + 1 < headers.length; i += 2) h[headers[i]] = headers[i + 1];
    const init = { method, headers: h, signal: controller.signal };
    if (body !== undefined) init.body = body;
    let response;
    try {
      const pending = fetchFn ? fetchFn(url, init) : fetch(url, init);
      if (fetchFn && !(pending instanceof Promise) && !(pending && typeof pending.then === "function")) {
        return failed(3, "the fetch option did not return a Promise");
      }
      response = await pending;
    } catch (e) {
      return failed(classify(signal, controller), messageOf(e));
    }
    if (!(response instanceof Response)) return failed(3, "fetch did not resolve to a Response");
    const status = response.status;
    let content;
    try {
      content = readBytes && status >= 200 && status < 300 ? new Uint8Array(await response.arrayBuffer()) : await response.text();
    } catch (e) {
      return failed(classify(signal, controller), `reading the body failed: ${messageOf(e)}`);
    }
    return new Answer(status, response.headers, content, 0, "");
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (signal) signal.removeEventListener("abort", abort);
  }
}

function classify(signal, controller) {
  if (signal && signal.aborted) return 1;
  return controller.signal.aborted ? 2 : 3;
}
