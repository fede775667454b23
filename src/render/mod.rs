//! Rendering: Markdown bodies and Tera templates for every output page, in parallel, each page
//! written to the staging folder as soon as it is rendered (the site is never held in memory).

pub mod guard;
pub mod meta;
pub mod print;

use std::path::Path;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::base::diagnostic::{display_path, Diagnostic};
use crate::load::content::{Page, PageMetaKind};
use crate::markup::links::{self, LinkTargets};
use crate::markup::markdown;
use crate::model::schema::Layout;
use crate::model::site::{Site, FREE_TAXONOMIES, VOCAB_TAXONOMIES};
use crate::render::meta::{HeadOptions, Subject};
use crate::render::print::PrintPlan;
use crate::view::lineage::{self, LineageGraph};
use crate::view::{lang_prefix, root_for, BodyView, SectionCard, TermCount, Views, WorkCard};
use crate::write::incremental::{body_key, PageRecord, PageStore};
use crate::write::staging::Staging;

/// Loads every template under `dir` (names are paths relative to it). Syntax errors are diagnostics.
pub fn load_templates(root: &Path, dir: &Path) -> Result<Tera, Vec<Diagnostic>> {
    let mut files = Vec::new();
    for entry in WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
    {
        if entry.file_type().is_file() {
            let name = entry
                .path()
                .strip_prefix(dir)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            match std::fs::read_to_string(entry.path()) {
                Ok(text) => files.push((name, text)),
                Err(e) => {
                    return Err(vec![Diagnostic::error(
                        display_path(root, entry.path()),
                        0,
                        0,
                        format!("cannot read template: {e}"),
                    )])
                }
            }
        }
    }
    let cycles = crate::render::guard::check_recursion(&files);
    if !cycles.is_empty() {
        return Err(cycles);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml", ".svg"]);
    tera.add_raw_templates(files).map_err(|e| {
        vec![Diagnostic::error(
            display_path(root, dir),
            0,
            0,
            format!("template error: {}", error_chain(&e)),
        )]
    })?;
    Ok(tera)
}

/// Tera errors nest their cause; show the whole chain on one line.
pub fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Common fields of every page: language, navigation, alternates, paths. (The UI strings, `t`,
/// join them from [`Views::strings`].)
#[derive(Debug, Serialize)]
pub struct Frame {
    /// Language code of the page.
    pub lang: String,
    /// `../` prefix from this page to the site root.
    pub root: String,
    /// Site-root-relative URL of this page.
    pub url: String,
    /// Absolute canonical URL (from the configured base URL).
    pub canonical: String,
    /// Page title (without the site title).
    pub title: String,
    /// Meta description.
    pub description: String,
    /// Site title in this language.
    pub site_title: String,
    /// Site description in this language.
    pub site_description: String,
    /// Home page URL of this language.
    pub home_url: String,
    /// URL prefix of this language (`""` or `en/`); `{{ root }}{{ prefix }}path` links within the language.
    pub prefix: String,
    /// Main navigation.
    pub nav: Vec<SectionCard>,
    /// The same page in every language.
    pub alternates: Vec<Alternate>,
}

/// The same page in another language.
#[derive(Debug, Serialize)]
pub struct Alternate {
    /// Language code.
    pub lang: String,
    /// Language name in itself.
    pub name: String,
    /// Site-root-relative URL.
    pub url: String,
    /// Absolute URL.
    pub absolute: String,
    /// True for the page's own language.
    pub current: bool,
}

/// One output page to render.
#[derive(Debug, Clone)]
enum Job {
    Content { page: usize },
    WorksList,
    Taxonomies,
    Taxonomy { tax: usize },
    Term { tax: usize, term: usize },
    NotFound,
    Search,
    Table,
    Lineage,
}

/// Renders and writes every page in every language. Returns the number of pages written and
/// every content problem found (links, anchors, template errors).
/// Content pages also hand their extracted text to `search`. Links resolve against `targets`.
pub fn render_site(
    site: &Site,
    targets: &LinkTargets,
    tera: &Tera,
    staging: &Staging,
    search: &crate::outputs::search::Collector,
    print: &PrintPlan,
    store: &PageStore,
) -> Result<(usize, Vec<Diagnostic>)> {
    let langs: Vec<String> = site.config.language_codes().map(str::to_string).collect();
    let jobs = jobs(site);
    let lineage = LineageGraph::of_site(site);
    let mut problems = Vec::new();
    // One language at a time, so only one language's shared views are held in memory.
    for lang in &langs {
        let views = Views { site, lang };
        // A reusing build renders no generated page, so it needs nothing shared between them.
        let shared = match store.reusing() {
            true => Shared::default(),
            false => Shared::new(&views),
        };
        let results: Vec<Result<Vec<Diagnostic>>> = jobs
            .par_iter()
            // One page per task: an idle thread can always take the next page, so neither
            // thread waits at the end of a language while the other finishes a long run.
            .with_max_len(1)
            .map(|job| {
                let renderer = PageRenderer {
                    site,
                    tera,
                    targets,
                    views: Views { site, lang },
                    search,
                    lineage: &lineage,
                    print,
                    store,
                    shared: &shared,
                };
                renderer.render(job, staging)
            })
            .collect();
        for r in results {
            problems.extend(r?);
        }
    }
    Ok((langs.len() * jobs.len(), problems))
}

/// Every page to render in one language: the generated pages first (the largest of them list
/// every work, so they start while the other threads take the content pages), then the
/// content pages.
fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Table,
        Job::Lineage,
        Job::WorksList,
        Job::Taxonomies,
        Job::NotFound,
        Job::Search,
    ];
    for (t, tax) in site.taxonomies.iter().enumerate() {
        jobs.push(Job::Taxonomy { tax: t });
        jobs.extend((0..tax.terms.len()).map(|term| Job::Term { tax: t, term }));
    }
    jobs.extend((0..site.pages.len()).map(|page| Job::Content { page }));
    jobs
}

