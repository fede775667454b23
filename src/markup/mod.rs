//! Markup: Markdown bodies rendered to HTML with highlighted code, and their links resolved.

pub(crate) mod callouts;
pub(crate) mod crossref;
pub(crate) mod external;
pub(crate) mod footnotes;
pub(crate) mod highlight;
pub(crate) mod inline_html;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod math;
pub(crate) mod references;
