//! The native host: hyper serves the core's [`dispatch`] over HTTP/1.1, waits out injected
//! latency, drops connections when a fault says so, and posts the webhook pings a request
//! queued (with Gumroad's retries) over plain TCP.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Request, Response};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::app::Shared;
use crate::dispatch;
use crate::http::Resp;
use crate::webhooks::{self, Delivery};

/// The client's address (for the throttles' `remote_ip`), set by the accept loop.
#[derive(Clone, Debug)]
pub struct PeerIp(pub String);

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
pub struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

pub async fn handle(app: Shared, req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Dropped> {
    let method = req.method().as_str().to_string();
    let path = req.uri().path().to_string();
    let query = req.uri().query().unwrap_or_default().to_string();
    let headers = req.headers().clone();
    let peer_ip = req.extensions().get::<PeerIp>().map(|p| p.0.clone());
    let limit = dispatch::body_limit(&app, &method, &path, &query);
    let body = match Limited::new(req.into_body(), limit).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return Ok(to_hyper(dispatch::too_large(&method, &path, &headers))),
    };
    let request = dispatch::Request {
        method: &method,
        path: &path,
        query: &query,
        headers: &headers,
        body: &body,
        peer_ip,
    };
    let prepared = dispatch::prepare(&app, &request);
    if prepared.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(prepared.latency_ms)).await;
    }
    let outcome = dispatch::respond(&app, &request, prepared, crate::clock::system_ms());
    for d in outcome.deliveries {
        let app = app.clone();
        tokio::spawn(async move { deliver(app, d).await });
    }
    if outcome.dropped {
        return Err(Dropped);
    }
    Ok(to_hyper(outcome.resp))
}

/// A finalized answer as hyper's response (hyper sends no body for HEAD).
fn to_hyper(resp: Resp) -> Response<Full<Bytes>> {
    let mut b = Response::builder().status(resp.status);
    for (k, v) in &resp.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(Full::new(Bytes::from(resp.body)))
        .unwrap_or_else(|_| Response::new(Full::new(Bytes::new())))
}

/// Posts a ping, and its retries as the core schedules them.
async fn deliver(app: Shared, d: Delivery) {
    let mut attempt = 0;
    loop {
        let body = d.body(attempt);
        let result = post_form(&d.url, &body).await;
        let Some(wait) = webhooks::attempted(&app, &d, attempt, body, result) else {
            return;
        };
        tokio::time::sleep(Duration::from_secs_f64(wait)).await;
        attempt += 1;
    }
}

/// A minimal HTTP/1.1 POST for `http://` URLs (5 s timeout, as Gumroad's).
async fn post_form(url: &str, body: &str) -> Result<u16, String> {
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| "only http:// post URLs are delivered by the mock".to_string())?;
    let (authority, path) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, "/"),
    };
    let addr = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let work = async {
        let mut stream = TcpStream::connect(&addr).await.map_err(|e| e.to_string())?;
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {authority}\r\nUser-Agent: gumroad-mock\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream
            .write_all(req.as_bytes())
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = vec![0u8; 1024];
        let n = stream.read(&mut buf).await.map_err(|e| e.to_string())?;
        let head = String::from_utf8_lossy(buf.get(..n).unwrap_or_default()).to_string();
        head.split_whitespace()
            .nth(1)
            .and_then(|s| s.parse::<u16>().ok())
            .ok_or_else(|| "no HTTP status in the answer".to_string())
    };
    tokio::time::timeout(Duration::from_secs(5), work)
        .await
        .map_err(|_| "timed out after 5 s".to_string())?
}
