//! Reuse between builds. Every content page rendered leaves a record in the page cache
//! (`.medfm-cache/pages.bin`): its search document and print-view piece, under the key of what
//! they are made from — the page's body in that language and the front matter of each of its
//! files ([`body_key`]). A record is reused when the next build has the same site key — the
//! medfm binary, `site.yaml`, the templates, the static file names, `CITATION.cff` and the
//! bibliography, every heading id, the citations and the drafts: everything a body's links and
//! citations resolve against — and reuses the folder the cache was written for ([`folder_key`]:
//! the output folder, or for `serve` the folder being served).
//!
//! - When no front matter changed either (the front-matter key, kept in the trailer), a page
//!   whose record is reusable is not rendered at all: its HTML is hard-linked from that folder,
//!   and its search document and print piece come from the cache.
//! - When some front matter changed, a page shows other pages' cards and may change with them:
//!   a page with a reusable record keeps its search document without rendering its body, and
//!   its HTML is linked only if its context is unchanged ([`super::contexts`]); so is its print
//!   piece, which shows the entry as its page does and has a context key of its own.
//!
//! Any other change renders everything. The cache only ever saves time: a missing, foreign or
//! damaged file is ignored.
//!
//! The file holds the records (print piece and search document, raw bytes), then an index
//! (language, source path, body key and where the two pieces are, per page), then a trailer:
//! the index offset, the folder key, the front-matter key and an end mark
//! ([`super::page_index`]). A reusing build appends its new records and, once its site is
//! committed, a new index and trailer, so a one-page edit writes one record instead of the whole
//! cache; when dead records make up more than half the file, the build writes a new file
//! instead.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::base::hash::StableHasher;
use crate::base::record::read_at;
use crate::model::id::PageId;
use crate::model::page::Page;
use crate::write::page_index::{self, IndexEntry, PageIndex, Slot, Span, MAGIC, TRAILER_LEN};
use crate::write::staging::Staging;

/// File of the page cache inside the cache folder.
pub(crate) const PAGES_FILE: &str = "pages.bin";

/// The key a page cache has when it describes the site in folder `out`: a cache can only be
/// reused with the files of the folder it was written for.
pub(crate) fn folder_key(site_key: u64, out: &Path) -> u64 {
    let mut h = StableHasher::new();
    h.u64(site_key).str(&out.to_string_lossy());
    h.finish()
}

/// The key of page `page`'s record in `lang`: the body shown in that language (its own, or the
/// default language's when it has no translation) and the front matter of each of its files.
pub(crate) fn body_key(lang: &str, page: &Page, default_lang: &str) -> u64 {
    let mut parts = vec![lang, page.file(lang, default_lang).body()];
    parts.extend(
        page.files
            .iter()
            .flat_map(|(code, file)| [code.as_str(), file.head()]),
    );
    crate::base::hash::key_of(&parts)
}

/// The body keys of every page in one language, by source path: what a language's pages must
/// all match for the language to be left as the previous build wrote it.
pub(crate) type LanguageBodies = (String, Vec<(String, u64)>);

/// The page records of this build. When the previous build's cache is reused and still mostly
/// live, new records are appended to that file and unchanged pages keep their records where they
/// are; otherwise every record goes to a new file in the staging scratch area (unchanged pages'
/// records copied over), which also drops the dead records of earlier builds.
#[derive(Debug)]
pub(crate) struct PageStore {
    log: Mutex<Log>,
    /// A second handle on the log's file, for copying print pieces out; opened on first use.
    reader: Mutex<Option<File>>,
    previous: Option<Previous>,
    /// True when the previous build had the same front matter, in every file.
    same_front_matter: bool,
    /// This build's site key.
    site_key: u64,
    /// Languages in which every page is reusable (see [`PageStore::unchanged`]).
    unchanged: Vec<String>,
}

/// The file this build's records go to, and where each one is.
#[derive(Debug)]
struct Log {
    file: File,
    path: PathBuf,
    len: u64,
    /// The key of the folder this build writes (see [`folder_key`]).
    folder: u64,
    /// The key of this build's front matter.
    front_matter: u64,
    /// (language, page index) → slot, with the page's source path for the saved index.
    slots: HashMap<(String, PageId), (String, Slot)>,
    /// When appending to the previous cache: its length before this build. Unless the build is
    /// adopted, the file is cut back to it, which leaves the previous cache as it was.
    appended_from: Option<u64>,
}

impl Drop for Log {
    fn drop(&mut self) {
        if let Some(len) = self.appended_from {
            let _ = self.file.set_len(len);
        }
    }
}

