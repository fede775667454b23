//! The print view: one page per language with the whole site — the pages of the declared layout
//! (e.g. the trend pages), then every entry of the declared collection grouped by its group field
//! — for reading in one go or saving as PDF. Links between pages that are both in the print view
//! become in-page links; heading ids are scoped per page so they stay unique, and body headings
//! are demoted two levels to sit under the page titles.

use std::collections::HashSet;

use serde::Serialize;

use crate::base::diagnostic::Diagnostic;
use crate::base::feed::{erased::Part, key_of_parts};
use crate::base::url::root_for;
use crate::markup::highlight::Highlighter;
use crate::markup::links::{classify, Destination};
use crate::markup::markdown::{
    self, LinkProblem, LinkResolver, PageCitations, RenderOptions, Source,
};
use crate::markup::references::PageReferences;
use crate::model::id::{Id, PageId};
use crate::model::page::Page;
use crate::model::schema::Print;
use crate::model::site::Site;
use crate::render::context::BodyView;
use crate::render::meta::Subject;
use crate::render::origins::origins;
use crate::templates::guard::TemplateGuard;
use crate::templates::{Call, Context, ContextError, Templates};
use crate::view::{TermRef, Views};
use crate::write::contexts::ContextCache;

/// Output path of the print view inside each language folder.
pub(crate) const PRINT_FILE: &str = "print.html";
/// Template of the print view.
pub(crate) const TEMPLATE: &str = "print.html";
/// Template of one entry's article in the print view.
pub(crate) const PIECE_TEMPLATE: &str = "print-work.html";

/// A page of the declared layout in the print view.
#[derive(Debug, Serialize)]
pub(crate) struct PrintSection {
    /// In-page anchor.
    pub(crate) id: String,
    /// Title.
    pub(crate) title: String,
    /// Summary.
    pub(crate) summary: String,
    /// Body HTML with scoped ids and in-page links (its marker, replaced when streamed).
    pub(crate) html: String,
}

/// An entry in the print view (its article is rendered with the entry's own page, from
/// [`PIECE_TEMPLATE`], and streamed in place of `html`).
#[derive(Debug, Serialize)]
pub(crate) struct PrintWork {
    /// In-page anchor.
    pub(crate) id: String,
    /// Title, for the contents.
    pub(crate) title: String,
    /// The article's marker.
    pub(crate) html: String,
}

/// The entries of one group.
#[derive(Debug, Serialize)]
pub(crate) struct PrintGroup {
    /// In-page anchor.
    pub(crate) id: String,
    /// The group's term (none when the collection has no group field).
    pub(crate) term: Option<TermRef>,
    /// Its entries, in display order.
    pub(crate) works: Vec<PrintWork>,
}

/// Everything the print template shows.
#[derive(Debug, Serialize)]
pub(crate) struct PrintView {
    /// The layout's pages, in navigation order.
    pub(crate) pages: Vec<PrintSection>,
    /// The entries by group.
    pub(crate) groups: Vec<PrintGroup>,
    /// True when the collection has more entries than `print.full_text_up_to`: each entry is
    /// printed without its body.
    pub(crate) abridged: bool,
}

/// The print template's page-kind fields.
#[derive(Debug, Serialize)]
pub(crate) struct PrintPage {
    /// The view.
    pub(crate) print: PrintView,
}

/// The in-page anchor of a page: `p-models-medsam`.
pub(crate) fn anchor_of(page: &Page) -> String {
    format!(
        "p-{}",
        page.source.trim_end_matches(".md").replace('/', "-")
    )
}

/// Resolves links for the print view: pages in it become `#anchors`, others keep their URL;
/// a same-page `#anchor` is scoped to the page's article, a site file is reached from the print
/// view's folder.
struct PrintResolver<'a> {
    site: &'a Site,
    prefix: String,
    root: String,
    included: &'a HashSet<PageId>,
    /// The page whose body is rendered.
    page: &'a Page,
}

