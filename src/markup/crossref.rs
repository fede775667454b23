//! Figures, tables and display equations with ids, numbered per page, and the `@fig-x`,
//! `@tbl-x`, `@eq-x` references to them (Quarto's syntax):
//!
//! - a figure is an image alone in its paragraph with an id: `![Caption](scan.png){#fig-scan}`;
//! - a table is followed by its caption paragraph: `: Caption {#tbl-results}`;
//! - an equation is display math alone in its paragraph with an id: `$$E = mc^2$$ {#eq-energy}`.
//!
//! Each kind is numbered in page order ("Figure 1", "图 1": the UI strings `figure_label`,
//! `table_label`, `equation_label` with `{n}`); a reference renders as that label linking to
//! the figure. A duplicate id or a reference to an id the page does not have is an error.
//! Other `@` words are left alone (citations are another pass's).

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::base::diagnostic::did_you_mean;
use crate::markup::highlight::escape;
use crate::markup::markdown::{generated, Finding, Ranged};

/// The kinds of numbered things, with the id prefix each is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Figure,
    Table,
    Equation,
}

const PREFIXES: [(&str, Kind); 3] = [
    ("fig-", Kind::Figure),
    ("tbl-", Kind::Table),
    ("eq-", Kind::Equation),
];

/// The label templates of the page's language: `Figure {n}`, `Table {n}`, `Equation ({n})`.
pub(crate) struct Labels<'a> {
    /// `figure_label`.
    pub(crate) figure: &'a str,
    /// `table_label`.
    pub(crate) table: &'a str,
    /// `equation_label`.
    pub(crate) equation: &'a str,
}

impl Labels<'_> {
    fn of(&self, kind: Kind, n: usize) -> String {
        let template = match kind {
            Kind::Figure => self.figure,
            Kind::Table => self.table,
            Kind::Equation => self.equation,
        };
        template.replace("{n}", &n.to_string())
    }
}

/// True when `body` may hold a numbered figure, table or equation, or a reference to one.
pub(crate) fn may_have(body: &str) -> bool {
    ["{#fig-", "{#tbl-", "{#eq-", "@fig-", "@tbl-", "@eq-"]
        .iter()
        .any(|p| body.contains(p))
}

/// One numbered thing found in the events.
#[derive(Debug)]
struct Target {
    kind: Kind,
    id: String,
    /// Index of the paragraph that holds it (or its caption).
    paragraph: usize,
    /// Index of the end of that paragraph.
    end: usize,
    /// For a table: the index of its start.
    table_start: Option<usize>,
}

/// Numbers the page's figures, tables and equations, renders them with their captions, and
/// turns the references to them into links.
pub(crate) fn apply(
    events: &mut Vec<Ranged<'_>>,
    labels: &Labels<'_>,
    findings: &mut Vec<Finding>,
) {
    let targets = find_targets(events);
    let numbers = number(&targets, events, findings);
    rewrite_targets(events, &targets, &numbers, labels);
    link_references(events, &numbers, labels, findings);
}

/// The id written at the end of `text` as `{#prefix-…}`, with the text before it.
fn trailing_id(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    let inner = trimmed.strip_suffix('}')?;
    let at = inner.rfind("{#")?;
    let id = &inner[at + 2..];
    let valid = !id.is_empty() && id.chars().all(is_id_char);
    valid.then(|| (&text[..at], id))
}

fn is_id_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

fn kind_of(id: &str) -> Option<Kind> {
    PREFIXES
        .iter()
        .find(|(p, _)| id.starts_with(p) && id.len() > p.len())
        .map(|(_, k)| *k)
}

/// Every paragraph that is a figure, an equation or a table caption.
fn find_targets(events: &[Ranged<'_>]) -> Vec<Target> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i].0, Event::Start(Tag::Paragraph)) {
            let end = (i..events.len())
                .find(|&j| matches!(events[j].0, Event::End(TagEnd::Paragraph)))
                .unwrap_or(events.len() - 1);
            if let Some(target) = target_at(events, i, end) {
                out.push(target);
            }
            i = end;
        }
        i += 1;
    }
    out
}

