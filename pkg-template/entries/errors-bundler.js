// The error classes, from the same module instance the `bundler` glue uses.
export {
  GumroadError,
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
  ERROR_CODES,
  isGumroadError,
} from "../bundler/snippets/__SNIPPET__/js/errors.js";
