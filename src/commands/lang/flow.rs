//! The flow mappings of `site.yaml` (`{ en: Model, zh: 模型 }`), found by one scan of the whole
//! file — quotes, comments and block scalars (`|`, `>`) skipped — whether they fit on one line
//! or go on over several; and the edit that adds a language's text to each of them that holds
//! texts per language. A mapping whose default-language text goes on over several lines cannot
//! be copied safely: the edit is refused there, naming the line and what to rewrite.

use crate::base::diagnostic::Diagnostic;

/// A place in the file: a line (0-based index) and a byte offset in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct At {
    pub(super) line: usize,
    pub(super) byte: usize,
}

/// One flow mapping: where its braces are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FlowMap {
    pub(super) open: At,
    pub(super) close: At,
}

/// What a scan of the file found.
#[derive(Debug, Default)]
pub(super) struct Flows {
    /// Every flow mapping, in the order they close.
    pub(super) maps: Vec<FlowMap>,
    /// Per line: where its comment starts, if it has one.
    comments: Vec<Option<usize>>,
    /// Per line: true when it goes on with a flow collection opened on an earlier line.
    pub(super) continued: Vec<bool>,
}

/// Scans `lines` for flow collections.
pub(super) fn scan(lines: &[String]) -> Flows {
    let mut flows = Flows {
        comments: vec![None; lines.len()],
        continued: vec![false; lines.len()],
        ..Flows::default()
    };
    let mut open: Vec<(char, At)> = Vec::new();
    let mut quotes = Quotes::default();
    let mut block_scalar: Option<usize> = None;
    for (n, line) in lines.iter().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(header) = block_scalar {
            if line.trim().is_empty() || indent > header {
                continue;
            }
            block_scalar = None;
        }
        flows.continued[n] = !open.is_empty();
        for (i, ch) in line.char_indices() {
            let (before, in_flow) = (&line[..i], !open.is_empty());
            if !quotes.outside(before, ch, in_flow) {
                continue;
            }
            match ch {
                '#' if i == 0 || before.ends_with([' ', '\t']) => {
                    flows.comments[n] = Some(i);
                    break;
                }
                '{' | '[' if starts_node(before, in_flow) => {
                    open.push((ch, At { line: n, byte: i }))
                }
                '}' | ']' if in_flow => {
                    if let Some(('{', at)) = open.pop().filter(|_| ch == '}') {
                        let close = At { line: n, byte: i };
                        flows.maps.push(FlowMap { open: at, close });
                    }
                }
                _ => {}
            }
        }
        let code = &line[..flows.comments[n].unwrap_or(line.len())];
        if open.is_empty() && quotes.open.is_none() && opens_block_scalar(code) {
            block_scalar = Some(indent);
        }
    }
    flows
}

/// True when `code` (a line without its comment) ends with the header of a block scalar
/// (`key: |`, `- >-`): the lines after it that are more indented are its text.
fn opens_block_scalar(code: &str) -> bool {
    let words: Vec<&str> = code.split_whitespace().collect();
    let header = |w: &str| {
        w.strip_prefix(['|', '>'])
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit() || "+-".contains(c)))
    };
    match words[..] {
        [.., before, last] => header(last) && (before.ends_with(':') || before == "-"),
        _ => false,
    }
}

/// Whether a scan of YAML text is inside a quoted scalar. A quote opens one only where a
/// scalar starts (see [`starts_node`]), so the apostrophe of `Brigham and Women's Hospital` is
/// text; `''` inside single quotes is an escaped quote.
#[derive(Default)]
struct Quotes {
    open: Option<char>,
    /// The previous character closed a single-quoted scalar (or was the first of a `''`).
    closed_single: bool,
}

impl Quotes {
    /// Steps over `ch`, which follows `before` on its line (inside a flow collection when
    /// `in_flow`): true when `ch` is outside quotes and is not itself a quote.
    fn outside(&mut self, before: &str, ch: char, in_flow: bool) -> bool {
        let closed_single = std::mem::take(&mut self.closed_single);
        match (self.open, ch) {
            (Some(q), c) if c == q => {
                self.open = None;
                self.closed_single = q == '\'';
                false
            }
            (Some(_), _) => false,
            (None, '\'') if closed_single => {
                self.open = Some('\'');
                false
            }
            (None, '"' | '\'') if starts_node(before, in_flow) => {
                self.open = Some(ch);
                false
            }
            (None, _) => true,
        }
    }
}

