//! Data exports of the declared collection: `<name>.json` (every exported field of every entry,
//! in a versioned envelope) and `<name>.csv` (one row per entry, the declared columns, RFC 4180,
//! UTF-8 with a byte-order mark so spreadsheets keep CJK text intact). Both list entries by slug.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value;

use crate::model::citation::publication;
use crate::model::id::{FieldId, IdVec, PageId};
use crate::model::schema::{Collection, Exports, Schema};
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
pub(crate) fn file_name(site: &Site, decl: &Exports) -> String {
    decl.name
        .clone()
        .unwrap_or_else(|| site.config.model.collections[decl.at].name.clone())
}

/// The whole JSON document. Its fields serialize in this order, the records under the declared
/// key (`exports.records`).
#[derive(Debug)]
pub(crate) struct Catalogue<'a> {
    /// `medfm-<name>`.
    pub(crate) format: String,
    /// Always [`JSON_VERSION`].
    pub(crate) version: u32,
    /// Site title per language.
    pub(crate) title: &'a BTreeMap<String, String>,
    /// The configured base URL.
    pub(crate) base_url: &'a str,
    /// Language codes, default first.
    pub(crate) languages: Vec<&'a str>,
    /// Number of entries.
    pub(crate) count: usize,
    /// The key of `records`.
    pub(crate) records_key: &'a str,
    /// The entries, by slug.
    pub(crate) records: Vec<EntryRecord<'a>>,
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
    pub(crate) slug: &'a str,
    /// Absolute URL of the entry page per language.
    pub(crate) urls: BTreeMap<String, String>,
    /// Key of the entry in `references.bib`, or null when it has no publication.
    pub(crate) bibtex_key: Option<String>,
    /// The default-language front matter, field for field (defaults filled in, objects with
    /// sorted keys; tristates are `true`, `false` or `"unknown"`, dates a string or null).
    pub(crate) front_matter: Value,
    /// Text per non-default language as the site shows it (missing translations fall back to
    /// the default language), in the declared translation order.
    pub(crate) translations: BTreeMap<String, Translated<'a>>,
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
fn entries_by_slug(site: &Site, decl: &Exports) -> Vec<PageId> {
    let mut entries = site.collections[decl.at].order.clone();
    entries.sort_by(|&a, &b| site.pages[a].slug.cmp(&site.pages[b].slug));
    entries
}

/// Absolute URL of page `i` in `lang`.
fn absolute_url(site: &Site, i: PageId, lang: &str) -> String {
    let rel = format!("{}{}", site.lang_prefix(lang), site.pages[i].output);
    crate::base::url::absolute(&site.config.base_url, &rel)
}

/// The BibTeX key of entry `i`, when it has a publication.
fn bibtex_key(site: &Site, c: &Collection, i: PageId) -> Option<String> {
    let p = publication(c, &site.pages[i])?;
    p.exists().then(|| bibtex::key(&site.pages[i].slug, p.date))
}

/// The front matter of entry `i` as JSON: every exported field, as front matter writes it.
pub(crate) fn front_matter_json(schema: &Schema, values: &IdVec<FieldId, FieldValue>) -> Value {
    Value::Object(
        (schema.fields.iter().zip(values))
            .filter(|(f, _)| f.export)
            .map(|(f, v)| (f.name.clone(), v.to_json(f)))
            .collect(),
    )
}

