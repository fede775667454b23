//! `medfm schema`: the references generated from a site's declarations — the front-matter
//! reference for contributors (every field of every collection and of the other pages, with its
//! type, whether it is required, its allowed values; the vocabularies), committed as
//! `docs/front-matter.md`; and with `--templates` the template reference (what every kind of page
//! hands its template, each collection's entry fields as templates see them, the UI strings the
//! generator reads), committed as `docs/templates.md`.

use std::fmt::Write as _;

use crate::base::failure::Outcome;
use crate::load::Project;
use crate::model::config::{SiteConfig, FEATURE_STRINGS, GENERATOR_STRINGS};
use crate::model::id::FieldId;
use crate::model::schema::{Collection, Field, FieldType, Fields, Model, Schema};
use crate::outputs::feeds;
use crate::render::context::DOCUMENTED;

mod site_yaml;

pub(crate) use site_yaml::json_schema_text;

/// Options of `medfm schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct SchemaArgs {
    /// Print the template reference (docs/templates.md) instead of the front-matter reference.
    #[arg(long)]
    pub(crate) templates: bool,
    /// Print the JSON Schema of site.yaml (docs/site.schema.json), the same for every site.
    #[arg(long, conflicts_with_all = ["templates", "site_yaml"])]
    pub(crate) json_schema: bool,
    /// Print the reference of every site.yaml key (docs/site-yaml.md), the same for every site.
    #[arg(long, conflicts_with = "templates")]
    pub(crate) site_yaml: bool,
}

/// Runs `medfm schema`: prints the reference for the project's `site.yaml` on stdout.
pub(crate) fn run(project: &Project, args: &SchemaArgs) -> Outcome<()> {
    if args.json_schema {
        print!("{}", site_yaml::json_schema_text());
        return Ok(());
    }
    if args.site_yaml {
        print!("{}", site_yaml::reference());
        return Ok(());
    }
    let config = crate::load::config(project)?;
    if args.templates {
        print!("{}", templates_reference(&config));
    } else {
        print!("{}", reference(&config));
    }
    Ok(())
}

/// How a field's type reads in the reference.
pub(crate) fn describe(model: &Model, field: &Field) -> String {
    match (field.ty, &field.vocabulary) {
        (FieldType::Text, _) => "text".into(),
        (FieldType::TextList, _) | (FieldType::Terms, None) => "list of texts".into(),
        (FieldType::Bool, _) => "`true` or `false`".into(),
        (FieldType::Date, _) => "date: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`".into(),
        (FieldType::Tristate, _) => "`true`, `false` or `unknown`".into(),
        (FieldType::Term, Some(v)) => format!("one `{v}` term"),
        (FieldType::Term, None) => "text".into(),
        (FieldType::Terms, Some(v)) => format!("list of `{v}` terms"),
        (FieldType::Refs, _) => format!("list of `{}` slugs", model.collections[field.target].name),
        (FieldType::Links, _) => {
            format!(
                "list of `{{label, url}}` (see [`{}`](#{}-entries))",
                field.name, field.name
            )
        }
        (FieldType::Url, _) => "`https://` URL".into(),
        (FieldType::Number, _) => "number".into(),
        (FieldType::Integer, _) => "whole number".into(),
        (FieldType::Group, _) => {
            format!("mapping (see [`{}`](#{}-fields))", field.name, field.name)
        }
    }
}

/// The allowed values of `field`, as a table cell.
pub(crate) fn allowed(config: &SiteConfig, field: &Field) -> String {
    let model = &config.model;
    match (field.ty, &field.vocabulary) {
        (FieldType::Term | FieldType::Terms, Some(v)) => {
            let keys: Vec<String> = config
                .vocabularies
                .get(v)
                .into_iter()
                .flat_map(|voc| voc.keys())
                .map(|k| format!("`{k}`"))
                .collect();
            format!("[{v}](#vocabulary-{v}): {}", keys.join(", "))
        }
        (FieldType::Refs, _) => format!(
            "file names (without `.md`) of pages in `content/{}/`",
            model.collections[field.target].folder
        ),
        (FieldType::Tristate, _) => "`true`, `false`, `unknown`".into(),
        (FieldType::Url, _) => "`https://…` with a host name".into(),
        (FieldType::Date, _) => "not after today".into(),
        _ if std::ptr::eq(field, &model.pages.schema.fields[model.pages.layout_field]) => {
            let layouts: Vec<String> = model
                .pages
                .layouts
                .keys()
                .map(|l| format!("`{l}`"))
                .collect();
            layouts.join(", ")
        }
        _ => "any".into(),
    }
}

