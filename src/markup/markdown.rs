//! Markdown rendering with pulldown-cmark: one parser configuration shared by every consumer,
//! CJK-preserving unique heading ids, a table of contents, `@/` internal links resolved at build
//! time, highlighted code blocks, and raw HTML sanitised unless trusted.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::base::cite::{self, Marks};
use crate::base::diagnostic::{line_col, Diagnostic};
use crate::base::slug::IdAllocator;
use crate::markup::{external, highlight};

/// Prefix of internal links between content files: `@/models/medsam.md#方法`.
pub(crate) const INTERNAL_PREFIX: &str = "@/";

pub use crate::base::outline::parser_options;

/// One heading of a page, for the table of contents and anchor checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Heading {
    /// 1–6.
    pub(crate) level: u8,
    /// Unique id within the page.
    pub(crate) id: String,
    /// Plain text of the heading.
    pub(crate) text: String,
}

/// A rendered Markdown body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rendered {
    /// HTML of the body.
    pub(crate) html: String,
    /// All headings in order (the table of contents uses levels 2–3).
    pub(crate) headings: Vec<Heading>,
    /// Plain text of the body (for search and descriptions).
    pub(crate) text: String,
}

/// Resolves an internal link target (`models/medsam.md`, optional anchor) to a URL relative to
/// the page being rendered, or says why it cannot.
pub(crate) trait LinkResolver {
    /// `target` is the content path after `@/`; `anchor` is already percent-decoded.
    fn resolve(&self, target: &str, anchor: Option<&str>) -> Result<String, LinkProblem>;

    /// Resolves any other destination (site files, same-page anchors, external URLs); `image`
    /// is true for `![…](…)`. Default: kept as written.
    fn resolve_other(&self, dest: &str, image: bool) -> Result<String, LinkProblem> {
        let _ = image;
        Ok(dest.to_string())
    }
}

/// Why a link destination was refused, with an optional hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkProblem {
    /// What is wrong.
    pub(crate) message: String,
    /// How to fix it.
    pub(crate) hint: Option<String>,
}

/// Where the Markdown comes from, for positioned diagnostics.
pub(crate) struct Source<'a> {
    /// File shown in diagnostics.
    pub(crate) path: &'a Path,
    /// The whole file (for quoting the source line).
    pub(crate) file_text: &'a str,
    /// The Markdown body.
    pub(crate) body: &'a str,
    /// 1-based file line where the body starts.
    pub(crate) body_line: usize,
    /// The page's resolved citations: marks in the text, its reference list at the foot
    /// (`None` when it cites nothing).
    pub(crate) references: Option<&'a dyn PageCitations>,
}

/// A page's citations as the renderer needs them: a mark per citation, and the reference list
/// appended to the body.
pub(crate) trait PageCitations: Marks {
    /// The reference list, its links resolved through `links`.
    fn list_html(&self, links: &dyn LinkResolver) -> String;

    /// The marks.
    fn as_marks(&self) -> &dyn Marks;
}

/// Rendering switches from the site configuration.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RenderOptions {
    /// Pass raw HTML through instead of sanitising it.
    pub(crate) trust_raw_html: bool,
}

#[cfg(test)]
/// Only the heading ids of a body, cheaply (no highlighting): used to check anchors before rendering.
pub(crate) fn heading_ids(body: &str) -> Vec<String> {
    crate::base::outline::outline(body)
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[cfg(test)]
/// Renders `source.body` to HTML. Link problems are returned as diagnostics; the HTML is still produced.
pub(crate) fn render(
    source: &Source<'_>,
    links: &dyn LinkResolver,
    options: RenderOptions,
) -> (Rendered, Vec<Diagnostic>) {
    render_with(source, links, options, &highlight::Highlighter::default())
}

/// [`render`], highlighting code blocks through `highlighter` (whose cache a build shares).
pub(crate) fn render_with(
    source: &Source<'_>,
    links: &dyn LinkResolver,
    options: RenderOptions,
    highlighter: &highlight::Highlighter,
) -> (Rendered, Vec<Diagnostic>) {
    let mut state = RenderState::new(source, links, options);
    let parser = Parser::new_ext(source.body, parser_options()).into_offset_iter();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut iter = parser.peekable();
    while let Some((event, range)) = iter.next() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let inner: Vec<(Event<'_>, std::ops::Range<usize>)> = iter
                    .by_ref()
                    .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Heading(_))))
                    .collect();
                events.push(state.heading(level, inner));
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(lang) => lang.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let mut code = String::new();
                for (e, _) in iter.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                state.text.push_str(&code);
                events.push(Event::Html(highlighter.block(&lang, &code).into()));
            }
            Event::Html(html) => {
                let mut block = html.to_string();
                while let Some((Event::Html(more), _)) = iter.peek() {
                    block.push_str(more);
                    iter.next();
                }
                events.push(Event::Html(state.raw_html(&block, &range).into()));
            }
            Event::InlineHtml(html) => {
                events.push(Event::InlineHtml(state.raw_html(&html, &range).into()));
            }
            Event::Start(Tag::Table(align)) => {
                events.push(Event::Html(
                    "<div class=\"table-wrap\" tabindex=\"0\">".into(),
                ));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>".into()));
            }
            other => {
                let e = state.inline(other, &range);
                events.push(e);
            }
        }
    }
    if let Some(references) = source.references {
        events = cite::mark(events, references.as_marks());
    }
    let mut html = String::with_capacity(source.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if let Some(references) = source.references {
        html.push_str(&references.list_html(links));
    }
    (
        Rendered {
            html,
            headings: state.headings,
            text: state.text,
        },
        state.problems,
    )
}

