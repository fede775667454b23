//! Offline full-text search: a compact index per language written as JavaScript, so the
//! results page (`search.html?q=…`, driven by `static/search.js`) works from `file://`.
//!
//! The render jobs hand every page's already extracted text (title, aliases, summary, taxonomy
//! labels, headings, body text from [`crate::markup::markdown::Rendered`]) to a [`Collector`]; each job
//! tokenizes its own page in parallel ([`tokenize`]) and appends its postings to one of a few
//! locked partitions. After rendering, [`write`] sorts the postings once and writes
//! `<lang>/search/index.js` (tokens and postings, see [`encode`]) and `search/text-<n>.js`
//! shards holding the snippet text.

pub mod encode;
pub mod index;
pub mod tokenize;

use std::collections::BTreeMap;
use std::hash::Hasher as _;
use std::sync::Mutex;

use anyhow::{Context as _, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::record;
use crate::load::content::{Page, PageMetaKind};
use crate::markup::markdown::Rendered;
use crate::model::config::SiteConfig;
use crate::model::site::{work_terms, Site};
use crate::view::lang_prefix;
use crate::write::staging::Staging;
use index::{page_terms, posting, Field, Posting, Postings, Synonyms, TokenMap};

/// Longest body text kept per page for snippets, in characters.
pub const SNIPPET_SOURCE_CHARS: usize = 6000;
/// Number of separately locked posting partitions.
const PARTITIONS: usize = 16;

/// The `search` section of `site.yaml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct SearchConfig {
    /// Query synonyms per language: `synonyms.<lang>.<term>: [phrases]`. A query term (one word,
    /// or a CJK phrase even inside a longer one) also finds the pages every token of one of its
    /// phrases finds. For words the text does not use, e.g. `胸片` → `胸部 X 光`. Default: none.
    pub synonyms: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

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
pub struct Collector {
    langs: Vec<LangCollector>,
}

/// The finished index of one language.
#[derive(Debug)]
pub struct LangIndex {
    /// Language code.
    pub lang: String,
    /// Tokens and postings.
    pub postings: Postings,
    pages: Vec<PageEntry>,
}

/// Sizes of the written search files.
#[derive(Debug, Clone, Copy, Default)]
pub struct SearchStats {
    /// Pages indexed (all languages).
    pub pages: usize,
    /// Bytes of the `search/index.js` files.
    pub index_bytes: usize,
    /// Bytes of the `search/text-<n>.js` files.
    pub text_bytes: usize,
}

impl Collector {
    /// An empty collector for every language and page of `site`.
    pub fn new(site: &Site) -> Collector {
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
        Collector { langs }
    }

    /// Indexes content page `page` as rendered in `lang`. Tokenizing happens on the caller's
    /// thread; only appending the postings takes a lock.
    pub fn add(&self, site: &Site, lang: &str, page: usize, rendered: &Rendered) {
        self.insert(lang, page, doc(site, lang, page, rendered));
    }

    /// Adds page `page`'s document in `lang` (made by [`doc`]).
    pub fn insert(&self, lang: &str, page: usize, doc: SearchDoc) {
        let SearchDoc { entry, terms } = doc;
        let terms = terms.iter().map(|(t, s)| (t.as_str(), *s));
        self.insert_terms(lang, page, entry, terms);
    }

    /// Adds page `page`'s document in `lang` as an earlier build stored it
    /// ([`SearchDoc::encode`]); false (and nothing added) if the bytes are damaged.
    pub fn insert_encoded(&self, lang: &str, page: usize, mut bytes: &[u8]) -> bool {
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
        page: usize,
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
                let entry = posting(page as u32, score);
                // Most tokens are already known: look up before copying the string into the map.
                match map.get_mut(token) {
                    Some(list) => list.push(entry),
                    None => {
                        map.insert(token.into(), vec![entry]);
                    }
                }
            }
        }
        target.pages.lock().unwrap_or_else(|e| e.into_inner())[page] = Some(entry);
    }

    /// Sorts everything gathered into one index per language (pages never added are dropped
    /// from results but keep their ids).
    pub fn finish(self) -> Vec<LangIndex> {
        self.langs
            .into_par_iter()
            .map(LangCollector::finish)
            .collect()
    }
}

/// One page's share of the index in one language: what the results list shows and its
/// weighted tokens. Kept in the page cache so an unchanged page is not tokenised again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchDoc {
    entry: PageEntry,
    terms: Vec<(String, u8)>,
}

/// The search document of page `page` in `lang`, from its rendered body.
pub fn doc(site: &Site, lang: &str, page: usize, rendered: &Rendered) -> SearchDoc {
    let (entry, fields) = page_fields(site, lang, &site.pages[page], rendered);
    SearchDoc {
        entry,
        terms: page_terms(fields),
    }
}