/// What an absent optional field means.
pub(crate) fn default_of(field: &Field) -> &'static str {
    match field.ty {
        FieldType::Bool => "`false`",
        FieldType::Tristate => "`unknown`",
        FieldType::Date | FieldType::Number => "unknown",
        FieldType::Term
        | FieldType::TextList
        | FieldType::Terms
        | FieldType::Refs
        | FieldType::Links => "none",
        FieldType::Integer => "none",
        FieldType::Text | FieldType::Url | FieldType::Group => "empty",
    }
}

/// The front-matter reference as Markdown.
pub(crate) fn reference(config: &SiteConfig) -> String {
    let model = &config.model;
    let langs: Vec<&str> = config.language_codes().collect();
    let other = langs.get(1).copied();
    let mut out = String::new();
    out.push_str(&intro(config));
    for c in &model.collections {
        collection(&mut out, config, c, other);
    }
    heading(
        &mut out,
        "##",
        "Other pages: `content/<name>.md`",
        PAGE_INTRO,
    );
    let pages = &model.pages.schema;
    let rows = Rows {
        fields: &pages.fields,
        translated: &|i| pages.translated_at[i].is_some(),
        required_for: &[],
    };
    table(&mut out, config, &rows);
    groups(&mut out, config, &model.pages.schema);
    if let Some(lang) = other {
        heading(
            &mut out,
            "##",
            &format!("Translations of other pages: `content/<name>.{lang}.md`"),
            "",
        );
        translation_table(&mut out, &model.pages.schema);
    }
    vocabularies(&mut out, config, &langs);
    out
}

const INTRO: &str = "# Front-matter reference

<!-- Generated by `medfm schema` from the declarations in site.yaml. Do not edit by hand:
     run `cargo run -- schema > docs/front-matter.md` after changing them. -->

Every page is a Markdown file that starts with YAML *front matter* between two `---` lines:
";

const SYNTAX: &str = "
Text containing `: ` or starting with a special character (`[`, `{`, `*`, `#`, `&`, `!`, `|`, `>`,
`'`, `\"`, `%`, `@`) must be quoted: `summary: \"Note: a preprint\"`. Lists are written `[a, b]` or one
`- item` per line. An unknown field is an error (with the closest known name suggested), so a typo
never passes silently. `medfm check` reports every problem with its file, line and column.
";

/// The reference's opening: what a page looks like, with this site's first collection, its kind
/// and the first heading of its scaffold.
fn intro(config: &SiteConfig) -> String {
    let mut out = String::from(INTRO);
    out.push_str("\n```markdown\n---\ntitle: An example entry\n");
    let first = config.model.collections.iter().next();
    if let Some((c, kind)) = first.and_then(|c| Some((c, c.roles.kind?))) {
        let field = &c.schema.fields[kind];
        let term =
            (field.vocabulary.as_ref()).and_then(|v| config.vocabularies.get(v)?.keys().next());
        if let Some(term) = term {
            let _ = writeln!(out, "{}: {term}", field.name);
        }
    }
    out.push_str("---\n\n");
    let heading = first
        .and_then(|c| c.scaffold.get(&config.default_language))
        .and_then(|body| body.lines().find(|l| l.starts_with("## ")));
    if let Some(heading) = heading {
        let _ = write!(out, "{heading}\n\n");
    }
    out.push_str("The body, in Markdown.\n```\n");
    out.push_str(SYNTAX);
    out
}

