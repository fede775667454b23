//! Footnotes: `text[^label]` with `[^label]: the note` anywhere in the body. The definitions
//! are taken out of the event stream, numbered in the order of their first reference, and
//! gathered at the foot of the page in a section where each note links back to every place
//! that refers to it (↩). Ids are `fn:1` and `fnref:1` (`fnref:1-2` for a second reference):
//! heading ids are slugs, which never hold `:`, and the print view scopes every id of a page.
//! An undefined `[^x]` is an error (with the closest defined label); an unused definition is a
//! warning.

use std::collections::HashMap;
use std::fmt::Write;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::base::diagnostic::did_you_mean;
use crate::markup::highlight::escape;
use crate::markup::markdown::{generated, Finding, Ranged};

/// One footnote: its definition's events, and how often the text refers to it.
#[derive(Debug)]
struct Note<'e> {
    events: Vec<Ranged<'e>>,
    references: usize,
}

/// The footnotes of a page, in number order (note `n` at index `n - 1`).
#[derive(Debug, Default)]
pub(crate) struct Footnotes<'e> {
    notes: Vec<Note<'e>>,
}

/// The texts the footnote section reads (from the site's UI strings).
pub(crate) struct Labels<'a> {
    /// The section's accessible name: "Footnotes".
    pub(crate) section: &'a str,
    /// A back-link's accessible name, before the note's number: "Back to reference".
    pub(crate) back: &'a str,
}

/// True when `body` may hold footnotes (a cheap test that spares the other pages the pass).
pub(crate) fn may_have(body: &str) -> bool {
    body.contains("[^")
}

/// Takes the footnote definitions out of `events`, replaces each reference with its numbered
/// link, and reports undefined references and unused definitions.
pub(crate) fn extract<'e>(
    events: &mut Vec<Ranged<'e>>,
    body: &str,
    findings: &mut Vec<Finding>,
) -> Footnotes<'e> {
    let mut definitions = take_definitions(events);
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut notes: Vec<Note<'e>> = Vec::new();
    for (event, range) in events.iter_mut() {
        match event {
            Event::FootnoteReference(label) => {
                let Some((_, def)) = definitions.get_mut(label.as_ref()) else {
                    continue;
                };
                let n = *numbers.entry(label.to_string()).or_insert_with(|| {
                    notes.push(Note {
                        events: std::mem::take(def),
                        references: 0,
                    });
                    notes.len()
                });
                let note = &mut notes[n - 1];
                note.references += 1;
                (*event, *range) = generated(reference_html(n, note.references));
            }
            Event::Text(_) if body[range.start..].starts_with("[^") => {
                if let Some(label) = undefined_label(&body[range.start..]) {
                    let known = definitions.keys().map(String::as_str);
                    findings.push(undefined(label, did_you_mean(label, known), range.clone()));
                }
            }
            _ => {}
        }
    }
    for (label, (range, _)) in definitions {
        if !numbers.contains_key(&label) {
            findings.push(unused(&label, range));
        }
    }
    Footnotes { notes }
}

/// Removes every definition from `events`: label → (its range, its events).
fn take_definitions<'e>(
    events: &mut Vec<Ranged<'e>>,
) -> HashMap<String, (Range<usize>, Vec<Ranged<'e>>)> {
    let mut definitions = HashMap::new();
    let mut kept = Vec::with_capacity(events.len());
    let mut current: Option<(CowStr<'e>, Range<usize>, Vec<Ranged<'e>>)> = None;
    for (event, range) in events.drain(..) {
        match (event, current.as_mut()) {
            (Event::Start(Tag::FootnoteDefinition(label)), None) => {
                current = Some((label, range, Vec::new()));
            }
            (Event::End(TagEnd::FootnoteDefinition), Some(_)) => {
                if let Some((label, range, body)) = current.take() {
                    definitions
                        .entry(label.to_string())
                        .or_insert((range, body));
                }
            }
            (event, Some((_, _, body))) => body.push((event, range)),
            (event, None) => kept.push((event, range)),
        }
    }
    *events = kept;
    definitions
}