/// The target the paragraph `start..=end` is, if any.
fn target_at(events: &[Ranged<'_>], start: usize, end: usize) -> Option<Target> {
    let Event::Text(last) = &events[end.checked_sub(1)?].0 else {
        return None;
    };
    let (before, id) = trailing_id(last)?;
    let kind = kind_of(id)?;
    let first = &events[start + 1].0;
    let shape_fits = match kind {
        Kind::Figure => {
            matches!(first, Event::Start(Tag::Image { .. }))
                && matches!(events[end - 2].0, Event::End(TagEnd::Image))
                && before.trim().is_empty()
        }
        Kind::Equation => {
            matches!(first, Event::DisplayMath(_)) && end == start + 3 && before.trim().is_empty()
        }
        Kind::Table => {
            start > 0
                && matches!(events[start - 1].0, Event::End(TagEnd::Table))
                && matches!(first, Event::Text(t) if caption_prefix(t).is_some())
        }
    };
    if !shape_fits {
        return None;
    }
    let table_start = (kind == Kind::Table)
        .then(|| {
            (0..start)
                .rev()
                .find(|&j| matches!(events[j].0, Event::Start(Tag::Table(_))))
        })
        .flatten();
    Some(Target {
        kind,
        id: id.to_string(),
        paragraph: start,
        end,
        table_start,
    })
}

/// The text after a table caption's marker: `: Caption` or `Table: Caption`.
fn caption_prefix(text: &str) -> Option<&str> {
    text.strip_prefix(": ")
        .or_else(|| text.strip_prefix("Table: "))
}

/// Id → (kind, number); a second use of an id is an error.
fn number(
    targets: &[Target],
    events: &[Ranged<'_>],
    findings: &mut Vec<Finding>,
) -> BTreeMap<String, (Kind, usize)> {
    let mut numbers = BTreeMap::new();
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for t in targets {
        if numbers.contains_key(&t.id) {
            findings.push(Finding::error(
                events[t.end - 1].1.clone(),
                format!("id `{}` is used twice on this page", t.id),
                "give each figure, table and equation its own id".to_string(),
            ));
            continue;
        }
        let n = counts.entry(t.kind).or_insert(0);
        *n += 1;
        numbers.insert(t.id.clone(), (t.kind, *n));
    }
    numbers
}

/// Replaces each target paragraph with its figure, caption or numbered equation.
fn rewrite_targets(
    events: &mut Vec<Ranged<'_>>,
    targets: &[Target],
    numbers: &BTreeMap<String, (Kind, usize)>,
    labels: &Labels<'_>,
) {
    if targets.is_empty() {
        return;
    }
    let old = std::mem::take(events);
    let mut slots: Vec<Option<Ranged<'_>>> = old.into_iter().map(Some).collect();
    let mut inserts: BTreeMap<usize, Vec<Ranged<'_>>> = BTreeMap::new();
    let mut seen = std::collections::HashSet::new();
    for t in targets {
        let Some(&(kind, n)) = numbers.get(&t.id).filter(|_| seen.insert(t.id.clone())) else {
            continue;
        };
        let label = escape(&labels.of(kind, n));
        let id = escape(&t.id);
        let paragraph: Vec<Ranged<'_>> = (t.paragraph..=t.end)
            .filter_map(|i| slots[i].take())
            .collect();
        match kind {
            Kind::Figure => {
                inserts.insert(t.paragraph, figure(paragraph, &id, &label));
            }
            Kind::Equation => {
                inserts.insert(t.paragraph, equation(paragraph, &id, n));
            }
            Kind::Table => {
                let Some(start) = t.table_start else { continue };
                let mut open = vec![generated(format!(
                    "<figure class=\"table-figure\" id=\"{id}\">\n<figcaption><span class=\"caption-label\">{label}</span>: "
                ))];
                open.extend(caption(paragraph));
                open.push(generated("</figcaption>\n".to_string()));
                if let Some(e) = slots[start].take() {
                    open.push(e);
                }
                inserts.insert(start, open);
                inserts.insert(t.paragraph, vec![generated("</figure>\n".to_string())]);
            }
        }
    }
    for (i, slot) in slots.into_iter().enumerate() {
        if let Some(mut extra) = inserts.remove(&i) {
            events.append(&mut extra);
        }
        if let Some(e) = slot {
            events.push(e);
        }
    }
}

/// A figure paragraph (`Start(Paragraph)`, the image, the id text, `End(Paragraph)`) as a
/// `<figure>` with the image's description as its caption.
fn figure<'e>(mut paragraph: Vec<Ranged<'e>>, id: &str, label: &str) -> Vec<Ranged<'e>> {
    paragraph.truncate(paragraph.len() - 2);
    let image = paragraph.split_off(1);
    let described: Vec<Ranged<'e>> = image[1..image.len() - 1].to_vec();
    let mut out = vec![generated(format!("<figure id=\"{id}\">\n"))];
    out.extend(image);
    out.push(generated(format!(
        "\n<figcaption><span class=\"caption-label\">{label}</span>: "
    )));
    out.extend(described);
    out.push(generated("</figcaption>\n</figure>\n".to_string()));
    out
}