const COLLECTION_INTRO: &str =
    "One page per entry. The default-language file holds every fact; translations hold only
translated text. A field you cannot support from a source stays empty (`\"\"`, `[]`,
`unknown`): never guess.";

const TRANSLATION_INTRO: &str =
    "Only translated text: facts (dates, terms, links, references) are never repeated here, and
the build rejects them. A missing translation file is a warning; the default-language text is
shown instead.";

const PAGE_INTRO: &str = "The home page (`content/_index.md`) and every page outside the collections' folders. `layout` and
`weight` are built in.";

fn collection(out: &mut String, config: &SiteConfig, c: &Collection, other: Option<&str>) {
    heading(
        out,
        "##",
        &format!(
            "Entries of `{}` ({}): `content/{}/<slug>.md`",
            c.name,
            label_en(config, &c.label),
            c.folder
        ),
        COLLECTION_INTRO,
    );
    let rows = Rows {
        fields: &c.schema.fields,
        translated: &|i| c.schema.translated_at[i].is_some(),
        required_for: &c.required_fields,
    };
    table(out, config, &rows);
    if !c.required_fields.is_empty() {
        let kind = c
            .roles
            .kind
            .map_or("kind", |k| c.schema.fields[k].name.as_str());
        let _ = write!(
            out,
            "\n### Required for some kinds\n\nBesides the fields marked **yes** above, some kinds need more:\n\n| `{kind}` | Also required (not empty) |\n|---|---|\n"
        );
        for (kind, fields) in &c.required_fields {
            let names: Vec<String> = fields
                .iter()
                .map(|&f| format!("`{}`", c.schema.fields[f].name))
                .collect();
            let _ = writeln!(out, "| `{kind}` | {} |", names.join(", "));
        }
    }
    groups(out, config, &c.schema);
    if let Some(lang) = other {
        heading(
            out,
            "##",
            &format!(
                "Translations of `{}` entries: `content/{}/<slug>.{lang}.md`",
                c.name, c.folder
            ),
            TRANSLATION_INTRO,
        );
        translation_table(out, &c.schema);
    }
}

/// A collection's label in English (the reference is written in English), else the default
/// language's.
fn label_en<'a>(config: &'a SiteConfig, label: &'a crate::model::schema::PerLanguage) -> &'a str {
    config.localized(label, "en")
}

/// The sub-tables: a group's fields, a links field's entries.
fn groups(out: &mut String, config: &SiteConfig, schema: &Schema) {
    for field in &schema.fields {
        match field.ty {
            FieldType::Group => {
                heading(out, "###", &format!("`{}` fields", field.name), "");
                let rows = Rows {
                    fields: &field.subfields.iter().cloned().collect(),
                    translated: &|_| false,
                    required_for: &[],
                };
                table(out, config, &rows);
            }
            FieldType::Links => {
                heading(
                    out,
                    "###",
                    &format!("`{}` entries", field.name),
                    &format!("Each entry of `{}` is a mapping:", field.name),
                );
                out.push_str("| Field | Type | Required | Default | Allowed values | What it is |\n|---|---|---|---|---|---|\n");
                out.push_str("| `label` | text | **yes** | — | any | What the link is: `arXiv`, `GitHub`, `Weights`, … |\n");
                out.push_str("| `url` | `https://` URL | **yes** | — | `https://…` with a host name | Absolute `https://` address. |\n");
            }
            _ => {}
        }
    }
}

/// A `level` heading (`##`, `###`) with an optional introduction.
fn heading(out: &mut String, level: &str, title: &str, intro: &str) {
    let _ = write!(out, "\n{level} {title}\n\n");
    if !intro.is_empty() {
        let _ = write!(out, "{intro}\n\n");
    }
}

/// The rows of a table of fields.
struct Rows<'a> {
    /// The fields.
    fields: &'a Fields,
    /// Whether a field is translated.
    translated: &'a dyn Fn(FieldId) -> bool,
    /// The kinds that require an optional field.
    required_for: &'a [(String, Vec<FieldId>)],
}