/// What many pages of one language show, computed once before the pages are rendered.
#[derive(Default)]
struct Shared {
    /// Each work's card, serialised once (term and list pages show every card many times).
    cards: Vec<Option<serde_json::Value>>,
    /// Every taxonomy with its non-empty terms.
    taxonomies: Vec<TaxonomyView>,
}

impl Shared {
    fn new(views: &Views<'_>) -> Self {
        let site = views.site;
        let cards = (0..site.pages.len())
            .into_par_iter()
            .map(|i| {
                site.pages[i]
                    .work()
                    .is_some()
                    .then(|| serde_json::to_value(views.card(i)).unwrap_or_default())
            })
            .collect();
        let taxonomies = (0..site.taxonomies.len())
            .map(|t| taxonomy_view(views, t))
            .collect();
        Shared { cards, taxonomies }
    }

    /// The cards of `works`, in that order.
    fn cards(&self, works: impl IntoIterator<Item = usize>) -> Vec<&serde_json::Value> {
        works
            .into_iter()
            .filter_map(|i| self.cards[i].as_ref())
            .collect()
    }
}

struct PageRenderer<'a> {
    site: &'a Site,
    tera: &'a Tera,
    targets: &'a LinkTargets,
    views: Views<'a>,
    search: &'a crate::outputs::search::Collector,
    lineage: &'a LineageGraph,
    print: &'a PrintPlan,
    store: &'a PageStore,
    shared: &'a Shared,
}