impl LinkResolver for PrintResolver<'_> {
    fn resolve(&self, target: &str, anchor: Option<&str>) -> Result<String, LinkProblem> {
        // Broken targets are reported by the page's own render; here they only need a value.
        let Some(&i) = self.site.by_source.get(target) else {
            return Err(LinkProblem {
                message: format!("no page {target}"),
                hint: None,
            });
        };
        let page = &self.site.pages[i];
        Ok(match (self.included.contains(&i), anchor) {
            (true, Some(a)) => format!("#{}--{a}", anchor_of(page)),
            (true, None) => format!("#{}", anchor_of(page)),
            (false, Some(a)) => format!("{}{}{}#{a}", self.root, self.prefix, page.output),
            (false, None) => format!("{}{}{}", self.root, self.prefix, page.output),
        })
    }

    fn resolve_other(&self, dest: &str, _image: bool) -> Result<String, LinkProblem> {
        // As for `@/` links, problems are the page's own render's to report.
        Ok(match classify(dest) {
            Destination::Anchor(a) => format!("#{}--{a}", anchor_of(self.page)),
            Destination::SiteFile { path, rest } => format!("{}{path}{rest}", self.root),
            _ => dest.to_string(),
        })
    }
}

/// Which pages the print view holds. Built once per build; the render phase asks it which pages
/// need a print fragment, and the publish phase assembles the page from those fragments.
#[derive(Debug, Default)]
pub(crate) struct PrintPlan {
    decl: Option<Print>,
    pages: Vec<PageId>,
    included: HashSet<PageId>,
    /// The entries are printed without their bodies (see [`PrintView::abridged`]).
    abridged: bool,
    /// A key of which pages the view holds and whether it is abridged: what an entry's body in
    /// the view depends on besides the body itself (its links to included pages become in-page
    /// links).
    shape_key: u64,
}

/// An entry's print piece as [`PrintPlan::entry_piece`] makes it.
#[derive(Debug)]
pub(crate) enum EntryPiece {
    /// Rendered by this build.
    Rendered(String),
    /// The previous build rendered the same piece, from the same context and body; it is in the
    /// page cache (see [`crate::write::incremental`]).
    Unchanged,
}

/// What making an entry's print piece needs besides the plan.
pub(crate) struct PieceTools<'a> {
    /// The templates.
    pub(crate) templates: &'a Templates,
    /// Times each render.
    pub(crate) guard: &'a TemplateGuard,
    /// Highlights code in the body.
    pub(crate) highlighter: &'a Highlighter,
    /// The context keys of the previous build, when building.
    pub(crate) contexts: Option<&'a ContextCache>,
}

/// One entry's article as [`PIECE_TEMPLATE`] receives it (`w`).
#[derive(Debug, Serialize)]
struct Article<'a> {
    id: String,
    html: String,
    #[serde(skip)]
    page: &'a mut serde_json::Value,
}

/// The fields of [`PIECE_TEMPLATE`] besides `w.page`.
#[derive(Debug, Serialize)]
struct PieceContext<'a> {
    t: &'a serde_json::Value,
    labels: &'a serde_json::Value,
    root: String,
    lang: &'a str,
}

impl PrintPlan {
    /// The pages of the declared layout (in navigation order) and every entry of the declared
    /// collection; nothing when the site declares no print view.
    pub(crate) fn new(site: &Site) -> Self {
        let Some(decl) = site.config.model.print.clone() else {
            return PrintPlan::default();
        };
        let pages = layout_pages(site, decl.layout.as_deref());
        let entries = &site.collections[decl.at].order;
        let included: HashSet<PageId> = pages.iter().chain(entries).copied().collect();
        let abridged = decl.full_text_up_to.is_some_and(|n| entries.len() > n);
        let mut sources: Vec<&str> = (included.iter())
            .map(|&i| site.pages[i].source.as_str())
            .collect();
        sources.sort_unstable();
        sources.push(if abridged { "abridged" } else { "full" });
        PrintPlan {
            decl: Some(decl),
            pages,
            included,
            abridged,
            shape_key: crate::base::hash::key_of(&sources),
        }
    }

