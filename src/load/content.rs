//! Loads `content/`: walks the tree, reads files (no symlinks, size-capped), parses each page's
//! front matter and pairs pages with their translations. Parsing is pure; reading is a thin wrapper.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::base::diagnostic::{Diagnostic, Diagnostics};
use crate::base::frontmatter::{self, Split};
use crate::base::slug::is_valid_file_slug;
use crate::model::config::SiteConfig;
use crate::model::schema::{Layout, PageMeta, PageTranslation, WorkMeta, WorkTranslation};

/// Largest content file read, in bytes; larger files are an error rather than a slow build.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Folder (inside `content/`) whose pages are works.
pub const WORKS_DIR: &str = "models";

/// A raw file from `content/`, before parsing.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path inside `content/`, `/`-separated, e.g. `models/medsam.en.md`.
    pub rel: String,
    /// Path shown in diagnostics, e.g. `content/models/medsam.en.md`.
    pub display: PathBuf,
    /// Whole file text (BOM stripped), shared with the page texts made from it.
    pub text: Arc<str>,
}

/// A non-Markdown file inside `content/`, copied to the output as is.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path inside `content/`, `/`-separated.
    pub rel: String,
    /// Where it is on disk.
    pub path: PathBuf,
}

/// Everything read from `content/`.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Markdown files.
    pub files: Vec<SourceFile>,
    /// Other files.
    pub assets: Vec<Asset>,
}

/// The facts of a page: a work, or another kind of page.
#[derive(Debug, Clone)]
pub enum PageMetaKind {
    /// A work page under `content/models/`.
    Work(Box<WorkMeta>),
    /// Home, trend, outlook, about, …
    Section(PageMeta),
}

/// The text of a page in one language.
#[derive(Debug, Clone)]
pub struct PageText {
    /// The file this text came from (for diagnostics).
    pub file: PathBuf,
    /// Whole file text: the front matter, then the body (also quoted in diagnostics).
    pub file_text: Arc<str>,
    /// Title in this language.
    pub title: String,
    /// Expanded name (works only; may be empty).
    pub full_name: String,
    /// One-sentence summary.
    pub summary: String,
    /// Data scale text (works only).
    pub data_scale: String,
    /// Headline result (works only).
    pub headline: String,
    /// Discrepancy note (works only).
    pub discrepancy: String,
    /// Byte offset in `file_text` where the Markdown body starts.
    pub body_start: usize,
    /// 1-based file line where the body starts.
    pub body_line: usize,
}

impl PageText {
    /// The Markdown body: the file after its front matter.
    pub fn body(&self) -> &str {
        &self.file_text[self.body_start..]
    }

    /// The front matter: the file before its body.
    pub fn head(&self) -> &str {
        &self.file_text[..self.body_start]
    }
}

/// One page with its facts and its text per language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source path inside `content/` of the default-language file: the key of `@/…` links.
    pub source: String,
    /// Slug: the file stem (`medsam`), `index` for `_index.md`.
    pub slug: String,
    /// Output path relative to a language root, e.g. `models/medsam.html`.
    pub output: String,
    /// The facts.
    pub meta: PageMetaKind,
    /// Text per language code; the default language is always present.
    pub texts: BTreeMap<String, PageText>,
}

impl Page {
    /// The work facts, if this is a work page.
    pub fn work(&self) -> Option<&WorkMeta> {
        match &self.meta {
            PageMetaKind::Work(w) => Some(w),
            PageMetaKind::Section(_) => None,
        }
    }

    /// The layout of a non-work page.
    pub fn layout(&self) -> Option<Layout> {
        match &self.meta {
            PageMetaKind::Work(_) => None,
            PageMetaKind::Section(m) => Some(m.layout.unwrap_or(if self.slug == "index" {
                Layout::Home
            } else {
                Layout::Page
            })),
        }
    }

    /// The text in `lang`, falling back to the default language's.
    pub fn text<'a>(&'a self, lang: &str, default_lang: &str) -> &'a PageText {
        self.texts
            .get(lang)
            .unwrap_or_else(|| &self.texts[default_lang])
    }
}

