//! A folder of articles served as a built collection: `lectern serve DIR`
//! indexes DIR with the same code as `lectern index` into a cache outside it,
//! and indexes it again (incrementally: unchanged files are not parsed again)
//! whenever the page asks for the manifest and the folder's files changed.
//!
//! The folder is also watched: a change starts the build at once (debounced),
//! so that the next reload usually finds it done; the check when the manifest
//! is asked for stays the guarantee. A restart on an unchanged folder serves
//! the last build as it is.
//!
//! Each build goes into a new *generation* folder of the cache, seeded with
//! hard links to the previous one (the build replaces the files it changes
//! through a rename, so the previous generation keeps its content). A page
//! that loaded the previous build keeps getting its files (they are asked for
//! with `?v=<build>`) until it reloads; older generations are removed.
//!
//! ```text
//! <cache>/<hash of DIR>/gen-<N>/collection/   one build (as `lectern index --no-page` writes it)
//! <cache>/<hash of DIR>/gen-<N>/fingerprint    the listing of DIR it was built from
//! ```

use super::super::progress::{print_summary, Report};
use anyhow::{bail, Context, Result};
use lectern_core::static_collection::{Manifest, MANIFEST_FORMAT};
use lectern_ingest::build::{build, BuildOptions, BuildReport, Progress, Silent};
use lectern_ingest::collection::{listing_fingerprint, walk};
use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{new_debouncer, DebounceEventResult, Debouncer};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// The file of a generation that records the listing it was built from.
const FINGERPRINT: &str = "fingerprint";
/// How long the folder must be quiet after a change before it is built again.
const SETTLE: Duration = Duration::from_millis(400);

/// How a served folder came to be ready.
#[derive(Debug)]
pub enum Opened {
    /// It was built (or built again from the last build): what the build did.
    Built(BuildReport),
    /// Its files had not changed since the last run: the last build is served as it is.
    Unchanged,
}

/// One build of the folder.
#[derive(Debug)]
pub struct Generation {
    /// Its `collection/` folder.
    pub collection: PathBuf,
    /// Its manifest's build id (what the page adds to addresses as `?v=`).
    pub build: String,
    /// Its manifest.
    pub manifest: Manifest,
}

impl Generation {
    fn read(site: &Path) -> Option<Generation> {
        let collection = site.join("collection");
        let text = std::fs::read_to_string(collection.join("manifest.json")).ok()?;
        let manifest = Manifest::parse(&text).ok()?;
        Some(Generation { collection, build: manifest.build.clone(), manifest })
    }
}

/// The current and the previous generation.
#[derive(Debug)]
struct Served {
    current: Arc<Generation>,
    previous: Option<Arc<Generation>>,
}

/// A served folder and its builds.
#[derive(Debug)]
pub struct ServedFolder {
    source: PathBuf,
    /// `<cache>/<hash of DIR>`: the generations.
    root: PathBuf,
    /// The address the folder's own files are served under (relative links and images).
    base: String,
    /// Held while a build runs (and the fingerprint of the files it built).
    building: Mutex<u64>,
    served: RwLock<Served>,
    /// Held while this process serves from `root`: another `lectern serve` of
    /// the same folder builds in a cache folder of its own.
    _lock: std::fs::File,
}

/// The default cache folder: `$LECTERN_CACHE`, else `$XDG_CACHE_HOME/lectern/serve`,
/// else `~/.cache/lectern/serve`, else one in the system's temporary folder.
pub fn default_cache() -> PathBuf {
    if let Some(dir) = std::env::var_os("LECTERN_CACHE").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let home_cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|home| PathBuf::from(home).join(".cache")));
    match home_cache {
        Some(dir) => dir.join("lectern").join("serve"),
        None => std::env::temp_dir().join("lectern-serve"),
    }
}

fn generation_number(path: &Path) -> Option<u64> {
    path.file_name()?.to_str()?.strip_prefix("gen-")?.parse().ok()
}

/// Links every file of `from` into `to` (copies where a link cannot be made).
fn link_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.with_context(|| format!("reading the previous build in '{}'", from.display()))?;
        let Ok(relative) = entry.path().strip_prefix(from) else { continue };
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).with_context(|| format!("creating '{}'", target.display()))?;
        } else if entry.file_type().is_file() && std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target).with_context(|| format!("copying to '{}'", target.display()))?;
        }
    }
    Ok(())
}

