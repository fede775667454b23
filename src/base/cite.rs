//! Citations in Markdown: `[@slug]`, `[@slug, p. 3]`, `[@a; @b]` and bare `@slug` in the text of
//! a body (not in code, link text or URLs, headings, or e-mail addresses). [`scan`] finds them in
//! a run of text; [`body_citations`] lists those of a body with their positions (the build
//! resolves them once per page); [`mark`] replaces them in the rendered event stream by the
//! marks a page's resolved citations give. Keys starting with `fig-`, `tbl-` or `eq-` are
//! cross-references, not citations: they are left as written.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::base::outline::parser_options;

/// Key prefixes that name cross-references (figures, tables, equations), not works.
const CROSS_REFERENCES: [&str; 3] = ["fig-", "tbl-", "eq-"];

/// One cited work in a citation: its key and the locator after it (`p. 3`, or empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cite<'t> {
    /// The key after `@`.
    pub(crate) key: &'t str,
    /// What follows the key's comma, trimmed (empty when none).
    pub(crate) locator: &'t str,
    /// Byte offset of the `@` in the scanned text.
    pub(crate) at: usize,
}

/// What [`scan`] finds in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found<'t> {
    /// A citation of one or more works.
    Citation {
        /// Its bytes in the text (brackets included).
        range: Range<usize>,
        /// The works, in order.
        cites: Vec<Cite<'t>>,
        /// True for `[@…]`, false for a bare `@key`.
        bracketed: bool,
    },
    /// `[@` that does not make a citation.
    Malformed {
        /// Byte offset of the `[`.
        at: usize,
        /// Why.
        why: &'static str,
    },
}

/// True when `text` may hold a citation: an `@` followed by a letter, digit or `_`. Bodies
/// without one are never parsed for citations.
pub(crate) fn may_cite(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr_iter(bytes).any(|i| bytes.get(i + 1).is_some_and(|&b| is_key_start(b)))
}

fn memchr_iter(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'@')
        .map(|(i, _)| i)
}

fn is_key_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_key_char(b: u8) -> bool {
    is_key_start(b) || matches!(b, b'-' | b'.' | b':')
}

/// The key starting at `text[at..]` (after the `@`): key characters, without trailing
/// punctuation (`-`, `.`, `:`).
fn key_at(text: &str, at: usize) -> &str {
    let bytes = text.as_bytes();
    if !bytes.get(at).copied().is_some_and(is_key_start) {
        return "";
    }
    let mut end = at;
    while bytes.get(end).copied().is_some_and(is_key_char) {
        end += 1;
    }
    while end > at && matches!(bytes[end - 1], b'-' | b'.' | b':') {
        end -= 1;
    }
    &text[at..end]
}

/// True for the keys of cross-references (`fig-x`, `tbl-x`, `eq-x`).
pub(crate) fn is_cross_reference(key: &str) -> bool {
    CROSS_REFERENCES.iter().any(|p| key.starts_with(p))
}

