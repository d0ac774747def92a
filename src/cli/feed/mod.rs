//! `lectern feed SUBSCRIPTION... -o POSTS_DIR`: keeps a folder of posts up to
//! date with feeds. Each new or changed item is written as one post file in
//! the seed's format (see `lectern_feeds::post`); an unchanged item is not
//! written again, an item that left the feed stays, and the folder's state
//! file remembers validators, errors and when undated items were first seen.

mod fetch;
mod state;

use super::progress::Report;
use anyhow::{bail, Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use lectern_feeds::opml::{read_opml, write_opml, Subscription};
use lectern_feeds::{read_feed, sniff, write_post, Document, FeedError};
use lectern_ingest::build::Progress;
use state::{FeedState, ItemState, State};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Feed URLs (RSS, Atom, JSON Feed), or OPML files (a path or a URL) listing feeds.
    /// Without any, every feed the folder is subscribed to is fetched again.
    #[arg(value_name = "SUBSCRIPTION")]
    subscriptions: Vec<String>,
    /// The folder of posts to keep up to date (made when missing).
    #[arg(short, long, value_name = "POSTS_DIR")]
    out: PathBuf,
    /// Feeds fetched at the same time.
    #[arg(long, value_name = "N", default_value_t = 4)]
    jobs: usize,
    /// Seconds one fetch may take, from connecting to the last byte.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// The largest feed read, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 16)]
    max_mib: u64,
    /// Print the folder's subscriptions as OPML (nothing is fetched).
    #[arg(long)]
    export_opml: bool,
}

/// What fetching one feed gave.
enum Outcome {
    NotModified { moved_to: Option<String> },
    Feed { feed: Box<lectern_feeds::Feed>, moved_to: Option<String>, etag: Option<String>, last_modified: Option<String> },
    /// The address served a subscription list: its feeds are subscribed to instead.
    List(Vec<Subscription>),
    Failed(String),
}

