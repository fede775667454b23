//! The front-matter reference for contributors, generated from one table per front-matter struct
//! of [`crate::model::schema`] plus the vocabularies of `site.yaml`. `medfm schema` prints it and
//! `medfm new` writes its scaffolds from the same tables. Unit tests compare every table with
//! serde's view of its struct (field names and which ones are required), so a field added to
//! `schema.rs` fails the tests until it is documented here.

use std::fmt::Write as _;

use crate::load::content::WORKS_DIR;
use crate::model::config::SiteConfig;
use crate::model::validate::KIND_REQUIREMENTS;

/// What a field holds; decides how it is documented and scaffolded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Free text.
    Text,
    /// A list of free texts.
    TextList,
    /// `true` or `false`.
    Bool,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    Date,
    /// `true`, `false` or `unknown`.
    Openness,
    /// One key of the named vocabulary.
    Term(&'static str),
    /// A list of keys of the named vocabulary.
    Terms(&'static str),
    /// A list of slugs of work pages.
    Slugs,
    /// The nested `paper` mapping ([`PAPER`]).
    Paper,
    /// A list of `{label, url}` entries ([`LINK`]).
    Links,
    /// An `https://` URL.
    Url,
    /// A whole number.
    Integer,
    /// `home`, `trend` or `page`.
    Layout,
}

impl FieldType {
    /// How the type reads in the reference.
    pub fn describe(self) -> String {
        match self {
            FieldType::Text => "text".into(),
            FieldType::TextList => "list of texts".into(),
            FieldType::Bool => "`true` or `false`".into(),
            FieldType::Date => "date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`".into(),
            FieldType::Openness => "`true`, `false` or `unknown`".into(),
            FieldType::Term(v) => format!("one `{v}` term"),
            FieldType::Terms(v) => format!("list of `{v}` terms"),
            FieldType::Slugs => "list of work slugs".into(),
            FieldType::Paper => "mapping (see [`paper`](#paper-fields))".into(),
            FieldType::Links => "list of `{label, url}` (see [`links`](#links-entries))".into(),
            FieldType::Url => "`https://` URL".into(),
            FieldType::Integer => "whole number".into(),
            FieldType::Layout => "`home`, `trend` or `page`".into(),
        }
    }
}

/// One documented front-matter field.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    /// The YAML key.
    pub name: &'static str,
    /// What it holds.
    pub ty: FieldType,
    /// True when the page is rejected without it.
    pub required: bool,
    /// What an absent field means (empty for required fields).
    pub default: &'static str,
    /// What the field is for, in a contributor's words.
    pub about: &'static str,
    /// The YAML `medfm new` writes for an optional field: its "nothing known yet" value.
    pub blank: &'static str,
}

const fn req(name: &'static str, ty: FieldType, about: &'static str) -> Field {
    Field {
        name,
        ty,
        required: true,
        default: "",
        about,
        blank: "",
    }
}

const fn opt(
    name: &'static str,
    ty: FieldType,
    default: &'static str,
    blank: &'static str,
    about: &'static str,
) -> Field {
    Field {
        name,
        ty,
        required: false,
        default,
        about,
        blank,
    }
}

use FieldType as T;

