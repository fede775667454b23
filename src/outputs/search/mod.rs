//! Offline full-text search: a compact index per language written as JavaScript, so the
//! results page (`search.html?q=…`, driven by `search.js` (src/outputs/assets/)) works from `file://`.
//!
//! The render jobs hand every page's already extracted text (title, aliases, summary, taxonomy
//! labels, headings, body text from [`crate::markup::markdown::Rendered`]) to a [`Collector`]; each job
//! tokenizes its own page in parallel ([`tokenize`]) and appends its postings to one of a few
//! locked partitions; the scaffold's repeated lines are left out ([`boilerplate`]). After
//! rendering, the site pages and the term pages (categories) are added from the site's data
//! ([`rows`]), [`write`] sorts the postings once and writes `<lang>/search/index.js` (tokens,
//! postings, categories and facets, see [`encode`] and [`facets`]) and `search/text-<n>.js`
//! shards holding the snippet text.

pub(crate) mod boilerplate;
pub(crate) mod encode;
pub(crate) mod facets;
pub(crate) mod index;
pub(crate) mod rows;
pub(crate) mod tokenize;

use std::hash::Hasher as _;
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use rayon::prelude::*;

use crate::base::record;
use crate::markup::markdown::Rendered;
use crate::model::id::{FieldId, Id, PageId};
use crate::model::schema::{Field as Declared, SearchWeight};
use crate::model::site::Site;
use crate::model::value::FieldValue;
use crate::write::staging::Staging;
use boilerplate::Boilerplate;
use index::{page_terms, posting, Field, Posting, Postings, Synonyms, TokenMap};
use rows::Category;

/// Longest body text kept per page for snippets, in characters.
pub(crate) const SNIPPET_SOURCE_CHARS: usize = 6000;
/// Number of separately locked posting partitions.
const PARTITIONS: usize = 16;

/// A page as the results page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PageEntry {
    url: String,
    title: String,
    kind: String,
    strand: Option<String>,
    summary: String,
    text: String,
}

/// The tokens of every page of one language, gathered while rendering.
#[derive(Debug)]
struct LangCollector {
    lang: String,
    pages: Mutex<Vec<Option<PageEntry>>>,
    parts: Vec<Mutex<TokenMap<Box<str>, Vec<Posting>>>>,
}

/// Gathers search data from the render jobs (shared between threads).
#[derive(Debug)]
pub(crate) struct Collector {
    langs: Vec<LangCollector>,
    /// The lines left out of every page.
    boilerplate: Boilerplate,
    /// CPU time spent making documents ([`Collector::index`]), in nanoseconds.
    cpu_nanos: std::sync::atomic::AtomicU64,
}

/// The finished index of one language.
#[derive(Debug)]
pub(crate) struct LangIndex {
    /// Language code.
    pub(crate) lang: String,
    /// Tokens and postings.
    pub(crate) postings: Postings,
    /// Content pages by page id, then the site pages.
    pages: Vec<PageEntry>,
    /// The categories, whose page ids follow the pages'.
    categories: Vec<Category>,
}

/// Sizes of the written search files.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SearchStats {
    /// Pages indexed (all languages).
    pub(crate) pages: usize,
    /// Bytes of the `search/index.js` files.
    pub(crate) index_bytes: usize,
    /// Bytes of the `search/text-<n>.js` files.
    pub(crate) text_bytes: usize,
}

impl Collector {
    /// An empty collector for every language and page of `site`.
    pub(crate) fn new(site: &Site) -> Collector {
        let langs = site
            .config
            .language_codes()
            .map(|lang| LangCollector {
                lang: lang.to_string(),
                pages: Mutex::new(vec![None; site.pages.len()]),
                parts: (0..PARTITIONS)
                    .map(|_| Mutex::new(TokenMap::default()))
                    .collect(),
            })
            .collect();
        Collector {
            langs,
            boilerplate: Boilerplate::new(&site.config),
            cpu_nanos: Default::default(),
        }
    }

    /// Makes the document of content page `page` as rendered in `lang` (tokenizing on the
    /// caller's thread) and adds its CPU time to [`Collector::cpu`].
    pub(crate) fn index(
        &self,
        site: &Site,
        lang: &str,
        page: PageId,
        rendered: &Rendered,
    ) -> SearchDoc {
        let start = std::time::Instant::now();
        let doc = doc(site, lang, page, rendered, &self.boilerplate);
        let nanos = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
        (self.cpu_nanos).fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        doc
    }

