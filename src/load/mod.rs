//! Reading the project, once: `site.yaml`, the content tree, the templates, `CITATION.cff` and
//! the list of static files are read here and nowhere else, then parsed, validated and derived
//! into a [`Site`]. The fingerprint of what was read keys the page cache.

pub(crate) mod content;
pub(crate) mod templates;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use walkdir::WalkDir;

use crate::base::date::PartialDate;
use crate::base::diagnostic::{display_path, Diagnostic, Diagnostics};
use crate::base::failure::{Failure, Outcome};
use crate::base::hash::StableHasher;
use crate::base::timing::{timed, Timings};
use crate::model::bibliography::Bibliography;
use crate::model::citation::{Citation, CITATION_FILE};
use crate::model::config::{SiteConfig, CONFIG_FILE};
use crate::model::site::Site;
use crate::model::{parse, validate};
use crate::templates::{TemplateSource, Templates};
use content::ContentTree;

/// Folder of the build caches inside the project (safe to delete).
pub(crate) const CACHE_DIR: &str = ".medfm-cache";

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

    /// `CITATION.cff`.
    pub fn citation_path(&self) -> PathBuf {
        self.root.join(CITATION_FILE)
    }

    /// A file of the build cache folder, `.medfm-cache/<name>`.
    pub fn cache_file(&self, name: &str) -> PathBuf {
        self.root.join(CACHE_DIR).join(name)
    }

    /// Source folders an output must never overlap.
    pub fn protected(&self) -> Vec<PathBuf> {
        vec![self.content_dir(), self.templates_dir(), self.static_dir()]
    }
}

/// A file of `static/`, copied to the site root.
#[derive(Debug, Clone)]
pub(crate) struct StaticFile {
    /// Path inside `static/` (and the site), `/`-separated.
    pub(crate) rel: String,
    /// Where it is on disk.
    pub(crate) path: PathBuf,
}

/// Everything a build reads from the project, read once.
#[derive(Debug)]
pub(crate) struct Inputs {
    /// The text of `site.yaml`.
    pub(crate) config_text: String,
    /// The content files.
    pub(crate) content: ContentTree,
    /// The templates' sources.
    pub(crate) templates: Result<Vec<TemplateSource>, Vec<Diagnostic>>,
    /// `CITATION.cff` (shown path and text), if the project has one.
    pub(crate) citation: Option<(String, String)>,
    /// The bibliography files `site.yaml` declares (path from the root, text).
    pub(crate) bibliography: Vec<(String, String)>,
    /// The files of `static/`, sorted.
    pub(crate) statics: Vec<StaticFile>,
    /// The text of `static/highlight.css`, when the site replaces the generated stylesheet
    /// with its own: highlighted code keeps the classes it selects.
    pub(crate) highlight_css: Option<String>,
}

/// The stylesheet of highlighted code, generated unless `static/` has its own.
pub(crate) const HIGHLIGHT_CSS: &str = "highlight.css";

/// Reads the project. `Err` for what stops everything: an unreadable `site.yaml` or folder
/// ([`Failure::Other`], with context), or content files that cannot be read ([`Failure::Found`]).
pub(crate) fn read(project: &Project) -> Outcome<Inputs> {
    let config_text = config_text(project)?;
    let (content, templates) = rayon::join(
        || content::read_tree(&project.root, &project.content_dir()),
        || templates::read(&project.root, &project.templates_dir()),
    );
    let content = content.map_err(Failure::Found)?;
    let citation = match std::fs::read_to_string(project.citation_path()) {
        Ok(text) => Some((CITATION_FILE.to_string(), text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            let err = anyhow::Error::new(e).context(format!("reading {CITATION_FILE}"));
            return Err(err.into());
        }
    };
    let bibliography = read_bibliography(&project.root, &config_text)?;
    let statics = static_files(&project.root, &project.static_dir())?;
    let highlight_css = match statics.iter().find(|f| f.rel == HIGHLIGHT_CSS) {
        Some(own) => Some(
            std::fs::read_to_string(&own.path)
                .with_context(|| format!("reading {}", own.path.display()))?,
        ),
        None => None,
    };
    Ok(Inputs {
        bibliography,
        config_text,
        content,
        templates,
        citation,
        statics,
        highlight_css,
    })
}

/// The bibliography files `config_text` declares, read from `root`.
fn read_bibliography(root: &Path, config_text: &str) -> Result<Vec<(String, String)>> {
    let files = crate::model::bibliography::bibliography_files(config_text);
    (files.into_iter())
        .map(|rel| {
            let path = root.join(&rel);
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading the bibliography file {}", path.display()))?;
            Ok((rel, text))
        })
        .collect()
}

fn static_files(root: &Path, dir: &Path) -> Result<Vec<StaticFile>> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    if !dir.is_dir() {
        return Ok(files);
    }
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = entry.with_context(|| format!("reading {}", dir.display()))?;
        if let Some(problem) = content::not_a_plain_file(root, &entry, "static/") {
            problems.push(problem);
        } else if entry.file_type().is_file() {
            files.push(StaticFile {
                rel: content::rel_path(dir, entry.path()),
                path: entry.path().to_path_buf(),
            });
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Diagnostics(problems).into())
    }
}

