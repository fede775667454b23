//! `medfm new <kind> <slug>`: writes a new work page and its translations from the front-matter
//! tables of [`crate::commands::schema`], every field present with a comment saying what it takes.
//! Required text is a `TODO` placeholder, which `medfm check` reports as a warning until it is
//! replaced, so a fresh page passes `check` and still shows what is left to do.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use walkdir::WalkDir;

use crate::base::slug::is_valid_file_slug;
use crate::build::Project;
use crate::commands::schema::{allowed, Field, FieldType, PAPER, WORK, WORK_TRANSLATION};
use crate::load::content::WORKS_DIR;
use crate::model::config::SiteConfig;
use crate::model::validate::{KIND_REQUIREMENTS, PLACEHOLDER};

/// Options of `medfm new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Kind of work: a key of the `kind` vocabulary in site.yaml (model, dataset, benchmark, …).
    pub kind: String,
    /// File name of the page without `.md`: lower-case letters, digits and dashes, e.g. `med-sam`.
    pub slug: String,
    /// Strand of the review (default: the first one, marked TODO in the file).
    #[arg(long)]
    pub strand: Option<String>,
    /// Sub-theme within the strand (default: the first one, marked TODO in the file).
    #[arg(long)]
    pub theme: Option<String>,
}

/// Runs `medfm new`: writes the page and its translations and says what to do next.
pub fn run(project: &Project, args: &NewArgs) -> Result<()> {
    let path = project.config_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config =
        SiteConfig::parse(crate::model::config::CONFIG_FILE, &text).map_err(anyhow::Error::new)?;
    let new = NewPage {
        kind: args.kind.clone(),
        slug: args.slug.clone(),
        strand: args.strand.clone(),
        theme: args.theme.clone(),
    };
    for file in create(project, &config, &new)? {
        println!("created {}", file.display());
    }
    println!(
        "next: fill in the fields (docs/front-matter.md explains each one), replace every {PLACEHOLDER},\n\
         preview with `medfm serve`, and run `medfm check` until it reports no errors and no warnings"
    );
    Ok(())
}

/// What to create.
#[derive(Debug, Clone)]
pub struct NewPage {
    /// A key of the `kind` vocabulary (`model`, `dataset`, …).
    pub kind: String,
    /// File name without `.md`.
    pub slug: String,
    /// The strand; default: the first of the vocabulary, marked `TODO`.
    pub strand: Option<String>,
    /// The theme; default: the first of the vocabulary, marked `TODO`.
    pub theme: Option<String>,
}

/// Checks the request against `config` and the existing pages, then writes the default-language
/// page and one translation per other language. Returns the files written (project-relative).
pub fn create(project: &Project, config: &SiteConfig, new: &NewPage) -> Result<Vec<PathBuf>> {
    check_term(config, "kind", &new.kind)?;
    for (vocab, value) in [("strand", &new.strand), ("theme", &new.theme)] {
        if let Some(v) = value {
            check_term(config, vocab, v)?;
        }
    }
    check_slug(&project.content_dir(), &new.slug)?;
    let dir = project.content_dir().join(WORKS_DIR);
    let mut files = vec![(dir.join(format!("{}.md", new.slug)), work_page(config, new))];
    for lang in config.language_codes().skip(1) {
        files.push((
            dir.join(format!("{}.{lang}.md", new.slug)),
            translation(lang),
        ));
    }
    for (path, _) in &files {
        if path.exists() {
            bail!("refusing to overwrite {}", path.display());
        }
    }
    let mut written = Vec::new();
    for (path, text) in &files {
        write_new(path, text)?;
        written.push(crate::base::diagnostic::display_path(&project.root, path));
    }
    Ok(written)
}