pub fn run(args: Args) -> Result<ExitCode> {
    std::fs::create_dir_all(&args.out).with_context(|| format!("cannot make the folder '{}'", args.out.display()))?;
    let mut state = State::load(&args.out)?;
    if args.export_opml {
        let list: Vec<Subscription> = state
            .feeds
            .iter()
            .map(|f| Subscription { url: f.url.clone(), title: f.title.clone(), site: f.site.clone(), category: f.category.clone() })
            .collect();
        print!("{}", write_opml("Lectern subscriptions", &list)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut targets = Vec::new();
    for subscription in &args.subscriptions {
        for entry in expand(subscription)? {
            let index = state.subscribe(&entry.url);
            let feed = &mut state.feeds[index];
            feed.title = feed.title.take().or(entry.title);
            feed.site = feed.site.take().or(entry.site);
            feed.category = feed.category.take().or(entry.category);
            if !targets.contains(&index) {
                targets.push(index);
            }
        }
    }
    if args.subscriptions.is_empty() {
        if state.feeds.is_empty() {
            bail!("'{}' has no subscriptions yet: name feed URLs or OPML files to subscribe to", args.out.display());
        }
        targets = (0..state.feeds.len()).collect();
    }

    let client = fetch::Client::new(Duration::from_secs(args.timeout.max(1)), args.max_mib.max(1) * 1024 * 1024);
    let progress = Report::new("lectern feed");
    let mut totals = Totals::default();
    let mut list_urls = Vec::new();
    // A list found at a feed's address brings more feeds: they are fetched in the next round.
    while !targets.is_empty() {
        progress.phase("fetching feeds", targets.len() as u64);
        let outcomes = fetch_all(&client, &state, &targets, args.jobs, &progress);
        let mut next = Vec::new();
        for (index, outcome) in targets.iter().copied().zip(outcomes) {
            if let Outcome::List(list) = outcome {
                list_urls.push(state.feeds[index].url.clone());
                for entry in list {
                    let added = state.subscribe(&entry.url);
                    let feed = &mut state.feeds[added];
                    feed.category = feed.category.take().or(entry.category);
                    feed.title = feed.title.take().or(entry.title);
                    if feed.last_fetch.is_none() && !next.contains(&added) {
                        next.push(added);
                    }
                }
                totals.lists += 1;
                continue;
            }
            apply(&args.out, &mut state.feeds[index], outcome, &mut totals);
        }
        targets = next;
    }
    progress.finish();
    // An address that served a list is not a feed: its feeds are kept, it is not.
    state.feeds.retain(|f| !list_urls.contains(&f.url));
    state.save(&args.out)?;

    for failure in &totals.failures {
        eprintln!("lectern feed: {failure}");
    }
    eprintln!(
        "lectern feed: {} feed(s) fetched, {} unchanged, {} failed; {} new post(s), {} updated, {} unchanged; in {}",
        totals.fetched,
        totals.not_modified,
        totals.failures.len(),
        totals.new,
        totals.updated,
        totals.unchanged,
        args.out.display()
    );
    Ok(if totals.failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// A SUBSCRIPTION argument: a feed URL, or an OPML file by path (a URL that
/// turns out to be a list is expanded when it is fetched).
fn expand(subscription: &str) -> Result<Vec<Subscription>> {
    let path = Path::new(subscription);
    if path.is_file() {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read '{subscription}'"))?;
        if sniff(&bytes) != Document::Opml {
            bail!("'{subscription}' is a file but not an OPML subscription list (subscribe to a feed by its URL)");
        }
        let list = read_opml(&String::from_utf8_lossy(&bytes)).with_context(|| format!("'{subscription}'"))?;
        let list = absolute(list, None);
        if list.is_empty() {
            bail!("'{subscription}' lists no feeds (no outline has an absolute http(s) xmlUrl)");
        }
        return Ok(list);
    }
    match url::Url::parse(subscription) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => {
            Ok(vec![Subscription { url: url.to_string(), title: None, site: None, category: None }])
        }
        _ => bail!("'{subscription}' is neither an http(s) feed URL nor an OPML file"),
    }
}

/// The list's feeds with absolute http(s) addresses (relative ones resolved
/// against the list's own address when it has one); the others are reported and left out.
fn absolute(list: Vec<Subscription>, base: Option<&str>) -> Vec<Subscription> {
    let base = base.and_then(|b| url::Url::parse(b).ok());
    list.into_iter()
        .filter_map(|mut entry| {
            let resolved = match &base {
                Some(base) => base.join(entry.url.trim()),
                None => url::Url::parse(entry.url.trim()),
            };
            match resolved {
                Ok(url) if matches!(url.scheme(), "http" | "https") => {
                    entry.url = url.to_string();
                    Some(entry)
                }
                _ => {
                    eprintln!("lectern feed: skipped '{}' of a subscription list: not an http(s) address", entry.url);
                    None
                }
            }
        })
        .collect()
}

/// Fetches and reads the feeds at `targets`, `jobs` at a time; outcomes in the order of `targets`.
fn fetch_all(client: &fetch::Client, state: &State, targets: &[usize], jobs: usize, progress: &Report) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..targets.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, 16).min(targets.len()) {
            scope.spawn(|| loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(&index) = targets.get(at) else { break };
                let outcome = fetch_one(client, &state.feeds[index]);
                if let Ok(mut results) = results.lock() {
                    results[at] = Some(outcome);
                }
                progress.advance(1);
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    results.into_iter().map(|r| r.unwrap_or_else(|| Outcome::Failed("the fetch stopped unexpectedly".into()))).collect()
}

fn fetch_one(client: &fetch::Client, feed: &FeedState) -> Outcome {
    let request = fetch::Request { url: &feed.url, etag: feed.etag.as_deref(), last_modified: feed.last_modified.as_deref() };
    let fetched = match client.fetch(&request) {
        Ok(fetched) => fetched,
        Err(reason) => return Outcome::Failed(reason),
    };
    let (bytes, etag, last_modified) = match fetched.body {
        fetch::Body::NotModified => return Outcome::NotModified { moved_to: fetched.moved_to },
        fetch::Body::Document { bytes, etag, last_modified } => (bytes, etag, last_modified),
    };
    if sniff(&bytes) == Document::Opml {
        return match read_opml(&String::from_utf8_lossy(&bytes)) {
            Ok(list) => Outcome::List(absolute(list, Some(&fetched.url))),
            Err(error) => Outcome::Failed(error.to_string()),
        };
    }
    match read_feed(&bytes, &fetched.url) {
        Ok(feed) => Outcome::Feed { feed: Box::new(feed), moved_to: fetched.moved_to, etag, last_modified },
        // A site's address, subscribed to for the first time: its page names its feed.
        Err(FeedError::WebPage { hint: Some(found) }) if feed.last_success.is_none() && found != feed.url => {
            let moved = FeedState { url: found.clone(), etag: None, last_modified: None, ..feed.clone() };
            match fetch_one(client, &moved) {
                Outcome::Feed { feed, moved_to, etag, last_modified } => {
                    Outcome::Feed { feed, moved_to: moved_to.or(Some(found)), etag, last_modified }
                }
                Outcome::Failed(reason) => Outcome::Failed(format!("this is a web page; the feed it names, {found}, failed: {reason}")),
                other => other,
            }
        }
        Err(error) => Outcome::Failed(error.to_string()),
    }
}

#[derive(Default)]
struct Totals {
    fetched: usize,
    not_modified: usize,
    lists: usize,
    new: usize,
    updated: usize,
    unchanged: usize,
    failures: Vec<String>,
}

/// Records an outcome in the feed's state and writes its new and changed posts.
fn apply(dir: &Path, state: &mut FeedState, outcome: Outcome, totals: &mut Totals) {
    let fetched_at = now();
    state.last_fetch = Some(fetched_at.clone());
    let address = state.url.clone();
    match outcome {
        Outcome::Failed(reason) => {
            totals.failures.push(format!("{address}: {reason}"));
            state.error = Some(reason);
        }
        Outcome::List(_) => {}
        Outcome::NotModified { moved_to } => {
            move_subscription(state, moved_to);
            state.error = None;
            state.last_success = Some(fetched_at);
            totals.not_modified += 1;
        }
        Outcome::Feed { feed, moved_to, etag, last_modified } => {
            move_subscription(state, moved_to);
            let mut items = std::collections::BTreeMap::new();
            let mut errors = Vec::new();
            for item in &feed.items {
                let first_seen = state
                    .items
                    .get(&item.key)
                    .and_then(|i| DateTime::parse_from_rfc3339(&i.first_seen).ok())
                    .map_or_else(Utc::now, |d| d.with_timezone(&Utc));
                let post = write_post(&feed, item, first_seen);
                match write_if_changed(&dir.join(&post.file_name), &post.text) {
                    Ok(Written::New) => totals.new += 1,
                    Ok(Written::Updated) => totals.updated += 1,
                    Ok(Written::Unchanged) => totals.unchanged += 1,
                    Err(error) => errors.push(format!("{}: {error:#}", post.file_name)),
                }
                items.insert(
                    item.key.clone(),
                    ItemState { file: post.file_name, first_seen: first_seen.to_rfc3339_opts(SecondsFormat::Secs, true) },
                );
            }
            for note in &feed.notes {
                eprintln!("lectern feed: {address}: {note}");
            }
            state.items = items;
            state.title = Some(feed.title.clone());
            state.site = feed.site.clone().or(state.site.take());
            state.etag = etag;
            state.last_modified = last_modified;
            state.last_success = Some(fetched_at);
            totals.fetched += 1;
            if errors.is_empty() {
                state.error = None;
            } else {
                let reason = format!("{} post(s) could not be written: {}", errors.len(), errors.join("; "));
                totals.failures.push(format!("{address}: {reason}"));
                state.error = Some(reason);
                // Validators would hide the unwritten items from the next fetch.
                state.etag = None;
                state.last_modified = None;
            }
        }
    }
}

fn move_subscription(state: &mut FeedState, moved_to: Option<String>) {
    if let Some(url) = moved_to {
        if url != state.url {
            eprintln!("lectern feed: {} is now {url} (a permanent redirect, or the feed its page names); the subscription uses the new address", state.url);
            state.url = url;
        }
    }
}

enum Written {
    New,
    Updated,
    Unchanged,
}

/// Writes `text` to `path` unless it already holds exactly that (through a temporary file).
fn write_if_changed(path: &Path, text: &str) -> Result<Written> {
    let written = match std::fs::read(path) {
        Ok(existing) if existing == text.as_bytes() => return Ok(Written::Unchanged),
        Ok(_) => Written::Updated,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Written::New,
        Err(err) => return Err(err).context("cannot read the post written before"),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&temporary, text).context("cannot write")?;
    std::fs::rename(&temporary, path).context("cannot write")?;
    Ok(written)
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}