impl Inputs {
    /// A key of everything read except the content, and of the medfm binary itself: two builds
    /// with the same key differ at most in `content/` (see [`crate::write::contexts`]).
    pub(crate) fn frame_fingerprint(&self) -> u64 {
        let mut h = StableHasher::new();
        if let Ok(exe) = std::env::current_exe() {
            h.str(&exe.to_string_lossy());
            if let Ok(meta) = std::fs::metadata(&exe) {
                h.u64(meta.len());
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
                h.u64(modified.map_or(0, |d| d.as_secs()));
                h.u64(modified.map_or(0, |d| u64::from(d.subsec_nanos())));
            }
        }
        h.str(&self.config_text);
        match &self.templates {
            Ok(files) => {
                for (name, text) in files {
                    h.str(name).str(text);
                }
            }
            Err(_) => {
                h.str("templates unreadable");
            }
        }
        if let Some((_, text)) = &self.citation {
            h.str(text);
        }
        for (path, text) in &self.bibliography {
            h.str(path).str(text);
        }
        h.u64(self.statics.len() as u64);
        for file in &self.statics {
            h.str(&file.rel);
        }
        // A site's own highlight stylesheet decides what highlighted bodies keep.
        h.str(self.highlight_css.as_deref().unwrap_or(""));
        h.finish()
    }

    /// A key of the content files' names and front matter: with the same
    /// [`Self::frame_fingerprint`], two builds with the same key differ at most in page bodies
    /// (see [`crate::write::incremental`]).
    pub(crate) fn front_matter_fingerprint(&self) -> u64 {
        let mut h = StableHasher::new();
        for file in &self.content.files {
            h.str(&file.rel);
            // The front matter: the file without its body.
            let text = &file.text;
            let head = crate::base::frontmatter::split("", text)
                .map_or(&text[..], |s| &text[..text.len() - s.body.len()]);
            h.str(head);
        }
        h.finish()
    }
}

/// What loading found: the site (unless it could not be derived), the parsed templates and
/// citation (unless they have errors), and every finding, errors and warnings.
#[derive(Debug)]
pub(crate) struct Loaded {
    /// The derived site.
    pub(crate) site: Option<Site>,
    /// The templates, parsed.
    pub(crate) templates: Option<Templates>,
    /// The site's own citation.
    pub(crate) citation: Option<Citation>,
    /// Every problem found, in no particular order.
    pub(crate) findings: Vec<Diagnostic>,
}

/// Parses, validates and derives what was read, as far as the content allows (the templates
/// are parsed while the content is): content that cannot be parsed leaves no site, only its
/// findings.
pub(crate) fn load(
    project: &Project,
    inputs: &Inputs,
    drafts_built: bool,
    timings: &mut Timings,
) -> Loaded {
    let templates_dir = display_path(&project.root, &project.templates_dir());
    let ((templates, templates_time), (site, mut findings)) = rayon::join(
        || {
            timed("templates", || match &inputs.templates {
                Ok(files) => Templates::load(&templates_dir, files),
                Err(problems) => Err(problems.clone()),
            })
        },
        || load_content(inputs, drafts_built, timings),
    );
    timings.0.insert(0, templates_time);
    let templates = templates.map_err(|problems| findings.extend(problems)).ok();
    findings.extend(untranslated_texts(&inputs.config_text));
    let citation = match &inputs.citation {
        Some((path, text)) => Citation::parse(path, text)
            .map_err(|d| findings.push(d))
            .ok(),
        None => None,
    };
    Loaded {
        site,
        templates,
        citation,
        findings,
    }
}