/// Work pages, `content/models/<slug>.md` ([`crate::model::schema::WorkMeta`]).
pub const WORK: &[Field] = &[
    req("title", T::Text, "Short display name, e.g. `MedSAM`. For a work without an official name, a clear descriptive title."),
    opt("full_name", T::Text, "empty", "\"\"", "Expanded name, e.g. `Segment Anything in Medical Images`."),
    opt("aliases", T::TextList, "none", "[]", "Other names readers search for: paper titles, acronyms, names in other languages."),
    opt("descriptive_title", T::Bool, "`false`", "false", "`true` when the work has no official name and `title` is ours; say so in the first paragraph."),
    req("kind", T::Term("kind"), "What the work is."),
    req("strand", T::Term("strand"), "The strand of the review the work belongs to."),
    req("theme", T::Term("theme"), "The sub-theme within the strand."),
    opt("date", T::Date, "unknown", "\"\"", "Publication date of the version described, only as precise as a source says; `\"\"` when no source gives one."),
    opt("venue", T::Text, "none", "\"\"", "Short venue name, a taxonomy term: `Nature Medicine`, `MICCAI`, `arXiv`, …"),
    opt("venue_detail", T::Text, "empty", "\"\"", "Bibliographic detail of the venue, free text, e.g. `Medical Image Analysis 97:103285 (2024)`."),
    opt("paper", T::Paper, "empty", "", "The original publication, for citations."),
    opt("arxiv", T::Text, "empty", "\"\"", "arXiv identifier such as `2306.13465` (quote it)."),
    opt("institutions", T::TextList, "none", "[]", "Institutions behind the work, English names; a taxonomy."),
    opt("modalities", T::Terms("modality"), "none", "[]", "Imaging or data modalities the work handles."),
    opt("organs", T::Terms("organ"), "none", "[]", "Organs and body regions."),
    opt("tasks", T::Terms("task"), "none", "[]", "Tasks the work addresses."),
    opt("builds_on", T::Slugs, "none", "[]", "Slugs of other work pages this work builds on (its lineage), e.g. `[sam]`."),
    opt("uses", T::Slugs, "none", "[]", "Slugs of dataset or benchmark pages this work trains or evaluates on."),
    opt("data_scale", T::Text, "unknown", "\"\"", "Data scale with the paper's figures (translated in the translation file)."),
    opt("headline", T::Text, "unknown", "\"\"", "The headline result, one sentence (translated)."),
    opt("open_code", T::Openness, "`unknown`", "unknown", "Whether the code is public. `unknown` is not `false`."),
    opt("open_weights", T::Openness, "`unknown`", "unknown", "Whether the weights are public."),
    opt("links", T::Links, "none", "[]", "External links: paper, code, weights. Each `url` starts with `https://`."),
    req("summary", T::Text, "One sentence shown in lists and search results (translated)."),
    opt("discrepancy", T::Text, "empty", "\"\"", "Where the review article disagrees with the original paper (translated)."),
];

/// The `paper` mapping of a work page ([`crate::model::schema::Paper`]).
pub const PAPER: &[Field] = &[
    opt("title", T::Text, "empty", "\"\"", "Title of the paper."),
    opt("volume", T::Text, "empty", "\"\"", "Volume, e.g. `\"97\"`."),
    opt(
        "number",
        T::Text,
        "empty",
        "\"\"",
        "Issue number, e.g. `\"3\"`.",
    ),
    opt(
        "pages",
        T::Text,
        "empty",
        "\"\"",
        "Pages or article number, e.g. `\"850-862\"`.",
    ),
    opt(
        "doi",
        T::Text,
        "empty",
        "\"\"",
        "DOI without `https://doi.org/`, e.g. `10.1038/s41467-024-44824-z`.",
    ),
];

/// One entry of `links` ([`crate::model::schema::Link`]).
pub const LINK: &[Field] = &[
    req(
        "label",
        T::Text,
        "What the link is: `arXiv`, `GitHub`, `Weights`, …",
    ),
    req("url", T::Url, "Absolute `https://` address."),
];

/// Work translations, `content/models/<slug>.<lang>.md` ([`crate::model::schema::WorkTranslation`]).
pub const WORK_TRANSLATION: &[Field] = &[
    opt(
        "title",
        T::Text,
        "the default-language title",
        "",
        "Display name, only when it differs in this language.",
    ),
    opt(
        "full_name",
        T::Text,
        "the default-language one",
        "",
        "Expanded name in this language.",
    ),
    req("summary", T::Text, "One-sentence summary in this language."),
    opt(
        "data_scale",
        T::Text,
        "the default-language text",
        "",
        "Data scale in this language.",
    ),
    opt(
        "headline",
        T::Text,
        "the default-language text",
        "",
        "Headline result in this language.",
    ),
    opt(
        "discrepancy",
        T::Text,
        "the default-language text",
        "",
        "Discrepancy note in this language.",
    ),
];