/// Reads every file under `content_dir`. Symlinks, unreadable, oversized and non-UTF-8 files
/// are reported (all of them), never followed or half-read.
pub fn read_tree(root: &Path, content_dir: &Path) -> Result<Loaded, Diagnostics> {
    let mut loaded = Loaded::default();
    let mut problems = Vec::new();
    let mut markdown = Vec::new();
    let walker = WalkDir::new(content_dir)
        .follow_links(false)
        .sort_by_file_name();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| content_dir.to_path_buf());
                problems.push(Diagnostic::error(
                    display(root, &path),
                    0,
                    0,
                    format!("cannot read: {err}"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue;
        }
        if entry.path_is_symlink() {
            problems.push(
                Diagnostic::error(
                    display(root, path),
                    0,
                    0,
                    "symbolic links are not followed in content/",
                )
                .with_hint("copy the file into content/ instead of linking to it"),
            );
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_path(content_dir, path);
        if !name.ends_with(".md") {
            loaded.assets.push(Asset {
                rel,
                path: path.to_path_buf(),
            });
            continue;
        }
        markdown.push((rel, path.to_path_buf()));
    }
    // Reading (and checking UTF-8) in parallel; the walk's order is kept.
    let read: Vec<_> = markdown
        .into_par_iter()
        .map(|(rel, path)| {
            let text = read_text(&path).map(Arc::<str>::from);
            (rel, display(root, &path), text)
        })
        .collect();
    for (rel, display, text) in read {
        match text {
            Ok(text) => loaded.files.push(SourceFile { rel, display, text }),
            Err(message) => problems.push(Diagnostic::error(display, 0, 0, message)),
        }
    }
    if problems.is_empty() {
        Ok(loaded)
    } else {
        Err(Diagnostics(problems))
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    let size = fs::metadata(path)
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "file is {size} bytes; content files are limited to {} MiB",
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    let bytes = fs::read(path).map_err(|e| format!("cannot read: {e}"))?;
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            let bom = text.len() - frontmatter::strip_bom(&text).len();
            text.drain(..bom);
            Ok(text)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
            let (line, col) = crate::base::diagnostic::line_col(&valid, offset);
            Err(format!(
                "invalid UTF-8 at line {line}, column {col}: content files must be UTF-8"
            ))
        }
    }
}

fn rel_path(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn display(root: &Path, path: &Path) -> PathBuf {
    crate::base::diagnostic::display_path(root, path)
}

/// How a Markdown file's name is read: `medsam.md` → (`medsam`, None), `medsam.en.md` → (`medsam`, Some("en")).
fn name_parts<'a>(rel: &'a str, config: &SiteConfig) -> (&'a str, &'a str, Option<&'a str>) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    if let Some((base, lang)) = stem.rsplit_once('.') {
        if config.language_codes().skip(1).any(|c| c == lang) {
            return (dir, base, Some(lang));
        }
    }
    (dir, stem, None)
}

/// A content file after its front matter was parsed.
enum Parsed<'a> {
    /// A default-language page.
    Source(Result<Page, Diagnostic>),
    /// A translation into this language, parsed once its source page is known.
    Translation(&'a str),
}

/// Parses all files into pages, pairing translations. Every problem found is returned.
pub fn parse_pages(files: &[SourceFile], config: &SiteConfig) -> Result<Vec<Page>, Diagnostics> {
    let mut problems = Vec::new();
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    let mut outputs: BTreeMap<String, String> = BTreeMap::new();
    let mut translations = Vec::new();
    let mut failed_sources = std::collections::HashSet::new();
    // Front matter is parsed in parallel (sources first: a translation falls back on its
    // source's fields); pages are then put together in file order, so problems come out in a
    // stable order.
    let parsed: Vec<_> = files
        .par_iter()
        .map(|file| {
            let (dir, stem, lang) = name_parts(&file.rel, config);
            let parsed = match lang {
                Some(lang) => Parsed::Translation(lang),
                None => Parsed::Source(parse_source(file, dir, stem, config)),
            };
            (file, dir, stem, parsed)
        })
        .collect();
    for (file, dir, stem, parsed) in parsed {
        match parsed {
            Parsed::Translation(lang) => translations.push((file, dir, stem, lang)),
            Parsed::Source(Ok(page)) => {
                insert_page(&mut pages, &mut outputs, page, file, &mut problems)
            }
            Parsed::Source(Err(d)) => {
                failed_sources.insert(source_key(dir, stem));
                problems.push(d);
            }
        }
    }
    let translated: Vec<_> = translations
        .into_par_iter()
        .map(|(file, dir, stem, lang)| {
            let source = source_key(dir, stem);
            let text = pages
                .get(&source)
                .map(|page| parse_translation(file, page, config));
            (file, source, lang, text)
        })
        .collect();
    for (file, source, lang, text) in translated {
        match pages.get_mut(&source).zip(text) {
            Some((page, text)) => match text {
                Ok(text) => {
                    page.texts.insert(lang.to_string(), text);
                }
                Err(d) => problems.push(d),
            },
            None if failed_sources.contains(&source) => {}
            None => problems.push(
                Diagnostic::error(
                    &file.display,
                    1,
                    1,
                    format!("translation has no source page: content/{source} does not exist"),
                )
                .with_hint(
                    "a translation `x.en.md` needs the default-language page `x.md` beside it",
                ),
            ),
        }
    }
    if problems.is_empty() {
        Ok(pages.into_values().collect())
    } else {
        Err(Diagnostics(problems))
    }
}

