//! Data exports of the catalogue: `models.json` (every front-matter field of every work, in a
//! versioned envelope) and `models.csv` (one row per work, RFC 4180, UTF-8 with a byte-order
//! mark so spreadsheets keep CJK text intact). Both list works by slug.

use std::collections::BTreeMap;

use anyhow::{Context as _, Result};
use serde::Serialize;
use serde_json::Value;

use crate::load::content::Page;
use crate::model::schema::{Openness, WorkMeta};
use crate::model::site::Site;
use crate::outputs::bibtex;

/// `format` of `models.json`.
pub const JSON_FORMAT: &str = "medfm-models";
/// Version of the `models.json` shape; raised on any incompatible change.
pub const JSON_VERSION: u32 = 1;
/// How list fields are joined in `models.csv`.
pub const CSV_LIST_SEPARATOR: &str = "; ";
/// Byte-order mark written at the start of `models.csv`.
pub const UTF8_BOM: &str = "\u{feff}";

/// The whole `models.json` document.
#[derive(Debug, Serialize)]
pub struct Catalogue<'a> {
    /// Always [`JSON_FORMAT`].
    pub format: &'static str,
    /// Always [`JSON_VERSION`].
    pub version: u32,
    /// Site title per language.
    pub title: &'a BTreeMap<String, String>,
    /// The configured base URL.
    pub base_url: &'a str,
    /// Language codes, default first.
    pub languages: Vec<&'a str>,
    /// Number of works.
    pub count: usize,
    /// The works, by slug.
    pub works: Vec<WorkRecord>,
}

/// One work in `models.json`.
#[derive(Debug, Serialize)]
pub struct WorkRecord {
    /// Slug (file name of the work page).
    pub slug: String,
    /// Absolute URL of the work page per language.
    pub urls: BTreeMap<String, String>,
    /// Key of the work's entry in `references.bib`, or null when it has no publication.
    pub bibtex_key: Option<String>,
    /// The default-language front matter, field for field as written (`open_code` and
    /// `open_weights` are `true`, `false` or `"unknown"`; `date` is a string or null).
    pub front_matter: Value,
    /// Text per non-default language as the site shows it (missing translations fall back to
    /// the default language).
    pub translations: BTreeMap<String, TranslationRecord>,
}

/// Translated text of a work.
#[derive(Debug, Serialize)]
pub struct TranslationRecord {
    /// Title.
    pub title: String,
    /// Expanded name.
    pub full_name: String,
    /// Summary.
    pub summary: String,
    /// Data scale.
    pub data_scale: String,
    /// Headline result.
    pub headline: String,
    /// Discrepancy note.
    pub discrepancy: String,
}

/// Works as (page, facts), sorted by slug.
fn works_by_slug(site: &Site) -> Vec<(&Page, &WorkMeta)> {
    let mut works: Vec<(&Page, &WorkMeta)> = site
        .works
        .iter()
        .map(|&i| (&site.pages[i], site.work(i)))
        .collect();
    works.sort_by(|a, b| a.0.slug.cmp(&b.0.slug));
    works
}

/// Absolute URL of `page` in `lang`.
fn absolute_url(site: &Site, page: &Page, lang: &str) -> String {
    let base = site.config.base_url.trim_end_matches('/');
    format!(
        "{base}/{}{}",
        crate::view::lang_prefix(site, lang),
        page.output
    )
}

/// Front matter as JSON, with the tri-state fields written the way front matter writes them.
pub fn front_matter_json(w: &WorkMeta) -> Result<Value> {
    let mut value = serde_json::to_value(w).context("serialising front matter")?;
    if let Value::Object(map) = &mut value {
        map.insert("open_code".into(), openness_json(w.open_code));
        map.insert("open_weights".into(), openness_json(w.open_weights));
    }
    Ok(value)
}

fn openness_json(o: Openness) -> Value {
    match o {
        Openness::Yes => Value::Bool(true),
        Openness::No => Value::Bool(false),
        Openness::Unknown => Value::String("unknown".into()),
    }
}

fn record(site: &Site, page: &Page, w: &WorkMeta) -> Result<WorkRecord> {
    let default = site.default_lang();
    let translations = site
        .config
        .language_codes()
        .filter(|l| *l != default)
        .map(|l| {
            let t = page.text(l, default);
            let r = TranslationRecord {
                title: t.title.clone(),
                full_name: t.full_name.clone(),
                summary: t.summary.clone(),
                data_scale: t.data_scale.clone(),
                headline: t.headline.clone(),
                discrepancy: t.discrepancy.clone(),
            };
            (l.to_string(), r)
        })
        .collect();
    Ok(WorkRecord {
        slug: page.slug.clone(),
        urls: site
            .config
            .language_codes()
            .map(|l| (l.to_string(), absolute_url(site, page, l)))
            .collect(),
        bibtex_key: bibtex::has_publication(w).then(|| bibtex::key(&page.slug, w)),
        front_matter: front_matter_json(w)?,
        translations,
    })
}

