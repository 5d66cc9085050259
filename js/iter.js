// wasm-bindgen cannot export a method keyed by a Symbol, so the async-iterator hook of the
// Paginator class is installed here, once, on its prototype.
export function installAsyncIterator(obj) {
  const proto = Object.getPrototypeOf(obj);
  if (proto && !Object.prototype.hasOwnProperty.call(proto, Symbol.asyncIterator)) {
    Object.defineProperty(proto, Symbol.asyncIterator, {
      value: function () {
        return this;
      },
      configurable: true,
      writable: true,
    });
  }
  return obj;
}
