//! The outline of a Markdown body: its headings in order, with their level, unique id, text and
//! line. Parsed once per file (when the file is parsed) and shared by everything that needs a
//! page's headings without rendering it: anchor checks, the translation of anchors between
//! languages, and the comparison of a translation's sections with its source's.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::base::slug::IdAllocator;

/// The one Markdown parser configuration: tables, footnotes, strikethrough, task lists, GFM
/// alerts (`> [!NOTE]`), math (`$…$`, `$$…$$`), definition lists, heading attributes
/// (`{#id .class}`); no smart
/// punctuation (it would rewrite CJK quotes).
pub fn parser_options() -> pulldown_cmark::Options {
    use pulldown_cmark::Options;
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM
        | Options::ENABLE_MATH
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// One heading of a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutlineHeading {
    /// 1–6.
    pub(crate) level: u8,
    /// The id the rendered heading gets (unique within the body; CJK kept).
    pub(crate) id: String,
    /// Plain text of the heading.
    pub(crate) text: String,
    /// 1-based line inside the body where the heading starts.
    pub(crate) line: usize,
}

impl OutlineHeading {
    /// The heading as written in Markdown: `## 概述`.
    pub(crate) fn markdown(&self) -> String {
        format!("{} {}", "#".repeat(usize::from(self.level)), self.text)
    }
}

/// The headings of `body`, in order.
pub(crate) fn outline(body: &str) -> Vec<OutlineHeading> {
    let mut ids = IdAllocator::default();
    let mut out = Vec::new();
    let mut current: Option<(u8, usize, Option<String>, String)> = None;
    // Lines are counted on from the previous heading, not from the start of the body.
    let (mut counted, mut line) = (0, 1);
    for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                line += body[counted..range.start].matches('\n').count();
                counted = range.start;
                let written = id.map(|id| id.into_string());
                current = Some((level as u8, line, written, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, line, written, text)) = current.take() {
                    let id = match written {
                        Some(id) => {
                            ids.reserve(&id);
                            id
                        }
                        None => ids.allocate(&text),
                    };
                    out.push(OutlineHeading {
                        level,
                        id,
                        text,
                        line,
                    });
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, _, _, text)) = current.as_mut() {
                    text.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_in_order_with_levels_ids_and_lines() {
        let body = "\n## 概述\n\nText.\n\n### Key `idea`\n\n```\n# not a heading\n```\n\nSetext\n---\n## 概述\n";
        let headings = outline(body);
        assert_eq!(
            headings
                .iter()
                .map(|h| (h.level, h.id.as_str(), h.text.as_str(), h.line))
                .collect::<Vec<_>>(),
            [
                (2, "概述", "概述", 2),
                (3, "key-idea", "Key idea", 6),
                (2, "setext", "Setext", 12),
                (2, "概述-1", "概述", 14),
            ]
        );
        assert_eq!(headings[1].markdown(), "### Key idea");
        assert!(outline("No heading.\n").is_empty());
    }
}