    /// True when the site has a print view.
    pub(crate) fn enabled(&self) -> bool {
        self.decl.is_some()
    }

    /// True if page `i` appears in the print view.
    pub(crate) fn includes(&self, i: PageId) -> bool {
        self.included.contains(&i)
    }

    /// The body of page `i` in `lang` as the print view shows it (a layout page's whole piece; an
    /// entry's article wraps it): `@/` links between included pages become in-page links, ids
    /// are scoped to the page and headings demoted two levels. Highlighted blocks come from the
    /// build's highlighter, so a page rendered just before costs no second highlighting.
    pub(crate) fn body(
        &self,
        site: &Site,
        highlighter: &Highlighter,
        lang: &str,
        i: PageId,
    ) -> String {
        let prefix = site.lang_prefix(lang);
        let page = &site.pages[i];
        let resolver = PrintResolver {
            site,
            root: root_for(&format!("{prefix}{PRINT_FILE}")),
            prefix,
            included: &self.included,
            page,
        };
        let text = page.file(lang, site.default_lang());
        let references = PageReferences::of_page(site, i, lang);
        let source = Source {
            path: &text.file,
            file_text: &text.file_text,
            body: text.body(),
            body_line: text.body_line,
            references: references.as_ref().map(|r| r as &dyn PageCitations),
        };
        let (rendered, _problems) = markdown::render_with(
            &source,
            &resolver,
            RenderOptions {
                trust_raw_html: site.config.trust_raw_html,
                strings: site.config.strings_for(lang),
            },
            highlighter,
        );
        scope_and_demote(&rendered.html, &anchor_of(page), 2)
    }

    /// The print-view piece of entry `i`: its article (facts and body, from [`PIECE_TEMPLATE`];
    /// an empty body when the view is abridged), given the entry's view as its own page is
    /// rendered with (lent to the template, not copied: `page` holds it again on return) and
    /// its body (whose key stands for it in the piece's context key). A piece whose context key
    /// is the previous build's, for a body not rendered yet (see [`crate::render::Body::Keyed`]),
    /// is [`EntryPiece::Unchanged`]. Template errors are diagnostics.
    pub(crate) fn entry_piece(
        &self,
        tools: &PieceTools<'_>,
        views: &Views<'_>,
        i: PageId,
        body: &BodyView<'_>,
        page: &mut serde_json::Value,
    ) -> Result<EntryPiece, Diagnostic> {
        let site = views.site;
        let labels = site.pages[i]
            .collection
            .map_or(&serde_json::Value::Null, |c| views.labels(c));
        let fields = PieceContext {
            t: views.strings(),
            labels,
            root: root_for(&format!("{}{PRINT_FILE}", site.lang_prefix(views.lang))),
            lang: views.lang,
        };
        let id = anchor_of(&site.pages[i]);
        let name = format!("{}{PRINT_FILE}#{id}", site.lang_prefix(views.lang));
        if let Some(cache) = tools.contexts {
            let parts: [(&str, &dyn Part); 5] = [
                ("template", &PIECE_TEMPLATE),
                ("fields", &fields),
                ("id", &id),
                ("body", &(body.key, self.shape_key)),
                ("page", &*page),
            ];
            let key = key_of_parts(&parts);
            if key.is_some_and(|key| cache.unchanged_part(&name, key)) && !body.rendered {
                return Ok(EntryPiece::Unchanged);
            }
        }
        let article = Article {
            id,
            html: match self.abridged {
                true => String::new(),
                false => self.body(site, tools.highlighter, views.lang, i),
            },
            page,
        };
        let problem = |e: &ContextError| {
            Diagnostic::error(
                format!("templates/{PIECE_TEMPLATE}"),
                0,
                0,
                format!(
                    "cannot render the print view of {}: {e}",
                    site.pages[i].source
                ),
            )
        };
        let mut context = Context::from_serialize(&fields).map_err(|e| problem(&e))?;
        // The entry's view is moved into the context and back out: it is the largest value of
        // the page, and the entry page itself is rendered with it next.
        let mut w = match serde_json::to_value(&article) {
            Ok(serde_json::Value::Object(w)) => w,
            _ => serde_json::Map::new(),
        };
        w.insert("page".into(), std::mem::take(article.page));
        context.insert_value("w", serde_json::Value::Object(w));
        let call = Call {
            template: PIECE_TEMPLATE,
            page: &name,
            guard: tools.guard,
            origins: &|| origins(site, Subject::Entry(i), "w."),
        };
        let rendered = tools.templates.render(&call, &context);
        if let Some(serde_json::Value::Object(mut w)) = context.remove("w") {
            *article.page = w.remove("page").unwrap_or_default();
        }
        rendered.map(EntryPiece::Rendered)
    }

