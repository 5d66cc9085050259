// The resource namespaces of GumroadClient (`client.products.list()`, `client.utmLinks.enable()`),
// built once from the endpoint table the wasm carries (src/core/endpoints/table.rs), plus the
// two composite methods that are more than one route: `licenses.check` and `files.upload`.
// Every table method is the same small function calling `client._call(route, ...)`, so adding a
// route costs a table row and no JS.

const NAMESPACES = Symbol("gumroad-wasm.namespaces");

// `name,ids,flags,positional;` per route (see `descriptor()` in src/js/client.rs).
function parseRoutes(text) {
  return text
    .split(";")
    .filter(Boolean)
    .map((entry, index) => {
      const [name, ids, flags, positional] = entry.split(",");
      const f = Number(flags);
      return {
        index,
        path: name.split("."),
        ids: Number(ids),
        takesParams: (f & 1) !== 0,
        paged: (f & 2) !== 0,
        matonOnly: (f & 4) !== 0,
        positional: positional || null,
      };
    });
}

// (...ids, params?, options?) -> the client's generic entry point.
function tableMethod(r, entry) {
  const { index, ids, takesParams, positional } = r;
  return function (...args) {
    let params = takesParams ? args[ids] : undefined;
    if (positional && params !== undefined && params !== null && typeof params !== "object") {
      params = { [positional]: params };
    }
    const options = args[takesParams ? ids + 1 : ids];
    return this._c[entry](
      index,
      ids > 0 ? args[0] : undefined,
      ids > 1 ? args[1] : undefined,
      ids > 2 ? args[2] : undefined,
      params,
      options,
    );
  };
}

function namespaceClass() {
  return class {
    constructor(client) {
      Object.defineProperty(this, "_c", { value: client });
    }
  };
}

export function installApi(sample, routesText) {
  const proto = Object.getPrototypeOf(sample);
  sample.free();
  if (Object.prototype.hasOwnProperty.call(proto, "products")) return;
  // path ("maton.connections") -> { cls, matonOnly }
  const spaces = new Map();
  const space = (path) => {
    let s = spaces.get(path);
    if (!s) {
      s = { cls: namespaceClass(), matonOnly: true, children: new Set() };
      spaces.set(path, s);
      const dot = path.lastIndexOf(".");
      if (dot > 0) space(path.slice(0, dot)).children.add(path);
    }
    return s;
  };
  for (const r of parseRoutes(routesText)) {
    const method = r.path[r.path.length - 1];
    const nsPath = r.path.slice(0, -1).join(".");
    // Every level of the path inherits whether a non-Maton route lives under it.
    for (let i = 1; i <= r.path.length - 1; i++) {
      const s = space(r.path.slice(0, i).join("."));
      if (!r.matonOnly) s.matonOnly = false;
    }
    const p = space(nsPath).cls.prototype;
    Object.defineProperty(p, method, { value: tableMethod(r, "_call"), writable: true, configurable: true });
    if (r.paged) {
      const pages = tableMethod(r, "_iterate");
      Object.defineProperty(p, "iterate", {
        value: function iterate(...args) {
          return new PageIterator(pages.apply(this, args));
        },
        writable: true,
        configurable: true,
      });
    }
  }
  addComposites(spaces);
  for (const [path, s] of spaces) {
    for (const child of s.children) {
      const leaf = child.slice(path.length + 1);
      Object.defineProperty(s.cls.prototype, leaf, {
        get() {
          return namespace(this._c, child, spaces);
        },
        configurable: true,
      });
    }
    if (path.includes(".")) continue;
    Object.defineProperty(proto, path, {
      get() {
        if (s.matonOnly && !this._isMaton) return undefined;
        return namespace(this, path, spaces);
      },
      configurable: true,
    });
  }
}

// One namespace object per client and path, made on first use.
function namespace(client, path, spaces) {
  let cache = client[NAMESPACES];
  if (!cache) {
    cache = new Map();
    Object.defineProperty(client, NAMESPACES, { value: cache });
  }
  let ns = cache.get(path);
  if (!ns) {
    ns = new (spaces.get(path).cls)(client);
    cache.set(path, ns);
  }
  return ns;
}