/// Other pages: home, trends, outlook, about ([`crate::model::schema::PageMeta`]).
pub const PAGE: &[Field] = &[
    req("title", T::Text, "Page title."),
    req(
        "summary",
        T::Text,
        "One sentence, used in lists, search and the page description.",
    ),
    opt(
        "layout",
        T::Layout,
        "`home` for `_index.md`, else `page`",
        "",
        "Which template renders the page.",
    ),
    opt(
        "strand",
        T::Term("strand"),
        "none",
        "",
        "Trend pages only (and required there): the strand whose works the page lists.",
    ),
    opt(
        "weight",
        T::Integer,
        "none (not in the navigation)",
        "",
        "Order in the main navigation; pages without it are not listed there.",
    ),
];

/// Translations of other pages ([`crate::model::schema::PageTranslation`]).
pub const PAGE_TRANSLATION: &[Field] = &[
    req("title", T::Text, "Page title in this language."),
    req("summary", T::Text, "Summary in this language."),
];

/// Runs `medfm schema`: prints the reference for the project's `site.yaml` on stdout.
pub fn run(project: &crate::build::Project) -> anyhow::Result<()> {
    use anyhow::Context as _;
    let path = project.config_path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let config =
        SiteConfig::parse(crate::model::config::CONFIG_FILE, &text).map_err(anyhow::Error::new)?;
    print!("{}", reference(&config));
    Ok(())
}

/// The front-matter reference as Markdown, with the vocabularies of `config`.
pub fn reference(config: &SiteConfig) -> String {
    let langs: Vec<&str> = config.language_codes().collect();
    let other = langs.get(1).copied().unwrap_or("en");
    let mut out = String::new();
    out.push_str(INTRO);
    heading(
        &mut out,
        "##",
        &format!("Work pages: `content/{WORKS_DIR}/<slug>.md`"),
        WORK_INTRO,
    );
    table(&mut out, config, WORK, true);
    kind_table(&mut out);
    heading(&mut out, "###", "`paper` fields", "");
    table(&mut out, config, PAPER, false);
    heading(
        &mut out,
        "###",
        "`links` entries",
        "Each entry of `links` is a mapping:",
    );
    table(&mut out, config, LINK, false);
    heading(
        &mut out,
        "##",
        &format!("Work translations: `content/{WORKS_DIR}/<slug>.{other}.md`"),
        TRANSLATION_INTRO,
    );
    table(&mut out, config, WORK_TRANSLATION, false);
    heading(
        &mut out,
        "##",
        "Other pages: `content/<name>.md`, `content/trends/<strand>.md`",
        PAGE_INTRO,
    );
    table(&mut out, config, PAGE, false);
    heading(
        &mut out,
        "##",
        &format!("Translations of other pages: `content/<name>.{other}.md`"),
        "",
    );
    table(&mut out, config, PAGE_TRANSLATION, false);
    vocabularies(&mut out, config, &langs);
    out
}

const INTRO: &str = "# Front-matter reference

<!-- Generated by `medfm schema` from src/schema_doc.rs and site.yaml. Do not edit by hand:
     run `cargo run -- schema > docs/front-matter.md` after changing either. -->

Every page is a Markdown file that starts with YAML *front matter* between two `---` lines:

```markdown
---
title: MedSAM
kind: model
---

## 概述

The body, in Markdown.
```

