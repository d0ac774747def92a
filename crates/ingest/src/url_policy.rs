//! The one URL policy for article bodies and front-matter fields.
//!
//! Links may use `http`, `https` and `mailto`; images and media only `http`
//! and `https`. A relative URL is resolved against the article's base (its
//! `link`, else the address the file was loaded from) and dropped when there
//! is none. Anything else (`javascript:`, `data:`, `vbscript:`, obfuscated or
//! unparsable URLs) is dropped.

use url::Url;

/// What a URL is used for, which decides the schemes allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlUse {
    /// A link the reader may follow: `http`, `https`, `mailto`.
    Link,
    /// A resource the page loads (image, video, poster): `http`, `https`.
    Resource,
}

/// Schemes allowed for links.
pub const LINK_SCHEMES: &[&str] = &["http", "https", "mailto"];
/// Schemes allowed for loaded resources.
pub const RESOURCE_SCHEMES: &[&str] = &["http", "https"];

/// Parses a base URL; only absolute `http`/`https` URLs can be bases.
pub fn parse_base(text: &str) -> Option<Url> {
    Url::parse(text.trim()).ok().filter(|u| RESOURCE_SCHEMES.contains(&u.scheme()))
}

/// Applies the policy to one URL: returns the absolute URL to keep, or `None`.
///
/// ```
/// use lectern_ingest::url_policy::{check, parse_base, UrlUse};
/// let base = parse_base("https://example.com/posts/a.html");
/// assert_eq!(check("img/x.png", UrlUse::Resource, base.as_ref()).as_deref(), Some("https://example.com/posts/img/x.png"));
/// assert_eq!(check("javascript:alert(1)", UrlUse::Link, base.as_ref()), None);
/// assert_eq!(check("img/x.png", UrlUse::Resource, None), None);
/// assert_eq!(check("//cdn.example.com/x.png", UrlUse::Resource, None).as_deref(), Some("https://cdn.example.com/x.png"));
/// ```
pub fn check(raw: &str, usage: UrlUse, base: Option<&Url>) -> Option<String> {
    let raw = raw.trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control());
    if raw.is_empty() || raw.len() > 8192 {
        return None;
    }
    let url = match Url::parse(raw) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(base) => base.join(raw).ok()?,
            // Protocol-relative URLs are common in feeds: assume https.
            None if raw.starts_with("//") => Url::parse(&format!("https:{raw}")).ok()?,
            None => return None,
        },
        Err(_) => return None,
    };
    let schemes = match usage {
        UrlUse::Link => LINK_SCHEMES,
        UrlUse::Resource => RESOURCE_SCHEMES,
    };
    if !schemes.contains(&url.scheme()) {
        return None;
    }
    if url.scheme() != "mailto" && url.host_str().is_none_or(str::is_empty) {
        return None;
    }
    Some(url.into())
}

/// Applies the policy to every candidate of a `srcset`, keeping the valid ones
/// with their width (`640w`) or density (`2x`) descriptors.
///
/// ```
/// use lectern_ingest::url_policy::{check_srcset, parse_base};
/// let base = parse_base("https://e.com/p/");
/// assert_eq!(
///     check_srcset("a.png 1x, javascript:x 2x, https://e.com/b.png 640w", base.as_ref()).as_deref(),
///     Some("https://e.com/p/a.png 1x, https://e.com/b.png 640w")
/// );
/// ```
pub fn check_srcset(srcset: &str, base: Option<&Url>) -> Option<String> {
    let mut kept: Vec<String> = Vec::new();
    let mut rest = srcset;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            break;
        }
        let url_end = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
        let mut url = &rest[..url_end];
        rest = &rest[url_end..];
        let mut descriptor = "";
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            let end = rest.find(',').unwrap_or(rest.len());
            descriptor = rest[..end].trim();
            rest = &rest[end..];
        }
        if !valid_descriptor(descriptor) {
            continue;
        }
        if let Some(checked) = check(url, UrlUse::Resource, base) {
            // A comma at the end of a URL would split the candidate on re-parse.
            if checked.ends_with(',') {
                continue;
            }
            kept.push(if descriptor.is_empty() { checked } else { format!("{checked} {descriptor}") });
        }
    }
    (!kept.is_empty()).then(|| kept.join(", "))
}

fn valid_descriptor(descriptor: &str) -> bool {
    if descriptor.is_empty() {
        return true;
    }
    let Some(number) = descriptor.strip_suffix(['w', 'x', 'h']) else { return false };
    !number.is_empty() && number.parse::<f64>().is_ok_and(|n| n.is_finite() && n > 0.0)
}

/// The host of an absolute URL, without a leading `www.`.
pub fn host_of(url: &str) -> Option<String> {
    let url = Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(host.strip_prefix("www.").unwrap_or(host).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_script_capable_schemes() {
        for bad in ["javascript:alert(1)", " JaVaScRiPt:alert(1)", "data:text/html,<script>", "vbscript:x", "\u{1}javascript:alert(1)"] {
            assert_eq!(check(bad, UrlUse::Link, None), None, "{bad}");
            let base = parse_base("https://e.com/");
            let kept = check(bad, UrlUse::Link, base.as_ref());
            assert!(kept.as_deref().is_none_or(|u| u.starts_with("https://e.com/")), "{bad} -> {kept:?}");
        }
    }

    #[test]
    fn keeps_mailto_links_but_not_mailto_images() {
        assert!(check("mailto:a@b.c", UrlUse::Link, None).is_some());
        assert!(check("mailto:a@b.c", UrlUse::Resource, None).is_none());
    }

    #[test]
    fn drops_relative_urls_without_base() {
        assert_eq!(check("/a/b.png", UrlUse::Resource, None), None);
        assert_eq!(check("#top", UrlUse::Link, None), None);
    }

    #[test]
    fn only_http_bases_count() {
        assert!(parse_base("javascript:alert(1)").is_none());
        assert!(parse_base("file:///etc/passwd").is_none());
        assert!(parse_base("http://127.0.0.1:8080/collection/a.md").is_some());
    }

    #[test]
    fn srcset_keeps_urls_with_commas_inside() {
        let base = parse_base("https://e.com/");
        assert_eq!(
            check_srcset("https://e.com/a.jpg?w=770&resize=770,513 2x", base.as_ref()).as_deref(),
            Some("https://e.com/a.jpg?w=770&resize=770,513 2x")
        );
    }

    #[test]
    fn srcset_drops_bad_descriptors() {
        assert_eq!(check_srcset("https://e.com/a.jpg onerror=x", None), None);
        // Found by fuzzing: a descriptor ending in a multi-byte character.
        assert_eq!(check_srcset("https://e.com/a.jpg 2ن", None), None);
        assert_eq!(check_srcset("", None), None);
    }
}
