//! `medfm new <kind> <slug>`: writes a new entry page and its translations from the declared
//! schema of the collection whose kind vocabulary has `<kind>`: every field present with a
//! comment saying what it takes. Term fields can be set on the command line (`--strand
//! modality-specific`). Every field a page must fill gets a stand-in of its type (text `TODO`, a
//! number `0`, the first term of a vocabulary, this month for a date…) marked `# TODO`, which
//! `medfm check` reports as a warning until it is replaced: a fresh page builds, and still shows
//! what is left to do.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use walkdir::WalkDir;

use crate::base::date::PartialDate;
use crate::base::diagnostic::did_you_mean;
use crate::base::failure::Outcome;
use crate::base::slug::is_valid_file_slug;
use crate::commands::schema::{allowed, default_of};
use crate::load::Project;
use crate::model::config::SiteConfig;
use crate::model::id::{CollectionId, FieldId};
use crate::model::schema::{Collection, Field, FieldType};
use crate::model::validate::PLACEHOLDER;

/// Options of `medfm new`.
#[derive(Debug, clap::Args)]
pub(crate) struct NewArgs {
    /// Kind of entry: a key of a collection's kind vocabulary in site.yaml (e.g. model, dataset).
    pub(crate) kind: String,
    /// File name of the page without `.md`: lower-case letters, digits and dashes, e.g. `med-sam`.
    pub(crate) slug: String,
    /// Term fields to fill in, as `--<field> <key>` pairs, e.g. `--strand modality-specific
    /// --theme ct`; a required term left out gets the vocabulary's first key, marked TODO.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "--FIELD KEY"
    )]
    pub(crate) fields: Vec<String>,
}

/// Runs `medfm new`: writes the page and its translations and says what to do next.
pub(crate) fn run(project: &Project, args: &NewArgs) -> Outcome<()> {
    let config = crate::load::config(project)?;
    let new = NewPage {
        kind: args.kind.clone(),
        slug: args.slug.clone(),
        fields: field_pairs(&args.fields)?,
    };
    for file in create(project, &config, &new)? {
        println!("created {}", file.display());
    }
    for warning in missing_scaffolds(&config, collection_of_kind(&config, &new.kind)?) {
        eprintln!("warning: {warning}");
    }
    println!(
        "next: fill in the fields (`medfm schema` describes each one), replace every {PLACEHOLDER},\n\
         preview with `medfm serve`, and run `medfm check` until it reports no errors and no warnings"
    );
    Ok(())
}

/// `--strand x --theme y` as (`strand`, `x`), (`theme`, `y`).
fn field_pairs(args: &[String]) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        let Some(name) = flag.strip_prefix("--") else {
            bail!("expected `--<field> <key>`, found `{flag}`");
        };
        let (name, value) = match name.split_once('=') {
            Some((n, v)) => (n.to_string(), v.to_string()),
            None => match rest.next() {
                Some(v) => (name.to_string(), v.clone()),
                None => bail!("`--{name}` needs a value"),
            },
        };
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// What to create.
#[derive(Debug, Clone)]
pub(crate) struct NewPage {
    /// A key of a collection's kind vocabulary (`model`, `dataset`, …).
    pub(crate) kind: String,
    /// File name without `.md`.
    pub(crate) slug: String,
    /// Term fields given on the command line: (field, key).
    pub(crate) fields: Vec<(String, String)>,
}

/// The collection whose kind vocabulary holds `kind`.
fn collection_of_kind<'a>(config: &'a SiteConfig, kind: &str) -> Result<&'a Collection> {
    let mut kinds: Vec<&str> = Vec::new();
    for c in &config.model.collections {
        let Some(k) = c.roles.kind else { continue };
        let field = &c.schema.fields[k];
        if let Some(vocab) = field
            .vocabulary
            .as_ref()
            .and_then(|v| config.vocabularies.get(v))
        {
            if vocab.contains_key(kind) {
                return Ok(c);
            }
            kinds.extend(vocab.keys().map(String::as_str));
        }
    }
    if kinds.is_empty() {
        bail!("no collection in site.yaml declares a `kind` field, so `medfm new` cannot tell where a page goes");
    }
    let suggestion = did_you_mean(kind, kinds.iter().copied())
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    bail!(
        "unknown kind \"{kind}\"{suggestion}; allowed: {}",
        kinds.join(", ")
    )
}

