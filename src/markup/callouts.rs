//! GFM alerts as callouts: a block quote opening with `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
//! `[!WARNING]` or `[!CAUTION]` becomes `<div class="callout callout-note" role="note">` with
//! a visible title and an accessible name, both the UI string `callout_note` (… `callout_tip`,
//! `callout_important`, `callout_warning`, `callout_caution`) of the page's language.

use pulldown_cmark::BlockQuoteKind;

use crate::markup::highlight::escape;
use crate::markup::markdown::RenderOptions;

/// The class suffix and UI string of a kind of callout.
fn kind_name(kind: BlockQuoteKind) -> (&'static str, &'static str) {
    match kind {
        BlockQuoteKind::Note => ("note", "callout_note"),
        BlockQuoteKind::Tip => ("tip", "callout_tip"),
        BlockQuoteKind::Important => ("important", "callout_important"),
        BlockQuoteKind::Warning => ("warning", "callout_warning"),
        BlockQuoteKind::Caution => ("caution", "callout_caution"),
    }
}

/// The opening HTML of a callout of `kind`, title included.
pub(crate) fn open(kind: BlockQuoteKind, options: &RenderOptions<'_>) -> String {
    let (class, key) = kind_name(kind);
    let title = escape(options.string(key));
    format!(
        "<div class=\"callout callout-{class}\" role=\"note\" aria-label=\"{title}\">\n<p class=\"callout-title\">{title}</p>\n"
    )
}

/// The closing HTML of a callout.
pub(crate) const CLOSE: &str = "</div>\n";

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn a_callout_is_titled_in_the_page_language() {
        let strings = BTreeMap::from([("callout_warning".to_string(), "警告".to_string())]);
        let options = RenderOptions {
            trust_raw_html: false,
            strings: &strings,
        };
        assert_eq!(
            open(BlockQuoteKind::Warning, &options),
            "<div class=\"callout callout-warning\" role=\"note\" aria-label=\"警告\">\n<p class=\"callout-title\">警告</p>\n"
        );
    }
}