struct RenderState<'s, 'a> {
    source: &'s Source<'a>,
    links: &'s dyn LinkResolver,
    options: RenderOptions,
    ids: IdAllocator,
    headings: Vec<Heading>,
    text: String,
    problems: Vec<Diagnostic>,
}

impl<'s, 'a> RenderState<'s, 'a> {
    fn new(source: &'s Source<'a>, links: &'s dyn LinkResolver, options: RenderOptions) -> Self {
        RenderState {
            source,
            links,
            options,
            ids: IdAllocator::default(),
            headings: Vec::new(),
            text: String::new(),
            problems: Vec::new(),
        }
    }

    fn heading<'e>(
        &mut self,
        level: HeadingLevel,
        inner: Vec<(Event<'e>, std::ops::Range<usize>)>,
    ) -> Event<'e> {
        let plain: String = inner
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                _ => None,
            })
            .collect();
        let id = self.ids.allocate(&plain);
        let events: Vec<Event<'e>> = inner.into_iter().map(|(e, r)| self.inline(e, &r)).collect();
        let mut inner_html = String::new();
        pulldown_cmark::html::push_html(&mut inner_html, events.into_iter());
        let n = level as u8;
        self.text.push('\n');
        self.headings.push(Heading {
            level: n,
            id: id.clone(),
            text: plain,
        });
        Event::Html(
            format!(
                "<h{n} id=\"{}\">{inner_html}</h{n}>\n",
                highlight::escape(&id)
            )
            .into(),
        )
    }

    fn inline<'e>(&mut self, event: Event<'e>, range: &std::ops::Range<usize>) -> Event<'e> {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link_target(dest_url, range, false);
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = self.link_target(dest_url, range, true);
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            Event::Text(t) => {
                self.text.push_str(&t);
                Event::Text(t)
            }
            Event::Code(t) => {
                self.text.push_str(&t);
                Event::Code(t)
            }
            Event::SoftBreak | Event::HardBreak => {
                self.text.push(' ');
                event
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Item) => {
                self.text.push('\n');
                event
            }
            Event::Html(html) => Event::Html(self.raw_html(&html, range).into()),
            Event::InlineHtml(html) => Event::InlineHtml(self.raw_html(&html, range).into()),
            other => other,
        }
    }

    fn link_target<'e>(
        &mut self,
        dest: CowStr<'e>,
        range: &std::ops::Range<usize>,
        image: bool,
    ) -> CowStr<'e> {
        if let Some(internal) = dest.strip_prefix(INTERNAL_PREFIX) {
            let (target, anchor) = match internal.split_once('#') {
                Some((t, a)) => (t, Some(percent_decode(a))),
                None => (internal, None),
            };
            return match self.links.resolve(target, anchor.as_deref()) {
                Ok(url) => url.into(),
                Err(p) => {
                    self.problem(range, p.message, p.hint.as_deref());
                    "#".into()
                }
            };
        }
        if is_dangerous_url(&dest) {
            self.problem(
                range,
                format!("unsafe link `{dest}`"),
                Some("`javascript:`, `data:` and `vbscript:` URLs are refused"),
            );
            return "#".into();
        }
        match self.links.resolve_other(&dest, image) {
            Ok(url) if url == *dest => dest,
            Ok(url) => url.into(),
            Err(p) => {
                self.problem(range, p.message, p.hint.as_deref());
                "#".into()
            }
        }
    }

    fn problem(&mut self, range: &std::ops::Range<usize>, message: String, hint: Option<&str>) {
        let (line, col) = line_col(self.source.body, range.start);
        let mut d = Diagnostic::error(
            self.source.path,
            self.source.body_line + line - 1,
            col,
            message,
        )
        .with_source(self.source.file_text);
        d.hint = hint.map(str::to_string);
        self.problems.push(d);
    }

    /// Raw HTML as the page gets it (sanitised unless trusted); every address it would load
    /// from outside the site is an error, trusted or not.
    fn raw_html(&mut self, html: &str, range: &std::ops::Range<usize>) -> String {
        for load in external::external_loads(html) {
            // An HTML block is the source text from its start, so the tag's offset carries over.
            let start = (range.start + load.offset).min(self.source.body.len());
            self.problem(
                &(start..start),
                format!(
                    "`{}` loads `{}` from outside the site when the page opens",
                    load.what, load.url
                ),
                Some("pages are read offline and load only their own files: put the file in static/ and use `/file.png`, or link to it with `[text](https://…)`"),
            );
        }
        if self.options.trust_raw_html {
            html.to_string()
        } else {
            ammonia::clean(html)
        }
    }
}

