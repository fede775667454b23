//! Site configuration (`site.yaml`): title, languages, base URL, UI strings, search synonyms,
//! the vocabularies, and the content model (see [`crate::model::schema`]). Parsing is pure: the
//! text comes from the load phase.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::Deserialize;

use crate::base::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::base::frontmatter::{self, Split};
use crate::model::bibliography::CitationsDecl;
use crate::model::languages;
use crate::model::names::{self, NameKind};
use crate::model::page::Page;
use crate::model::schema::{
    self, CollectionDecl, ExportsDecl, FeedDecl, FieldType, LineageDecl, Model, ModelDecl, Outline,
    PagesDecl, PerLanguage, PerLanguageSchema, PrintDecl, Schema, TableDecl,
};

/// Name of the configuration file at the project root.
pub(crate) const CONFIG_FILE: &str = "site.yaml";

/// Term key → label per language, in display order.
pub(crate) type Vocabulary = IndexMap<String, PerLanguage>;

/// The aliases of one vocabulary: alias → the term keys it stands for.
pub(crate) type Aliases = IndexMap<String, Vec<String>>;

/// The whole site configuration.
#[derive(Debug, Clone)]
pub(crate) struct SiteConfig {
    /// Site title per language.
    pub(crate) title: PerLanguage,
    /// Site description per language.
    pub(crate) description: PerLanguage,
    /// Absolute base URL, used only for feeds, the sitemap and canonical links.
    pub(crate) base_url: String,
    /// Code of the default language, rendered at the site root.
    pub(crate) default_language: String,
    /// All languages, default first; the others are rendered under `<code>/`.
    pub(crate) languages: Vec<Language>,
    /// Pass raw HTML in Markdown through unchanged instead of sanitising it.
    pub(crate) trust_raw_html: bool,
    /// The controlled vocabularies, by name.
    pub(crate) vocabularies: IndexMap<String, Vocabulary>,
    /// UI strings per language: `strings.<lang>.<key>`.
    pub(crate) strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Other spellings of terms: vocabulary name → alias → the keys it stands for.
    pub(crate) aliases: IndexMap<String, Aliases>,
    /// Offline search settings.
    pub(crate) search: SearchConfig,
    /// The content model, resolved.
    pub(crate) model: Model,
    /// Citations in Markdown bodies; `None` leaves `[@key]` as written.
    pub(crate) citations: Option<CitationsDecl>,
}