    /// CPU time spent in [`Collector::index`] so far, summed over threads.
    pub(crate) fn cpu(&self) -> std::time::Duration {
        std::time::Duration::from_nanos(self.cpu_nanos.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Adds page `page`'s document in `lang` (made by [`doc`]).
    pub(crate) fn insert(&self, lang: &str, page: PageId, doc: SearchDoc) {
        let SearchDoc { entry, terms } = doc;
        let terms = terms.iter().map(|(t, s)| (t.as_str(), *s));
        self.insert_terms(lang, page, entry, terms);
    }

    /// Adds page `page`'s document in `lang` as an earlier build stored it
    /// ([`SearchDoc::encode`]); false (and nothing added) if the bytes are damaged.
    pub(crate) fn insert_encoded(&self, lang: &str, page: PageId, mut bytes: &[u8]) -> bool {
        match SearchDoc::decode_terms(&mut bytes) {
            Some((entry, terms)) if bytes.is_empty() => {
                self.insert_terms(lang, page, entry, terms);
                true
            }
            _ => false,
        }
    }

    fn insert_terms<'t>(
        &self,
        lang: &str,
        page: PageId,
        entry: PageEntry,
        terms: impl IntoIterator<Item = (&'t str, u8)>,
    ) {
        let Some(target) = self.langs.iter().find(|l| l.lang == lang) else {
            return;
        };
        let mut split: Vec<(usize, &str, u8)> = terms
            .into_iter()
            .map(|(token, score)| (partition(token), token, score))
            .collect();
        split.sort_unstable_by_key(|t| t.0);
        for group in split.chunk_by(|a, b| a.0 == b.0) {
            let mut map = target.parts[group[0].0]
                .lock()
                .unwrap_or_else(|e| e.into_inner());
            for &(_, token, score) in group {
                let entry = posting(index::page_id(page.index()), score);
                // Most tokens are already known: look up before copying the string into the map.
                match map.get_mut(token) {
                    Some(list) => list.push(entry),
                    None => {
                        map.insert(token.into(), vec![entry]);
                    }
                }
            }
        }
        target.pages.lock().unwrap_or_else(|e| e.into_inner())[page.index()] = Some(entry);
    }

    /// Adds the site pages and the categories of `site`, then sorts everything gathered into
    /// one index per language (pages never added are dropped from results but keep their ids).
    pub(crate) fn finish(self, site: &Site) -> Vec<LangIndex> {
        self.langs.into_par_iter().map(|l| l.finish(site)).collect()
    }
}

/// One page's share of the index in one language: what the results list shows and its
/// weighted tokens. Kept in the page cache so an unchanged page is not tokenised again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SearchDoc {
    entry: PageEntry,
    terms: Vec<(String, u8)>,
}

/// The search document of page `page` in `lang`, from its rendered body without `boilerplate`.
fn doc(
    site: &Site,
    lang: &str,
    page: PageId,
    rendered: &Rendered,
    boilerplate: &Boilerplate,
) -> SearchDoc {
    let body = boilerplate.strip(&rendered.text);
    let headings = (rendered.headings.iter())
        .map(|h| h.text.as_str())
        .filter(|h| !boilerplate.contains(h));
    let (entry, mut fields) = page_fields(site, lang, page, &body);
    fields.extend(headings.map(|h| (Field::Heading, h)));
    fields.push((Field::Body, body.as_str()));
    SearchDoc {
        entry,
        terms: page_terms(fields),
    }
}

impl SearchDoc {
    /// Appends the document in the cache record format.
    pub(crate) fn encode(&self, out: &mut Vec<u8>) {
        let e = &self.entry;
        for field in [&e.url, &e.title, &e.kind, &e.summary, &e.text] {
            record::push_field(out, field);
        }
        record::push_field(out, e.strand.as_deref().unwrap_or("\u{0}"));
        record::push_u64(out, self.terms.len() as u64);
        for (token, score) in &self.terms {
            record::push_field(out, token);
            out.push(*score);
        }
    }

