# Shared helpers for scripts/*.sh (sourced).
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export WRANGLER_SEND_METRICS=false

# start_mock LOGFILE [args...]: starts gumroad-mock on a free loopback port, sets MOCK_PID and
# MOCK_URL. The caller stops it with stop_mock (tests also register a trap).
start_mock() {
  local log=$1; shift
  target/release/gumroad-mock --host 127.0.0.1 --port 0 "$@" >"$log" 2>&1 &
  MOCK_PID=$!
  for _ in $(seq 1 100); do
    MOCK_URL=$(sed -n 's/^gumroad-mock listening on \(http:[^ ]*\).*/\1/p' "$log" | head -1)
    [[ -n "$MOCK_URL" ]] && return 0
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  echo "gumroad-mock did not start" >&2; cat "$log" >&2; return 1
}

stop_mock() {
  [[ -n "${MOCK_PID:-}" ]] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null || true
  MOCK_PID=
}

# start_browser_proxy: starts tests/support/one-request-proxy.mjs (see why there) and writes the
# webdriver.json that wasm-bindgen-test-runner reads from the crate root, so headless Chrome sends
# its requests through the proxy. stop_browser_proxy removes both.
start_browser_proxy() {
  local log port=
  log=$(mktemp /tmp/gumroad-wasm-browser-proxy.XXXXXX)
  node tests/support/one-request-proxy.mjs >"$log" 2>&1 &
  PROXY_PID=$!
  for _ in $(seq 1 100); do
    port=$(head -1 "$log" 2>/dev/null)
    [[ $port =~ ^[0-9]+$ ]] && break
    kill -0 "$PROXY_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
    sleep 0.1
  done
  [[ $port =~ ^[0-9]+$ ]] || { echo "the browser proxy did not start" >&2; return 1; }
  printf '{ "goog:chromeOptions": { "args": ["--proxy-server=http://127.0.0.1:%s", "--proxy-bypass-list=<-loopback>"] } }\n' "$port" >webdriver.json
}

stop_browser_proxy() {
  rm -f webdriver.json
  [[ -n "${PROXY_PID:-}" ]] && kill "$PROXY_PID" 2>/dev/null && wait "$PROXY_PID" 2>/dev/null || true
  PROXY_PID=
}