/// `site.yaml` as written: the site's title, languages and UI strings, its vocabularies, and its
/// content model (collections, other pages, and the features built from them).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "site.yaml")]
struct RawConfig {
    /// Site title per language. Required.
    #[schemars(with = "PerLanguageSchema", example = title_example())]
    title: PerLanguage,
    /// Site description per language (the home page's description, feeds). Required.
    #[schemars(with = "PerLanguageSchema")]
    description: PerLanguage,
    /// Absolute `http(s)://` base URL, used only for feeds, the sitemap and canonical links: every
    /// link between pages is relative, so the site also works from `file://`. Required.
    #[schemars(example = &"https://example.org/my-review/")]
    base_url: String,
    /// Code of the default language, rendered at the site root; must be the first of
    /// `languages`. Required.
    #[schemars(example = &"en")]
    default_language: String,
    /// All languages, the default first; every other one is built into a folder named by its code.
    /// Every per-language text (titles, labels, terms, UI strings) needs a text in each. Required.
    languages: Vec<Language>,
    /// Pass raw HTML in Markdown through unchanged instead of sanitising it (scripts, event
    /// handlers and styles are removed otherwise). Only for content you fully trust.
    /// Default: false.
    #[serde(default)]
    trust_raw_html: bool,
    /// The controlled vocabularies: vocabulary name → term key → label per language, in display
    /// order. Front matter uses the key, pages show the label; a key is also a file name of the
    /// built site (lower-case letters, digits, dashes). Fields name a vocabulary with
    /// `vocabulary:`. Default: none.
    #[serde(default, deserialize_with = "frontmatter::unique_nested_keys")]
    #[schemars(with = "IndexMap<String, IndexMap<String, PerLanguageSchema>>")]
    #[schemars(example = vocabulary_example())]
    vocabularies: IndexMap<String, Vocabulary>,
    /// UI strings: language code → key → text. Templates print them as `t.<key>`; the default
    /// language's keys must all have a text in every language. medfm itself reads some keys, and
    /// each feature (`table`, `lineage`, `exports`, `print`) some more, named in its description.
    /// Default: none.
    #[serde(default)]
    #[schemars(example = strings_example())]
    strings: BTreeMap<String, BTreeMap<String, String>>,
    /// Other spellings of terms (short forms, older names, variants), which front matter may not
    /// use: `check` names the term keys to write instead. Vocabulary name → alias → term keys
    /// (several when the alias stands for a joint name). Default: none.
    #[serde(default, deserialize_with = "frontmatter::unique_nested_keys")]
    aliases: IndexMap<String, Aliases>,
    /// Offline search settings. Default: none.
    #[serde(default)]
    search: SearchConfig,
    /// Collections: name → declaration. Each is a folder of `content/` holding one Markdown file
    /// per entry. Required: at least one.
    #[serde(default, deserialize_with = "frontmatter::unique_keys")]
    #[schemars(with = "IndexMap<String, CollectionDecl>", extend("minProperties" = 1))]
    collections: IndexMap<String, CollectionDecl>,
    /// The other pages: the home page (`content/_index.md`) and every page outside the
    /// collections' folders. Default: pages with a required `title` only, and the layouts `home`
    /// (`home.html`) and `page` (`page.html`).
    #[serde(default)]
    pages: PagesDecl,
    /// The comparison table (`table.html`). Default: none.
    #[serde(default)]
    table: Option<TableDecl>,
    /// The lineage graph (`lineage.html`, and a small graph on every entry page). Default: none.
    #[serde(default)]
    lineage: Option<LineageDecl>,
    /// The Atom feeds (`atom.xml` per language). Default: none.
    #[serde(default)]
    feed: Option<FeedDecl>,
    /// The data exports (`<name>.json`, `<name>.csv`, `references.bib`) and the data page
    /// (`data.html`). Default: none.
    #[serde(default)]
    exports: Option<ExportsDecl>,
    /// The print view (`print.html`): the pages and every entry on one page. Default: none.
    #[serde(default)]
    print: Option<PrintDecl>,
    /// Charts drawn at build time as inline SVG: name → declaration. A layout shows them with
    /// `charts: [name, …]`. Default: none.
    #[serde(default, deserialize_with = "frontmatter::unique_keys")]
    charts: IndexMap<String, schema::ChartDecl>,
    /// Citations: styles, marks, bibliography files, the bibliography page. Default: none
    /// (`[@key]` stays text).
    #[serde(default)]
    citations: Option<CitationsDecl>,
}

fn title_example() -> serde_json::Value {
    serde_json::json!({"en": "Weather models", "zh": "气象模型"})
}

fn vocabulary_example() -> serde_json::Value {
    serde_json::json!({"license": {"open": {"en": "Open", "zh": "开放"}, "closed": {"en": "Closed", "zh": "闭源"}}})
}

fn strings_example() -> serde_json::Value {
    serde_json::json!({"en": {"yes": "Yes", "no": "No"}, "zh": {"yes": "是", "no": "否"}})
}

/// One language of the site.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "Language")]
pub(crate) struct Language {
    /// BCP 47 code, e.g. `zh`, `en`, `pt-BR`; also the folder of the language's pages.
    #[schemars(example = &"en")]
    pub(crate) code: String,
    /// Name of the language in itself, shown in the language switch.
    #[schemars(example = &"English")]
    pub(crate) name: String,
    /// Open Graph locale, e.g. `zh_CN`. Default: the code with `-` turned into `_`.
    #[serde(default)]
    #[schemars(example = &"en_US")]
    pub(crate) locale: Option<String>,
}

impl Language {
    /// The Open Graph locale.
    pub(crate) fn og_locale(&self) -> String {
        self.locale
            .clone()
            .unwrap_or_else(|| self.code.replace('-', "_"))
    }
}

/// The `search` section of `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(default, deny_unknown_fields)]
#[schemars(title = "Search")]
pub(crate) struct SearchConfig {
    /// Query synonyms per language: `synonyms.<lang>.<term>: [phrases]`. A query term (one word,
    /// or a CJK phrase even inside a longer one) also finds the pages every token of one of its
    /// phrases finds. For words the text does not use, e.g. `胸片` → `胸部 X 光`. Default: none.
    #[schemars(example = synonyms_example())]
    pub(crate) synonyms: BTreeMap<String, BTreeMap<String, Vec<String>>>,
    /// Term or terms fields (of a collection or of the other pages) the results can be
    /// filtered by, in order: each becomes a filter listing its terms, kept in the URL as
    /// `search.html?q=…&<field>=<term key>`. Default: none.
    #[schemars(example = &["kind", "strand"])]
    pub(crate) facets: Vec<String>,
    /// Text fields also indexed in every other language (at alias weight), so that a search
    /// in one language finds a page by its name in another. Term labels and vocabulary
    /// aliases are always searchable in every language, through the term pages. Default: none.
    #[schemars(example = &["title", "full_name"])]
    pub(crate) all_languages: Vec<String>,
}

