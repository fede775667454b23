//! The build pipeline, one for `build`, `check` and `serve`: read the project once, load it
//! (config, templates, content, validation, derivation), render every page ([`pass`]), copy the
//! static files, write the search index and the publishing outputs ([`publish`]) side by side,
//! and — when building into a folder with no error found — swap the staging folder into place.
//! `check` runs the same pipeline into a discarding staging, so it reports every problem a
//! build would, and writes nothing.

mod count;
mod pass;
mod publish;

pub use count::SiteCount;
pub(crate) use pass::Progress;
use publish::PublishReport;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::mpsc;
use std::sync::Arc;

use anyhow::{Context as _, Result};

use crate::base::diagnostic::{Diagnostic, Diagnostics, Severity};
use crate::base::failure::{Failure, Outcome};
use crate::base::hash::StableHasher;
use crate::base::timing::Timings;
use crate::load::{self, Project};
use crate::markup::highlight::{Highlighter, CACHE_FILE};
use crate::markup::links::LinkTargets;
use crate::model::citation::Citation;
use crate::model::lineage::LineageGraph;
use crate::model::site::Site;
use crate::outputs::search::Collector;
use crate::render::print::PrintPlan;
use crate::render::Renderer;
use crate::templates::guard::{Overdue, TemplateGuard};
use crate::templates::Templates;
use crate::view::ViewMemo;
use crate::write::contexts::{ContextCache, CONTEXTS_FILE};
use crate::write::incremental::{body_key, LanguageBodies, PageStore, PAGES_FILE};
use crate::write::staging::Staging;

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    /// The content pages, and the HTML pages and other files of the built site.
    pub count: SiteCount,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Where the site was written.
    pub out: PathBuf,
    /// Phase timings.
    pub timings: Timings,
    /// What the publishing phase wrote (feeds, exports, citations, sitemap).
    pub publish: publish::PublishReport,
    /// HTML pages the build did not render: unchanged since the previous build of the folder,
    /// they were linked from it (see the build cache chapter of the guide).
    pub unrendered: usize,
    /// Content page bodies rendered, summed over the languages (the others were kept from the
    /// previous build), and how many there are.
    pub bodies: (usize, usize),
}

impl BuildReport {
    /// What a summary says in brackets: the number of warnings, then, when the build linked
    /// unchanged pages instead of rendering them, how many (`0 warnings; 627 of 658 HTML pages
    /// unchanged`).
    pub fn notes(&self) -> String {
        let warnings = self.warnings.0.len();
        let plural = if warnings == 1 { "" } else { "s" };
        match self.unrendered {
            0 => format!("{warnings} warning{plural}"),
            n => format!(
                "{warnings} warning{plural}; {n} of {} HTML pages unchanged",
                self.count.html
            ),
        }
    }
}

/// What a check found.
#[derive(Debug, Default)]
pub(crate) struct CheckReport {
    /// Every error and warning, sorted by file and position.
    pub(crate) diagnostics: Diagnostics,
    /// The content pages checked (0 when the content could not be parsed), and the files the
    /// build would write.
    pub(crate) count: SiteCount,
}

/// How a build runs, besides where it writes.
#[derive(Debug, Default, Clone)]
pub struct BuildOptions {
    /// Counts rendered pages (which a progress bar may draw).
    pub progress: Option<Arc<Progress>>,
    /// Reuse the files of the site in this folder instead of the output folder's (see
    /// [`Staging::reuse_from`]).
    pub reuse_from: Option<PathBuf>,
    /// Treat every warning about the content (an incomplete translation, a placeholder left in)
    /// as an error: for release builds.
    pub strict: bool,
    /// Build the pages that say `draft: true` too (they are left out otherwise).
    pub drafts: bool,
}

/// Builds the project into `out`. Nothing is written unless everything renders without error.
pub fn build(project: &Project, out: &Path) -> Outcome<BuildReport> {
    build_with(project, out, BuildOptions::default())
}