impl PageRenderer<'_> {
    fn render(&self, job: &Job, staging: &Staging) -> Result<Vec<Diagnostic>> {
        let (path, template, title, description, extra, problems) = match job {
            Job::Content { page } => {
                let p = &self.site.pages[*page];
                let lang = self.views.lang;
                let key = body_key(lang, p.text(lang, self.site.default_lang()).body());
                if let Some(record) = self.store.reusable(lang, &p.source, key) {
                    // Unchanged since the last build: its HTML is linked from that output, and
                    // so is the search index of a language with no change at all.
                    let indexed = self.store.unchanged(lang)
                        || self
                            .store
                            .search_doc(&record)
                            .is_some_and(|doc| self.search.insert_encoded(lang, *page, &doc));
                    if indexed {
                        self.store.keep(lang, *page, &p.source, &record)?;
                        return Ok(Vec::new());
                    }
                }
                self.content(*page, key)?
            }
            // Generated pages depend on nothing a reusing build may change.
            _ if self.store.reusing() => return Ok(Vec::new()),
            other => {
                let (path, template, title, extra) = self.generated(other)?;
                (path, template, title, String::new(), extra, Vec::new())
            }
        };
        let page = ExtraPage {
            path,
            template,
            title,
            description,
            extra,
        };
        Ok(problems
            .into_iter()
            .chain(self.emit(page, self.subject(job), staging)?)
            .collect())
    }

    /// Renders one page with the common frame and head metadata and writes it.
    fn emit(
        &self,
        page: ExtraPage,
        subject: Subject,
        staging: &Staging,
    ) -> Result<Vec<Diagnostic>> {
        emit(self.tera, &self.views, page, subject, staging)
    }

    fn subject(&self, job: &Job) -> Subject {
        match job {
            Job::Content { page } if self.site.pages[*page].work().is_some() => {
                Subject::Work(*page)
            }
            Job::Content { page } if self.site.pages[*page].layout() == Some(Layout::Home) => {
                Subject::Home
            }
            _ => Subject::Page,
        }
    }

    #[allow(clippy::type_complexity)]
    fn content(
        &self,
        i: usize,
        key: u64,
    ) -> Result<(
        String,
        &'static str,
        String,
        String,
        Context,
        Vec<Diagnostic>,
    )> {
        let page = &self.site.pages[i];
        let lang = self.views.lang;
        let text = page.text(lang, self.site.default_lang());
        let (rendered, mut problems) = links::render_body(self.site, self.targets, i, lang);
        let mut print_piece = None;
        let mut extra = Context::new();
        extra.insert("body", &self.views.body(&rendered));
        let template = match page.layout() {
            None => {
                let mut work = serde_json::to_value(self.views.work(i))?;
                if self.print.includes(i) {
                    match self.print.work_piece(self.tera, &self.views, i, &mut work) {
                        Ok(piece) => print_piece = Some(piece),
                        Err(problem) => problems.push(problem),
                    }
                }
                insert_value(&mut extra, "page", work);
                let root = root_for(&self.views.url(&page.output));
                extra.insert(
                    "lineage_graph",
                    &lineage::work_graph(&self.views, self.lineage, i, &root),
                );
                extra.insert(
                    "bibtex",
                    &crate::outputs::bibtex::work_entry(&page.slug, self.site.work(i))
                        .map(|e| e.to_bibtex()),
                );
                "work.html"
            }
            Some(layout) => {
                if self.print.includes(i) {
                    print_piece = Some(self.print.body(self.site, lang, i));
                }
                extra.insert("page", &self.views.section_card(page));
                self.section_extra(page, layout, &mut extra);
                match layout {
                    Layout::Home => "home.html",
                    Layout::Trend => "trend.html",
                    Layout::Page => "page.html",
                }
            }
        };
        let record = PageRecord {
            print: print_piece,
            search: crate::outputs::search::doc(self.site, lang, i, &rendered),
        };
        self.store.put(lang, i, &page.source, key, &record)?;
        self.search.insert(lang, i, record.search);
        Ok((
            page.output.clone(),
            template,
            text.title.clone(),
            text.summary.clone(),
            extra,
            problems,
        ))
    }

    fn section_extra(&self, page: &Page, layout: Layout, extra: &mut Context) {
        let PageMetaKind::Section(meta) = &page.meta else {
            return;
        };
        match layout {
            Layout::Trend => {
                let strand = meta.strand.clone().unwrap_or_default();
                extra.insert("groups", &self.views.theme_groups(&strand));
                let mut works = self.site.strand_works(&strand);
                works.extend(lineage::foundations(self.site, self.lineage, &works));
                extra.insert("timeline", &self.views.timeline(&works));
                extra.insert("strand", &self.views.term("strand", &strand));
            }
            Layout::Home => {
                let mut newest = self.site.works.clone();
                newest.sort_by_key(|&i| {
                    (
                        std::cmp::Reverse(self.site.work(i).date),
                        self.site.pages[i].slug.clone(),
                    )
                });
                let newest: Vec<WorkCard> = newest
                    .into_iter()
                    .take(8)
                    .map(|i| self.views.card(i))
                    .collect();
                extra.insert("newest", &newest);
                extra.insert("total_works", &self.site.works.len());
                for name in ["strand", "kind", "modality"] {
                    extra.insert(format!("counts_{name}"), &self.counts(name));
                }
            }
            Layout::Page => {}
        }
    }

    fn counts(&self, name: &str) -> Vec<TermCount> {
        let Some(tax) = self.site.taxonomy(name) else {
            return Vec::new();
        };
        tax.terms
            .iter()
            .filter(|t| !t.works.is_empty())
            .map(|t| TermCount {
                term: self.views.term(name, &t.key),
                count: t.works.len(),
            })
            .collect()
    }

    fn generated(&self, job: &Job) -> Result<(String, &'static str, String, Context)> {
        let v = &self.views;
        let mut extra = Context::new();
        Ok(match job {
            Job::WorksList => {
                let groups: Vec<(SectionTitle, Vec<&serde_json::Value>)> = self
                    .site
                    .config
                    .vocabularies
                    .strand
                    .keys()
                    .map(|s| {
                        (
                            SectionTitle {
                                term: v.term("strand", s),
                            },
                            self.shared.cards(self.site.strand_works(s)),
                        )
                    })
                    .filter(|(_, w)| !w.is_empty())
                    .collect();
                extra.insert(
                    "strands",
                    &groups
                        .into_iter()
                        .map(|(s, works)| StrandGroup {
                            strand: s.term,
                            works,
                        })
                        .collect::<Vec<_>>(),
                );
                (
                    "models/index.html".into(),
                    "list.html",
                    v.t("all_works"),
                    extra,
                )
            }
            Job::Taxonomies => {
                extra.insert("taxonomies", &self.shared.taxonomies);
                (
                    "taxonomies/index.html".into(),
                    "taxonomies.html",
                    v.t("taxonomies"),
                    extra,
                )
            }
            Job::Taxonomy { tax } => {
                let view = &self.shared.taxonomies[*tax];
                let title = view.heading.label.clone();
                extra.insert("taxonomy", view);
                (
                    format!("taxonomies/{}/index.html", view.heading.name),
                    "taxonomy.html",
                    title,
                    extra,
                )
            }
            Job::Term { tax, term } => {
                let taxonomy = &self.site.taxonomies[*tax];
                let t = &taxonomy.terms[*term];
                let term_ref = v.term(taxonomy.name, &t.key);
                let title = format!(
                    "{}: {}",
                    v.t(&format!("tax_{}", taxonomy.name)),
                    term_ref.label
                );
                // Only the heading: the term list would make every term page as long as the
                // taxonomy (quadratic in the number of terms).
                extra.insert("taxonomy", &self.shared.taxonomies[*tax].heading);
                extra.insert("term", &term_ref);
                insert_value(
                    &mut extra,
                    "works",
                    (self.shared.cards(t.works.iter().copied()).into_iter())
                        .cloned()
                        .collect(),
                );
                let filter = crate::view::table::TERM_FILTERS.contains(&taxonomy.name);
                extra.insert(
                    "table_url",
                    &filter.then(|| v.url(&format!("table.html?{}={}", taxonomy.name, t.key))),
                );
                (
                    format!("taxonomies/{}/{}.html", taxonomy.name, t.slug),
                    "term.html",
                    title,
                    extra,
                )
            }
            Job::NotFound => ("404.html".into(), "404.html", v.t("not_found_title"), extra),
            Job::Search => (
                "search.html".into(),
                "search.html",
                v.t("search_title"),
                extra,
            ),
            Job::Table => {
                extra.insert("table", &crate::view::table::table_view(v));
                ("table.html".into(), "table.html", v.t("table"), extra)
            }
            Job::Lineage => {
                let root = root_for(&v.url("lineage.html"));
                extra.insert("lineage", &lineage::lineage_page(v, self.lineage, &root));
                ("lineage.html".into(), "lineage.html", v.t("lineage"), extra)
            }
            Job::Content { .. } => unreachable!("content pages are rendered by `content`"),
        })
    }
}

