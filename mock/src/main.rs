//! gumroad-mock: a local, stateful stand-in for the Gumroad API v2 and the Maton gateway.
//! See mock/README.md.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use gumroad_mock::{app, model, seed, server, state};

const USAGE: &str = "usage: gumroad-mock [options]

  --host H                   address to bind (default 127.0.0.1; the mock is for local use)
  --port N                   port (default 4010; 0 picks a free one, printed on start)
  --data FILE                load the data set from FILE (format: the output of --dump-seed)
  --latency-ms N             delay every API answer by N ms
  --fault-rate F             answer F (0..1) of API requests with a random fault (503, 429, drop)
  --allow-loopback-webhooks  accept loopback post_urls (Gumroad refuses them)
  --webhook-retry-scale S    multiply Gumroad's webhook retry delays (60/180/600 s) by S
  --upload-part-size BYTES   part size of POST /v2/files/presign (default 104857600 = 100 MiB)
  --throttle                 apply Gumroad's Rack::Attack throttles (429 text/plain \"Retry later\")
  --dump-seed                print the built-in data set as JSON and exit";

struct Opts {
    host: String,
    port: u16,
    data: Option<String>,
    latency_ms: u64,
    fault_rate: f64,
    allow_loopback_webhooks: bool,
    webhook_retry_scale: f64,
    upload_part_size: u64,
    throttle: bool,
    dump_seed: bool,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        host: "127.0.0.1".into(),
        port: 4010,
        data: None,
        latency_ms: 0,
        fault_rate: 0.0,
        allow_loopback_webhooks: false,
        webhook_retry_scale: 1.0,
        upload_part_size: state::DEFAULT_UPLOAD_PART_SIZE,
        throttle: false,
        dump_seed: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--host" => o.host = value("--host")?,
            "--port" => {
                o.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be 0-65535")?
            }
            "--data" => o.data = Some(value("--data")?),
            "--latency-ms" => {
                o.latency_ms = value("--latency-ms")?
                    .parse()
                    .map_err(|_| "--latency-ms must be a number")?
            }
            "--fault-rate" => {
                o.fault_rate = value("--fault-rate")?
                    .parse()
                    .ok()
                    .filter(|f: &f64| (0.0..=1.0).contains(f))
                    .ok_or("--fault-rate must be between 0 and 1")?
            }
            "--webhook-retry-scale" => {
                o.webhook_retry_scale = value("--webhook-retry-scale")?
                    .parse()
                    .ok()
                    .filter(|f: &f64| *f >= 0.0 && f.is_finite())
                    .ok_or("--webhook-retry-scale must be a non-negative number")?
            }
            "--upload-part-size" => {
                o.upload_part_size = value("--upload-part-size")?
                    .parse()
                    .ok()
                    .filter(|n: &u64| (1..=5 << 30).contains(n))
                    .ok_or("--upload-part-size must be between 1 and 5368709120 bytes")?
            }
            "--allow-loopback-webhooks" => o.allow_loopback_webhooks = true,
            "--throttle" => o.throttle = true,
            "--dump-seed" => o.dump_seed = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

fn load_data(path: Option<&str>) -> Result<model::Data, String> {
    match path {
        None => Ok(seed::default_data()),
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("reading {p}: {e}"))?;
            serde_json::from_str(&text).map_err(|e| format!("{p}: {e}"))
        }
    }
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gumroad-mock: {e}");
            }
            eprintln!("{USAGE}");
            return if e.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            };
        }
    };
    let data = match load_data(opts.data.as_deref()) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("gumroad-mock: {e}");
            return ExitCode::from(2);
        }
    };
    if opts.dump_seed {
        match serde_json::to_string_pretty(&data) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("gumroad-mock: {e}");
                return ExitCode::FAILURE;
            }
        }
        return ExitCode::SUCCESS;
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("gumroad-mock: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(serve(opts, data)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gumroad-mock: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(opts: Opts, data: model::Data) -> Result<(), String> {
    let addr: SocketAddr = format!("{}:{}", opts.host, opts.port)
        .parse()
        .or_else(|_| format!("[{}]:{}", opts.host, opts.port).parse())
        .map_err(|_| format!("invalid --host {}", opts.host))?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    print_banner(&local, &data);
    let run_settings = state::RunSettings {
        upload_part_size: opts.upload_part_size,
        throttle: opts.throttle,
        ..state::RunSettings::default()
    };
    let app = app::App::new(
        state::State::new(data).with_settings(run_settings),
        app::Settings {
            webhook_retry_scale: opts.webhook_retry_scale,
            allow_loopback_webhooks: opts.allow_loopback_webhooks,
            fault_rate: opts.fault_rate,
        },
    );
    let latency = Duration::from_millis(opts.latency_ms);

    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((stream, peer)) = accepted else { continue };
                let app = app.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                        let app = app.clone();
                        req.extensions_mut().insert(server::PeerIp(peer.ip().to_string()));
                        async move {
                            if !latency.is_zero() && !req.uri().path().starts_with("/__mock") {
                                tokio::time::sleep(latency).await;
                            }
                            // Handled in its own task, like a real server: a client that gives up
                            // (timeout, abort) does not cancel the work, which still changes
                            // state and reaches the request log.
                            match tokio::spawn(server::handle(app, req)).await {
                                Ok(result) => result,
                                Err(_) => Err(server::Dropped),
                            }
                        }
                    });
                    let _ = http1::Builder::new()
                        .keep_alive(true)
                        .serve_connection(TokioIo::new(stream), svc)
                        .await;
                });
            }
            _ = &mut shutdown => {
                println!("gumroad-mock: shutting down");
                return Ok(());
            }
        }
    }
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {},
                _ = term.recv() => {},
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn print_banner(addr: &SocketAddr, data: &model::Data) {
    let base = format!("http://{addr}");
    // The first line is machine-read by test harnesses: keep its shape.
    println!("gumroad-mock listening on {base}");
    println!("  Gumroad API  {base}/v2");
    println!("  Maton API    {base}/gumroad/v2   (connections: {base}/connections)");
    println!("  control      {base}/__mock       (see mock/README.md)");
    println!("  access tokens:");
    for t in &data.tokens {
        println!("    {:<24} {}", t.token, t.note);
    }
    println!("  Maton API keys:");
    for k in &data.maton_keys {
        println!("    {:<28} {}", k.key, k.note);
    }
    println!(
        "  OAuth applications (authorize: {base}/oauth/authorize, device: {base}/oauth/device):"
    );
    for a in &data.office.oauth_apps {
        let secret = a.secret.as_deref().unwrap_or("(public client)");
        println!("    {:<22} {:<26} {}", a.uid, secret, a.name);
    }
    println!("  license keys (product Sketch Pro {}):", seed::P3_SKETCH);
    for (label, key) in seed::KEYS {
        println!("    {key}  {label}");
    }
    use std::io::Write;
    let _ = std::io::stdout().flush();
}