fn record<'a>(site: &'a Site, c: &'a Collection, i: PageId) -> EntryRecord<'a> {
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
pub(crate) fn json(site: &Site, decl: &Exports) -> Result<String> {
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
fn csv_columns(c: &Collection, decl: &Exports) -> Vec<String> {
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
pub(crate) fn csv_header(site: &Site, decl: &Exports) -> Vec<String> {
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

fn csv_row(site: &Site, c: &Collection, decl: &Exports, i: PageId) -> Vec<String> {
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

/// A cell a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
/// carriage return) gets a leading `'`, as OWASP advises for CSV injection; a plain number such
/// as `-3.5` is left as it is.
fn neutralise_formula(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// The CSV export: BOM, header, one row per entry by slug; CRLF line ends, fields quoted when
/// they hold a comma, quote or line break (quotes doubled), as RFC 4180 says.
pub(crate) fn csv(site: &Site, decl: &Exports) -> Result<Vec<u8>> {
    let c = &site.config.model.collections[decl.at];
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(UTF8_BOM.as_bytes().to_vec());
    writer
        .write_record(csv_header(site, decl))
        .context("writing the CSV export")?;
    for i in entries_by_slug(site, decl) {
        let row = csv_row(site, c, decl, i);
        writer
            .write_record(row.iter().map(|cell| neutralise_formula(cell).into_owned()))
            .context("writing the CSV export")?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing the CSV export: {e}"))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::id::CollectionId;
    use crate::model::testing;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"x\")"),
            "'=HYPERLINK(\"x\")"
        );
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("+1+2"), "'+1+2");
        assert_eq!(neutralise_formula("-3.5"), "-3.5");
        assert_eq!(neutralise_formula("\tx"), "'\tx");
        assert_eq!(neutralise_formula("MedSAM"), "MedSAM");
    }

    /// Every kind of value an export writes, a group, a field left out of the exports, and
    /// citations (for the BibTeX keys). Entries are displayed by title.
    const MODEL: &str = "
vocabularies:
  kind: {model: {zh: 模型, en: Model}, dataset: {zh: 数据集, en: Dataset}}
collections:
  works:
    folder: works
    label: {zh: 工作, en: Works}
    kind: kind
    date: date
    order: [title]
    fields:
      title: {type: text, required: true}
      summary: {type: text}
      kind: {type: term, vocabulary: kind, required: true}
      date: {type: date}
      aliases: {type: text-list}
      open_code: {type: tristate}
      paper: {type: group, fields: {title: {type: text}, doi: {type: text}}}
      links: {type: links}
      size: {type: number}
      notes: {type: text, export: false}
    translation: {fields: [title, summary]}
    citation: {title: paper.title, doi: paper.doi, links: links}
exports: {name: catalogue}
";

    /// `b-model` fills every field, with a comma, quotes and a line break to quote in CSV;
    /// `a-data` fills only what is required. By title, `b-model` comes first.
    const FILES: &[(&str, &str)] = &[
        (
            "works/b-model.md",
            "---\ntitle: Alpha, the model\nsummary: |-\n  Says \"hi\"\n  over two lines\nkind: model\ndate: 2024-03\naliases: [x, y]\nopen_code: true\npaper: {title: Paper, doi: 10.1/x}\nlinks:\n  - {label: One, url: https://a.org/1}\n  - {label: Two, url: https://b.org/2}\nsize: 7.5\nnotes: internal\n---\n",
        ),
        ("works/b-model.en.md", "---\ntitle: Alpha (en)\n---\n"),
        ("works/a-data.md", "---\ntitle: Zeta\nkind: dataset\n---\n"),
    ];

    fn site(model: &str) -> Site {
        testing::site(model, FILES)
    }

    fn decl(site: &Site) -> &Exports {
        site.config.model.exports.as_ref().unwrap()
    }

    #[test]
    fn json_lists_every_entry_by_slug_in_a_versioned_envelope() {
        let site = site(MODEL);
        let display: Vec<&str> = (site.collections[CollectionId::FIRST].order.iter())
            .map(|&i| site.pages[i].slug.as_str())
            .collect();
        assert_eq!(display, ["b-model", "a-data"], "displayed by title");
        let text = json(&site, decl(&site)).unwrap();
        assert!(text.ends_with("}\n"));
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["format"], "medfm-catalogue");
        assert_eq!(value["version"], JSON_VERSION);
        assert_eq!(value["title"], json!({"zh": "测试站点", "en": "Test site"}));
        assert_eq!(value["base_url"], "https://example.org");
        assert_eq!(value["languages"], json!(["zh", "en"]));
        assert_eq!(value["count"], 2);
        let slugs: Vec<&str> = (value["entries"].as_array().unwrap().iter())
            .map(|w| w["slug"].as_str().unwrap())
            .collect();
        assert_eq!(slugs, ["a-data", "b-model"], "exported by slug");
        assert!(
            text.find("\"count\"") < text.find("\"entries\""),
            "records come last"
        );

        let named = MODEL.replace(
            "exports: {name: catalogue}",
            "exports: {name: catalogue, records: works}",
        );
        let named = self::site(&named);
        let value: Value = serde_json::from_str(&json(&named, decl(&named)).unwrap()).unwrap();
        assert_eq!(value["works"].as_array().map(Vec::len), Some(2));
        assert!(value.get("entries").is_none());
    }

    #[test]
    fn json_records_hold_urls_citation_key_front_matter_and_translations() {
        let site = site(MODEL);
        let value: Value = serde_json::from_str(&json(&site, decl(&site)).unwrap()).unwrap();
        let [a, b] = [&value["entries"][0], &value["entries"][1]];
        assert_eq!(
            b["urls"],
            json!({
                "zh": "https://example.org/works/b-model.html",
                "en": "https://example.org/en/works/b-model.html",
            })
        );
        assert_eq!(b["bibtex_key"], "b-model2024");
        assert_eq!(
            b["front_matter"],
            json!({
                "title": "Alpha, the model",
                "summary": "Says \"hi\"\nover two lines",
                "kind": "model",
                "date": "2024-03",
                "aliases": ["x", "y"],
                "open_code": true,
                "paper": {"title": "Paper", "doi": "10.1/x"},
                "links": [
                    {"label": "One", "url": "https://a.org/1"},
                    {"label": "Two", "url": "https://b.org/2"},
                ],
                "size": 7.5,
            }),
            "every exported field; `notes` is not exported"
        );
        assert_eq!(
            b["translations"],
            json!({"en": {"title": "Alpha (en)", "summary": "Says \"hi\"\nover two lines"}}),
            "an untranslated summary is the default language's, as the site shows it"
        );
        // Defaults are filled in; without a publication there is no BibTeX key.
        assert_eq!(a["bibtex_key"], Value::Null);
        assert_eq!(
            a["front_matter"],
            json!({
                "title": "Zeta",
                "summary": "",
                "kind": "dataset",
                "date": null,
                "aliases": [],
                "open_code": "unknown",
                "paper": {"title": "", "doi": ""},
                "links": [],
                "size": null,
            })
        );
        assert_eq!(
            a["translations"],
            json!({"en": {"title": "Zeta", "summary": ""}})
        );
    }

    #[test]
    fn translated_text_keeps_the_declared_field_order() {
        let site = site(MODEL);
        let text = json(&site, decl(&site)).unwrap();
        // The last record's translations: `title` is declared before `summary` (a sorted map
        // would put it after).
        let block = &text[text.rfind("\"translations\"").unwrap()..];
        let title = block.find("\"title\"").unwrap();
        let summary = block.find("\"summary\"").unwrap();
        assert!(title < summary, "{block}");
    }

    #[test]
    fn csv_has_a_bom_crlf_lines_and_a_column_per_field_and_translation() {
        let site = site(MODEL);
        let bytes = csv(&site, decl(&site)).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        let text = text.strip_prefix(UTF8_BOM).expect("a byte-order mark");
        let header = text.split("\r\n").next().unwrap();
        assert_eq!(
            header,
            "slug,url,title,summary,kind,date,aliases,open_code,paper_title,paper_doi,links,size,bibtex_key,url_en,title_en,summary_en"
        );
        assert_eq!(
            csv_header(&site, decl(&site)).join(","),
            header,
            "the header the data page documents"
        );
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 4, "header, two rows, and the final line end");
        assert_eq!(lines[3], "");
        assert_eq!(
            lines[1],
            "a-data,https://example.org/works/a-data.html,Zeta,,dataset,,,unknown,,,,,,https://example.org/en/works/a-data.html,Zeta,",
            "empty values are empty cells"
        );
        assert_eq!(
            lines[2],
            "b-model,https://example.org/works/b-model.html,\"Alpha, the model\",\"Says \"\"hi\"\"\nover two lines\",model,2024-03,x; y,true,Paper,10.1/x,https://a.org/1; https://b.org/2,7.5,b-model2024,https://example.org/en/works/b-model.html,Alpha (en),\"Says \"\"hi\"\"\nover two lines\"",
            "commas, quotes and line breaks are quoted (quotes doubled); lists joined with `; `"
        );
    }

    #[test]
    fn csv_cells_read_back_as_the_values() {
        let site = site(MODEL);
        let bytes = csv(&site, decl(&site)).unwrap();
        let mut reader = csv::Reader::from_reader(&bytes[UTF8_BOM.len()..]);
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let cell = |row: usize, column: &str| {
            let at = header.iter().position(|h| h == column).unwrap();
            rows[row][at].to_string()
        };
        assert_eq!(cell(1, "title"), "Alpha, the model");
        assert_eq!(cell(1, "summary"), "Says \"hi\"\nover two lines");
        assert_eq!(cell(1, "links"), "https://a.org/1; https://b.org/2");
        assert_eq!(cell(0, "open_code"), "unknown");
        assert_eq!(cell(0, "summary_en"), "");
    }

    #[test]
    fn declared_csv_columns_choose_and_order_the_columns() {
        let model = MODEL.replace(
            "exports: {name: catalogue}",
            "exports: {csv: [open_code, paper, slug]}",
        );
        let site = site(&model);
        let decl = decl(&site);
        assert_eq!(
            file_name(&site, decl),
            "works",
            "the collection's name by default"
        );
        assert_eq!(
            csv_header(&site, decl),
            [
                "open_code",
                "paper_title",
                "paper_doi",
                "slug",
                "url_en",
                "title_en",
                "summary_en"
            ]
        );
        let text = String::from_utf8(csv(&site, decl).unwrap()).unwrap();
        assert!(
            text.contains(
                "\r\ntrue,Paper,10.1/x,b-model,https://example.org/en/works/b-model.html,"
            ),
            "{text}"
        );
    }

    #[test]
    fn the_export_name_is_the_declared_one() {
        let site = site(MODEL);
        assert_eq!(file_name(&site, decl(&site)), "catalogue");
    }
}