/// A taxonomy with its non-empty terms, in `views.lang`.
fn taxonomy_view(views: &Views<'_>, t: usize) -> TaxonomyView {
    let tax = &views.site.taxonomies[t];
    let terms = tax
        .terms
        .iter()
        .filter(|term| !term.works.is_empty())
        .map(|term| TermCount {
            term: views.term(tax.name, &term.key),
            count: term.works.len(),
        })
        .collect();
    TaxonomyView {
        heading: TaxonomyHeading {
            name: tax.name.to_string(),
            label: views.t(&format!("tax_{}", tax.name)),
            url: views.url(&format!("taxonomies/{}/index.html", tax.name)),
        },
        terms,
    }
}

struct SectionTitle {
    term: crate::view::TermRef,
}

/// Works of one strand on the list page.
#[derive(Debug, Serialize)]
struct StrandGroup<'a> {
    strand: crate::view::TermRef,
    works: Vec<&'a serde_json::Value>,
}

/// A taxonomy's name, label and index page: what a term page shows of its taxonomy.
#[derive(Debug, Serialize)]
struct TaxonomyHeading {
    name: String,
    label: String,
    url: String,
}

/// A taxonomy with its non-empty terms.
#[derive(Debug, Serialize)]
struct TaxonomyView {
    #[serde(flatten)]
    heading: TaxonomyHeading,
    terms: Vec<TermCount>,
}