fn source_key(dir: &str, stem: &str) -> String {
    if dir.is_empty() {
        format!("{stem}.md")
    } else {
        format!("{dir}/{stem}.md")
    }
}

fn insert_page(
    pages: &mut BTreeMap<String, Page>,
    outputs: &mut BTreeMap<String, String>,
    page: Page,
    file: &SourceFile,
    problems: &mut Vec<Diagnostic>,
) {
    if let Some(existing) = outputs.get(&page.output) {
        problems.push(
            Diagnostic::error(
                &file.display,
                1,
                1,
                format!("duplicate slug `{}`", page.slug),
            )
            .with_hint(format!(
                "content/{existing} already uses it; rename one of the files"
            )),
        );
        return;
    }
    outputs.insert(page.output.clone(), page.source.clone());
    pages.insert(page.source.clone(), page);
}

/// Parses one default-language file into a page.
pub fn parse_source(
    file: &SourceFile,
    dir: &str,
    stem: &str,
    config: &SiteConfig,
) -> Result<Page, Diagnostic> {
    let is_work = dir == WORKS_DIR || dir.starts_with("models/");
    if stem != "_index" && !is_valid_file_slug(stem) {
        return Err(
            Diagnostic::error(&file.display, 0, 0, format!("invalid slug `{stem}`")).with_hint(
                "file names use lower-case ASCII letters, digits and dashes, e.g. `med-sam.md`",
            ),
        );
    }
    let path = file.display.to_string_lossy();
    let split = frontmatter::split(&path, &file.text)?;
    let (meta, text) = if is_work {
        let meta: WorkMeta = frontmatter::parse(&path, &file.text, &split)?;
        let text = work_text(file, &split, &meta);
        (PageMetaKind::Work(Box::new(meta)), text)
    } else {
        let meta: PageMeta = frontmatter::parse(&path, &file.text, &split)?;
        let text = section_text(file, &split, &meta.title, &meta.summary);
        (PageMetaKind::Section(meta), text)
    };
    let slug = if stem == "_index" {
        "index".to_string()
    } else {
        stem.to_string()
    };
    let output = output_path(dir, &slug, is_work);
    let mut texts = BTreeMap::new();
    texts.insert(config.default_language.clone(), text);
    Ok(Page {
        source: source_key(dir, stem),
        slug,
        output,
        meta,
        texts,
    })
}

fn output_path(dir: &str, slug: &str, is_work: bool) -> String {
    match (is_work, dir) {
        (true, _) => format!("{WORKS_DIR}/{slug}.html"),
        (false, "") => format!("{slug}.html"),
        (false, dir) => format!("{dir}/{slug}.html"),
    }
}

fn blank_text(file: &SourceFile, split: &Split<'_>) -> PageText {
    PageText {
        file: file.display.clone(),
        file_text: Arc::clone(&file.text),
        title: String::new(),
        full_name: String::new(),
        summary: String::new(),
        data_scale: String::new(),
        headline: String::new(),
        discrepancy: String::new(),
        body_start: file.text.len() - split.body.len(),
        body_line: split.body_line,
    }
}

fn work_text(file: &SourceFile, split: &Split<'_>, meta: &WorkMeta) -> PageText {
    PageText {
        title: meta.title.clone(),
        full_name: meta.full_name.clone(),
        summary: meta.summary.clone(),
        data_scale: meta.data_scale.clone(),
        headline: meta.headline.clone(),
        discrepancy: meta.discrepancy.clone(),
        ..blank_text(file, split)
    }
}

fn section_text(file: &SourceFile, split: &Split<'_>, title: &str, summary: &str) -> PageText {
    PageText {
        title: title.to_string(),
        summary: summary.to_string(),
        ..blank_text(file, split)
    }
}

fn parse_translation(
    file: &SourceFile,
    page: &Page,
    config: &SiteConfig,
) -> Result<PageText, Diagnostic> {
    let path = file.display.to_string_lossy();
    let split = frontmatter::split(&path, &file.text)?;
    let base = &page.texts[&config.default_language];
    Ok(match &page.meta {
        PageMetaKind::Work(_) => {
            let t: WorkTranslation = frontmatter::parse(&path, &file.text, &split)?;
            PageText {
                title: t.title.unwrap_or_else(|| base.title.clone()),
                full_name: t.full_name.unwrap_or_else(|| base.full_name.clone()),
                summary: t.summary,
                data_scale: t.data_scale.unwrap_or_else(|| base.data_scale.clone()),
                headline: t.headline.unwrap_or_else(|| base.headline.clone()),
                discrepancy: t.discrepancy.unwrap_or_else(|| base.discrepancy.clone()),
                ..blank_text(file, &split)
            }
        }
        PageMetaKind::Section(_) => {
            let t: PageTranslation = frontmatter::parse(&path, &file.text, &split)?;
            section_text(file, &split, &t.title, &t.summary)
        }
    })
}