#[derive(Debug)]
struct Previous {
    file: File,
    size: u64,
    /// Language → source path → slot.
    slots: HashMap<String, HashMap<String, Slot>>,
    /// The key of that build's front matter.
    front_matter: u64,
    /// Bytes of the records the index points at (the rest of the file is dead).
    live: u64,
}

/// One page's record as this build made it: its print-view piece (if it has one) and its
/// search document.
#[derive(Debug)]
pub(crate) struct PageRecord {
    /// The page's piece of the print view.
    pub(crate) print: Option<String>,
    /// The page's search document, encoded.
    pub(crate) search: Vec<u8>,
}

/// A record of the previous build whose page body is unchanged.
#[derive(Debug)]
pub(crate) struct Reusable {
    slot: Slot,
}

impl PageStore {
    /// A store for a build writing into `staging`, reusing `previous_cache` if it was written
    /// with the same `site_key` for the folder `staging` reuses files of. `front_matter` is the
    /// key of every content file's front matter; `bodies` are the body keys of every page in
    /// every language.
    pub(crate) fn new(
        staging: &Staging,
        site_key: u64,
        front_matter: u64,
        previous_cache: &Path,
        bodies: &[LanguageBodies],
    ) -> Result<Self> {
        let previous = Previous::open(previous_cache, folder_key(site_key, staging.previous_dir()));
        let folder = folder_key(site_key, staging.final_dir());
        let appended = previous
            .as_ref()
            .filter(|p| p.live.saturating_mul(2) >= p.size)
            .and_then(|p| Log::append(previous_cache, p, folder, front_matter));
        let log = match appended {
            Some(log) => log,
            None => Log::fresh(staging, folder, front_matter)?,
        };
        let same_front_matter = previous
            .as_ref()
            .is_some_and(|p| p.front_matter == front_matter);
        let unchanged = match previous.as_ref().filter(|_| same_front_matter) {
            Some(previous) => (bodies.iter())
                .filter(|(lang, pages)| previous.has_every_page(lang, pages))
                .map(|(lang, _)| lang.clone())
                .collect(),
            None => Vec::new(),
        };
        Ok(PageStore {
            log: Mutex::new(log),
            reader: Mutex::new(None),
            previous,
            same_front_matter,
            site_key,
            unchanged,
        })
    }

    /// What a page's body is to a context key (see [`crate::render::Body`]): its body key with
    /// the site key, so that a body whose links resolve differently is keyed differently.
    pub(crate) fn body_in_context(&self, body_key: u64) -> u64 {
        let mut h = StableHasher::new();
        h.u64(self.site_key).u64(body_key);
        h.finish()
    }

    /// True when the previous build's pages can be reused as they are (same site key, same
    /// front matter): a page whose record is reusable is linked without being rendered, and the
    /// generated pages are left as that build wrote them.
    pub(crate) fn reusing(&self) -> bool {
        self.previous.is_some() && self.same_front_matter
    }

    /// True when every page of `lang` is reusable: then none of that language's files change
    /// (pages, search index, print view) and the build leaves them as the previous build wrote
    /// them.
    pub(crate) fn unchanged(&self, lang: &str) -> bool {
        self.unchanged.iter().any(|l| l == lang)
    }

    /// The previous build's record of `source` in `lang` if it had the same body key (same
    /// site key, front matter may differ).
    pub(crate) fn reusable(&self, lang: &str, source: &str, body_key: u64) -> Option<Reusable> {
        let slot = *self.previous.as_ref()?.slots.get(lang)?.get(source)?;
        (slot.body_key == body_key).then_some(Reusable { slot })
    }

    /// The search document of a reusable record, encoded (see
    /// [`crate::outputs::search::Collector::insert_encoded`]).
    pub(crate) fn search_doc(&self, record: &Reusable) -> Option<Vec<u8>> {
        self.previous.as_ref()?.read(record.slot.search).ok()
    }

    /// Makes a [`Self::reusable`] record page `page`'s record in `lang` in this build.
    pub(crate) fn keep(
        &self,
        lang: &str,
        page: PageId,
        source: &str,
        record: &Reusable,
    ) -> Result<()> {
        let mut log = self.lock();
        if log.appended_from.is_some() {
            // The record stays where it is, in the file this build appends to.
            log.slots
                .insert((lang.to_string(), page), (source.to_string(), record.slot));
            return Ok(());
        }
        drop(log);
        let previous = self.previous.as_ref().context("no previous page cache")?;
        let read = |span| {
            previous
                .read(span)
                .context("reading the previous page cache")
        };
        let (print, search) = (read(record.slot.print)?, read(record.slot.search)?);
        self.append(lang, page, source, record.slot.body_key, &print, &search)
    }

