//! Fetching one feed over HTTP(S) (ureq, rustls): conditional GET with the
//! validators of the last fetch, gzip and brotli, redirects followed by hand
//! so a permanent one can move the subscription, a time limit for the whole
//! exchange and a size limit for the body.

use std::time::Duration;
use ureq::http::StatusCode;

/// Redirects followed for one fetch.
const MAX_REDIRECTS: usize = 5;
const ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5";

/// What a fetch needs from the last one.
pub struct Request<'a> {
    pub url: &'a str,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
}

/// A fetch that got an answer.
pub struct Fetched {
    /// The address that answered (after redirects).
    pub url: String,
    /// Where the subscription moved: set when every redirect on the way was permanent (301, 308).
    pub moved_to: Option<String>,
    pub body: Body,
}

pub enum Body {
    /// 304: nothing changed since the validators were given.
    NotModified,
    Document { bytes: Vec<u8>, etag: Option<String>, last_modified: Option<String> },
}

pub struct Client {
    agent: ureq::Agent,
    max_bytes: u64,
    timeout: Duration,
}

impl Client {
    pub fn new(timeout: Duration, max_bytes: u64) -> Client {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .max_redirects_will_error(false)
            .http_status_as_error(false)
            .user_agent(concat!("Lectern/", env!("CARGO_PKG_VERSION"), " (feed reader; +https://lectern.invalid)"))
            .build()
            .into();
        Client { agent, max_bytes, timeout }
    }

    /// Fetches `request.url`; the error says why in words (the address is added by the caller).
    pub fn fetch(&self, request: &Request) -> Result<Fetched, String> {
        let mut url = request.url.to_owned();
        let mut moved_to = None;
        let mut all_permanent = true;
        for _ in 0..=MAX_REDIRECTS {
            let mut call = self.agent.get(&url).header("Accept", ACCEPT);
            if let Some(etag) = request.etag {
                call = call.header("If-None-Match", etag);
            }
            if let Some(date) = request.last_modified {
                call = call.header("If-Modified-Since", date);
            }
            let mut response = call.call().map_err(|e| self.describe(e))?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .ok_or_else(|| format!("the server answered {} without saying where to", describe_status(status)))?;
                let next = url::Url::parse(&url)
                    .and_then(|base| base.join(location.trim()))
                    .map_err(|_| format!("the server redirected to an address that is not a URL: {location}"))?;
                if !matches!(next.scheme(), "http" | "https") {
                    return Err(format!("the server redirected to {next}, which is not http(s)"));
                }
                all_permanent &= matches!(status, StatusCode::MOVED_PERMANENTLY | StatusCode::PERMANENT_REDIRECT);
                url = next.to_string();
                if all_permanent {
                    moved_to = Some(url.clone());
                }
                continue;
            }
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched { url, moved_to, body: Body::NotModified });
            }
            if !status.is_success() {
                return Err(format!("the server answered {}", describe_status(status)));
            }
            let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let (etag, last_modified) = (header("etag"), header("last-modified"));
            let bytes = response.body_mut().with_config().limit(self.max_bytes).read_to_vec().map_err(|e| self.describe(e))?;
            return Ok(Fetched { url, moved_to, body: Body::Document { bytes, etag, last_modified } });
        }
        Err(format!("more than {MAX_REDIRECTS} redirects"))
    }

    fn describe(&self, error: ureq::Error) -> String {
        match error {
            ureq::Error::Timeout(_) => format!("no complete answer within {} s (the time limit, --timeout)", self.timeout.as_secs_f32()),
            ureq::Error::BodyExceedsLimit(_) => {
                format!("the response is larger than the limit of {} MiB (--max-mib)", self.max_bytes / (1024 * 1024))
            }
            ureq::Error::HostNotFound => "the host name was not found".to_owned(),
            ureq::Error::ConnectionFailed => "the server could not be reached".to_owned(),
            ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => "the server refused the connection".to_owned(),
            ureq::Error::Io(io) if matches!(io.kind(), std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset) => {
                format!("the response was cut off ({io})")
            }
            ureq::Error::BadUri(uri) => format!("not a usable address: {uri}"),
            other => other.to_string(),
        }
    }
}

fn describe_status(status: StatusCode) -> String {
    format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("")).trim_end().to_owned()
}
