//! The print view: one page per language with the whole review — the trend pages, then every
//! work grouped by strand — for reading in one go or saving as PDF. Links between pages that are
//! both in the print view become in-page links; heading ids are scoped per page so they stay
//! unique, and body headings are demoted two levels to sit under the page titles.

use std::collections::HashSet;

use serde::Serialize;

use crate::content::{Page, PageMetaKind};
use crate::markdown::{self, LinkResolver, RenderOptions, Source};
use crate::schema::Layout;
use crate::site::Site;
use crate::views::{lang_prefix, TermRef, Views, WorkView};

/// Output path of the print view inside each language folder.
pub const PRINT_FILE: &str = "print.html";

/// A trend page in the print view.
#[derive(Debug, Serialize)]
pub struct PrintSection {
    /// In-page anchor.
    pub id: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Body HTML with scoped ids and in-page links.
    pub html: String,
}

/// A work in the print view.
#[derive(Debug, Serialize)]
pub struct PrintWork {
    /// In-page anchor.
    pub id: String,
    /// The work's facts.
    pub page: WorkView,
    /// Body HTML with scoped ids and in-page links.
    pub html: String,
}

/// The works of one strand.
#[derive(Debug, Serialize)]
pub struct PrintStrand {
    /// In-page anchor.
    pub id: String,
    /// The strand.
    pub strand: TermRef,
    /// Its works, in display order.
    pub works: Vec<PrintWork>,
}

/// Everything the print template shows.
#[derive(Debug, Serialize)]
pub struct PrintView {
    /// Trend pages, in navigation order.
    pub trends: Vec<PrintSection>,
    /// Works by strand.
    pub strands: Vec<PrintStrand>,
}

/// The in-page anchor of a page: `p-models-medsam`.
pub fn anchor_of(page: &Page) -> String {
    format!(
        "p-{}",
        page.source.trim_end_matches(".md").replace('/', "-")
    )
}

/// Resolves `@/` links for the print view: pages in it become `#anchors`, others keep their URL.
struct PrintResolver<'a> {
    site: &'a Site,
    prefix: String,
    root: String,
    included: &'a HashSet<usize>,
}

impl LinkResolver for PrintResolver<'_> {
    fn resolve(&self, target: &str, anchor: Option<&str>) -> Result<String, String> {
        // Broken targets are reported by the page's own render; here they only need a value.
        let Some(&i) = self.site.by_source.get(target) else {
            return Err(format!("no page {target}"));
        };
        let page = &self.site.pages[i];
        Ok(match (self.included.contains(&i), anchor) {
            (true, Some(a)) => format!("#{}--{a}", anchor_of(page)),
            (true, None) => format!("#{}", anchor_of(page)),
            (false, Some(a)) => format!("{}{}{}#{a}", self.root, self.prefix, page.output),
            (false, None) => format!("{}{}{}", self.root, self.prefix, page.output),
        })
    }
}

fn trend_pages(site: &Site) -> Vec<usize> {
    let mut trends: Vec<(i32, &str, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match &p.meta {
            PageMetaKind::Section(m) if p.layout() == Some(Layout::Trend) => {
                Some((m.weight.unwrap_or(i32::MAX), p.source.as_str(), i))
            }
            _ => None,
        })
        .collect();
    trends.sort();
    trends.into_iter().map(|(_, _, i)| i).collect()
}

/// Builds the print view of `views.lang`.
pub fn print_view(views: &Views<'_>) -> PrintView {
    let site = views.site;
    let trends = trend_pages(site);
    let included: HashSet<usize> = trends.iter().chain(&site.works).copied().collect();
    let prefix = lang_prefix(site, views.lang);
    let resolver = PrintResolver {
        site,
        root: crate::views::root_for(&format!("{prefix}{PRINT_FILE}")),
        prefix,
        included: &included,
    };
    let body = |i: usize| body_html(site, views.lang, i, &resolver);
    let trends = trends
        .into_iter()
        .map(|i| {
            let text = site.pages[i].text(views.lang, site.default_lang());
            PrintSection {
                id: anchor_of(&site.pages[i]),
                title: text.title.clone(),
                summary: text.summary.clone(),
                html: body(i),
            }
        })
        .collect();
    let strands = site
        .config
        .vocabularies
        .strand
        .keys()
        .map(|s| PrintStrand {
            id: format!("strand-{s}"),
            strand: views.term("strand", s),
            works: site
                .strand_works(s)
                .into_iter()
                .map(|i| PrintWork {
                    id: anchor_of(&site.pages[i]),
                    page: views.work(i),
                    html: body(i),
                })
                .collect(),
        })
        .filter(|s| !s.works.is_empty())
        .collect();
    PrintView { trends, strands }
}

fn body_html(site: &Site, lang: &str, i: usize, resolver: &PrintResolver<'_>) -> String {
    let page = &site.pages[i];
    let text = page.text(lang, site.default_lang());
    let source = Source {
        path: &text.file,
        file_text: &text.file_text,
        body: &text.body,
        body_line: text.body_line,
    };
    let (rendered, _problems) = markdown::render_with(
        &source,
        resolver,
        RenderOptions {
            trust_raw_html: site.config.trust_raw_html,
        },
        &site.highlighter,
    );
    demote(&demote(&scope_ids(&rendered.html, &anchor_of(page))))
}

/// Prefixes every `id` in `html` with `scope--`, and the in-page links pointing at them.
pub fn scope_ids(html: &str, scope: &str) -> String {
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut out = html.replace(" id=\"", &format!(" id=\"{scope}--"));
    for id in ids {
        out = out.replace(
            &format!("href=\"#{id}\""),
            &format!("href=\"#{scope}--{id}\""),
        );
    }
    out
}

/// Moves every heading one level down (`h5` and `h6` both end as `h6`).
pub fn demote(html: &str) -> String {
    let mut out = html.to_string();
    for level in (1..=5).rev() {
        out = out
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_scoped_and_links_follow() {
        let html =
            "<h2 id=\"概述\">概述</h2><p><a href=\"#概述\">x</a> <a href=\"#p-models-a\">y</a></p>";
        let out = scope_ids(html, "p-models-b");
        assert!(out.contains("id=\"p-models-b--概述\""));
        assert!(out.contains("href=\"#p-models-b--概述\""));
        assert!(
            out.contains("href=\"#p-models-a\""),
            "links to other pages stay: {out}"
        );
    }

    #[test]
    fn headings_demote() {
        assert_eq!(
            demote("<h2 id=\"a\">A</h2><h6>B</h6>"),
            "<h3 id=\"a\">A</h3><h6>B</h6>"
        );
        assert_eq!(demote(&demote("<h2>A</h2>")), "<h4>A</h4>");
    }
}
