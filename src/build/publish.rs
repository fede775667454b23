//! The publishing phase, run after every page is rendered: data exports (`models.json`,
//! `models.csv`), citations (`references.bib`), one Atom feed per language, the data-and-citation
//! page and the print view per language, and last `sitemap.xml` and `robots.txt` (the sitemap
//! lists every HTML page written so far, so it runs after everything else has written its pages).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::base::diagnostic::Diagnostic;
use crate::model::site::Site;
use crate::outputs::bibtex::{self, Citation};
use crate::outputs::exports;
use crate::outputs::feeds::{self, FEED_FILE};
use crate::render::print::{self, Piece, PrintPlan, PRINT_FILE};
use crate::render::{self, ExtraPage};
use crate::view::{lang_prefix, Views};
use crate::write::incremental::PageStore;
use crate::write::staging::Staging;

/// Output path of the data-and-citation page inside each language folder.
pub const DATA_FILE: &str = "data.html";
/// Files written once at the site root.
pub const ROOT_FILES: [&str; 5] = [
    "models.json",
    "models.csv",
    "references.bib",
    "sitemap.xml",
    "robots.txt",
];

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
    /// HTML pages rendered by this phase (data page and print view, per language).
    pub pages: usize,
}

/// The site's own citation, as the data page shows it.
#[derive(Debug, Serialize)]
struct SiteCitation {
    /// BibTeX entry.
    bibtex: String,
    /// What `CITATION.cff` asks of users.
    message: String,
}

/// Writes every publishing output into `staging`. `root` is the project root (for
/// `CITATION.cff`). Returns the report and content problems (duplicate citation keys, templates).
pub fn publish(
    site: &Site,
    tera: &Tera,
    staging: &Staging,
    root: &Path,
    print: &PrintPlan,
    store: &PageStore,
) -> Result<(PublishReport, Vec<Diagnostic>)> {
    let mut report = PublishReport::default();
    let citation = bibtex::load_citation(root)?;
    let (entries, mut problems) = bibtex::site_entries(site);
    report.bib_entries = entries.len();
    // A reusing build has the previous build's front matter, configuration, templates and page
    // list, so the files made from those alone are already in place, linked from the previous
    // output: the exports, feeds and sitemap. The data page (it quotes CITATION.cff) is always
    // written, and so is the print view (it holds every body) of a language with a changed page.
    let made_from_front_matter = !store.reusing();
    // The exports and each language's files are independent of each other: made side by side.
    let langs: Vec<&str> = site.config.language_codes().collect();
    let (exported, per_lang) = rayon::join(
        || -> Result<()> {
            if made_from_front_matter {
                let title = site.config.localized(&site.config.title, "en");
                staging.write(
                    "references.bib",
                    bibtex::references(&entries, title).as_bytes(),
                )?;
                staging.write("models.json", exports::models_json(site)?.as_bytes())?;
                staging.write("models.csv", &exports::models_csv(site)?)?;
            }
            Ok(())
        },
        || {
            langs
                .par_iter()
                .map(|&lang| {
                    publish_language(site, tera, staging, lang, citation.as_ref(), print, store)
                })
                .collect::<Result<Vec<_>>>()
        },
    );
    exported?;
    for (lang, (feed_entries, lang_problems)) in langs.iter().zip(per_lang?) {
        if let Some(count) = feed_entries {
            report.feed_entries.insert(lang.to_string(), count);
        }
        problems.extend(lang_problems);
        report.pages += 2;
    }
    if made_from_front_matter {
        let pages = html_pages(staging.dir())?;
        let sitemap = feeds::sitemap(site, &pages)?;
        report.sitemap_pages = sitemap.matches("<url>").count();
        staging.write("sitemap.xml", sitemap.as_bytes())?;
        staging.write("robots.txt", feeds::robots(site).as_bytes())?;
    }
    Ok((report, problems))
}

/// The files of one language: its feed (unless a reusing build keeps it), its data page and its
/// print view (unless the language has no change). Returns the feed's entry count, if written,
/// and the content problems.
fn publish_language(
    site: &Site,
    tera: &Tera,
    staging: &Staging,
    lang: &str,
    citation: Option<&Citation>,
    print: &PrintPlan,
    store: &PageStore,
) -> Result<(Option<usize>, Vec<Diagnostic>)> {
    let mut feed_entries = None;
    if !store.reusing() {
        let feed = feeds::atom(site, lang)?;
        feed_entries = Some(feed.matches("<entry>").count());
        staging.write(
            &format!("{}{FEED_FILE}", lang_prefix(site, lang)),
            feed.as_bytes(),
        )?;
    }
    let mut problems =
        render::render_extra(site, tera, staging, lang, data_page(site, lang, citation))?;
    if !store.unchanged(lang) {
        problems.extend(write_print_page(site, tera, staging, lang, print, store)?);
    }
    Ok((feed_entries, problems))
}

fn data_page(site: &Site, lang: &str, citation: Option<&Citation>) -> ExtraPage {
    let views = Views { site, lang };
    let mut extra = Context::new();
    let cite = citation.map(|c| SiteCitation {
        bibtex: c.entry(&site.config.base_url).to_bibtex(),
        message: c.message.clone().unwrap_or_default(),
    });
    extra.insert("site_citation", &cite);
    extra.insert("works_total", &site.works.len());
    extra.insert("json_version", &exports::JSON_VERSION);
    ExtraPage {
        path: DATA_FILE.into(),
        template: "data.html",
        title: views.t("data_title"),
        description: views.t("data_summary"),
        extra,
    }
}

/// Renders the print view of `lang` and streams it to disk: the template is rendered with a
/// marker for each body, and each marker is replaced by the fragment the render phase stored,
/// so the whole review is never held in memory.
fn write_print_page(
    site: &Site,
    tera: &Tera,
    staging: &Staging,
    lang: &str,
    plan: &PrintPlan,
    store: &PageStore,
) -> Result<Vec<Diagnostic>> {
    let views = Views { site, lang };
    let mut extra = Context::new();
    extra.insert("print", &plan.view(&views));
    let page = ExtraPage {
        path: PRINT_FILE.into(),
        template: "print.html",
        title: views.t("print_title"),
        description: String::new(),
        extra,
    };
    let (url, html) = match render::render_extra_html(site, tera, lang, page)? {
        Ok(rendered) => rendered,
        Err(problem) => return Ok(vec![problem]),
    };
    let mut out = staging.create(&url)?;
    print::expand_markers(&html, |piece| -> Result<()> {
        match piece {
            Piece::Html(text) => out.write_all(text.as_bytes())?,
            Piece::Fragment(i) => store.copy_print_piece(lang, i, &mut out)?,
        }
        Ok(())
    })
    .context("writing the print view")?;
    out.flush().context("writing the print view")?;
    Ok(Vec::new())
}

/// Every `.html` file under `dir`, as sorted `/`-separated paths relative to it.
pub fn html_pages(dir: &Path) -> Result<Vec<String>> {
    let mut pages = Vec::new();
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "html") {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            pages.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
    pages.sort();
    Ok(pages)
}