    /// The print view of `views.lang`, each body given as the marker [`fragment_marker`] of
    /// its page (the publish phase streams the stored fragments in their place).
    pub(crate) fn view(&self, views: &Views<'_>) -> PrintView {
        let site = views.site;
        let Some(decl) = &self.decl else {
            return PrintView {
                pages: Vec::new(),
                groups: Vec::new(),
                abridged: false,
            };
        };
        let pages = self
            .pages
            .iter()
            .map(|&i| PrintSection {
                id: anchor_of(&site.pages[i]),
                title: site.title(i, views.lang).to_string(),
                summary: site.summary(i, views.lang).to_string(),
                html: fragment_marker(i),
            })
            .collect();
        let c = decl.at;
        let work = |i: PageId| PrintWork {
            id: anchor_of(&site.pages[i]),
            title: site.title(i, views.lang).to_string(),
            html: fragment_marker(i),
        };
        let order = &site.collections[c].order;
        let collection = &site.config.model.collections[c];
        let groups = match collection.roles.group {
            Some(g) => (site.split_by_term(c, g, order).into_iter())
                .map(|(key, part)| PrintGroup {
                    // `--` keeps the entries without a term apart from any term's key.
                    id: format!(
                        "{}-{}",
                        collection.schema.fields[g].name,
                        key.unwrap_or("-none")
                    ),
                    term: Some(views.group_term(c, g, key)),
                    works: part.into_iter().map(work).collect(),
                })
                .collect(),
            None => vec![PrintGroup {
                id: collection.name.clone(),
                term: None,
                works: order.iter().map(|&i| work(i)).collect(),
            }],
        };
        PrintView {
            pages,
            groups,
            abridged: self.abridged,
        }
    }
}

/// Pages of `layout`, ordered by weight (pages without one last) then source path.
fn layout_pages(site: &Site, layout: Option<&str>) -> Vec<PageId> {
    let Some(layout) = layout else {
        return Vec::new();
    };
    let weight = site.config.model.pages.weight_field;
    let mut pages: Vec<(i64, &str, PageId)> = (site.pages.ids())
        .filter(|&i| site.layout(i) == Some(layout))
        .map(|i| {
            let w = match site.pages[i].values[weight] {
                crate::model::value::FieldValue::Integer(Some(w)) => w,
                _ => i64::MAX,
            };
            (w, site.pages[i].source.as_str(), i)
        })
        .collect();
    pages.sort();
    pages.into_iter().map(|(_, _, i)| i).collect()
}

/// Start of the marker that stands for a page's body in the rendered print template. Template
/// output escapes `<` in every text field, so only the `| safe` body field can produce it.
const MARKER_START: &str = "<!--medfm-print-fragment:";
const MARKER_END: &str = "-->";

/// The marker standing for page `i`'s body.
pub(crate) fn fragment_marker(i: PageId) -> String {
    format!("{MARKER_START}{}{MARKER_END}", i.index())
}

/// A piece of rendered print-view HTML: literal HTML, or the place of a page's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    /// HTML to copy as is.
    Html(&'a str),
    /// The body fragment of this page index.
    Fragment(PageId),
}

