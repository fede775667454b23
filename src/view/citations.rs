//! Template data of citations: an entry's "discussed in" (the pages and sections citing it)
//! and the site-wide bibliography page (every cited work with the pages citing it).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::model::citations::Work;
use crate::model::id::PageId;
use crate::view::Views;

/// A section of a page that cites a work.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SectionLink {
    /// The heading's text.
    pub(crate) title: String,
    /// Root-relative URL with the heading's anchor.
    pub(crate) url: String,
}

/// A page citing a work, with the sections the citations are in.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CitingPage {
    /// The page's title.
    pub(crate) title: String,
    /// Root-relative URL of the page.
    pub(crate) url: String,
    /// The sections, in page order (none when the citations precede every heading).
    pub(crate) sections: Vec<SectionLink>,
}

/// A work of the bibliography page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct BibliographyItem {
    /// Element id: `ref-<key>`.
    pub(crate) id: String,
    /// The formatted reference (HTML).
    pub(crate) html: String,
    /// The entry's page (root-relative), when the work is an entry.
    pub(crate) page: Option<String>,
    /// The entry's title, when the work is an entry.
    pub(crate) page_title: Option<String>,
    /// The work's DOI or URL, when it is not an entry.
    pub(crate) link: Option<String>,
    /// The pages citing it.
    pub(crate) cited_in: Vec<CitingPage>,
}

impl Views<'_> {
    /// The pages citing `key` in this language, by page, with their sections.
    pub(crate) fn citing_pages(&self, key: &str) -> Vec<CitingPage> {
        let site = self.site;
        let mut pages: BTreeMap<PageId, CitingPage> = BTreeMap::new();
        for citer in site.citations.citers(key, self.lang) {
            let url = self.url(&site.pages[citer.page].output);
            let page = pages.entry(citer.page).or_insert_with(|| CitingPage {
                title: site.title(citer.page, self.lang).to_string(),
                url: url.clone(),
                sections: Vec::new(),
            });
            if let Some((id, text)) = &citer.section {
                page.sections.push(SectionLink {
                    title: text.clone(),
                    url: format!("{url}#{id}"),
                });
            }
        }
        pages.into_values().collect()
    }

    /// Where entry `i` is discussed: the pages citing it (empty when none does).
    pub(crate) fn discussed_in(&self, i: PageId) -> Vec<CitingPage> {
        match self.site.citations.is_empty() {
            true => Vec::new(),
            false => self.citing_pages(&self.site.pages[i].slug),
        }
    }

    /// Every cited work, sorted by its reference's text.
    pub(crate) fn bibliography(&self) -> Vec<BibliographyItem> {
        let site = self.site;
        let citations = &site.citations;
        let mut items: Vec<(String, BibliographyItem)> = (citations.works().iter())
            .map(|(key, work)| {
                let reference = citations.reference(key, self.lang);
                let (page, page_title, link) = match work {
                    Work::Entry(j) => (
                        Some(self.url(&site.pages[*j].output)),
                        Some(site.title(*j, self.lang).to_string()),
                        None,
                    ),
                    Work::External(_) => (None, None, reference.and_then(|r| r.url.clone())),
                };
                let item = BibliographyItem {
                    id: format!("ref-{key}"),
                    html: reference.map_or_else(|| key.clone(), |r| r.html.clone()),
                    page,
                    page_title,
                    link,
                    cited_in: self.citing_pages(key),
                };
                let sort = reference.map_or_else(|| key.clone(), |r| r.sort.to_lowercase());
                (sort, item)
            })
            .collect();
        items.sort_by(|a, b| a.0.cmp(&b.0));
        items.into_iter().map(|(_, item)| item).collect()
    }
}