/// [`build`], with `options`.
pub fn build_with(project: &Project, out: &Path, options: BuildOptions) -> Outcome<BuildReport> {
    let (project, out) = (project.clone(), out.to_path_buf());
    supervised(
        move |guard| match run(&project, Some(&out), &options, &guard)? {
            Ended::Built(report) => Ok(report),
            Ended::Found(_) => unreachable!("a build into a folder either builds or fails"),
        },
    )
}

/// Runs every check of the build — the same pipeline, into a staging that keeps nothing — and
/// returns every finding. `Err` only for problems that are not about content (an unreadable
/// `site.yaml` or folder). Of `options`, only [`BuildOptions::strict`] matters.
pub(crate) fn check_with(project: &Project, options: BuildOptions) -> Outcome<CheckReport> {
    let project = project.clone();
    supervised(move |guard| match run(&project, None, &options, &guard)? {
        Ended::Found(report) => Ok(report),
        Ended::Built(_) => unreachable!("a check writes nothing"),
    })
}

/// How the pipeline ended.
enum Ended {
    /// A build committed its site.
    Built(BuildReport),
    /// A check's findings.
    Found(CheckReport),
}

/// A message to the thread waiting for a build.
enum Message<T> {
    Done(Outcome<T>),
    Overdue(Overdue),
}

/// Runs `work` (a build given its template guard) on its own thread and waits for it — or for
/// its guard to report a render past its time (see [`crate::templates::guard`]), which is then the
/// error returned: the runaway render is left behind, still running, until the process ends.
pub(crate) fn supervised<T: Send + 'static>(
    work: impl FnOnce(TemplateGuard) -> Outcome<T> + Send + 'static,
) -> Outcome<T> {
    let (send, receive) = mpsc::channel::<Message<T>>();
    let guard = TemplateGuard::default();
    let overdue = send.clone();
    guard.on_overdue(move |o| {
        let _ = overdue.send(Message::Overdue(o));
    });
    std::thread::Builder::new()
        .name("medfm-build".into())
        .stack_size(16 << 20)
        .spawn(move || {
            let result = work(guard);
            let _ = send.send(Message::Done(result));
        })
        .context("starting the build thread")?;
    match receive.recv() {
        Ok(Message::Done(result)) => result,
        Ok(Message::Overdue(o)) => Err(Failure::Found(Diagnostics(vec![o.diagnostic()]))),
        Err(_) => Err(anyhow::anyhow!("the build stopped without a result").into()),
    }
}

/// The pipeline: into the folder `out` (a build), or nowhere (a check).
fn run(
    project: &Project,
    out: Option<&Path>,
    options: &BuildOptions,
    guard: &TemplateGuard,
) -> Outcome<Ended> {
    let mut timings = Timings::default();
    let inputs = match timings.time("read", || load::read(project)) {
        Ok(inputs) => inputs,
        // Unreadable content files are findings like any other; an unreadable site.yaml or
        // folder is not about content.
        Err(Failure::Found(problems)) => {
            return found(
                strict(problems.0, options.strict),
                out,
                SiteCount::default(),
            )
        }
        Err(other) => return Err(other),
    };
    let loaded = load::load(project, &inputs, options.drafts, &mut timings);
    let mut findings = loaded.findings;
    let (Some(site), Some(templates)) = (loaded.site, loaded.templates) else {
        return found(strict(findings, options.strict), out, SiteCount::default());
    };
    let staging = open_staging(project, out, options, guard)?;
    let highlighter = match &inputs.highlight_css {
        Some(css) => Highlighter::for_stylesheet(css),
        None => Highlighter::default(),
    };
    highlighter.load_on_first_use(&project.cache_file(CACHE_FILE));
    let run = Run {
        project,
        building: out.is_some(),
        options,
        inputs: &inputs,
        site: &site,
        templates: &templates,
        citation: loaded.citation.as_ref(),
        guard,
        staging: &staging,
        highlighter: &highlighter,
    };
    let written = run.write(&mut timings)?;
    findings.extend(written.problems);
    let findings = strict(findings, options.strict);
    if out.is_none() || findings.iter().any(Diagnostic::is_error) {
        return found(findings, out, written.count);
    }
    let mut warnings = load::sorted(findings);
    let unrendered = staging.unrendered_pages();
    let bodies = (
        written.bodies_rendered,
        site.pages.len() * site.config.languages.len(),
    );
    let out = commit(
        project,
        staging,
        written.caches,
        &highlighter,
        &mut timings,
        &mut warnings,
    )?;
    Ok(Ended::Built(BuildReport {
        count: written.count,
        warnings,
        out,
        timings,
        publish: written.publish,
        unrendered,
        bodies,
    }))
}

