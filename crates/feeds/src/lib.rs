//! Lectern's feeds: RSS 0.9x/1.0/2.0, Atom and JSON Feed documents read into
//! items ([`read_feed`], with `feed-rs`), each item written out as a
//! Hexo-style post file in the seed's format ([`post::write_post`]: YAML front
//! matter, then the item's HTML), and OPML subscription lists
//! ([`opml::read_opml`], [`opml::write_opml`]).
//!
//! A post file is what every other part of Lectern already reads: the CLI
//! writes it to a folder (`lectern feed`), the browser hands it to the ingest
//! module like a file the reader added, and either way `parse_article` gives
//! the article, sanitised with the one policy. Its name comes from the item's
//! GUID (or its link), so the same item fetched twice is one article, and an
//! updated item replaces the old one.
//!
//! This crate does no input or output: the caller fetches the bytes (the CLI
//! with an HTTP client, the extension with `fetch`) and stores the posts.
//!
//! ```
//! let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Blog</title>
//!   <link>https://example.org/</link>
//!   <item><title>Hello</title><link>https://example.org/hello</link>
//!   <guid>https://example.org/hello</guid><description>&lt;p&gt;Hi&lt;/p&gt;</description></item>
//! </channel></rss>"#;
//! let feed = lectern_feeds::read_feed(rss, "https://example.org/feed.xml").unwrap();
//! assert_eq!(feed.title, "Blog");
//! let post = lectern_feeds::post::write_post(&feed, &feed.items[0], chrono::DateTime::UNIX_EPOCH);
//! assert!(post.text.contains("title: Hello"));
//! assert!(post.text.contains("<p>Hi</p>"));
//! ```
#![forbid(unsafe_code)]

pub mod document;
pub mod error;
pub mod item;
pub mod limits;
pub mod opml;
pub mod post;
mod text;

pub use document::{read_feed, sniff, Document, Feed};
pub use error::FeedError;
pub use item::Item;
pub use post::{write_post, Post};