fn synonyms_example() -> serde_json::Value {
    serde_json::json!({"en": {"nwp": ["numerical weather prediction"]}})
}

/// UI strings the generator itself reads, and when: without them a generated page would show a
/// key instead of text.
pub(crate) const GENERATOR_STRINGS: &[(&str, &str)] = &[
    (
        "date_day",
        "dates known to the day: `{y}`, `{month}`, `{d}`",
    ),
    ("date_month", "dates known to the month: `{y}`, `{month}`"),
    ("date_year", "dates known to the year: `{y}`"),
    ("months", "month names, comma-separated"),
    ("date_unknown", "an unknown date"),
    (
        "month_unknown",
        "a timeline year whose month is unknown: `{y}`",
    ),
    ("yes", "a tristate field that is true"),
    ("no", "a tristate field that is false"),
    ("unknown", "a tristate field that is unknown"),
    ("not_found_title", "the title of 404.html"),
    ("search_title", "the title of search.html"),
    ("search_kind_page", "pages in search results"),
    ("taxonomies", "the title of taxonomies/index.html"),
    (
        "footnotes",
        "the accessible name of a page's footnote section",
    ),
    (
        "footnote_back",
        "a footnote's link back to its reference (before the note's number)",
    ),
    ("callout_note", "the title of a `> [!NOTE]` callout"),
    ("callout_tip", "the title of a `> [!TIP]` callout"),
    (
        "callout_important",
        "the title of a `> [!IMPORTANT]` callout",
    ),
    ("callout_warning", "the title of a `> [!WARNING]` callout"),
    ("callout_caution", "the title of a `> [!CAUTION]` callout"),
    (
        "figure_label",
        "a numbered figure's label and the references to it: `{n}`",
    ),
    (
        "table_label",
        "a numbered table's label and the references to it: `{n}`",
    ),
    (
        "equation_label",
        "the references to a numbered equation: `{n}`",
    ),
];

/// UI strings read only when a feature is declared: (feature, key, what for).
pub(crate) const FEATURE_STRINGS: &[(&str, &str, &str)] = &[
    ("table", "table", "the title of table.html"),
    ("table", "table_name", "the table's column of entry names"),
    ("lineage", "lineage", "the title of lineage.html"),
    (
        "lineage",
        "lineage_desc",
        "the description of a graph: `{nodes}`, `{edges}`",
    ),
    (
        "lineage",
        "lineage_of",
        "the title of an entry's graph: `{title}`",
    ),
    ("charts", "chart_axis", "the title of a chart's count axis"),
    (
        "charts",
        "chart_bar",
        "the accessible name of a bar or segment: `{label}`, `{count}`",
    ),
    (
        "charts",
        "chart_data",
        "the summary of a chart's data table",
    ),
    (
        "charts",
        "chart_period",
        "the header of the periods in a `time` chart's data table",
    ),
    (
        "charts",
        "chart_total",
        "the header of a data table's totals",
    ),
    (
        "charts",
        "chart_before",
        "the bar of the entries before a `time` chart's `from`: `{date}`",
    ),
    (
        "charts",
        "chart_after",
        "the bar of the entries after a `time` chart's `to`: `{date}`",
    ),
    (
        "charts",
        "chart_rest",
        "the bar of the terms after a `terms` chart's `top`: `{n}` terms",
    ),
    (
        "charts",
        "chart_year_only",
        "the note under a `time` chart with entries dated only to the year",
    ),
    ("exports", "data_title", "the title of data.html"),
    ("exports", "data_summary", "the description of data.html"),
    ("print", "print_title", "the title of print.html"),
    (
        "print.full_text_up_to",
        "print_abridged",
        "the note of a print view printed without the entries' bodies",
    ),
    (
        "group",
        "group_other",
        "the heading of the entries without a term of the field grouping them (lists, print)",
    ),
    (
        "citations",
        "references",
        "the heading of a page's reference list",
    ),
    (
        "citations",
        "bibliography_title",
        "the title of the bibliography page",
    ),
    (
        "citations",
        "bibliography_summary",
        "the description of the bibliography page",
    ),
    ("citations", "cited_in", "what a reference is cited in"),
    (
        "citations",
        "discussed_in",
        "an entry's list of the pages citing it",
    ),
];

