// The `hooks` and `debug` options of GumroadClient: event objects and log lines. The wasm calls
// `report` only for a client that set one of them. Nothing a hook or the debug sink does (throw,
// return a rejected promise) reaches the call.

const TYPES = ["request", "response", "retry", "error"];

// `undefined` when nothing is asked for; a string when an option is wrong (the wasm throws it
// as an InvalidArgumentError, like every other option).
export function makeObserver(hooks, debug) {
  if (debug !== undefined && typeof debug !== "boolean" && typeof debug !== "function") {
    return "client option `debug` must be true, false or a function";
  }
  const fns = [];
  if (hooks !== undefined) {
    try {
      if (typeof hooks !== "object" || Array.isArray(hooks)) return "client option `hooks` must be an object of functions";
      for (const k of Object.keys(hooks)) {
        if (!TYPES.includes(k)) return `unknown hook \`${k}\` (expected one of: ${TYPES.join(", ")})`;
      }
      for (const k of TYPES) {
        const f = hooks[k] ?? undefined;
        if (f !== undefined && typeof f !== "function") return `hook \`${k}\` must be a function`;
        fns.push(f);
      }
    } catch {
      // A throwing getter or proxy must not unwind through the wasm.
      return "client option `hooks` could not be read";
    }
  }
  const log = debug === true ? (line) => console.debug(line) : debug || undefined;
  return log || fns.some(Boolean) ? { hooks: fns, log } : undefined;
}

function deliver(fn, arg) {
  try {
    const r = fn(arg);
    if (r && typeof r.then === "function") r.then(undefined, () => {});
  } catch {
    // A hook's own failure is its business, never the call's.
  }
}

// kind: 0 request, 1 response, 2 retry, 3 error. status 0: no HTTP answer.
export function report(o, kind, method, path, attempt, status, durationMs, retryInMs, code) {
  const hook = o.hooks[kind];
  if (hook) {
    const e = { type: TYPES[kind], method, path, attempt };
    if (status) e.status = status;
    if (kind) e.durationMs = durationMs;
    if (kind === 2) {
      e.retryInMs = retryInMs;
      e.reason = code;
    } else if (kind === 3) e.code = code;
    deliver(hook, e);
  }
  if (o.log) {
    const s = status ? ` ${status}` : "";
    let line = `gumroad-wasm: ${method} ${path} attempt ${attempt}`;
    if (kind === 0) line += " sending";
    else if (kind === 1) line += ` -> ${status} in ${durationMs} ms`;
    else if (kind === 2) line += ` -> retry in ${retryInMs} ms (${code}${s})`;
    else line += ` -> failed: ${code}${s} in ${durationMs} ms`;
    deliver(o.log, line);
  }
}
