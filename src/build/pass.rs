//! The render pass: every page of every language, rendered in parallel and written to the
//! staging folder as soon as it is rendered (the site is never held in memory). A content page
//! also hands its search document to the index and its print-view piece to the page cache. A
//! page whose body and front matter did not change since the previous build keeps its search
//! document and is linked from that build, at once when no front matter changed anywhere, or
//! when its context is unchanged; its body is rendered only if the page is (see
//! [`crate::write::incremental`]).

use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Result;
use rayon::prelude::*;

use crate::base::diagnostic::Diagnostic;
use crate::markup::links;
use crate::markup::markdown::Rendered;
use crate::model::id::PageId;
use crate::outputs::search::Collector;
use crate::render::print::EntryPiece;
use crate::render::{Body, Html, Job, PageOutput, Renderer, Shared};
use crate::write::incremental::{body_key, PageRecord, PageStore, Reusable};
use crate::write::staging::Staging;

/// Pages rendered so far, of how many (an estimate until rendering ends): filled in by the
/// build, read by a progress bar.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
}

impl Progress {
    /// Sets the number of pages the build will render.
    pub fn set_total(&self, pages: usize) {
        self.total.store(pages, Ordering::Relaxed);
    }

    /// Counts one rendered page.
    pub fn page_done(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// (done, total).
    pub fn get(&self) -> (usize, usize) {
        let done = self.done.load(Ordering::Relaxed);
        (done, self.total.load(Ordering::Relaxed).max(done))
    }
}

/// One render pass and what it feeds.
pub(super) struct Pass<'a, 'r> {
    /// Renders the pages.
    pub(crate) renderer: &'a Renderer<'r>,
    /// Where they go.
    pub(crate) staging: &'a Staging,
    /// Gathers the search index.
    pub(crate) search: &'a Collector,
    /// Keeps each page's record for the next build (none for a check).
    pub(crate) store: Option<&'a PageStore>,
    /// Counts rendered pages.
    pub(crate) progress: Option<&'a Progress>,
    /// Counts the content page bodies rendered.
    pub(crate) bodies_rendered: AtomicUsize,
}

impl<'r> Pass<'_, 'r> {
    /// Renders `jobs` in every language; returns every content problem found (links, anchors,
    /// template errors).
    pub(super) fn run(&self, jobs: &[Job]) -> Result<Vec<Diagnostic>> {
        let site = self.renderer.site;
        let langs: Vec<&str> = site.config.language_codes().collect();
        let reusing = self.store.is_some_and(PageStore::reusing);
        let mut problems = Vec::new();
        // One language at a time, so only one language's shared views are held in memory.
        for &lang in &langs {
            // A reusing build renders no generated page, so it needs nothing shared between them.
            let shared = self.renderer.shared(lang, !reusing);
            let results: Vec<Result<Vec<Diagnostic>>> = jobs
                .par_iter()
                // One page per task: an idle thread can always take the next page, so neither
                // thread waits at the end of a language while the other finishes a long run.
                .with_max_len(1)
                .map(|job| {
                    let found = self.job(lang, &shared, *job, reusing);
                    if let Some(progress) = self.progress {
                        progress.page_done();
                    }
                    found
                })
                .collect();
            for r in results {
                problems.extend(r?);
            }
        }
        Ok(problems)
    }

    fn job(&self, lang: &str, shared: &Shared, job: Job, reusing: bool) -> Result<Vec<Diagnostic>> {
        match job {
            Job::Content(i) => self.content(lang, shared, i),
            // Generated pages depend on nothing a reusing build may change.
            _ if reusing => Ok(Vec::new()),
            other => {
                let lang = self.lang(lang);
                self.write(self.renderer.generated(lang, shared, other), Vec::new())
            }
        }
    }

    /// The body of content page `i` in `lang`, rendered (and counted).
    fn render_body(&self, i: PageId, lang: &str) -> (Rendered, Vec<Diagnostic>) {
        self.bodies_rendered.fetch_add(1, Ordering::Relaxed);
        let r = self.renderer;
        links::render_body(r.site, r.targets, r.highlighter, i, lang)
    }