    /// Makes a [`Self::reusable`] record page `page`'s record in `lang` in this build with a new
    /// print piece: the search document stays.
    pub(crate) fn renew_print(
        &self,
        lang: &str,
        page: PageId,
        source: &str,
        record: &Reusable,
        print: Option<&str>,
    ) -> Result<()> {
        let print = print.unwrap_or_default().as_bytes();
        let mut log = self.lock();
        if log.appended_from.is_some() {
            // The search document stays where it is, in the file this build appends to.
            let span = log.write(print)?;
            let slot = Slot {
                print: span,
                ..record.slot
            };
            log.slots
                .insert((lang.to_string(), page), (source.to_string(), slot));
            return Ok(());
        }
        drop(log);
        let previous = self.previous.as_ref().context("no previous page cache")?;
        let search =
            (previous.read(record.slot.search)).context("reading the previous page cache")?;
        self.append(lang, page, source, record.slot.body_key, print, &search)
    }

    /// Stores page `page` (source path `source`) in `lang`.
    pub(crate) fn put(
        &self,
        lang: &str,
        page: PageId,
        source: &str,
        body_key: u64,
        record: &PageRecord,
    ) -> Result<()> {
        let print = record.print.as_deref().unwrap_or_default().as_bytes();
        self.append(lang, page, source, body_key, print, &record.search)
    }

    fn append(
        &self,
        lang: &str,
        page: PageId,
        source: &str,
        body_key: u64,
        print: &[u8],
        search: &[u8],
    ) -> Result<()> {
        let mut log = self.lock();
        let (print, search) = (log.write(print)?, log.write(search)?);
        let slot = Slot {
            body_key,
            print,
            search,
        };
        log.slots
            .insert((lang.to_string(), page), (source.to_string(), slot));
        Ok(())
    }

    /// Copies page `page`'s print piece in `lang` into `out` (nothing if it has none).
    pub(crate) fn copy_print_piece(
        &self,
        lang: &str,
        page: PageId,
        out: &mut impl Write,
    ) -> Result<()> {
        let (span, path) = {
            let log = self.lock();
            match log.slots.get(&(lang.to_string(), page)) {
                Some((_, slot)) if slot.print.len > 0 => (slot.print, log.path.clone()),
                _ => return Ok(()),
            }
        };
        let mut reader = self
            .reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if reader.is_none() {
            *reader =
                Some(File::open(&path).with_context(|| format!("reading {}", path.display()))?);
        }
        let Some(file) = reader.as_mut() else {
            return Ok(());
        };
        file.seek(SeekFrom::Start(span.offset))?;
        let copied = std::io::copy(&mut file.take(span.len), out)?;
        if copied != span.len {
            anyhow::bail!("damaged page record in {}", path.display());
        }
        Ok(())
    }