function addComposites(spaces) {
  const licenses = spaces.get("licenses");
  if (licenses) {
    Object.defineProperty(licenses.cls.prototype, "check", {
      value: function check(params, options) {
        return this._c._check(params, options);
      },
      writable: true,
      configurable: true,
    });
  }
  const files = spaces.get("files");
  if (files) {
    Object.defineProperty(files.cls.prototype, "upload", {
      value: function upload(data, options) {
        return uploadFile(this._c, data, options);
      },
      writable: true,
      configurable: true,
    });
  }
}

// ---- files.upload ------------------------------------------------------------------------

const PART_SIZE = 100 * 1024 * 1024;
const PART_TIMEOUT_MS = 600_000;
const UPLOAD_OPTIONS = ["filename", "contentType", "size", "signal", "onProgress", "timeoutMs", "maxRetries"];

// A source we can cut into byte ranges: Blob, bytes, or a stream read in order.
// `fail(code, message)` makes the package's own error objects.
async function openSource(data, { size, contentType, signal }, fail) {
  if (typeof Blob !== "undefined" && data instanceof Blob) {
    return { total: data.size, read: async (start, end) => data.slice(start, end) };
  }
  if (data instanceof ArrayBuffer) data = new Uint8Array(data);
  if (ArrayBuffer.isView(data)) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    return { total: bytes.byteLength, read: async (start, end) => bytes.subarray(start, end) };
  }
  if (data && typeof data.getReader === "function") {
    if (size === undefined) {
      // Without a size the parts cannot be planned: read it all (pass `size` to stream).
      const blob = await new Response(data).blob();
      const typed = contentType ? new Blob([blob], { type: contentType }) : blob;
      return openSource(typed, {}, fail);
    }
    const reader = data.getReader();
    // A stalled stream must not outlive an abort: cancelling ends the pending read.
    const onAbort = () => reader.cancel().catch(() => {});
    signal?.addEventListener("abort", onAbort);
    let pending = new Uint8Array(0);
    let seen = 0;
    const next = async () => {
      const chunk = await reader.read();
      if (signal?.aborted) throw fail("aborted", "the request was aborted");
      return chunk;
    };
    return {
      total: size,
      // Parts are read in order, each exactly once.
      read: async (start, end) => {
        const want = end - start;
        const out = new Uint8Array(want);
        let filled = 0;
        while (filled < want) {
          if (pending.byteLength === 0) {
            const { value, done } = await next();
            if (done) throw fail("invalid_argument", `files.upload: the stream ended after ${seen} of ${size} bytes`);
            pending = value instanceof Uint8Array ? value : new Uint8Array(value);
            seen += pending.byteLength;
          }
          const n = Math.min(want - filled, pending.byteLength);
          out.set(pending.subarray(0, n), filled);
          pending = pending.subarray(n);
          filled += n;
        }
        if (end === size) {
          const rest = pending.byteLength > 0 ? { done: false } : await next();
          if (!rest.done) throw fail("invalid_argument", `files.upload: the stream holds more than the ${size} bytes given as size`);
        }
        return out;
      },
      close: () => signal?.removeEventListener("abort", onAbort),
      cancel: () => reader.cancel().catch(() => {}),
    };
  }
  throw fail("invalid_argument", "files.upload: data must be a Blob, a Uint8Array (or ArrayBuffer) or a ReadableStream");
}

function uploadFile(client, data, options) {
  // The package's own error classes, made by the wasm side.
  const fail = (code, message) => client._error(code, message);
  return runUpload(client, data, options, fail);
}

