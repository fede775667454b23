//! The print view: one page per language with the whole review — the trend pages, then every
//! work grouped by strand — for reading in one go or saving as PDF. Links between pages that are
//! both in the print view become in-page links; heading ids are scoped per page so they stay
//! unique, and body headings are demoted two levels to sit under the page titles.

use std::collections::HashSet;

use tera::{Context, Tera};

use serde::Serialize;

use crate::base::diagnostic::Diagnostic;
use crate::load::content::{Page, PageMetaKind};
use crate::markup::markdown::{self, LinkResolver, RenderOptions, Source};
use crate::model::schema::Layout;
use crate::model::site::Site;
use crate::render::insert_value;
use crate::view::{lang_prefix, root_for, TermRef, Views};

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

/// A work in the print view (its article is rendered with the work's own page, from
/// [`WORK_TEMPLATE`], and streamed in place of `html`).
#[derive(Debug, Serialize)]
pub struct PrintWork {
    /// In-page anchor.
    pub id: String,
    /// Title, for the contents.
    pub title: String,
    /// The article's marker.
    pub html: String,
}

/// Template of one work's article in the print view.
pub const WORK_TEMPLATE: &str = "print-work.html";

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

/// Which pages the print view holds. Built once per build; the render phase asks it which pages
/// need a print fragment, and the publish phase assembles the page from those fragments.
#[derive(Debug)]
pub struct PrintPlan {
    trends: Vec<usize>,
    included: HashSet<usize>,
}

impl PrintPlan {
    /// The trend pages (in navigation order) and every work.
    pub fn new(site: &Site) -> Self {
        let trends = trend_pages(site);
        let included = trends.iter().chain(&site.works).copied().collect();
        PrintPlan { trends, included }
    }

    /// True if page `i` appears in the print view.
    pub fn includes(&self, i: usize) -> bool {
        self.included.contains(&i)
    }

    /// The body of page `i` in `lang` as the print view shows it (a trend page's whole piece; a
    /// work's article wraps it): `@/` links between included pages become in-page links, ids
    /// are scoped to the page and headings demoted two levels. Highlighted blocks come from the
    /// build's highlighter, so a page rendered just before costs no second highlighting.
    pub fn body(&self, site: &Site, lang: &str, i: usize) -> String {
        let prefix = lang_prefix(site, lang);
        let resolver = PrintResolver {
            site,
            root: root_for(&format!("{prefix}{PRINT_FILE}")),
            prefix,
            included: &self.included,
        };
        let page = &site.pages[i];
        let text = page.text(lang, site.default_lang());
        let source = Source {
            path: &text.file,
            file_text: &text.file_text,
            body: text.body(),
            body_line: text.body_line,
        };
        let (rendered, _problems) = markdown::render_with(
            &source,
            &resolver,
            RenderOptions {
                trust_raw_html: site.config.trust_raw_html,
            },
            &site.highlighter,
        );
        scope_and_demote(&rendered.html, &anchor_of(page), 2)
    }

    /// The print-view piece of work `i`: its article (facts and body, from [`WORK_TEMPLATE`]),
    /// given the work's view as its own page is rendered with (lent to the template, not copied:
    /// `page` holds it again on return). Template errors are diagnostics.
    pub fn work_piece(
        &self,
        tera: &Tera,
        views: &Views<'_>,
        i: usize,
        page: &mut serde_json::Value,
    ) -> Result<String, Diagnostic> {
        let site = views.site;
        let mut context = Context::new();
        insert_value(&mut context, "t", views.strings());
        context.insert(
            "root",
            &root_for(&format!("{}{PRINT_FILE}", lang_prefix(site, views.lang))),
        );
        context.insert("lang", views.lang);
        // What the template calls `w`: the in-page anchor, the work's view and its body HTML
        // with scoped ids and in-page links.
        let mut article = serde_json::Map::new();
        article.insert("id".into(), anchor_of(&site.pages[i]).into());
        article.insert("page".into(), std::mem::take(page));
        article.insert("html".into(), self.body(site, views.lang, i).into());
        insert_value(&mut context, "w", article.into());
        let rendered = tera.render(WORK_TEMPLATE, &context);
        if let Some(serde_json::Value::Object(mut article)) = context.remove("w") {
            *page = article.remove("page").unwrap_or_default();
        }
        rendered.map_err(|e| {
            Diagnostic::error(
                format!("templates/{WORK_TEMPLATE}"),
                0,
                0,
                format!(
                    "cannot render the print view of {}: {}",
                    site.pages[i].source,
                    crate::render::error_chain(&e)
                ),
            )
        })
    }