/// The citations (and malformed `[@`) of `text`, in order.
pub(crate) fn scan(text: &str) -> Vec<Found<'_>> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' if bytes.get(i + 1) == Some(&b'@') => match group(text, i) {
                Ok(Some(f)) => {
                    if let Found::Citation { range, .. } = &f {
                        i = range.end;
                    }
                    found.push(f);
                    continue;
                }
                Ok(None) => {}
                Err(why) => {
                    found.push(Found::Malformed { at: i, why });
                    i += 2;
                    continue;
                }
            },
            b'@' if i == 0 || !is_key_char(bytes[i - 1]) && bytes[i - 1] != b'@' => {
                let key = key_at(text, i + 1);
                if !key.is_empty() && !is_cross_reference(key) {
                    let end = i + 1 + key.len();
                    found.push(Found::Citation {
                        range: i..end,
                        cites: vec![Cite {
                            key,
                            locator: "",
                            at: i,
                        }],
                        bracketed: false,
                    });
                    i = end;
                    continue;
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The bracketed citation at `text[open..]` (which starts with `[@`): `Ok(None)` for a
/// cross-reference, `Err` when it is malformed.
fn group(text: &str, open: usize) -> Result<Option<Found<'_>>, &'static str> {
    let rest = &text[open + 1..];
    let close = match rest.find([']', '[']) {
        Some(c) if rest.as_bytes()[c] == b']' => c,
        _ => return Err("a citation `[@…` needs its closing `]`"),
    };
    let inner = &rest[..close];
    let mut cites = Vec::new();
    let mut offset = open + 1;
    for part in inner.split(';') {
        let lead = part.len() - part.trim_start().len();
        let item = part.trim();
        let Some(after) = item.strip_prefix('@') else {
            return Err("each part of a citation starts with `@key`: `[@a; @b, p. 3]`");
        };
        let key = key_at(after, 0);
        if key.is_empty() {
            return Err("`@` must be followed by a key: `[@slug]`");
        }
        let tail = after[key.len()..].trim();
        let locator = match tail.strip_prefix(',') {
            Some(l) => l.trim(),
            None if tail.is_empty() => "",
            None => return Err("a locator follows the key after a comma: `[@slug, p. 3]`"),
        };
        cites.push(Cite {
            key,
            locator,
            at: offset + lead,
        });
        offset += part.len() + 1;
    }
    if cites.iter().any(|c| is_cross_reference(c.key)) {
        return Ok(None);
    }
    Ok(Some(Found::Citation {
        range: open..open + 1 + close + 1,
        cites,
        bracketed: true,
    }))
}

/// A citation of a body, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BodyCitation {
    /// Keys and locators, in order.
    pub(crate) cites: Vec<(String, String)>,
    /// Byte offset in the body of each key's `@` (same order as `cites`).
    pub(crate) at: Vec<usize>,
    /// 1-based line inside the body.
    pub(crate) line: usize,
}

/// What [`body_citations`] finds in a body.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct BodyScan {
    /// The citations, in order.
    pub(crate) citations: Vec<BodyCitation>,
    /// Malformed `[@` (byte offset in the body, why) and citations in headings.
    pub(crate) problems: Vec<(usize, &'static str)>,
}

/// The citations of a Markdown body, found in the same text runs [`mark`] rewrites.
pub(crate) fn body_citations(body: &str) -> BodyScan {
    let mut out = BodyScan::default();
    if !may_cite(body) {
        return out;
    }
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, parser_options())
        .into_offset_iter()
        .collect();
    let mut heading_at = None;
    for_each_run(
        events.iter().map(|(e, _)| e),
        |start, end| {
            let first = &events[start].1;
            let text: String = (events[start..end].iter())
                .filter_map(|(e, _)| match e {
                    Event::Text(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            // Offsets map into the body when the run is the source as written (no escapes).
            let span = first.start..events[end - 1].1.end;
            let exact = body.get(span.clone()) == Some(text.as_str());
            let locate = |at: usize| if exact { span.start + at } else { span.start };
            for found in scan(&text) {
                match found {
                    Found::Citation { cites, .. } => {
                        let at: Vec<usize> = cites.iter().map(|c| locate(c.at)).collect();
                        out.citations.push(BodyCitation {
                            line: line_of(body, at[0]),
                            cites: (cites.iter())
                                .map(|c| (c.key.to_string(), c.locator.to_string()))
                                .collect(),
                            at,
                        });
                    }
                    Found::Malformed { at, why } => out.problems.push((locate(at), why)),
                }
            }
        },
        |start| heading_at = heading_at.or(Some(events[start].1.start)),
    );
    if let Some(at) = heading_at {
        out.problems
            .push((at, "citations are not supported in headings"));
    }
    out.problems.sort_unstable();
    out
}

fn line_of(body: &str, at: usize) -> usize {
    body.as_bytes()[..at.min(body.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Calls `run(start, end)` for every run of consecutive text events outside code, links,
/// images and headings that may hold a citation, and `heading(start)` for a heading's text that
/// does.
fn for_each_run<'e>(
    events: impl Iterator<Item = &'e Event<'e>>,
    mut run: impl FnMut(usize, usize),
    mut heading: impl FnMut(usize),
) {
    let mut skip = 0usize;
    let mut in_heading = false;
    let mut start: Option<(usize, bool)> = None;
    let mut flush = |start: &mut Option<(usize, bool)>, end: usize| {
        if let Some((s, true)) = start.take() {
            run(s, end);
        }
    };
    let mut count = 0;
    for (i, event) in events.enumerate() {
        count = i + 1;
        if let Event::Text(t) = event {
            if skip == 0 {
                let cites = may_cite(t) || t.as_ref() == "[" || t.ends_with('[');
                match &mut start {
                    Some((_, any)) => *any |= cites,
                    None => start = Some((i, cites)),
                }
                if in_heading && may_cite(t) {
                    heading(i);
                }
            }
            continue;
        }
        flush(&mut start, i);
        match event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                skip = skip.saturating_sub(1)
            }
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            _ => {}
        }
    }
    if in_heading {
        start = None;
    }
    flush(&mut start, count);
}

/// Renders a citation found in the text: the HTML of its mark, or `None` to leave it as
/// written (an unknown key, reported elsewhere).
pub(crate) trait Marks {
    /// The mark of a citation of `cites`; `bracketed` is false for a bare `@key`.
    fn mark(&self, cites: &[Cite<'_>], bracketed: bool) -> Option<String>;
}

/// `events` with every citation in their text replaced by its mark.
pub(crate) fn mark<'e, R: Clone>(
    events: Vec<(Event<'e>, R)>,
    marks: &dyn Marks,
    generated: &R,
) -> Vec<(Event<'e>, R)> {
    let mut runs = Vec::new();
    for_each_run(
        events.iter().map(|(e, _)| e),
        |s, e| runs.push(s..e),
        |_| {},
    );
    if runs.is_empty() {
        return events;
    }
    let mut out = Vec::with_capacity(events.len() + runs.len() * 2);
    let mut runs = runs.into_iter().peekable();
    let mut text = String::new();
    let mut run_at: Option<R> = None;
    for (i, (event, at)) in events.into_iter().enumerate() {
        let Some(run) = runs.peek() else {
            out.push((event, at));
            continue;
        };
        if !run.contains(&i) {
            out.push((event, at));
            continue;
        }
        let first = run_at.get_or_insert_with(|| at.clone()).clone();
        if let Event::Text(t) = &event {
            text.push_str(t);
        }
        if i + 1 == run.end {
            let mut marked = Vec::new();
            mark_text(&text, marks, &mut marked);
            out.extend(marked.into_iter().map(|e| match e {
                Event::InlineHtml(_) => (e, generated.clone()),
                e => (e, first.clone()),
            }));
            text.clear();
            run_at = None;
            runs.next();
        }
    }
    out
}

/// Pushes `text` as text and marks.
fn mark_text<'e>(text: &str, marks: &dyn Marks, out: &mut Vec<Event<'e>>) {
    let mut last = 0;
    for found in scan(text) {
        let Found::Citation {
            range,
            cites,
            bracketed,
        } = found
        else {
            continue;
        };
        let Some(html) = marks.mark(&cites, bracketed) else {
            continue;
        };
        if range.start > last {
            out.push(Event::Text(text[last..range.start].to_string().into()));
        }
        out.push(Event::InlineHtml(html.into()));
        last = range.end;
    }
    if last < text.len() {
        out.push(Event::Text(text[last..].to_string().into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<Vec<(&str, &str)>> {
        scan(text)
            .into_iter()
            .filter_map(|f| match f {
                Found::Citation { cites, .. } => {
                    Some(cites.iter().map(|c| (c.key, c.locator)).collect())
                }
                Found::Malformed { .. } => None,
            })
            .collect()
    }

    #[test]
    fn finds_bracketed_and_bare_citations() {
        assert_eq!(
            keys("As [@uni, p. 3] and [@a; @b-2] show, @medsam."),
            vec![
                vec![("uni", "p. 3")],
                vec![("a", ""), ("b-2", "")],
                vec![("medsam", "")]
            ]
        );
    }

    #[test]
    fn skips_mail_cross_references_and_handles() {
        assert!(keys("write to a@b.org or a.b@c.org").is_empty());
        assert!(keys("see @fig-1 and [@tbl-x]").is_empty());
        assert!(keys("@@x").is_empty());
    }

    #[test]
    fn malformed_brackets_are_reported() {
        let found = scan("text [@uni and more");
        assert!(
            matches!(found[0], Found::Malformed { at: 5, .. }),
            "{found:?}"
        );
        let found = scan("[@uni; see]");
        assert!(matches!(found[0], Found::Malformed { .. }), "{found:?}");
    }

    #[test]
    fn body_citations_skip_code_and_links() {
        let body = "# T\n\nSee [@uni] and `@code` [x @y](https://x.org/@z)\n\n```\n@block\n```\n";
        let scan = body_citations(body);
        assert_eq!(scan.citations.len(), 1);
        assert_eq!(scan.citations[0].cites, vec![("uni".into(), String::new())]);
        assert_eq!(scan.citations[0].line, 3);
        assert_eq!(&body[scan.citations[0].at[0]..][..4], "@uni");
        assert!(scan.problems.is_empty());
    }

    #[test]
    fn citations_in_headings_are_problems() {
        let scan = body_citations("## About [@uni]\n\ntext\n");
        assert_eq!(scan.problems.len(), 1);
    }

    struct Numbers;
    impl Marks for Numbers {
        fn mark(&self, cites: &[Cite<'_>], _: bool) -> Option<String> {
            (cites[0].key != "nope").then(|| format!("<{}>", cites[0].key))
        }
    }

    #[test]
    fn marks_replace_citations_in_events() {
        let body = "See [@uni] and [@nope] or @b.\n";
        let events: Vec<Event<'_>> = Parser::new_ext(body, parser_options()).collect();
        let mut html = String::new();
        let events = events.into_iter().map(|e| (e, ())).collect();
        let marked = mark(events, &Numbers, &());
        pulldown_cmark::html::push_html(&mut html, marked.into_iter().map(|(e, ())| e));
        assert_eq!(html, "<p>See <uni> and [@nope] or <b>.</p>\n");
    }
}
