// One attempt of an HTTP call, entirely on the JS side: the fetch, its timeout, the caller's
// AbortSignal and the body read. A flight (src/js/call.rs) starts one per attempt and `drive`
// below awaits it; building the init object, the abort wiring and each await from Rust cost a
// boundary crossing (and a closure) apiece, the largest per-call cost the profile showed.
//
// The promise never rejects: it resolves to an Answer, whose `failure` says what went wrong
// (0 none, 1 the caller aborted, 2 the timeout fired, 3 a network or runtime error).
//
// A JSON answer is also read here, with the runtime's own property access: what the body is
// (`kind`), the envelope fields Rust's `core::response::interpret` judges (`success`,
// `envMessage`, `envError`), and the payload taken out the way the route's `Unwrap` says
// (`value`, or the `missing` field). The rules stay Rust's (which mode, what an answer means);
// doing the reads here saves a dozen boundary crossings, each with a key string, per call.

export class Answer {
  constructor(status, headers, body, failure, message) {
    this.status = status;
    this.headers = headers;
    this.body = body;
    this.failure = failure;
    this.message = message;
    // kind: 0 empty, 1 not JSON, 2 JSON but not an object, 3 a JSON object.
    this.kind = 0;
    // success: 0 absent (or not a boolean), 1 true, 2 false.
    this.success = 0;
    this.envMessage = undefined;
    this.envError = undefined;
    this.value = undefined;
    this.missing = undefined;
  }
}

const failed = (failure, message) => new Answer(0, undefined, undefined, failure, message);

// The read modes (`transport::ReadAs` in Rust): 0 text as is; 1 the parsed object (or
// undefined); 2-8 an API answer unwrapped as `Unwrap` says.
const TEXT = 0, JSON_OBJECT = 1, FIELD = 2, PAGE = 3, LICENSE = 4, MESSAGE = 5, WHOLE = 6, NOTHING = 7, BINARY = 8;

const isObject = (v) => typeof v === "object" && v !== null;

function read(answer, text, mode, key) {
  if (text.trim().length === 0) return;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    answer.kind = 1;
    return;
  }
  if (!isObject(value) || Array.isArray(value)) {
    answer.kind = 2;
    return;
  }
  answer.kind = 3;
  answer.success = value.success === true ? 1 : value.success === false ? 2 : 0;
  if (typeof value.message === "string") answer.envMessage = value.message;
  if (typeof value.error === "string") answer.envError = value.error;
  if (mode === JSON_OBJECT) {
    answer.value = value;
    return;
  }
  if (answer.status < 200 || answer.status >= 300 || answer.success === 2) return;
  unwrap(answer, value, mode, key);
}

function unwrap(answer, obj, mode, key) {
  switch (mode) {
    case FIELD: {
      const v = obj[key];
      if (v === undefined || v === null) answer.missing = key;
      else answer.value = v;
      return;
    }
    case PAGE: {
      const items = obj[key];
      if (!Array.isArray(items)) {
        answer.missing = key;
        return;
      }
      const out = { [key]: items };
      const next = obj.next_page_key;
      if (typeof next === "string" && next !== "") out.next_page_key = next;
      answer.value = out;
      return;
    }
    case LICENSE: {
      if (typeof obj.uses !== "number") {
        answer.missing = "uses";
        return;
      }
      const out = { uses: obj.uses };
      if (isObject(obj.purchase)) out.purchase = obj.purchase;
      else if (isObject(obj.imported_customer)) out.imported_customer = obj.imported_customer;
      else {
        answer.missing = "purchase";
        return;
      }
      answer.value = out;
      return;
    }
    case MESSAGE:
      answer.value = { message: obj.message };
      return;
    case WHOLE:
      delete obj.success;
      answer.value = obj;
      return;
    case NOTHING:
      // Resolves to undefined.
      return;
    default:
      // BINARY expected bytes (a JSON 2xx is not what the API sends): Rust says so.
      return;
  }
}

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
// mode, key: how to read the answer (above; BINARY reads a 2xx body as bytes, for downloads);
// timeoutMs: 0 for none.
export async function sendOnce(fetchFn, url, method, headers, body, mode, key, timeoutMs, signal) {
  const readBytes = mode === BINARY;
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
    const answer = new Answer(status, response.headers, content, 0, "");
    if (mode !== TEXT && typeof content === "string") read(answer, content, mode, key);
    return answer;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (signal) signal.removeEventListener("abort", abort);
  }
}

function classify(signal, controller) {
  if (signal && signal.aborted) return 1;
  return controller.signal.aborted ? 2 : 3;
}

// Runs a flight (src/js/call.rs) to its end. Rust judges each answer and says how long to wait
// before the next attempt (-1: the flight is over, its outcome set); this loop only sends,
// hands over and waits, so a call awaits no Rust future. Never rejects.
export async function drive(flight, signal) {
  for (;;) {
    const wait = flight.settle(await flight.send());
    if (wait < 0) return;
    if (!(await pause(wait, signal))) {
      flight.aborted();
      return;
    }
  }
}

// `drive`, then the outcome: the payload, or the typed error `finish` throws (`finish` takes
// the flight, which frees it).
export function run(flight, signal) {
  return drive(flight, signal).then(() => flight.finish());
}

// `drive`, then free the flight (its outcome stays with Rust): for callers that read the
// outcome themselves (the Worker's calls to Gumroad, pages in js/api.js).
export async function land(flight, signal) {
  try {
    await drive(flight, signal);
  } finally {
    flight.free();
  }
}

// Resolves to true after `ms`, or to false as soon as `signal` fires.
function pause(ms, signal) {
  return new Promise((resolve) => {
    if (signal && signal.aborted) {
      resolve(false);
      return;
    }
    const stop = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      if (signal) signal.removeEventListener("abort", stop);
      resolve(true);
    }, ms);
    if (signal) signal.addEventListener("abort", stop, { once: true });
  });
}
