//! The citations of a site once resolved (see [`crate::model::references::resolve`]): each page
//! its cited works in order of first citation, each work the pages and sections citing it, and
//! each cited work its reference formatted once per language.

use std::collections::{BTreeMap, HashMap};

use crate::base::hash::StableHasher;
use crate::model::bibliography::BibWork;
use crate::model::id::{Id as _, PageId};

/// A cited work.
#[derive(Debug, Clone)]
pub(crate) enum Work {
    /// An entry of a collection: the page's index.
    Entry(PageId),
    /// A work of a bibliography file.
    External(Box<BibWork>),
}

/// Where a work is cited: a page in a language, and the section (heading id and text) the
/// citation is in, if it follows a heading.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Citer {
    /// The citing page.
    pub(crate) page: PageId,
    /// The language of the page.
    pub(crate) lang: String,
    /// The heading the citation is under: (id, text).
    pub(crate) section: Option<(String, String)>,
}

/// A work's reference in one language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reference {
    /// The formatted reference (HTML, escaped; DOIs and URLs as links where the style shows
    /// them).
    pub(crate) html: String,
    /// The work's author-date label without brackets (`Ma et al., 2024`), for author-year marks.
    pub(crate) label: String,
    /// Plain text of the reference, for sorting.
    pub(crate) sort: String,
    /// The work's address outside the site: its DOI, else its URL.
    pub(crate) url: Option<String>,
}

/// The citations of the site, resolved.
#[derive(Debug, Default)]
pub(crate) struct Citations {
    /// (page, language) → the keys the page cites, in order of first citation.
    pub(crate) pages: HashMap<(PageId, String), Vec<String>>,
    /// Key → where it is cited (sorted, without repeats).
    pub(crate) cited_by: BTreeMap<String, Vec<Citer>>,
    /// Key → the work, for every cited work.
    pub(crate) works: BTreeMap<String, Work>,
    /// Language → key → its reference.
    pub(crate) formatted: BTreeMap<String, HashMap<String, Reference>>,
}

impl Citations {
    /// True when no page cites anything.
    pub(crate) fn is_empty(&self) -> bool {
        self.works.is_empty()
    }

    /// The keys page `i` cites in `lang`, in order of first citation.
    pub(crate) fn of_page(&self, i: PageId, lang: &str) -> &[String] {
        self.pages
            .get(&(i, lang.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Where `key` is cited, in `lang` only.
    pub(crate) fn citers<'a>(
        &'a self,
        key: &str,
        lang: &'a str,
    ) -> impl Iterator<Item = &'a Citer> {
        (self.cited_by.get(key).into_iter().flatten()).filter(move |c| c.lang == lang)
    }

    /// The cited work `key`.
    pub(crate) fn work(&self, key: &str) -> Option<&Work> {
        self.works.get(key)
    }

    /// Every cited work, by key.
    pub(crate) fn works(&self) -> &BTreeMap<String, Work> {
        &self.works
    }

    /// The reference of `key` in `lang`.
    pub(crate) fn reference(&self, key: &str, lang: &str) -> Option<&Reference> {
        self.formatted.get(lang)?.get(key)
    }

    /// A hash of who cites what where and of every reference, for the page cache's site key
    /// (an entry's "discussed in" depends on other pages' bodies).
    pub(crate) fn digest(&self) -> u64 {
        let mut h = StableHasher::new();
        for (key, citers) in &self.cited_by {
            h.str(key).u64(citers.len() as u64);
            for c in citers {
                let (id, text) = c.section.clone().unwrap_or_default();
                h.u64(c.page.index() as u64)
                    .str(&c.lang)
                    .str(&id)
                    .str(&text);
            }
        }
        for (lang, refs) in &self.formatted {
            let sorted: BTreeMap<&String, &Reference> = refs.iter().collect();
            for (key, r) in sorted {
                h.str(lang).str(key).str(&r.html).str(&r.label);
            }
        }
        h.finish()
    }
}