    /// `lang` with the lifetime of the site (the renderer's views borrow it).
    fn lang(&self, lang: &str) -> &'r str {
        let site = self.renderer.site;
        site.config
            .language_codes()
            .find(|l| *l == lang)
            .unwrap_or(site.default_lang())
    }

    fn content(&self, lang: &str, shared: &Shared, i: PageId) -> Result<Vec<Diagnostic>> {
        let r = self.renderer;
        let site = r.site;
        let lang = self.lang(lang);
        let page = &site.pages[i];
        let key = body_key(lang, page, site.default_lang());
        if let Some(store) = self.store {
            if let Some(record) = store.reusable(lang, &page.source, key) {
                if store.reusing() {
                    // Nothing but bodies changed since the last build, not this one: its HTML is
                    // linked from that output, and so is the search index of a language with no
                    // change at all.
                    let indexed = store.unchanged(lang)
                        || store
                            .search_doc(&record)
                            .is_some_and(|doc| self.search.insert_encoded(lang, i, &doc));
                    if indexed {
                        store.keep(lang, i, &page.source, &record)?;
                        return Ok(Vec::new());
                    }
                } else if let Some(done) = self.keyed(lang, shared, i, key, store, &record) {
                    return done;
                }
            }
        }
        let (rendered, problems) = self.render_body(i, lang);
        let in_context = self.store.map_or(key, |store| store.body_in_context(key));
        let (output, piece) = r.content(lang, shared, i, Body::Rendered(in_context, &rendered));
        let (piece, problems) = with_piece(piece, problems);
        let StoredPiece::New(print) = piece else {
            anyhow::bail!(
                "{}: a print piece was kept for a body just rendered",
                page.source
            );
        };
        let doc = self.search.index(site, lang, i, &rendered);
        if let Some(store) = self.store {
            let mut encoded = Vec::new();
            doc.encode(&mut encoded);
            let record = PageRecord {
                print,
                search: encoded,
            };
            store.put(lang, i, &page.source, key, &record)?;
        }
        self.search.insert(lang, i, doc);
        self.write(output, problems)
    }

    /// Content page `i` when other pages' front matter changed but not its own, nor its body:
    /// its search document is the one the previous build made, and its body is rendered only
    /// if its context changed. `None` when the previous record cannot be read (the page is then
    /// rendered as if new).
    fn keyed(
        &self,
        lang: &'r str,
        shared: &Shared,
        i: PageId,
        key: u64,
        store: &PageStore,
        record: &Reusable,
    ) -> Option<Result<Vec<Diagnostic>>> {
        let r = self.renderer;
        let site = r.site;
        let doc = store.search_doc(record)?;
        if !self.search.insert_encoded(lang, i, &doc) {
            return None;
        }
        let in_context = store.body_in_context(key);
        let (mut output, piece) = r.content(lang, shared, i, Body::Keyed(in_context));
        let mut problems = Vec::new();
        if matches!(output.html, Ok(Html::NeedsBody)) {
            let rendered;
            (rendered, problems) = self.render_body(i, lang);
            // The print piece stands as made above (kept or rendered).
            (output, _) = r.content(lang, shared, i, Body::Rendered(in_context, &rendered));
        }
        let (piece, problems) = with_piece(piece, problems);
        let source = &site.pages[i].source;
        let stored = match piece {
            StoredPiece::Kept => store.keep(lang, i, source, record),
            StoredPiece::New(print) => store.renew_print(lang, i, source, record, print.as_deref()),
        };
        Some(stored.and_then(|()| self.write(output, problems)))
    }

    /// Writes a rendered page, or adds its template error to `problems`.
    fn write(&self, output: PageOutput, mut problems: Vec<Diagnostic>) -> Result<Vec<Diagnostic>> {
        output.write_to(self.staging, &mut problems)?;
        Ok(problems)
    }
}

/// What the page cache keeps of a page's print piece.
enum StoredPiece {
    /// The previous build's piece (see [`EntryPiece::Unchanged`]).
    Kept,
    /// This one, or none when the page has no piece (or its template failed).
    New(Option<String>),
}

/// What becomes of a content page's print piece, with `problems`, to which its template error
/// is added.
fn with_piece(
    piece: Option<Result<EntryPiece, Diagnostic>>,
    mut problems: Vec<Diagnostic>,
) -> (StoredPiece, Vec<Diagnostic>) {
    let stored = match piece {
        Some(Ok(EntryPiece::Rendered(piece))) => StoredPiece::New(Some(piece)),
        Some(Ok(EntryPiece::Unchanged)) => StoredPiece::Kept,
        Some(Err(problem)) => {
            problems.push(problem);
            StoredPiece::New(None)
        }
        None => StoredPiece::New(None),
    };
    (stored, problems)
}
