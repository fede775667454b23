//! The build pipeline, as named phases: load the project (config, templates, content), check it,
//! derive the site, then render everything into a staging folder and swap it into place.

pub mod publish;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::load::content;
use crate::markup::links::LinkTargets;
use crate::model::config::{SiteConfig, CONFIG_FILE};
use crate::model::schema::PartialDate;
use crate::model::site::Site;
use crate::model::validate;
use crate::render;
use crate::write::staging::Staging;

/// The folders and files of a project.
#[derive(Debug, Clone)]
pub struct Project {
    /// Project root (holds `site.yaml`).
    pub root: PathBuf,
}

impl Project {
    /// A project rooted at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Project { root: root.into() }
    }

    /// `content/`.
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }

    /// `templates/`.
    pub fn templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }

    /// `static/`.
    pub fn static_dir(&self) -> PathBuf {
        self.root.join("static")
    }

    /// `site.yaml`.
    pub fn config_path(&self) -> PathBuf {
        self.root.join(CONFIG_FILE)
    }

    /// The highlight cache, `.medfm-cache/highlight.bin` (only ever saves time; safe to delete).
    pub fn highlight_cache(&self) -> PathBuf {
        self.root
            .join(crate::markup::highlight::CACHE_DIR)
            .join(crate::markup::highlight::CACHE_FILE)
    }

    /// The page cache, `.medfm-cache/pages.bin` (see [`crate::write::incremental`]).
    pub fn page_cache(&self) -> PathBuf {
        self.root
            .join(crate::markup::highlight::CACHE_DIR)
            .join(crate::write::incremental::PAGES_FILE)
    }

    /// Source folders an output must never overlap.
    pub fn protected(&self) -> Vec<PathBuf> {
        vec![self.content_dir(), self.templates_dir(), self.static_dir()]
    }
}

/// Time spent in each phase of a build.
#[derive(Debug, Default, Clone)]
pub struct Timings(pub Vec<PhaseTiming>);

/// One phase of a build: how long it took and the process's peak memory when it ended.
#[derive(Debug, Clone)]
pub struct PhaseTiming {
    /// Phase name, as `--timings` prints it.
    pub name: &'static str,
    /// Wall time of the phase.
    pub elapsed: Duration,
    /// Peak resident memory of the process so far, in KiB (where the platform reports it).
    pub peak_kib: Option<u64>,
}

impl Timings {
    fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let (out, timing) = timed(name, f);
        self.0.push(timing);
        out
    }

    /// Runs two independent phases side by side (on the thread pool) and times each.
    fn time_pair<A: Send, B: Send>(
        &mut self,
        (name_a, a): (&'static str, impl FnOnce() -> A + Send),
        (name_b, b): (&'static str, impl FnOnce() -> B + Send),
    ) -> (A, B) {
        let ((out_a, timing_a), (out_b, timing_b)) =
            rayon::join(|| timed(name_a, a), || timed(name_b, b));
        self.0.extend([timing_a, timing_b]);
        (out_a, out_b)
    }
}

/// Runs phase `name` and measures it.
fn timed<T>(name: &'static str, f: impl FnOnce() -> T) -> (T, PhaseTiming) {
    let start = Instant::now();
    let out = f();
    let timing = PhaseTiming {
        name,
        elapsed: start.elapsed(),
        peak_kib: peak_memory_kib(),
    };
    (out, timing)
}

/// The process's peak resident set size (`VmHWM` in `/proc/self/status`), where there is one.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// What a finished build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages rendered (all languages).
    pub pages: usize,
    /// Warnings found on the way.
    pub warnings: Diagnostics,
    /// Where the site was written.
    pub out: PathBuf,
    /// Phase timings.
    pub timings: Timings,
    /// What the publishing phase wrote (feeds, exports, citations, sitemap).
    pub publish: crate::build::publish::PublishReport,
}

/// Loads and checks everything; returns the site and its warnings, or every error found.
pub fn load(project: &Project, timings: &mut Timings) -> Result<(Site, Diagnostics)> {
    let (site, findings) = load_all(project, timings)?;
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        findings.into_iter().partition(Diagnostic::is_error);
    fail_on(errors)?;
    let site = site.context("the site could not be derived")?;
    Ok((site, sorted(warnings)))
}

/// Loads and checks as far as the content allows: the derived site (unless deriving it failed)
/// and every finding, errors and warnings. Unreadable or unparsable files stop it early with
/// `Err` (a [`Diagnostics`] for content problems).
pub fn load_all(
    project: &Project,
    timings: &mut Timings,
) -> Result<(Option<Site>, Vec<Diagnostic>)> {
    let config = timings.time("config", || load_config(project))?;
    let loaded = timings
        .time("read", || {
            content::read_tree(&project.root, &project.content_dir())
        })
        .map_err(anyhow::Error::new)?;
    let pages = timings
        .time("parse", || content::parse_pages(&loaded.files, &config))
        .map_err(anyhow::Error::new)?;
    let mut findings = timings.time("validate", || validate::validate(&pages, &config, today()));
    match timings.time("derive", || Site::new(config, pages)) {
        Ok(site) => Ok((Some(site), findings)),
        Err(problems) => {
            findings.extend(problems);
            Ok((None, findings))
        }
    }
}