    /// Reads a document written by [`SearchDoc::encode`] from the front of `rest`: its listing,
    /// and its terms borrowed from `rest`.
    fn decode_terms<'a>(rest: &mut &'a [u8]) -> Option<(PageEntry, Vec<(&'a str, u8)>)> {
        let mut field = || record::take_field(rest);
        let (url, title, kind, summary, text) = (field()?, field()?, field()?, field()?, field()?);
        let strand = field()?;
        let entry = PageEntry {
            url,
            title,
            kind,
            strand: (strand != "\u{0}").then_some(strand),
            summary,
            text,
        };
        let count = usize::try_from(record::take_u64(rest)?).ok()?;
        let mut terms = Vec::with_capacity(count.min(rest.len()));
        for _ in 0..count {
            let token = record::take_str(rest)?;
            let (&score, tail) = rest.split_first()?;
            *rest = tail;
            terms.push((token, score));
        }
        Some((entry, terms))
    }
}

impl LangCollector {
    fn finish(self, site: &Site) -> LangIndex {
        let mut pages: Vec<PageEntry> = self
            .pages
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|p| {
                p.unwrap_or_else(|| PageEntry {
                    url: String::new(),
                    title: String::new(),
                    kind: String::new(),
                    strand: None,
                    summary: String::new(),
                    text: String::new(),
                })
            })
            .collect();
        let mut map: TokenMap<Box<str>, Vec<Posting>> = TokenMap::default();
        for part in self.parts {
            map.extend(part.into_inner().unwrap_or_else(|e| e.into_inner()));
        }
        let site_pages = rows::site_pages(site, &self.lang);
        let categories = rows::categories(site, &self.lang);
        let extra = site_pages.iter().chain(categories.iter().map(|c| &c.page));
        for (n, page) in extra.enumerate() {
            let id = index::page_id(pages.len() + n);
            for (token, score) in &page.terms {
                let list = map.entry(token.as_str().into()).or_default();
                list.push(posting(id, *score));
            }
        }
        pages.extend(site_pages.into_iter().map(|p| {
            PageEntry {
                url: p.url,
                title: p.title,
                kind: site
                    .config
                    .string(&self.lang, "search_kind_page")
                    .to_string(),
                strand: None,
                summary: String::new(),
                text: String::new(),
            }
        }));
        let entries: Vec<(String, Vec<Posting>)> = map
            .into_iter()
            .map(|(t, list)| (t.into_string(), list))
            .collect();
        let titles = (pages.iter().map(|p| p.title.clone()))
            .chain(categories.iter().map(|c| c.page.title.clone()))
            .collect();
        let mut postings = Postings::from_unsorted(entries, titles);
        postings.categories = categories.iter().map(|c| c.entries.clone()).collect();
        LangIndex {
            lang: self.lang,
            postings,
            pages,
            categories,
        }
    }
}

/// The partition of a token: middle bits of its hash, which the maps' buckets do not use.
fn partition(token: &str) -> usize {
    let mut h = index::Fnv::default();
    h.write(token.as_bytes());
    (h.finish() >> 32) as usize % PARTITIONS
}