/// The staging folder of a build into `out` (reusing the files of `options.reuse_from`), or a
/// discarding one for a check; `guard` removes it if a render never ends.
fn open_staging(
    project: &Project,
    out: Option<&Path>,
    options: &BuildOptions,
    guard: &TemplateGuard,
) -> Result<Staging> {
    let mut staging = match out {
        Some(out) => Staging::begin(out, &project.root, &project.protected())?,
        None => Staging::discard(),
    };
    if let Some(dir) = &options.reuse_from {
        staging = staging.reuse_from(dir)?;
    }
    guard.set_cleanup(vec![
        staging.dir().to_path_buf(),
        staging.scratch_dir().to_path_buf(),
    ]);
    Ok(staging)
}

/// What the phases after loading work with.
struct Run<'a> {
    project: &'a Project,
    /// A build (not a check): keeps page records for the next build.
    building: bool,
    options: &'a BuildOptions,
    inputs: &'a load::Inputs,
    site: &'a Site,
    templates: &'a Templates,
    citation: Option<&'a Citation>,
    guard: &'a TemplateGuard,
    staging: &'a Staging,
    highlighter: &'a Highlighter,
}

/// What the render, static, search and publish phases made, before the site is committed.
struct Written {
    /// The content pages, and the files written into the staging folder.
    count: SiteCount,
    /// Content page bodies rendered (see [`BuildReport::bodies`]).
    bodies_rendered: usize,
    /// What the publishing phase wrote.
    publish: PublishReport,
    /// Every problem they found.
    problems: Vec<Diagnostic>,
    /// The caches for the next build (a build only).
    caches: Option<Caches>,
}

/// What a build leaves for the next one to reuse.
struct Caches {
    /// The page records (see [`crate::write::incremental`]).
    pages: PageStore,
    /// The context keys (see [`crate::write::contexts`]).
    contexts: ContextCache,
}