Text containing `: ` or starting with a special character (`[`, `{`, `*`, `#`, `&`, `!`, `|`, `>`,
`'`, `\"`, `%`, `@`) must be quoted: `headline: \"Dice: 0.91\"`. Lists are written `[a, b]` or one
`- item` per line. An unknown field is an error (with the closest known name suggested), so a typo
never passes silently. `medfm check` reports every problem with its file, line and column.
";

const WORK_INTRO: &str =
    "One page per work (model, dataset, benchmark, …). The default-language (Chinese) file holds
every fact; translations hold only translated text. A field you cannot support from a source stays
empty (`\"\"`, `[]`, `unknown`): never guess.";

const TRANSLATION_INTRO: &str =
    "Only translated text: facts (dates, venue, terms, links, lineage) are never repeated here, and
the build rejects them. A missing translation file is a warning; the default-language text is
shown instead.";

const PAGE_INTRO: &str = "Home (`content/_index.md`), trend pages, the outlook and the about page.";

/// A `level` heading (`##`, `###`) with an optional introduction.
fn heading(out: &mut String, level: &str, title: &str, intro: &str) {
    let _ = write!(out, "\n{level} {title}\n\n");
    if !intro.is_empty() {
        let _ = write!(out, "{intro}\n\n");
    }
}

/// One row per field; `work` adds the kinds that require an optional field.
fn table(out: &mut String, config: &SiteConfig, fields: &[Field], work: bool) {
    out.push_str("| Field | Type | Required | Default | Allowed values | What it is |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for f in fields {
        let kinds: Vec<String> = KIND_REQUIREMENTS
            .iter()
            .filter(|(_, required)| work && required.contains(&f.name))
            .map(|(kind, _)| format!("`{kind}`"))
            .collect();
        let required = match (f.required, kinds.is_empty()) {
            (true, _) => "**yes**".to_string(),
            (false, true) => "no".to_string(),
            (false, false) => format!("for {}", kinds.join(", ")),
        };
        let default = if f.required { "—" } else { f.default };
        let _ = writeln!(
            out,
            "| `{}` | {} | {required} | {default} | {} | {} |",
            f.name,
            cell(&f.ty.describe()),
            cell(&allowed(config, f.ty)),
            cell(f.about)
        );
    }
}

/// The allowed values of a field of type `ty`, as a table cell.
pub fn allowed(config: &SiteConfig, ty: FieldType) -> String {
    match ty {
        T::Term(v) | T::Terms(v) => {
            let keys: Vec<String> = config
                .vocabularies
                .get(v)
                .into_iter()
                .flat_map(|voc| voc.keys())
                .map(|k| format!("`{k}`"))
                .collect();
            format!("[{v}](#vocabulary-{v}): {}", keys.join(", "))
        }
        T::Slugs => format!("file names (without `.md`) of pages in `content/{WORKS_DIR}/`"),
        T::Openness => "`true`, `false`, `unknown`".into(),
        T::Layout => "`home`, `trend`, `page`".into(),
        T::Url => "`https://…` with a host name".into(),
        T::Date => "not after today".into(),
        _ => "any".into(),
    }
}

fn kind_table(out: &mut String) {
    out.push_str("\n### Required for some kinds\n\nBesides the fields marked **yes** above, some kinds of work need more:\n\n");
    out.push_str("| `kind` | Also required (not empty) |\n|---|---|\n");
    for (kind, fields) in KIND_REQUIREMENTS {
        let names: Vec<String> = fields.iter().map(|f| format!("`{f}`")).collect();
        let _ = writeln!(out, "| `{kind}` | {} |", names.join(", "));
    }
}