/// The JSON Schema of `site.yaml` (draft-07, the draft editors' YAML language servers read),
/// derived from the structs that parse it: their `///` docs are its descriptions.
/// The UI strings each feature needs are added to its description (from [`FEATURE_STRINGS`]),
/// and those medfm always reads to that of `strings` (from [`GENERATOR_STRINGS`]).
pub(crate) fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema = generator.into_root_schema_for::<RawConfig>().to_value();
    let properties = &mut schema["properties"];
    let keys = |keys: &mut dyn Iterator<Item = &str>| {
        keys.map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // A feature inside another's mapping (`print.full_text_up_to`) names its string itself.
    for (feature, _, _) in FEATURE_STRINGS.iter().filter(|(f, _, _)| !f.contains('.')) {
        let needed = keys(
            &mut (FEATURE_STRINGS.iter())
                .filter(|(f, _, _)| f == feature)
                .map(|(_, k, _)| *k),
        );
        append_description(
            &mut properties[*feature],
            &format!("Needs the UI strings {needed} in `strings`."),
        );
    }
    let always = keys(&mut GENERATOR_STRINGS.iter().map(|(k, _)| *k));
    append_description(
        &mut properties["strings"],
        &format!("medfm itself always reads {always}."),
    );
    unwrap_lines(&mut schema);
    schema
}