impl Run<'_> {
    /// Renders every page and writes every other file into the staging folder.
    fn write(&self, timings: &mut Timings) -> Result<Written> {
        let (site, staging) = (self.site, self.staging);
        let generated = generated_files(&site.config.model, &self.inputs.statics);
        let targets = timings.time("links", || {
            let statics = self.inputs.statics.iter().map(|f| f.rel.as_str());
            LinkTargets::new(site, statics.chain(generated.iter().map(|(name, _)| *name)))
        });
        let caches = match self.building {
            true => Some(timings.time("pages", || self.caches(&targets))?),
            false => None,
        };
        let store = caches.as_ref().map(|c| &c.pages);
        let memo = ViewMemo::new(&site.config, site.pages.len());
        let lineage = LineageGraph::of_site(site);
        let print = PrintPlan::new(site);
        let renderer = Renderer {
            site,
            templates: self.templates,
            targets: &targets,
            highlighter: self.highlighter,
            guard: self.guard,
            memo: &memo,
            lineage: &lineage,
            print: &print,
            has_search: self.templates.has("search.html"),
            contexts: caches.as_ref().map(|c| &c.contexts),
            citation: self.citation,
        };
        let search = Collector::new(site);
        let (mut problems, bodies_rendered) = self.render(&renderer, &search, store, timings)?;
        if let Some(caches) = caches.as_ref().filter(|c| c.pages.reusing()) {
            // Before the phases that list or replace written files (sitemap, search, static).
            timings.time("reuse", || staging.link_unchanged())?;
            caches.contexts.carry_over();
            self.highlighter.keep_loaded();
        }
        timings.time("static", || {
            copy_static(&self.inputs.statics, &generated, staging)
        })?;
        let (publish, published) = self.publish(&renderer, search, store, timings)?;
        problems.extend(published);
        Ok(Written {
            count: SiteCount::new(site.pages.len(), staging.files().iter().map(String::as_str)),
            bodies_rendered,
            publish,
            problems,
            caches,
        })
    }

    /// The caches of a build, reusing the previous build's when its site is still in the
    /// output folder: its page records if every input but the content is the same and so are
    /// the heading ids, citations and drafts (each record is keyed on its page's own text), its
    /// context keys if every input but the content is.
    fn caches(&self, targets: &LinkTargets) -> Result<Caches> {
        let mut frame = StableHasher::new();
        frame
            .u64(self.inputs.frame_fingerprint())
            .u64(u64::from(self.options.drafts));
        let frame = frame.finish();
        // What a body's links and citations resolve against; front matter is keyed per page.
        let mut key = StableHasher::new();
        key.u64(frame)
            .u64(targets.digest())
            .u64(self.site.citations.digest())
            .u64(self.site.drafts.len() as u64);
        for draft in &self.site.drafts {
            key.str(draft);
        }
        let previous = match self.staging.has_previous_site() {
            true => self.project.cache_file(PAGES_FILE),
            false => PathBuf::new(),
        };
        let pages = PageStore::new(
            self.staging,
            key.finish(),
            self.inputs.front_matter_fingerprint(),
            &previous,
            &bodies(self.site),
        )?;
        let contexts_file = self.project.cache_file(CONTEXTS_FILE);
        let contexts = ContextCache::take(&contexts_file, frame, self.staging);
        Ok(Caches { pages, contexts })
    }

    /// The render pass: every page of every language.
    fn render(
        &self,
        renderer: &Renderer<'_>,
        search: &Collector,
        store: Option<&PageStore>,
        timings: &mut Timings,
    ) -> Result<(Vec<Diagnostic>, usize)> {
        let jobs = crate::render::jobs(self.site);
        if let Some(progress) = &self.options.progress {
            progress.set_total(self.site.config.languages.len() * jobs.len());
        }
        let pass = pass::Pass {
            renderer,
            staging: self.staging,
            search,
            store,
            progress: self.options.progress.as_deref(),
            bodies_rendered: AtomicUsize::new(0),
        };
        let problems = timings.time("render", || pass.run(&jobs))?;
        timings.part("index", "render", search.cpu());
        Ok((problems, pass.bodies_rendered.into_inner()))
    }

    /// The search index and the publishing outputs, side by side (they write different files).
    fn publish(
        &self,
        renderer: &Renderer<'_>,
        search: Collector,
        store: Option<&PageStore>,
        timings: &mut Timings,
    ) -> Result<(PublishReport, Vec<Diagnostic>)> {
        let unchanged = |lang: &str| store.is_some_and(|s| s.unchanged(lang));
        let (searched, published) = timings.time_pair(
            ("search", || {
                // The index of a language with no change is left as the previous build wrote it.
                let indexes: Vec<_> = (search.finish(self.site).into_iter())
                    .filter(|index| !unchanged(&index.lang))
                    .collect();
                crate::outputs::search::write(self.site, &indexes, self.staging)
            }),
            ("publish", || {
                let publisher = publish::Publisher {
                    renderer,
                    staging: self.staging,
                    store,
                };
                publisher.publish()
            }),
        );
        searched?;
        published
    }
}