    /// Finishes this build's cache as far as it can before the site is committed: a new file
    /// gets its index and is moved beside `cache`; appended records wait for their index.
    /// [`PendingCache::adopt`] then makes it the cache.
    pub(crate) fn save(self, cache: &Path) -> Result<PendingCache> {
        let mut log = self
            .log
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let tail = log.index_and_trailer();
        if log.appended_from.is_some() {
            return Ok(PendingCache {
                cache: cache.to_path_buf(),
                pending: Pending::Appended { log, tail },
            });
        }
        log.file
            .write_all(&tail)
            .and_then(|()| log.file.flush())
            .with_context(|| format!("writing {}", log.path.display()))?;
        let pending = pending(cache);
        if let Some(dir) = pending.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if std::fs::rename(&log.path, &pending).is_err() {
            // Another file system: copy, then swap in atomically.
            crate::write::staging::copy_artifact(&log.path, &pending)?;
        }
        Ok(PendingCache {
            cache: cache.to_path_buf(),
            pending: Pending::New(pending),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Log> {
        self.log
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Log {
    /// A new, empty cache file in `staging`'s scratch area.
    fn fresh(staging: &Staging, folder: u64, front_matter: u64) -> Result<Log> {
        let (mut file, path) = staging.create_scratch(PAGES_FILE)?;
        file.write_all(MAGIC)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(Log {
            file,
            path,
            len: MAGIC.len() as u64,
            folder,
            front_matter,
            slots: HashMap::new(),
            appended_from: None,
        })
    }

    /// The cache file at `path` opened for appending, if it is still the file `previous` read
    /// (same file, same length) and no other build is appending to it (an advisory lock, held
    /// until the handle is closed).
    fn append(path: &Path, previous: &Previous, folder: u64, front_matter: u64) -> Option<Log> {
        let mut file = std::fs::OpenOptions::new().write(true).open(path).ok()?;
        file.try_lock().ok()?;
        let (now, then) = (file.metadata().ok()?, previous.file.metadata().ok()?);
        let size = previous.size;
        if now.len() != size || !same_file(&now, &then) {
            return None;
        }
        file.seek(SeekFrom::Start(size)).ok()?;
        Some(Log {
            file,
            path: path.to_path_buf(),
            len: size,
            folder,
            front_matter,
            slots: HashMap::new(),
            appended_from: Some(size),
        })
    }

    /// Writes `bytes` at the end of the file; where they lie.
    fn write(&mut self, bytes: &[u8]) -> Result<Span> {
        (self.file.write_all(bytes)).with_context(|| format!("writing {}", self.path.display()))?;
        let span = Span {
            offset: self.len,
            len: bytes.len() as u64,
        };
        self.len += span.len;
        Ok(span)
    }

    /// The index of this build's records (sorted, so equal builds give equal files) and the
    /// trailer that ends a complete cache file.
    fn index_and_trailer(&self) -> Vec<u8> {
        let mut slots: Vec<_> = self.slots.iter().collect();
        slots.sort_by(|a, b| a.0.cmp(b.0));
        let entries = (slots.into_iter())
            .map(|((lang, _), (source, slot))| IndexEntry {
                lang: lang.clone(),
                source: source.clone(),
                slot: *slot,
            })
            .collect();
        PageIndex {
            entries,
            index_at: self.len,
            folder: self.folder,
            front_matter: self.front_matter,
        }
        .encode()
    }
}

/// True if two handles' metadata describe the same file (where the platform tells).
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        (a.dev(), a.ino()) == (b.dev(), b.ino())
    }
    #[cfg(not(unix))]
    {
        a.len() == b.len() && a.modified().ok() == b.modified().ok()
    }
}

/// A page cache written but not yet in force (see [`PageStore::save`]). Dropped without
/// [`Self::adopt`], it leaves the previous cache as it was.
#[derive(Debug)]
pub(crate) struct PendingCache {
    cache: PathBuf,
    pending: Pending,
}

#[derive(Debug)]
enum Pending {
    /// A complete new file beside the cache.
    New(PathBuf),
    /// Records appended to the cache file, and the index and trailer still to write.
    Appended { log: Log, tail: Vec<u8> },
}

impl PendingCache {
    /// Makes this the page cache. Call it only once the site it describes is committed: a
    /// cache must never describe a site other than the one in its folder.
    pub(crate) fn adopt(mut self) -> Result<()> {
        match &mut self.pending {
            Pending::New(path) => std::fs::rename(&*path, &self.cache)
                .with_context(|| format!("replacing {}", self.cache.display())),
            Pending::Appended { log, tail } => {
                log.file
                    .write_all(tail)
                    .with_context(|| format!("writing {}", self.cache.display()))?;
                log.appended_from = None;
                Ok(())
            }
        }
    }
}

impl Drop for PendingCache {
    fn drop(&mut self) {
        if let Pending::New(path) = &self.pending {
            // Gone already once adopted.
            let _ = std::fs::remove_file(path);
        }
    }
}

/// Where [`PageStore::save`] leaves a new cache of a build not yet committed.
fn pending(cache: &Path) -> PathBuf {
    cache.with_extension("bin.pending")
}

impl Previous {
    /// The bytes of `span`.
    fn read(&self, span: Span) -> std::io::Result<Vec<u8>> {
        read_at(&self.file, span.offset, span.len)
    }

    /// True if every page of `site` has a record in `lang` made from its current body.
    fn has_every_page(&self, lang: &str, pages: &[(String, u64)]) -> bool {
        let Some(slots) = self.slots.get(lang) else {
            return false;
        };
        pages
            .par_iter()
            .all(|(source, key)| slots.get(source).is_some_and(|slot| slot.body_key == *key))
    }

    /// The index of the cache file at `path` if it is complete and describes the folder with
    /// key `folder`.
    fn open(path: &Path, folder: u64) -> Option<Previous> {
        let file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        if read_at(&file, 0, MAGIC.len() as u64).ok()? != MAGIC {
            return None;
        }
        let trailer_at = size.checked_sub(TRAILER_LEN)?;
        let trailer = read_at(&file, trailer_at, TRAILER_LEN).ok()?;
        let trailer = page_index::decode_trailer(&trailer)?;
        if trailer.folder != folder {
            return None;
        }
        let index_at = trailer.index_at;
        let index = read_at(&file, index_at, trailer_at.checked_sub(index_at)?).ok()?;
        let mut slots: HashMap<String, HashMap<String, Slot>> = HashMap::new();
        let mut live = 0u64;
        for e in page_index::decode_entries(&index, index_at)? {
            live += e.slot.print.len + e.slot.search.len;
            slots.entry(e.lang).or_default().insert(e.source, e.slot);
        }
        Some(Previous {
            file,
            size,
            slots,
            front_matter: trailer.front_matter,
            live,
        })
    }
}
