//! Text that repeats across pages because the site put it there, not the page's author: the
//! lines of each collection's scaffold (`medfm new` writes its headings, such as "Overview" or
//! "Open questions", into every entry). Search leaves these lines out of the index and the
//! snippets, so a query for "open weights" is not matched by every page's "Open questions".
//!
//! Template text (field labels, navigation, footer) never reaches the index: it is built from
//! each page's Markdown and field values, not from its HTML.

use std::collections::HashSet;

use super::tokenize::normalize;
use crate::model::config::SiteConfig;

/// The normalised lines the site repeats on its pages.
#[derive(Debug, Clone, Default)]
pub(crate) struct Boilerplate {
    lines: HashSet<String>,
    /// Byte length of the longest line, to skip longer lines without normalising them.
    longest: usize,
}

impl Boilerplate {
    /// Every non-empty line of every collection's scaffold, in every language, heading marks
    /// removed.
    pub(crate) fn new(config: &SiteConfig) -> Boilerplate {
        let scaffolds = config
            .model
            .collections
            .iter()
            .flat_map(|c| c.scaffold.values());
        Boilerplate::from_texts(scaffolds.map(String::as_str))
    }

    /// The non-empty lines of `texts`, heading marks removed.
    pub(crate) fn from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> Boilerplate {
        let lines: HashSet<String> = texts
            .into_iter()
            .flat_map(str::lines)
            .map(|l| normalize(l.trim_start().trim_start_matches('#')))
            .filter(|l| !l.is_empty())
            .collect();
        let longest = lines.iter().map(String::len).max().unwrap_or(0);
        Boilerplate { lines, longest }
    }

    /// True when `line` (a heading, or a line of body text) is one of the repeated lines.
    pub(crate) fn contains(&self, line: &str) -> bool {
        let line = line.trim();
        // Normalising never makes text longer by more than width folding does (3 → 1 bytes).
        !line.is_empty() && line.len() <= self.longest * 3 && self.lines.contains(&normalize(line))
    }

    /// `text` without its repeated lines.
    pub(crate) fn strip(&self, text: &str) -> String {
        if self.lines.is_empty() {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        for line in text.lines().filter(|l| !self.contains(l)) {
            out.push_str(line);
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaffold_lines_are_boilerplate_whatever_their_case_or_marks() {
        let b = Boilerplate::from_texts([
            "## Overview\n\nTODO: say what it is.\n\n## Open questions\n",
            "## 开放问题\n",
        ]);
        assert!(b.contains("Open questions") && b.contains("  open   QUESTIONS "));
        assert!(b.contains("开放问题") && b.contains("TODO: say what it is."));
        assert!(!b.contains("Open weights") && !b.contains("") && !b.contains("开放权重"));
        assert_eq!(
            b.strip("Overview\nMedSAM has open weights.\nOpen questions\nWhat next?"),
            "MedSAM has open weights.\nWhat next?\n"
        );
        assert_eq!(Boilerplate::default().strip("a\nb"), "a\nb");
    }
}
