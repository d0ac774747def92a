//! The state of a folder of feed posts: one versioned JSON file,
//! `.lectern-feeds.json` in the folder (hidden, so no reader takes it for an
//! article): each subscription's address, validators, last fetch and error,
//! and the items of its last fetch (the file each was written to, when it was
//! first seen).

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The state file's name inside the posts folder.
pub const STATE_FILE: &str = ".lectern-feeds.json";
/// The state format this build writes and reads.
pub const STATE_VERSION: u32 = 1;

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    /// Subscriptions in the order they were added.
    pub feeds: Vec<FeedState>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FeedState {
    /// The address as subscribed (an argument, or an OPML outline's `xmlUrl`).
    pub subscription: String,
    /// Where it is fetched now: the subscription, or where a permanent redirect moved it.
    pub url: String,
    pub title: Option<String>,
    pub site: Option<String>,
    pub category: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// RFC 3339.
    pub last_fetch: Option<String>,
    /// RFC 3339: the last fetch that gave a feed (or "not modified").
    pub last_success: Option<String>,
    /// The reason the last fetch failed; none after a success.
    pub error: Option<String>,
    /// The items of the last fetched document, by key.
    pub items: BTreeMap<String, ItemState>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemState {
    pub file: String,
    /// RFC 3339: the date given to the item when it has none.
    pub first_seen: String,
}

pub fn state_path(dir: &Path) -> PathBuf {
    dir.join(STATE_FILE)
}

impl State {
    /// Reads the folder's state (an empty one when there is none yet). A
    /// state file that cannot be read is an error, never overwritten.
    pub fn load(dir: &Path) -> Result<State> {
        let path = state_path(dir);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(State { version: STATE_VERSION, feeds: Vec::new() }),
            Err(err) => return Err(err).with_context(|| format!("cannot read the feed state '{}'", path.display())),
        };
        let state: State = serde_json::from_str(&text).with_context(|| {
            format!("the feed state '{}' is damaged (move it away to start again; the posts stay)", path.display())
        })?;
        if state.version > STATE_VERSION {
            bail!(
                "the feed state '{}' was written by a newer Lectern (format {}, this one reads {STATE_VERSION})",
                path.display(),
                state.version
            );
        }
        Ok(state)
    }

    /// Writes the state (through a temporary file, so a crash leaves the old one).
    pub fn save(&self, dir: &Path) -> Result<()> {
        let path = state_path(dir);
        let temporary = dir.join(format!("{STATE_FILE}.tmp"));
        let text = serde_json::to_string_pretty(self)?;
        std::fs::write(&temporary, text).with_context(|| format!("cannot write '{}'", temporary.display()))?;
        std::fs::rename(&temporary, &path).with_context(|| format!("cannot write '{}'", path.display()))?;
        Ok(())
    }

    /// The subscription for `address` (as subscribed, or where it moved), added when new.
    pub fn subscribe(&mut self, address: &str) -> usize {
        if let Some(index) = self.feeds.iter().position(|f| f.subscription == address || f.url == address) {
            return index;
        }
        self.feeds.push(FeedState { subscription: address.to_owned(), url: address.to_owned(), ..Default::default() });
        self.feeds.len() - 1
    }
}