/// An equation paragraph as a block with its number.
fn equation<'e>(paragraph: Vec<Ranged<'e>>, id: &str, n: usize) -> Vec<Ranged<'e>> {
    let mut out = vec![generated(format!("<div class=\"equation\" id=\"{id}\">"))];
    out.extend(
        paragraph
            .into_iter()
            .filter(|(e, _)| matches!(e, Event::DisplayMath(_))),
    );
    out.push(generated(format!(
        "<span class=\"eq-number\">({n})</span></div>\n"
    )));
    out
}

/// The inline events of a table caption paragraph, without its `: ` marker and `{#tbl-…}`.
fn caption(paragraph: Vec<Ranged<'_>>) -> Vec<Ranged<'_>> {
    let len = paragraph.len();
    let mut out: Vec<Ranged<'_>> = paragraph.into_iter().skip(1).take(len - 2).collect();
    if let Some((Event::Text(t), _)) = out.last_mut() {
        if let Some((before, _)) = trailing_id(t) {
            *t = CowStr::from(before.trim_end().to_string());
        }
    }
    if let Some((Event::Text(t), _)) = out.first_mut() {
        if let Some(rest) = caption_prefix(t) {
            *t = CowStr::from(rest.to_string());
        }
    }
    out
}

/// A reference found in a text: its byte range in the text and the id.
fn references(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let preceded_by_word = text[..at].chars().next_back().is_some_and(is_id_char);
        let rest = &text[at + 1..];
        if preceded_by_word
            || kind_of(rest.split(|c: char| !is_id_char(c)).next().unwrap_or("")).is_none()
        {
            continue;
        }
        let len = rest.find(|c: char| !is_id_char(c)).unwrap_or(rest.len());
        let id = rest[..len].trim_end_matches(['-', '_']);
        out.push((at..at + 1 + id.len(), id));
    }
    out
}

/// Turns every `@fig-x` (`@tbl-x`, `@eq-x`) in the text into a link to it.
fn link_references(
    events: &mut Vec<Ranged<'_>>,
    numbers: &BTreeMap<String, (Kind, usize)>,
    labels: &Labels<'_>,
    findings: &mut Vec<Finding>,
) {
    let mut i = 0;
    while i < events.len() {
        let (Event::Text(text), range) = &events[i] else {
            i += 1;
            continue;
        };
        let found = references(text);
        if found.is_empty() {
            i += 1;
            continue;
        }
        let (text, range) = (text.to_string(), range.clone());
        let mut pieces: Vec<Ranged<'_>> = Vec::new();
        let mut from = 0;
        for (at, id) in found {
            pieces.push((
                Event::Text(text[from..at.start].to_string().into()),
                range.clone(),
            ));
            from = at.end;
            match numbers.get(id) {
                Some(&(kind, n)) => pieces.push(generated(format!(
                    "<a class=\"xref\" href=\"#{}\">{}</a>",
                    escape(id),
                    escape(&labels.of(kind, n))
                ))),
                None => {
                    let start = range.start + at.start;
                    findings.push(unknown(id, numbers, start..start + at.len()));
                    pieces.push((Event::Text(text[at].to_string().into()), range.clone()));
                }
            }
        }
        pieces.push((Event::Text(text[from..].to_string().into()), range));
        pieces.retain(|(e, _)| !matches!(e, Event::Text(t) if t.is_empty()));
        let count = pieces.len();
        events.splice(i..=i, pieces);
        i += count;
    }
}

fn unknown(id: &str, numbers: &BTreeMap<String, (Kind, usize)>, range: Range<usize>) -> Finding {
    let near = did_you_mean(id, numbers.keys().map(String::as_str));
    let how = "label it where it is: `![Caption](file.png){#fig-x}`, `: Caption {#tbl-x}` after a table, `$$…$$ {#eq-x}`";
    let hint = match near {
        Some(best) => format!("did you mean `@{best}`? {how}"),
        None => format!("this page has no `{{#{id}}}`: {how}"),
    };
    Finding::error(
        range,
        format!("reference `@{id}` to a figure, table or equation this page does not have"),
        hint,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_references_are_read() {
        assert_eq!(trailing_id("{#fig-a}"), Some(("", "fig-a")));
        assert_eq!(
            trailing_id(" Caption {#tbl-b} "),
            Some((" Caption ", "tbl-b"))
        );
        assert_eq!(trailing_id("no id"), None);
        assert_eq!(kind_of("eq-1"), Some(Kind::Equation));
        assert_eq!(kind_of("eq-"), None);
        let text = "See @fig-a, @tbl-b_2. and @eq-x; mail a@fig-b.org or @slug.";
        let ids: Vec<&str> = references(text).into_iter().map(|(_, id)| id).collect();
        assert_eq!(ids, ["fig-a", "tbl-b_2", "eq-x"]);
    }
}
