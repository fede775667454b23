//! What "pages" means in every summary (`check`, `build`, `serve`): the content pages read from
//! `content/`, the HTML pages of the built site (each content page in every language, plus the
//! generated pages: listings, terms, search, the data page, the print view…) and every other
//! file of the site (static files, scripts, the search index, feeds, exports). Counted from the
//! files the build's staging folder holds at the end, so a build that reuses the previous site's
//! files (`serve`) counts the same as a clean build of the same sources.

use std::fmt;

use crate::write::staging::{is_html, MARKER};

/// The size of a built site, as every command's summary states it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SiteCount {
    /// Markdown files of `content/` (one page, whatever its number of languages).
    pub content: usize,
    /// HTML files of the site.
    pub html: usize,
    /// Every other file of the site (the marker file medfm leaves in its output excepted).
    pub other: usize,
}

impl SiteCount {
    /// The count of a site made of `content` content pages and the files `files` (paths
    /// inside the site, each once).
    pub(crate) fn new<'a>(content: usize, files: impl IntoIterator<Item = &'a str>) -> SiteCount {
        let mut count = SiteCount {
            content,
            ..SiteCount::default()
        };
        for file in files.into_iter().filter(|f| *f != MARKER) {
            match is_html(file) {
                true => count.html += 1,
                false => count.other += 1,
            }
        }
        count
    }

    /// `3 content pages` (for summaries of runs that stopped before writing the site).
    pub fn content_pages(&self) -> String {
        plural(self.content, "content page", "content pages")
    }
}

/// `98 content pages → 658 HTML pages, 40 other files`.
impl fmt::Display for SiteCount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} → {}, {}",
            self.content_pages(),
            plural(self.html, "HTML page", "HTML pages"),
            plural(self.other, "other file", "other files")
        )
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_files_and_other_files_are_told_apart_and_the_marker_is_not_counted() {
        let files = [
            MARKER,
            "index.html",
            "en/index.html",
            "style.css",
            "feed.xml",
        ];
        let count = SiteCount::new(1, files);
        assert_eq!(
            count,
            SiteCount {
                content: 1,
                html: 2,
                other: 2
            }
        );
        assert_eq!(
            count.to_string(),
            "1 content page → 2 HTML pages, 2 other files"
        );
        let one = SiteCount::new(0, ["a.html", "b.js"]);
        assert_eq!(
            one.to_string(),
            "0 content pages → 1 HTML page, 1 other file"
        );
    }
}
