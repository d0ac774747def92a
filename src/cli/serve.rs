//! `lectern serve [DIR] [--port N]`: the web page, its WASM, and a folder of articles.
//!
//! Routes for a folder of articles: `/collection/manifest.json` lists the
//! article files of DIR (read anew on each request), `/collection/files/...`
//! serves DIR's files, `/collection/bundle` all of them (or those asked for) in
//! one response, and everything else is the web page.
//!
//! A static collection (built by `lectern index`) is served as it is, like
//! any static host would. `--allow-origin` lets another site's page read all
//! of it (a `<lectern-reader>` embedded there).

use anyhow::{bail, Context, Result};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use lectern_ingest::collection;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of article files (default: the project's sample articles).
    dir: Option<PathBuf>,
    /// Port on 127.0.0.1 (default: 8080, or the next free one up to 8099).
    #[arg(long, short)]
    port: Option<u16>,
    /// Folder holding the built web page (default: this project's www/, built by ./build.sh).
    #[arg(long, env = "LECTERN_WEB", value_name = "DIR")]
    web: Option<PathBuf>,
    /// Let pages of ORIGIN (`https://example.com`, or `*` for any) read what is
    /// served, so a `<lectern-reader>` on another site can show this collection
    /// (CORS: `Access-Control-Allow-Origin`). Without it only same-origin pages can.
    #[arg(long, value_name = "ORIGIN", value_parser = parse_origin)]
    allow_origin: Option<HeaderValue>,
}

/// An origin for `--allow-origin`: `*`, or scheme://host[:port] of http(s), nothing more.
fn parse_origin(raw: &str) -> std::result::Result<HeaderValue, String> {
    let raw = raw.trim();
    if raw == "*" {
        return Ok(HeaderValue::from_static("*"));
    }
    let url = url::Url::parse(raw).map_err(|err| format!("'{raw}' is not an origin ({err}); write it as https://example.com"))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(format!("'{raw}' is not an http(s) origin; write it as https://example.com"));
    }
    if url.path() != "/" || url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return Err(format!("'{raw}' has more than an origin (a path, query or user); write it as {}", url.origin().ascii_serialization()));
    }
    HeaderValue::from_str(&url.origin().ascii_serialization()).map_err(|err| format!("'{raw}': {err}"))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let dir = args.dir.unwrap_or_else(super::default_samples_dir);
    if !dir.is_dir() {
        bail!("'{}' is not a folder of articles", dir.display());
    }
    let web = args.web.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("www"));
    let wasm = web.join("pkg").join("lectern_bg.wasm");
    if !wasm.is_file() {
        bail!("the web page is not built: '{}' is missing (run ./build.sh serve, or pass --web DIR)", wasm.display());
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    if let Some(collection) = super::search::static_collection_dir(&dir) {
        runtime.block_on(serve_static(dir, collection, web, args.port, args.allow_origin))?;
    } else {
        runtime.block_on(serve(dir, web, args.port, args.allow_origin))?;
    }
    Ok(ExitCode::SUCCESS)
}

async fn bind(port: Option<u16>) -> Result<tokio::net::TcpListener> {
    let candidates: Vec<u16> = match port {
        Some(p) => vec![p],
        None => (8080..8100).chain([0]).collect(),
    };
    let mut last_error = None;
    for p in candidates {
        match tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, p))).await {
            Ok(listener) => return Ok(listener),
            Err(err) => last_error = Some((p, err)),
        }
    }
    let (p, err) = last_error.expect("at least one candidate port");
    Err(err).with_context(|| format!("cannot listen on 127.0.0.1:{p} (try another --port, or --port 0 for any free one)"))
}

async fn serve(dir: PathBuf, web: PathBuf, port: Option<u16>, allow_origin: Option<HeaderValue>) -> Result<()> {
    let manifest_dir = dir.clone();
    // Article files are data: never let a browser run them as a page.
    let sandbox = SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"),
    );
    let app = Router::new()
        .route("/collection/manifest.json", get(move || manifest(manifest_dir.clone())))
        .route(
            "/collection/bundle",
            // A list of 100,000 paths is a few MiB.
            get(bundle_all).post(bundle_some).layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)).with_state(dir.clone()),
        )
        .nest_service("/collection/files", tower::ServiceBuilder::new().layer(sandbox).service(ServeDir::new(&dir)))
        .fallback_service(ServeDir::new(&web).append_index_html_on_directories(true));
    let (files, _) = collection::walk(&dir);
    let what = format!("{} article file(s) from {}", files.len(), display(&dir));
    run_until_stopped(app, port, allow_origin, &what).await
}

async fn manifest(dir: PathBuf) -> Response {
    let listed = tokio::task::spawn_blocking(move || collection::files_manifest(&dir)).await;
    match listed {
        Ok(mut manifest) => {
            manifest.bundle = Some("collection/bundle");
            Json(manifest).into_response()
        }
        Err(err) => (axum::http::StatusCode::INTERNAL_SERVER_ERROR, format!("listing the collection failed: {err}"))
            .into_response(),
    }
}