    /// The print view of `views.lang`, each body given as the marker [`fragment_marker`] of
    /// its page (the publish phase streams the stored fragments in their place).
    pub fn view(&self, views: &Views<'_>) -> PrintView {
        let site = views.site;
        let trends = self
            .trends
            .iter()
            .map(|&i| {
                let text = site.pages[i].text(views.lang, site.default_lang());
                PrintSection {
                    id: anchor_of(&site.pages[i]),
                    title: text.title.clone(),
                    summary: text.summary.clone(),
                    html: fragment_marker(i),
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
                        title: site.pages[i]
                            .text(views.lang, site.default_lang())
                            .title
                            .clone(),
                        html: fragment_marker(i),
                    })
                    .collect(),
            })
            .filter(|s| !s.works.is_empty())
            .collect();
        PrintView { trends, strands }
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

/// Start of the marker that stands for a page's body in the rendered print template. Template
/// output escapes `<` in every text field, so only the `| safe` body field can produce it.
const MARKER_START: &str = "<!--medfm-print-fragment:";
const MARKER_END: &str = "-->";

/// The marker standing for page `i`'s body.
pub fn fragment_marker(i: usize) -> String {
    format!("{MARKER_START}{i}{MARKER_END}")
}

/// A piece of rendered print-view HTML: literal HTML, or the place of a page's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// HTML to copy as is.
    Html(&'a str),
    /// The body fragment of this page index.
    Fragment(usize),
}

/// Splits rendered print-view HTML at the fragment markers, calling `emit` with each piece in
/// document order.
pub fn expand_markers<E>(
    html: &str,
    mut emit: impl FnMut(Piece<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let mut rest = html;
    while let Some(start) = rest.find(MARKER_START) {
        let after = &rest[start + MARKER_START.len()..];
        let parsed = after
            .find(MARKER_END)
            .and_then(|end| Some((after[..end].parse::<usize>().ok()?, end)));
        let Some((i, end)) = parsed else {
            emit(Piece::Html(&rest[..start + MARKER_START.len()]))?;
            rest = after;
            continue;
        };
        emit(Piece::Html(&rest[..start]))?;
        emit(Piece::Fragment(i))?;
        rest = &after[end + MARKER_END.len()..];
    }
    emit(Piece::Html(rest))
}

/// In one pass over `html`: prefixes every `id` with `scope--` (and the same-page links that
/// point at them), and moves every heading `levels` levels down (at most to `h6`).
pub fn scope_and_demote(html: &str, scope: &str, levels: u8) -> String {
    let ids: HashSet<&str> = html
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(pos) = rest.find(['<', ' ']) {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if let Some(after) = rest.strip_prefix(" id=\"") {
            out.push_str(" id=\"");
            out.push_str(scope);
            out.push_str("--");
            rest = after;
        } else if let Some(after) = rest.strip_prefix(" href=\"#") {
            let target = after.split('"').next().unwrap_or_default();
            out.push_str(" href=\"#");
            if ids.contains(target) {
                out.push_str(scope);
                out.push_str("--");
            }
            rest = after;
        } else if let Some((tag, level, after)) = heading_tag(rest) {
            out.push_str(tag);
            out.push(char::from(b'0' + (level + levels).min(6)));
            rest = after;
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `<hN` or `</hN` at the start of `s`: the tag opening, N, and the text after N.
fn heading_tag(s: &str) -> Option<(&str, u8, &str)> {
    let open = if s.starts_with("</h") {
        3
    } else if s.starts_with("<h") {
        2
    } else {
        return None;
    };
    let level = *s.as_bytes().get(open)?;
    (b'1'..=b'6')
        .contains(&level)
        .then(|| (&s[..open], level - b'0', &s[open + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_scoped_and_links_follow() {
        let html =
            "<h2 id=\"概述\">概述</h2><p><a href=\"#概述\">x</a> <a href=\"#p-models-a\">y</a></p>";
        let out = scope_and_demote(html, "p-models-b", 0);
        assert!(out.contains("id=\"p-models-b--概述\""));
        assert!(out.contains("href=\"#p-models-b--概述\""));
        assert!(
            out.contains("href=\"#p-models-a\""),
            "links to other pages stay: {out}"
        );
    }

    #[test]
    fn headings_demote_and_stop_at_h6() {
        assert_eq!(
            scope_and_demote("<h2 id=\"a\">A</h2><h5>B</h5><hr><header>", "s", 2),
            "<h4 id=\"s--a\">A</h4><h6>B</h6><hr><header>"
        );
        assert_eq!(
            scope_and_demote("<h6>x</h6> a < b", "s", 1),
            "<h6>x</h6> a < b"
        );
    }

    #[test]
    fn markers_split_the_html_in_order() {
        let html = format!(
            "a{}b{}c<!--medfm-print-fragment:x-->",
            fragment_marker(3),
            fragment_marker(10)
        );
        let mut parts = Vec::new();
        expand_markers::<()>(&html, |piece| {
            parts.push(match piece {
                Piece::Html(t) => t.to_string(),
                Piece::Fragment(i) => format!("#{i}"),
            });
            Ok(())
        })
        .unwrap();
        assert_eq!(parts.concat(), "a#3b#10c<!--medfm-print-fragment:x-->");
    }
}
