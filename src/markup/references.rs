//! A page's citations as it shows them: the in-text marks (numbered per page in order of first
//! citation, or author-year labels) linking to its reference list, and that list at the foot
//! of the body (each entry linked to its page, each external work to its DOI or URL). Ids are
//! `ref-<key>`, kept apart from the page's heading ids; the print view scopes them per page.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use crate::base::cite::{Cite, Marks};
use crate::markup::highlight::escape;
use crate::markup::markdown::{LinkResolver, PageCitations};
use crate::model::bibliography::MarkStyle;
use crate::model::citations::Work;
use crate::model::id::PageId;
use crate::model::site::Site;

/// The citations of one page in one language, ready to mark and list.
pub(crate) struct PageReferences<'a> {
    site: &'a Site,
    lang: &'a str,
    style: MarkStyle,
    /// The cited keys in order of first citation.
    keys: &'a [String],
    /// Key → (number, element id).
    ids: HashMap<&'a str, (usize, String)>,
    /// Id of the list's heading.
    heading: String,
}

impl<'a> PageReferences<'a> {
    /// The references of page `i` in `lang`, or `None` when it cites nothing (the page then
    /// pays nothing for citations).
    pub(crate) fn of_page(site: &'a Site, i: PageId, lang: &'a str) -> Option<Self> {
        let keys = site.citations.of_page(i, lang);
        if keys.is_empty() {
            return None;
        }
        let file = site.pages[i].file(lang, site.default_lang());
        let mut taken: HashSet<String> = file.outline.iter().map(|h| h.id.clone()).collect();
        let mut unique = |base: String| {
            let mut id = base.clone();
            let mut n = 1;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        };
        let heading = unique("references".to_string());
        let ids = (keys.iter().enumerate())
            .map(|(n, key)| (key.as_str(), (n + 1, unique(format!("ref-{key}")))))
            .collect();
        let style = site
            .config
            .citations
            .as_ref()
            .map_or_else(Default::default, |d| d.marks);
        Some(PageReferences {
            site,
            lang,
            style,
            keys,
            ids,
            heading,
        })
    }

    fn label(&self, key: &str) -> String {
        match self.style {
            MarkStyle::Numbered => self.ids[key].0.to_string(),
            MarkStyle::AuthorYear => {
                let r = self.site.citations.reference(key, self.lang);
                escape(r.map_or(key, |r| r.label.as_str()))
            }
        }
    }

    /// The reference list: a heading and one item per cited work.
    fn list(&self, links: &dyn LinkResolver) -> String {
        let mut order: Vec<&String> = self.keys.iter().collect();
        if self.style == MarkStyle::AuthorYear {
            order.sort_by_cached_key(|k| {
                (self.site.citations.reference(k, self.lang))
                    .map_or_else(String::new, |r| r.sort.clone())
            });
        }
        let title = escape(self.site.config.string(self.lang, "references"));
        let mut out = format!(
            "<section class=\"references\" aria-labelledby=\"{0}\">\n<h2 id=\"{0}\">{title}</h2>\n<ol class=\"references\">\n",
            self.heading
        );
        for key in order {
            self.item(&mut out, key, links);
        }
        out.push_str("</ol>\n</section>\n");
        out
    }

    fn item(&self, out: &mut String, key: &str, links: &dyn LinkResolver) {
        let (n, id) = &self.ids[key];
        let reference = self.site.citations.reference(key, self.lang);
        let text = reference.map_or_else(|| escape(key), |r| r.html.clone());
        let _ = write!(out, "<li id=\"{id}\">");
        if self.style == MarkStyle::Numbered {
            let _ = write!(out, "<span class=\"ref-label\">[{n}]</span> ");
        }
        out.push_str(&text);
        match self.site.citations.work(key) {
            Some(Work::Entry(j)) => {
                if let Ok(url) = links.resolve(&self.site.pages[*j].source, None) {
                    let title = escape(self.site.title(*j, self.lang));
                    let _ = write!(
                        out,
                        " <a class=\"ref-page\" href=\"{}\">{title}</a>",
                        escape(&url)
                    );
                }
            }
            _ => {
                let url = reference.and_then(|r| r.url.as_deref());
                if let Some(url) = url.filter(|u| !text.contains(&escape(u))) {
                    let url = escape(url);
                    let _ = write!(out, " <a class=\"ref-link\" href=\"{url}\">{url}</a>");
                }
            }
        }
        out.push_str("</li>\n");
    }
}

impl Marks for PageReferences<'_> {
    fn mark(&self, cites: &[Cite<'_>], bracketed: bool) -> Option<String> {
        if cites.iter().any(|c| !self.ids.contains_key(c.key)) {
            return None;
        }
        let parts: Vec<String> = (cites.iter())
            .map(|c| {
                let (_, id) = &self.ids[c.key];
                let mut part = format!("<a href=\"#{id}\">{}</a>", self.label(c.key));
                if !c.locator.is_empty() {
                    let _ = write!(part, ", {}", escape(c.locator));
                }
                part
            })
            .collect();
        let any_locator = cites.iter().any(|c| !c.locator.is_empty());
        let joined = parts.join(if any_locator { "; " } else { ", " });
        Some(match (self.style, bracketed) {
            (MarkStyle::Numbered, _) => format!("<sup class=\"cite\">[{joined}]</sup>"),
            (MarkStyle::AuthorYear, true) => format!("<span class=\"cite\">({joined})</span>"),
            (MarkStyle::AuthorYear, false) => format!("<span class=\"cite\">{joined}</span>"),
        })
    }
}

impl PageCitations for PageReferences<'_> {
    fn list_html(&self, links: &dyn LinkResolver) -> String {
        self.list(links)
    }

    fn as_marks(&self) -> &dyn Marks {
        self
    }
}