/// Renders one page with the common frame and head metadata and writes it.
fn emit(
    tera: &Tera,
    views: &Views<'_>,
    page: ExtraPage,
    subject: Subject,
    staging: &Staging,
) -> Result<Vec<Diagnostic>> {
    match render_page(tera, views, page, subject)? {
        Ok((url, html)) => {
            staging.write(&url, html.as_bytes())?;
            Ok(Vec::new())
        }
        Err(problem) => Ok(vec![problem]),
    }
}

/// Renders one page with the common frame and head metadata: its site-root-relative URL and
/// HTML, or the template error as a diagnostic.
fn render_page(
    tera: &Tera,
    views: &Views<'_>,
    page: ExtraPage,
    subject: Subject,
) -> Result<Result<(String, String), Diagnostic>> {
    let url = views.url(&page.path);
    let frame = frame(views, &page.path, &url, page.title, page.description);
    let has_search = tera.get_template_names().any(|n| n == "search.html");
    let head = crate::render::meta::head(views, &frame, subject, HeadOptions { has_search });
    let mut context = Context::from_serialize(frame)?;
    insert_value(&mut context, "t", views.strings());
    context.insert("head", &head);
    context.extend(page.extra);
    let ticket = views.site.template_guard.watch(page.template, &url);
    let rendered = tera.render(page.template, &context);
    drop(ticket);
    Ok(match rendered {
        Ok(html) => Ok((url, html)),
        Err(e) => Err(Diagnostic::error(
            format!("templates/{}", page.template),
            0,
            0,
            format!("cannot render {url}: {}", error_chain(&e)),
        )),
    })
}