impl ServedFolder {
    /// Builds `source` (reusing what an earlier build in `cache` holds) and
    /// returns the folder ready to serve, with what its opening did.
    pub fn open(source: &Path, cache: &Path, base: String) -> Result<(ServedFolder, Opened)> {
        let source = source.canonicalize().with_context(|| format!("'{}' is not a folder of articles", source.display()))?;
        let cache = if cache.is_absolute() { cache.to_path_buf() } else { std::env::current_dir()?.join(cache) };
        if cache.starts_with(&source) {
            bail!("the cache '{}' is inside the folder served; give another with --cache", cache.display());
        }
        let (root, lock) = Self::claim(&cache, &source)?;
        let generations: Vec<PathBuf> = std::fs::read_dir(&root)?.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| generation_number(p).is_some()).collect();
        let latest = generations.iter().filter(|p| Generation::read(p).is_some()).max_by_key(|p| generation_number(p)).cloned();
        let (files, _) = walk(&source);
        let listing = listing_fingerprint(&files);
        let unchanged = latest.as_deref().filter(|site| {
            std::fs::read_to_string(site.join(FINGERPRINT)).ok().and_then(|t| t.trim().parse::<u64>().ok()) == Some(listing)
        });
        let (generation, opened, fingerprint, previous) = match unchanged.and_then(Generation::read) {
            Some(generation) => (generation, Opened::Unchanged, listing, None),
            None => {
                let progress = Report::new("lectern serve");
                let built = Self::build_generation(&source, &root, latest.as_deref(), &base, &progress);
                progress.finish();
                let (generation, report, fingerprint) = built?;
                (generation, Opened::Built(report), fingerprint, latest.and_then(|p| Generation::read(&p)).map(Arc::new))
            }
        };
        let folder = ServedFolder {
            source,
            root,
            base,
            building: Mutex::new(fingerprint),
            served: RwLock::new(Served { current: Arc::new(generation), previous }),
            _lock: lock,
        };
        folder.remove_old_generations();
        Ok((folder, opened))
    }

    /// Watches the folder: a change (once it is quiet for a moment) builds it
    /// again at once, in the watcher's thread. Keep the returned watcher for as
    /// long as the folder is served; without one (the system refused to
    /// watch), changes are still found when the page asks for the manifest.
    pub fn watch(folder: &Arc<ServedFolder>) -> Result<Debouncer<RecommendedWatcher>> {
        let watched = Arc::clone(folder);
        let mut debouncer = new_debouncer(SETTLE, move |result: DebounceEventResult| {
            if result.is_ok_and(|events| !events.is_empty()) {
                watched.refreshed();
            }
        })?;
        debouncer.watcher().watch(&folder.source, RecursiveMode::Recursive)?;
        Ok(debouncer)
    }

    /// The cache folder of `source` this process may use, locked: the
    /// folder's own, or (while another process serves it) the next free one.
    fn claim(cache: &Path, source: &Path) -> Result<(PathBuf, std::fs::File)> {
        let key = lectern_core::search::persist::fnv1a(source.to_string_lossy().as_bytes());
        let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        for attempt in 0..64 {
            let root = cache.join(if attempt == 0 { format!("{name}-{key:016x}") } else { format!("{name}-{key:016x}-{attempt}") });
            std::fs::create_dir_all(&root).with_context(|| format!("cannot create the cache folder '{}'", root.display()))?;
            let lock = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(root.join("lock"))?;
            match lock.try_lock() {
                Ok(()) => return Ok((root, lock)),
                Err(std::fs::TryLockError::WouldBlock) => continue,
                Err(std::fs::TryLockError::Error(err)) => return Err(err).with_context(|| format!("cannot lock the cache folder '{}'", root.display())),
            }
        }
        bail!("64 processes are serving '{}' already", source.display())
    }

    /// The folder served.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The generation a request for build `build` is answered from: the
    /// previous one when it asks for that build, else the current one.
    pub fn generation(&self, build: Option<&str>) -> Arc<Generation> {
        let served = self.served.read().unwrap_or_else(|poisoned| poisoned.into_inner());
        match (&served.previous, build) {
            (Some(previous), Some(build)) if previous.build == build && served.current.build != build => previous.clone(),
            _ => served.current.clone(),
        }
    }

    /// The current generation, built again first when the folder's files
    /// changed since the last build. A build that fails leaves the last one
    /// served, and says why on standard error.
    pub fn refreshed(&self) -> Arc<Generation> {
        let mut built = self.building.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let (files, _) = walk(&self.source);
        let fingerprint = listing_fingerprint(&files);
        if fingerprint != *built {
            let last = self.generation(None);
            let site = last.collection.parent().map(Path::to_path_buf);
            match Self::build_generation(&self.source, &self.root, site.as_deref(), &self.base, &Silent) {
                Ok((generation, report, fingerprint)) => {
                    *built = fingerprint;
                    if generation.build != last.build {
                        eprintln!("lectern serve: '{}' changed; built again", self.source.display());
                        print_summary("lectern serve", &report);
                    }
                    let mut served = self.served.write().unwrap_or_else(|poisoned| poisoned.into_inner());
                    let previous = std::mem::replace(&mut served.current, Arc::new(generation));
                    served.previous = Some(previous);
                    drop(served);
                    self.remove_old_generations();
                }
                Err(err) => eprintln!("lectern serve: building '{}' again failed (the last build is served): {err:#}", self.source.display()),
            }
        }
        drop(built);
        self.generation(None)
    }

    /// Builds the folder into a new generation (seeded from `previous`, the
    /// site folder of the last one). Returns it, the report, and the
    /// fingerprint of the files it read.
    fn build_generation(source: &Path, root: &Path, previous: Option<&Path>, base: &str, progress: &dyn Progress) -> Result<(Generation, BuildReport, u64)> {
        let (files, _) = walk(source);
        let fingerprint = listing_fingerprint(&files);
        let number = std::fs::read_dir(root)?.filter_map(|e| e.ok().and_then(|e| generation_number(&e.path()))).max().unwrap_or(0) + 1;
        let site = root.join(format!("gen-{number}"));
        let _ = std::fs::remove_dir_all(&site);
        std::fs::create_dir_all(&site)?;
        if let Some(previous) = previous {
            link_tree(&previous.join("collection"), &site.join("collection"))?;
        }
        let options = BuildOptions { sources: vec![source.to_path_buf()], out: site.clone(), base: Some(base.to_owned()), web: None, memory_budget: 0 };
        let report = match build(&options, progress) {
            Ok(report) => report,
            Err(err) => {
                let _ = std::fs::remove_dir_all(&site);
                return Err(err).with_context(|| format!("indexing '{}'", source.display()));
            }
        };
        let generation = Generation::read(&site).with_context(|| format!("the build in '{}' wrote no readable manifest", site.display()))?;
        debug_assert_eq!(generation.manifest.format, MANIFEST_FORMAT);
        // Written last: a generation without it is built again at the next start.
        std::fs::write(site.join(FINGERPRINT), format!("{fingerprint}\n")).with_context(|| format!("writing '{}'", site.join(FINGERPRINT).display()))?;
        Ok((generation, report, fingerprint))
    }

    /// Removes the generations that are neither current nor previous.
    fn remove_old_generations(&self) {
        let keep: Vec<PathBuf> = {
            let served = self.served.read().unwrap_or_else(|poisoned| poisoned.into_inner());
            [Some(&served.current), served.previous.as_ref()].into_iter().flatten().filter_map(|g| g.collection.parent().map(Path::to_path_buf)).collect()
        };
        let Ok(entries) = std::fs::read_dir(&self.root) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if generation_number(&path).is_some() && !keep.contains(&path) {
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "http://127.0.0.1:1/collection/files/";

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    /// A scratch folder for one test: `(root, root/posts)` with the given files in posts.
    fn posts(test: &str, files: &[(&str, &str)]) -> (PathBuf, PathBuf) {
        let root = std::env::temp_dir().join(format!("lectern-serve-test-{test}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let posts = root.join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        for (name, text) in files {
            write(&posts, name, text);
        }
        (root, posts)
    }

    fn open(root: &Path, posts: &Path) -> (ServedFolder, BuildReport) {
        match ServedFolder::open(posts, &root.join("cache"), BASE.to_owned()).unwrap() {
            (folder, Opened::Built(report)) => (folder, report),
            (folder, Opened::Unchanged) => (folder, BuildReport::default()),
        }
    }

    #[test]
    fn builds_again_when_a_file_changes_and_keeps_the_previous_build_for_open_pages() {
        let (root, posts) = posts("change", &[("a.md", "---\ntitle: First\n---\n\nalpha"), ("b.md", "---\ntitle: Second\n---\n\nbeta")]);
        let (folder, report) = open(&root, &posts);
        assert_eq!((report.articles, report.parsed), (2, 2));
        let first = folder.refreshed();
        assert_eq!(first.manifest.articles, 2, "nothing changed: the same build");
        // A change: the next manifest is a new build, and only that file is parsed again.
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&posts, "b.md", "---\ntitle: Second, edited\n---\n\nbeta gamma");
        write(&posts, "c.md", "---\ntitle: Third\n---\n\ndelta");
        let second = folder.refreshed();
        assert_ne!(second.build, first.build);
        assert_eq!(second.manifest.articles, 3);
        assert_eq!(folder.generation(Some(&first.build)).build, first.build, "a page of the first build still gets its files");
        assert_eq!(folder.generation(Some("unknown")).build, second.build);
        // The first build's files are as they were (hard links are not written through).
        let list = lectern_ingest::build::read_collection_file(&first.collection, "list/0.bin").unwrap();
        assert!(!String::from_utf8_lossy(&list).contains("edited"));
        let list = lectern_ingest::build::read_collection_file(&second.collection, "list/0.bin").unwrap();
        assert!(String::from_utf8_lossy(&list).contains("Second, edited"));
        // A third build drops the first generation.
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::remove_file(posts.join("a.md")).unwrap();
        let third = folder.refreshed();
        assert_eq!(third.manifest.articles, 2);
        assert!(!first.collection.exists(), "generations older than the previous one are removed");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn an_unreadable_file_is_skipped_and_named_in_the_manifest() {
        let (root, posts) = posts("unreadable", &[("good.md", "# Good\n\ntext"), ("empty.md", "   ")]);
        let (folder, report) = open(&root, &posts);
        assert_eq!(report.failures.len(), 1);
        let current = folder.generation(None);
        assert_eq!((current.manifest.articles, current.manifest.skipped), (1, 1));
        assert_eq!(current.manifest.skipped_files[0].name, "empty.md");
        assert!(current.manifest.skipped_files[0].reason.contains("empty"), "{:?}", current.manifest.skipped_files);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn refuses_a_cache_inside_the_folder() {
        let (root, posts) = posts("inside", &[]);
        let err = ServedFolder::open(&posts, &posts.join("cache"), BASE.to_owned()).unwrap_err();
        assert!(err.to_string().contains("inside the folder"), "{err}");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn two_servers_of_one_folder_build_in_caches_of_their_own() {
        let (root, posts) = posts("two", &[("a.md", "# A\n\ntext")]);
        let (one, _) = open(&root, &posts);
        let (two, _) = open(&root, &posts);
        assert_ne!(one.root, two.root);
        write(&posts, "b.md", "# B\n\ntext");
        assert_eq!(two.refreshed().manifest.articles, 2);
        assert!(one.generation(None).collection.join("manifest.json").is_file(), "the first server's build is untouched");
        let first_root = one.root.clone();
        drop(one);
        let (three, _) = open(&root, &posts);
        assert_eq!(three.root, first_root, "a freed cache is used again");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn reopening_an_unchanged_folder_serves_the_last_build_and_a_changed_one_builds_from_it() {
        let (root, posts) = posts("reopen", &[("a.md", "# A\n\ntext")]);
        let (first, report) = open(&root, &posts);
        assert_eq!(report.parsed, 1);
        let build = first.generation(None).build.clone();
        drop(first);
        let (again, opened) = ServedFolder::open(&posts, &root.join("cache"), BASE.to_owned()).unwrap();
        assert!(matches!(opened, Opened::Unchanged), "nothing changed: no build");
        assert_eq!(again.generation(None).build, build);
        drop(again);
        std::thread::sleep(std::time::Duration::from_millis(20));
        write(&posts, "b.md", "# B\n\ntext");
        let (_, changed) = open(&root, &posts);
        assert_eq!((changed.parsed, changed.reused), (1, 1), "the unchanged file is read back, not parsed");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_change_in_the_watched_folder_is_built_before_anyone_asks() {
        let (root, posts) = posts("watch", &[("a.md", "# A\n\ntext")]);
        let (folder, _) = open(&root, &posts);
        let folder = Arc::new(folder);
        let _watcher = ServedFolder::watch(&folder).unwrap();
        let before = folder.generation(None).build.clone();
        write(&posts, "b.md", "# B\n\ntext");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        while folder.generation(None).build == before {
            assert!(std::time::Instant::now() < deadline, "the change was not built");
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(folder.generation(None).manifest.articles, 2);
        let _ = std::fs::remove_dir_all(&root);
    }
}
