//! What an article is, once read: the record every part of Lectern passes
//! around (the reading list shows it, the search indexes it, a collection
//! stores it). Reading one from a file is `lectern-ingest`'s job.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The id of an article: FNV-1a 64 of its file name (a saved page's URL), as 16 hex digits.
/// Reading a file gives it; a feed's post file names it before it is read.
pub fn article_id(name: &str) -> String {
    format!("{:016x}", crate::search::persist::fnv1a(name.as_bytes()))
}

/// An article, ready to list, search and show.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    /// A stable id derived from the file name, or a saved page's URL (16 hex digits).
    pub id: String,
    /// The file name the article was read from (a path within its collection), or a saved page's URL.
    pub name: String,
    /// Title from front matter (or the page), else the first heading, else the file name.
    pub title: String,
    /// Publication date, RFC 3339 in UTC; absent when unknown.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<String>,
    /// Author (several are joined with ", ").
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    /// The name of the site it was published on (saved web pages).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub site_name: Option<String>,
    /// Where it comes from, for grouping: the author, else the site name, else the host of `link`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
    /// Categories, flattened, in order, without duplicates.
    pub categories: Vec<String>,
    /// Tags, flattened, in order, without duplicates.
    pub tags: Vec<String>,
    /// Lead image URL (front matter `headimg`, `thumbnail`, `cover`, `image`, else the first body image).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub image: Option<String>,
    /// Original URL of the article.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub link: Option<String>,
    /// Language tag, from front matter or guessed from the script of the text.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lang: Option<String>,
    /// `ltr` or `rtl`.
    pub dir: String,
    /// A short plain-text summary.
    pub excerpt: String,
    /// Words: CJK characters plus words of other scripts.
    pub words: usize,
    /// Minutes to read (400 CJK characters or 230 other words a minute).
    pub reading_minutes: u32,
    /// Headings of the body.
    pub outline: Vec<Heading>,
    /// Sanitised body HTML.
    pub html: String,
    /// Plain text of the body.
    pub text: String,
    /// What was recovered or dropped while reading.
    pub warnings: Vec<String>,
    /// Front-matter keys Lectern does not use, kept as they were.
    pub extra: Map<String, Value>,
}

/// An article as a list shows it: everything but its body (`html`, `text`,
/// `outline`), warnings and extra keys. One type for every list: a
/// library's, a static collection's list pages and cards, a search's hits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// See [`Article::id`].
    pub id: String,
    /// See [`Article::name`].
    pub name: String,
    /// See [`Article::title`].
    pub title: String,
    /// See [`Article::date`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<String>,
    /// See [`Article::author`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    /// See [`Article::source`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
    /// See [`Article::categories`].
    pub categories: Vec<String>,
    /// See [`Article::tags`].
    pub tags: Vec<String>,
    /// See [`Article::image`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub image: Option<String>,
    /// See [`Article::link`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub link: Option<String>,
    /// See [`Article::lang`].
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lang: Option<String>,
    /// See [`Article::dir`].
    pub dir: String,
    /// See [`Article::excerpt`].
    pub excerpt: String,
    /// See [`Article::words`].
    pub words: usize,
    /// See [`Article::reading_minutes`].
    pub reading_minutes: u32,
    /// In a static collection: a hash of the article's own file, which its
    /// address carries (`?v=`), so an unchanged article stays cached across
    /// builds. Empty elsewhere.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub v: String,
}

impl Summary {
    /// The summary of an article (`v`: see [`Summary::v`]).
    pub fn of(article: &Article, v: String) -> Summary {
        Summary {
            id: article.id.clone(),
            name: article.name.clone(),
            title: article.title.clone(),
            date: article.date.clone(),
            author: article.author.clone(),
            source: article.source.clone(),
            categories: article.categories.clone(),
            tags: article.tags.clone(),
            image: article.image.clone(),
            link: article.link.clone(),
            lang: article.lang.clone(),
            dir: article.dir.clone(),
            excerpt: article.excerpt.clone(),
            words: article.words,
            reading_minutes: article.reading_minutes,
            v,
        }
    }
}

/// One heading of an article's outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Heading {
    /// 1 for `<h1>` … 6 for `<h6>`.
    pub level: u8,
    /// The heading's text.
    pub text: String,
}

#[cfg(test)]
pub(crate) mod testing {
    use super::Article;

    /// An article as the ingest would give it, for the core's own tests.
    pub fn article(name: &str, title: &str, text: &str, date: Option<&str>) -> Article {
        let id = format!("{:016x}", crate::search::persist::fnv1a(name.as_bytes()));
        Article {
            id,
            name: name.into(),
            title: title.into(),
            date: date.map(str::to_owned),
            dir: "ltr".into(),
            excerpt: crate::metrics::excerpt(text, crate::limits::EXCERPT_CHARS),
            html: format!("<p>{text}</p>"),
            text: text.into(),
            ..Default::default()
        }
    }
}