/// `models.json`, pretty-printed, ending with a newline.
pub fn models_json(site: &Site) -> Result<String> {
    let works = works_by_slug(site)
        .into_iter()
        .map(|(p, w)| record(site, p, w))
        .collect::<Result<Vec<_>>>()?;
    let catalogue = Catalogue {
        format: JSON_FORMAT,
        version: JSON_VERSION,
        title: &site.config.title,
        base_url: &site.config.base_url,
        languages: site.config.language_codes().collect(),
        count: works.len(),
        works,
    };
    let mut text = serde_json::to_string_pretty(&catalogue).context("serialising models.json")?;
    text.push('\n');
    Ok(text)
}

/// The columns of `models.csv`, in order; translated columns are added per extra language.
pub const CSV_COLUMNS: [&str; 32] = [
    "slug",
    "url",
    "title",
    "full_name",
    "aliases",
    "descriptive_title",
    "kind",
    "strand",
    "theme",
    "date",
    "venue",
    "venue_detail",
    "paper_title",
    "paper_volume",
    "paper_number",
    "paper_pages",
    "paper_doi",
    "arxiv",
    "bibtex_key",
    "institutions",
    "modalities",
    "organs",
    "tasks",
    "builds_on",
    "uses",
    "data_scale",
    "headline",
    "open_code",
    "open_weights",
    "links",
    "summary",
    "discrepancy",
];

/// Columns repeated for each non-default language, suffixed `_<lang>`.
pub const CSV_TRANSLATED: [&str; 7] = [
    "url",
    "title",
    "full_name",
    "summary",
    "data_scale",
    "headline",
    "discrepancy",
];

fn openness_text(o: Openness) -> &'static str {
    match o {
        Openness::Yes => "true",
        Openness::No => "false",
        Openness::Unknown => "unknown",
    }
}

fn csv_row(site: &Site, page: &Page, w: &WorkMeta) -> Vec<String> {
    let join = |v: &[String]| v.join(CSV_LIST_SEPARATOR);
    let default = site.default_lang();
    let has_bib = bibtex::has_publication(w);
    let mut row = vec![
        page.slug.clone(),
        absolute_url(site, page, default),
        w.title.clone(),
        w.full_name.clone(),
        join(&w.aliases),
        w.descriptive_title.to_string(),
        w.kind.clone(),
        w.strand.clone(),
        w.theme.clone(),
        w.date.map(|d| d.iso()).unwrap_or_default(),
        w.venue.clone(),
        w.venue_detail.clone(),
        w.paper.title.clone(),
        w.paper.volume.clone(),
        w.paper.number.clone(),
        w.paper.pages.clone(),
        w.paper.doi.clone(),
        w.arxiv.clone(),
        if has_bib {
            bibtex::key(&page.slug, w)
        } else {
            String::new()
        },
        join(&w.institutions),
        join(&w.modalities),
        join(&w.organs),
        join(&w.tasks),
        join(&w.builds_on),
        join(&w.uses),
        w.data_scale.clone(),
        w.headline.clone(),
        openness_text(w.open_code).to_string(),
        openness_text(w.open_weights).to_string(),
        join(&w.links.iter().map(|l| l.url.clone()).collect::<Vec<_>>()),
        w.summary.clone(),
        w.discrepancy.clone(),
    ];
    for lang in site.config.language_codes().filter(|l| *l != default) {
        let t = page.text(lang, default);
        row.extend([
            absolute_url(site, page, lang),
            t.title.clone(),
            t.full_name.clone(),
            t.summary.clone(),
            t.data_scale.clone(),
            t.headline.clone(),
            t.discrepancy.clone(),
        ]);
    }
    row
}

/// The header row: [`CSV_COLUMNS`], then [`CSV_TRANSLATED`] suffixed per extra language.
pub fn csv_header(site: &Site) -> Vec<String> {
    let mut header: Vec<String> = CSV_COLUMNS.iter().map(|c| c.to_string()).collect();
    for lang in site
        .config
        .language_codes()
        .filter(|l| *l != site.default_lang())
    {
        header.extend(CSV_TRANSLATED.iter().map(|c| format!("{c}_{lang}")));
    }
    header
}

/// `models.csv`: BOM, header, one row per work by slug; CRLF line ends, fields quoted when they
/// hold a comma, quote or line break (quotes doubled), as RFC 4180 says.
pub fn models_csv(site: &Site) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(UTF8_BOM.as_bytes().to_vec());
    writer
        .write_record(csv_header(site))
        .context("writing models.csv")?;
    for (page, w) in works_by_slug(site) {
        writer
            .write_record(csv_row(site, page, w))
            .context("writing models.csv")?;
    }
    writer
        .into_inner()
        .map_err(|e| anyhow::anyhow!("writing models.csv: {e}"))
}
