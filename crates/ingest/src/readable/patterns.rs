//! The word lists the extraction heuristics match class names, ids, roles and
//! URLs against (the lists Mozilla Readability uses), as plain case-insensitive
//! matchers: no regular-expression engine enters the WebAssembly build.

/// Class/id fragments of page furniture: menus, comments, footers, ads.
const UNLIKELY_CANDIDATES: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
];

/// Class/id fragments that rescue an element from [`UNLIKELY_CANDIDATES`].
const MAYBE_CANDIDATE: &[&str] = &["and", "article", "body", "column", "content", "main", "mathjax", "shadow"];

/// The same rescue list as the readerable check uses it.
const MAYBE_CANDIDATE_READERABLE: &[&str] = &["and", "article", "body", "content", "main", "shadow"];

/// Class/id fragments of content.
const POSITIVE: &[&str] = &[
    "article",
    "body",
    "content",
    "entry",
    "hentry",
    "h-entry",
    "main",
    "page",
    "pagination",
    "post",
    "text",
    "blog",
    "story",
];

/// Class/id fragments of anything but content.
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
];

/// Class/id fragments of an author line.
const BYLINE: &[&str] = &["byline", "author", "dateline", "writtenby", "p-author"];

/// Hosts of embedded video players worth keeping.
const VIDEO_HOSTS: &[&str] = &[
    "dailymotion.com",
    "youtube.com",
    "youtube-nocookie.com",
    "player.vimeo.com",
    "v.qq.com",
    "bilibili.com",
    "live.bilibili.com",
    "archive.org",
    "upload.wikimedia.org",
    "player.twitch.tv",
];

/// ARIA roles of page furniture.
pub const UNLIKELY_ROLES: &[&str] =
    &["menu", "menubar", "complementary", "navigation", "alert", "alertdialog", "dialog"];

/// Whole texts of advertisement labels.
const AD_WORDS: &[&str] =
    &["ad", "advertising", "advertisement", "pub", "publicité", "werb", "werbung", "广告", "реклама", "anuncio"];

/// Whole texts of loading placeholders (optionally followed by `…` or `...`).
const LOADING_WORDS: &[&str] = &["loading", "正在加载", "загрузка", "chargement", "cargando"];

/// schema.org types of articles, as JSON-LD `@type` names them.
const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "AdvertiserContentArticle",
    "NewsArticle",
    "AnalysisNewsArticle",
    "AskPublicNewsArticle",
    "BackgroundNewsArticle",
    "OpinionNewsArticle",
    "ReportageNewsArticle",
    "ReviewNewsArticle",
    "Report",
    "SatiricalArticle",
    "ScholarlyArticle",
    "MedicalScholarlyArticle",
    "SocialMediaPosting",
    "BlogPosting",
    "LiveBlogPosting",
    "DiscussionForumPosting",
    "TechArticle",
    "APIReference",
];

