//! Reuse between builds. Every content page rendered leaves a record in the page cache
//! (`.medfm-cache/pages.bin`): a hash of its body, its search document and its print-view piece.
//! When the next build finds every input other than page bodies unchanged — the [`site_key`]:
//! the medfm binary, `site.yaml`, the templates, the static file names, all front matter and
//! every heading id — and reuses the folder the cache was written for ([`folder_key`]: the
//! output folder, or for `serve` the folder being served), a page whose body is unchanged is not
//! rendered again: its HTML is hard-linked from that folder, and its search document and print
//! piece come from the cache. Any other change renders everything. The cache only ever saves time: a
//! missing, foreign or damaged file is ignored.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, Result};

use crate::build::Project;
use crate::links::LinkTargets;
use crate::output::Staging;
use crate::record::{push_field, push_u64, read_at, take_field, take_str, take_u64};
use crate::search::SearchDoc;
use crate::site::Site;

/// File of the page cache inside the cache folder.
pub const PAGES_FILE: &str = "pages.bin";
/// First bytes of a page cache file; bump the digit when the layout changes.
const MAGIC: &[u8; 8] = b"MEDFMPC1";

/// Hash of everything a page's output depends on besides its own body and the folder it is
/// written to (see the module docs); [`folder_key`] adds the folder.
pub fn site_key(project: &Project, site: &Site, targets: &LinkTargets) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    if let Ok(exe) = std::env::current_exe() {
        exe.hash(&mut h);
        if let Ok(meta) = std::fs::metadata(&exe) {
            meta.len().hash(&mut h);
            meta.modified().ok().hash(&mut h);
        }
    }
    std::fs::read(project.config_path()).ok().hash(&mut h);
    for entry in walkdir::WalkDir::new(project.templates_dir()).sort_by_file_name() {
        let Ok(entry) = entry else {
            1u8.hash(&mut h);
            continue;
        };
        entry.path().hash(&mut h);
        if entry.file_type().is_file() {
            std::fs::read(entry.path()).ok().hash(&mut h);
        }
    }
    for page in &site.pages {
        page.source.hash(&mut h);
        page.output.hash(&mut h);
        for (lang, text) in &page.texts {
            lang.hash(&mut h);
            text.file.hash(&mut h);
            // The front matter: the file without its body.
            text.head().hash(&mut h);
        }
    }
    targets.digest().hash(&mut h);
    h.finish()
}

/// The key a page cache has when it describes the site in folder `out`: a cache can only be
/// reused with the files of the folder it was written for.
pub fn folder_key(site_key: u64, out: &Path) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (site_key, out).hash(&mut h);
    h.finish()
}

/// Hash of one page body in one language.
pub fn body_key(lang: &str, body: &str) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    (lang, body).hash(&mut h);
    h.finish()
}

/// Where a record lies in its file.
#[derive(Debug, Clone, Copy)]
struct Slot {
    body_key: u64,
    offset: u64,
    len: u64,
}

/// The page records of this build, appended to one scratch file as the render jobs finish, plus
/// the previous build's cache when its site key matches.
#[derive(Debug)]
pub struct PageStore {
    path: PathBuf,
    current: Mutex<Current>,
    /// A read handle on `path`, opened on first use.
    reader: Mutex<Option<File>>,
    previous: Option<Previous>,
}

#[derive(Debug)]
struct Current {
    file: File,
    len: u64,
    /// (language, page index) → slot, with the page's source path for the saved index.
    slots: HashMap<(String, usize), (String, Slot)>,
}

#[derive(Debug)]
struct Previous {
    file: Mutex<File>,
    slots: HashMap<(String, String), Slot>,
}

/// One page's record: its print-view piece (if it has one) and its search document.
#[derive(Debug)]
pub struct PageRecord {
    /// The page's piece of the print view.
    pub print: Option<String>,
    /// The page's search document.
    pub search: SearchDoc,
}