/// True when a node (a scalar, `{` or `[`) may start after `before`, the text before it on its
/// line: in a flow collection after `{`, `[`, `,`, `:` or `-`; elsewhere at the start of a line,
/// after `key:` or after a list's `-`.
fn starts_node(before: &str, in_flow: bool) -> bool {
    let before = before.trim_end();
    match in_flow {
        true => matches!(
            before.chars().last(),
            None | Some('{' | '[' | ',' | ':' | '-')
        ),
        false => before.ends_with(':') || before.trim_start_matches(['-', ' ']).is_empty(),
    }
}

/// The languages of an edit, and the mark of a copied text.
pub(super) struct Languages<'a> {
    /// The site's languages before the edit.
    pub(super) codes: &'a [&'a str],
    pub(super) default: &'a str,
    /// The new language.
    pub(super) code: &'a str,
    /// The comment appended to each copied text (with its leading spaces).
    pub(super) mark: String,
}

/// The changes the flow mappings of a file need.
#[derive(Debug, Default)]
struct FlowEdits {
    /// Text inserted at a place of a line.
    inserts: Vec<(At, String)>,
    /// The lines that get the mark at their end.
    marked: Vec<usize>,
    /// New lines, each inserted after the line given.
    new_lines: Vec<(usize, String)>,
}

impl Languages<'_> {
    /// Adds the new language to every flow mapping of texts per language in `lines` (`{ en:
    /// Model }` → `{ en: Model, fr: Model }`, marked); returns how many, or the error of a
    /// mapping that cannot be edited safely (with the file's `text` quoted).
    pub(super) fn add_to_flow_maps(
        &self,
        lines: &mut Vec<String>,
        text: &str,
    ) -> Result<usize, Diagnostic> {
        let flows = scan(lines);
        let mut edits = FlowEdits::default();
        let mut copied = 0;
        for map in &flows.maps {
            let entries = entries(lines, &flows, map);
            if let Some(default) = self.default_entry(&entries) {
                self.edit_map(map, &entries, default, &mut edits)
                    .map_err(|d| d.with_source(text))?;
                copied += 1;
            }
        }
        edits.apply(lines, &self.mark);
        Ok(copied)
    }

    /// The default language's entry of `entries` when they are texts per language, one for each
    /// of some of the site's languages, the new one not among them.
    fn default_entry<'e>(&self, entries: &'e [Entry]) -> Option<&'e Entry> {
        let written: Vec<&Entry> = entries.iter().filter(|e| !e.pieces.is_empty()).collect();
        let texts = written.iter().all(|e| {
            self.codes.contains(&e.key.as_str())
                && !e.value.is_empty()
                && !e.value.starts_with(['{', '['])
        });
        written
            .into_iter()
            .find(|e| e.key == self.default)
            .filter(|_| texts)
    }

    /// The changes that add the new language to `map`, whose texts are `entries`.
    fn edit_map(
        &self,
        map: &FlowMap,
        entries: &[Entry],
        default: &Entry,
        edits: &mut FlowEdits,
    ) -> Result<(), Diagnostic> {
        if default.pieces.len() > 1 {
            let at = default.pieces[0].0;
            return Err(Diagnostic::error(
                "site.yaml",
                at.line + 1,
                at.byte + 1,
                format!(
                    "`medfm lang add` cannot copy this `{}` text into `{}`: it goes on over \
                     several lines of a flow mapping (`{{ … }}`, lines {}–{})",
                    self.default,
                    self.code,
                    map.open.line + 1,
                    map.close.line + 1
                ),
            )
            .with_hint(format!(
                "write the `{}` text on one line (`{}: …`), or the mapping as a block mapping \
                 (each language's text on a line of its own), then run the command again; \
                 nothing was written",
                self.default, self.default
            )));
        }
        let Some(last) = entries.iter().rev().find(|e| !e.pieces.is_empty()) else {
            return Ok(());
        };
        let end = last.end();
        let entry = format!("{}: {}", self.code, default.value);
        if end.line == map.close.line {
            edits.inserts.push((end, format!(", {entry}")));
            edits.marked.push(end.line);
            return Ok(());
        }
        // The mapping closes on a later line: the new text goes on a line of its own.
        let trailing = entries.last().is_some_and(|e| e.pieces.is_empty()) && entries.len() > 1;
        if !trailing {
            edits.inserts.push((end, ",".to_string()));
        }
        let comma = if trailing { "," } else { "" };
        let indent = last.indent();
        edits
            .new_lines
            .push((end.line, format!("{indent}{entry}{comma}{}", self.mark)));
        Ok(())
    }
}