fn vocabularies(out: &mut String, config: &SiteConfig, langs: &[&str]) {
    out.push_str("\n## Vocabularies\n\nThe terms allowed in `kind`, `strand`, `theme`, `modalities`, `organs` and `tasks`, from\n`site.yaml` (`vocabularies`). Front matter uses the key; pages show the label. To add a term,\nadd it to `site.yaml` with a label in every language.\n");
    for (name, vocab) in config.vocabularies.all() {
        let _ = write!(out, "\n### Vocabulary: {name}\n\n| Key |");
        for lang in langs {
            let _ = write!(out, " {lang} |");
        }
        out.push_str("\n|---|");
        out.push_str(&"---|".repeat(langs.len()));
        out.push('\n');
        for (key, labels) in vocab {
            let _ = write!(out, "| `{key}` |");
            for lang in langs {
                let _ = write!(
                    out,
                    " {} |",
                    cell(labels.get(*lang).map_or("", String::as_str))
                );
            }
            out.push('\n');
        }
    }
}

/// Escapes a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{Link, PageMeta, PageTranslation, Paper, WorkMeta, WorkTranslation};
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    /// A YAML value of type `ty` that parses.
    fn sample(ty: FieldType) -> &'static str {
        match ty {
            T::Text | T::Term(_) => "x",
            T::TextList | T::Terms(_) | T::Slugs => "[x]",
            T::Bool => "true",
            T::Date => "2024-01-22",
            T::Openness => "unknown",
            T::Paper => "{title: x}",
            T::Links => "[{label: x, url: \"https://x.org\"}]",
            T::Url => "\"https://x.org\"",
            T::Integer => "1",
            T::Layout => "page",
        }
    }

    fn yaml(fields: &[Field], except: Option<&str>) -> String {
        let lines: Vec<String> = fields
            .iter()
            .filter(|f| Some(f.name) != except)
            .map(|f| format!("{}: {}", f.name, sample(f.ty)))
            .collect();
        if lines.is_empty() {
            "{}".into()
        } else {
            lines.join("\n")
        }
    }

    /// The table documents exactly the struct's fields, with the right required flags.
    fn matches<S: Serialize + DeserializeOwned>(fields: &[Field]) {
        let full: S = serde_yaml::from_str(&yaml(fields, None))
            .unwrap_or_else(|e| panic!("documented fields do not parse: {e}"));
        let serde_yaml::Value::Mapping(map) = serde_yaml::to_value(&full).unwrap() else {
            panic!("not a mapping")
        };
        let actual: Vec<String> = map
            .keys()
            .map(|k| k.as_str().unwrap().to_string())
            .collect();
        let documented: Vec<String> = fields.iter().map(|f| f.name.to_string()).collect();
        assert_eq!(
            documented, actual,
            "document every field of the struct, in its order"
        );
        for f in fields {
            let result = serde_yaml::from_str::<S>(&yaml(fields, Some(f.name)));
            assert_eq!(
                result.is_err(),
                f.required,
                "`{}`: required flag disagrees with serde",
                f.name
            );
        }
    }

    #[test]
    fn tables_match_the_schema() {
        matches::<WorkMeta>(WORK);
        matches::<Paper>(PAPER);
        matches::<Link>(LINK);
        matches::<WorkTranslation>(WORK_TRANSLATION);
        matches::<PageMeta>(PAGE);
        matches::<PageTranslation>(PAGE_TRANSLATION);
    }

    #[test]
    fn kind_requirements_name_documented_fields() {
        for (kind, fields) in KIND_REQUIREMENTS {
            for f in *fields {
                assert!(
                    WORK.iter().any(|w| w.name == *f),
                    "{kind}: `{f}` is not a work field"
                );
            }
        }
    }

    #[test]
    fn reference_lists_fields_and_vocabularies() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/site.yaml")).unwrap();
        let config = SiteConfig::parse("site.yaml", &text).unwrap();
        let doc = reference(&config);
        assert!(doc.contains("| `modalities` | list of `modality` terms | no | none | [modality](#vocabulary-modality): `xray`, `ct`,"));
        assert!(doc.contains("| `kind` | one `kind` term | **yes** | — |"));
        assert!(doc.contains("### Vocabulary: organ"));
        assert!(doc.contains("| `dataset` | `data_scale` |"));
    }
}