async function runUpload(client, data, options, fail) {
  const invalid = (message) => fail("invalid_argument", message);
  const o = options ?? {};
  if (typeof o !== "object") throw invalid("files.upload: options must be an object");
  for (const k of Object.keys(o)) {
    if (!UPLOAD_OPTIONS.includes(k)) throw invalid(`files.upload: unknown option \`${k}\` (expected one of: ${UPLOAD_OPTIONS.join(", ")})`);
  }
  const { filename, size, onProgress, contentType, signal } = o;
  if (typeof filename !== "string" || filename.trim() === "") throw invalid("files.upload: options.filename is required");
  if (size !== undefined && !(Number.isSafeInteger(size) && size > 0)) throw invalid("files.upload: options.size must be a positive integer");
  if (onProgress !== undefined && typeof onProgress !== "function") throw invalid("files.upload: options.onProgress must be a function");
  if (contentType !== undefined && typeof contentType !== "string") throw invalid("files.upload: options.contentType must be a string");
  const callOpts = {};
  for (const k of ["signal", "timeoutMs", "maxRetries"]) if (o[k] !== undefined) callOpts[k] = o[k];

  const source = await openSource(data, { size, contentType, signal }, fail);
  let upload = null;
  try {
    const total = source.total;
    if (!(total > 0)) throw invalid("files.upload: the file is empty");
    const presign = await client.files.presign({ filename, file_size: total }, callOpts);
    upload = { upload_id: presign.upload_id, key: presign.key };
    const parts = Array.isArray(presign.parts) ? [...presign.parts].sort((a, b) => a.part_number - b.part_number) : [];
    if (parts.length === 0 || parts.some((p, i) => p.part_number !== i + 1)) {
      throw fail("decode", "files.upload: the presign answer has no usable parts");
    }
    // Gumroad cuts files into 100 MiB parts; if the server planned another count, split into
    // that many equal parts (valid multipart storage as long as each is at least 5 MiB).
    const partSize = Math.ceil(total / PART_SIZE) === parts.length ? PART_SIZE : Math.ceil(total / parts.length);
    if ((parts.length - 1) * partSize >= total) {
      throw fail("decode", `files.upload: the presign answer plans ${parts.length} parts for ${total} bytes`);
    }
    // A part can take long on a slow link: its own timeout unless the caller set one.
    const partOpts = { ...callOpts, timeoutMs: callOpts.timeoutMs ?? PART_TIMEOUT_MS };
    const done = [];
    for (let i = 0; i < parts.length; i++) {
      const start = i * partSize;
      const end = Math.min(total, start + partSize);
      const bytes = await source.read(start, end);
      const etag = await client._putPart(parts[i].presigned_url, bytes, partOpts);
      done.push({ part_number: parts[i].part_number, etag });
      if (onProgress) {
        try {
          onProgress({ part: i + 1, parts: parts.length, loaded: end, total });
        } catch {
          // A progress callback that throws must not break the upload.
        }
      }
    }
    const complete = await client.files.complete({ ...upload, parts: done }, callOpts);
    return { url: complete.file_url, display_name: filename };
  } catch (e) {
    source.cancel?.();
    // Free the storage of the parts sent so far; the original error is what the caller sees.
    if (upload) await client.files.abort(upload).catch(() => {});
    throw e;
  } finally {
    source.close?.();
  }
}

// What `iterate()` returns: an async iterator over the items of a paged list. The wasm's
// `Pages` (src/js/pager.rs) fetches a page per `_next()` call and says when the list is over;
// the items are handed out from here, so the wasm is called once per page, not per item.
class PageIterator {
  constructor(pages) {
    this._pages = pages;
    this._items = [];
    this._at = 0;
    this._done = false;
    this._queued = 0;
    this._tail = Promise.resolve();
    /** Pages fetched so far. */
    this.pages = 0;
    /** Items handed out so far. */
    this.items = 0;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  // One call at a time, in call order (each waits for the one before, whatever its outcome),
  // so `for await` and concurrent calls alike see every item once, in order. With nothing
  // queued and an item buffered, it resolves at once (no page to wait for).
  next() {
    if (this._queued === 0) {
      if (this._at < this._items.length) return Promise.resolve(this._take());
      if (this._done) return Promise.resolve({ value: undefined, done: true });
    }
    this._queued++;
    const step = () => this._advance().finally(() => this._queued--);
    const turn = this._tail.then(step, step);
    this._tail = turn;
    return turn;
  }

  // Stops the iteration (called by `break` in `for await`); a page on its way is dropped.
  return() {
    this._done = true;
    this._items = [];
    this._at = 0;
    this._pages._stop();
    return Promise.resolve({ value: undefined, done: true });
  }

  _take() {
    this.items++;
    return { value: this._items[this._at++], done: false };
  }

  async _advance() {
    for (;;) {
      if (this._at < this._items.length) return this._take();
      if (this._done) return { value: undefined, done: true };
      const page = await this._pages._next();
      if (this._done) continue;
      if (page === undefined) {
        this._done = true;
        continue;
      }
      this.pages++;
      this._items = page;
      this._at = 0;
    }
  }
}