/// Joins the lines of every description (doc comments are wrapped at 100 columns).
fn unwrap_lines(schema: &mut serde_json::Value) {
    match schema {
        serde_json::Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match value {
                    serde_json::Value::String(text) if key == "description" => {
                        *text = text.replace('\n', " ");
                    }
                    _ => unwrap_lines(value),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(unwrap_lines),
        _ => {}
    }
}

/// Adds a sentence to the description of a schema, once.
fn append_description(schema: &mut serde_json::Value, sentence: &str) {
    let description = schema["description"].as_str().unwrap_or_default();
    if !description.contains(sentence) {
        schema["description"] = format!("{description} {sentence}").trim().into();
    }
}

impl SiteConfig {
    /// Parses and validates `site.yaml` text; `path` is used in diagnostics.
    pub(crate) fn parse(path: &str, text: &str) -> Result<SiteConfig, Diagnostics> {
        let text = frontmatter::strip_bom(text);
        let split = Split {
            yaml: text,
            yaml_line: 1,
            body: "",
            body_line: 0,
        };
        let raw: RawConfig =
            frontmatter::parse(path, text, &split).map_err(|d| Diagnostics(vec![d]))?;
        // A code that cannot name a folder is reported once (see `validate_names`), not again
        // for every label that lacks a text in it.
        let codes: Vec<&str> = (raw.languages.iter().map(|l| l.code.as_str()))
            .filter(|c| names::problem(c, NameKind::Language).is_none())
            .collect();
        let cx = schema::Context {
            vocabularies: &raw.vocabularies,
            languages: &codes,
        };
        let decl = raw.model();
        let model = schema::resolve(&decl, &cx);
        let outline = schema::outline(&decl, &cx);
        let mut problems = raw.validate(path, &split, &outline);
        if let Err(model_problems) = &model {
            problems.extend(
                model_problems
                    .iter()
                    .map(|p| located(p, path, text, &split)),
            );
        }
        match model {
            Ok(model) if problems.is_empty() => Ok(SiteConfig::new(raw, model)),
            _ => {
                let default = raw.default_language.as_str();
                Err(Diagnostics(languages::collapse_missing(problems, default)))
            }
        }
    }

    /// The configuration of `raw` with its resolved `model`.
    fn new(raw: RawConfig, model: Model) -> SiteConfig {
        SiteConfig {
            title: raw.title,
            description: raw.description,
            base_url: raw.base_url,
            default_language: raw.default_language,
            languages: raw.languages,
            trust_raw_html: raw.trust_raw_html,
            vocabularies: raw.vocabularies,
            strings: raw.strings,
            aliases: raw.aliases,
            search: raw.search,
            model,
            citations: raw.citations,
        }
    }
}

/// The problem `p` of the model, located in `site.yaml` (`text`, at `path`).
fn located(p: &schema::ModelProblem, path: &str, text: &str, split: &Split<'_>) -> Diagnostic {
    let keys: Vec<&str> = p.path.iter().map(String::as_str).collect();
    let (line, col) = frontmatter::locate_path(split, &keys).unwrap_or((1, 1));
    let d = Diagnostic::error(
        path,
        line,
        col,
        format!("{}: {}", p.path.join("."), p.message),
    )
    .with_source(text);
    match &p.hint {
        Some(hint) => d.with_hint(hint.clone()),
        None => d,
    }
}

impl RawConfig {
    /// The declarations of the content model.
    fn model(&self) -> ModelDecl<'_> {
        ModelDecl {
            collections: &self.collections,
            pages: &self.pages,
            table: self.table.as_ref(),
            lineage: self.lineage.as_ref(),
            feed: self.feed.as_ref(),
            exports: self.exports.as_ref(),
            print: self.print.as_ref(),
            charts: &self.charts,
        }
    }

    /// Language codes, default first.
    fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// Checks everything but the declarations of the content model, against its `outline`.
    fn validate(&self, path: &str, split: &Split<'_>, outline: &Outline) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let at = |key: &str| frontmatter::locate_key(split, key).unwrap_or((1, 1));
        let codes: Vec<&str> = (self.language_codes())
            .filter(|c| names::problem(c, NameKind::Language).is_none())
            .collect();
        if codes.first() != Some(&self.default_language.as_str()) {
            let (l, c) = at("languages");
            out.push(Diagnostic::error(
                path,
                l,
                c,
                "the default language must be listed first in `languages`",
            ));
        }
        if !self.base_url.starts_with("https://") && !self.base_url.starts_with("http://") {
            let (l, c) = at("base_url");
            out.push(Diagnostic::error(
                path,
                l,
                c,
                "`base_url` must be an absolute http(s) URL",
            ));
        }
        for (field, map) in [("title", &self.title), ("description", &self.description)] {
            out.extend(missing_languages(path, at(field), field, map, &codes));
        }
        for (name, vocab) in &self.vocabularies {
            for (key, labels) in vocab {
                let (l, c) = frontmatter::locate_value(split, "vocabularies", &format!("{key}:"))
                    .unwrap_or((1, 1));
                out.extend(missing_languages(
                    path,
                    (l, c),
                    &format!("{name} term `{key}`"),
                    labels,
                    &codes,
                ));
            }
        }
        out.extend(self.validate_strings(path, split, &codes, outline));
        out.extend(self.validate_citations(path, split, &codes));
        out.extend(self.validate_names(path, split));
        out.extend(self.validate_aliases(path, split));
        out.extend(self.validate_search(path, split, outline));
        out
    }

    /// Each search facet is a term or terms field, and each `all_languages` field a text field,
    /// of some collection or of the other pages.
    fn validate_search(&self, path: &str, split: &Split<'_>, outline: &Outline) -> Vec<Diagnostic> {
        let schemas = || outline.fields.iter();
        let lists: [(&str, &[String], &[FieldType], &str); 2] = [
            (
                "facets",
                &self.search.facets,
                &[FieldType::Term, FieldType::Terms],
                "a term or terms field",
            ),
            (
                "all_languages",
                &self.search.all_languages,
                &[FieldType::Text],
                "a text field",
            ),
        ];
        let mut out = Vec::new();
        for (key, names, types, what) in lists {
            for name in names {
                let fits =
                    schemas().any(|s| (s.named(name)).is_some_and(|f| types.contains(&s[f].ty)));
                if fits {
                    continue;
                }
                let (l, c) = frontmatter::locate_path(split, &["search", key]).unwrap_or((1, 1));
                let known = schemas()
                    .flat_map(|s| s.iter())
                    .filter(|f| types.contains(&f.ty))
                    .map(|f| f.name.as_str());
                let mut d = Diagnostic::error(
                    path,
                    l,
                    c,
                    format!("search.{key}: `{name}` is not {what} of any collection or page"),
                );
                if let Some(best) = did_you_mean(name, known) {
                    d = d.with_hint(format!("did you mean `{best}`?"));
                }
                out.push(d);
            }
        }
        out
    }

    /// Each alias belongs to a declared vocabulary, stands for at least one of its terms and
    /// only for its terms, and is not itself a term key.
    fn validate_aliases(&self, path: &str, split: &Split<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let error = |value: &str, message: String| {
            let (l, c) = frontmatter::locate_value(split, "aliases", value).unwrap_or((1, 1));
            Diagnostic::error(path, l, c, message)
        };
        for (name, aliases) in &self.aliases {
            let Some(vocab) = self.vocabularies.get(name) else {
                let known = self.vocabularies.keys().map(String::as_str);
                let mut d = error(
                    &format!("{name}:"),
                    format!("aliases: no vocabulary `{name}`"),
                );
                if let Some(best) = did_you_mean(name, known) {
                    d = d.with_hint(format!("did you mean `{best}`?"));
                }
                out.push(d);
                continue;
            };
            for (alias, keys) in aliases {
                if vocab.contains_key(alias) {
                    out.push(error(alias, format!("aliases.{name}: `{alias}` is a term key of {name} already, not an alias")));
                }
                if keys.is_empty() {
                    out.push(error(
                        alias,
                        format!("aliases.{name}: `{alias}` stands for no term"),
                    ));
                }
                for key in keys.iter().filter(|k| !vocab.contains_key(k.as_str())) {
                    let mut d = error(alias, format!("aliases.{name}: `{alias}` stands for `{key}`, which is not a term of {name}"));
                    if let Some(best) = did_you_mean(key, vocab.keys().map(String::as_str)) {
                        d = d.with_hint(format!("did you mean `{best}`?"));
                    }
                    out.push(d);
                }
            }
        }
        out
    }

    /// Every language has a citation style of hayagriva's archive.
    fn validate_citations(&self, path: &str, split: &Split<'_>, codes: &[&str]) -> Vec<Diagnostic> {
        let Some(decl) = &self.citations else {
            return Vec::new();
        };
        let at = frontmatter::locate_path(split, &["citations", "style"]).unwrap_or((1, 1));
        let mut out = missing_languages(path, at, "citations.style", &decl.style, codes);
        for (lang, name) in &decl.style {
            if let Err(message) = crate::model::bibliography::style(name) {
                let at =
                    frontmatter::locate_path(split, &["citations", "style", lang]).unwrap_or(at);
                out.push(
                    Diagnostic::error(
                        path,
                        at.0,
                        at.1,
                        format!("citations.style.{lang}: {message}"),
                    )
                    .with_source(split.yaml),
                );
            }
        }
        for file in &decl.bibliography {
            let ext = std::path::Path::new(file).extension();
            if !ext.is_some_and(|e| e.eq_ignore_ascii_case("bib") || e.eq_ignore_ascii_case("json"))
            {
                let at =
                    frontmatter::locate_path(split, &["citations", "bibliography"]).unwrap_or(at);
                let message = format!(
                    "citations.bibliography: `{file}` is neither BibTeX (`.bib`) nor CSL-JSON (`.json`)"
                );
                out.push(Diagnostic::error(path, at.0, at.1, message).with_source(split.yaml));
            }
        }
        out
    }

    /// Language codes and vocabulary keys become folder and file names of the site: each must
    /// be a safe name, unique regardless of case, and a language folder must not be one the
    /// generator writes (see [`names`]).
    fn validate_names(&self, path: &str, split: &Split<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let error = |(line, col): (usize, usize), message: String, hint: &str| {
            Diagnostic::error(path, line, col, message)
                .with_hint(hint)
                .with_source(split.yaml)
        };
        let at_code = |code: &str| {
            let written = [
                format!("code: {code}"),
                format!("code: '{code}'"),
                format!("code: \"{code}\""),
            ];
            (written.iter())
                .find_map(|w| {
                    let (line, col) = frontmatter::locate_value(split, "languages", w)?;
                    let line_text = split.yaml.lines().nth(line - split.yaml_line)?;
                    line_text
                        .contains(w.as_str())
                        .then_some((line, col + "code: ".len()))
                })
                .unwrap_or_else(|| frontmatter::locate_key(split, "languages").unwrap_or((1, 1)))
        };
        let folders: Vec<&str> = (self.collections.values().map(|c| c.folder.as_str()))
            .chain(names::RESERVED_FOLDERS.iter().copied())
            .collect();
        for lang in &self.languages {
            let code = lang.code.as_str();
            if let Some(why) = names::problem(code, NameKind::Language) {
                out.push(error(
                    at_code(code),
                    format!("language code `{code}` {why}"),
                    "each language but the default is built into a folder named by its code",
                ));
            } else if let Some(taken) = folders.iter().find(|f| f.eq_ignore_ascii_case(code)) {
                out.push(error(
                    at_code(code),
                    format!("language code `{code}` is taken: the site writes `{taken}/` for its own pages"),
                    "each language but the default is built into a folder named by its code",
                ));
            }
        }
        for (first, second) in names::case_collisions(self.language_codes()) {
            out.push(error(
                at_code(second),
                format!("language codes `{first}` and `{second}` differ only in case"),
                "their folders would be one folder on a case-insensitive disk",
            ));
        }
        for (name, vocab) in &self.vocabularies {
            let at = |key: &str| {
                let written = [key.to_string(), format!("\"{key}\""), format!("'{key}'")];
                (written.iter())
                    .filter_map(|k| frontmatter::locate_path(split, &["vocabularies", name, k]))
                    .max()
                    .unwrap_or((1, 1))
            };
            let hint =
                "a term key is also the file name of its page: `taxonomies/<taxonomy>/<key>.html`";
            for key in vocab.keys() {
                let why = names::problem(key, NameKind::Plain).or_else(|| {
                    (key == names::INDEX)
                        .then(|| "is the name of the taxonomy's own index page".into())
                });
                if let Some(why) = why {
                    out.push(error(at(key), format!("{name} term `{key}` {why}"), hint));
                }
            }
            for (first, second) in names::case_collisions(vocab.keys().map(String::as_str)) {
                out.push(error(
                    at(second),
                    format!("{name} terms `{first}` and `{second}` differ only in case"),
                    hint,
                ));
            }
        }
        out
    }

    fn validate_strings(
        &self,
        path: &str,
        split: &Split<'_>,
        codes: &[&str],
        outline: &Outline,
    ) -> Vec<Diagnostic> {
        let (l, c) = frontmatter::locate_key(split, "strings").unwrap_or((1, 1));
        let default = self.strings.get(&self.default_language);
        let mut out = Vec::new();
        for code in codes {
            let table = self.strings.get(*code);
            for key in default.into_iter().flat_map(|t| t.keys()) {
                if table.is_none_or(|t| !t.contains_key(key)) {
                    out.push(Diagnostic::error(
                        path,
                        l,
                        c,
                        format!("UI string `{key}` has no `{code}` text"),
                    ));
                }
            }
        }
        for (key, what) in self.needed_strings(outline) {
            if default.is_none_or(|t| !t.contains_key(key)) {
                out.push(
                    Diagnostic::error(path, l, c, format!("UI string `{key}` is missing"))
                        .with_hint(format!("medfm shows it as {what}")),
                );
            }
        }
        out
    }

    /// The UI strings this configuration makes the generator read, with what each is for.
    fn needed_strings(&self, outline: &Outline) -> Vec<(&str, &str)> {
        let declared = |feature: &str| match feature {
            "table" => self.table.is_some(),
            "lineage" => self.lineage.is_some(),
            "charts" => self.pages.layouts.values().any(|l| !l.charts.is_empty()),
            "exports" => self.exports.is_some(),
            "print" => self.print.is_some(),
            "print.full_text_up_to" => {
                (self.print.as_ref()).is_some_and(|p| p.full_text_up_to.is_some())
            }
            "group" => outline.grouped,
            "citations" => self.citations.is_some(),
            _ => false,
        };
        let mut keys: Vec<(&str, &str)> = GENERATOR_STRINGS.to_vec();
        keys.extend(
            FEATURE_STRINGS
                .iter()
                .filter(|(feature, _, _)| declared(feature))
                .map(|(_, key, what)| (*key, *what)),
        );
        keys.extend(
            (self.pages.layouts.values())
                .filter_map(|l| l.search_label.as_deref())
                .map(|key| (key, "a layout's pages in search results")),
        );
        keys
    }
}