fn check_term(config: &SiteConfig, vocab: &str, value: &str) -> Result<()> {
    let Some(terms) = config.vocabularies.get(vocab) else {
        bail!("no vocabulary `{vocab}`")
    };
    if terms.contains_key(value) {
        return Ok(());
    }
    let keys: Vec<&str> = terms.keys().map(String::as_str).collect();
    let suggestion = crate::base::diagnostic::did_you_mean(value, keys.iter().copied())
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    bail!(
        "unknown {vocab} \"{value}\"{suggestion}; allowed: {}",
        keys.join(", ")
    )
}

/// Refuses invalid slugs and slugs already used by a work page (in any sub-folder).
pub fn check_slug(content_dir: &Path, slug: &str) -> Result<()> {
    if !is_valid_file_slug(slug) {
        bail!("invalid slug `{slug}`: use lower-case ASCII letters, digits and inner dashes, e.g. `med-sam`");
    }
    if slug == "index" {
        bail!("the slug `index` is reserved for the list of all works");
    }
    let works = content_dir.join(WORKS_DIR);
    let taken = WalkDir::new(&works)
        .into_iter()
        .filter_map(|e| e.ok())
        .find(|e| {
            let name = e.file_name().to_string_lossy();
            name.strip_suffix(".md").is_some_and(|stem| {
                stem == slug || stem.split_once('.').is_some_and(|(s, _)| s == slug)
            })
        });
    match taken {
        Some(entry) => bail!("slug `{slug}` is taken: {} exists", entry.path().display()),
        None => Ok(()),
    }
}

fn write_new(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {} (it must not exist yet)", path.display()))?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))
}

/// The default-language page: every work field, commented, then a body skeleton.
pub fn work_page(config: &SiteConfig, new: &NewPage) -> String {
    let required: &[&str] = KIND_REQUIREMENTS
        .iter()
        .find(|(k, _)| *k == new.kind)
        .map_or(&[], |(_, f)| f);
    let mut out = format!(
        "---\n# A new `{}` page, made by `medfm new`. Replace the placeholders: `medfm check` lists those left.\n\
         # Field reference: docs/front-matter.md (or `medfm schema`). Quote text containing \": \".\n",
        new.kind
    );
    for field in WORK {
        out.push('\n');
        out.push_str(&comment(config, field, required.contains(&field.name)));
        out.push_str(&value_line(
            config,
            field,
            new,
            required.contains(&field.name),
        ));
    }
    out.push_str("---\n\n");
    out.push_str(&body(&config.default_language));
    out
}

fn comment(config: &SiteConfig, field: &Field, kind_required: bool) -> String {
    let status = match (field.required, kind_required) {
        (true, _) => "Required.".to_string(),
        (false, true) => "Required for this kind.".to_string(),
        (false, false) => format!("Optional (default: {}).", field.default.replace('`', "")),
    };
    let mut text = format!("# {} {status}\n", field.about.replace('`', ""));
    if let FieldType::Term(_) | FieldType::Terms(_) = field.ty {
        let values = allowed(config, field.ty);
        let keys = values
            .split_once(": ")
            .map_or(values.as_str(), |(_, k)| k)
            .replace('`', "");
        text.push_str(&format!("# Allowed: {keys}\n"));
    }
    text
}

fn value_line(config: &SiteConfig, field: &Field, new: &NewPage, kind_required: bool) -> String {
    let name = field.name;
    match (field.name, field.ty) {
        ("kind", _) => format!("{name}: {}\n", new.kind),
        ("strand", _) => term_line(config, name, "strand", new.strand.as_deref()),
        ("theme", _) => term_line(config, name, "theme", new.theme.as_deref()),
        (_, FieldType::Paper) => {
            let mut s = format!("{name}:\n");
            for f in PAPER {
                s.push_str(&format!(
                    "  {}: {}  # {}\n",
                    f.name,
                    f.blank,
                    f.about.replace('`', "")
                ));
            }
            s
        }
        (_, FieldType::Links) => format!(
            "{name}: []\n# e.g.\n#   - label: GitHub\n#     url: https://github.com/owner/repo\n"
        ),
        _ if field.required || kind_required => format!("{name}: {PLACEHOLDER}\n"),
        _ => format!("{name}: {}\n", field.blank),
    }
}