/// The texts of `site.yaml` that `medfm lang add` copied and nobody translated yet, in every
/// language but the default (read from the raw text: they are marked by a comment).
fn untranslated_texts(text: &str) -> Vec<Diagnostic> {
    #[derive(serde::Deserialize)]
    struct Codes {
        #[serde(default)]
        languages: Vec<Code>,
    }
    #[derive(serde::Deserialize)]
    struct Code {
        code: String,
    }
    let codes: Vec<String> = serde_yaml::from_str::<Codes>(text)
        .map(|c| c.languages.into_iter().skip(1).map(|l| l.code).collect())
        .unwrap_or_default();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    crate::model::languages::untranslated(CONFIG_FILE, text, &codes)
}

fn load_content(
    inputs: &Inputs,
    drafts_built: bool,
    timings: &mut Timings,
) -> (Option<Site>, Vec<Diagnostic>) {
    let config = match timings.time("config", || {
        SiteConfig::parse(CONFIG_FILE, &inputs.config_text)
    }) {
        Ok(config) => config,
        Err(problems) => return (None, problems.0),
    };
    let parsed = timings.time("parse", || parse::all_pages(&inputs.content.files, &config));
    // The pages that parsed are checked even when others did not, so every problem of every
    // file comes out in one run; but a site is derived only from all of them.
    let mut findings = timings.time("validate", || {
        let today = PartialDate::today();
        let beside = validate::Beside {
            failed: &parsed.failed_entries,
            flawed: &parsed.flawed,
            unread: &parsed.unread,
            drafts_built,
        };
        validate::validate_beside(&parsed.pages, &beside, &config, today)
    });
    if !parsed.problems.is_empty() {
        findings.extend(parsed.problems);
        return (None, findings);
    }
    match timings.time("derive", || {
        Site::with_drafts(config, parsed.pages, drafts_built)
    }) {
        Ok(mut site) => {
            findings.extend(timings.time("citations", || {
                let (bib, mut problems) = Bibliography::parse(&inputs.bibliography);
                let (citations, found) = crate::model::references::resolve(&site, bib);
                site.citations = citations;
                problems.extend(found);
                problems
            }));
            (Some(site), findings)
        }
        Err(problems) => {
            findings.extend(problems);
            (None, findings)
        }
    }
}

/// The text of `site.yaml`; when there is none, an error saying how to start a project or
/// name one.
fn config_text(project: &Project) -> anyhow::Result<String> {
    let path = project.config_path();
    match std::fs::read_to_string(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => anyhow::bail!(
            "no {CONFIG_FILE} in `{}`: this folder is not a medfm project\n  \
             = help: run `medfm init` to start a new site here, or `medfm --root <folder> …` \
             to work on the site whose {CONFIG_FILE} is in <folder>",
            project.root.display()
        ),
        read => read.with_context(|| format!("reading {}", path.display())),
    }
}

/// Reads and parses `site.yaml` alone (for commands that need only the configuration).
pub(crate) fn config(project: &Project) -> Outcome<SiteConfig> {
    let text = config_text(project)?;
    SiteConfig::parse(CONFIG_FILE, &text).map_err(|d| Failure::Found(sorted(d.0)))
}

/// `list` as sorted [`Diagnostics`].
pub(crate) fn sorted(list: Vec<Diagnostic>) -> Diagnostics {
    let mut d = Diagnostics(list);
    d.sort();
    d
}

/// The real site of this repository, loaded (not built), with its templates: for unit tests of
/// the layers above.
#[cfg(test)]
pub(crate) fn real_site() -> (Site, Templates) {
    let project = Project::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = read(&project).expect("the real project reads");
    let loaded = load(&project, &inputs, false, &mut Timings::default());
    let errors: Vec<&Diagnostic> = loaded.findings.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "the real site has errors: {errors:?}");
    (
        loaded.site.expect("the real site derives"),
        loaded.templates.expect("the real templates parse"),
    )
}
