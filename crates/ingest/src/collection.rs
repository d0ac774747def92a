//! Finding article files in folders (native builds only).

use std::path::{Path, PathBuf};

/// File extensions read as articles.
pub const ARTICLE_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd", "mkdn", "html", "htm", "txt"];

/// File names skipped even with an article extension: project documents, not posts.
const SKIPPED_NAMES: &[&str] = &["readme", "license", "licence", "changelog", "contributing", "code_of_conduct"];

/// One article file found in a folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArticleFile {
    /// Path relative to the folder, with `/` separators: the article's name.
    pub path: String,
    /// Where the file is on disk.
    #[serde(skip)]
    pub full_path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Last modification, seconds since the Unix epoch.
    pub modified: u64,
    /// Last modification, nanoseconds since the Unix epoch (to tell edits within a second apart).
    #[serde(skip)]
    pub modified_ns: u128,
}

/// True when `path` names a file Lectern reads as an article.
pub fn is_article_file(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return false };
    if name.starts_with('.') {
        return false;
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, ext)) => (stem.to_ascii_lowercase(), ext.to_ascii_lowercase()),
        None => return false,
    };
    ARTICLE_EXTENSIONS.contains(&extension.as_str()) && !SKIPPED_NAMES.contains(&stem.as_str())
}

/// An entry of a folder that could not be read while listing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkError {
    /// Its path relative to the folder listed (`/` separators), or "" when unknown.
    pub path: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for WalkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", if self.path.is_empty() { "." } else { &self.path }, self.reason)
    }
}

fn relative_path(root: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(root).ok()?;
    Some(relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
}

/// Lists the article files under `root` (recursively, skipping hidden folders),
/// sorted by path. Entries that cannot be read (a link to nowhere, a folder
/// without permission) are returned as errors beside the files.
pub fn walk(root: &Path) -> (Vec<ArticleFile>, Vec<WalkError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.') || n == "node_modules")
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().and_then(|p| relative_path(root, p)).unwrap_or_default();
                let reason = err.io_error().map_or_else(|| err.to_string(), |io| format!("cannot read: {io}"));
                errors.push(WalkError { path, reason });
                continue;
            }
        };
        if !entry.file_type().is_file() || !is_article_file(entry.path()) {
            continue;
        }
        let Some(path) = relative_path(root, entry.path()) else { continue };
        let metadata = entry.metadata().ok();
        let modified = metadata.as_ref().and_then(|m| m.modified().ok()).and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).unwrap_or_default();
        files.push(ArticleFile {
            path,
            full_path: entry.path().to_path_buf(),
            size: metadata.as_ref().map(|m| m.len()).unwrap_or(0),
            modified: modified.as_secs(),
            modified_ns: modified.as_nanos(),
        });
    }
    (files, errors)
}

/// Format name of a folder listing (`collection/manifest.json` of a plain
/// folder of article files on a static host, written by `lectern manifest`).
pub const FILES_MANIFEST_FORMAT: &str = "lectern-files";
/// Version of the folder listing format.
pub const FILES_MANIFEST_VERSION: u32 = 1;

/// The listing the web page reads to load a plain folder of article files:
/// each file is fetched from `collection/files/<path>` and parsed in the
/// browser (by the ingest module).
#[derive(Debug, serde::Serialize)]
pub struct FilesManifest {
    /// Always [`FILES_MANIFEST_FORMAT`].
    pub format: &'static str,
    /// Always [`FILES_MANIFEST_VERSION`].
    pub version: u32,
    /// The article files, sorted by path.
    pub files: Vec<ArticleFile>,
}

/// Lists `root` as a [`FilesManifest`].
pub fn files_manifest(root: &Path) -> FilesManifest {
    let (files, _) = walk(root);
    FilesManifest { format: FILES_MANIFEST_FORMAT, version: FILES_MANIFEST_VERSION, files }
}

/// A fingerprint of the article files under `root`: their paths, sizes and
/// modification times (not their content). It changes when a file is added,
/// removed, or written to (unless its size and time are kept as they were).
pub fn listing_fingerprint(files: &[ArticleFile]) -> u64 {
    let mut listing = Vec::with_capacity(files.len() * 64);
    for file in files {
        listing.extend_from_slice(file.path.as_bytes());
        listing.push(0);
        listing.extend_from_slice(&file.size.to_le_bytes());
        listing.extend_from_slice(&file.modified_ns.to_le_bytes());
    }
    lectern_core::search::persist::fnv1a(&listing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_article_files() {
        assert!(is_article_file(Path::new("a/post.md")));
        assert!(is_article_file(Path::new("post.HTML")));
        assert!(!is_article_file(Path::new("README.md")));
        assert!(!is_article_file(Path::new(".hidden.md")));
        assert!(!is_article_file(Path::new("image.svg")));
        assert!(!is_article_file(Path::new("map.tsv")));
    }
}
