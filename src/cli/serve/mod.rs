//! `lectern serve [DIR] [--port N]`: the web page and a collection, on 127.0.0.1.
//!
//! A folder of articles is served as a built collection ([`folder`]): it is
//! indexed with the same code as `lectern index` into a cache outside it, and
//! indexed again (incrementally) as soon as the folder's files change (it is
//! watched), and in any case before the manifest is answered, so the page
//! shows it with the reader module alone.
//! Routes: `/collection/manifest.json` (the current build's),
//! `/collection/<file>` (a build's files: the one named by `?v=` while it is
//! kept, else the current one), `/collection/files/...` (the folder's own
//! files, for relative images and links), and everything else is the page.
//!
//! A static collection (built by `lectern index`) is served as it is, like
//! any static host would. `--allow-origin` lets another site's page read all
//! of it (a `<lectern-reader>` embedded there).

mod folder;

use anyhow::{Context, Result};
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use folder::{Opened, ServedFolder};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of article files, or a static collection built by `lectern index` (default: the project's sample articles).
    dir: Option<PathBuf>,
    /// Port on 127.0.0.1 (default: 8080, or the next free one up to 8099).
    #[arg(long, short)]
    port: Option<u16>,
    /// Folder holding the built web page (default: this project's www/, built by ./build.sh).
    #[arg(long, env = "LECTERN_WEB", value_name = "DIR")]
    web: Option<PathBuf>,
    /// Where the collection built from DIR is kept between runs (default:
    /// $XDG_CACHE_HOME/lectern/serve, else ~/.cache/lectern/serve). Never inside DIR.
    #[arg(long, env = "LECTERN_CACHE", value_name = "DIR")]
    cache: Option<PathBuf>,
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
        anyhow::bail!("'{}' is not a folder of articles", dir.display());
    }
    let web = super::built_web(args.web, "run ./build.sh serve, or pass --web DIR")?;
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async {
        let listener = bind(args.port).await?;
        if let Some(collection) = super::search::static_collection_dir(&dir) {
            serve_static(listener, dir, collection, web, args.allow_origin).await
        } else {
            let cache = args.cache.unwrap_or_else(folder::default_cache);
            serve_folder(listener, dir, cache, web, args.allow_origin).await
        }
    })?;
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

/// Indexes `dir` into `cache` and serves the result (see [`folder`]).
async fn serve_folder(listener: tokio::net::TcpListener, dir: PathBuf, cache: PathBuf, web: PathBuf, allow_origin: Option<HeaderValue>) -> Result<()> {
    let address = listener.local_addr()?;
    // Relative images and links of the articles point at the folder's own files, served here.
    let base = format!("http://{address}/collection/files/");
    let (folder, opened) = {
        let (dir, cache) = (dir.clone(), cache.clone());
        tokio::task::spawn_blocking(move || ServedFolder::open(&dir, &cache, base)).await.context("indexing the folder")??
    };
    let articles = folder.generation(None).manifest.articles;
    match &opened {
        Opened::Built(report) => super::progress::print_summary("lectern serve", report),
        Opened::Unchanged => eprintln!("lectern serve: {articles} articles, unchanged since the last run (the build in the cache is served)"),
    }
    let folder = Arc::new(folder);
    let _watcher = match ServedFolder::watch(&folder) {
        Ok(watcher) => Some(watcher),
        Err(err) => {
            eprintln!("lectern serve: cannot watch '{}' ({err}); changes are found when the page is reloaded", display(folder.source()));
            None
        }
    };
    // Article files are data: never let a browser run them as a page.
    let sandbox = SetResponseHeaderLayer::overriding(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"),
    );
    let app = Router::new()
        .route("/collection/manifest.json", get(manifest))
        .nest_service("/collection/files", tower::ServiceBuilder::new().layer(sandbox).service(ServeDir::new(&dir)))
        .route("/collection/{*path}", get(collection_file))
        .with_state(folder.clone())
        .fallback_service(ServeDir::new(&web).append_index_html_on_directories(true));
    let what = format!("{articles} article(s) from {} (indexed into {})", display(folder.source()), display(&cache));
    run_until_stopped(listener, app, allow_origin, &what).await
}

/// `GET /collection/manifest.json`: the current build's, built again first when the folder changed.
async fn manifest(State(folder): State<Arc<ServedFolder>>) -> Response {
    match tokio::task::spawn_blocking(move || folder.refreshed()).await {
        Ok(generation) => file_response(&generation.collection, "manifest.json").await,
        Err(err) => (StatusCode::INTERNAL_SERVER_ERROR, format!("building the collection failed: {err}")).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Version {
    v: Option<String>,
}

/// `GET /collection/<path>?v=<build>`: a file of that build while it is kept, else of the current one.
async fn collection_file(State(folder): State<Arc<ServedFolder>>, UrlPath(path): UrlPath<String>, Query(version): Query<Version>) -> Response {
    let generation = folder.generation(version.v.as_deref());
    file_response(&generation.collection, &path).await
}

/// A file of a collection folder, or 404 (also for paths that leave the folder or name hidden files).
async fn file_response(collection: &Path, path: &str) -> Response {
    let relative = Path::new(path);
    let plain = relative.components().all(|c| matches!(c, Component::Normal(part) if !part.to_string_lossy().starts_with('.')));
    if !plain || path.is_empty() {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read(collection.join(relative)).await {
        Ok(bytes) => {
            let kind = if path.ends_with(".json") { "application/json" } else { "application/octet-stream" };
            ([(header::CONTENT_TYPE, kind)], bytes).into_response()
        }
        Err(_) => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

fn display(path: &Path) -> String {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Serves a static collection's site folder as any static host would (the
/// page from `web` when the folder has none).
async fn serve_static(listener: tokio::net::TcpListener, site: PathBuf, collection: PathBuf, web: PathBuf, allow_origin: Option<HeaderValue>) -> Result<()> {
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
    run_until_stopped(listener, app, allow_origin, &what).await
}

/// Adds the headers every response carries, prints the address and serves
/// until Ctrl-C.
async fn run_until_stopped(listener: tokio::net::TcpListener, app: Router, allow_origin: Option<HeaderValue>, what: &str) -> Result<()> {
    let app = app
        .layer(SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-cache")))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::ACCESS_CONTROL_ALLOW_ORIGIN, allow_origin.clone()));
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