impl SiteConfig {
    /// The term keys that `value` (compared trimmed and lower-cased) is an alias of in
    /// vocabulary `name`.
    pub(crate) fn alias_of(&self, name: &str, value: &str) -> Option<&[String]> {
        let wanted = value.trim().to_lowercase();
        self.aliases
            .get(name)?
            .iter()
            .find(|(alias, _)| alias.trim().to_lowercase() == wanted)
            .map(|(_, keys)| keys.as_slice())
    }

    /// Language codes, default first.
    pub(crate) fn language_codes(&self) -> impl Iterator<Item = &str> {
        self.languages.iter().map(|l| l.code.as_str())
    }

    /// The label of vocabulary term `key` in `lang` (the key itself if unlabelled).
    pub(crate) fn term_label<'a>(&'a self, vocabulary: &str, key: &'a str, lang: &str) -> &'a str {
        self.vocabularies
            .get(vocabulary)
            .and_then(|v| v.get(key))
            .and_then(|labels| labels.get(lang))
            .map_or(key, String::as_str)
    }

    /// The UI strings of `lang`.
    pub(crate) fn strings_for(&self, lang: &str) -> &BTreeMap<String, String> {
        static NONE: BTreeMap<String, String> = BTreeMap::new();
        self.strings.get(lang).unwrap_or(&NONE)
    }