/// One row per field; `required_for` adds the kinds that require an optional field.
fn table(out: &mut String, config: &SiteConfig, rows: &Rows<'_>) {
    let required_for = rows.required_for;
    out.push_str("| Field | Type | Required | Default | Allowed values | What it is |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    for (i, f) in rows.fields.enumerate() {
        let kinds: Vec<String> = required_for
            .iter()
            .filter(|(_, fields)| fields.contains(&i))
            .map(|(kind, _)| format!("`{kind}`"))
            .collect();
        let required = match (f.required, kinds.is_empty()) {
            (true, _) => "**yes**".to_string(),
            (false, true) => "no".to_string(),
            (false, false) => format!("for {}", kinds.join(", ")),
        };
        let default = if f.required { "—" } else { default_of(f) };
        let mut about = f.about.clone();
        if (rows.translated)(i) {
            about.push_str(" Translated.");
        }
        let _ = writeln!(
            out,
            "| `{}` | {} | {required} | {default} | {} | {} |",
            f.name,
            cell(&describe(&config.model, f)),
            cell(&allowed(config, f)),
            cell(about.trim())
        );
    }
}

fn translation_table(out: &mut String, schema: &Schema) {
    out.push_str("| Field | Type | Required | Default | What it is |\n|---|---|---|---|---|\n");
    for (pos, &f) in schema.translation.iter().enumerate() {
        let field = &schema.fields[f];
        let required = if schema.translation_required[pos] {
            "**yes**"
        } else {
            "no"
        };
        let _ = writeln!(
            out,
            "| `{}` | text | {required} | the default-language text | {} |",
            field.name,
            cell(&field.about)
        );
    }
}