fn load_config(project: &Project) -> Result<SiteConfig> {
    let path = project.config_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    SiteConfig::parse(CONFIG_FILE, &text).map_err(anyhow::Error::new)
}

fn sorted(list: Vec<Diagnostic>) -> Diagnostics {
    let mut d = Diagnostics(list);
    d.sort();
    d
}

fn fail_on(errors: Vec<Diagnostic>) -> Result<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(anyhow::Error::new(sorted(errors)))
    }
}

/// Builds the project into `out`. Nothing is written unless every page renders without error.
pub fn build(project: &Project, out: &Path) -> Result<BuildReport> {
    build_with(project, out, BuildOptions::default())
}

/// How a build runs, besides where it writes.
#[derive(Debug, Default)]
pub struct BuildOptions {
    /// Counts rendered pages (which a progress bar may draw).
    pub progress: Option<std::sync::Arc<crate::commands::progress::Progress>>,
    /// Reuse the files of the site in this folder instead of the output folder's (see
    /// [`Staging::reuse_from`]).
    pub reuse_from: Option<PathBuf>,
}

/// [`build`], with `options`.
pub fn build_with(project: &Project, out: &Path, options: BuildOptions) -> Result<BuildReport> {
    let mut timings = Timings::default();
    // The templates are parsed while the content loads.
    let ((tera, templates), loaded) = rayon::join(
        || {
            timed("templates", || {
                render::load_templates(&project.root, &project.templates_dir())
            })
        },
        || load(project, &mut timings),
    );
    timings.0.insert(0, templates);
    let (site, mut warnings) = loaded?;
    let tera = tera.map_err(|d| anyhow::Error::new(sorted(d)))?;
    site.highlighter
        .load_on_first_use(&project.highlight_cache());
    let mut staging = Staging::begin(out, &project.root, &project.protected())?;
    if let Some(dir) = &options.reuse_from {
        staging = staging.reuse_from(dir)?;
    }
    site.template_guard.set_cleanup(vec![
        staging.dir().to_path_buf(),
        staging.scratch_dir().to_path_buf(),
    ]);
    if let Some(progress) = options.progress {
        progress.set_total(crate::commands::progress::estimate(&site));
        site.template_guard.count_into(progress);
    }
    let search = crate::outputs::search::Collector::new(&site);
    let print = crate::render::print::PrintPlan::new(&site);
    let targets = timings.time("links", || LinkTargets::new(&site, &project.static_dir()))?;
    let store = timings.time("pages", || {
        let key = crate::write::incremental::site_key(project, &site, &targets);
        let previous = if staging.has_previous_site() {
            project.page_cache()
        } else {
            PathBuf::new()
        };
        crate::write::incremental::PageStore::new(&staging, &site, key, &previous)
    })?;
    let (pages, problems) = timings.time("render", || {
        render::render_site(&site, &targets, &tera, &staging, &search, &print, &store)
    })?;
    fail_on(problems)?;
    if store.reusing() {
        // Before the phases that list or replace written files (sitemap, search, static).
        timings.time("reuse", || staging.link_unchanged())?;
        site.highlighter.keep_loaded();
    }
    timings.time("static", || {
        render::copy_static(&project.root, &project.static_dir(), &staging)
    })?;
    // The search index and the publishing outputs are written to different files.
    let (searched, published) = timings.time_pair(
        ("search", || {
            // The index of a language with no change is left as the previous build wrote it.
            let indexes: Vec<_> = (search.finish().into_iter())
                .filter(|index| !store.unchanged(&index.lang))
                .collect();
            crate::outputs::search::write(&site, &indexes, &staging)
        }),
        ("publish", || {
            crate::build::publish::publish(&site, &tera, &staging, &project.root, &print, &store)
        }),
    );
    searched?;
    let (publish, problems) = published?;
    fail_on(problems)?;
    let cache = project.page_cache();
    let saved = store.save(&cache);
    // The highlight cache (content-addressed, complete once every page is rendered) is written
    // while the previous output is swapped out and removed.
    let (committed, highlights_saved) = rayon::join(
        || timings.time("commit", || staging.commit()),
        || site.highlighter.save(&project.highlight_cache()),
    );
    let out = committed?;
    if let Err(e) = saved.and_then(crate::write::incremental::PendingCache::adopt) {
        let _ = std::fs::remove_file(&cache);
        warnings.0.push(Diagnostic::warning(
            cache,
            0,
            0,
            format!("page cache not saved: {e:#}"),
        ));
    }
    if let Err(e) = highlights_saved {
        warnings.0.push(Diagnostic::warning(
            project.highlight_cache(),
            0,
            0,
            format!("highlight cache not saved: {e:#}"),
        ));
    }
    Ok(BuildReport {
        pages: pages + publish.pages,
        warnings,
        out,
        timings,
        publish,
    })
}

/// Today's date (UTC), the bound for `date` fields.
pub fn today() -> PartialDate {
    let today = time::OffsetDateTime::now_utc().date();
    PartialDate {
        year: u16::try_from(today.year()).unwrap_or(u16::MAX),
        month: Some(u8::from(today.month())),
        day: Some(today.day()),
    }
}