/// Commits the staging folder, then adopts the page cache and saves the context and highlight
/// caches (a failure is a warning: the caches only ever save time). Returns where the site is.
fn commit(
    project: &Project,
    staging: Staging,
    caches: Option<Caches>,
    highlighter: &Highlighter,
    timings: &mut Timings,
    warnings: &mut Diagnostics,
) -> Result<PathBuf> {
    let cache = project.cache_file(PAGES_FILE);
    let (store, contexts) = match caches {
        Some(Caches { pages, contexts }) => (Some(pages), Some(contexts)),
        None => (None, None),
    };
    let saved = store.map(|store| store.save(&cache)).transpose();
    // The highlight cache (content-addressed, complete once every page is rendered) is written
    // while the previous output is swapped out and removed.
    let highlight_cache = project.cache_file(CACHE_FILE);
    let (committed, highlights_saved) = rayon::join(
        || timings.time("commit", || staging.commit()),
        || highlighter.save(&highlight_cache),
    );
    let out = committed?;
    let mut warn = |file: PathBuf, what: &str, e: anyhow::Error| {
        let message = format!("{what} not saved: {e:#}");
        warnings.0.push(Diagnostic::warning(file, 0, 0, message));
    };
    if let Err(e) = saved.and_then(|pending| pending.map(|p| p.adopt()).transpose()) {
        let _ = std::fs::remove_file(&cache);
        warn(cache, "page cache", e);
    }
    if let Some(contexts) = contexts {
        let file = project.cache_file(CONTEXTS_FILE);
        if let Err(e) = contexts.save(&file, &out) {
            warn(file, "context cache", e);
        }
    }
    if let Err(e) = highlights_saved {
        warn(highlight_cache, "highlight cache", e);
    }
    Ok(out)
}

/// `findings`, with every warning made an error when `on` (`--strict`).
fn strict(mut findings: Vec<Diagnostic>, on: bool) -> Vec<Diagnostic> {
    if on {
        for d in findings.iter_mut().filter(|d| !d.is_error()) {
            d.severity = Severity::Error;
            d.push_note("`--strict` makes this warning an error");
        }
    }
    findings
}

/// The end of a pipeline that found problems, or of a check: a check reports everything it
/// found (`count` is what it would have written; nothing when it could not get as far as
/// rendering), a build fails with it, warnings too.
fn found(findings: Vec<Diagnostic>, out: Option<&Path>, count: SiteCount) -> Outcome<Ended> {
    let diagnostics = load::sorted(findings);
    match out {
        None => Ok(Ended::Found(CheckReport { diagnostics, count })),
        Some(_) => Err(Failure::Found(diagnostics)),
    }
}

/// The body key of every page in every language (see [`PageStore::new`]).
fn bodies(site: &crate::model::site::Site) -> Vec<LanguageBodies> {
    use rayon::prelude::*;
    site.config
        .language_codes()
        .map(|lang| {
            let pages = (site.pages.par_iter())
                .map(|page| {
                    (
                        page.source.clone(),
                        body_key(lang, page, site.default_lang()),
                    )
                })
                .collect();
            (lang.to_string(), pages)
        })
        .collect()
}

/// The files the build writes at the site root besides `static/`: the highlight stylesheet and
/// the stylesheet and scripts of [`crate::outputs::assets`], each unless `static/` has a file
/// of its name, which replaces it.
fn generated_files(
    model: &crate::model::schema::Model,
    statics: &[load::StaticFile],
) -> Vec<(&'static str, String)> {
    let stylesheet = (load::HIGHLIGHT_CSS, crate::markup::highlight::stylesheet());
    let shipped = (crate::outputs::assets::files(model).into_iter())
        .map(|(name, text)| (name, text.to_string()));
    std::iter::once(stylesheet)
        .chain(shipped)
        .filter(|(name, _)| !statics.iter().any(|f| f.rel == *name))
        .collect()
}

/// Copies `static/` into the site root and writes the generated files.
fn copy_static(
    statics: &[load::StaticFile],
    generated: &[(&str, String)],
    staging: &Staging,
) -> Result<usize> {
    for file in statics {
        staging.copy(&file.rel, &file.path)?;
    }
    for (name, text) in generated {
        staging.write(name, text.as_bytes())?;
    }
    Ok(statics.len() + generated.len())
}

