//! The publishing phase, run after every page is rendered: the data exports and
//! `references.bib`, one Atom feed per language, the data-and-citation page and the print view
//! per language, and last `sitemap.xml` and `robots.txt` (the sitemap lists every HTML page
//! written so far, so it runs after everything else has written its pages). Each output is
//! made only when `site.yaml` declares it.

use std::collections::BTreeMap;
use std::io::Write as _;

use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;

use crate::base::diagnostic::Diagnostic;
use crate::outputs::feeds::{self, FileRenderer, FEED_FILE, ROBOTS_FILE, SITEMAP_FILE};
use crate::outputs::{bibtex, exports};
use crate::render::print::{self, Piece};
use crate::render::{Html, PageOutput, Renderer};
use crate::write::incremental::PageStore;
use crate::write::staging::Staging;

/// What the phase wrote, for reports and tests (a reusing build writes no feed or sitemap, so
/// their counts stay empty).
#[derive(Debug, Default)]
pub struct PublishReport {
    /// Entries per Atom feed, by language.
    pub feed_entries: BTreeMap<String, usize>,
    /// Entries in `references.bib`.
    pub bib_entries: usize,
    /// Pages in `sitemap.xml`.
    pub sitemap_pages: usize,
}

/// What publishing needs: the renderer, the staging folder, the page cache (none for a check)
/// and the site's own citation.
pub(super) struct Publisher<'a, 'r> {
    /// Renders the data page and the print view.
    pub(crate) renderer: &'a Renderer<'r>,
    /// Where everything goes.
    pub(crate) staging: &'a Staging,
    /// This build's page records (the print pieces).
    pub(crate) store: Option<&'a PageStore>,
}

impl Publisher<'_, '_> {
    /// Writes every publishing output. Returns the report and content problems (duplicate
    /// citation keys, template errors).
    pub(super) fn publish(&self) -> Result<(PublishReport, Vec<Diagnostic>)> {
        let site = self.renderer.site;
        let model = &site.config.model;
        let mut report = PublishReport::default();
        let mut problems = Vec::new();
        let reusing = self.store.is_some_and(PageStore::reusing);
        // A reusing build has the previous build's front matter, configuration, templates and
        // page list, so the files made from those alone are already in place, linked from the
        // previous output: the exports, feeds and sitemap. The data page is always written, and
        // so is the print view (it holds every body) of a language with a changed page.
        let made_from_front_matter = !reusing;
        let bib = model
            .exports
            .as_ref()
            .filter(|e| model.collections[e.at].citation.is_some());
        let (entries, bib_problems) = match bib {
            Some(e) => bibtex::site_entries(site, e.at),
            None => Default::default(),
        };
        problems.extend(bib_problems);
        report.bib_entries = entries.len();
        // The exports and each language's files are independent of each other: made side by side.
        let langs: Vec<&str> = site.config.language_codes().collect();
        let (exported, per_lang) = rayon::join(
            || -> Result<()> {
                let Some(decl) = model.exports.as_ref().filter(|_| made_from_front_matter) else {
                    return Ok(());
                };
                if bib.is_some() && !entries.is_empty() {
                    let title = site.config.localized(&site.config.title, "en");
                    self.staging.write(
                        "references.bib",
                        bibtex::references(&entries, title).as_bytes(),
                    )?;
                }
                let name = exports::file_name(site, decl);
                self.staging.write(
                    &format!("{name}.json"),
                    exports::json(site, decl)?.as_bytes(),
                )?;
                self.staging
                    .write(&format!("{name}.csv"), &exports::csv(site, decl)?)
            },
            || {
                langs
                    .par_iter()
                    .map(|&lang| self.language(lang, made_from_front_matter))
                    .collect::<Result<Vec<_>>>()
            },
        );
        exported?;
        for (lang, (feed_entries, lang_problems)) in langs.iter().zip(per_lang?) {
            if let Some(count) = feed_entries {
                report.feed_entries.insert(lang.to_string(), count);
            }
            problems.extend(lang_problems);
        }
        if made_from_front_matter {
            report.sitemap_pages = self.crawling(&mut problems)?;
        }
        Ok((report, problems))
    }

