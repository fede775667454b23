//! Data exports of the declared collection: `<name>.json` (every exported field of every entry,
//! in a versioned envelope) and `<name>.csv` (one row per entry, the declared columns, RFC 4180,
//! UTF-8 with a byte-order mark so spreadsheets keep CJK text intact). Both list entries by slug.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

use crate::model::citation::publication;
use crate::model::schema::{Collection, ExportsDecl, Schema};
use crate::model::site::Site;
use crate::model::value::FieldValue;
use crate::outputs::bibtex;

/// Version of the JSON export's shape; raised on any incompatible change.
pub(crate) const JSON_VERSION: u32 = 1;
/// How list fields are joined in the CSV export.
pub(crate) const CSV_LIST_SEPARATOR: &str = "; ";
/// Byte-order mark written at the start of the CSV export.
pub(crate) const UTF8_BOM: &str = "\u{feff}";

/// The base name of the export files (`models` for `models.json` and `models.csv`).
pub(crate) fn file_name(site: &Site, decl: &ExportsDecl) -> String {
    decl.name
        .clone()
        .unwrap_or_else(|| site.config.model.collections[decl.at].name.clone())
}

/// The whole JSON document. Its fields serialize in this order, the records under the declared
/// key (`exports.records`).
#[derive(Debug)]
pub(crate) struct Catalogue<'a> {
    /// `medfm-<name>`.
    pub format: String,
    /// Always [`JSON_VERSION`].
    pub version: u32,
    /// Site title per language.
    pub title: &'a BTreeMap<String, String>,
    /// The configured base URL.
    pub base_url: &'a str,
    /// Language codes, default first.
    pub languages: Vec<&'a str>,
    /// Number of entries.
    pub count: usize,
    /// The key of `records`.
    pub records_key: &'a str,
    /// The entries, by slug.
    pub records: Vec<EntryRecord<'a>>,
}

impl Serialize for Catalogue<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(7))?;
        map.serialize_entry("format", &self.format)?;
        map.serialize_entry("version", &self.version)?;
        map.serialize_entry("title", self.title)?;
        map.serialize_entry("base_url", self.base_url)?;
        map.serialize_entry("languages", &self.languages)?;
        map.serialize_entry("count", &self.count)?;
        map.serialize_entry(self.records_key, &self.records)?;
        map.end()
    }
}

/// One entry in the JSON export.
#[derive(Debug, Serialize)]
pub(crate) struct EntryRecord<'a> {
    /// Slug (file name of the entry page).
    pub slug: &'a str,
    /// Absolute URL of the entry page per language.
    pub urls: BTreeMap<String, String>,
    /// Key of the entry in `references.bib`, or null when it has no publication.
    pub bibtex_key: Option<String>,
    /// The default-language front matter, field for field (defaults filled in, objects with
    /// sorted keys; tristates are `true`, `false` or `"unknown"`, dates a string or null).
    pub front_matter: Value,
    /// Text per non-default language as the site shows it (missing translations fall back to
    /// the default language), in the declared translation order.
    pub translations: BTreeMap<String, Translated<'a>>,
}

/// The translatable fields of an entry in one language, in declaration order.
#[derive(Debug)]
pub(crate) struct Translated<'a>(Vec<(&'a str, &'a str)>);

impl Serialize for Translated<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The exported entries as page indexes, sorted by slug.
fn entries_by_slug(site: &Site, decl: &ExportsDecl) -> Vec<usize> {
    let mut entries = site.collections[decl.at].order.clone();
    entries.sort_by(|&a, &b| site.pages[a].slug.cmp(&site.pages[b].slug));
    entries
}

/// Absolute URL of page `i` in `lang`.
fn absolute_url(site: &Site, i: usize, lang: &str) -> String {
    let rel = format!("{}{}", site.lang_prefix(lang), site.pages[i].output);
    crate::base::url::absolute(&site.config.base_url, &rel)
}

/// The BibTeX key of entry `i`, when it has a publication.
fn bibtex_key(site: &Site, c: &Collection, i: usize) -> Option<String> {
    let p = publication(c, &site.pages[i])?;
    p.exists().then(|| bibtex::key(&site.pages[i].slug, p.date))
}

/// The front matter of entry `i` as JSON: every exported field, as front matter writes it.
pub(crate) fn front_matter_json(schema: &Schema, values: &[FieldValue]) -> Value {
    Value::Object(
        (schema.fields.iter().zip(values))
            .filter(|(f, _)| f.export)
            .map(|(f, v)| (f.name.clone(), v.to_json(f)))
            .collect(),
    )
}

fn record<'a>(site: &'a Site, c: &'a Collection, i: usize) -> EntryRecord<'a> {
    let default = site.default_lang();
    let page = &site.pages[i];
    let schema = &c.schema;
    let translations = site
        .config
        .language_codes()
        .filter(|l| *l != default)
        .map(|l| {
            let texts = (schema.translation.iter())
                .map(|&f| (schema.fields[f].name.as_str(), page.text(schema, f, l)))
                .collect();
            (l.to_string(), Translated(texts))
        })
        .collect();
    EntryRecord {
        slug: &page.slug,
        urls: site
            .config
            .language_codes()
            .map(|l| (l.to_string(), absolute_url(site, i, l)))
            .collect(),
        bibtex_key: bibtex_key(site, c, i),
        front_matter: front_matter_json(schema, &page.values),
        translations,
    }
}