fn contains_any(haystack: &str, needles: &[&str]) -> bool {
    let lower = haystack.to_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// Class/id text of page furniture (menus, comments, footers, ads, ...).
pub fn is_unlikely_candidate(class_and_id: &str) -> bool {
    contains_any(class_and_id, UNLIKELY_CANDIDATES) && !contains_any(class_and_id, MAYBE_CANDIDATE)
}

/// The same test as the readerable check applies it.
pub fn is_unlikely_for_readerable(class_and_id: &str) -> bool {
    contains_any(class_and_id, UNLIKELY_CANDIDATES) && !contains_any(class_and_id, MAYBE_CANDIDATE_READERABLE)
}

/// Class/id text that suggests content.
pub fn is_positive(class_or_id: &str) -> bool {
    contains_any(class_or_id, POSITIVE)
}

/// Class/id text that suggests anything but content (including a class `hid`).
pub fn is_negative(class_or_id: &str) -> bool {
    contains_any(class_or_id, NEGATIVE) || class_or_id.split(' ').any(|word| word.eq_ignore_ascii_case("hid"))
}

/// Class/id text of an author line.
pub fn is_byline(class_and_id: &str) -> bool {
    contains_any(class_and_id, BYLINE)
}

/// A "share" widget's class/id: `share` or `sharedaddy` as a word (`_` counts as a break).
pub fn is_share_element(class_and_id: &str) -> bool {
    let lower = class_and_id.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric();
    lower.match_indices("share").any(|(start, _)| {
        let before_ok = start == 0 || !is_word(bytes[start - 1]);
        let end = if lower[start..].starts_with("sharedaddy") { start + 10 } else { start + 5 };
        let plain_end = start + 5;
        let after_ok = |e: usize| e >= bytes.len() || !is_word(bytes[e]);
        before_ok && (after_ok(plain_end) || after_ok(end))
    })
}

/// A URL (or markup) that embeds a known video player.
pub fn is_video_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.match_indices("//").any(|(i, _)| {
        let rest = &lower[i + 2..];
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        VIDEO_HOSTS.iter().any(|host| rest.starts_with(host))
    })
}

/// A text that is only an advertisement label or a loading placeholder.
pub fn is_ad_or_loading_text(text: &str) -> bool {
    let lower = text.to_lowercase();
    if AD_WORDS.contains(&lower.as_str()) {
        return true;
    }
    let stem = lower.strip_suffix('…').or_else(|| lower.strip_suffix("...")).unwrap_or(&lower);
    LOADING_WORDS.contains(&stem)
}

/// A JSON-LD `@type` naming a kind of article. Like Readability, a type that
/// contains an article type's name counts (`NewsArticle`, `ArticleLike`).
pub fn is_article_type(kind: &str) -> bool {
    kind.starts_with("Article")
        || kind.ends_with("APIReference")
        || ARTICLE_TYPES[1..ARTICLE_TYPES.len() - 1].iter().any(|t| kind.contains(t))
}

/// `http://schema.org` or `https://schema.org/`.
pub fn is_schema_org(context: &str) -> bool {
    let rest = context.strip_prefix("https://").or_else(|| context.strip_prefix("http://"));
    matches!(rest, Some("schema.org") | Some("schema.org/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unlikely_candidates_can_be_rescued() {
        assert!(is_unlikely_candidate("site-footer "));
        assert!(!is_unlikely_candidate("footer main-content"));
        assert!(!is_unlikely_candidate("entry "));
    }

    #[test]
    fn negative_matches_hid_only_as_a_word() {
        assert!(is_negative("hid"));
        assert!(is_negative("x hid y"));
        assert!(!is_negative("hidalgo"));
        assert!(is_negative("is-hidden"));
    }

    #[test]
    fn share_matches_as_a_word() {
        assert!(is_share_element("share-buttons "));
        assert!(is_share_element("post_share "));
        assert!(is_share_element("sharedaddy sd-block"));
        assert!(!is_share_element("shared-content "));
        assert!(!is_share_element("timeshare "));
    }

    #[test]
    fn recognises_video_players() {
        assert!(is_video_url("https://www.youtube.com/embed/x"));
        assert!(is_video_url("//player.vimeo.com/video/1"));
        assert!(!is_video_url("https://example.com/youtube.com"));
    }

    #[test]
    fn ad_and_loading_labels_are_whole_texts() {
        assert!(is_ad_or_loading_text("Advertisement"));
        assert!(is_ad_or_loading_text("Loading..."));
        assert!(is_ad_or_loading_text("广告"));
        assert!(!is_ad_or_loading_text("Ad blockers explained"));
    }

    #[test]
    fn article_types() {
        assert!(is_article_type("NewsArticle"));
        assert!(is_article_type("Article"));
        assert!(!is_article_type("WebPage"));
        assert!(is_schema_org("https://schema.org/"));
        assert!(!is_schema_org("https://example.org"));
    }
}