impl PageRecord {
    /// The record in the cache file format: a flag byte and the print piece if there is one,
    /// then the search document.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        match &self.print {
            Some(piece) => {
                out.push(1);
                push_field(&mut out, piece);
            }
            None => out.push(0),
        }
        self.search.encode(&mut out);
        out
    }
}

/// A page record read back from the previous build: its bytes as stored (copied to the new
/// cache unchanged) and its search document.
#[derive(Debug)]
pub struct StoredRecord {
    bytes: Vec<u8>,
    /// The page's search document.
    pub search: SearchDoc,
}

impl StoredRecord {
    /// Checks a stored record and reads its search document; the print piece is only checked.
    fn decode(bytes: Vec<u8>) -> Option<StoredRecord> {
        let (&has_print, mut rest) = bytes.split_first()?;
        match has_print {
            1 => drop(take_str(&mut rest)?),
            0 => {}
            _ => return None,
        }
        let search = SearchDoc::decode(&mut rest)?;
        let complete = rest.is_empty();
        complete.then_some(StoredRecord { bytes, search })
    }
}

impl PageStore {
    /// A store writing into `staging`'s scratch area, reusing `previous_cache` if it was written
    /// with the same `site_key` for the folder `staging` reuses files of.
    pub fn new(staging: &Staging, site_key: u64, previous_cache: &Path) -> Result<Self> {
        let (mut file, path) = staging.create_scratch(PAGES_FILE)?;
        let mut header = MAGIC.to_vec();
        push_u64(&mut header, folder_key(site_key, staging.final_dir()));
        file.write_all(&header)
            .with_context(|| format!("writing {}", path.display()))?;
        Ok(PageStore {
            path,
            current: Mutex::new(Current {
                file,
                len: header.len() as u64,
                slots: HashMap::new(),
            }),
            reader: Mutex::new(None),
            previous: Previous::open(previous_cache, folder_key(site_key, staging.previous_dir())),
        })
    }

    /// True when the previous build's pages can be reused (same site key).
    pub fn reusing(&self) -> bool {
        self.previous.is_some()
    }

    /// The previous build's record of `source` in `lang` if its body had the same key.
    pub fn reusable(&self, lang: &str, source: &str, body_key: u64) -> Option<StoredRecord> {
        let previous = self.previous.as_ref()?;
        let slot = previous
            .slots
            .get(&(lang.to_string(), source.to_string()))?;
        if slot.body_key != body_key {
            return None;
        }
        let mut file = previous
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bytes = read_at(&mut file, slot.offset, slot.len).ok()?;
        StoredRecord::decode(bytes)
    }

    /// Stores page `page` (source path `source`) in `lang`.
    pub fn put(
        &self,
        lang: &str,
        page: usize,
        source: &str,
        body_key: u64,
        record: &PageRecord,
    ) -> Result<()> {
        self.append(lang, page, source, body_key, &record.encode())
    }

    /// Stores a record of the previous build again, for the same page (see [`Self::put`]).
    pub fn put_stored(
        &self,
        lang: &str,
        page: usize,
        source: &str,
        body_key: u64,
        record: &StoredRecord,
    ) -> Result<()> {
        self.append(lang, page, source, body_key, &record.bytes)
    }

    fn append(
        &self,
        lang: &str,
        page: usize,
        source: &str,
        body_key: u64,
        bytes: &[u8],
    ) -> Result<()> {
        let mut current = self.lock();
        current
            .file
            .write_all(bytes)
            .with_context(|| format!("writing {}", self.path.display()))?;
        let slot = Slot {
            body_key,
            offset: current.len,
            len: bytes.len() as u64,
        };
        current.len += slot.len;
        current
            .slots
            .insert((lang.to_string(), page), (source.to_string(), slot));
        Ok(())
    }