/// The JSON export, pretty-printed, ending with a newline.
pub(crate) fn json(site: &Site, decl: &ExportsDecl) -> Result<String> {
    let c = &site.config.model.collections[decl.at];
    let records: Vec<EntryRecord<'_>> = entries_by_slug(site, decl)
        .into_iter()
        .map(|i| record(site, c, i))
        .collect();
    let catalogue = Catalogue {
        format: format!("medfm-{}", file_name(site, decl)),
        version: JSON_VERSION,
        title: &site.config.title,
        base_url: &site.config.base_url,
        languages: site.config.language_codes().collect(),
        count: records.len(),
        records_key: decl.records.as_deref().unwrap_or("entries"),
        records,
    };
    let mut text =
        serde_json::to_string_pretty(&catalogue).context("serialising the JSON export")?;
    text.push('\n');
    Ok(text)
}

/// The declared CSV columns, or the default: `slug`, `url`, every exported field, `bibtex_key`.
fn csv_columns(c: &Collection, decl: &ExportsDecl) -> Vec<String> {
    if !decl.csv.is_empty() {
        return decl.csv.clone();
    }
    let mut columns = vec!["slug".to_string(), "url".to_string()];
    columns.extend(
        (c.schema.fields.iter())
            .filter(|f| f.export)
            .map(|f| f.name.clone()),
    );
    if c.citation.is_some() {
        columns.push("bibtex_key".into());
    }
    columns
}

/// The header row: the columns (a group's sub-fields as `<group>_<sub>`), then the URL and the
/// translated text of each other language, suffixed `_<lang>`.
pub(crate) fn csv_header(site: &Site, decl: &ExportsDecl) -> Vec<String> {
    let c = &site.config.model.collections[decl.at];
    let mut header = Vec::new();
    for column in csv_columns(c, decl) {
        match c.schema.field(&column) {
            Some(f) if !f.fields.is_empty() => {
                header.extend(f.fields.keys().map(|sub| format!("{column}_{sub}")))
            }
            _ => header.push(column),
        }
    }
    for lang in site.config.language_codes().skip(1) {
        header.push(format!("url_{lang}"));
        header.extend(
            (c.schema.translation.iter()).map(|&f| format!("{}_{lang}", c.schema.fields[f].name)),
        );
    }
    header
}

/// A value as one CSV cell (a group gives one cell per sub-field): lists joined with
/// [`CSV_LIST_SEPARATOR`], links as their URLs, vocabulary terms as keys.
fn csv_cells(value: &FieldValue) -> Vec<String> {
    let join = |v: &[String]| v.join(CSV_LIST_SEPARATOR);
    vec![match value {
        FieldValue::Text(s) | FieldValue::Term(s) | FieldValue::Url(s) => s.clone(),
        FieldValue::TextList(v) | FieldValue::Terms(v) | FieldValue::Refs(v) => join(v),
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Date(d) => d.map(|d| d.iso()).unwrap_or_default(),
        FieldValue::Tristate(t) => t.to_text().to_string(),
        FieldValue::Links(links) => links
            .iter()
            .map(|l| l.url.as_str())
            .collect::<Vec<_>>()
            .join(CSV_LIST_SEPARATOR),
        FieldValue::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        FieldValue::Integer(n) => n.map(|n| n.to_string()).unwrap_or_default(),
        FieldValue::Group(subs) => return subs.clone(),
    }]
}

fn csv_row(site: &Site, c: &Collection, decl: &ExportsDecl, i: usize) -> Vec<String> {
    let page = &site.pages[i];
    let default = site.default_lang();
    let mut row = Vec::new();
    for column in csv_columns(c, decl) {
        match column.as_str() {
            "slug" => row.push(page.slug.clone()),
            "url" => row.push(absolute_url(site, i, default)),
            "bibtex_key" => row.push(bibtex_key(site, c, i).unwrap_or_default()),
            name => {
                if let Some(f) = c.schema.index(name) {
                    row.extend(csv_cells(&page.values[f]));
                }
            }
        }
    }
    for lang in site.config.language_codes().skip(1) {
        row.push(absolute_url(site, i, lang));
        row.extend(
            (c.schema.translation.iter()).map(|&f| page.text(&c.schema, f, lang).to_string()),
        );
    }
    row
}

/// The CSV export: BOM, header, one row per entry by slug; CRLF line ends, fields quoted when
/// they hold a comma, quote or line break (quotes doubled), as RFC 4180 says.
pub(crate) fn csv(site: &Site, decl: &ExportsDecl) -> Result<Vec<u8>> {
    let c = &site.config.model.collections[decl.at];
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(UTF8_BOM.as_bytes().to_vec());
    writer
        .write_record(csv_header(site, decl))
        .context("writing the CSV export")?;
    for i in entries_by_slug(site, decl) {
        writer
            .write_record(csv_row(site, c, decl, i))
            .context("writing the CSV export")?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing the CSV export: {e}"))
}