/// The listing of a page and its searchable fields (every declared field with a `search`
/// weight, and the `all_languages` fields in the other languages), borrowed from the site;
/// `body` is the page's text for snippets.
fn page_fields<'a>(
    site: &'a Site,
    lang: &str,
    i: PageId,
    body: &str,
) -> (PageEntry, Vec<(Field, &'a str)>) {
    let page = &site.pages[i];
    let mut fields = declared_fields(site, lang, i);
    fields.extend(other_languages(site, lang, i));
    let (kind, group) = kind_and_group(site, lang, i);
    let entry = PageEntry {
        url: page.output.clone(),
        title: site.title(i, lang).to_string(),
        kind,
        strand: group,
        summary: site.summary(i, lang).to_string(),
        text: snippet_source(body),
    };
    (entry, fields)
}

/// The texts of page `i` in `lang` of every declared field (and part of a group) with a
/// `search` weight: term fields by their labels.
fn declared_fields<'a>(site: &'a Site, lang: &str, i: PageId) -> Vec<(Field, &'a str)> {
    let page = &site.pages[i];
    let schema = site.schema(i);
    let mut fields: Vec<(Field, &'a str)> = Vec::new();
    for (f, declared) in schema.fields.enumerate() {
        match (&page.values[f], declared.search) {
            (FieldValue::Group(subs), _) => {
                for (sub, text) in declared.fields.values().zip(subs) {
                    if let Some(weight) = sub.search {
                        fields.push((field_of(weight), text.as_str()));
                    }
                }
            }
            (value, Some(weight)) => {
                let weight = field_of(weight);
                match value {
                    FieldValue::Text(_) => fields.push((weight, page.text(schema, f, lang))),
                    FieldValue::Term(_) | FieldValue::Terms(_) => fields.extend(
                        (value.terms().iter())
                            .map(|k| (weight, term_label(site, declared, k, lang))),
                    ),
                    FieldValue::TextList(items) => {
                        fields.extend(items.iter().map(|s| (weight, s.as_str())))
                    }
                    other => fields.push((weight, other.as_str())),
                }
            }
            (_, None) => {}
        }
    }
    fields
}

/// What a result of page `i` says it is in `lang`, and its group: an entry's kind (or its
/// collection's label) and group term; another page's layout label and page term.
fn kind_and_group(site: &Site, lang: &str, i: PageId) -> (String, Option<String>) {
    let config = &site.config;
    let page = &site.pages[i];
    if let Some(c) = site.collection_of(i) {
        let role = |f: Option<FieldId>| {
            f.map(|f| {
                term_label(site, &c.schema.fields[f], page.values[f].as_str(), lang).to_string()
            })
        };
        let kind =
            role(c.roles.kind).unwrap_or_else(|| config.localized(&c.label, lang).to_string());
        return (kind, role(c.roles.group));
    }
    let layout = site
        .layout(i)
        .and_then(|l| config.model.pages.layouts.get(l));
    let key = layout
        .and_then(|l| l.search_label.as_deref())
        .unwrap_or("search_kind_page");
    let group = layout
        .and_then(|l| l.resolved.page_field)
        .map(|f| (&site.schema(i).fields[f], page.values[f].as_str()))
        .filter(|(_, v)| !v.is_empty())
        .map(|(field, v)| term_label(site, field, v, lang).to_string());
    (config.string(lang, key).to_string(), group)
}

/// The `search.all_languages` fields of page `i` in every language but `lang`, at alias weight.
fn other_languages<'a>(
    site: &'a Site,
    lang: &str,
    i: PageId,
) -> impl Iterator<Item = (Field, &'a str)> + 'a {
    let schema = site.schema(i);
    let page = &site.pages[i];
    let fields = (site.config.search.all_languages.iter())
        .filter_map(|name| schema.index(name))
        .filter(|&f| schema.fields[f].ty == crate::model::schema::FieldType::Text);
    let langs: Vec<&'a str> = (site.config.language_codes())
        .filter(|l| *l != lang)
        .collect();
    fields.flat_map(move |f| {
        (langs.clone().into_iter()).map(move |l| (Field::Alias, page.text(schema, f, l)))
    })
}

/// The search field of a declared weight.
fn field_of(weight: SearchWeight) -> Field {
    match weight {
        SearchWeight::Title => Field::Title,
        SearchWeight::Alias => Field::Alias,
        SearchWeight::Term => Field::Term,
        SearchWeight::Heading => Field::Heading,
        SearchWeight::Summary => Field::Summary,
        SearchWeight::Body => Field::Body,
    }
}

/// A term's label in `lang`: its vocabulary label, or the free name itself.
fn term_label<'a>(site: &'a Site, field: &Declared, key: &'a str, lang: &str) -> &'a str {
    match &field.vocabulary {
        Some(v) => site.config.term_label(v, key, lang),
        None => key,
    }
}

/// Body text for snippets: whitespace collapsed, at most [`SNIPPET_SOURCE_CHARS`] characters.
fn snippet_source(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(SNIPPET_SOURCE_CHARS * 3));
    let mut chars = 0;
    for word in text.split_whitespace() {
        chars += word.chars().count() + usize::from(!out.is_empty());
        if chars > SNIPPET_SOURCE_CHARS {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Writes `<prefix>search/index.js` and the text shards of every language.
pub(crate) fn write(site: &Site, indexes: &[LangIndex], staging: &Staging) -> Result<SearchStats> {
    let mut stats = SearchStats::default();
    for index in indexes {
        let synonyms = synonyms_for(site, &index.lang)?;
        let prefix = site.lang_prefix(&index.lang);
        let texts: Vec<(String, String)> = index
            .pages
            .iter()
            .map(|p| (p.summary.clone(), p.text.clone()))
            .collect();
        let shards = encode::text_shards(&texts)?;
        for (n, (_, js)) in shards.iter().enumerate() {
            staging.write(&format!("{prefix}search/text-{n}.js"), js.as_bytes())?;
            stats.text_bytes += js.len();
        }
        let shards = shards.iter().map(|s| s.0).collect();
        let js = index_script(site, index, &synonyms, shards)?;
        staging.write(&format!("{prefix}search/index.js"), js.as_bytes())?;
        stats.index_bytes += js.len();
        stats.pages += index.pages.len();
    }
    Ok(stats)
}

/// The synonym table of `lang`.
pub(crate) fn synonyms_for(site: &Site, lang: &str) -> Result<Synonyms> {
    let empty = std::collections::BTreeMap::new();
    let table = site.config.search.synonyms.get(lang).unwrap_or(&empty);
    Synonyms::new(table)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("site.yaml: search.synonyms.{lang}"))
}

fn index_script(
    site: &Site,
    index: &LangIndex,
    synonyms: &Synonyms,
    shards: Vec<u32>,
) -> Result<String> {
    let mut labels: Vec<String> = Vec::new();
    let mut label = |s: &str| match labels.iter().position(|l| l == s) {
        Some(i) => i,
        None => {
            labels.push(s.to_string());
            labels.len() - 1
        }
    };
    let (facets, mut values) = facets::facets(site, &index.lang);
    values.resize(index.pages.len(), Vec::new());
    let pages = (index.pages.iter().zip(values))
        .map(|(p, values)| {
            let strand = p
                .strand
                .as_deref()
                .map_or(-1, |s| i64::try_from(label(s)).unwrap_or(i64::MAX));
            encode::PageRow(
                p.url.clone(),
                p.title.clone(),
                label(&p.kind),
                strand,
                encode::facet_values(values),
            )
        })
        .collect();
    let taxonomies = (site.taxonomies.ids())
        .map(|t| {
            let (_, name, decl) = site.config.model.taxonomy(t);
            let label = site.config.localized(&decl.label, &index.lang).to_string();
            encode::TaxonomyRow(rows::taxonomy_dir(name), label)
        })
        .collect();
    let categories = (index.categories.iter())
        .map(|c| {
            let entries = encode::encode_ids(&c.entries);
            encode::CategoryRow(c.taxonomy, c.slug.clone(), c.page.title.clone(), entries)
        })
        .collect();
    let (tokens, postings) = encode::token_strings(&index.postings);
    let file = encode::IndexFile {
        v: 2,
        lang: &index.lang,
        labels,
        pages,
        taxonomies,
        categories,
        facets,
        shards,
        synonyms: synonyms.table(),
        tokens,
        postings,
    };
    encode::script(&file).context("serialising the search index")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::markdown::Heading;
    use crate::model::testing;

    const MODEL: &str = "\
vocabularies:
  kind:
    model: {zh: 模型, en: Model}
    dataset: {zh: 数据集, en: Dataset}
  modality:
    pathology: {zh: 病理切片, en: Pathology}
    ct: {zh: CT, en: CT}
aliases:
  modality:
    histology: [pathology]
collections:
  works:
    folder: works
    label: {zh: 工作, en: Works}
    kind: kind
    fields:
      title: {type: text, required: true, search: title}
      kind: {type: term, vocabulary: kind, required: true, search: term, label: {zh: 类型, en: Kind}}
      modalities: {type: terms, vocabulary: modality, search: term}
      open_weights: {type: tristate, label: {zh: 开放权重, en: Open weights}}
    translation: {fields: [title]}
    taxonomies:
      modality: {field: modalities, label: {zh: 模态, en: Modality}}
    scaffold:
      zh: \"## 概述\\n\\n## 开放问题\\n\"
      en: \"## Overview\\n\\n## Open questions\\n\"
pages:
  fields:
    title: {type: text, required: true, search: title}
search:
  facets: [kind]
  all_languages: [title]
";

    const FILES: &[(&str, &str)] = &[
        (
            "works/uni.md",
            "---\ntitle: 病理模型\nkind: model\nmodalities: [pathology]\nopen_weights: true\n---\n",
        ),
        ("works/uni.en.md", "---\ntitle: Pathology model\n---\n"),
        (
            "works/ct-set.md",
            "---\ntitle: CT-Set\nkind: dataset\nmodalities: [ct]\n---\n",
        ),
        ("about.md", "---\ntitle: 关于\n---\n"),
    ];

    fn site() -> Site {
        testing::site(MODEL, FILES)
    }

    /// The tokens page `slug` of `works` is indexed under in `lang`, from `body`.
    fn tokens_of(
        site: &Site,
        lang: &str,
        slug: &str,
        body: &str,
        headings: &[&str],
    ) -> Vec<String> {
        let i = site.pages.position(|p| p.slug == slug).unwrap();
        let rendered = Rendered {
            text: body.to_string(),
            headings: (headings.iter())
                .map(|h| Heading {
                    level: 2,
                    id: h.to_string(),
                    text: h.to_string(),
                })
                .collect(),
            ..Rendered::default()
        };
        let doc = doc(site, lang, i, &rendered, &Boilerplate::new(&site.config));
        let mut tokens: Vec<String> = doc.terms.into_iter().map(|t| t.0).collect();
        tokens.sort();
        tokens
    }

    #[test]
    fn scaffold_lines_and_field_labels_are_not_indexed_but_content_and_values_are() {
        let site = site();
        let body = "Overview\nIt ships open weights.\nOpen questions\nScale.\n";
        let tokens = tokens_of(&site, "en", "uni", body, &["Overview", "Open questions"]);
        assert_eq!(
            tokens,
            [
                "it",
                "model",
                "open",
                "pathology",
                "scale",
                "ships",
                "weights",
                "型",
                "模",
                "模型",
                "理",
                "理模",
                "病",
                "病理"
            ],
            "the English page: its text, its title in both languages, its kind and modality labels"
        );
        let tokens = tokens_of(
            &site,
            "zh",
            "ct-set",
            "概述\n开放问题\n",
            &["概述", "开放问题"],
        );
        assert_eq!(tokens, ["ct", "set", "据", "据集", "数", "数据", "集"]);
        let entry = page_fields(&site, "zh", PageId::new(1), "概述 正文").0;
        assert_eq!(
            (entry.kind.as_str(), entry.text.as_str()),
            ("数据集", "概述 正文")
        );
    }

    fn index(site: &Site, lang: &str) -> LangIndex {
        let collector = Collector::new(site);
        for i in site.pages.ids() {
            let doc = collector.index(site, lang, i, &Rendered::default());
            collector.insert(lang, i, doc);
        }
        collector
            .finish(site)
            .into_iter()
            .find(|l| l.lang == lang)
            .unwrap()
    }

    #[test]
    fn term_pages_come_first_and_lead_to_their_entries_in_any_language() {
        let site = site();
        let zh = index(&site, "zh");
        let titles = |hits: Vec<index::Hit>| -> Vec<String> {
            hits.iter()
                .map(|h| zh.postings.titles[h.page as usize].clone())
                .collect()
        };
        let none = Synonyms::default();
        assert_eq!(
            titles(zh.postings.search("病理", &none)),
            ["病理切片", "病理模型"]
        );
        // Through the category's English label and its alias: the Chinese page has neither.
        assert_eq!(
            titles(zh.postings.search("pathology", &none)),
            ["病理切片", "病理模型"]
        );
        assert_eq!(
            titles(zh.postings.search("histology", &none)),
            ["病理切片", "病理模型"]
        );
        assert_eq!(
            titles(zh.postings.search("模态", &none)),
            ["模态"],
            "the taxonomy's own page"
        );
        assert_eq!(zh.categories.len(), 2);
        assert_eq!(
            zh.categories[0].page.url,
            "taxonomies/modality/pathology.html"
        );
        let first = zh.postings.first_category() as usize;
        assert_eq!(&zh.postings.titles[first..], ["病理切片", "CT"]);
        let js = index_script(&site, &zh, &none, vec![0]).unwrap();
        assert!(js.contains(r#""facets":[{"name":"kind","label":"类型","values":[["model","模型"],["dataset","数据集"]]}]"#), "{js}");
        let (back, _) = encode::read_script(&js).unwrap();
        assert_eq!(back.categories, zh.postings.categories);
        assert_eq!(
            back.search("pathology", &none),
            zh.postings.search("pathology", &none)
        );
    }

    #[test]
    fn snippet_text_is_collapsed_and_capped() {
        assert_eq!(
            snippet_source("  概述\n\nMedSAM  把 SAM\t用于医学图像。\n"),
            "概述 MedSAM 把 SAM 用于医学图像。"
        );
        let long = "word ".repeat(SNIPPET_SOURCE_CHARS);
        let capped = snippet_source(&long);
        assert!(
            capped.chars().count() <= SNIPPET_SOURCE_CHARS
                && capped.chars().count() > SNIPPET_SOURCE_CHARS - 5
        );
        assert!(capped.ends_with("word"));
    }
}