    /// Writes `sitemap.xml` (listing every HTML page written so far) and `robots.txt`; returns
    /// the number of pages in the sitemap. Template errors go to `problems`.
    fn crawling(&self, problems: &mut Vec<Diagnostic>) -> Result<usize> {
        let site = self.renderer.site;
        let out = self.file_renderer();
        let mut pages = 0;
        match feeds::sitemap(&out, site, &self.staging.html_pages()) {
            Ok((sitemap, count)) => {
                pages = count;
                self.staging.write(SITEMAP_FILE, sitemap.as_bytes())?;
            }
            Err(problem) => problems.push(problem),
        }
        match feeds::robots(&out, site) {
            Ok(robots) => self.staging.write(ROBOTS_FILE, robots.as_bytes())?,
            Err(problem) => problems.push(problem),
        }
        Ok(pages)
    }

    /// Renders the feeds, the sitemap and `robots.txt`.
    fn file_renderer(&self) -> FileRenderer<'_> {
        FileRenderer {
            templates: self.renderer.templates,
            guard: self.renderer.guard,
        }
    }

    /// The files of one language: its feed (unless a reusing build keeps it), its data page and
    /// its print view (unless the language has no change). Returns the feed's entry count, if
    /// written, and the content problems.
    fn language(&self, lang: &str, with_feed: bool) -> Result<(Option<usize>, Vec<Diagnostic>)> {
        let renderer = self.renderer;
        let site = renderer.site;
        let lang = (site.config.language_codes())
            .find(|l| *l == lang)
            .unwrap_or(site.default_lang());
        let mut feed_entries = None;
        let mut problems = Vec::new();
        if let Some(decl) = site.config.model.feed.as_ref().filter(|_| with_feed) {
            match feeds::atom(&self.file_renderer(), &renderer.views(lang), decl) {
                Ok((feed, entries)) => {
                    feed_entries = Some(entries);
                    let path = format!("{}{FEED_FILE}", site.lang_prefix(lang));
                    self.staging.write(&path, feed.as_bytes())?;
                }
                Err(problem) => problems.push(problem),
            }
        }
        let shared = renderer.shared(lang, false);
        if let Some(page) = renderer.data_page(lang, &shared) {
            self.write(page, &mut problems)?;
        }
        let unchanged = self.store.is_some_and(|s| s.unchanged(lang));
        if renderer.print.enabled() && !unchanged {
            self.write_print(renderer.print_page(lang, &shared), lang, &mut problems)?;
        }
        Ok((feed_entries, problems))
    }

    fn write(&self, page: PageOutput, problems: &mut Vec<Diagnostic>) -> Result<()> {
        page.write_to(self.staging, problems)
    }

    /// Streams the print view to disk: the template is rendered with a marker for each body,
    /// and each marker is replaced by the piece the render pass stored, so the whole view is
    /// never held in memory.
    fn write_print(
        &self,
        page: PageOutput,
        lang: &str,
        problems: &mut Vec<Diagnostic>,
    ) -> Result<()> {
        let html = match page.html {
            Ok(Html::Rendered(html)) => html,
            Ok(Html::Unchanged | Html::NeedsBody) => {
                bail!("the print view is rendered by every build")
            }
            Err(problem) => {
                problems.push(problem);
                return Ok(());
            }
        };
        let mut out = self.staging.create(&page.path)?;
        print::expand_markers(&html, |piece| -> Result<()> {
            match piece {
                Piece::Html(text) => out.write_all(text.as_bytes())?,
                Piece::Fragment(i) => {
                    if let Some(store) = self.store {
                        store.copy_print_piece(lang, i, &mut out)?;
                    }
                }
            }
            Ok(())
        })
        .context("writing the print view")?;
        out.flush().context("writing the print view")?;
        Ok(())
    }
}