/// Splits rendered print-view HTML at the fragment markers, calling `emit` with each piece in
/// document order.
pub(crate) fn expand_markers<E>(
    html: &str,
    mut emit: impl FnMut(Piece<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let mut rest = html;
    while let Some(start) = rest.find(MARKER_START) {
        let after = &rest[start + MARKER_START.len()..];
        let parsed = after
            .find(MARKER_END)
            .and_then(|end| Some((PageId::new(after[..end].parse().ok()?), end)));
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
pub(crate) fn scope_and_demote(html: &str, scope: &str, levels: u8) -> String {
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
    use crate::model::id::CollectionId;

    #[test]
    fn the_print_piece_gives_back_the_entry_view_it_borrows() {
        let (site, templates) = crate::load::real_site();
        let guard = TemplateGuard::default();
        let memo = crate::view::ViewMemo::new(&site.config, site.pages.len());
        let plan = PrintPlan::new(&site);
        let highlighter = Highlighter::default();
        for lang in ["zh", "en"] {
            let views = Views {
                site: &site,
                lang,
                memo: &memo,
            };
            let i = site.collections[CollectionId::FIRST].order[0];
            let original = views.entry(i);
            let mut entry = original.clone();
            let tools = PieceTools {
                templates: &templates,
                guard: &guard,
                highlighter: &highlighter,
                contexts: None,
            };
            let body = BodyView {
                key: 0,
                html: "",
                toc: Vec::new(),
                highlighted: false,
                rendered: true,
            };
            let Ok(EntryPiece::Rendered(piece)) =
                plan.entry_piece(&tools, &views, i, &body, &mut entry)
            else {
                panic!("{lang}: no piece rendered");
            };
            assert_eq!(entry, original, "{lang}: the entry view came back changed");
            let anchor = anchor_of(&site.pages[i]);
            assert!(
                piece.contains(&format!("id=\"{anchor}\"")),
                "{lang}: {piece}"
            );
            assert!(
                piece.contains("print-facts"),
                "{lang}: the facts are missing"
            );
        }
    }

    #[test]
    fn the_print_piece_gets_the_documented_variables() {
        // `docs/templates.md` documents `w`, naming its keys and the variables beside it.
        let documented: Vec<(&str, &str)> = (crate::render::context::DOCUMENTED.iter())
            .filter(|(kind, _, _)| *kind == "print piece")
            .map(|(_, name, about)| (*name, *about))
            .collect();
        let [("w", about)] = documented[..] else {
            panic!("the print piece documents `w` alone: {documented:?}");
        };
        let (t, labels, mut page) = (
            serde_json::json!({}),
            serde_json::json!({}),
            serde_json::json!({}),
        );
        let fields = PieceContext {
            t: &t,
            labels: &labels,
            root: "../".into(),
            lang: "en",
        };
        let article = Article {
            id: "p-models-a".into(),
            html: String::new(),
            page: &mut page,
        };
        let keys = |value: serde_json::Value| -> Vec<String> {
            value.as_object().unwrap().keys().cloned().collect()
        };
        let besides = keys(serde_json::to_value(&fields).unwrap());
        let mut in_w = keys(serde_json::to_value(&article).unwrap());
        in_w.push("page".into());
        assert!(!besides.contains(&"w".to_string()));
        let unnamed: Vec<&String> = (besides.iter().chain(&in_w))
            .filter(|key| !about.contains(&format!("`{key}`")))
            .collect();
        assert!(unnamed.is_empty(), "not in the text of `w`: {unnamed:?}");
        assert_eq!(besides.len() + in_w.len(), 7);
    }

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
            fragment_marker(PageId::new(3)),
            fragment_marker(PageId::new(10))
        );
        let mut parts = Vec::new();
        expand_markers::<()>(&html, |piece| {
            parts.push(match piece {
                Piece::Html(t) => t.to_string(),
                Piece::Fragment(i) => format!("#{}", i.index()),
            });
            Ok(())
        })
        .unwrap();
        assert_eq!(parts.concat(), "a#3b#10c<!--medfm-print-fragment:x-->");
    }
}
