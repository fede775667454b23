//! Reuse after a front-matter edit. A page's HTML is a function of its template and the context
//! it is rendered with: medfm registers no template function that reads anything else. Every
//! page rendered leaves a key of its template name and context in the context cache
//! (`.medfm-cache/contexts.bin`), by its path in the site. When the next build has the same
//! frame — the medfm binary, `site.yaml`, the templates, the static file names, the citation and
//! bibliography files, `--drafts` — and reuses the folder the cache was written for, a page
//! whose context has the same key is not rendered: its file is linked from that folder. Unlike
//! the page cache ([`super::incremental`]), front matter may differ, so a front-matter edit
//! renders only the pages whose context it changes (the entry's page, and the lists, term pages
//! and neighbours that show it). An entry's print piece is keyed the same way, by its name in the
//! print view (`print.html#p-models-x`); its bytes are kept in the page cache.
//!
//! The file is read and removed when a build starts, and written anew once its site is
//! committed, so it never describes a site other than the one in its folder: a build that
//! fails or is killed leaves no cache, and the next build renders every page.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::Result;

use crate::base::feed::{erased::Part, key_of_parts};
use crate::base::record::{push_field, push_u64, take_field, take_u64};
use crate::write::incremental::folder_key;
use crate::write::staging::{write_artifact, Staging};

/// File of the context cache inside the cache folder.
pub(crate) const CONTEXTS_FILE: &str = "contexts.bin";

/// First bytes of a context cache file; bump the digit when the layout changes.
const MAGIC: &[u8; 8] = b"MEDFMCX1";

/// The context keys of the previous build (when it can be reused) and of this one.
#[derive(Debug)]
pub(crate) struct ContextCache {
    /// Page path → key, from the previous build of the folder this build reuses files of.
    previous: HashMap<String, u64>,
    /// That folder.
    previous_dir: PathBuf,
    /// The frame key of this build.
    frame: u64,
    /// Page path → key of every page this build rendered or linked.
    current: Mutex<Vec<(String, u64)>>,
}

impl ContextCache {
    /// Takes the cache at `file` (removing it) for a build with frame key `frame` writing into
    /// `staging`; its keys are reused only if it was written for the same frame and the folder
    /// `staging` reuses files of.
    pub(crate) fn take(file: &Path, frame: u64, staging: &Staging) -> ContextCache {
        let bytes = std::fs::read(file).ok();
        if bytes.is_some() {
            let _ = std::fs::remove_file(file);
        }
        let previous_dir = staging.previous_dir().to_path_buf();
        let folder = folder_key(frame, &previous_dir);
        let previous = bytes
            .filter(|_| staging.has_previous_site())
            .and_then(|bytes| decode(&bytes))
            .filter(|(key, _)| *key == folder)
            .map(|(_, pages)| pages.into_iter().collect())
            .unwrap_or_default();
        ContextCache {
            previous,
            previous_dir,
            frame,
            current: Mutex::default(),
        }
    }

    /// Records `key` as the context of the page at `path` (site-root-relative); true when the
    /// previous build rendered that page from the same key and its file is still there to link.
    pub(crate) fn unchanged(&self, path: &str, key: u64) -> bool {
        self.unchanged_part(path, key)
            && crate::write::staging::checked_relative(path)
                .is_ok_and(|rel| self.previous_dir.join(rel).is_file())
    }

    /// Records `key` as the context of the part `name` of a page (a print piece: its bytes are
    /// kept elsewhere, in the page cache); true when the previous build made it from the same
    /// key.
    pub(crate) fn unchanged_part(&self, name: &str, key: u64) -> bool {
        let same = self.previous.get(name) == Some(&key);
        self.lock().push((name.to_string(), key));
        same
    }

    /// Keeps the previous key of every page this build did not render: for a build that links
    /// every such page from the previous site (see [`super::incremental`]).
    pub(crate) fn carry_over(&self) {
        let mut current = self.lock();
        let rendered: std::collections::HashSet<&str> =
            current.iter().map(|(p, _)| p.as_str()).collect();
        let kept: Vec<(String, u64)> = (self.previous.iter())
            .filter(|(path, _)| !rendered.contains(path.as_str()))
            .map(|(path, key)| (path.clone(), *key))
            .collect();
        current.extend(kept);
    }

    /// Writes this build's keys to `file`, for the next build of the folder `out`.
    pub(crate) fn save(self, file: &Path, out: &Path) -> Result<()> {
        let mut pages = self.current.into_inner().unwrap_or_else(|e| e.into_inner());
        pages.sort();
        pages.dedup_by(|a, b| a.0 == b.0);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_artifact(file, &encode(folder_key(self.frame, out), &pages))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, u64)>> {
        self.current.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The key of a page rendered with `template` from `context` and the value `moved` into it
/// (see [`crate::render::PageKind`]), as the template sees them; `None` when the context
/// does not serialise (the page is then rendered, and its error reported).
pub(crate) fn context_key(
    template: &str,
    context: &impl serde::Serialize,
    moved: Option<(&str, &serde_json::Value)>,
) -> Option<u64> {
    let mut parts: Vec<(&str, &dyn Part)> = vec![("template", &template), ("context", context)];
    parts.extend(moved.map(|(name, value)| (name, value as &dyn Part)));
    key_of_parts(&parts)
}

/// The file: [`MAGIC`], the folder key, the number of pages, then each page's path and key.
fn encode(folder: u64, pages: &[(String, u64)]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    push_u64(&mut out, folder);
    push_u64(&mut out, pages.len() as u64);
    for (path, key) in pages {
        push_field(&mut out, path);
        push_u64(&mut out, *key);
    }
    out
}

/// The folder key and pages of a file [`encode`] wrote; `None` for anything else.
fn decode(bytes: &[u8]) -> Option<(u64, Vec<(String, u64)>)> {
    let mut rest = bytes.strip_prefix(MAGIC.as_slice())?;
    let folder = take_u64(&mut rest)?;
    let count = take_u64(&mut rest)?;
    let mut pages = Vec::new();
    for _ in 0..count {
        pages.push((take_field(&mut rest)?, take_u64(&mut rest)?));
    }
    rest.is_empty().then_some((folder, pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_round_trips_and_anything_else_is_refused() {
        let pages = vec![
            ("en/a.html".to_string(), 7),
            ("zh/b.html".to_string(), u64::MAX),
        ];
        let bytes = encode(42, &pages);
        assert_eq!(decode(&bytes), Some((42, pages)));
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes;
        longer.push(0);
        assert_eq!(decode(&longer), None);
        // A count larger than the file must not allocate for it.
        let mut huge = MAGIC.to_vec();
        push_u64(&mut huge, 1);
        push_u64(&mut huge, u64::MAX);
        assert_eq!(decode(&huge), None);
    }
}