fn display(path: &Path) -> String {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Serves a static collection's site folder as any static host would (the
/// page from `web` when the folder has none).
async fn serve_static(site: PathBuf, collection: PathBuf, web: PathBuf, port: Option<u16>, allow_origin: Option<HeaderValue>) -> Result<()> {
    let page = ServeDir::new(&web).append_index_html_on_directories(true);
    let app = Router::new()
        .nest_service("/collection", ServeDir::new(&collection))
        .fallback_service(ServeDir::new(&site).append_index_html_on_directories(true).fallback(page));
    let articles = std::fs::read_to_string(collection.join("manifest.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|v| v.get("articles").and_then(|a| a.as_u64()))
        .unwrap_or(0);
    let what = format!("the static collection of {articles} article(s) in {}", display(&site));
    run_until_stopped(app, port, allow_origin, &what).await
}

/// Adds the headers every response carries, listens, prints the address and
/// serves until Ctrl-C.
async fn run_until_stopped(app: Router, port: Option<u16>, allow_origin: Option<HeaderValue>, what: &str) -> Result<()> {
    let app = app
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin.clone()));
    let listener = bind(port).await?;
    let address = listener.local_addr()?;
    println!("Lectern is serving {what}");
    if let Some(origin) = &allow_origin {
        println!("Pages of {} may read it (CORS)", origin.to_str().unwrap_or("?"));
    }
    println!("Open http://{address}/ (Ctrl-C to stop)");
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("serving")?;
    Ok(())
}

/// `GET /collection/bundle`: every article file of the folder in one response.
async fn bundle_all(axum::extract::State(dir): axum::extract::State<PathBuf>) -> Response {
    bundle(dir, None)
}

/// `POST /collection/bundle` with a JSON array of paths: those files in one response.
async fn bundle_some(axum::extract::State(dir): axum::extract::State<PathBuf>, body: axum::body::Bytes) -> Response {
    match serde_json::from_slice::<Vec<String>>(&body) {
        Ok(paths) => bundle(dir, Some(paths)),
        Err(err) => (axum::http::StatusCode::BAD_REQUEST, format!("expected a JSON array of file paths: {err}")).into_response(),
    }
}

/// Streams files in the framing of [`collection::BUNDLE_MAGIC`]. Only files
/// the folder's listing holds are sent; other paths get an error record.
fn bundle(dir: PathBuf, wanted: Option<Vec<String>>) -> Response {
    use axum::body::{Body, Bytes};
    let (sender, receiver) = tokio::sync::mpsc::channel::<Bytes>(16);
    tokio::task::spawn_blocking(move || {
        let (files, _) = collection::walk(&dir);
        let listed: std::collections::HashMap<&str, &collection::ArticleFile> = files.iter().map(|f| (f.path.as_str(), f)).collect();
        let paths: Vec<String> = wanted.unwrap_or_else(|| files.iter().map(|f| f.path.clone()).collect());
        let send = |bytes: Vec<u8>| sender.blocking_send(Bytes::from(bytes)).is_ok();
        if !send(format!("{}\n", collection::BUNDLE_MAGIC).into_bytes()) {
            return;
        }
        let mut sent = 0usize;
        for path in &paths {
            let record = match listed.get(path.as_str()) {
                None => serde_json::json!({ "path": path, "error": "not an article file of this collection" }).to_string() + "\n",
                Some(file) => match std::fs::read(&file.full_path) {
                    Ok(bytes) => {
                        let mut out = serde_json::json!({ "path": path, "size": bytes.len(), "modified": file.modified }).to_string().into_bytes();
                        out.push(b'\n');
                        out.extend_from_slice(&bytes);
                        sent += 1;
                        if !send(out) {
                            return;
                        }
                        continue;
                    }
                    Err(err) => serde_json::json!({ "path": path, "error": format!("cannot read: {err}") }).to_string() + "\n",
                },
            };
            if !send(record.into_bytes()) {
                return;
            }
        }
        send(format!("{}\n", serde_json::json!({ "end": true, "files": sent })).into_bytes());
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|bytes| (Ok::<Bytes, std::convert::Infallible>(bytes), receiver))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "bundle").into_response())
}

#[cfg(test)]
mod tests {
    use super::parse_origin;

    #[test]
    fn allow_origin_accepts_an_origin_or_any() {
        assert_eq!(parse_origin("https://example.com").unwrap(), "https://example.com");
        assert_eq!(parse_origin("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
        assert_eq!(parse_origin("HTTPS://Example.COM:443").unwrap(), "https://example.com");
        assert_eq!(parse_origin("*").unwrap(), "*");
    }

    #[test]
    fn allow_origin_refuses_paths_other_schemes_and_nonsense() {
        for bad in ["https://example.com/blog", "https://example.com/?a=1", "ftp://example.com", "example.com", "", "https://user@example.com"] {
            let err = parse_origin(bad).unwrap_err();
            assert!(err.contains("origin"), "{bad}: {err}");
        }
    }
}