/// What [`PageChecker::check`] made of a content file.
#[derive(Debug, Default)]
pub struct OnePage {
    /// Every diagnostic, printed as the CLI prints it.
    pub diagnostics: Vec<String>,
    /// The rendered body in each language (none when the page did not parse or derive).
    pub bodies: Vec<String>,
}

/// Runs everything the build does to one content file before the templates — front-matter
/// splitting and parsing through the declared schema, validation, site derivation and Markdown
/// rendering with link resolution in every language — for one site configuration. For fuzzing:
/// nothing here may panic or hang.
#[derive(Debug)]
pub struct PageChecker {
    config: crate::model::config::SiteConfig,
}

impl PageChecker {
    /// A checker for the site configured by `site_yaml`, or the configuration's problems.
    pub fn new(site_yaml: &str) -> Result<PageChecker, Diagnostics> {
        let config = crate::model::config::SiteConfig::parse("site.yaml", site_yaml)?;
        Ok(PageChecker { config })
    }

    /// What the build makes of `text` as the file `content/<dir>/<stem>.md`.
    pub fn check(&self, dir: &str, stem: &str, text: &str) -> OnePage {
        use crate::model::{page::SourceFile, parse, site::Site, validate};
        let mut out = OnePage::default();
        let rel = if dir.is_empty() {
            format!("{stem}.md")
        } else {
            format!("{dir}/{stem}.md")
        };
        let file = SourceFile {
            display: PathBuf::from(format!("content/{rel}")),
            rel,
            text: crate::base::frontmatter::strip_bom(text).into(),
        };
        let page = match parse::source(&file, dir, stem, &self.config) {
            Ok(page) => page,
            Err(flawed) => {
                out.diagnostics
                    .extend(flawed.problems.iter().map(ToString::to_string));
                return out;
            }
        };
        let today = crate::base::date::PartialDate::today();
        let found = validate::validate(std::slice::from_ref(&page), &self.config, today);
        out.diagnostics
            .extend(found.iter().map(ToString::to_string));
        let site = match Site::new(self.config.clone(), vec![page]) {
            Ok(site) => site,
            Err(problems) => {
                out.diagnostics
                    .extend(problems.iter().map(ToString::to_string));
                return out;
            }
        };
        let targets = LinkTargets::new(&site, []);
        let highlighter = Highlighter::default();
        // The one page, unless it is a draft (which the site leaves out).
        for page in site.pages.ids() {
            for lang in site.config.language_codes() {
                let (rendered, problems) =
                    crate::markup::links::render_body(&site, &targets, &highlighter, page, lang);
                out.diagnostics
                    .extend(problems.iter().map(ToString::to_string));
                out.bodies.push(rendered.html);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use walkdir::WalkDir;

    /// A new site (`medfm init`'s starter) in a temporary folder, and its output folder.
    fn starter() -> (tempfile::TempDir, Project, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        crate::commands::init::create(dir.path()).unwrap();
        let project = Project::new(dir.path());
        let out = dir.path().join("public");
        (dir, project, out)
    }

    /// Every file under `dir` with its bytes, by relative path.
    fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = (WalkDir::new(dir).into_iter().map(Result::unwrap))
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap();
                (rel.display().to_string(), std::fs::read(e.path()).unwrap())
            })
            .collect();
        files.sort();
        files
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = (std::fs::read_dir(dir).unwrap())
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// The diagnostics of a failed run, as printed.
    fn found<T: std::fmt::Debug>(outcome: Outcome<T>) -> Vec<String> {
        match outcome {
            Err(Failure::Found(found)) => found.0.iter().map(ToString::to_string).collect(),
            other => panic!("expected problems found, got {other:?}"),
        }
    }

    #[test]
    fn a_build_writes_the_site_and_the_caches_and_a_check_counts_the_same_writing_nothing() {
        let (dir, project, out) = starter();
        let before = names(dir.path());
        let checked = check_with(&project, BuildOptions::default()).unwrap();
        assert!(checked.diagnostics.0.is_empty(), "{}", checked.diagnostics);
        assert_eq!(names(dir.path()), before, "a check writes nothing");

        let report = build(&project, &out).unwrap();
        assert!(report.warnings.0.is_empty(), "{}", report.warnings);
        assert_eq!(report.out, out);
        assert_eq!(
            report.count, checked.count,
            "check counts what the build writes"
        );
        let written = files(&out);
        let html = written
            .iter()
            .filter(|(rel, _)| crate::write::staging::is_html(rel));
        assert_eq!(html.count(), report.count.html);
        assert!(written.iter().any(|(rel, _)| rel == "index.html"));
        assert!(project.cache_file(PAGES_FILE).is_file());
        assert!(project.cache_file(CONTEXTS_FILE).is_file());
        assert_eq!(report.unrendered, 0, "a first build renders every page");
        // Nothing is left beside the site: no staging or scratch folder.
        let beside: Vec<String> = (names(dir.path()).into_iter())
            .filter(|n| n.starts_with(".public"))
            .collect();
        assert!(beside.is_empty(), "{beside:?}");
    }

    #[test]
    fn an_unchanged_rebuild_links_every_page_and_writes_the_same_site() {
        let (_dir, project, out) = starter();
        build(&project, &out).unwrap();
        let first = files(&out);
        let again = build(&project, &out).unwrap();
        assert_eq!(again.unrendered, again.count.html);
        assert_eq!(files(&out), first);
    }

    #[test]
    fn a_failed_build_keeps_the_previous_site_and_reports_what_a_check_reports() {
        let (dir, project, out) = starter();
        build(&project, &out).unwrap();
        let site = files(&out);
        std::fs::write(dir.path().join("content/_index.md"), "---\ntitle: [\n---\n").unwrap();
        let built = found(build(&project, &out));
        assert!(built[0].starts_with("content/_index.md:"), "{built:?}");
        assert_eq!(files(&out), site, "the previous site is untouched");
        let checked = check_with(&project, BuildOptions::default()).unwrap();
        let checked: Vec<String> = checked
            .diagnostics
            .0
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(checked, built);
    }

    #[test]
    fn strict_makes_every_warning_an_error_with_a_note() {
        let findings = vec![
            Diagnostic::warning("a.md", 1, 1, "placeholder left in"),
            Diagnostic::error("b.md", 2, 1, "bad"),
        ];
        assert!(!strict(findings.clone(), false)[0].is_error());
        let strict = strict(findings, true);
        assert!(strict.iter().all(Diagnostic::is_error));
        assert!(strict[0]
            .to_string()
            .contains("`--strict` makes this warning an error"));
        assert!(!strict[1].to_string().contains("--strict"));
    }

    #[test]
    fn a_static_file_replaces_the_generated_file_of_its_name() {
        let (_dir, project, _) = starter();
        let text = std::fs::read_to_string(project.config_path()).unwrap();
        let config = crate::model::config::SiteConfig::parse("site.yaml", &text).unwrap();
        let all = generated_files(&config.model, &[]);
        let names: Vec<&str> = all.iter().map(|(name, _)| *name).collect();
        assert!(names.contains(&"highlight.css") && names.contains(&"medfm.css"));
        let own = load::StaticFile {
            rel: "medfm.css".into(),
            path: PathBuf::from("static/medfm.css"),
        };
        let kept = generated_files(&config.model, &[own]);
        assert_eq!(kept.len(), all.len() - 1);
        assert!(kept.iter().all(|(name, _)| *name != "medfm.css"));
    }

    #[test]
    fn supervised_work_returns_its_outcome_or_says_it_stopped() {
        assert_eq!(supervised(|_| Ok(7)).unwrap(), 7);
        let found = supervised::<()>(|_| Err(Failure::Found(Diagnostics(Vec::new()))));
        assert!(matches!(found, Err(Failure::Found(_))));
        let panicked = supervised::<()>(|_| panic!("a bug in a phase"));
        assert!(panicked
            .unwrap_err()
            .to_string()
            .contains("the build stopped without a result"));
    }
}
