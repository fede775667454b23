//! Markup: Markdown bodies rendered to HTML with highlighted code, and their links resolved.

pub(crate) mod external;
pub(crate) mod highlight;
pub(crate) mod links;
pub(crate) mod markdown;
pub(crate) mod references;