impl SearchDoc {
    /// Appends the document in the cache record format.
    pub fn encode(&self, out: &mut Vec<u8>) {
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
    fn finish(self) -> LangIndex {
        let pages: Vec<PageEntry> = self
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
        let entries: Vec<(String, Vec<Posting>)> = self
            .parts
            .into_iter()
            .flat_map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
            .map(|(t, list)| (t.into_string(), list))
            .collect();
        let titles = pages.iter().map(|p| p.title.clone()).collect();
        LangIndex {
            lang: self.lang,
            postings: Postings::from_unsorted(entries, titles),
            pages,
        }
    }
}

/// The partition of a token: middle bits of its hash, which the maps' buckets do not use.
fn partition(token: &str) -> usize {
    let mut h = index::Fnv::default();
    h.write(token.as_bytes());
    (h.finish() >> 32) as usize % PARTITIONS
}

/// The listing of a page and its searchable fields, all borrowed from the site and the render.
fn page_fields<'a>(
    site: &'a Site,
    lang: &str,
    page: &'a Page,
    rendered: &'a Rendered,
) -> (PageEntry, Vec<(Field, &'a str)>) {
    let config = &site.config;
    let text = page.text(lang, site.default_lang());
    let mut fields = vec![
        (Field::Title, text.title.as_str()),
        (Field::Summary, text.summary.as_str()),
    ];
    fields.extend(
        rendered
            .headings
            .iter()
            .map(|h| (Field::Heading, h.text.as_str())),
    );
    fields.push((Field::Body, rendered.text.as_str()));
    let (kind, strand) = match &page.meta {
        PageMetaKind::Work(w) => {
            fields.extend(w.aliases.iter().map(|a| (Field::Alias, a.as_str())));
            fields.push((Field::Alias, text.full_name.as_str()));
            fields.extend(
                [&text.headline, &text.data_scale, &w.paper.title]
                    .map(|s| (Field::Summary, s.as_str())),
            );
            fields.extend([
                (Field::Body, text.discrepancy.as_str()),
                (Field::Term, w.arxiv.as_str()),
            ]);
            fields.push((Field::Term, config.term_label("theme", &w.theme, lang)));
            for tax in crate::render::taxonomy_names() {
                fields.extend(
                    work_terms(w, tax)
                        .into_iter()
                        .map(|k| (Field::Term, config.term_label(tax, k, lang))),
                );
            }
            (
                config.term_label("kind", &w.kind, lang).to_string(),
                Some(config.term_label("strand", &w.strand, lang).to_string()),
            )
        }
        PageMetaKind::Section(m) => {
            let strand = m
                .strand
                .as_deref()
                .map(|s| config.term_label("strand", s, lang));
            fields.extend(strand.map(|s| (Field::Term, s)));
            let kind = ui_string(
                config,
                lang,
                if strand.is_some() {
                    "search_kind_trend"
                } else {
                    "search_kind_page"
                },
            );
            (kind, strand.map(str::to_string))
        }
    };
    let entry = PageEntry {
        url: page.output.clone(),
        title: text.title.clone(),
        kind,
        strand,
        summary: text.summary.clone(),
        text: snippet_source(&rendered.text),
    };
    (entry, fields)
}

fn ui_string(config: &SiteConfig, lang: &str, key: &str) -> String {
    config
        .strings
        .get(lang)
        .and_then(|t| t.get(key))
        .cloned()
        .unwrap_or_default()
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
pub fn write(site: &Site, indexes: &[LangIndex], staging: &Staging) -> Result<SearchStats> {
    let mut stats = SearchStats::default();
    for index in indexes {
        let synonyms = synonyms_for(site, &index.lang)?;
        let prefix = lang_prefix(site, &index.lang);
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
        let js = index_script(index, &synonyms, shards.iter().map(|s| s.0).collect())?;
        staging.write(&format!("{prefix}search/index.js"), js.as_bytes())?;
        stats.index_bytes += js.len();
        stats.pages += index.pages.len();
    }
    Ok(stats)
}

/// The synonym table of `lang`.
pub fn synonyms_for(site: &Site, lang: &str) -> Result<Synonyms> {
    let empty = BTreeMap::new();
    let table = site.config.search.synonyms.get(lang).unwrap_or(&empty);
    Synonyms::new(table)
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("site.yaml: search.synonyms.{lang}"))
}

fn index_script(index: &LangIndex, synonyms: &Synonyms, shards: Vec<u32>) -> Result<String> {
    let mut labels: Vec<String> = Vec::new();
    let mut label = |s: &str| match labels.iter().position(|l| l == s) {
        Some(i) => i,
        None => {
            labels.push(s.to_string());
            labels.len() - 1
        }
    };
    let pages = index
        .pages
        .iter()
        .map(|p| {
            let strand = p.strand.as_deref().map_or(-1, |s| label(s) as i64);
            encode::PageRow(p.url.clone(), p.title.clone(), label(&p.kind), strand)
        })
        .collect();
    let (tokens, postings) = encode::token_strings(&index.postings);
    let file = encode::IndexFile {
        v: 1,
        lang: &index.lang,
        labels,
        pages,
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