fn frame(views: &Views<'_>, path: &str, url: &str, title: String, description: String) -> Frame {
    let site = views.site;
    let config = &site.config;
    let lang = views.lang;
    let base = config.base_url.trim_end_matches('/');
    let alternates = config
        .languages
        .iter()
        .map(|l| {
            let alt = format!("{}{path}", lang_prefix(site, &l.code));
            Alternate {
                absolute: format!("{base}/{alt}"),
                lang: l.code.clone(),
                name: l.name.clone(),
                url: alt,
                current: l.code == lang,
            }
        })
        .collect();
    let description = if description.is_empty() {
        config.localized(&config.description, lang).to_string()
    } else {
        description
    };
    Frame {
        lang: lang.to_string(),
        root: root_for(url),
        url: url.to_string(),
        canonical: format!("{base}/{url}"),
        title,
        description,
        site_title: config.localized(&config.title, lang).to_string(),
        site_description: config.localized(&config.description, lang).to_string(),
        home_url: views.url("index.html"),
        prefix: views.prefix(),
        nav: nav(views),
        alternates,
    }
}

fn nav(views: &Views<'_>) -> Vec<SectionCard> {
    views
        .site
        .nav_pages
        .iter()
        .map(|&i| views.section_card(&views.site.pages[i]))
        .collect()
}

/// Adds `value` to `context` as `key` without serialising it again (which
/// [`Context::insert`] does, even to a value that is JSON already).
pub(crate) fn insert_value(context: &mut Context, key: &str, value: serde_json::Value) {
    let mut map = serde_json::Map::new();
    map.insert(key.to_string(), value);
    if let Ok(one) = Context::from_value(serde_json::Value::Object(map)) {
        context.extend(one);
    }
}

/// A page rendered outside the content jobs (the data page, the print view).
#[derive(Debug)]
pub struct ExtraPage {
    /// Path inside the language folder, e.g. `data.html`.
    pub path: String,
    /// Template name.
    pub template: &'static str,
    /// Page title.
    pub title: String,
    /// Meta description; empty means the site description.
    pub description: String,
    /// Context beyond the common frame.
    pub extra: Context,
}

/// Renders `page` in `lang` with the same frame and head metadata as every other page, and
/// writes it. Template errors come back as diagnostics.
pub fn render_extra(
    site: &Site,
    tera: &Tera,
    staging: &Staging,
    lang: &str,
    page: ExtraPage,
) -> Result<Vec<Diagnostic>> {
    emit(tera, &Views { site, lang }, page, Subject::Page, staging)
}

/// Renders `page` in `lang` like [`render_extra`], without writing it: the page's
/// site-root-relative URL and HTML, or the template error.
pub fn render_extra_html(
    site: &Site,
    tera: &Tera,
    lang: &str,
    page: ExtraPage,
) -> Result<Result<(String, String), Diagnostic>> {
    render_page(tera, &Views { site, lang }, page, Subject::Page)
}

/// Names of every taxonomy, for templates and tests.
pub fn taxonomy_names() -> impl Iterator<Item = &'static str> {
    VOCAB_TAXONOMIES.into_iter().chain(FREE_TAXONOMIES)
}

/// Writes a body view (used by tests that want a page's rendered body).
pub fn body_of(views: &Views<'_>, rendered: &markdown::Rendered) -> BodyView {
    views.body(rendered)
}

/// Copies `static/` into the site root and writes the generated highlight stylesheet.
pub fn copy_static(site_root: &Path, static_dir: &Path, staging: &Staging) -> Result<usize> {
    let mut count = 0;
    if static_dir.is_dir() {
        for entry in WalkDir::new(static_dir)
            .follow_links(false)
            .sort_by_file_name()
        {
            let entry = entry.with_context(|| format!("reading {}", static_dir.display()))?;
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(static_dir)?
                    .to_string_lossy()
                    .replace('\\', "/");
                staging.copy(&rel, entry.path())?;
                count += 1;
            }
        }
    }
    let _ = site_root;
    staging.write(
        "highlight.css",
        crate::markup::highlight::stylesheet().as_bytes(),
    )?;
    Ok(count + 1)
}