    /// Copies page `page`'s print piece in `lang` into `out` (nothing if it has none).
    pub fn copy_print_piece(&self, lang: &str, page: usize, out: &mut impl Write) -> Result<()> {
        let slot = match self.lock().slots.get(&(lang.to_string(), page)) {
            Some((_, slot)) => *slot,
            None => return Ok(()),
        };
        let mut reader = self
            .reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if reader.is_none() {
            *reader = Some(
                File::open(&self.path)
                    .with_context(|| format!("reading {}", self.path.display()))?,
            );
        }
        let Some(file) = reader.as_mut() else {
            return Ok(());
        };
        // A record starts with its print piece: a flag byte, then the piece as one field.
        let head = read_at(file, slot.offset, 9.min(slot.len))?;
        if let [1, len @ ..] = head.as_slice() {
            let len = u64::from_le_bytes(len.try_into().context("damaged page record")?);
            if 9 + len > slot.len {
                anyhow::bail!("damaged page record in {}", self.path.display());
            }
            std::io::copy(&mut file.take(len), out)?;
        }
        Ok(())
    }

    /// Finishes the file (index and trailer) and moves it beside `cache` as [`pending`]`(cache)`;
    /// once the site is committed, [`adopt`] makes it the cache.
    pub fn save(self, cache: &Path) -> Result<()> {
        let cache = &pending(cache);
        let current = self
            .current
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut slots: Vec<_> = current.slots.into_iter().collect();
        slots.sort_by(|a, b| a.0.cmp(&b.0));
        let mut index = Vec::new();
        push_u64(&mut index, slots.len() as u64);
        for ((lang, _), (source, slot)) in &slots {
            push_field(&mut index, lang);
            push_field(&mut index, source);
            push_u64(&mut index, slot.body_key);
            push_u64(&mut index, slot.offset);
            push_u64(&mut index, slot.len);
        }
        push_u64(&mut index, current.len);
        let mut file = current.file;
        file.write_all(&index)
            .and_then(|()| file.flush())
            .with_context(|| format!("writing {}", self.path.display()))?;
        drop(file);
        if let Some(dir) = cache.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        }
        if std::fs::rename(&self.path, cache).is_err() {
            // Another file system: copy, then swap in atomically.
            crate::output::copy_artifact(&self.path, cache)?;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Current> {
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Where [`PageStore::save`] leaves the cache of a build not yet committed.
pub fn pending(cache: &Path) -> PathBuf {
    cache.with_extension("bin.pending")
}

/// Makes the pending cache the page cache (after the site was committed), or removes both if
/// there is none: a cache must never describe a site other than the one in the output folder.
pub fn adopt(cache: &Path) -> Result<()> {
    let pending = pending(cache);
    if pending.is_file() {
        std::fs::rename(&pending, cache).with_context(|| format!("replacing {}", cache.display()))
    } else {
        match std::fs::remove_file(cache) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(e).with_context(|| format!("removing {}", cache.display()))
            }
            _ => Ok(()),
        }
    }
}

impl Previous {
    /// The index of the cache file at `path` if it is complete and has `site_key`.
    fn open(path: &Path, site_key: u64) -> Option<Previous> {
        let mut file = File::open(path).ok()?;
        let size = file.metadata().ok()?.len();
        let head = read_at(&mut file, 0, 16).ok()?;
        let mut rest = head.strip_prefix(MAGIC.as_slice())?;
        if take_u64(&mut rest)? != site_key {
            return None;
        }
        let trailer = read_at(&mut file, size.checked_sub(8)?, 8).ok()?;
        let index_at = take_u64(&mut trailer.as_slice())?;
        let index = read_at(&mut file, index_at, size.checked_sub(8 + index_at)?).ok()?;
        let mut rest = index.as_slice();
        let count = usize::try_from(take_u64(&mut rest)?).ok()?;
        let mut slots = HashMap::with_capacity(count.min(rest.len()));
        for _ in 0..count {
            let key = (take_field(&mut rest)?, take_field(&mut rest)?);
            let slot = Slot {
                body_key: take_u64(&mut rest)?,
                offset: take_u64(&mut rest)?,
                len: take_u64(&mut rest)?,
            };
            if slot.offset.checked_add(slot.len)? > index_at {
                return None;
            }
            slots.insert(key, slot);
        }
        rest.is_empty().then_some(Previous {
            file: Mutex::new(file),
            slots,
        })
    }
}