/// Checks the request against `config` and the existing pages, then writes the default-language
/// page and one translation per other language. Returns the files written (project-relative).
pub(crate) fn create(
    project: &Project,
    config: &SiteConfig,
    new: &NewPage,
) -> Result<Vec<PathBuf>> {
    let collection = collection_of_kind(config, &new.kind)?;
    for (name, value) in &new.fields {
        check_field(config, collection, name, value)?;
    }
    let dir = project.content_dir().join(&collection.folder);
    check_slug(&dir, &new.slug)?;
    let first = first_entries(project, config);
    let mut files = vec![(
        dir.join(format!("{}.md", new.slug)),
        entry_page(config, collection, new, &first),
    )];
    for lang in config.language_codes().skip(1) {
        files.push((
            dir.join(format!("{}.{lang}.md", new.slug)),
            translation(collection, lang),
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

/// The first entry (by slug) of each collection that has one: the stand-in of a required
/// reference.
pub(crate) fn first_entries(
    project: &Project,
    config: &SiteConfig,
) -> BTreeMap<CollectionId, String> {
    let mut first = BTreeMap::new();
    for (id, c) in config.model.collections.iter().enumerate() {
        let slugs = WalkDir::new(project.content_dir().join(&c.folder))
            .into_iter()
            .filter_map(Result::ok)
            .filter_map(|e| {
                let name = e.file_name().to_str()?.strip_suffix(".md")?.to_string();
                (!name.contains('.') && name != "index" && e.file_type().is_file()).then_some(name)
            });
        if let Some(slug) = slugs.min() {
            first.insert(crate::model::id::Id::new(id), slug);
        }
    }
    first
}

/// The languages whose page `medfm new` writes without a body skeleton, because the collection
/// declares no `scaffold` in that language: one warning each, naming the key to add.
pub(crate) fn missing_scaffolds(config: &SiteConfig, c: &Collection) -> Vec<String> {
    (config.language_codes())
        .filter(|lang| !c.scaffold.contains_key(*lang))
        .map(|lang| {
            format!(
                "no `{lang}` body skeleton: the `{lang}` page has no section headings; \
                 add them to site.yaml under `collections.{}.scaffold.{lang}`",
                c.name
            )
        })
        .collect()
}

/// A field given on the command line must be a term field, and its key a term of its vocabulary.
fn check_field(config: &SiteConfig, c: &Collection, name: &str, value: &str) -> Result<()> {
    let terms: Vec<&str> = (c.schema.fields.iter())
        .filter(|f| f.ty == FieldType::Term && f.vocabulary.is_some())
        .map(|f| f.name.as_str())
        .collect();
    let Some(field) = c
        .schema
        .field(name)
        .filter(|f| terms.contains(&f.name.as_str()))
    else {
        let hint = did_you_mean(name, terms.iter().copied())
            .map(|s| format!(" (did you mean `--{s}`?)"))
            .unwrap_or_default();
        bail!(
            "`--{name}` is not a term field of `{}`{hint}; term fields: {}",
            c.name,
            terms.join(", ")
        );
    };
    let vocab_name = field.vocabulary.as_deref().unwrap_or_default();
    let keys: Vec<&str> = (config.vocabularies.get(vocab_name).into_iter())
        .flat_map(|v| v.keys().map(String::as_str))
        .collect();
    if keys.contains(&value) {
        return Ok(());
    }
    let suggestion = did_you_mean(value, keys.iter().copied())
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default();
    bail!(
        "unknown {vocab_name} \"{value}\"{suggestion}; allowed: {}",
        keys.join(", ")
    )
}

/// Refuses invalid slugs and slugs already used in the collection's folder (in any sub-folder).
pub(crate) fn check_slug(dir: &Path, slug: &str) -> Result<()> {
    if !is_valid_file_slug(slug) {
        bail!("invalid slug `{slug}`: use lower-case ASCII letters, digits and inner dashes, e.g. `med-sam`");
    }
    if slug == "index" {
        bail!("the slug `index` is reserved for the list of the collection's entries");
    }
    let taken = WalkDir::new(dir)
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
    match create_new(path, text)? {
        true => Ok(()),
        false => bail!(
            "creating {} (it must not exist yet): it exists",
            path.display()
        ),
    }
}

/// Writes `text` to a new file at `path` (creating its folder); false, writing nothing, when
/// the file exists.
pub(crate) fn create_new(path: &Path, text: &str) -> Result<bool> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let mut file = match OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return Ok(false),
        Err(e) => return Err(e).with_context(|| format!("creating {}", path.display())),
    };
    file.write_all(text.as_bytes())
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}

/// The default-language page: every field, commented, then the collection's body skeleton.
/// `first` is the first entry of each collection ([`first_entries`]).
pub(crate) fn entry_page(
    config: &SiteConfig,
    c: &Collection,
    new: &NewPage,
    first: &BTreeMap<CollectionId, String>,
) -> String {
    let required: &[FieldId] = (c.required_fields.iter())
        .find(|(k, _)| *k == new.kind)
        .map_or(&[], |(_, f)| f);
    let mut out = format!(
        "---\n# A new `{}` page, made by `medfm new`. Replace the placeholders: `medfm check` lists those left.\n\
         # Field reference: docs/front-matter.md (or `medfm schema`). Quote text containing \": \".\n\
         # The body below is Markdown: footnotes [^1], `> [!NOTE]` callouts, $math$, numbered\n\
         # figures `![Caption](/img.png){{#fig-x}}` referred to as @fig-x: see docs/markdown.md.\n",
        new.kind
    );
    if config.citations.is_some() {
        out.push_str(
            "# In the body, cite a work with `[@slug]` (an entry's file name, or a key of the bibliography\n             # files): `[@a; @b]` cites several, `[@slug, p. 3]` adds a locator. See docs/citations.md.\n",
        );
    }
    for (i, field) in c.schema.fields.enumerate() {
        let kind_required = required.contains(&i);
        out.push('\n');
        out.push_str(&comment(config, field, kind_required));
        let line = match field.required || kind_required {
            true => Line::Required(first.get(&field.target).map(String::as_str)),
            false => Line::Optional,
        };
        out.push_str(&value_line(config, c, i, new, line));
    }
    out.push_str("---\n\n");
    out.push_str(
        c.scaffold
            .get(&config.default_language)
            .map_or("", String::as_str),
    );
    out
}

fn comment(config: &SiteConfig, field: &Field, kind_required: bool) -> String {
    let status = match (field.required, kind_required) {
        (true, _) => "Required.".to_string(),
        (false, true) => "Required for this kind.".to_string(),
        (false, false) => format!(
            "Optional (default: {}).",
            default_of(field).replace('`', "")
        ),
    };
    let about = field.about.replace('`', "");
    let mut text = format!("# {} {status}\n", about.trim());
    if field.vocabulary.is_some() {
        let values = allowed(config, field);
        let keys = values
            .split_once(": ")
            .map_or(values.as_str(), |(_, k)| k)
            .replace('`', "");
        let _ = writeln!(text, "# Allowed: {keys}");
    }
    text
}

/// Whether a field's value line is a stand-in to replace or a blank to fill in if known.
#[derive(Debug, Clone, Copy)]
enum Line<'a> {
    /// A page must fill the field: a stand-in of its type, marked `TODO`; with the first entry
    /// of the field's target collection, for references.
    Required(Option<&'a str>),
    /// The field may stay empty.
    Optional,
}

fn value_line(
    config: &SiteConfig,
    c: &Collection,
    i: FieldId,
    new: &NewPage,
    line: Line<'_>,
) -> String {
    let field = &c.schema.fields[i];
    let name = &field.name;
    if c.roles.kind == Some(i) {
        return format!("{name}: {}\n", new.kind);
    }
    if let Some((_, value)) = new.fields.iter().find(|(n, _)| n == name) {
        return format!("{name}: {value}\n");
    }
    match (line, field.ty) {
        (_, FieldType::Group) => group_lines(field, matches!(line, Line::Required(_))),
        (Line::Required(first), _) => format!("{name}: {}\n", stand_in(config, field, first)),
        (Line::Optional, FieldType::Links) => format!(
            "{name}: []\n# e.g.\n#   - label: GitHub\n#     url: https://github.com/owner/repo\n"
        ),
        (Line::Optional, ty) => format!("{name}:{}\n", blank(ty)),
    }
}

/// A group's lines: each sub-field empty, with its description; a required group gets a
/// placeholder in its first sub-field.
fn group_lines(field: &Field, required: bool) -> String {
    let mut s = format!("{}:\n", field.name);
    for (n, sub) in field.subfields.iter().enumerate() {
        let value = if required && n == 0 {
            PLACEHOLDER
        } else {
            "\"\""
        };
        let _ = writeln!(
            s,
            "  {}: {value}  # {}",
            sub.name,
            sub.about.replace('`', "").trim()
        );
    }
    s
}

/// The value of a field a page must fill, before it is known: a valid value of the field's type,
/// marked with a `TODO` comment (or `TODO` itself, for text), so that the page builds and
/// `medfm check` warns until it is replaced. `first` is an existing entry a reference can name.
fn stand_in(config: &SiteConfig, field: &Field, first: Option<&str>) -> String {
    let first_term = (field.vocabulary.as_deref())
        .and_then(|v| config.vocabularies.get(v))
        .and_then(|v| v.keys().next());
    let unit = (field.unit.as_ref())
        .and_then(|u| u.get(&config.default_language))
        .map(|u| format!(" (the site adds the unit, {u})"))
        .unwrap_or_default();
    match field.ty {
        FieldType::Text => PLACEHOLDER.to_string(),
        FieldType::TextList => format!("[{PLACEHOLDER}]"),
        FieldType::Bool => format!("false  # {PLACEHOLDER}: true or false"),
        FieldType::Tristate => format!("unknown  # {PLACEHOLDER}: true, false or unknown"),
        FieldType::Date => format!(
            "{}  # {PLACEHOLDER}: the real date: YYYY, YYYY-MM or YYYY-MM-DD",
            this_month()
        ),
        FieldType::Term => match first_term {
            Some(key) => format!("{key}  # {PLACEHOLDER}: pick the right one from the list above"),
            None => PLACEHOLDER.to_string(),
        },
        FieldType::Terms => match first_term {
            Some(key) => {
                format!("[{key}]  # {PLACEHOLDER}: pick the right ones from the list above")
            }
            None => format!("[{PLACEHOLDER}]"),
        },
        FieldType::Refs => match first {
            Some(slug) => {
                format!("[{slug}]  # {PLACEHOLDER}: the slugs (file names) of the right entries")
            }
            None => format!("[]  # {PLACEHOLDER}: the slugs (file names) of the entries"),
        },
        FieldType::Links => format!("[{{label: {PLACEHOLDER}, url: \"https://example.org/\"}}]"),
        FieldType::Url => format!("\"https://example.org/\"  # {PLACEHOLDER}: the real address"),
        FieldType::Number => format!("0  # {PLACEHOLDER}: the number alone{unit}"),
        FieldType::Integer => format!("0  # {PLACEHOLDER}: a whole number"),
        FieldType::Group => String::new(),
    }
}

/// This month, `YYYY-MM`: the stand-in of a date (never in the future).
fn this_month() -> String {
    let today = PartialDate::today();
    PartialDate { day: None, ..today }.iso()
}

/// The "nothing known yet" value of an optional field (after the colon).
fn blank(ty: FieldType) -> &'static str {
    match ty {
        FieldType::TextList | FieldType::Terms | FieldType::Refs | FieldType::Links => " []",
        FieldType::Bool => " false",
        FieldType::Tristate => " unknown",
        FieldType::Integer => "",
        _ => " \"\"",
    }
}

/// A translation file: its required text as placeholders, the optional fields left empty.
pub(crate) fn translation(c: &Collection, lang: &str) -> String {
    let mut out = format!(
        "---\n# The `{lang}` text of the page: translated text only, never facts. Replace the placeholders.\n\
         # Fields left empty show the default-language text.\n"
    );
    for (pos, &f) in c.schema.translation.iter().enumerate() {
        let field = &c.schema.fields[f];
        let required = c.schema.translation_required[pos];
        let status = if required { "Required." } else { "Optional." };
        let _ = write!(
            out,
            "\n# {} {status}\n",
            field.about.replace('`', "").trim()
        );
        match required {
            true => {
                let _ = writeln!(out, "{}: {PLACEHOLDER}", field.name);
            }
            false => {
                let _ = writeln!(out, "{}:", field.name);
            }
        }
    }
    out.push_str("---\n\n");
    out.push_str(c.scaffold.get(lang).map_or("", String::as_str));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::CollectionId;
    use crate::model::page::SourceFile;

    fn config() -> SiteConfig {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.yaml")).unwrap();
        SiteConfig::parse("site.yaml", &text).unwrap()
    }

    #[test]
    fn scaffold_parses_with_every_field() {
        let config = config();
        let c = &config.model.collections[CollectionId::FIRST];
        let kind = c.roles.kind.unwrap();
        let vocabulary = c.schema.fields[kind].vocabulary.as_deref().unwrap();
        for k in config.vocabularies[vocabulary].keys() {
            let new = NewPage {
                kind: k.clone(),
                slug: "x".into(),
                fields: Vec::new(),
            };
            let text = entry_page(&config, c, &new, &BTreeMap::new());
            let file = SourceFile {
                rel: format!("{}/x.md", c.folder),
                display: format!("content/{}/x.md", c.folder).into(),
                text: text.as_str().into(),
            };
            let page = crate::model::parse::source(&file, &c.folder, "x", &config)
                .unwrap_or_else(|d| panic!("{:?}\n{text}", d.problems));
            assert_eq!(page.values[kind].as_str(), k);
            for field in &c.schema.fields {
                assert!(
                    text.contains(&format!("\n{}:", field.name)),
                    "{} missing",
                    field.name
                );
            }
            let translated = translation(c, "en");
            let split = crate::base::frontmatter::split("x.en.md", &translated).unwrap();
            crate::model::parse::translation("x.en.md", &translated, &split, &c.schema)
                .unwrap_or_else(|d| panic!("{d:?}\n{translated}"));
        }
    }

    #[test]
    fn each_language_gets_its_own_headings_or_a_warning() {
        // A third language (a site declaring it needs its labels everywhere; `new` reads only
        // the language list and the scaffolds).
        let mut config = config();
        let mut fr = config.languages[1].clone();
        fr.code = "fr".into();
        config.languages.push(fr);
        let c = &mut config.model.collections[CollectionId::FIRST];
        assert!(translation(c, "en").contains("## Overview"));
        assert!(!translation(c, "fr").contains("## "));
        let name = c.name.clone();
        assert_eq!(
            missing_scaffolds(&config, &config.model.collections[CollectionId::FIRST]),
            [format!(
                "no `fr` body skeleton: the `fr` page has no section headings; add them to \
                 site.yaml under `collections.{name}.scaffold.fr`"
            )]
        );
        let c = &mut config.model.collections[CollectionId::FIRST];
        c.decl.scaffold.insert("fr".into(), "## Aperçu\n".into());
        assert!(translation(c, "fr").ends_with("---\n\n## Aperçu\n"));
        assert!(
            missing_scaffolds(&config, &config.model.collections[CollectionId::FIRST]).is_empty()
        );
    }

    #[test]
    fn fields_on_the_command_line() {
        assert_eq!(
            field_pairs(&["--strand".into(), "a".into(), "--theme=b".into()]).unwrap(),
            [
                ("strand".to_string(), "a".to_string()),
                ("theme".into(), "b".into())
            ]
        );
        assert!(field_pairs(&["strand".into()]).is_err());
        assert!(field_pairs(&["--strand".into()]).is_err());
        let config = config();
        let c = &config.model.collections[CollectionId::FIRST];
        assert!(check_field(&config, c, "strand", "modality-specific").is_ok());
        let e = check_field(&config, c, "strnd", "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `--strand`?"), "{e}");
        let e = check_field(&config, c, "strand", "modality-specifc")
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean \"modality-specific\"?"), "{e}");
    }

    #[test]
    fn slugs_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path()).unwrap();
        std::fs::write(dir.path().join("sam.en.md"), "").unwrap();
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