/// True for URL schemes that can run script: `javascript:`, `vbscript:`, `data:`.
pub(crate) fn is_dangerous_url(url: &str) -> bool {
    let compact: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| compact.starts_with(s))
}

/// Decodes `%XX` escapes (as browsers do for fragments); invalid escapes are kept as is and
/// invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, target: &str, anchor: Option<&str>) -> Result<String, LinkProblem> {
            let problem = |message: String| LinkProblem {
                message,
                hint: None,
            };
            match (target, anchor) {
                ("models/sam.md", None) => Ok("sam.html".into()),
                ("models/sam.md", Some("方法")) => Ok("sam.html#方法".into()),
                ("models/sam.md", Some(a)) => Err(problem(format!(
                    "no heading `{a}` in content/models/sam.md"
                ))),
                _ => Err(problem(format!("link to missing page content/{target}"))),
            }
        }
    }

    fn render_str(body: &str) -> (Rendered, Vec<Diagnostic>) {
        let path = PathBuf::from("content/models/x.md");
        let file = format!("---\ntitle: x\n---\n{body}");
        let source = Source {
            path: &path,
            file_text: &file,
            body,
            body_line: 4,
            references: None,
        };
        render(&source, &Links, RenderOptions::default())
    }

    #[test]
    fn headings_get_unique_cjk_ids() {
        let (r, problems) = render_str("## 概述\n\ntext\n\n## 概述\n\n### Key `idea`\n");
        assert!(problems.is_empty());
        assert!(r.html.contains("<h2 id=\"概述\">概述</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"概述-1\">"));
        assert!(r
            .html
            .contains("<h3 id=\"key-idea\">Key <code>idea</code></h3>"));
        assert_eq!(
            heading_ids("## 概述\n## 概述\n### Key `idea`\n"),
            ["概述", "概述-1", "key-idea"]
        );
    }

    #[test]
    fn internal_links_resolve_and_report_lines() {
        let (r, problems) = render_str("See [SAM](@/models/sam.md) and [x](@/models/sam.md#方法).\n\n[bad](@/models/nope.md)\n");
        assert!(r.html.contains("href=\"sam.html\""));
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].line, problems[0].col), (6, 1));
        assert_eq!(
            problems[0].message,
            "link to missing page content/models/nope.md"
        );
    }

    #[test]
    fn gfm_extensions_and_no_smart_quotes() {
        let (r, _) = render_str("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~x~~ \"引号\"\n\n- [x] done\n\nnote[^1]\n\n[^1]: fn\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>x</del>"));
        assert!(r.html.contains("\"引号\"") || r.html.contains("&quot;引号&quot;"));
        assert!(!r.html.contains('“'), "smart quotes must stay off");
        assert!(r.html.contains("type=\"checkbox\""));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn code_is_highlighted_and_html_sanitised() {
        let (r, _) = render_str("```rust\nfn main() {}\n```\n\n<script>alert(1)</script>\n\n<b onclick=\"x()\">hi</b>\n");
        assert!(r.html.contains("hl-"));
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("onclick"));
    }

    #[test]
    fn dangerous_links_are_refused() {
        let (r, problems) = render_str("[x](javascript:alert(1)) [y]( JaVaScRiPt:alert(1))\n");
        assert!(!r.html.contains("javascript"));
        assert!(!problems.is_empty());
        assert!(is_dangerous_url("data:text/html,x"));
        assert!(!is_dangerous_url("https://x.org"));
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("%E6%96%B9%E6%B3%95"), "方法");
        assert_eq!(percent_decode("a%2"), "a%2");
    }

    #[test]
    fn plain_text_has_each_heading_once() {
        let (r, _) = render_str("## 概述\n\n正文\n");
        assert_eq!(r.text.matches("概述").count(), 1, "{:?}", r.text);
        assert!(r.text.contains("正文"));
    }
}
