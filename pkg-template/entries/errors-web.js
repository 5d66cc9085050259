// The error classes, from the same module instance the `web` glue uses.
export {
  GumroadError,
  // <generated:error-classes>
  // From ErrorCode in src/core/error.rs by `make generate`; do not edit.
  AuthenticationError,
  PermissionError,
  NotFoundError,
  InvalidRequestError,
  RateLimitError,
  APIError,
  ConnectionError,
  TimeoutError,
  AbortError,
  DecodeError,
  InvalidArgumentError,
  // </generated:error-classes>
  ERROR_CODES,
  isGumroadError,
} from "../web/snippets/__SNIPPET__/js/errors.js";
