// Why JS: the async iterator `iterate()` returns is a JS protocol; this hands out the items of
// each page the wasm fetched (one call into the wasm per page) and keeps concurrent next() calls
// in order.

/**
 * The entry points of the wasm's GumroadClient the facade calls (underscored: not public API).
 * @typedef {object} Client
 * @property {boolean} _isMaton
 * @property {(route: number, id0: unknown, id1: unknown, id2: unknown, params: unknown, options: unknown) => Promise<unknown>} _call
 * @property {(route: number, id0: unknown, id1: unknown, id2: unknown, params: unknown, options: unknown) => Promise<Page>} _page
 * @property {(data: unknown, options: unknown) => Promise<unknown>} _upload
 * @property {(params: unknown, options: unknown) => Promise<unknown>} _check
 */

/**
 * A page's items and what follows it: the next page's source, nothing (the list is over) or
 * the error the list ends with, raised once these items are handed out.
 * @typedef {[unknown[], Pages | Error | undefined]} Page
 * @typedef {{ _next(): Promise<Page> }} Pages
 */

/** What `iterate()` returns: an async iterator over the items of a paged list. */
export class PageIterator {
  /** @param {() => Promise<Page>} first fetches the first page */
  constructor(first) {
    /** @type {() => Promise<Page>} */
    this._fetch = first;
    /** @type {unknown[]} */
    this._items = [];
    this._at = 0;
    this._done = false;
    /** @type {Error | undefined} */
    this._error = undefined;
    this._queued = 0;
    /** @type {Promise<unknown>} */
    this._tail = Promise.resolve();
    /** Pages fetched so far. */
    this.pages = 0;
    /** Items handed out so far. */
    this.items = 0;
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /**
   * One call at a time, in call order (each waits for the one before, whatever its outcome),
   * so `for await` and concurrent calls alike see every item once, in order. With nothing
   * queued and an item buffered, it resolves at once (no page to wait for).
   * @returns {Promise<IteratorResult<unknown, undefined>>}
   */
  next() {
    if (this._queued === 0) {
      if (this._at < this._items.length) return Promise.resolve(this._take());
      if (this._done && !this._error) return Promise.resolve({ value: undefined, done: true });
    }
    this._queued++;
    const step = () => this._advance().finally(() => this._queued--);
    const turn = this._tail.then(step, step);
    this._tail = turn;
    return turn;
  }

  /**
   * Stops the iteration (called by `break` in `for await`); a page on its way is dropped.
   * @returns {Promise<IteratorResult<unknown, undefined>>}
   */
  return() {
    this._done = true;
    this._error = undefined;
    this._items = [];
    this._at = 0;
    return Promise.resolve({ value: undefined, done: true });
  }

  /** @returns {IteratorResult<unknown, undefined>} */
  _take() {
    this.items++;
    return { value: this._items[this._at++], done: false };
  }

  /** @returns {Promise<IteratorResult<unknown, undefined>>} */
  async _advance() {
    for (;;) {
      if (this._at < this._items.length) return this._take();
      if (this._error) {
        const e = this._error;
        this._error = undefined;
        throw e;
      }
      if (this._done) return { value: undefined, done: true };
      // A page that fails rejects this call; the next call asks for the same page again.
      const [items, follows] = await this._fetch();
      if (this._done) continue;
      this.pages++;
      this._items = items;
      this._at = 0;
      if (follows instanceof Error) {
        this._done = true;
        this._error = follows;
      } else if (follows) {
        this._fetch = () => follows._next();
      } else {
        this._done = true;
      }
    }
  }
}