/// The label of an undefined reference written at the start of `text`: `[^x]` → `x`.
fn undefined_label(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("[^")?;
    let end = rest.find(']')?;
    let label = &rest[..end];
    let valid = !label.is_empty() && !label.contains(char::is_whitespace);
    (valid && !rest[end + 1..].starts_with(':')).then_some(label)
}

fn undefined(label: &str, near: Option<&str>, range: Range<usize>) -> Finding {
    let hint = match near {
        Some(best) => format!("did you mean `[^{best}]`? a footnote is defined on a line of its own: `[^{label}]: the note`"),
        None => format!("define it on a line of its own: `[^{label}]: the note`"),
    };
    Finding::error(range, format!("footnote `[^{label}]` is not defined"), hint)
}

fn unused(label: &str, range: Range<usize>) -> Finding {
    Finding::warning(
        range,
        format!("footnote `[^{label}]` is defined but never referenced"),
        format!("refer to it in the text with `[^{label}]`, or remove the definition"),
    )
}

/// The superscript link of the `k`-th reference to note `n`.
fn reference_html(n: usize, k: usize) -> String {
    format!(
        "<sup class=\"fnref\"><a id=\"{}\" href=\"#fn:{n}\">{n}</a></sup>",
        reference_id(n, k)
    )
}

fn reference_id(n: usize, k: usize) -> String {
    if k == 1 {
        format!("fnref:{n}")
    } else {
        format!("fnref:{n}-{k}")
    }
}

impl<'e> Footnotes<'e> {
    /// True when the page has no footnote.
    pub(crate) fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    /// Appends the footnote section to `html`; `render` turns a note's events into HTML (the
    /// same pass as the body, so links, inline HTML and math work in notes too).
    pub(crate) fn render(
        self,
        html: &mut String,
        labels: &Labels<'_>,
        mut render: impl FnMut(Vec<Ranged<'e>>, &mut String),
    ) {
        if self.notes.is_empty() {
            return;
        }
        let _ = write!(
            html,
            "<section class=\"footnotes\" aria-label=\"{}\">\n<ol>\n",
            escape(labels.section)
        );
        for (i, note) in self.notes.into_iter().enumerate() {
            let n = i + 1;
            let _ = write!(html, "<li id=\"fn:{n}\">");
            let events = with_back_links(note.events, &back_links(n, note.references, labels));
            render(events, html);
            html.push_str("</li>\n");
        }
        html.push_str("</ol>\n</section>\n");
    }
}

/// The ↩ links of note `n` back to each of its `count` references.
fn back_links(n: usize, count: usize, labels: &Labels<'_>) -> String {
    let back = escape(labels.back);
    (1..=count)
        .map(|k| {
            let mark = if k == 1 {
                "↩".to_string()
            } else {
                format!("↩<sup>{k}</sup>")
            };
            format!(
                " <a class=\"fnback\" href=\"#{}\" aria-label=\"{back} {n}\">{mark}</a>",
                reference_id(n, k)
            )
        })
        .collect()
}

/// The note's events with `links` inside its last paragraph (or after it when it has none).
fn with_back_links<'e>(mut events: Vec<Ranged<'e>>, links: &str) -> Vec<Ranged<'e>> {
    let last = events
        .iter()
        .rposition(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)));
    let at = last.unwrap_or(events.len());
    events.insert(at, generated(links.to_string()));
    events
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undefined_labels_are_read_from_the_source() {
        assert_eq!(undefined_label("[^x] and more"), Some("x"));
        assert_eq!(undefined_label("[^long-note]."), Some("long-note"));
        assert_eq!(undefined_label("[^x]: a definition"), None);
        assert_eq!(undefined_label("[^ x]"), None);
        assert_eq!(undefined_label("[^"), None);
    }

    #[test]
    fn reference_ids_never_look_like_heading_slugs() {
        assert_eq!(reference_id(1, 1), "fnref:1");
        assert_eq!(reference_id(2, 3), "fnref:2-3");
        assert!(crate::base::slug::slugify("fnref:1") != "fnref:1");
    }
}