    /// A UI string of `lang` (the key itself when missing).
    pub(crate) fn string<'a>(&'a self, lang: &str, key: &'a str) -> &'a str {
        self.strings_for(lang).get(key).map_or(key, String::as_str)
    }

    /// A per-language text in `lang`, falling back to the default language.
    pub(crate) fn localized<'a>(&'a self, map: &'a PerLanguage, lang: &str) -> &'a str {
        map.get(lang)
            .or_else(|| map.get(&self.default_language))
            .map_or("", String::as_str)
    }

    /// The schema of `page`: its collection's, or that of the other pages.
    pub(crate) fn schema_of(&self, page: &Page) -> &Schema {
        match page.collection {
            Some(c) => &self.model.collections[c].schema,
            None => &self.model.pages.schema,
        }
    }
}

fn missing_languages(
    path: &str,
    (line, col): (usize, usize),
    what: &str,
    map: &PerLanguage,
    codes: &[&str],
) -> Vec<Diagnostic> {
    codes
        .iter()
        .filter(|code| !map.contains_key(**code))
        .map(|code| Diagnostic::error(path, line, col, format!("{what} has no `{code}` text")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::CollectionId;

    const MINIMAL: &str = "title: {zh: 标题, en: Title}\ndescription: {zh: 描述, en: Desc}\nbase_url: https://example.org\ndefault_language: zh\nlanguages:\n  - {code: zh, name: 中文}\n  - {code: en, name: English}\nvocabularies:\n  kind: {model: {zh: 模型, en: Model}}\n  modality: {ct: {zh: CT}}\ncollections:\n  works:\n    folder: works\n    label: {zh: 工作, en: Works}\n    fields:\n      title: {type: text, required: true}\n      kind: {type: term, vocabulary: kind}\n";

    fn with_strings(text: &str) -> String {
        let keys: Vec<&str> = GENERATOR_STRINGS.iter().map(|(k, _)| *k).collect();
        let table = |lang: &str| {
            keys.iter()
                .map(|k| format!("    {k}: {lang}-{k}\n"))
                .collect::<String>()
        };
        format!(
            "{text}strings:\n  zh:\n{}  en:\n{}",
            table("zh"),
            table("en")
        )
    }

    #[test]
    fn missing_label_is_an_error() {
        let err = SiteConfig::parse("site.yaml", &with_strings(MINIMAL)).unwrap_err();
        assert_eq!(err.0.len(), 1, "{err}");
        assert_eq!(err.0[0].message, "modality term `ct` has no `en` text");
        assert_eq!(err.0[0].line, 10);
    }

    #[test]
    fn parses_and_labels() {
        let text = with_strings(&MINIMAL.replace("ct: {zh: CT}", "ct: {zh: CT, en: CT}"));
        let config = SiteConfig::parse("site.yaml", &text).unwrap();
        assert_eq!(config.term_label("kind", "model", "en"), "Model");
        assert_eq!(config.term_label("kind", "nope", "en"), "nope");
        assert_eq!(
            config.model.collections[CollectionId::FIRST]
                .schema
                .fields
                .len(),
            3,
            "the two declared fields and the built-in `draft`"
        );
    }

    #[test]
    fn generator_strings_are_required_and_model_problems_located() {
        let text = MINIMAL
            .replace("ct: {zh: CT}", "ct: {zh: CT, en: CT}")
            .replace("vocabulary: kind}", "vocabulary: kinds}");
        let err = SiteConfig::parse("site.yaml", &text).unwrap_err();
        let messages: Vec<String> = err
            .0
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
            .collect();
        assert!(
            messages.contains(&"1:1 UI string `yes` is missing".to_string())
                || messages
                    .iter()
                    .any(|m| m.ends_with("UI string `yes` is missing")),
            "{messages:?}"
        );
        assert!(
            messages.contains(
                &"17:7 collections.works.fields.kind: unknown vocabulary `kinds`".to_string()
            ),
            "{messages:?}"
        );
    }
}
