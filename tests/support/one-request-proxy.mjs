// A forward HTTP proxy for the browser wasm tests (`wasm-pack test --headless --chrome`): Chrome
// sends every request through it, and it sends each one upstream on a connection of its own,
// closed after the answer.
//
// Why: wasm-bindgen-test-runner serves the test page with rouille on tiny_http, whose thread
// pool hands a connection to a thread for as long as the connection lives, and counts idle
// threads with a lag: when Chrome opens more connections at once than the pool has idle threads
// (it does while loading the glue, the .wasm and the JS snippets), the extra connection waits
// in the queue until another closes, and Chrome keeps idle connections open for minutes. On a
// busy machine the page never finishes loading. With one request per upstream connection every
// thread is free again as soon as it answered.
//
// Only http:// to loopback hosts is forwarded (tests never reach the internet); CONNECT
// (https) is refused. Prints the port it listens on (127.0.0.1, a free port) as its first line.
import http from "node:http";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

const server = http.createServer((req, res) => {
  let target;
  try {
    target = new URL(req.url ?? "");
  } catch {
    res.writeHead(400).end();
    return;
  }
  if (target.protocol !== "http:" || !LOOPBACK.has(target.hostname)) {
    res.writeHead(403).end();
    return;
  }
  const headers = { ...req.headers, connection: "close" };
  delete headers["proxy-connection"];
  const upstream = http.request(
    { host: target.hostname.replace(/^\[|\]$/g, ""), port: target.port || 80, path: target.pathname + target.search, method: req.method, headers, agent: false },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    // After the headers a clean end would pass a truncated body off as whole.
    if (res.headersSent) res.destroy();
    else res.writeHead(502).end();
  });
  // Chrome gone (page closed, request cancelled): drop the upstream request too.
  res.on("close", () => upstream.destroy());
  req.pipe(upstream);
});
server.on("connect", (_req, socket) => socket.destroy());
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  console.log(typeof address === "object" && address ? address.port : "");
});