fn vocabularies(out: &mut String, config: &SiteConfig, langs: &[&str]) {
    if config.vocabularies.is_empty() {
        return;
    }
    out.push_str("\n## Vocabularies\n\nThe terms allowed in the fields that name a vocabulary, from `site.yaml` (`vocabularies`).\nFront matter uses the key; pages show the label. To add a term, add it to `site.yaml` with a\nlabel in every language.\n");
    for (name, vocab) in &config.vocabularies {
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

/// What templates receive of a field of type `ty`.
fn template_value(model: &Model, field: &Field) -> String {
    match field.ty {
        FieldType::Text => "text (in the page language when translated)".into(),
        FieldType::TextList => "list of texts".into(),
        FieldType::Bool => "`true` or `false`".into(),
        FieldType::Date => "`{iso, display}` (`iso` empty when unknown)".into(),
        FieldType::Tristate => "`{value, label}` (`value`: `yes`, `no`, `unknown`)".into(),
        FieldType::Term if field.taxonomy.is_some() => "`{key, label, url}` or null".into(),
        FieldType::Term => "`{key, label, url}` (`url` empty) or null".into(),
        FieldType::Terms => "list of `{key, label, url}`".into(),
        FieldType::Refs => format!(
            "cards of the `{}` entries named",
            model.collections[field.target].name
        ),
        FieldType::Links => "list of `{label, url}`".into(),
        FieldType::Url => "text".into(),
        FieldType::Number => "`{value, display}` or null".into(),
        FieldType::Integer => "number or null".into(),
        FieldType::Group => {
            let subs: Vec<String> = field.fields.keys().map(|k| format!("`{k}`")).collect();
            format!("mapping of {}", subs.join(", "))
        }
    }
}

/// The template reference as Markdown.
pub(crate) fn templates_reference(config: &SiteConfig) -> String {
    let model = &config.model;
    let mut out = String::from(TEMPLATES_INTRO);
    let mut kind = "";
    for (page_kind, name, about) in DOCUMENTED {
        if *page_kind != kind {
            kind = page_kind;
            let _ = write!(
                out,
                "\n## {}\n\n| Variable | What it holds |\n|---|---|\n",
                kind_title(kind)
            );
        }
        let _ = writeln!(out, "| `{name}` | {} |", cell(about));
    }
    for c in &model.collections {
        let _ = write!(
            out,
            "\n## Entries of `{}` (template `{}`)\n\n`page` (and every card, with the card fields only: {}) holds:\n\n| Field | What templates get |\n|---|---|\n| `slug` | the file name |\n| `url` | site-root-relative URL of the entry page |\n",
            c.name,
            c.template,
            c.card.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
        );
        for f in &c.schema.fields {
            let _ = writeln!(
                out,
                "| `{}` | {} |",
                f.name,
                cell(&template_value(model, f))
            );
            if let Some(reverse) = &f.reverse {
                let _ = writeln!(
                    out,
                    "| `{}` | cards of the entries whose `{}` names this one |",
                    reverse.name, f.name
                );
            }
        }
        if c.related.is_some() {
            out.push_str("| `related` | cards of the related entries |\n");
        }
        out.push_str(
            "| `prev`, `next` | cards of the neighbours in the entry's group, or null |\n",
        );
    }
    let layouts: Vec<String> = model
        .pages
        .layouts
        .iter()
        .map(|(name, l)| format!("`{name}` (`{}`)", l.template))
        .collect();
    let _ = write!(
        out,
        "\n## Layouts of the other pages\n\n{}\n",
        layouts.join(", ")
    );
    out.push_str(GENERATED_FILES_INTRO);
    for (template, name, about) in feeds::DOCUMENTED {
        let _ = writeln!(out, "| `{template}` | `{name}` | {} |", cell(about));
    }
    out.push_str("\n## UI strings the generator reads\n\nBesides the strings the templates print, medfm itself reads these keys of `strings`:\n\n| Key | Read when | For |\n|---|---|---|\n");
    for (key, about) in GENERATOR_STRINGS {
        let _ = writeln!(out, "| `{key}` | always | {} |", cell(about));
    }
    for (feature, key, about) in FEATURE_STRINGS {
        let when = match *feature {
            "group" => "a collection's `group` or a layout's `group_by` is declared".to_string(),
            _ => format!("`{feature}` is declared"),
        };
        let _ = writeln!(out, "| `{key}` | {when} | {} |", cell(about));
    }
    out
}

fn kind_title(kind: &str) -> String {
    match kind {
        "every page" => "Every page".into(),
        "entry" => "Entry pages (a collection's `template`)".into(),
        "page" => "Other pages (their layout's template)".into(),
        "list" => "Collection lists (`list.html`)".into(),
        "taxonomies" => "The taxonomies index (`taxonomies.html`)".into(),
        "taxonomy" => "A taxonomy (`taxonomy.html`)".into(),
        "term" => "A term (`term.html`)".into(),
        "table" => "The comparison table (`table.html`)".into(),
        "lineage" => "The lineage graph (`lineage.html`)".into(),
        "data" => "The data page (`data.html`)".into(),
        "bibliography" => "The bibliography page (`bibliography.html`, at `citations.page`)".into(),
        "print" => "The print view (`print.html`)".into(),
        "print piece" => "One entry in the print view (`print-work.html`)".into(),
        other => other.to_string(),
    }
}

const GENERATED_FILES_INTRO: &str = "
## The feeds, the sitemap and robots.txt

medfm ships their templates; a template of the same name in `templates/` replaces one. Print
XML with `{{ x | escape_xml }}` (text) or `{{ x | escape_xml(attribute=true) }}` (a quoted
attribute).

| Template | Variable | What it holds |
|---|---|---|
";

const TEMPLATES_INTRO: &str = "# Template reference

<!-- Generated by `medfm schema --templates` from the page contexts and site.yaml. Do not edit by
     hand: run `cargo run -- schema --templates > docs/templates.md` after changing either. -->

Templates are [Tera](https://keats.github.io/tera/docs/) files in `templates/`. Every page's
template receives the variables of *every page* below, plus those of its kind of page. URLs are
relative to the site root: write links as `{{ root }}{{ x.url }}` so the site works from
`file://`. Text is escaped; print HTML (`body.html`, `head.json_ld`, SVG) with `| safe`.

A *card* is an entry as lists show it: `slug`, `url` and the collection's `card` fields.
";