/// A term given on the command line, or the vocabulary's first term marked as a placeholder.
fn term_line(config: &SiteConfig, name: &str, vocab: &str, given: Option<&str>) -> String {
    match given {
        Some(value) => format!("{name}: {value}\n"),
        None => {
            let first = config
                .vocabularies
                .get(vocab)
                .and_then(|v| v.keys().next())
                .map_or("", String::as_str);
            format!("{name}: {first}  # {PLACEHOLDER}: pick the right one from the list above\n")
        }
    }
}

/// A translation file: its required text as placeholders, the optional fields left empty.
pub fn translation(lang: &str) -> String {
    let mut out = format!(
        "---\n# The `{lang}` text of the page: translated text only, never facts. Replace the placeholders.\n\
         # Fields left empty show the default-language text.\n"
    );
    for field in WORK_TRANSLATION {
        let status = if field.required {
            "Required."
        } else {
            "Optional."
        };
        out.push_str(&format!("\n# {} {status}\n", field.about.replace('`', "")));
        let value = if field.required {
            PLACEHOLDER
        } else {
            field.blank
        };
        out.push_str(&format!(
            "{}:{}{value}\n",
            field.name,
            if value.is_empty() { "" } else { " " }
        ));
    }
    out.push_str("---\n\n");
    out.push_str(&body(lang));
    out
}

/// The body skeleton: the section headings every work page uses, in `lang`.
fn body(lang: &str) -> String {
    let (headings, first) = match lang {
        "zh" => (
            [
                "概述",
                "核心思路",
                "数据与规模",
                "主要结果",
                "在 2024 年脉络中的位置",
                "开放问题",
            ],
            "用两三句话说明这项工作是什么、解决什么问题。",
        ),
        _ => (
            [
                "Overview",
                "Key idea",
                "Data and scale",
                "Results",
                "Place in the 2024 story",
                "Open questions",
            ],
            "Two or three sentences: what the work is and which problem it solves.",
        ),
    };
    let mut out = String::new();
    for (i, h) in headings.iter().enumerate() {
        out.push_str(&format!("## {h}\n\n"));
        if i == 0 {
            out.push_str(&format!("{PLACEHOLDER}: {first}\n\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::content::{parse_source, SourceFile};

    fn config() -> SiteConfig {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.yaml")).unwrap();
        SiteConfig::parse("site.yaml", &text).unwrap()
    }

    #[test]
    fn scaffold_parses_with_every_field() {
        let config = config();
        for kind in config.vocabularies.kind.keys() {
            let new = NewPage {
                kind: kind.clone(),
                slug: "x".into(),
                strand: None,
                theme: None,
            };
            let text = work_page(&config, &new);
            let file = SourceFile {
                rel: "models/x.md".into(),
                display: "content/models/x.md".into(),
                text: text.as_str().into(),
            };
            let page = parse_source(&file, "models", "x", &config)
                .unwrap_or_else(|d| panic!("{d}\n{text}"));
            assert_eq!(page.work().unwrap().kind, *kind);
            for field in WORK {
                assert!(
                    text.contains(&format!("\n{}:", field.name)),
                    "{} missing",
                    field.name
                );
            }
        }
    }

    #[test]
    fn slugs_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("models")).unwrap();
        std::fs::write(dir.path().join("models/sam.en.md"), "").unwrap();
        assert!(check_slug(dir.path(), "new-model").is_ok());
        assert!(check_slug(dir.path(), "sam")
            .unwrap_err()
            .to_string()
            .contains("taken"));
        assert!(check_slug(dir.path(), "Med SAM")
            .unwrap_err()
            .to_string()
            .contains("invalid slug"));
        assert!(check_slug(dir.path(), "../x").is_err());
        assert!(check_slug(dir.path(), "index").is_err());
    }
}