impl FlowEdits {
    /// Makes the changes: the insertions from the last, the marks, then the new lines.
    fn apply(mut self, lines: &mut Vec<String>, mark: &str) {
        self.inserts.sort_by_key(|(at, _)| *at);
        for (at, text) in self.inserts.iter().rev() {
            lines[at.line].insert_str(at.byte, text);
        }
        self.marked.sort_unstable();
        self.marked.dedup();
        for &line in &self.marked {
            lines[line].push_str(mark);
        }
        self.new_lines.sort_by_key(|(after, _)| *after);
        for (after, line) in self.new_lines.into_iter().rev() {
            lines.insert(after + 1, line);
        }
    }
}

/// One entry `key: value` of a flow mapping.
#[derive(Debug)]
struct Entry {
    key: String,
    /// The value as written, trimmed.
    value: String,
    /// Where its text is, line by line: start and end of each non-blank piece, trimmed (none
    /// for the empty entry after a trailing comma).
    pieces: Vec<(At, At)>,
    /// The text of the line before the entry.
    before: String,
}

impl Entry {
    /// Where its text ends.
    fn end(&self) -> At {
        self.pieces.last().map_or(At { line: 0, byte: 0 }, |p| p.1)
    }

    /// The indentation of a line holding an entry in the entry's place.
    fn indent(&self) -> String {
        match self.before.trim().is_empty() {
            true => self.before.clone(),
            false => " ".repeat(self.before.chars().count()),
        }
    }
}

/// The entries of `map`, comments left out.
fn entries(lines: &[String], flows: &Flows, map: &FlowMap) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut pieces: Vec<(At, At)> = Vec::new();
    let mut quotes = Quotes::default();
    for n in map.open.line..=map.close.line {
        let line = &lines[n];
        let start = if n == map.open.line {
            map.open.byte + 1
        } else {
            0
        };
        let end = match n == map.close.line {
            true => map.close.byte,
            false => flows.comments[n].unwrap_or(line.len()),
        };
        let mut from = start;
        for (i, ch) in line[start..end].char_indices() {
            let i = start + i;
            if quotes.outside(&line[..i], ch, true) && ch == ',' {
                pieces.extend(piece(line, n, from, i));
                out.push(entry(lines, std::mem::take(&mut pieces)));
                from = i + 1;
            }
        }
        pieces.extend(piece(line, n, from, end));
    }
    out.push(entry(lines, pieces));
    out
}

/// The text of `line` between `from` and `to`, trimmed, if any.
fn piece(line: &str, n: usize, from: usize, to: usize) -> Option<(At, At)> {
    let text = &line[from..to];
    let start = from + (text.len() - text.trim_start().len());
    let end = from + text.trim_end().len();
    (start < end).then_some((
        At {
            line: n,
            byte: start,
        },
        At { line: n, byte: end },
    ))
}

/// The entry made of `pieces` of `lines`.
fn entry(lines: &[String], pieces: Vec<(At, At)>) -> Entry {
    let text: Vec<&str> = (pieces.iter())
        .map(|(s, e)| &lines[s.line][s.byte..e.byte])
        .collect();
    let text = text.join("\n");
    let (key, value) = text.split_once(':').unwrap_or((&text, ""));
    let before = pieces
        .first()
        .map_or(String::new(), |(s, _)| lines[s.line][..s.byte].to_string());
    Entry {
        key: key.trim().trim_matches(['"', '\'']).to_string(),
        value: value.trim().to_string(),
        pieces,
        before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(text: &str) -> Result<String, String> {
        let languages = Languages {
            codes: &["zh", "en"],
            default: "zh",
            code: "fr",
            mark: "  # m".to_string(),
        };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        languages
            .add_to_flow_maps(&mut lines, text)
            .map(|_| lines.join("\n") + "\n")
            .map_err(|d| d.to_string())
    }

    #[test]
    fn quotes_open_only_where_a_scalar_starts() {
        assert_eq!(
            edited("a: { zh: Women's Hospital, en: Women's Hospital }\n").unwrap(),
            "a: { zh: Women's Hospital, en: Women's Hospital, fr: Women's Hospital }  # m\n"
        );
        assert_eq!(
            edited("a: { zh: 'a, b', en: \"c, d\" }\n").unwrap(),
            "a: { zh: 'a, b', en: \"c, d\", fr: 'a, b' }  # m\n"
        );
        assert_eq!(
            edited("a: { zh: 'it''s, here', en: x }\n").unwrap(),
            "a: { zh: 'it''s, here', en: x, fr: 'it''s, here' }  # m\n"
        );
    }

    #[test]
    fn one_line_mappings_gain_the_language() {
        assert_eq!(
            edited("a: { zh: 模型, en: Model }\nb: { x: 1 }\n").unwrap(),
            "a: { zh: 模型, en: Model, fr: 模型 }  # m\nb: { x: 1 }\n"
        );
        assert_eq!(
            edited("- { zh: 'a, b', en: c }  # note\n").unwrap(),
            "- { zh: 'a, b', en: c, fr: 'a, b' }  # note  # m\n"
        );
    }

    #[test]
    fn mappings_over_several_lines_gain_the_language() {
        assert_eq!(
            edited("a: {\n  zh: 模型,\n  en: Model\n}\n").unwrap(),
            "a: {\n  zh: 模型,\n  en: Model,\n  fr: 模型  # m\n}\n",
            "one text a line, the brace on its own line"
        );
        assert_eq!(
            edited("a: {\n  en: Model,  # note\n  zh: 模型,\n}\n").unwrap(),
            "a: {\n  en: Model,  # note\n  zh: 模型,\n  fr: 模型,  # m\n}\n",
            "a trailing comma is kept, a comment skipped"
        );
        assert_eq!(
            edited("a: { zh: 模型,\n     en: Model }\n").unwrap(),
            "a: { zh: 模型,\n     en: Model, fr: 模型 }  # m\n",
            "the brace closes after the last text"
        );
        assert_eq!(
            edited("a: { zh: 模型, en: Model\n}\n").unwrap(),
            "a: { zh: 模型, en: Model,\n             fr: 模型  # m\n}\n",
            "texts on the opening line"
        );
    }

    #[test]
    fn a_default_text_over_several_lines_is_refused_where_it_is() {
        let refused = edited("x: 1\na: {\n  zh: 很长的\n    模型,\n  en: Model\n}\n").unwrap_err();
        assert!(
            refused.starts_with(
                "site.yaml:3:3: error: `medfm lang add` cannot copy this `zh` text into `fr`: \
                 it goes on over several lines of a flow mapping (`{ … }`, lines 2–6)"
            ),
            "{refused}"
        );
        assert!(
            refused.contains("= help: write the `zh` text on one line (`zh: …`)"),
            "{refused}"
        );
    }

    #[test]
    fn block_scalars_comments_and_plain_text_open_no_mapping() {
        let text = "s: |\n  a { b\n  zh: c\nt: x { y, 'z\n# { w\nu: { zh: 甲, en: A }\n";
        let flows = scan(&text.lines().map(str::to_string).collect::<Vec<_>>());
        assert_eq!(
            flows.maps,
            [FlowMap {
                open: At { line: 5, byte: 3 },
                close: At { line: 5, byte: 20 }
            }]
        );
        assert!(flows.continued.iter().all(|c| !c));
    }
}
